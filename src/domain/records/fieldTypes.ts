/**
 * The record field types, one handler each (pure): the rule an answer must
 * follow, how an answer reads as words, and a plausible answer for previews.
 * `FIELD_TYPES` is typed by the template schema's own list of types, so a new
 * type in the schema without a handler here fails typecheck (and so does the
 * card codec's registry in bot/cards/recordFields.ts): no type renders nothing
 * silently. Validation, the countersign card, the signed copy, the subject
 * access export and the tab's record page all read answers through it.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { TemplateField } from '../policy/schema';

export type FieldTypeName = TemplateField['type'];
export type SubmissionMode = 'draft' | 'submit';

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

/** The parts of one action row. */
export type ActionPart = 'text' | 'owner' | 'due' | 'outcome';

export const MAX_ACTION_ROWS = 20;
export const ACTION_TEXT_MAX = 500;
export const ACTION_OUTCOME_MAX = 500;
export const DEFAULT_TEXT_MAX = 200;
export const DEFAULT_MULTILINE_MAX = 4000;

/** What an answer reads as: dates in the policy's zone, people by name. */
export interface DisplayContext {
  zone: string;
  /** Person id → display name. */
  names?: Record<string, string>;
  supervisorName?: string;
  superviseeNames?: string[];
}

export interface FieldTypeHandler {
  /** Whether a person fills it in (display-only fields are never stored from a submission). */
  editable: boolean;
  /** The zod rule for one answer: the cleaned value, undefined when unanswered. */
  schema(field: TemplateField, mode: SubmissionMode): z.ZodType<unknown>;
  /** The answer as words ('' when unanswered). */
  display(field: TemplateField, value: unknown, ctx: DisplayContext): string;
  /** A plausible answer, for previews (`pt card`). */
  sample(field: TemplateField, sessionDate: string): unknown;
}

// ---------- helpers ----------

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

export function isRealDate(s: string): boolean {
  return DATE_RE.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;
}

function isRealDateTime(s: string): boolean {
  return DATETIME_RE.test(s) && DateTime.fromISO(s, { setZone: true }).isValid;
}

/** Blank strings count as "not answered". */
export function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** The maximum length of a text field (its own, or the default for its type). */
export function maxLengthOf(field: TemplateField): number | undefined {
  if (field.type === 'text') return field.maxLength ?? DEFAULT_TEXT_MAX;
  if (field.type === 'multiline') return field.maxLength ?? DEFAULT_MULTILINE_MAX;
  return undefined;
}

/** Whether an action's label asks for the outcome for the child (Lingfield's form does). */
export function asksOutcomeForChild(field: TemplateField): boolean {
  return /outcome[^.]*child/i.test(field.label);
}

/** The action rows in a record's values for one actions field (whatever their state). */
export function actionRowsOf(values: Record<string, unknown>, fieldId: string): DraftActionRow[] {
  const v = values[fieldId];
  return Array.isArray(v) ? v.filter((r): r is DraftActionRow => r !== null && typeof r === 'object') : [];
}

/** An instant (with Z or an offset) shown in `zone`; a date or wall-clock time ("2026-11-23T14:30") taken as already in it. */
function zoned(iso: string, zone: string): DateTime {
  const instant = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) && iso.includes('T');
  const dt = instant ? DateTime.fromISO(iso, { setZone: true }).setZone(zone) : DateTime.fromISO(iso, { zone });
  return dt.setLocale('en-GB');
}

/** "Mon 23 Nov 2026" (or the input unchanged if it is not a date). */
export function displayDate(iso: string, zone: string): string {
  const dt = zoned(iso, zone);
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy') : iso;
}

/** "Mon 23 Nov 2026, 10:00". */
export function displayDateTime(iso: string, zone: string): string {
  const dt = zoned(iso, zone);
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy, HH:mm') : iso;
}

/** The date an instant falls on in `zone` (YYYY-MM-DD). */
export function localDate(iso: string, zone: string): string {
  const dt = zoned(iso, zone);
  return dt.isValid ? dt.toISODate()! : iso;
}

const joinNames = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/** Who an action row belongs to, in words. */
export function actionOwnerWords(row: DraftActionRow, ctx: DisplayContext): string {
  if (row.ownerRole === 'supervisor') return ctx.supervisorName ?? 'the supervisor';
  if (row.ownerRole === 'supervisee') return ctx.superviseeNames?.length ? joinNames(ctx.superviseeNames) : 'the supervisee';
  if (row.ownerId) return ctx.names?.[row.ownerId] ?? 'Someone else';
  return 'No owner yet';
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v));

type Ctx = z.RefinementCtx;
const issue = (ctx: Ctx, path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', message, path });

/**
 * One scalar answer: blank is unanswered (an issue on submit when required),
 * anything else must be text, which `check` cleans or refuses with a message.
 */
function scalar(field: TemplateField, mode: SubmissionMode, check: (s: string) => { value: string } | { error: string }, coerce?: (v: unknown) => unknown) {
  const required = field.required && mode === 'submit';
  return z.unknown().transform((raw, ctx) => {
    const v = coerce ? coerce(raw) : raw;
    if (blank(v)) {
      if (required) issue(ctx, [], `${field.label} is required`);
      return undefined;
    }
    if (typeof v !== 'string') {
      issue(ctx, [], `${field.label} must be text`);
      return z.NEVER;
    }
    const checked = check(v.trim());
    if ('error' in checked) {
      issue(ctx, [], checked.error);
      return z.NEVER;
    }
    return checked.value;
  });
}

function textSchema(field: TemplateField, mode: SubmissionMode) {
  const max = maxLengthOf(field)!;
  return scalar(field, mode, (s) => (s.length > max ? { error: `${field.label} is too long (${s.length} characters; at most ${max})` } : { value: s }));
}

function actionsSchema(field: TemplateField, mode: SubmissionMode) {
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
      const text = (v: unknown, part: ActionPart, what: string): string | undefined => {
        if (blank(v)) return undefined;
        if (typeof v !== 'string') {
          fail(part, `Action ${n}: ${what} must be text`);
          return undefined;
        }
        return v.trim();
      };
      const said = text(r.text, 'text', 'what will be done');
      if (said === undefined) {
        if (mode === 'submit') fail('text', `Action ${n} needs to say what will be done`);
      } else if (said.length > ACTION_TEXT_MAX) fail('text', `Action ${n} is too long (${said.length} characters; at most ${ACTION_TEXT_MAX})`);
      else cleaned.text = said;

      if (!blank(r.ownerRole)) {
        if (r.ownerRole === 'supervisor' || r.ownerRole === 'supervisee') cleaned.ownerRole = r.ownerRole;
        else fail('owner', `Action ${n}: the owner must be the supervisor or the supervisee`);
      } else {
        const owner = text(r.ownerId ?? r.owner, 'owner', 'the owner');
        if (owner === 'supervisor' || owner === 'supervisee') cleaned.ownerRole = owner;
        else if (owner !== undefined) cleaned.ownerId = owner;
        else if (mode === 'submit') fail('owner', `Action ${n} needs an owner`);
      }

      const due = text(r.dueOn, 'due', 'the due date');
      if (due === undefined) {
        if (mode === 'submit') fail('due', `Action ${n} needs a due date`);
      } else if (!isRealDate(due)) fail('due', `Action ${n}: the due date must be a real date`);
      else cleaned.dueOn = due;

      const outcome = text(r.outcomeForChild, 'outcome', 'the outcome for the child');
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

const YES_NO = [
  { value: 'yes', title: 'Yes' },
  { value: 'no', title: 'No' },
];

/** The choices a person picks from (yes/no has its own two). */
export function choicesOf(field: TemplateField): { value: string; title: string }[] {
  return field.type === 'yesno' ? YES_NO : (field.choices ?? []);
}

const choiceTitle = (field: TemplateField, value: unknown) => {
  const v = value === true ? 'yes' : value === false ? 'no' : str(value);
  return choicesOf(field).find((c) => c.value === v)?.title ?? v;
};

// ---------- the registry ----------

export const FIELD_TYPES: { readonly [K in FieldTypeName]: FieldTypeHandler } = {
  text: {
    editable: true,
    schema: textSchema,
    display: (_f, v) => str(v),
    sample: (f) => `Sample ${f.label.toLowerCase()}`.slice(0, f.maxLength ?? DEFAULT_TEXT_MAX),
  },
  multiline: {
    editable: true,
    schema: textSchema,
    display: (_f, v) => str(v),
    sample: (f) => `Sample answer for "${f.label}".`,
  },
  date: {
    editable: true,
    schema: (f, mode) => scalar(f, mode, (s) => (isRealDate(s) ? { value: s } : { error: `${f.label} must be a real date` })),
    display: (_f, v, ctx) => (blank(v) ? '' : displayDate(str(v), ctx.zone)),
    sample: (_f, day) => day,
  },
  datetime: {
    editable: true,
    schema: (f, mode) => scalar(f, mode, (s) => (isRealDateTime(s) ? { value: s } : { error: `${f.label} must be a real date and time` })),
    display: (_f, v, ctx) => (blank(v) ? '' : displayDateTime(str(v), ctx.zone)),
    sample: (_f, day) => `${day}T10:00`,
  },
  choice: {
    editable: true,
    schema: (f, mode) =>
      scalar(f, mode, (s) => (choicesOf(f).some((c) => c.value === s) ? { value: s } : { error: `${f.label} must be one of: ${choicesOf(f).map((c) => c.title).join(', ')}` })),
    display: (f, v) => (blank(v) ? '' : choiceTitle(f, v)),
    sample: (f) => f.choices?.[0]?.value,
  },
  yesno: {
    editable: true,
    schema: (f, mode) => scalar(f, mode, (s) => (s === 'yes' || s === 'no' ? { value: s } : { error: `${f.label} must be yes or no` }), (v) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : v)),
    display: (f, v) => (blank(v) ? '' : choiceTitle(f, v)),
    sample: () => 'yes',
  },
  actions: {
    editable: true,
    schema: actionsSchema,
    // One action per line: what, who, by when (and the outcome for the child where the form asks it).
    display: (f, v, ctx) =>
      actionRowsOf({ [f.id]: v }, f.id)
        .map((r, i) =>
          [`${i + 1}. ${r.text ?? ''}`, actionOwnerWords(r, ctx), r.dueOn ? `by ${displayDate(r.dueOn, ctx.zone)}` : 'no date yet', r.outcomeForChild ? `outcome for the child: ${r.outcomeForChild}` : '']
            .filter(Boolean)
            .join(', '),
        )
        .join('\n'),
    sample: (f, day) => [
      { text: 'Sample action for the supervisee', ownerRole: 'supervisee', dueOn: day, ...(asksOutcomeForChild(f) ? { outcomeForChild: 'Sample outcome for the child' } : {}) },
      { text: 'Sample action for the supervisor', ownerRole: 'supervisor', dueOn: day },
    ],
  },
  info: {
    editable: false,
    schema: () => z.unknown().transform(() => undefined),
    display: () => '',
    sample: () => undefined,
  },
};

/** One answer as words, through its type's handler. */
export function displayAnswer(field: TemplateField, value: unknown, ctx: DisplayContext): string {
  return FIELD_TYPES[field.type].display(field, value, ctx);
}
