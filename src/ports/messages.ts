/**
 * What the app tells people, as view models: use cases say what happened and
 * to whom, bot/ renders each message as an Adaptive Card (and its notification
 * summary), the tab renders record views as pages. Nothing here knows a card's
 * shape, input ids or wording; every message carries names, dates, counts and
 * links only, never case detail (a record's own answers go only to its parties).
 * Every message that shows a date carries the zone of the pack it concerns
 * (`timeZone`), set by the use case: renderers have no zone of their own.
 */
import type { AgendaLine, AgreementFinding } from '../domain/agenda';
import type { SupervisionRecord } from '../domain/model';
import type { RecordTemplate } from '../domain/policy/schema';
import type { ActionPart } from '../domain/records/validation';

/** A start and end instant (ISO). */
export interface Slot {
  start: string;
  end: string;
}

/**
 * A problem with what was typed, by template field (an action row's part by
 * row and part), or with the record as a whole (no fieldId). `comment` is the
 * comment of a request for changes or a disagreement.
 */
export interface FieldProblem {
  fieldId?: string;
  row?: number;
  part?: ActionPart;
  message: string;
}

// ---------- records ----------

export interface OpenActionView {
  id: string;
  text: string;
  /** YYYY-MM-DD */
  dueOn: string;
  ownerName: string;
}

interface RecordViewBase {
  template: RecordTemplate;
  record: SupervisionRecord;
  supervisorName: string;
  superviseeNames: string[];
  /** ISO instant of the session's start. */
  sessionStart: string;
  /** Teams user ids of the people whose view refreshes itself (Universal Actions). */
  userIds: string[];
  /** The zone of the pack the record is under: every date shown is read in it. */
  timeZone: string;
  /** The tab's page for this record. */
  tabUrl?: string;
  errors?: FieldProblem[];
  notice?: string;
}

/** The recorder's view: the template, prefilled, editable. */
export interface RecordFormView extends RecordViewBase {
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
   * Ask the host to check required answers before sending. Off by default: a
   * card host checks every input on every button, so "Save draft" would be
   * refused until all required answers were filled. The server checks on submit.
   */
  clientValidation?: boolean;
  /** The policy's other record forms the writer may switch to while the record is being written. */
  otherForms?: { templateId: string; name: string }[];
  /** The session's agenda and agreement check: the record starts from them. */
  agenda?: RecordAgenda;
}

// ---------- agendas ----------

export interface AgendaLineView extends AgendaLine {
  addedByName?: string;
  ownerName?: string;
  /** The viewer put it there (and so may take it off). */
  mine: boolean;
}

export interface AgreementCheckView {
  finding: AgreementFinding;
  reviewOn?: string;
  words: string;
  /** The policy asks for it to be checked at every session (Staffordshire). */
  checkedEachSession: boolean;
}

/** What the record form shows of the session's agenda (agenda text is case detail: only in the parties' form). */
export interface RecordAgenda {
  lines: AgendaLineView[];
  agreement: AgreementCheckView;
}

/** The other party's read-only view of a submitted record, to countersign, ask for changes or disagree. */
export interface CountersignView extends RecordViewBase {
  authorName?: string;
  /** Person id → display name, for who has signed so far (group supervision). */
  names?: Record<string, string>;
  /** Who a disagreement notifies, in words ("your line manager"). */
  escalatesTo?: string;
  /** What the person had typed in the comment box, when re-showing the view. */
  comment?: string;
}

/** Date and status only: what replaces working views in chat, never what was discussed. */
export interface RecordSummaryView {
  record: SupervisionRecord;
  sessionStart: string;
  /** Overrides the status words worked out from the record. */
  statusLine?: string;
  tabUrl: string;
  /** Person id → display name (for "signed by"). */
  names?: Record<string, string>;
  /** The pack's zone. */
  timeZone: string;
}

/** The view of a record one person should see now, with an optional warning above it. */
export type RecordView = (
  | ({ kind: 'form' } & RecordFormView)
  | ({ kind: 'countersign' } & CountersignView)
  | ({ kind: 'summary' } & RecordSummaryView)
) & { banner?: string };

export interface ActionItemView {
  id: string;
  text: string;
  /** YYYY-MM-DD */
  dueOn: string;
  outcomeForChild?: string;
  status?: 'open' | 'done' | 'dropped';
}

/** One agreed action for its owner (their own action, so its words are shown). */
export interface ActionItemMessage {
  action: ActionItemView;
  tabUrl: string;
  /** The pack's zone. */
  timeZone: string;
  /** YYYY-MM-DD, for "Overdue". */
  today?: string;
}

// ---------- digests ----------

/**
 * The most items a digest lists; the rest are counted ("…and 40 more"). A card
 * longer than this is not read, Teams refuses messages over about 28 KB, and a
 * SharePoint-only outbox stores a queued digest in one 63,999-character field:
 * a line manager with a hundred slipped arrangements must still get a digest.
 */
export const DIGEST_MAX_ITEMS = 12;

export interface DigestItem {
  obligationId: string;
  kind: string;
  /** 'owe': the person must act; 'escalated': they are told because it slipped. */
  role: 'owe' | 'escalated';
  /** Names the person and the thing ("Write the record of your session with Sam Patel on Wed 9 Dec"). */
  title: string;
  /** Who it concerns, besides the reader (absent on digests queued before this field existed). */
  about?: string[];
  /** The rule and dates behind it, in words. */
  explanation: string;
  dueAt: string;
  state: 'upcoming' | 'due-soon' | 'overdue';
  /** For an action item, so its owner can mark it done from here. */
  actionId?: string;
  /** The zone of the pack the obligation falls under (a digest can mix packs: each item is shown in its own). */
  timeZone: string;
}

// ---------- people changes ----------

export type MoveKind = 'handover' | 'cover-start' | 'cover-end';

/** What a person is told about a change in who supervises whom (no case detail, ever). */
export type PeopleNotice =
  | {
      kind: 'moved';
      move: MoveKind;
      role: 'old-supervisor' | 'new-supervisor' | 'supervisee';
      fromName: string;
      toName: string;
      superviseeNames: string[];
      byName: string;
      booked: number;
      firstSession?: Slot;
      until?: string;
      /** Only the new supervisor is told a note exists (never what it says). */
      noteWaiting: boolean;
      notBookedReason?: string;
      /** The pack's zone (of the arrangement moved). */
      timeZone: string;
    }
  | { kind: 'flag'; flagKind: string; personName: string; arrangements: number; agreementDueOn?: string; /** The zone agreementDueOn is counted in. */ timeZone: string }
  | { kind: 'ended'; superviseeNames: string[]; supervisorName: string; byName: string; cancelled: number };

// ---------- sessions ----------

/** A cancelled session rebooked: the new time, and other times either party may pick instead. */
export interface RebookedMessage {
  sessionId: string;
  /** Lets the handler load the session directly instead of searching every arrangement. */
  relationshipId: string;
  withNames: string[];
  original: Slot;
  booked: Slot;
  alternatives: Slot[];
  why: 'cancelled' | 'declined';
  tabUrl: string;
  notice?: string;
  /** The pack's zone. */
  timeZone: string;
}

/** What happened to a session, for the people it concerns (each kind words itself). */
export type SessionNotice =
  /** A party picked another of the offered times. */
  | { kind: 'rebook-chosen'; byName: string; slot: Slot; timeZone: string; tabUrl: string }
  /** A party kept the rebooked session cancelled. */
  | { kind: 'rebook-kept-cancelled'; byName: string; tabUrl: string }
  /** Someone the pack names, told that a party kept a session cancelled. */
  | { kind: 'kept-cancelled-told'; byName: string; supervisorName: string; superviseeNames: string[]; original: Slot; timeZone: string; tabUrl: string }
  /** One occurrence cancelled from the tab, for whoever the pack says is told. */
  | { kind: 'session-cancelled'; byName: string; names: string[]; start: string; timeZone: string; tabUrl: string }
  /** Booked without a Teams meeting link (the organiser's calendar does not allow them). */
  | { kind: 'no-meeting-link'; withNames: string[]; tabUrl: string };

/** Nothing fits the rebooking window: the parties and whoever the policy names are told. */
export interface RebookEscalation {
  supervisorName: string;
  superviseeNames: string[];
  original: Slot;
  reason: string;
  window: Slot;
  tabUrl: string;
  forManager: boolean;
  /** The pack's zone. */
  timeZone: string;
}

/** What a proposal is, as kept in its timeout work item's payload (moves that ask first). */
export interface Proposal {
  cancelledId: string;
  relationshipId: string;
  replacementId: string;
  held: Slot;
  holdEventId: string;
  alternatives: Slot[];
  answerBy: string;
  original: Slot;
}

/** A move that asks first: the held time to accept or change, or what was booked and why. */
export type MoveNotice =
  | { kind: 'proposed'; to: 'supervisee' | 'supervisor'; policyName: string; withNames: string[]; superviseeNames: string[]; why: string; proposal: Proposal; timeZone: string }
  | { kind: 'booked'; how: 'accepted' | 'chose' | 'no-answer'; byName?: string; withNames: string[]; booked: Slot; answerBy: string; replacementId: string; timeZone: string };

/** Before a session: when, with whom (never agenda text). */
export interface PreSessionNotice {
  sessionId: string;
  start: string;
  end: string;
  withNames: string[];
  /** The pack's zone. */
  timeZone: string;
}

// ---------- what the notifier carries ----------

/** Every message the app sends to a person's chat. */
export type Message =
  | { kind: 'record-form'; view: RecordFormView }
  | { kind: 'record-changes-requested'; view: RecordFormView }
  | { kind: 'record-countersign'; view: CountersignView }
  | { kind: 'record-summary'; view: RecordSummaryView }
  | { kind: 'record-signed-copy'; sessionStart: string; tabUrl: string; timeZone: string }
  | { kind: 'record-disagreement'; sessionStart: string; superviseeName: string; supervisorName: string; tabUrl: string; timeZone: string }
  | { kind: 'rebooked'; view: RebookedMessage }
  | { kind: 'rebook-escalation'; view: RebookEscalation }
  | { kind: 'session-notice'; notice: SessionNotice }
  | { kind: 'digest'; firstName: string; items: DigestItem[]; /** Items not listed (over DIGEST_MAX_ITEMS), counted. */ more?: number; tabUrl: string }
  | { kind: 'people-notice'; notice: PeopleNotice; tabUrl: string }
  | { kind: 'move-notice'; notice: MoveNotice; tabUrl: string }
  | { kind: 'pre-session'; notice: PreSessionNotice; agendaUrl: string };

export type MessageKind = Message['kind'];
