/**
 * Server-side validation of a supervision record against its template (pure).
 *
 * A template (policy pack data) becomes a zod schema: each field by type, with
 * its maximum length; `required` is enforced only when the record is submitted,
 * so a half-written draft can always be saved. Info fields (open actions, next
 * meeting) are display-only and never stored from a submission; unknown keys are
 * dropped. Errors come back as `{ fieldId, message }` in words a person reads.
 *
 * Card inputs arrive as flat strings (Adaptive Card Input.*): `valuesFromCardInputs`
 * turns them into the structured values this schema validates.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { RecordTemplate, TemplateField } from '../policy/schema';

export type SubmissionMode = 'draft' | 'submit';

export interface FieldError {
  /** The template field id, or for an action row the card input id (`action_<i>_due`). */
  fieldId: string;
  message: string;
}

export type ActionOwnerRole = 'supervisor' | 'supervisee';

/** One agreed action as stored in a record's values (a submitted record has all of text, owner, dueOn). */
export interface ActionRow {
  text: string;
  /** Either a role (resolved to people when the record is signed) or a person id. */
  ownerRole?: ActionOwnerRole;
  ownerId?: string;
  /** YYYY-MM-DD */
  dueOn: string;
  outcomeForChild?: string;
}

/** A draft may hold half-filled rows. */
export type DraftActionRow = Partial<ActionRow>;

export const MAX_ACTION_ROWS = 20;
export const ACTION_TEXT_MAX = 500;
export const ACTION_OUTCOME_MAX = 500;
export const DEFAULT_TEXT_MAX = 200;
export const DEFAULT_MULTILINE_MAX = 4000;

export type ActionPart = 'text' | 'owner' | 'due' | 'outcome';

/** The fields a person fills in (everything except display-only info fields). */
export function editableFields(template: RecordTemplate): TemplateField[] {
  return template.fields.filter((f) => f.type !== 'info');
}

/** The maximum length of a text field (its own, or the default for its type). */
export function maxLengthOf(field: TemplateField): number | undefined {
  if (field.type === 'text') return field.maxLength ?? DEFAULT_TEXT_MAX;
  if (field.type === 'multiline') return field.maxLength ?? DEFAULT_MULTILINE_MAX;
  return undefined;
}

/**
 * The card input id of one part of one action row. The template's first actions
 * field uses `action_<i>_<part>`; any further actions field is prefixed by its id.
 */
export function actionInputId(template: RecordTemplate, fieldId: string, row: number, part: ActionPart): string {
  const first = template.fields.find((f) => f.type === 'actions');
  return first?.id === fieldId ? `action_${row}_${part}` : `${fieldId}_${row}_${part}`;
}

/** The card input id of the time half of a datetime field (the date half uses the field id). */
export const timeInputId = (fieldId: string) => `${fieldId}__time`;

/** Whether an action's label asks for the outcome for the child (Lingfield's form does). */
export function asksOutcomeForChild(field: TemplateField): boolean {
  return /outcome[^.]*child/i.test(field.label);
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

export function isRealDate(s: string): boolean {
  return DATE_RE.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;
}

function isRealDateTime(s: string): boolean {
  return DATETIME_RE.test(s) && DateTime.fromISO(s, { setZone: true }).isValid;
}

/** Blank strings count as "not answered". */
function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

type Ctx = z.RefinementCtx;
const issue = (ctx: Ctx, path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', message, path });

/** One scalar field: returns the cleaned value, undefined when unanswered, or z.NEVER after an issue. */
function scalarField(field: TemplateField, mode: SubmissionMode) {
  const required = field.required && mode === 'submit';
  const label = field.label;
  return z.unknown().transform((raw, ctx) => {
    let v: unknown = raw;
    if (field.type === 'yesno' && typeof v === 'boolean') v = v ? 'yes' : 'no';
    if (blank(v)) {
      if (required) issue(ctx, [], `${label} is required`);
      return undefined;
    }
    if (typeof v !== 'string') {
      issue(ctx, [], `${label} must be text`);
      return z.NEVER;
    }
    const s = v.trim();
    switch (field.type) {
      case 'text':
      case 'multiline': {
        const max = maxLengthOf(field)!;
        if (s.length > max) {
          issue(ctx, [], `${label} is too long (${s.length} characters; at most ${max})`);
          return z.NEVER;
        }
        return s;
      }
      case 'date':
        if (!isRealDate(s)) {
          issue(ctx, [], `${label} must be a real date`);
          return z.NEVER;
        }
        return s;
      case 'datetime':
        if (!isRealDateTime(s)) {
          issue(ctx, [], `${label} must be a real date and time`);
          return z.NEVER;
        }
        return s;
      case 'choice': {
        const choices = field.choices ?? [];
        if (!choices.some((c) => c.value === s)) {
          issue(ctx, [], `${label} must be one of: ${choices.map((c) => c.title).join(', ')}`);
          return z.NEVER;
        }
        return s;
      }
      case 'yesno':
        if (s !== 'yes' && s !== 'no') {
          issue(ctx, [], `${label} must be yes or no`);
          return z.NEVER;
        }
        return s;
      default:
        return undefined;
    }
  });
}

function actionsField(field: TemplateField, mode: SubmissionMode) {
  const required = field.required && mode === 'submit';
  const label = field.label;
  return z.unknown().transform((raw, ctx) => {
    if (blank(raw)) {
      if (required) issue(ctx, [], `${label}: add at least one action`);
      return undefined;
    }
    if (!Array.isArray(raw)) {
      issue(ctx, [], `${label} must be a list of actions`);
      return z.NEVER;
    }
    if (raw.length > MAX_ACTION_ROWS) {
      issue(ctx, [], `${label}: at most ${MAX_ACTION_ROWS} actions`);
      return z.NEVER;
    }
    const out: DraftActionRow[] = [];
    let failed = false;
    raw.forEach((row: unknown, i) => {
      const n = i + 1;
      const fail = (part: ActionPart, message: string) => {
        issue(ctx, [i, part], message);
        failed = true;
      };
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        fail('text', `Action ${n} is not an action`);
        return;
      }
      const r = row as Record<string, unknown>;
      const ownerRaw = r.ownerRole ?? r.ownerId ?? r.owner;
      if ([r.text, ownerRaw, r.dueOn, r.outcomeForChild].every(blank)) return; // an empty row is no action
      const cleaned: DraftActionRow = {};
      const str = (v: unknown, part: ActionPart, what: string): string | undefined => {
        if (blank(v)) return undefined;
        if (typeof v !== 'string') {
          fail(part, `Action ${n}: ${what} must be text`);
          return undefined;
        }
        return v.trim();
      };
      const text = str(r.text, 'text', 'what will be done');
      if (text === undefined) {
        if (mode === 'submit') fail('text', `Action ${n} needs to say what will be done`);
      } else if (text.length > ACTION_TEXT_MAX) fail('text', `Action ${n} is too long (${text.length} characters; at most ${ACTION_TEXT_MAX})`);
      else cleaned.text = text;

      if (!blank(r.ownerRole)) {
        if (r.ownerRole === 'supervisor' || r.ownerRole === 'supervisee') cleaned.ownerRole = r.ownerRole;
        else fail('owner', `Action ${n}: the owner must be the supervisor or the supervisee`);
      } else {
        const owner = str(r.ownerId ?? r.owner, 'owner', 'the owner');
        if (owner === 'supervisor' || owner === 'supervisee') cleaned.ownerRole = owner;
        else if (owner !== undefined) cleaned.ownerId = owner;
        else if (mode === 'submit') fail('owner', `Action ${n} needs an owner`);
      }

      const due = str(r.dueOn, 'due', 'the due date');
      if (due === undefined) {
        if (mode === 'submit') fail('due', `Action ${n} needs a due date`);
      } else if (!isRealDate(due)) fail('due', `Action ${n}: the due date must be a real date`);
      else cleaned.dueOn = due;

      const outcome = str(r.outcomeForChild, 'outcome', 'the outcome for the child');
      if (outcome !== undefined) {
        if (outcome.length > ACTION_OUTCOME_MAX) fail('outcome', `Action ${n}: the outcome for the child is too long (${outcome.length} characters; at most ${ACTION_OUTCOME_MAX})`);
        else cleaned.outcomeForChild = outcome;
      }
      out.push(cleaned);
    });
    if (failed) return z.NEVER;
    if (out.length === 0) {
      if (required) issue(ctx, [], `${label}: add at least one action`);
      return undefined;
    }
    return out;
  });
}

/**
 * The zod schema of a submission for a template. Output: the cleaned values
 * (strings trimmed, unanswered fields left out, info fields and unknown keys dropped).
 */
export function submissionSchema(template: RecordTemplate, mode: SubmissionMode): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const field of editableFields(template)) {
    shape[field.id] = field.type === 'actions' ? actionsField(field, mode) : scalarField(field, mode);
  }
  // Every field is present (null = unanswered) so each field's own rules decide what missing means.
  const unanswered = Object.fromEntries(Object.keys(shape).map((id) => [id, null]));
  return z
    .record(z.string(), z.unknown(), { error: 'The record must be an object of answers' })
    .transform((values) => ({ ...unanswered, ...values }))
    .pipe(z.object(shape))
    .transform((values) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
      return out;
    });
}

/** Maps zod issues to field errors (action rows to their card input ids). */
export function fieldErrorsFromZod(template: RecordTemplate, error: z.ZodError): FieldError[] {
  return error.issues.map((i) => {
    const [fieldId, row, part] = i.path;
    if (typeof fieldId !== 'string') return { fieldId: '', message: i.message };
    if (typeof row === 'number' && typeof part === 'string') {
      return { fieldId: actionInputId(template, fieldId, row, part as ActionPart), message: i.message };
    }
    return { fieldId, message: i.message };
  });
}

export type ValidationResult = { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldError[] };

export function validateSubmission(template: RecordTemplate, values: unknown, mode: SubmissionMode): ValidationResult {
  const parsed = submissionSchema(template, mode).safeParse(values ?? {});
  return parsed.success ? { ok: true, values: parsed.data } : { ok: false, errors: fieldErrorsFromZod(template, parsed.error) };
}

/** The action rows in a record's values for one actions field (whatever their state). */
export function actionRowsOf(values: Record<string, unknown>, fieldId: string): DraftActionRow[] {
  const v = values[fieldId];
  return Array.isArray(v) ? v.filter((r): r is DraftActionRow => r !== null && typeof r === 'object') : [];
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

const asString = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v));

/**
 * Structured values from the flat Input.* values of a record form card.
 *
 * `inputs` is the Action.Execute data (inputs merged with the card's data). An input
 * the card withheld because its value was too long for Teams is listed in
 * `inputs.keep`: its value is taken from `previous` (the stored record) so nothing
 * is lost. Returns unvalidated values: pass them to `validateSubmission`.
 */
export function valuesFromCardInputs(
  template: RecordTemplate,
  inputs: Record<string, unknown>,
  actionRowCount: number,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  const keep = expandKeep(inputs.keep);
  const read = (id: string, fallback: unknown): string | undefined => (keep.has(id) && !(id in inputs) ? asString(fallback) : asString(inputs[id]));
  const out: Record<string, unknown> = {};
  const rows = Math.max(0, Math.min(MAX_ACTION_ROWS, Math.floor(Number.isFinite(actionRowCount) ? actionRowCount : 0)));
  for (const field of editableFields(template)) {
    if (field.type === 'actions') {
      const before = actionRowsOf(previous, field.id);
      const list: Record<string, string>[] = [];
      for (let i = 0; i < rows; i++) {
        const prev = before[i] ?? {};
        const id = (part: ActionPart) => actionInputId(template, field.id, i, part);
        const row: Record<string, string> = {};
        const text = read(id('text'), prev.text);
        const owner = read(id('owner'), prev.ownerRole ?? prev.ownerId);
        const due = read(id('due'), prev.dueOn);
        const outcome = read(id('outcome'), prev.outcomeForChild);
        if (!blank(text)) row.text = text!;
        if (!blank(owner)) {
          if (owner === 'supervisor' || owner === 'supervisee') row.ownerRole = owner;
          else row.ownerId = owner!;
        }
        if (!blank(due)) row.dueOn = due!;
        if (!blank(outcome)) row.outcomeForChild = outcome!;
        list.push(row);
      }
      if (list.length) out[field.id] = list;
      continue;
    }
    if (field.type === 'datetime') {
      const prev = asString(previous[field.id]);
      const date = read(field.id, prev?.slice(0, 10));
      const time = read(timeInputId(field.id), prev?.slice(11, 16));
      if (!blank(date) || !blank(time)) out[field.id] = `${date?.trim() ?? ''}T${time?.trim() ?? ''}`;
      continue;
    }
    const v = read(field.id, previous[field.id]);
    if (v !== undefined) out[field.id] = v;
  }
  return out;
}
