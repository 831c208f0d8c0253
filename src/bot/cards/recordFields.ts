/**
 * The record card's half of the field-type registry: for each field type, the
 * form inputs it becomes, how its answer is read back from the card's flat
 * Input.* values, how it reads on the countersign card, and which of its
 * answers may be withheld when the card is too big for Teams. Typed by the
 * template schema's list of types (as domain/records/fieldTypes.ts is), so a
 * type added there without a card handler here fails typecheck.
 */
import { ChoiceSetInput, Column, ColumnSet, Container, DateInput, TextInput, TimeInput, type TextBlockOptions } from '@microsoft/teams.cards';
import type { RecordTemplate, TemplateField } from '../../domain/policy/schema';
import {
  ACTION_OUTCOME_MAX,
  ACTION_TEXT_MAX,
  type ActionPart,
  type DisplayContext,
  type DraftActionRow,
  type FieldTypeName,
  MAX_ACTION_ROWS,
  actionOwnerWords,
  actionRowsOf,
  asksOutcomeForChild,
  blank,
  choicesOf,
  displayAnswer,
  maxLengthOf,
} from '../../domain/records/fieldTypes';
import type { FieldProblem, RecordFormView } from '../../ports/messages';
import { dayWithYear as displayDate, dayTimeWithYear as displayDateTime, localDay as localDate } from './dates';
import { type CardElement, para, plainText } from './common';
import { actionInputId, expandKeep, problemInputId, timeInputId } from './recordInputIds';

// ---------- small helpers shared by the record cards ----------

/** Shortens read-only text to `max` characters, ending "…". */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

export const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? v : String(v));
export const joinNames = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);
export const subtle = (text: string, extra: TextBlockOptions = {}) => para(text, { isSubtle: true, size: 'Small', ...extra });
export const label = (text: string) => para(text, { weight: 'Bolder', spacing: 'Medium' });
export const attention = (text: string) => para(text, { color: 'Attention', size: 'Small', spacing: 'None' });

/** The problems listed beside the given inputs. */
export function fieldErrorBlocks(template: RecordTemplate, ids: string[], errors: FieldProblem[] | undefined): CardElement[] {
  return (errors ?? []).filter((e) => {
    const id = problemInputId(template, e);
    return id !== undefined && ids.includes(id);
  }).map((e) => attention(plainText(truncate(e.message, 300))));
}

export function withheldNote(length: number) {
  return subtle(`Too long to edit in Teams chat (${length} characters): kept as written; edit it in Protected Time.`, { color: 'Warning' });
}

// ---------- what a field handler is given ----------

/** How the form is being drawn this time (it is redrawn smaller when it would not fit). */
export interface FormRender {
  /** Input ids whose answers are too long for the card: kept as written, edited in the tab. */
  withheld: Set<string>;
  values: Record<string, unknown>;
  /** How many open actions from last time are listed (fewer if the card would not fit). */
  openActionsShown: number;
}

export interface FormContext {
  view: RecordFormView;
  render: FormRender;
  zone: string;
}

/** A field on the countersign card: a row of the facts table, or blocks of its own. */
export type ReadOnlyPiece = { fact: string } | { blocks: CardElement[] } | undefined;

export interface ReadOnlyContext extends DisplayContext {
  /** The longest text shown for one answer (smaller when the card would not fit). */
  cap: number;
  /** Shortens text to at most `max` (default `cap`), noting that something was shortened. */
  short: (text: string, max?: number) => string;
}

/** Reads one input's value: a withheld input (not on the card) keeps its stored answer. */
export type InputReader = (inputId: string, stored: unknown) => string | undefined;

export interface CardFieldHandler {
  /** The form's elements for this field. */
  input(field: TemplateField, ctx: FormContext): CardElement[];
  /** The answer from the card's inputs (undefined: not on the card). */
  read(field: TemplateField, read: InputReader, previous: Record<string, unknown>, rows: number, template: RecordTemplate): unknown;
  /** How the answer reads on the countersign card. */
  view(field: TemplateField, value: unknown, ctx: ReadOnlyContext): ReadOnlyPiece;
  /** Answers that could be withheld to fit the card: input id and JSON size. */
  withholdable(field: TemplateField, values: Record<string, unknown>, rows: number, template: RecordTemplate): { id: string; length: number }[];
}

// ---------- prefilled values ----------

/** The value a prefilled field starts with. */
export function prefillValue(field: TemplateField, view: RecordFormView, zone: string): string | undefined {
  switch (field.prefill) {
    case 'supervisee-name':
      return joinNames(view.superviseeNames);
    case 'supervisor-name':
      return view.supervisorName;
    case 'session-date':
      return field.type === 'date' ? localDate(view.sessionStart, zone) : displayDate(view.sessionStart, zone);
    case 'job-title':
      return view.jobTitle;
    case 'next-session':
      return view.nextSession ? (field.type === 'date' ? localDate(view.nextSession, zone) : displayDateTime(view.nextSession, zone)) : undefined;
    case 'open-actions':
      return view.openActions.length ? view.openActions.map((a) => `• ${a.text} (${a.ownerName}, due ${displayDate(a.dueOn, zone)})`).join('\n') : undefined;
    default:
      return undefined;
  }
}

/** The value an input starts with: the stored (or typed) answer whole, else the prefill fitted to the field. */
function startValue(field: TemplateField, ctx: FormContext): string | undefined {
  const stored = field.id in ctx.render.values;
  if (stored) return str(ctx.render.values[field.id]);
  const prefilled = prefillValue(field, ctx.view, ctx.zone);
  const max = maxLengthOf(field);
  return prefilled !== undefined && max !== undefined ? truncate(prefilled, max) : prefilled;
}

/** What every input of a field has: its id, label and the required rule. */
function inputBasics(field: TemplateField, ctx: FormContext) {
  const client = Boolean(ctx.view.clientValidation);
  const label = field.required && !client ? `${field.label} (required)` : field.label;
  const required = !field.required ? {} : client ? { isRequired: true, errorMessage: `${field.label} is required` } : { errorMessage: `${field.label} is required` };
  return { id: field.id, label, ...required };
}

const helpOf = (field: TemplateField) => (field.help ? [subtle(field.help)] : []);
const errs = (field: TemplateField, ctx: FormContext, ids: string[]) => fieldErrorBlocks(ctx.view.template, ids, ctx.view.errors);

// ---------- the handlers ----------

const textHandler: CardFieldHandler = {
  input(field, ctx) {
    const value = startValue(field, ctx);
    if (ctx.render.withheld.has(field.id)) return [label(field.label), withheldNote(value?.length ?? 0), ...errs(field, ctx, [field.id])];
    return [
      ...helpOf(field),
      new TextInput({ ...inputBasics(field, ctx), ...(field.type === 'multiline' ? { isMultiline: true } : {}), maxLength: maxLengthOf(field), ...(value !== undefined ? { value } : {}) }),
      ...errs(field, ctx, [field.id]),
    ];
  },
  read: (field, read, previous) => read(field.id, previous[field.id]),
  view(field, value, ctx) {
    const v = str(value);
    if (v === undefined) return undefined;
    return field.type === 'multiline' ? { blocks: [label(field.label), para(ctx.short(v))] } : { fact: ctx.short(v, Math.min(ctx.cap, 500)) };
  },
  withholdable(field, values) {
    const v = str(values[field.id]);
    return v ? [{ id: field.id, length: Buffer.byteLength(JSON.stringify(v)) }] : [];
  },
};

/** Date, date and time, choice, yes/no: one value, read as words on the countersign card. */
const scalarView: CardFieldHandler['view'] = (field, value, ctx) => (str(value) === undefined ? undefined : { fact: ctx.short(displayAnswer(field, str(value), ctx), Math.min(ctx.cap, 500)) });
const scalarRead: CardFieldHandler['read'] = (field, read, previous) => read(field.id, previous[field.id]);
const nothingWithheld: CardFieldHandler['withholdable'] = () => [];

const choiceHandler: CardFieldHandler = {
  input(field, ctx) {
    const value = startValue(field, ctx);
    const choices = choicesOf(field).map((c) => ({ title: c.title, value: c.value }));
    return [
      ...helpOf(field),
      new ChoiceSetInput(...choices).withOptions({
        ...inputBasics(field, ctx),
        style: field.type === 'yesno' ? 'expanded' : 'compact',
        ...(value ? { value } : {}),
        ...(field.type === 'choice' ? { placeholder: 'Choose…' } : {}),
      }),
      ...errs(field, ctx, [field.id]),
    ];
  },
  read: scalarRead,
  view: scalarView,
  withholdable: nothingWithheld,
};

const MAX_OPEN_ACTIONS_SHOWN = 10;
export { MAX_OPEN_ACTIONS_SHOWN };

export function clampRows(n: number): number {
  return Math.max(0, Math.min(MAX_ACTION_ROWS, Math.floor(Number.isFinite(n) ? n : 0)));
}

function actionRowsBlock(field: TemplateField, ctx: FormContext): CardElement[] {
  const { view, render: r } = ctx;
  const rows = clampRows(view.actionRows);
  const existing = actionRowsOf(r.values, field.id);
  const outcome = asksOutcomeForChild(field);
  // Names help people pick; short, because they repeat on every row.
  const ownerChoices = [
    { title: truncate(view.supervisorName, 40) || 'Supervisor', value: 'supervisor' },
    { title: view.superviseeNames.length === 1 ? truncate(view.superviseeNames[0]!, 40) : 'Each supervisee', value: 'supervisee' },
  ];
  const out: CardElement[] = [label(field.label)];
  if (field.help) out.push(subtle(field.help));
  if (rows === 0) out.push(subtle('No actions yet. Use "Add action" to agree one.'));
  for (let i = 0; i < rows; i++) {
    const row: DraftActionRow = existing[i] ?? {};
    const id = (part: ActionPart) => actionInputId(view.template, field.id, i, part);
    const owner = row.ownerRole ?? row.ownerId;
    const textBlock: CardElement[] = r.withheld.has(id('text'))
      ? [para(`Action ${i + 1}`, { weight: 'Bolder', size: 'Small' }), withheldNote(row.text?.length ?? 0)]
      : [new TextInput({ id: id('text'), label: `Action ${i + 1}: what will be done`, isMultiline: true, maxLength: ACTION_TEXT_MAX, ...(row.text ? { value: row.text } : {}) })];
    const outcomeBlock: CardElement[] = !outcome
      ? []
      : r.withheld.has(id('outcome'))
        ? [withheldNote(row.outcomeForChild?.length ?? 0)]
        : [new TextInput({ id: id('outcome'), label: 'Outcome for the child', isMultiline: true, maxLength: ACTION_OUTCOME_MAX, ...(row.outcomeForChild ? { value: row.outcomeForChild } : {}) })];
    out.push(
      new Container(
        ...textBlock,
        new ColumnSet().withColumns(
          new Column(new ChoiceSetInput(...ownerChoices).withOptions({ id: id('owner'), label: 'Who', ...(owner === 'supervisor' || owner === 'supervisee' ? { value: owner } : {}) })),
          new Column(new DateInput({ id: id('due'), label: 'By when', ...(row.dueOn ? { value: row.dueOn } : {}) })),
        ),
        ...outcomeBlock,
        ...fieldErrorBlocks(view.template, (['text', 'owner', 'due', 'outcome'] as const).map(id), view.errors),
      ).withSeparator(true),
    );
  }
  out.push(...fieldErrorBlocks(view.template, [field.id], view.errors));
  return out;
}

/** Display-only fields: the label, and what the app knows (last time's open actions, the next session). */
function infoField(field: TemplateField, ctx: FormContext): CardElement[] {
  const { view, render: r, zone } = ctx;
  const out: CardElement[] = [label(field.label)];
  if (field.help) out.push(subtle(field.help));
  if (field.prefill === 'open-actions') {
    if (!view.openActions.length) out.push(subtle('No open actions.'));
    const shown = view.openActions.slice(0, r.openActionsShown);
    for (const a of shown) out.push(para(`• ${plainText(truncate(a.text, 200))} (${plainText(truncate(a.ownerName, 40))}, due ${displayDate(a.dueOn, zone)})`, { spacing: 'Small' }));
    if (view.openActions.length > shown.length) out.push(subtle(`…and ${view.openActions.length - shown.length} more in Protected Time.`));
  } else if (field.prefill === 'next-session') {
    out.push(para(view.nextSession ? displayDateTime(view.nextSession, zone) : 'Not booked yet.'));
  } else if (field.prefill) {
    const v = prefillValue(field, view, zone);
    if (v) out.push(para(plainText(truncate(v, 1000))));
  }
  return out;
}

export const CARD_FIELDS: { readonly [K in FieldTypeName]: CardFieldHandler } = {
  text: textHandler,
  multiline: textHandler,
  date: {
    input(field, ctx) {
      const value = startValue(field, ctx);
      return [...helpOf(field), new DateInput({ ...inputBasics(field, ctx), ...(value ? { value } : {}) }), ...errs(field, ctx, [field.id])];
    },
    read: scalarRead,
    view: scalarView,
    withholdable: nothingWithheld,
  },
  datetime: {
    // A date input (the field's id) and a time input beside it.
    input(field, ctx) {
      const value = startValue(field, ctx);
      const [d, t] = value ? [value.slice(0, 10), value.slice(11, 16)] : [undefined, undefined];
      return [
        ...helpOf(field),
        new ColumnSet().withColumns(
          new Column(new DateInput({ ...inputBasics(field, ctx), ...(d ? { value: d } : {}) })).withWidth('stretch'),
          new Column(new TimeInput({ id: timeInputId(field.id), label: 'Time', ...(t ? { value: t } : {}) })).withWidth('stretch'),
        ),
        ...errs(field, ctx, [field.id, timeInputId(field.id)]),
      ];
    },
    read(field, read, previous) {
      const prev = str(previous[field.id]);
      const date = read(field.id, prev?.slice(0, 10));
      const time = read(timeInputId(field.id), prev?.slice(11, 16));
      return !blank(date) || !blank(time) ? `${date?.trim() ?? ''}T${time?.trim() ?? ''}` : undefined;
    },
    view: scalarView,
    withholdable: nothingWithheld,
  },
  choice: choiceHandler,
  yesno: choiceHandler,
  actions: {
    input: actionRowsBlock,
    read(field, read, previous, rows, template) {
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
      return list.length ? list : undefined;
    },
    view(field, value, ctx) {
      const rows = actionRowsOf({ [field.id]: value }, field.id);
      const blocks: CardElement[] = [label(field.label)];
      if (!rows.length) blocks.push(subtle('None agreed.'));
      rows.forEach((row, i) => {
        blocks.push(para(`${i + 1}. ${ctx.short(row.text ?? '', Math.min(ctx.cap, ACTION_TEXT_MAX))}`, { spacing: 'Small' }));
        blocks.push(subtle(`${actionOwnerWords(row, ctx)} · by ${row.dueOn ? displayDate(row.dueOn, ctx.zone) : 'no date yet'}`, { spacing: 'None' }));
        if (row.outcomeForChild) blocks.push(subtle(`Outcome for the child: ${ctx.short(row.outcomeForChild, Math.min(ctx.cap, ACTION_OUTCOME_MAX))}`, { spacing: 'None' }));
      });
      return { blocks };
    },
    withholdable(field, values, rows, template) {
      const out: { id: string; length: number }[] = [];
      actionRowsOf(values, field.id)
        .slice(0, rows)
        .forEach((row, i) => {
          if (row.text) out.push({ id: actionInputId(template, field.id, i, 'text'), length: Buffer.byteLength(JSON.stringify(row.text)) });
          if (row.outcomeForChild && asksOutcomeForChild(field)) out.push({ id: actionInputId(template, field.id, i, 'outcome'), length: Buffer.byteLength(JSON.stringify(row.outcomeForChild)) });
        });
      return out;
    },
  },
  info: {
    input: infoField,
    read: () => undefined,
    view: () => undefined,
    withholdable: nothingWithheld,
  },
};

const asString = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v));

/**
 * Structured values from the flat Input.* values of a record form card.
 *
 * `inputs` is the Action.Execute data (inputs merged with the card's data). An input
 * the card withheld because its value was too long for Teams is listed in
 * `inputs.keep`: its value is taken from `previous` (the stored record) so nothing
 * is lost. Returns unvalidated values: the use case validates them.
 */
export function valuesFromCardInputs(template: RecordTemplate, inputs: Record<string, unknown>, actionRowCount: number, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const keep = expandKeep(inputs.keep);
  const read: InputReader = (id, fallback) => (keep.has(id) && !(id in inputs) ? asString(fallback) : asString(inputs[id]));
  const rows = clampRows(actionRowCount);
  const out: Record<string, unknown> = {};
  for (const field of template.fields) {
    const v = CARD_FIELDS[field.type].read(field, read, previous, rows, template);
    if (v !== undefined) out[field.id] = v;
  }
  return out;
}
