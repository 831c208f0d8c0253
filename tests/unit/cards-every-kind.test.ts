/**
 * Every card the bot sends or answers with is a valid Adaptive Card 1.5 within
 * Teams' size limit: one sample (or more) per kind of message, typed so that a
 * new kind of message without a sample here fails typecheck; the record views
 * (form with another form to switch to, countersign, summary, with a warning
 * banner); the action card; the card-action error card. And the field-type
 * registries cover exactly the template schema's types, at run time too.
 */
import { errorCard } from '../../src/bot/cardActions';
import { actionItemCard, recordViewCard } from '../../src/bot/cards/record';
import { CARD_FIELDS } from '../../src/bot/cards/recordFields';
import { renderMessage } from '../../src/bot/messages';
import type { SupervisionRecord } from '../../src/domain/model';
import { FieldType } from '../../src/domain/policy/schema';
import { builtinTemplates } from '../../src/domain/policy/validate';
import { FIELD_TYPES } from '../../src/domain/records/fieldTypes';
import type { Message, MessageKind, RecordFormView, RecordView } from '../../src/ports/messages';
import { cardProblems } from '../support/adaptiveCards';

const TAB = 'http://localhost:3978/tab/';
const Z = 'Europe/London';
const SLOT = { start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T11:00:00.000Z' };
const template = builtinTemplates.find((t) => t.kind === 'record' && t.fields.some((f) => f.type === 'actions'))!;
const record = (status: SupervisionRecord['status']): SupervisionRecord => ({
  id: 'rec-1', sessionId: 'ses-1', relationshipId: 'rel-1', templateId: template.id, version: 1, status, authorId: 'p-sup',
  values: {}, signatures: status === 'draft' ? [] : [{ personId: 'p-sup', role: 'supervisor', at: '2026-11-24T09:00:00.000Z' }],
  createdAt: SLOT.start, updatedAt: SLOT.start, etag: 'e1',
});
const base = { template, supervisorName: 'Alex Morgan', superviseeNames: ['Jordan Lee'], sessionStart: SLOT.start, userIds: ['29:a'], tabUrl: TAB, timeZone: Z };
const form: RecordFormView = { ...base, record: record('draft'), openActions: [], actionRows: 1, errors: [{ fieldId: template.fields.find((f) => f.type === 'actions')!.id, row: 0, part: 'due', message: 'Action 1 needs a due date' }] };

/** At least one sample of every message kind (the mapped type makes a missing kind a type error). */
const SAMPLES: { [K in MessageKind]: Extract<Message, { kind: K }>[] } = {
  'record-form': [{ kind: 'record-form', view: form }],
  'record-changes-requested': [{ kind: 'record-changes-requested', view: { ...form, record: record('changes-requested') } }],
  'record-countersign': [{ kind: 'record-countersign', view: { ...base, record: record('submitted'), errors: [{ fieldId: 'comment', message: 'Say what needs to change' }] } }],
  'record-summary': [{ kind: 'record-summary', view: { record: record('signed'), sessionStart: SLOT.start, tabUrl: TAB, timeZone: Z } }],
  'record-signed-copy': [{ kind: 'record-signed-copy', sessionStart: SLOT.start, tabUrl: TAB, timeZone: Z }],
  'record-disagreement': [{ kind: 'record-disagreement', sessionStart: SLOT.start, superviseeName: 'Jordan Lee', supervisorName: 'Alex Morgan', tabUrl: TAB, timeZone: Z }],
  rebooked: [
    { kind: 'rebooked', view: { sessionId: 's', relationshipId: 'r', withNames: ['Jordan Lee'], original: SLOT, booked: SLOT, alternatives: [SLOT], why: 'cancelled', tabUrl: TAB, timeZone: Z } },
    { kind: 'rebooked', view: { sessionId: 's', relationshipId: 'r', withNames: ['Jordan Lee'], original: SLOT, booked: SLOT, alternatives: [], why: 'declined', tabUrl: TAB, notice: 'Moved', timeZone: Z } },
  ],
  'rebook-escalation': [true, false].map((forManager) => ({ kind: 'rebook-escalation' as const, view: { supervisorName: 'A', superviseeNames: ['B'], original: SLOT, reason: 'No common time', window: SLOT, tabUrl: TAB, forManager, timeZone: Z } })),
  'session-notice': [
    { kind: 'session-notice', notice: { kind: 'rebook-chosen', byName: 'Sam', slot: SLOT, timeZone: Z, tabUrl: TAB } },
    { kind: 'session-notice', notice: { kind: 'rebook-kept-cancelled', byName: 'Sam', tabUrl: TAB } },
    { kind: 'session-notice', notice: { kind: 'kept-cancelled-told', byName: 'Sam', supervisorName: 'D', superviseeNames: ['S'], original: SLOT, timeZone: Z, tabUrl: TAB } },
    { kind: 'session-notice', notice: { kind: 'session-cancelled', byName: 'Sam', names: ['A', 'B'], start: SLOT.start, timeZone: 'Europe/London', tabUrl: TAB } },
    { kind: 'session-notice', notice: { kind: 'no-meeting-link', withNames: ['B'], tabUrl: TAB } },
  ],
  digest: [{ kind: 'digest', firstName: 'Sam', tabUrl: TAB, items: [{ obligationId: 'o1', kind: 'record', role: 'owe', title: 'Write the record', explanation: 'Due in 5 working days', dueAt: SLOT.start, state: 'overdue', actionId: 'a1', timeZone: Z }, { obligationId: 'o2', kind: 'session', role: 'escalated', title: 'Book supervision', explanation: 'Gap', dueAt: SLOT.start, state: 'due-soon', timeZone: Z }] }],
  'people-notice': [
    { kind: 'people-notice', tabUrl: TAB, notice: { kind: 'moved', move: 'handover', role: 'new-supervisor', fromName: 'F', toName: 'T', superviseeNames: ['S'], byName: 'B', booked: 2, firstSession: SLOT, noteWaiting: true, timeZone: Z } },
    { kind: 'people-notice', tabUrl: TAB, notice: { kind: 'flag', flagKind: 'new-starter', personName: 'P', arrangements: 0, agreementDueOn: '2027-01-01', timeZone: Z } },
    { kind: 'people-notice', tabUrl: TAB, notice: { kind: 'ended', superviseeNames: ['S'], supervisorName: 'D', byName: 'B', cancelled: 1 } },
  ],
  'move-notice': [
    ...(['supervisee', 'supervisor'] as const).map((to) => ({
      kind: 'move-notice' as const,
      tabUrl: TAB,
      notice: { kind: 'proposed' as const, to, policyName: 'Staffordshire', withNames: ['A'], superviseeNames: ['B'], why: 'cancelled', proposal: { cancelledId: 'c', relationshipId: 'r', replacementId: 'x', held: SLOT, holdEventId: 'h', alternatives: [SLOT], answerBy: SLOT.end, original: SLOT }, timeZone: Z },
    })),
    { kind: 'move-notice', tabUrl: TAB, notice: { kind: 'booked', how: 'no-answer', withNames: ['A'], booked: SLOT, answerBy: SLOT.end, replacementId: 'x', timeZone: Z } },
  ],
  'pre-session': [{ kind: 'pre-session', agendaUrl: `${TAB}#/agenda/s`, notice: { sessionId: 's', start: SLOT.start, end: SLOT.end, withNames: ['A'], timeZone: Z } }],
};

const VIEWS: [string, RecordView][] = [
  ['form with another form and a banner', { kind: 'form', ...form, otherForms: [{ templateId: 'other', name: 'Other form' }], banner: 'This record changed since that card was shown; here is the latest.' }],
  ['form with the agenda', { kind: 'form', ...form, agenda: { lines: [{ id: 'l1', kind: 'added', text: 'Caseload', discussed: false, addedByName: 'Sam', mine: true }], agreement: { finding: 'review-overdue', words: 'The agreement is overdue for review', checkedEachSession: true } } }],
  ['countersign', { kind: 'countersign', ...base, record: record('submitted') }],
  ['summary', { kind: 'summary', record: record('disagreed'), sessionStart: SLOT.start, tabUrl: TAB, timeZone: Z }],
];

describe('every card kind', () => {
  it.each(Object.values(SAMPLES).flat().map((m, i) => [`${m.kind} #${i}`, m] as const))('%s renders a valid card with a summary', (_name, message) => {
    const { card, summary } = renderMessage(message);
    expect(cardProblems(card)).toEqual([]);
    expect(summary.length).toBeGreaterThan(0);
  });

  it.each(VIEWS)('the record view "%s" renders a valid card', (_name, view) => {
    const card = recordViewCard(view);
    expect(cardProblems(card)).toEqual([]);
    if (view.banner) expect(JSON.stringify(card.body?.[0])).toContain(view.banner);
  });

  it('the action card and the error card are valid', () => {
    for (const status of ['open', 'done', 'dropped'] as const) expect(cardProblems(actionItemCard({ action: { id: 'a', text: 't', dueOn: '2026-12-01', status }, tabUrl: TAB, timeZone: Z }))).toEqual([]);
    expect(cardProblems(errorCard('Something went wrong'))).toEqual([]);
  });

  it('the card builders send plain JSON (no undefined properties left by the typed builders)', () => {
    const { card } = renderMessage(SAMPLES['record-form'][0]!);
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (v && typeof v === 'object') {
        expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
        for (const x of Object.values(v)) {
          expect(x).not.toBeUndefined();
          walk(x);
        }
      }
    };
    walk(card);
  });
});

describe('the field-type registries', () => {
  it('have a handler for exactly the template schema\'s field types, on both sides', () => {
    expect(Object.keys(FIELD_TYPES).sort()).toEqual([...FieldType.options].sort());
    expect(Object.keys(CARD_FIELDS).sort()).toEqual([...FieldType.options].sort());
  });
});
