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
import { ActionSet, Container, ExecuteAction, TextInput } from '@microsoft/teams.cards';
import type { SupervisionRecord } from '../../domain/model';
import { ACTION_OUTCOME_MAX, ACTION_TEXT_MAX, MAX_ACTION_ROWS } from '../../domain/records/fieldTypes';
import { dayTimeWithYear, dayWithYear } from './dates';
import { CHANGE_REQUEST_KEY, changeRequestOf } from '../../domain/records/workflow';
import type { ActionItemMessage, CountersignView, FieldProblem, RecordFormView, RecordSummaryView, RecordView } from '../../ports/messages';
import { type Card, type CardAction, type CardElement, card, execute, facts, heading, openUrl, para, plain, plainText } from './common';
import { CARD_FIELDS, type FormRender, MAX_OPEN_ACTIONS_SHOWN, clampRows, fieldErrorBlocks, joinNames, subtle, truncate } from './recordFields';
import { withAgenda } from './agenda';
import { encodeKeep } from './recordInputIds';

/** Teams refuses messages over ~28 KB; the card keeps 1 KB back for the activity around it. */
export const CARD_BYTE_BUDGET = 27 * 1024;

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


// ---------- small helpers ----------

/** "Mon 23 Nov 2026" (or the input unchanged if it is not a date), in the pack's zone. */
export const displayDate = (iso: string, zone: string) => dayWithYear(iso, zone);
/** "Mon 23 Nov 2026, 10:00", in the pack's zone. */
export const displayDateTime = (iso: string, zone: string) => dayTimeWithYear(iso, zone);
export { truncate };

export function cardBytes(c: unknown): number {
  return Buffer.byteLength(JSON.stringify(c));
}

function withRefresh(c: Card, record: Pick<SupervisionRecord, 'id' | 'relationshipId'>, userIds: string[]): Card {
  return { ...c, refresh: { action: plain(new ExecuteAction({ verb: RECORD_VERBS.refresh, data: { recordId: record.id, relationshipId: record.relationshipId } })), userIds: [...new Set(userIds)] } };
}

const MAX_ERRORS_LISTED = 8;

function errorContainer(errors: FieldProblem[] | undefined): CardElement[] {
  if (!errors?.length) return [];
  return [
    new Container(
      para('Please check:', { weight: 'Bolder', color: 'Attention' }),
      ...errors.slice(0, MAX_ERRORS_LISTED).map((e) => para(`• ${plainText(truncate(e.message, 300))}`, { color: 'Attention', spacing: 'None' })),
      ...(errors.length > MAX_ERRORS_LISTED ? [para(`…and ${errors.length - MAX_ERRORS_LISTED} more, marked below.`, { color: 'Attention', spacing: 'None' })] : []),
    ).withStyle('attention'),
  ];
}

function noticeContainer(notice: string | undefined): CardElement[] {
  return notice ? [new Container(para(plainText(truncate(notice, 1000)))).withStyle('emphasis')] : [];
}

function sessionLine(input: { sessionStart: string; supervisorName: string; superviseeNames: string[] }, zone: string) {
  return subtle(`Supervision on ${displayDateTime(input.sessionStart, zone)}: ${input.supervisorName} with ${joinNames(input.superviseeNames)}`);
}

// ---------- the form ----------

function buildForm(input: RecordFormView, r: FormRender): Card {
  const zone = input.timeZone;
  const { template, record } = input;
  const rows = clampRows(input.actionRows);
  const hasActions = template.fields.some((f) => f.type === 'actions');
  const cr = changeRequestOf(record);
  const body: CardElement[] = [
    heading(template.name),
    sessionLine(input, zone),
    ...(record.version > 1 ? [subtle(`Amendment: this will be version ${record.version} of the record.`)] : []),
    ...(cr ? [new Container(para('Changes were asked for:', { weight: 'Bolder' }), para(plainText(truncate(cr.comment, 1500)))).withStyle('warning')] : []),
    ...noticeContainer(input.notice),
    ...errorContainer(input.errors),
  ];
  for (const field of template.fields) body.push(...CARD_FIELDS[field.type].input(field, { view: input, render: r, zone }));
  if (r.withheld.size) body.push(subtle('Some long answers can only be edited in Protected Time; saving here keeps them as they are.', { spacing: 'Medium' }));
  body.push(subtle('Only you and the people in this supervision can see this record.', { spacing: 'Medium' }));
  // The policy's other forms (Lingfield's two), while the record is being written.
  if (input.otherForms?.length) {
    body.push(new ActionSet(...input.otherForms.map((f) => execute(`Use the ${f.name} instead`, RECORD_VERBS.useForm, { recordId: record.id, relationshipId: record.relationshipId, etag: record.etag, templateId: f.templateId }))));
  }

  const data = { recordId: record.id, relationshipId: record.relationshipId, etag: record.etag, rows, ...(r.withheld.size ? { keep: encodeKeep(r.withheld) } : {}) };
  const countersign = input.countersign ?? true;
  const actions: CardAction[] = [
    execute('Save draft', RECORD_VERBS.save, data, { associatedInputs: 'auto' }),
    execute(countersign ? 'Submit for countersignature' : 'Submit and sign', RECORD_VERBS.submit, data, { associatedInputs: 'auto', style: 'positive' }),
  ];
  if (hasActions && rows < MAX_ACTION_ROWS) actions.push(execute('Add action', RECORD_VERBS.addAction, data, { associatedInputs: 'auto' }));
  if (hasActions && rows > 0) actions.push(execute('Remove last action', RECORD_VERBS.removeAction, data, { associatedInputs: 'auto' }));
  if (input.tabUrl) actions.push(openUrl('Open in Protected Time', input.tabUrl));
  return withRefresh(card(body, actions), record, input.userIds);
}

/** The inputs that could be withheld, longest first. */
function withholdCandidates(input: RecordFormView, values: Record<string, unknown>): { id: string; length: number }[] {
  const rows = clampRows(input.actionRows);
  return input.template.fields.flatMap((f) => CARD_FIELDS[f.type].withholdable(f, values, rows, input.template)).sort((a, b) => b.length - a.length);
}

/**
 * The recorder's form: the template, prefilled, with Save draft / Submit / Add / Remove action,
 * and the session's agenda after its heading (fewer agenda lines if the card would not fit).
 */
export function recordFormCard(input: RecordFormView): Card {
  return withAgenda(fittedForm(input), input.agenda);
}

function fittedForm(input: RecordFormView): Card {
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

function readOnlyBody(input: CountersignView, cap: number, zone: string): { items: CardElement[]; shortened: boolean } {
  const items: CardElement[] = [];
  let shortened = false;
  const short = (s: string, max = cap) => {
    if (s.length > max) shortened = true;
    return plainText(truncate(s, max));
  };
  const ctx = { zone, cap, short, names: input.names, supervisorName: input.supervisorName, superviseeNames: input.superviseeNames };
  let pendingFacts: [string, string][] = [];
  const flush = () => {
    if (pendingFacts.length) items.push(facts(pendingFacts).withSpacing('Medium'));
    pendingFacts = [];
  };
  for (const field of input.template.fields) {
    const piece = CARD_FIELDS[field.type].view(field, input.record.values[field.id], ctx);
    if (!piece) continue;
    if ('fact' in piece) {
      pendingFacts.push([field.label, piece.fact]);
    } else {
      flush();
      items.push(...piece.blocks);
    }
  }
  flush();
  return { items, shortened };
}

function buildCountersign(input: CountersignView, cap: number): Card {
  const zone = input.timeZone;
  const { record, template } = input;
  const { items, shortened } = readOnlyBody(input, cap, zone);
  const signedBy = record.signatures.filter((s) => s.personId !== record.authorId).map((s) => input.names?.[s.personId] ?? s.role);
  const body: CardElement[] = [
    heading(`Please countersign: ${template.name}`),
    sessionLine(input, zone),
    subtle(`Written by ${input.authorName ?? input.names?.[record.authorId] ?? 'the recorder'}${record.submittedAt ? `, submitted ${displayDateTime(record.submittedAt, zone)}` : ''}${record.version > 1 ? ` (version ${record.version})` : ''}.`),
    ...(signedBy.length ? [subtle(`Countersigned so far by ${joinNames(signedBy)}.`)] : []),
    ...noticeContainer(input.notice),
    ...errorContainer(input.errors),
    ...(shortened ? [new Container(para('Long answers are shortened here (…). Read the full record in Protected Time before you sign.', { size: 'Small' })).withStyle('warning')] : []),
    ...items,
    new TextInput({
      id: COMMENT_INPUT_ID,
      label: 'Comment (needed to ask for changes or to record a disagreement)',
      isMultiline: true,
      maxLength: 4000,
      ...(input.comment ? { value: input.comment } : {}),
    }),
    ...fieldErrorBlocks(template, [COMMENT_INPUT_ID], input.errors),
    subtle(`Recording a disagreement makes the record final with your disagreement on it, and tells ${input.escalatesTo ?? 'the manager your policy names'}.`),
  ];
  const data = { recordId: record.id, relationshipId: record.relationshipId, etag: record.etag };
  const actions: CardAction[] = [
    execute('Countersign', RECORD_VERBS.countersign, data, { style: 'positive', associatedInputs: 'none' }),
    execute('Ask for changes', RECORD_VERBS.requestChanges, data, { associatedInputs: 'auto' }),
    execute('Record disagreement', RECORD_VERBS.disagree, data, { style: 'destructive', associatedInputs: 'auto' }),
  ];
  if (input.tabUrl) actions.push(openUrl('Open in Protected Time', input.tabUrl));
  return withRefresh(card(body, actions), record, input.userIds);
}

/** The other party's view of a submitted record: read it, then countersign, ask for changes or disagree. */
export function countersignCard(input: CountersignView): Card {
  let cap = 4000;
  let built = buildCountersign(input, cap);
  while (cardBytes(built) > CARD_BYTE_BUDGET && cap > 80) {
    cap = Math.max(80, Math.floor(cap * 0.75));
    built = buildCountersign(input, cap);
  }
  return built;
}

// ---------- no-detail cards ----------

/** Status words for a record, with no case detail. */
export function recordStatusLine(record: SupervisionRecord, names: Record<string, string>, zone: string): string {
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
export function recordSummaryCard(input: RecordSummaryView): Card {
  const zone = input.timeZone;
  const status = input.statusLine ?? recordStatusLine(input.record, input.names ?? {}, zone);
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
export function signedCopyCard(input: { sessionStart: string; tabUrl: string; timeZone: string }): Card {
  const zone = input.timeZone;
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
export function disagreementNoticeCard(input: { sessionStart: string; superviseeName: string; supervisorName: string; tabUrl: string; timeZone: string }): Card {
  const zone = input.timeZone;
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

/**
 * One agreed action for its owner (their own action, so its words are shown), with
 * "Mark done". Use RECORD_CARD_SUMMARIES.action as the notification text.
 */
export function actionItemCard(input: ActionItemMessage): Card {
  const { action } = input;
  const zone = input.timeZone;
  const overdue = action.status !== 'done' && input.today !== undefined && action.dueOn < input.today;
  const status = action.status === 'done' ? 'Done' : action.status === 'dropped' ? 'Dropped' : overdue ? 'Overdue' : 'Open';
  const body: CardElement[] = [
    heading('Your action from supervision'),
    para(plainText(truncate(action.text, ACTION_TEXT_MAX))),
    facts([
      ['Due', displayDate(action.dueOn, zone)],
      ['Status', status],
      ...(action.outcomeForChild ? [['Outcome for the child', plainText(truncate(action.outcomeForChild, ACTION_OUTCOME_MAX))] as [string, string]] : []),
    ]),
  ];
  const actions: CardAction[] = [];
  if (!action.status || action.status === 'open') actions.push(execute('Mark done', RECORD_VERBS.actionDone, { actionId: action.id }, { style: 'positive', associatedInputs: 'none' }));
  actions.push(openUrl('Open in Protected Time', input.tabUrl));
  return card(body, actions);
}

/** The card for a record view (what a record action or a refresh answers with). */
export function recordViewCard(view: RecordView): Card {
  const built = view.kind === 'form' ? recordFormCard(view) : view.kind === 'countersign' ? countersignCard(view) : recordSummaryCard(view);
  if (!view.banner) return built;
  const banner = para(view.banner, { weight: 'Bolder', color: 'Warning' });
  return { ...built, body: [plain(banner), ...(built.body ?? [])] };
}

/** Keys in record values that are the app's own, not answers (never rendered as fields). */
export const RESERVED_VALUE_KEYS = [CHANGE_REQUEST_KEY] as const;

