/**
 * Supervision record cards (Adaptive Cards 1.5, Universal Actions).
 *
 * - recordFormCard: the recorder's form, their organisation's template, prefilled.
 * - countersignCard: the other party's read-only view with countersign / ask for
 *   changes / record disagreement.
 * - recordSummaryCard, signedCopyCard, disagreementNoticeCard: no case detail at all;
 *   they replace the working cards in chat and point into the tab.
 * - actionItemCard: one agreed action for its owner, with "Mark done".
 *
 * Every card fits Teams' message limit: read-only text is shortened with "…";
 * inputs are never shortened. An answer too long to fit as an input is withheld
 * from the form (listed in the actions' `keep` so the server keeps it as written)
 * and the card says to edit it in the tab.
 */
import { DateTime } from 'luxon';
import type { SupervisionRecord } from '../../domain/model';
import type { RecordTemplate, TemplateField } from '../../domain/policy/schema';
import {
  ACTION_OUTCOME_MAX,
  ACTION_TEXT_MAX,
  type ActionPart,
  type DraftActionRow,
  MAX_ACTION_ROWS,
  actionInputId,
  actionRowsOf,
  asksOutcomeForChild,
  encodeKeep,
  maxLengthOf,
  timeInputId,
} from '../../domain/records/validation';
import { CHANGE_REQUEST_KEY, changeRequestOf } from '../../domain/records/workflow';
import type { AdaptiveCard } from '../../ports/notifier';
import { plainText, card, facts, heading, openUrl, para } from './common';

/** Teams refuses messages over ~28 KB; the card keeps 1 KB back for the activity around it. */
export const CARD_BYTE_BUDGET = 27 * 1024;
export const DEFAULT_TIME_ZONE = 'Europe/London';

export const RECORD_VERBS = {
  save: 'record.save',
  submit: 'record.submit',
  addAction: 'record.addAction',
  removeAction: 'record.removeAction',
  refresh: 'record.refresh',
  countersign: 'record.countersign',
  requestChanges: 'record.requestChanges',
  disagree: 'record.disagree',
  /** Switch to another of the policy's record forms (Lingfield's two forms). */
  useForm: 'record.useForm',
  actionDone: 'action.done',
} as const;

/** The id of the comment input on the countersign card. */
export const COMMENT_INPUT_ID = 'comment';

/** Notification (activity summary) text for each card: never case detail. */
export const RECORD_CARD_SUMMARIES = {
  form: 'Your supervision record is ready to write',
  countersign: 'A supervision record is waiting for your countersignature',
  changesRequested: 'Changes were asked for on a supervision record',
  summary: 'Supervision record updated',
  signedCopy: 'Your signed supervision record is ready',
  disagreement: 'A supervision record has a recorded disagreement',
  action: 'You have an action from supervision',
} as const;

export interface OpenActionView {
  id: string;
  text: string;
  /** YYYY-MM-DD */
  dueOn: string;
  ownerName: string;
}

export interface CardError {
  fieldId?: string;
  message: string;
}

interface RecordCardBase {
  template: RecordTemplate;
  record: SupervisionRecord;
  supervisorName: string;
  superviseeNames: string[];
  /** ISO instant of the session's start. */
  sessionStart: string;
  /** Entra object ids of the people whose view the card refreshes to (Universal Actions). */
  userIds: string[];
  /** The policy's time zone, for dates shown (default Europe/London). */
  timeZone?: string;
  /** The tab's records page. */
  tabUrl?: string;
  errors?: CardError[];
  notice?: string;
}

export interface RecordFormCardInput extends RecordCardBase {
  jobTitle?: string;
  openActions: OpenActionView[];
  /** ISO instant of the next session, if booked (or words to show as they are). */
  nextSession?: string;
  /** How many action rows to show (0–20). */
  actionRows: number;
  /** What the person typed, when re-showing the form (after an error, a row added); default record.values. */
  values?: Record<string, unknown>;
  /** false: submitting signs and locks (no countersignature in this policy). Default true. */
  countersign?: boolean;
  /**
   * Mark required inputs isRequired so Teams checks them before sending. Off by
   * default: Teams checks every input on every button, so "Save draft" would be
   * refused until all required answers were filled. The server checks on submit.
   */
  clientValidation?: boolean;
}

export interface CountersignCardInput extends RecordCardBase {
  authorName?: string;
  /** Person id → display name, for who has signed so far (group supervision). */
  names?: Record<string, string>;
  /** Who a disagreement notifies, in words ("your line manager"). */
  escalatesTo?: string;
  /** What the person had typed in the comment box, when re-showing the card. */
  comment?: string;
}

// ---------- small helpers ----------

/** An instant (with Z or an offset) shown in `zone`; a date or wall-clock time ("2026-11-23T14:30") taken as already in it. */
function zoned(iso: string, zone: string): DateTime {
  const instant = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) && iso.includes('T');
  const dt = instant ? DateTime.fromISO(iso, { setZone: true }).setZone(zone) : DateTime.fromISO(iso, { zone });
  return dt.setLocale('en-GB');
}

/** "Mon 23 Nov 2026" (or the input unchanged if it is not a date). */
export function displayDate(iso: string, zone = DEFAULT_TIME_ZONE): string {
  const dt = zoned(iso, zone);
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy') : iso;
}

/** "Mon 23 Nov 2026, 10:00". */
export function displayDateTime(iso: string, zone = DEFAULT_TIME_ZONE): string {
  const dt = zoned(iso, zone);
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy, HH:mm') : iso;
}

function localDate(iso: string, zone: string): string {
  const dt = zoned(iso, zone);
  return dt.isValid ? dt.toISODate()! : iso;
}

/** Shortens read-only text to `max` characters, ending "…". */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

export function cardBytes(c: unknown): number {
  return Buffer.byteLength(JSON.stringify(c));
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? v : String(v));
const joinNames = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);
const subtle = (text: string, extra: Record<string, unknown> = {}) => para(text, { isSubtle: true, size: 'Small', ...extra });
const label = (text: string) => para(text, { weight: 'Bolder', spacing: 'Medium' });
const attention = (text: string) => para(text, { color: 'Attention', size: 'Small', spacing: 'None' });

function execute(title: string, verb: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { type: 'Action.Execute', title, verb, data, ...extra };
}

function refresh(recordId: string, userIds: string[]) {
  return { action: { type: 'Action.Execute', verb: RECORD_VERBS.refresh, data: { recordId } }, userIds: [...new Set(userIds)] };
}

function withRefresh(c: AdaptiveCard, recordId: string, userIds: string[]): AdaptiveCard {
  return { ...c, refresh: refresh(recordId, userIds) };
}

const MAX_ERRORS_LISTED = 8;

function errorContainer(errors: CardError[] | undefined) {
  if (!errors?.length) return [];
  return [
    {
      type: 'Container',
      style: 'attention',
      items: [
        para('Please check:', { weight: 'Bolder', color: 'Attention' }),
        ...errors.slice(0, MAX_ERRORS_LISTED).map((e) => para(`• ${plainText(truncate(e.message, 300))}`, { color: 'Attention', spacing: 'None' })),
        ...(errors.length > MAX_ERRORS_LISTED ? [para(`…and ${errors.length - MAX_ERRORS_LISTED} more, marked below.`, { color: 'Attention', spacing: 'None' })] : []),
      ],
    },
  ];
}

function noticeContainer(notice: string | undefined) {
  return notice ? [{ type: 'Container', style: 'emphasis', items: [para(plainText(truncate(notice, 1000)))] }] : [];
}

function sessionLine(input: RecordCardBase, zone: string) {
  return subtle(`Supervision on ${displayDateTime(input.sessionStart, zone)}: ${input.supervisorName} with ${joinNames(input.superviseeNames)}`);
}

function choiceTitle(field: TemplateField, value: string): string {
  if (field.type === 'yesno') return value === 'yes' ? 'Yes' : value === 'no' ? 'No' : value;
  return field.choices?.find((c) => c.value === value)?.title ?? value;
}

// ---------- the form ----------

/** The value a prefilled field starts with. */
function prefillValue(field: TemplateField, input: RecordFormCardInput, zone: string): string | undefined {
  switch (field.prefill) {
    case 'supervisee-name':
      return joinNames(input.superviseeNames);
    case 'supervisor-name':
      return input.supervisorName;
    case 'session-date':
      return field.type === 'date' ? localDate(input.sessionStart, zone) : displayDate(input.sessionStart, zone);
    case 'job-title':
      return input.jobTitle;
    case 'next-session':
      return input.nextSession ? (field.type === 'date' ? localDate(input.nextSession, zone) : displayDateTime(input.nextSession, zone)) : undefined;
    case 'open-actions':
      return input.openActions.length ? input.openActions.map((a) => `• ${a.text} (${a.ownerName}, due ${displayDate(a.dueOn, zone)})`).join('\n') : undefined;
    default:
      return undefined;
  }
}

const MAX_OPEN_ACTIONS_SHOWN = 10;

function infoField(field: TemplateField, input: RecordFormCardInput, r: FormRender, zone: string): unknown[] {
  const out: unknown[] = [label(field.label)];
  if (field.help) out.push(subtle(field.help));
  if (field.prefill === 'open-actions') {
    if (!input.openActions.length) out.push(subtle('No open actions.'));
    const shown = input.openActions.slice(0, r.openActionsShown);
    for (const a of shown) out.push(para(`• ${plainText(truncate(a.text, 200))} (${plainText(truncate(a.ownerName, 40))}, due ${displayDate(a.dueOn, zone)})`, { spacing: 'Small' }));
    if (input.openActions.length > shown.length) out.push(subtle(`…and ${input.openActions.length - shown.length} more in Protected Time.`));
  } else if (field.prefill === 'next-session') {
    out.push(para(input.nextSession ? displayDateTime(input.nextSession, zone) : 'Not booked yet.'));
  } else if (field.prefill) {
    const v = prefillValue(field, input, zone);
    if (v) out.push(para(plainText(truncate(v, 1000))));
  }
  return out;
}

interface FormRender {
  withheld: Set<string>;
  values: Record<string, unknown>;
  /** How many open actions from last time are listed (fewer if the card would not fit). */
  openActionsShown: number;
}

function withheldNote(length: number) {
  return subtle(`Too long to edit in Teams chat (${length} characters): kept as written; edit it in Protected Time.`, { color: 'Warning' });
}

function inputLabel(field: TemplateField, client: boolean): string {
  return field.required && !client ? `${field.label} (required)` : field.label;
}

function required(field: TemplateField, client: boolean) {
  if (!field.required) return {};
  return client ? { isRequired: true, errorMessage: `${field.label} is required` } : { errorMessage: `${field.label} is required` };
}

function fieldErrorBlocks(ids: string[], errors: CardError[] | undefined) {
  return (errors ?? []).filter((e) => e.fieldId && ids.includes(e.fieldId)).map((e) => attention(plainText(truncate(e.message, 300))));
}

function editableField(field: TemplateField, input: RecordFormCardInput, r: FormRender, zone: string): unknown[] {
  const client = Boolean(input.clientValidation);
  const stored = field.id in r.values;
  const max = maxLengthOf(field);
  const prefilled = stored ? undefined : prefillValue(field, input, zone);
  // A stored answer is shown whole; a prefill is the app's own text and is fitted to the field.
  const value = stored ? str(r.values[field.id]) : prefilled !== undefined && max !== undefined ? truncate(prefilled, max) : prefilled;
  const help = field.help ? [subtle(field.help)] : [];
  const errs = (ids: string[]) => fieldErrorBlocks(ids, input.errors);
  const common = { id: field.id, label: inputLabel(field, client), ...required(field, client) };
  switch (field.type) {
    case 'text':
    case 'multiline': {
      if (r.withheld.has(field.id)) return [label(field.label), withheldNote(value?.length ?? 0), ...errs([field.id])];
      return [
        ...help,
        {
          type: 'Input.Text',
          ...common,
          ...(field.type === 'multiline' ? { isMultiline: true } : {}),
          maxLength: max,
          ...(value !== undefined ? { value } : {}),
        },
        ...errs([field.id]),
      ];
    }
    case 'date':
      return [...help, { type: 'Input.Date', ...common, ...(value ? { value } : {}) }, ...errs([field.id])];
    case 'datetime': {
      const [d, t] = value ? [value.slice(0, 10), value.slice(11, 16)] : [undefined, undefined];
      return [
        ...help,
        {
          type: 'ColumnSet',
          columns: [
            { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', ...common, ...(d ? { value: d } : {}) }] },
            { type: 'Column', width: 'stretch', items: [{ type: 'Input.Time', id: timeInputId(field.id), label: 'Time', ...(t ? { value: t } : {}) }] },
          ],
        },
        ...errs([field.id, timeInputId(field.id)]),
      ];
    }
    case 'choice':
    case 'yesno': {
      const choices = field.type === 'yesno' ? [{ title: 'Yes', value: 'yes' }, { title: 'No', value: 'no' }] : (field.choices ?? []).map((c) => ({ title: c.title, value: c.value }));
      return [
        ...help,
        { type: 'Input.ChoiceSet', ...common, style: field.type === 'yesno' ? 'expanded' : 'compact', choices, ...(value ? { value } : {}), ...(field.type === 'choice' ? { placeholder: 'Choose…' } : {}) },
        ...errs([field.id]),
      ];
    }
    case 'actions':
      return actionRowsBlock(field, input, r);
    default:
      return [];
  }
}

function actionRowsBlock(field: TemplateField, input: RecordFormCardInput, r: FormRender): unknown[] {
  const rows = clampRows(input.actionRows);
  const existing = actionRowsOf(r.values, field.id);
  const outcome = asksOutcomeForChild(field);
  // Names help people pick; short, because they repeat on every row.
  const ownerChoices = [
    { title: truncate(input.supervisorName, 40) || 'Supervisor', value: 'supervisor' },
    { title: input.superviseeNames.length === 1 ? truncate(input.superviseeNames[0]!, 40) : 'Each supervisee', value: 'supervisee' },
  ];
  const out: unknown[] = [label(field.label)];
  if (field.help) out.push(subtle(field.help));
  if (rows === 0) out.push(subtle('No actions yet. Use "Add action" to agree one.'));
  for (let i = 0; i < rows; i++) {
    const row: DraftActionRow = existing[i] ?? {};
    const id = (part: ActionPart) => actionInputId(input.template, field.id, i, part);
    const owner = row.ownerRole ?? row.ownerId;
    const textBlock = r.withheld.has(id('text'))
      ? [para(`Action ${i + 1}`, { weight: 'Bolder', size: 'Small' }), withheldNote(row.text?.length ?? 0)]
      : [{ type: 'Input.Text', id: id('text'), label: `Action ${i + 1}: what will be done`, isMultiline: true, maxLength: ACTION_TEXT_MAX, ...(row.text ? { value: row.text } : {}) }];
    const outcomeBlock = !outcome
      ? []
      : r.withheld.has(id('outcome'))
        ? [withheldNote(row.outcomeForChild?.length ?? 0)]
        : [{ type: 'Input.Text', id: id('outcome'), label: 'Outcome for the child', isMultiline: true, maxLength: ACTION_OUTCOME_MAX, ...(row.outcomeForChild ? { value: row.outcomeForChild } : {}) }];
    out.push({
      type: 'Container',
      separator: true,
      items: [
        ...textBlock,
        {
          type: 'ColumnSet',
          columns: [
            { type: 'Column', items: [{ type: 'Input.ChoiceSet', id: id('owner'), label: 'Who', choices: ownerChoices, ...(owner === 'supervisor' || owner === 'supervisee' ? { value: owner } : {}) }] },
            { type: 'Column', items: [{ type: 'Input.Date', id: id('due'), label: 'By when', ...(row.dueOn ? { value: row.dueOn } : {}) }] },
          ],
        },
        ...outcomeBlock,
        ...fieldErrorBlocks((['text', 'owner', 'due', 'outcome'] as const).map(id), input.errors),
      ],
    });
  }
  out.push(...fieldErrorBlocks([field.id], input.errors));
  return out;
}

function clampRows(n: number): number {
  return Math.max(0, Math.min(MAX_ACTION_ROWS, Math.floor(Number.isFinite(n) ? n : 0)));
}

function buildForm(input: RecordFormCardInput, r: FormRender): AdaptiveCard {
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const { template, record } = input;
  const rows = clampRows(input.actionRows);
  const hasActions = template.fields.some((f) => f.type === 'actions');
  const cr = changeRequestOf(record);
  const body: unknown[] = [
    heading(template.name),
    sessionLine(input, zone),
    ...(record.version > 1 ? [subtle(`Amendment: this will be version ${record.version} of the record.`)] : []),
    ...(cr ? [{ type: 'Container', style: 'warning', items: [para('Changes were asked for:', { weight: 'Bolder' }), para(plainText(truncate(cr.comment, 1500)))] }] : []),
    ...noticeContainer(input.notice),
    ...errorContainer(input.errors),
  ];
  for (const field of template.fields) body.push(...(field.type === 'info' ? infoField(field, input, r, zone) : editableField(field, input, r, zone)));
  if (r.withheld.size) body.push(subtle('Some long answers can only be edited in Protected Time; saving here keeps them as they are.', { spacing: 'Medium' }));
  body.push(subtle('Only you and the people in this supervision can see this record.', { spacing: 'Medium' }));

  const data = { recordId: record.id, etag: record.etag, rows, ...(r.withheld.size ? { keep: encodeKeep(r.withheld) } : {}) };
  const countersign = input.countersign ?? true;
  const actions: unknown[] = [
    execute('Save draft', RECORD_VERBS.save, data, { associatedInputs: 'auto' }),
    execute(countersign ? 'Submit for countersignature' : 'Submit and sign', RECORD_VERBS.submit, data, { associatedInputs: 'auto', style: 'positive' }),
  ];
  if (hasActions && rows < MAX_ACTION_ROWS) actions.push(execute('Add action', RECORD_VERBS.addAction, data, { associatedInputs: 'auto' }));
  if (hasActions && rows > 0) actions.push(execute('Remove last action', RECORD_VERBS.removeAction, data, { associatedInputs: 'auto' }));
  if (input.tabUrl) actions.push(openUrl('Open in Protected Time', input.tabUrl));
  return withRefresh(card(body, actions), record.id, input.userIds);
}

/** The inputs that could be withheld, longest first. */
function withholdCandidates(input: RecordFormCardInput, values: Record<string, unknown>): { id: string; length: number }[] {
  const out: { id: string; length: number }[] = [];
  const rows = clampRows(input.actionRows);
  for (const field of input.template.fields) {
    if (field.type === 'text' || field.type === 'multiline') {
      const v = str(values[field.id]);
      if (v) out.push({ id: field.id, length: Buffer.byteLength(JSON.stringify(v)) });
    } else if (field.type === 'actions') {
      actionRowsOf(values, field.id)
        .slice(0, rows)
        .forEach((row, i) => {
          if (row.text) out.push({ id: actionInputId(input.template, field.id, i, 'text'), length: Buffer.byteLength(JSON.stringify(row.text)) });
          if (row.outcomeForChild && asksOutcomeForChild(field)) out.push({ id: actionInputId(input.template, field.id, i, 'outcome'), length: Buffer.byteLength(JSON.stringify(row.outcomeForChild)) });
        });
    }
  }
  return out.sort((a, b) => b.length - a.length);
}

/** The recorder's form: the template, prefilled, with Save draft / Submit / Add / Remove action. */
export function recordFormCard(input: RecordFormCardInput): AdaptiveCard {
  const values = input.values ?? input.record.values;
  const r: FormRender = { withheld: new Set(), values, openActionsShown: MAX_OPEN_ACTIONS_SHOWN };
  let built = buildForm(input, r);
  if (cardBytes(built) <= CARD_BYTE_BUDGET) return built;
  // Fewer of last time's open actions first (they are all in the tab), then the longest answers.
  while (r.openActionsShown > 3 && cardBytes(built) > CARD_BYTE_BUDGET) {
    r.openActionsShown = 3;
    built = buildForm(input, r);
  }
  for (const candidate of withholdCandidates(input, values)) {
    if (cardBytes(built) <= CARD_BYTE_BUDGET) break;
    r.withheld.add(candidate.id);
    built = buildForm(input, r);
  }
  return built;
}

// ---------- countersign ----------

function readOnlyBody(input: CountersignCardInput, cap: number, zone: string): { items: unknown[]; shortened: boolean } {
  const items: unknown[] = [];
  let shortened = false;
  const short = (s: string, max = cap) => {
    if (s.length > max) shortened = true;
    return plainText(truncate(s, max));
  };
  let pendingFacts: [string, string][] = [];
  const flush = () => {
    if (pendingFacts.length) items.push({ ...facts(pendingFacts), spacing: 'Medium' });
    pendingFacts = [];
  };
  const values = input.record.values;
  for (const field of input.template.fields) {
    if (field.type === 'info') continue;
    const raw = values[field.id];
    if (field.type === 'actions') {
      const rows = actionRowsOf(values, field.id);
      flush();
      items.push(label(field.label));
      if (!rows.length) items.push(subtle('None agreed.'));
      rows.forEach((row, i) => {
        const owner = row.ownerRole === 'supervisor' ? input.supervisorName : row.ownerRole === 'supervisee' ? joinNames(input.superviseeNames) : row.ownerId ? (input.names?.[row.ownerId] ?? 'Someone else') : 'No owner yet';
        items.push(para(`${i + 1}. ${short(row.text ?? '', Math.min(cap, ACTION_TEXT_MAX))}`, { spacing: 'Small' }));
        items.push(subtle(`${owner} · by ${row.dueOn ? displayDate(row.dueOn, zone) : 'no date yet'}`, { spacing: 'None' }));
        if (row.outcomeForChild) items.push(subtle(`Outcome for the child: ${short(row.outcomeForChild, Math.min(cap, ACTION_OUTCOME_MAX))}`, { spacing: 'None' }));
      });
      continue;
    }
    const value = str(raw);
    if (value === undefined) continue;
    if (field.type === 'multiline') {
      flush();
      items.push(label(field.label), para(short(value)));
    } else {
      const shown = field.type === 'date' ? displayDate(value, zone) : field.type === 'datetime' ? displayDateTime(value, zone) : field.type === 'choice' || field.type === 'yesno' ? choiceTitle(field, value) : value;
      pendingFacts.push([field.label, short(shown, Math.min(cap, 500))]);
    }
  }
  flush();
  return { items, shortened };
}

function buildCountersign(input: CountersignCardInput, cap: number): AdaptiveCard {
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const { record, template } = input;
  const { items, shortened } = readOnlyBody(input, cap, zone);
  const signedBy = record.signatures.filter((s) => s.personId !== record.authorId).map((s) => input.names?.[s.personId] ?? s.role);
  const body: unknown[] = [
    heading(`Please countersign: ${template.name}`),
    sessionLine(input, zone),
    subtle(`Written by ${input.authorName ?? input.names?.[record.authorId] ?? 'the recorder'}${record.submittedAt ? `, submitted ${displayDateTime(record.submittedAt, zone)}` : ''}${record.version > 1 ? ` (version ${record.version})` : ''}.`),
    ...(signedBy.length ? [subtle(`Countersigned so far by ${joinNames(signedBy)}.`)] : []),
    ...noticeContainer(input.notice),
    ...errorContainer(input.errors),
    ...(shortened ? [{ type: 'Container', style: 'warning', items: [para('Long answers are shortened here (…). Read the full record in Protected Time before you sign.', { size: 'Small' })] }] : []),
    ...items,
    {
      type: 'Input.Text',
      id: COMMENT_INPUT_ID,
      label: 'Comment (needed to ask for changes or to record a disagreement)',
      isMultiline: true,
      maxLength: 4000,
      ...(input.comment ? { value: input.comment } : {}),
    },
    ...fieldErrorBlocks([COMMENT_INPUT_ID], input.errors),
    subtle(`Recording a disagreement makes the record final with your disagreement on it, and tells ${input.escalatesTo ?? 'the manager your policy names'}.`),
  ];
  const data = { recordId: record.id, etag: record.etag };
  const actions: unknown[] = [
    execute('Countersign', RECORD_VERBS.countersign, data, { style: 'positive', associatedInputs: 'none' }),
    execute('Ask for changes', RECORD_VERBS.requestChanges, data, { associatedInputs: 'auto' }),
    execute('Record disagreement', RECORD_VERBS.disagree, data, { style: 'destructive', associatedInputs: 'auto' }),
  ];
  if (input.tabUrl) actions.push(openUrl('Open in Protected Time', input.tabUrl));
  return withRefresh(card(body, actions), record.id, input.userIds);
}

/** The other party's view of a submitted record: read it, then countersign, ask for changes or disagree. */
export function countersignCard(input: CountersignCardInput): AdaptiveCard {
  let cap = 4000;
  let built = buildCountersign(input, cap);
  while (cardBytes(built) > CARD_BYTE_BUDGET && cap > 80) {
    cap = Math.max(80, Math.floor(cap * 0.75));
    built = buildCountersign(input, cap);
  }
  return built;
}

// ---------- no-detail cards ----------

export interface RecordSummaryCardInput {
  record: SupervisionRecord;
  sessionStart: string;
  /** Overrides the status words worked out from the record. */
  statusLine?: string;
  tabUrl: string;
  /** Person id → display name (for "signed by"). */
  names?: Record<string, string>;
  timeZone?: string;
}

/** Status words for a record, with no case detail. */
export function recordStatusLine(record: SupervisionRecord, names: Record<string, string> = {}, zone = DEFAULT_TIME_ZONE): string {
  const who = (id: string) => names[id] ?? 'the recorder';
  const lastSigned = record.signatures.map((s) => s.at).sort().at(-1);
  switch (record.status) {
    case 'signed': {
      const signers = record.signatures.map((s) => names[s.personId] ?? (s.role === 'supervisor' ? 'the supervisor' : 'the supervisee'));
      return `signed by ${joinNames(signers)}${lastSigned ? ` on ${displayDate(lastSigned, zone)}` : ''}`;
    }
    case 'disagreed':
      return `signed with a recorded disagreement${record.disagreement ? ` on ${displayDate(record.disagreement.at, zone)}` : ''}`;
    case 'submitted':
      return 'Awaiting countersignature';
    case 'changes-requested':
      return `Changes asked for; back with ${who(record.authorId)}`;
    default:
      return 'Not yet submitted';
  }
}

/** Replaces the working cards in chat: date and status only, never what was discussed. */
export function recordSummaryCard(input: RecordSummaryCardInput): AdaptiveCard {
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const status = input.statusLine ?? recordStatusLine(input.record, input.names, zone);
  return card(
    [
      heading('Supervision record'),
      para(`Supervision record for ${displayDate(input.sessionStart, zone)}: ${status}${input.record.version > 1 ? ` (version ${input.record.version})` : ''}.`),
      subtle('The record itself is kept in Protected Time, not in this chat.'),
    ],
    [openUrl('Open in Protected Time', input.tabUrl)],
  );
}

/** Tells the supervisee their signed copy is ready; the content stays in the app. */
export function signedCopyCard(input: { sessionStart: string; tabUrl: string; timeZone?: string }): AdaptiveCard {
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  return card(
    [
      heading('Your signed supervision record'),
      para(`The record of your supervision on ${displayDate(input.sessionStart, zone)} is signed. Your copy is in Protected Time.`),
      subtle('For confidentiality the record stays in the app: open it there to read it.'),
    ],
    [openUrl('Open my copy', input.tabUrl)],
  );
}

/** For the line manager (or whoever the policy names) when a record is signed with a disagreement. */
export function disagreementNoticeCard(input: { sessionStart: string; superviseeName: string; supervisorName: string; tabUrl: string; timeZone?: string }): AdaptiveCard {
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  return card(
    [
      heading('A supervision record has a recorded disagreement'),
      para(`The record of supervision between ${input.supervisorName} (supervisor) and ${input.superviseeName} (supervisee) on ${displayDate(input.sessionStart, zone)} was signed with a disagreement.`),
      para('Their supervision policy asks for you to be told so you can help resolve it.'),
      subtle('Nothing about the discussion is included here.'),
    ],
    [openUrl('Open in Protected Time', input.tabUrl)],
  );
}

export interface ActionItemView {
  id: string;
  text: string;
  /** YYYY-MM-DD */
  dueOn: string;
  outcomeForChild?: string;
  status?: 'open' | 'done' | 'dropped';
}

/**
 * One agreed action for its owner (their own action, so its words are shown), with
 * "Mark done". Use RECORD_CARD_SUMMARIES.action as the notification text.
 */
export function actionItemCard(input: { action: ActionItemView; tabUrl: string; timeZone?: string; today?: string }): AdaptiveCard {
  const { action } = input;
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const overdue = action.status !== 'done' && input.today !== undefined && action.dueOn < input.today;
  const status = action.status === 'done' ? 'Done' : action.status === 'dropped' ? 'Dropped' : overdue ? 'Overdue' : 'Open';
  const body: unknown[] = [
    heading('Your action from supervision'),
    para(plainText(truncate(action.text, ACTION_TEXT_MAX))),
    facts([
      ['Due', displayDate(action.dueOn, zone)],
      ['Status', status],
      ...(action.outcomeForChild ? [['Outcome for the child', plainText(truncate(action.outcomeForChild, ACTION_OUTCOME_MAX))] as [string, string]] : []),
    ]),
  ];
  const actions: unknown[] = [];
  if (!action.status || action.status === 'open') actions.push(execute('Mark done', RECORD_VERBS.actionDone, { actionId: action.id }, { style: 'positive', associatedInputs: 'none' }));
  actions.push(openUrl('Open in Protected Time', input.tabUrl));
  return card(body, actions);
}

/** Keys in record values that are the app's own, not answers (never rendered as fields). */
export const RESERVED_VALUE_KEYS = [CHANGE_REQUEST_KEY] as const;
