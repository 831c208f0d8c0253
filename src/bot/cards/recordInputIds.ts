/**
 * The record form card's input ids (the card half of the record codec): which
 * Input.* carries which answer, and the `keep` list of answers a card withheld
 * because they were too long for Teams. Only cards know these ids; the domain
 * speaks of template fields, action rows and their parts.
 */
import type { RecordTemplate } from '../../domain/policy/schema';
import { type ActionPart, MAX_ACTION_ROWS } from '../../domain/records/fieldTypes';
import type { FieldProblem } from '../../ports/messages';

/**
 * The input id of one part of one action row. The template's first actions
 * field uses `action_<i>_<part>`; any further actions field is prefixed by its id.
 */
export function actionInputId(template: RecordTemplate, fieldId: string, row: number, part: ActionPart): string {
  const first = template.fields.find((f) => f.type === 'actions');
  return first?.id === fieldId ? `action_${row}_${part}` : `${fieldId}_${row}_${part}`;
}

/** The input id of the time half of a datetime field (the date half uses the field id). */
export const timeInputId = (fieldId: string) => `${fieldId}__time`;

/** The input a problem belongs beside (undefined: the record as a whole). */
export function problemInputId(template: RecordTemplate, p: FieldProblem): string | undefined {
  if (p.fieldId === undefined || p.fieldId === '') return undefined;
  return p.row !== undefined && p.part !== undefined ? actionInputId(template, p.fieldId, p.row, p.part) : p.fieldId;
}

/**
 * The `keep` list a form card carries: input ids, with runs of action rows written
 * as one range (`action_0-19_text`), since Teams' size limit counts every byte.
 */
export function encodeKeep(ids: Iterable<string>): string[] {
  const plain: string[] = [];
  const rows = new Map<string, number[]>(); // "<prefix>|<part>" -> row numbers
  for (const id of ids) {
    const m = /^(.+)_(\d+)_(text|owner|due|outcome)$/.exec(id);
    if (!m) {
      plain.push(id);
      continue;
    }
    const key = `${m[1]}|${m[3]}`;
    rows.set(key, [...(rows.get(key) ?? []), Number(m[2])]);
  }
  const ranged: string[] = [];
  for (const [key, list] of rows) {
    const [prefix, part] = key.split('|') as [string, string];
    const sorted = [...new Set(list)].sort((a, b) => a - b);
    let start = sorted[0]!;
    for (let i = 1; i <= sorted.length; i++) {
      if (i < sorted.length && sorted[i] === sorted[i - 1]! + 1) continue;
      const end = sorted[i - 1]!;
      ranged.push(start === end ? `${prefix}_${start}_${part}` : `${prefix}_${start}-${end}_${part}`);
      start = sorted[i]!;
    }
  }
  return [...plain, ...ranged];
}

/** The input ids a `keep` list names (ranges expanded; at most MAX_ACTION_ROWS rows). */
export function expandKeep(keep: unknown): Set<string> {
  const out = new Set<string>();
  if (!Array.isArray(keep)) return out;
  for (const entry of keep) {
    if (typeof entry !== 'string') continue;
    const m = /^(.+)_(\d+)-(\d+)_(text|owner|due|outcome)$/.exec(entry);
    if (!m) {
      out.add(entry);
      continue;
    }
    const from = Number(m[2]);
    const to = Math.min(Number(m[3]), MAX_ACTION_ROWS - 1);
    for (let i = from; i <= to; i++) out.add(`${m[1]}_${i}_${m[4]}`);
  }
  return out;
}
