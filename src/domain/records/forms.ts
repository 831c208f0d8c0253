/**
 * Choosing a session's record form where the policy offers more than one
 * (Lingfield: the safeguarding record for a child / family, or the staff
 * member / incident form). Pure: the caller saves the result.
 *
 * Only while the record is still being written (a draft, or back for
 * changes), and only by someone who may write it. Answers already typed are
 * kept where the other form has a field with the same id.
 */
import type { Relationship, SupervisionRecord } from '../model';
import type { PolicyPack, RecordTemplate } from '../policy/schema';
import { recordFormIds } from '../policy/validate';
import { recorderIds } from './workflow';

export type FormChoice = { ok: true; record: SupervisionRecord; unchanged: boolean } | { ok: false; error: string };

export function chooseRecordForm(input: {
  record: SupervisionRecord;
  templateId: string;
  policy: PolicyPack;
  relationship: Relationship;
  templates: Map<string, RecordTemplate>;
  actorId: string;
  now: string;
}): FormChoice {
  const { record, templateId, policy } = input;
  const forms = recordFormIds(policy);
  if (!forms.includes(templateId)) return { ok: false, error: `templateId: "${templateId}" is not one of this policy's record forms (${forms.join(', ')})` };
  const template = input.templates.get(templateId);
  if (!template || template.kind !== 'record') return { ok: false, error: `templateId: no record template "${templateId}"` };
  if (record.status !== 'draft' && record.status !== 'changes-requested') return { ok: false, error: 'The form can only be changed while the record is being written' };
  if (!recorderIds(policy, input.relationship).includes(input.actorId) && record.authorId !== input.actorId) return { ok: false, error: 'Only the person who writes the record can choose its form' };
  if (record.templateId === templateId) return { ok: true, record, unchanged: true };
  const keep = new Set(template.fields.map((f) => f.id));
  const values = Object.fromEntries(Object.entries(record.values).filter(([k]) => keep.has(k) || k.startsWith('_')));
  return { ok: true, unchanged: false, record: { ...record, templateId, values, authorId: record.authorId, updatedAt: input.now } };
}
