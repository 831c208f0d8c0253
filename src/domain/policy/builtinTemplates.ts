/**
 * The record and agreement templates that ship built in (POLICIES.md, "Records"):
 * each follows the headings of the organisation's own form, in order. A pack
 * refers to one by id or defines its own in `templates`.
 */
import type { RecordTemplateInput, TemplateField } from './schema';

const text = (id: string, label: string, extra: Partial<TemplateField> = {}): TemplateField => ({
  id, label, type: 'multiline', required: false, maxLength: 4000, ...extra,
});
const actions = (id = 'actions', label = 'Actions agreed'): TemplateField => ({ id, label, type: 'actions', required: false });

export const BUILTIN_TEMPLATES: readonly RecordTemplateInput[] = [
  {
    id: 'south-glos-recording-sheet',
    name: 'Recording sheet for 1:1 supervision (South Gloucestershire)',
    kind: 'record',
    source: 'South Glos SCB Integrated Supervision Policy, Appendix 2 "Sample Recording Sheet for 1:1 supervision sessions"',
    fields: [
      { id: 'name', label: 'Name', type: 'text', required: true, prefill: 'supervisee-name', maxLength: 200 },
      { id: 'date', label: 'Date', type: 'date', required: true, prefill: 'session-date' },
      { id: 'jobTitle', label: 'Job title / role', type: 'text', required: false, prefill: 'job-title', maxLength: 200 },
      { id: 'carriedForward', label: 'Actions completed / outstanding issues carried forward', type: 'info', prefill: 'open-actions' },
      text('caseload', 'Caseload management / information sharing / recording on clients case file'),
      text('support', 'Support issues'),
      text('development', 'Professional development'),
      text('targets', 'Updates / revised targets'),
      text('judgements', 'Professional judgement(s)'),
      actions('actions', 'Actions agreed'),
      { id: 'nextMeeting', label: 'Date and time of next meeting', type: 'info', prefill: 'next-session' },
    ],
  },
  {
    id: 'staffordshire-record',
    name: 'Record of individual safeguarding children supervision (Staffordshire and Stoke-on-Trent ICB)',
    kind: 'record',
    source: 'Staffordshire and Stoke-on-Trent ICB Safeguarding Supervision Policy, Appendix 3; disagreement field added per Appendix 2 "Disagreements"',
    fields: [
      { id: 'date', label: 'Date', type: 'date', required: true, prefill: 'session-date' },
      { id: 'supervisor', label: 'Name of supervisor', type: 'text', required: true, prefill: 'supervisor-name', maxLength: 200 },
      { id: 'supervisee', label: 'Name of supervisee', type: 'text', required: true, prefill: 'supervisee-name', maxLength: 200 },
      { id: 'carriedForward', label: 'Open actions from last time', type: 'info', prefill: 'open-actions' },
      text('concerns', 'Concerns / issues', { required: true }),
      text('discussion', 'Discussion'),
      text('outcomes', 'Outcome/s required'),
      actions('actions', 'Agreed actions (by whom, by when)'),
      text('disagreement', 'Areas of disagreement (will be escalated to a line manager)'),
      { id: 'nextMeeting', label: 'Date and time of next supervision', type: 'info', prefill: 'next-session' },
    ],
  },
  {
    id: 'lingfield-safeguarding-record',
    name: 'Safeguarding supervision record form (Lingfield Education Trust)',
    kind: 'record',
    source: 'Lingfield Education Trust Supervision Policy, "Safeguarding Supervision Record Form" (child / family)',
    fields: [
      { id: 'date', label: 'Date', type: 'date', required: true, prefill: 'session-date' },
      { id: 'child', label: 'Child / family name', type: 'text', required: true, maxLength: 200 },
      { id: 'category', label: 'Safeguarding category', type: 'text', required: true, maxLength: 200 },
      text('history', 'Historical overview, relevant to session'),
      {
        id: 'progressing', label: 'Is the case progressing?', type: 'yesno', required: true,
      },
      text('notProgressingWhy', 'If no, why not?'),
      text('sinceLast', 'What has happened since the last supervision / meeting attended?'),
      {
        id: 'direction', label: 'Have the concerns escalated, de-escalated or stayed the same?', type: 'choice', required: true,
        choices: [
          { value: 'escalated', title: 'Escalated' },
          { value: 'de-escalated', title: 'De-escalated' },
          { value: 'same', title: 'Stayed the same' },
        ],
      },
      text('role', 'How effective is your role as part of the professional group working with the family?'),
      text('challenges', 'What professional challenges need to be made, if any, at the next meeting?'),
      text('positives', 'What are the positives for the child at the present time?'),
      text('concerns', 'What are your current concerns for the child?'),
      text('parentView', 'What is it like to be the parent / carer, at the present time?'),
      { id: 'carriedForward', label: 'Open actions from last time', type: 'info', prefill: 'open-actions' },
      actions('actions', 'Actions to be taken (action, outcome for the child, review date)'),
    ],
  },
  {
    id: 'signs-of-safety',
    name: 'Signs of Safety supervision record (Leicestershire)',
    kind: 'record',
    source: 'Leicestershire CFS Supervision Policy, Core Principles: "what is working well, what we are worried about, and what needs to happen"',
    fields: [
      { id: 'date', label: 'Date', type: 'date', required: true, prefill: 'session-date' },
      { id: 'carriedForward', label: 'Open actions from last time', type: 'info', prefill: 'open-actions' },
      text('workingWell', 'What is working well?', { required: true }),
      text('worried', 'What are we worried about?', { required: true }),
      text('needsToHappen', 'What needs to happen?', { required: true }),
      text('decisions', 'Decisions (also to be recorded on the child\'s file)'),
      text('disagreements', 'Disagreements'),
      text('cpd', 'CPD evidence (registered social workers)'),
      actions('actions', 'Key actions agreed'),
    ],
  },
  {
    id: 'south-glos-agreement',
    name: 'Supervision agreement checklist (South Gloucestershire)',
    kind: 'agreement',
    source: 'South Glos SCB Integrated Supervision Policy, Appendix 1 "Checklist for SUPERVISION AGREEMENT"',
    fields: [
      text('parties', 'Parties to the agreement', { required: true }),
      text('frequency', 'Frequency', { required: true }),
      text('duration', 'Duration', { required: true }),
      text('venue', 'Venue'),
      text('type', 'Type'),
      text('function', 'Function'),
      text('keyAreas', 'Key areas for discussion'),
      text('confidentiality', 'Confidentiality'),
      text('urgent', 'Accessing unscheduled supervision in urgent cases'),
      text('lineManagement', 'Line management arrangements and where information may be shared'),
      text('disagreements', 'Disagreements and mediation arrangements'),
      text('recording', 'Recording and signing'),
      text('performance', 'Links to performance management'),
    ],
  },
  {
    id: 'staffordshire-agreement',
    name: 'Safeguarding children supervision agreement (Staffordshire and Stoke-on-Trent ICB)',
    kind: 'agreement',
    source: 'Staffordshire and Stoke-on-Trent ICB Safeguarding Supervision Policy, Appendix 2',
    fields: [
      text('venue', 'Agreed venue', { required: true }),
      text('frequency', 'Frequency of supervision', { required: true }),
      text('duration', 'Duration of sessions', { required: true }),
      text('notes', 'Anything else agreed'),
    ],
  },
  {
    id: 'lingfield-agreement',
    name: 'Contract / written agreement of supervision (Lingfield Education Trust)',
    kind: 'agreement',
    source: 'Lingfield Education Trust Supervision Policy, Appendix 1 "Contract/Written Agreement of Supervision"',
    fields: [
      text('roles', 'Roles of supervisor and supervisee', { required: true }),
      text('frequency', 'The frequency of supervision', { required: true }),
      text('agenda', 'The agenda'),
      text('recordKeeping', 'The record-keeping'),
      text('confidentiality', 'Confidentiality'),
      text('diversity', 'Diversity and equality'),
      text('issues', 'Resolving individual issues'),
      text('terms', 'Individual terms agreed'),
    ],
  },
  {
    id: 'generic-agreement',
    name: 'Supervision agreement',
    kind: 'agreement',
    source: 'default: the contents Leicestershire and Westmorland & Furness list (purpose, roles, frequency, confidentiality) where no form is given',
    fields: [
      text('purpose', 'Purpose of supervision', { required: true }),
      text('roles', 'Roles and responsibilities of supervisor and supervisee'),
      text('frequency', 'Agreed frequency and duration', { required: true }),
      text('venue', 'Venue / format'),
      text('confidentiality', 'Boundaries of confidentiality'),
      text('disagreements', 'How disagreements are resolved'),
    ],
  },
];
