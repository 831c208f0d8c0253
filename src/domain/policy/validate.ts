/**
 * Pure validation of a policy pack: schema first, then the references between
 * parts (templates). Returns messages that point at the offending field.
 */
import { z } from 'zod';
import { BUILTIN_TEMPLATES } from './builtinTemplates';
import { PolicyPack, RecordTemplate } from './schema';

export type PackResult = { ok: true; pack: PolicyPack } | { ok: false; errors: string[] };

export const builtinTemplates: readonly RecordTemplate[] = BUILTIN_TEMPLATES.map((t) => RecordTemplate.parse(t));

/** "staffGroups[0].duration.defaultMinutes" from a zod issue path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export function formatZodError(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`);
}

export function validatePack(input: unknown): PackResult {
  const parsed = PolicyPack.safeParse(input);
  if (!parsed.success) return { ok: false, errors: capped(formatZodError(parsed.error)) };
  const pack = parsed.data;
  const errors: string[] = [];
  const available = new Map<string, RecordTemplate>();
  for (const t of builtinTemplates) available.set(t.id, t);
  pack.templates.forEach((t, i) => {
    if (available.has(t.id) && !builtinTemplates.includes(available.get(t.id)!)) errors.push(`templates[${i}].id: duplicate template id "${t.id}"`);
    available.set(t.id, t);
  });
  const recordTemplate = available.get(pack.records.template);
  if (!recordTemplate) errors.push(`records.template: no template "${pack.records.template}" (built in: ${builtinIds('record')})`);
  else if (recordTemplate.kind !== 'record') errors.push(`records.template: "${pack.records.template}" is an agreement template`);
  pack.records.alternativeTemplates?.ids.forEach((id, i) => {
    const t = available.get(id);
    const at = `records.alternativeTemplates.ids[${i}]`;
    if (!t) errors.push(`${at}: no template "${id}" (built in: ${builtinIds('record')})`);
    else if (t.kind !== 'record') errors.push(`${at}: "${id}" is an agreement template`);
    else if (id === pack.records.template) errors.push(`${at}: "${id}" is already records.template`);
  });
  const agreementTemplate = available.get(pack.agreements.template);
  if (!agreementTemplate) errors.push(`agreements.template: no template "${pack.agreements.template}" (built in: ${builtinIds('agreement')})`);
  else if (agreementTemplate.kind !== 'agreement') errors.push(`agreements.template: "${pack.agreements.template}" is a record template`);
  return errors.length ? { ok: false, errors } : { ok: true, pack };
}

/** Hostile packs (10,000 bad staff groups) would otherwise print an error per item. */
const MAX_ERRORS = 50;
function capped(errors: string[]): string[] {
  return errors.length <= MAX_ERRORS ? errors : [...errors.slice(0, MAX_ERRORS), `(root): ${errors.length - MAX_ERRORS} more errors not shown`];
}

function builtinIds(kind: RecordTemplate['kind']): string {
  return builtinTemplates.filter((t) => t.kind === kind).map((t) => t.id).join(', ');
}

/** The record forms a session under this pack may use, the default first. */
export function recordFormIds(pack: PolicyPack): string[] {
  return [pack.records.template, ...(pack.records.alternativeTemplates?.ids ?? [])];
}

/** Every template a pack can use: the built-in ones plus its own. */
export function templatesFor(pack: PolicyPack): Map<string, RecordTemplate> {
  const map = new Map<string, RecordTemplate>(builtinTemplates.map((t) => [t.id, t]));
  for (const t of pack.templates) map.set(t.id, t);
  return map;
}

export function findStaffGroup(pack: PolicyPack, staffGroupId: string) {
  return pack.staffGroups.find((g) => g.id === staffGroupId);
}
