/**
 * Supervision records in Teams chat: the record form after each held session,
 * drafts, submission, countersignature (or changes / disagreement), locking,
 * the supervisee's signed copy, and actions carried forward. The pure rules
 * live in domain/records; this file loads, saves, posts and audits.
 */
import { DateTime } from 'luxon';
import { recordAccess } from '../domain/access';
import type { ActionItem, Person, Relationship, Session, SupervisionRecord } from '../domain/model';
import type { PolicyPack, RecordTemplate } from '../domain/policy/schema';
import { recordFormIds, templatesFor } from '../domain/policy/validate';
import { chooseRecordForm } from '../domain/records/forms';
import { FIELD_TYPES, displayAnswer } from '../domain/records/fieldTypes';
import { actionRowsOf } from '../domain/records/validation';
import { actionsFromRecord, applyRecordCommand, draftRecord, markActionDone, partiesOf, recorderIds, type RecordCommand, type RecordEvent } from '../domain/records/workflow';
import type { ActionItemMessage, CountersignView, FieldProblem, Message, RecordFormView, RecordSummaryView, RecordView } from '../ports/messages';
import { agendaForRecordForm } from './agenda';
import type { AgendaStore } from '../ports/agendaStore';
import { ConcurrencyError, type RecordStore } from '../ports/store';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Log } from '../ports/log';
import type { Policies } from '../ports/policies';
import { localDate, zoneOf } from '../domain/time/zones';
import type { WorkQueue } from '../ports/workQueue';
import { badRequest, forbidden, notFound } from './errors';
import { retryDelayMs } from './workRetry';
import { RECORD_FORM_KIND, queueRecordForms } from './recordFormWork';
import { ids } from './ids';
import { escalationRecipients } from './escalation';
import type { NotifyContext } from './rebooking';
import { TAB_ROUTES, tabLink } from './tabLinks';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface RecordsDeps {
  clock: Clock;
  log: Log;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  work: WorkQueue;
  /** Session agendas (issue 18); absent (some tests): the form starts without one. */
  agenda?: AgendaStore;
}

export const RECORD_CARD_KIND = 'record-card-posted';
/** Sessions that ended longer ago than this get no card (a freshly installed app must not flood people). */
export const CARD_LOOKBACK_DAYS = 14;

export function recordIdFor(sessionId: string): string {
  return ids.record(sessionId);
}

interface Loaded {
  rel: Relationship;
  policy: PolicyPack;
  template: RecordTemplate;
  people: Map<string, Person>;
  session: Session;
  /** The parties' Teams user ids (29:…) for card refresh.userIds: only those who have written to the bot. */
  teamsUserIds: string[];
  /** The arrangement's open actions, when already being read (a card action starts the read early). */
  openActions?: Promise<ActionItem[]>;
  /** The form's agenda, when already being read (a draft save reads it beside the write). */
  agendaRead?: Promise<RecordFormView['agenda']>;
  /** All the arrangement's sessions, as read with `session`. */
  sessions?: Session[];
}

async function loadFor(services: RecordsDeps, record: Pick<SupervisionRecord, 'relationshipId' | 'sessionId' | 'templateId'>): Promise<Loaded> {
  return loadRest(services, record, await loadRelationship(services, record));
}

type Base = Pick<Loaded, 'rel' | 'policy' | 'template'>;

async function loadRelationship(services: RecordsDeps, record: Pick<SupervisionRecord, 'relationshipId' | 'templateId'>, alreadyReading?: Promise<Relationship | undefined>): Promise<Base> {
  const rel = await (alreadyReading ?? services.store.getRelationship(record.relationshipId));
  if (!rel) throw notFound('That supervision arrangement no longer exists');
  const policy = services.policies.get(rel.policyId);
  if (!policy) throw notFound('Policy not loaded');
  const template = templatesFor(policy).get(record.templateId);
  if (!template) throw notFound(`Template ${record.templateId} is not available`);
  return { rel, policy, template };
}

/**
 * The rest of what a record's cards need, read at once rather than one after
 * another: on SharePoint every read is a round trip, and a card action must
 * answer within Teams' invoke budget. Each person's conversation reference is
 * read as soon as that person is known.
 */
async function loadRest(services: RecordsDeps, record: Pick<SupervisionRecord, 'sessionId'>, base: Base, sessionsRead?: Promise<Session[]>): Promise<Loaded> {
  const { rel } = base;
  const [found, sessions] = await Promise.all([
    Promise.all(
      partiesOf(rel).map(async (id) => {
        const p = await services.directory.getPerson(id);
        return p ? { p, ref: await services.store.getConversationRef(p.aadObjectId) } : undefined;
      }),
    ),
    sessionsRead ?? services.store.listSessions({ relationshipIds: [rel.id] }),
  ]);
  const session = sessions.find((s) => s.id === record.sessionId);
  if (!session) throw notFound('That session no longer exists');
  const people = new Map<string, Person>();
  const teamsUserIds: string[] = [];
  for (const f of found) {
    if (!f) continue;
    people.set(f.p.id, f.p);
    if (f.ref?.teamsUserId) teamsUserIds.push(f.ref.teamsUserId);
  }
  return { ...base, people, session, teamsUserIds, sessions };
}

const nameOf = (l: Loaded, id: string) => l.people.get(id)?.displayName ?? 'a colleague';
const namesMap = (l: Loaded) => Object.fromEntries([...l.people.values()].map((p) => [p.id, p.displayName]));

async function formView(services: RecordsDeps, ctx: NotifyContext, l: Loaded, record: SupervisionRecord, extra: { rows?: number; errors?: FieldProblem[]; notice?: string; values?: Record<string, unknown> } = {}): Promise<RecordFormView> {
  // Independent reads: together, not one after the other.
  const [open, planned] = await Promise.all([
    l.openActions ?? services.store.listActions({ relationshipIds: [l.rel.id], status: ['open'] }),
    // The next planned session: from the sessions already read with this one (as listSessions' `from`: ending after it).
    l.sessions
      ? l.sessions.filter((s) => s.status === 'planned' && Date.parse(s.end) > Date.parse(l.session.end)).sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
      : services.store.listSessions({ relationshipIds: [l.rel.id], status: ['planned'], from: l.session.end }),
  ]);
  const carried = open.filter((a) => a.recordId !== record.id);
  const next = planned[0];
  const actionField = l.template.fields.find((f) => f.type === 'actions');
  const existingRows = actionField ? actionRowsOf(extra.values ?? record.values, actionField.id).length : 0;
  return {
    template: l.template,
    record,
    supervisorName: nameOf(l, l.rel.supervisorId),
    superviseeNames: l.rel.superviseeIds.map((id) => nameOf(l, id)),
    sessionStart: l.session.start,
    jobTitle: l.rel.superviseeIds.length === 1 ? l.people.get(l.rel.superviseeIds[0]!)?.jobTitle : undefined,
    openActions: carried.map((a) => ({ id: a.id, text: a.text, dueOn: a.dueOn, ownerName: nameOf(l, a.ownerId) })),
    nextSession: next?.start,
    actionRows: extra.rows ?? Math.max(existingRows, actionField ? 1 : 0),
    userIds: l.teamsUserIds,
    timeZone: l.policy.timeZone,
    tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.record(record.id)),
    errors: extra.errors,
    notice: extra.notice,
    values: extra.values,
    countersign: l.policy.records.countersign,
    otherForms: otherForms(l, record),
    // The form starts from the session's agenda and agreement check (issue 18).
    agenda: l.agendaRead ? await l.agendaRead : await formAgenda(services, { ...l, openActions: Promise.resolve(open) }, record.id),
  };
}

/** The session's agenda for the form, reusing what the form has read (open actions, the record, the people's names). */
async function formAgenda(services: RecordsDeps, l: Pick<Loaded, 'rel' | 'session' | 'sessions' | 'people' | 'openActions'>, recordId: string): Promise<RecordFormView['agenda']> {
  if (!services.agenda) return undefined;
  const openActions = l.openActions ? await l.openActions : undefined;
  return agendaForRecordForm({ agenda: services.agenda, records: services.store, directory: services.directory, policies: services.policies, clock: services.clock }, l.rel, l.session.id, l.sessions, {
    ...(openActions ? { openActions } : {}),
    recordId,
    names: new Map([...l.people.values()].map((p) => [p.id, p.displayName])),
  });
}

/** Where the policy offers other record forms (Lingfield), the writer can switch to one while the record is a draft. */
function otherForms(l: Loaded, record: SupervisionRecord): RecordFormView['otherForms'] {
  if (record.status !== 'draft' && record.status !== 'changes-requested') return undefined;
  const templates = templatesFor(l.policy);
  const others = recordFormIds(l.policy).filter((id) => id !== record.templateId && templates.has(id));
  return others.length ? others.map((id) => ({ templateId: id, name: templates.get(id)!.name })) : undefined;
}

function countersignView(ctx: NotifyContext, l: Loaded, record: SupervisionRecord, extra: { errors?: FieldProblem[]; comment?: string } = {}): CountersignView {
  return {
    template: l.template,
    record,
    supervisorName: nameOf(l, l.rel.supervisorId),
    superviseeNames: l.rel.superviseeIds.map((id) => nameOf(l, id)),
    sessionStart: l.session.start,
    userIds: l.teamsUserIds,
    timeZone: l.policy.timeZone,
    tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.record(record.id)),
    authorName: nameOf(l, record.authorId),
    names: namesMap(l),
    escalatesTo: 'the line manager',
    errors: extra.errors,
    comment: extra.comment,
  };
}

function summaryView(ctx: NotifyContext, l: Loaded, record: SupervisionRecord): RecordSummaryView {
  return { record, sessionStart: l.session.start, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.record(record.id)), names: namesMap(l), timeZone: l.policy.timeZone };
}

const asForm = async (view: Promise<RecordFormView>): Promise<RecordView> => ({ kind: 'form', ...(await view) });
const asCountersign = (view: CountersignView): RecordView => ({ kind: 'countersign', ...view });
const asSummary = (view: RecordSummaryView): RecordView => ({ kind: 'summary', ...view });

/** The right view of a record for one person (Universal Actions refresh, per user). */
async function viewFor(services: RecordsDeps, ctx: NotifyContext, l: Loaded, record: SupervisionRecord, personId: string): Promise<RecordView> {
  const editable = (record.status === 'draft' || record.status === 'changes-requested') && (record.authorId === personId || recorderIds(l.policy, l.rel).includes(personId));
  if (editable) return asForm(formView(services, ctx, l, record));
  const signed = new Set(record.signatures.map((s) => s.personId));
  if (record.status === 'submitted' && !signed.has(personId) && partiesOf(l.rel).includes(personId)) return asCountersign(countersignView(ctx, l, record));
  return asSummary(summaryView(ctx, l, record));
}

async function audit(services: RecordsDeps, actorId: string, action: string, record: SupervisionRecord, detail: Record<string, string | number | boolean> = {}) {
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId, action, subjectType: 'record', subjectId: record.id, detail: { version: record.version, ...detail } });
}

async function post(services: RecordsDeps, ctx: NotifyContext, record: SupervisionRecord, person: Person, message: Message): Promise<void> {
  const posted = await ctx.notifier.send(person.aadObjectId, message);
  if (posted) await services.store.saveCardMessage({ key: `record:${record.id}`, aadObjectId: person.aadObjectId, ...posted, postedAt: services.clock.now().toISOString() });
}

/** Replaces every card posted about this record with the summary (no case detail left in chat). */
async function replacePostedCards(services: RecordsDeps, ctx: NotifyContext, l: Loaded, record: SupervisionRecord): Promise<void> {
  for (const m of await services.store.listCardMessages(`record:${record.id}`)) {
    try {
      await ctx.notifier.update(m.aadObjectId, m, { kind: 'record-summary', view: summaryView(ctx, l, record) });
    } catch (err) {
      services.log.warn({ event: 'record.card-update-failed', record: record.id, err: err instanceof Error ? err.message : String(err) }, 'could not replace a posted card');
    }
  }
}

/** Record ids this process knows are taken care of (form posted, or its work item queued), per store (tests run many stores in one process). */
const knownFormsByStore = new WeakMap<object, Set<string>>();
function knownForms(store: object): Set<string> {
  let set = knownFormsByStore.get(store);
  if (!set) knownFormsByStore.set(store, (set = new Set()));
  return set;
}
function remember(set: Set<string>, id: string): void {
  // Sessions fall out of the 14-day window: a bound keeps a long-running process small.
  if (set.size >= 20_000) set.clear();
  set.add(id);
}

/** How long one worker holds a session's form (its work item, and the per-session lease beside it). */
const RECORD_FORM_LEASE_MS = 60_000;
/** Work items leased per batch, and batches per run: a backlog (a first start) goes out over a few runs. */
const RECORD_FORM_BATCH = 20;
const RECORD_FORM_BATCHES_PER_RUN = 10;
/** A form another worker is posting is looked at again this soon (that worker may have died holding its lease). */
const RECORD_FORM_BUSY_RECHECK_MS = 5_000;

/** What became of one session's record form. */
type RecordFormOutcome = 'posted' | 'already-posted' | 'not-owed' | 'busy';

/**
 * Starts the record of one held session (if it has none) and posts the form to
 * the recorder(s). Creating the record is the claim: the store refuses a second
 * record for the same id, so a session never gets two. The form is marked
 * posted in the ledger after it is sent (at least once); a per-session lease
 * stops two workers sending at the same time (and keeps instances still running
 * the listing of held sessions from racing this one). 'busy': another worker
 * holds the lease, so try again later. `queuedAt`: when the form was found owed;
 * a session that had ended longer than CARD_LOOKBACK_DAYS before gets none.
 */
async function startRecordForm(services: RecordsDeps, ctx: NotifyContext, sessionId: string, workerId: string, queuedAt: string): Promise<RecordFormOutcome> {
  const now = services.clock.now();
  const id = recordIdFor(sessionId);
  // Already posted: one ledger read before any record read. The claim is never taken back.
  if ((await services.store.listClaims(RECORD_CARD_KIND, id)).some((c) => c.key === id)) return 'already-posted';
  const session = await services.store.getSession(sessionId);
  const lookbackFrom = DateTime.fromISO(queuedAt).minus({ days: CARD_LOOKBACK_DAYS }).toUTC().toISO()!;
  if (!session || session.status !== 'held' || session.end <= lookbackFrom) return 'not-owed';
  const lease = `record-card:${session.id}`;
  if (!(await services.work.acquireLease(lease, workerId, now.toISOString(), RECORD_FORM_LEASE_MS))) return 'busy';
  try {
    // A session's record may predate this code path (imported or seeded history): keep it.
    let record = (await services.store.getRecordForSession(session.id)) ?? (await services.store.getRecord(id));
    const rel = await services.store.getRelationship(session.relationshipId);
    const policy = rel && services.policies.get(rel.policyId);
    if (!rel || !policy) return 'not-owed';
    if (!record) {
      try {
        record = await services.store.saveRecord(draftRecord({ id, sessionId: session.id, relationship: rel, policy, now: now.toISOString() }));
        await audit(services, 'system:records', 'record-started', record);
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
        record = err.current;
      }
    }
    if ((await services.store.listClaims(RECORD_CARD_KIND, record.id)).length) return 'already-posted';
    // Already submitted or signed (in the tab, before the job ran): no form to post.
    if (record.status !== 'draft') {
      await services.store.claim(RECORD_CARD_KIND, record.id, now.toISOString());
      return 'not-owed';
    }
    const cardKey = `record:${record.id}`;
    const [l, cards] = await Promise.all([loadFor(services, record), services.store.listCardMessages(cardKey)]);
    // A try that failed part-way (Teams refused the second recorder's card) is not sent again to whoever has it.
    const has = new Set(cards.filter((m) => m.key === cardKey).map((m) => m.aadObjectId));
    for (const personId of recorderIds(policy, rel)) {
      const person = l.people.get(personId);
      if (person && !has.has(person.aadObjectId)) await post(services, ctx, record, person, { kind: 'record-form', view: await formView(services, ctx, l, record) });
    }
    await services.store.claim(RECORD_CARD_KIND, record.id, now.toISOString());
    return 'posted';
  } finally {
    await services.work.releaseLease(lease, workerId);
  }
}

/**
 * Posts the record forms waiting in the work queue (RECORD_FORM_KIND, queued
 * where a session turns held and by the catch-up below): each item once; a
 * failed one is retried with backoff and never holds up the others. Returns how
 * many forms were posted.
 */
export async function deliverRecordForms(services: RecordsDeps, ctx: NotifyContext, workerId: string): Promise<number> {
  let posted = 0;
  for (let batch = 0; batch < RECORD_FORM_BATCHES_PER_RUN; batch++) {
    const items = await services.work.lease(RECORD_FORM_KIND, workerId, services.clock.now().toISOString(), RECORD_FORM_LEASE_MS, RECORD_FORM_BATCH);
    for (const item of items) {
      const sessionId = typeof item.payload.sessionId === 'string' ? item.payload.sessionId : item.key;
      try {
        const outcome = await startRecordForm(services, ctx, sessionId, workerId, item.createdAt);
        const at = services.clock.now();
        if (outcome === 'busy') {
          // Another worker is posting this form now: look again soon (its lease may be about to run out).
          await services.work.retry(item.id, workerId, 'busy: another worker holds the session', new Date(at.getTime() + RECORD_FORM_BUSY_RECHECK_MS).toISOString());
          continue;
        }
        await services.work.complete(item.id, workerId, { outcome }, at.toISOString());
        remember(knownForms(services.store), recordIdFor(sessionId));
        if (outcome === 'posted') posted += 1;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        services.log.warn({ event: 'record.form-retry', attempts: item.attempts + 1, err: message }, 'a record form will be retried');
        await services.work.retry(item.id, workerId, message, new Date(services.clock.now().getTime() + retryDelayMs(item.attempts)).toISOString()).catch((e: unknown) => {
          // Not given back: its lease runs out and it is taken again then.
          services.log.warn({ event: 'record.form-retry-failed', err: e instanceof Error ? e.message : String(e) }, 'could not give a record form back to the queue');
        });
      }
    }
    if (items.length < RECORD_FORM_BATCH) break;
  }
  return posted;
}

/**
 * The catch-up: queues the form of each held session in the last
 * CARD_LOOKBACK_DAYS that has no posted form and no work item (seeded or
 * imported sessions, sessions stored held directly, a crash between a
 * session's save and its enqueue). It lists the recent sessions, so the jobs run
 * it on every run locally and, in a tenant, once a day and as an instance starts
 * (jobs/index.ts recordFormsRun). Returns how many it queued.
 */
export async function queueMissingRecordForms(services: RecordsDeps): Promise<number> {
  const now = services.clock.now().toISOString();
  const from = DateTime.fromISO(now).minus({ days: CARD_LOOKBACK_DAYS }).toUTC().toISO()!;
  const held = await services.store.listSessions({ status: ['held'], from });
  const known = knownForms(services.store);
  let queued = 0;
  for (const session of held) {
    const id = recordIdFor(session.id);
    // Known here once seen posted or queued: the usual case, every run, for every recent session.
    if (known.has(id)) continue;
    if (!(await services.store.listClaims(RECORD_CARD_KIND, id)).some((c) => c.key === id)) {
      // Already queued (pending, or done by the worker): the queue keeps one item per session.
      if (await queueRecordForms(services.work, [session.id], now)) queued += 1;
    }
    remember(known, id);
  }
  return queued;
}

/** What a person asks of a record from its card (or the tab's copy of it). */
export type RecordOp = 'view' | 'save' | 'submit' | 'add-action' | 'remove-action' | 'countersign' | 'request-changes' | 'disagree' | 'use-form';

export interface RecordRequest {
  op: RecordOp;
  recordId: string;
  /** The record's etag when the view was shown: an older one is answered with the latest view instead of acting. */
  etag?: string;
  /** How many action rows the form showed. */
  rows?: number;
  /** For 'use-form': the policy's other record form. */
  templateId?: string;
  /** For 'request-changes' and 'disagree'. */
  comment?: string;
  /**
   * What the person typed, read against the record's template and its stored
   * answers (an answer too long for the card keeps its stored value). Where the
   * answers came from (which card input held what) is the caller's business.
   */
  answers?: (template: RecordTemplate, stored: Record<string, unknown>, rows: number) => Record<string, unknown>;
  /**
   * The arrangement the view named. Only a hint that saves a round trip: its reads start beside the
   * record's and are used only when the record names the same arrangement (never shown before the access check).
   */
  relationshipId?: string;
}

/** Handles what `actor` asks of a record, returning the view to show them. */
export async function handleRecordAction(services: RecordsDeps, ctx: NotifyContext, actor: Person, request: RecordRequest): Promise<RecordView> {
  const verb = request.op;
  // The record names its arrangement: its sessions and open actions (most answers are the form, which
  // lists them) are read alongside the arrangement itself, not after it, and alongside the record too when
  // the view named the arrangement. Nothing read is shown or used before the access check below; a
  // rejected read is seen where it is used.
  const readArrangement = (relationshipId: string) => {
    const reads = {
      relationshipId,
      rel: services.store.getRelationship(relationshipId),
      sessions: services.store.listSessions({ relationshipIds: [relationshipId] }),
      openActions: services.store.listActions({ relationshipIds: [relationshipId], status: ['open'] }),
    };
    for (const r of [reads.rel, reads.sessions, reads.openActions]) r.catch(() => undefined);
    return reads;
  };
  const hinted = request.relationshipId ? readArrangement(request.relationshipId) : undefined;
  const record = await services.store.getRecord(request.recordId);
  // A missing record and someone else's answer alike, so a card cannot be used to probe record ids.
  const refusal = 'Only the people in this supervision can see or change its record.';
  if (!record) throw notFound(refusal);
  const reads = hinted?.relationshipId === record.relationshipId ? hinted : readArrangement(record.relationshipId);
  const sessionsRead = reads.sessions;
  const openActions = reads.openActions;
  const base = await loadRelationship(services, record, reads.rel);
  if (!partiesOf(base.rel).includes(actor.id)) {
    await audit(services, actor.id, 'record-access-refused', record, { verb });
    throw notFound(refusal);
  }
  // The parties and their conversation references (for the card's refresh list) load while a change is
  // judged and saved: the change itself needs only the arrangement, its policy and template, and its session.
  // A draft save, and a refresh by whoever may write the record, answer with the form, which starts from the
  // session's agenda: read beside the write (or the read's audit entry) too.
  const answersWithForm = verb === 'save' || (verb === 'view' && (record.status === 'draft' || record.status === 'changes-requested') && (record.authorId === actor.id || recorderIds(base.policy, base.rel).includes(actor.id)));
  const restRead = loadRest(services, record, base, sessionsRead).then((rest): Loaded => {
    if (!answersWithForm) return { ...rest, openActions };
    const agendaRead = formAgenda(services, { ...rest, openActions }, record.id);
    agendaRead.catch(() => undefined);
    return { ...rest, openActions, agendaRead };
  });
  restRead.catch(() => undefined);
  const now = services.clock.now().toISOString();
  const rows = request.rows ?? 0;
  const changes = (['save', 'submit', 'countersign', 'request-changes', 'disagree'] as string[]).includes(verb) && (request.etag === undefined || request.etag === record.etag);
  if (changes && !(await sessionsRead).some((s) => s.id === record.sessionId)) throw notFound('That session no longer exists');
  // Every other answer shows the record with its people: loaded now (`l`, set exactly when !changes).
  // A view is a read: its audit entry is written while the rest loads.
  const l = changes ? undefined : (await Promise.all([restRead, verb === 'view' ? audit(services, actor.id, 'record-read', record, { via: 'card' }) : undefined]))[0];

  if (verb === 'use-form') {
    const choice = chooseRecordForm({ record, templateId: request.templateId ?? '', policy: l!.policy, relationship: l!.rel, templates: templatesFor(l!.policy), actorId: actor.id, now });
    if (!choice.ok) throw badRequest(choice.error);
    if (choice.unchanged) return asForm(formView(services, ctx, l!, record));
    const saved = await services.store.saveRecord(choice.record, record.etag);
    await audit(services, actor.id, 'record-form-chosen', saved, { templateId: saved.templateId });
    return asForm(formView(services, ctx, await loadFor(services, saved), saved));
  }

  if (verb === 'view') {
    return viewFor(services, ctx, l!, record, actor.id);
  }

  // A view older than the record: show the latest instead of acting on stale data.
  if (request.etag !== undefined && request.etag !== record.etag) {
    return { ...(await viewFor(services, ctx, l!, record, actor.id)), banner: 'This record changed since that card was shown; here is the latest.' };
  }

  const typed = () => (request.answers ? request.answers(base.template, record.values, rows) : {});
  let command: RecordCommand;
  switch (verb) {
    case 'save':
      command = { kind: 'save-draft', values: typed() };
      break;
    case 'add-action':
    case 'remove-action': {
      const delta = verb === 'add-action' ? 1 : -1;
      const result = applyRecordCommand({ record, command: { kind: 'save-draft', values: typed() }, actorId: actor.id, relationship: base.rel, policy: base.policy, template: base.template, now });
      if (!result.ok) return asForm(formView(services, ctx, l!, record, { rows, errors: result.fieldErrors ?? [{ message: result.error }], values: typed() }));
      const saved = result.unchanged ? record : await services.store.saveRecord(result.record, record.etag);
      return asForm(formView(services, ctx, l!, saved, { rows: Math.max(0, rows + delta) }));
    }
    case 'submit':
      command = { kind: 'submit', values: typed() };
      break;
    case 'countersign':
      command = { kind: 'countersign' };
      break;
    case 'request-changes':
      command = { kind: 'request-changes', comment: request.comment ?? '' };
      break;
    case 'disagree':
      command = { kind: 'disagree', text: request.comment ?? '' };
      break;
    default:
      throw badRequest('Unknown record action');
  }

  const result = applyRecordCommand({ record, command, actorId: actor.id, relationship: base.rel, policy: base.policy, template: base.template, now });
  if (!result.ok) {
    const full = await restRead;
    const errors = result.fieldErrors?.length ? result.fieldErrors : [{ message: result.error }];
    if (command.kind === 'save-draft' || command.kind === 'submit') return asForm(formView(services, ctx, full, record, { rows, errors, values: command.values }));
    if (record.status === 'submitted') return asCountersign(countersignView(ctx, full, record, { errors, comment: request.comment ?? '' }));
    return asSummary(summaryView(ctx, full, { ...record }));
  }
  if (result.unchanged) return viewFor(services, ctx, await restRead, record, actor.id);

  let saved: SupervisionRecord;
  try {
    saved = await services.store.saveRecord(result.record, record.etag);
  } catch (err) {
    if (!(err instanceof ConcurrencyError)) throw err;
    return { ...(await viewFor(services, ctx, await restRead, err.current, actor.id)), banner: 'Someone else changed this record at the same moment; here is the latest.' };
  }
  // The audit entry, the locked record's actions (items of their own, carried forward until done) and the
  // outbox entry for the messages this change owes are independent writes: made together. The answer's
  // view waits for them, so a change the person is told about is whole.
  const locked = result.events.some((e) => e.kind === 'signed' || e.kind === 'disagreed');
  const [, , key, full] = await Promise.all([
    audit(services, actor.id, `record-${command.kind}`, saved, { status: saved.status }),
    locked ? services.store.saveActions(actionsFromRecord(saved, base.rel, now, base.template)) : undefined,
    queueRecordMessages(services, saved, result.events, actor.id),
    restRead,
  ]);
  // The messages are sent from the outbox now, but not inside Teams' invoke budget: the answer waits
  // only briefly for them (long enough where the store is local), and the jobs retry what fails.
  const delivery = key ? deliverSoon(services, ctx, key) : Promise.resolve(true);
  const [view, delivered] = await Promise.all([
    command.kind === 'save-draft' ? asForm(formView(services, ctx, full, saved, { rows, notice: 'Draft saved. You can come back to it at any time.' })) : viewFor(services, ctx, full, saved, actor.id),
    Promise.race([delivery, waitBriefly(DELIVERY_WAIT_MS)]),
  ]);
  // Still under way: not late, so nothing to say.
  if (delivered !== false) return view;
  // Tell the person what actually happened: their change is saved; only the messages are late.
  return { ...view, banner: 'Your change is saved. The messages it sends to the others could not go out just now; they will be sent automatically.' };
}

export const RECORD_MESSAGES_KIND = 'record-messages';
/** How long a card action waits for its messages before answering (Teams allows an invoke a few seconds in all). */
const DELIVERY_WAIT_MS = 250;

/** Resolves after `ms` without keeping the process alive for it. */
function waitBriefly(ms: number): Promise<undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms) as unknown as { unref?: () => void };
    timer.unref?.();
  });
}

/** Delivers the outbox now, in the background: true when `key` went, false when it failed (kept for the jobs). */
function deliverSoon(services: RecordsDeps, ctx: NotifyContext, key: string): Promise<boolean> {
  return deliverRecordMessages(services, ctx, `actions-${process.pid}`)
    .then(async (done) => done.has(key) || (await services.work.result(RECORD_MESSAGES_KIND, key)) !== undefined)
    .catch((err: unknown) => {
      services.log.warn({ event: 'record.messages-deferred', err: err instanceof Error ? err.message : String(err) }, 'record messages left for the jobs');
      return false;
    });
}
export const RECORD_MESSAGE_SENT = 'record-message-sent';

/** Puts the messages a record change owes in the outbox; returns its key (undefined when it owes none). */
async function queueRecordMessages(services: RecordsDeps, record: SupervisionRecord, events: RecordEvent[], actorId: string): Promise<string | undefined> {
  const owed = events.filter((e) => e.kind !== 'amended');
  if (owed.length === 0) return undefined;
  const key = `${record.id}|${record.etag}`;
  await services.work.enqueue(RECORD_MESSAGES_KIND, key, { recordId: record.id, actorId, events: owed }, services.clock.now().toISOString());
  return key;
}

/**
 * Sends the record messages waiting in the outbox: each recipient once (a
 * ledger claim per recipient, so a retry after a partial failure does not
 * repeat the ones that went), retried with backoff when a send fails.
 * Returns the keys completed now.
 */
export async function deliverRecordMessages(services: RecordsDeps, ctx: NotifyContext, workerId: string): Promise<Set<string>> {
  const now = services.clock.now();
  const items = await services.work.lease(RECORD_MESSAGES_KIND, workerId, now.toISOString(), 60_000, 20);
  const done = new Set<string>();
  for (const item of items) {
    try {
      const payload = item.payload as { recordId: string; actorId: string; events: RecordEvent[] };
      const record = await services.store.getRecord(payload.recordId);
      if (record) {
        const l = await loadFor(services, record);
        const sent = new Set((await services.store.listClaims(RECORD_MESSAGE_SENT, `${item.key}|`)).map((c) => c.key));
        const once = async (what: string, personId: string, send: () => Promise<unknown>) => {
          const claim = `${item.key}|${what}|${personId}`;
          if (sent.has(claim)) return;
          await send();
          await services.store.claim(RECORD_MESSAGE_SENT, claim, services.clock.now().toISOString());
        };
        await applyEvents(services, ctx, l, record, payload.events, payload.actorId, once);
      }
      await services.work.complete(item.id, workerId, { sent: true }, services.clock.now().toISOString());
      done.add(item.key);
    } catch (err) {
      const delay = retryDelayMs(item.attempts);
      services.log.warn({ event: 'record.messages-retry', attempts: item.attempts + 1, err: err instanceof Error ? err.message : String(err) }, 'record messages will be retried');
      await services.work.retry(item.id, workerId, err instanceof Error ? err.message : String(err), new Date(services.clock.now().getTime() + delay).toISOString());
    }
  }
  return done;
}

type Once = (what: string, personId: string, send: () => Promise<unknown>) => Promise<void>;

/** The messages a record change owes (run from the outbox; `once` sends each recipient's message at most once). */
async function applyEvents(services: RecordsDeps, ctx: NotifyContext, l: Loaded, record: SupervisionRecord, events: RecordEvent[], actorId: string, once: Once): Promise<void> {
  const now = services.clock.now().toISOString();
  for (const e of events) {
    // The record moved on: no posted card keeps an editable form (or its case text) for the old state.
    if (e.kind === 'submitted' || e.kind === 'changes-requested') await replacePostedCards(services, ctx, l, record);
    if (e.kind === 'submitted') {
      for (const id of e.notify) {
        const p = l.people.get(id);
        if (p) await once('countersign', id, () => post(services, ctx, record, p, { kind: 'record-countersign', view: countersignView(ctx, l, record) }));
      }
    } else if (e.kind === 'changes-requested') {
      for (const id of e.notify) {
        const p = l.people.get(id);
        if (p) await once('changes', id, async () => post(services, ctx, record, p, { kind: 'record-changes-requested', view: await formView(services, ctx, l, record) }));
      }
    } else if (e.kind === 'signed' || e.kind === 'disagreed') {
      await replacePostedCards(services, ctx, l, record);
      for (const id of e.copyTo) {
        const p = l.people.get(id);
        if (p) await once('copy', id, () => ctx.notifier.send(p.aadObjectId, { kind: 'record-signed-copy', sessionStart: l.session.start, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.record(record.id)), timeZone: l.policy.timeZone }));
      }
      if (e.kind === 'disagreed') {
        const managers = await escalationRecipients(services, l.rel, e.notifyTargets);
        for (const m of managers) {
          if (l.people.has(m.id)) continue; // a party is not their own escalation
          await once('disagreement', m.id, async () => {
          await ctx.notifier.send(m.aadObjectId, {
            kind: 'record-disagreement',
            sessionStart: l.session.start,
            superviseeName: l.rel.superviseeIds.map((id) => nameOf(l, id)).join(', '),
            supervisorName: nameOf(l, l.rel.supervisorId),
            tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.record(record.id)),
            timeZone: l.policy.timeZone,
          });
          await services.store.appendAudit({ at: now, actorId, action: 'disagreement-escalated', subjectType: 'record', subjectId: record.id, detail: { to: m.id } });
          });
        }
      }
    }
  }
}

/** "Mark done" on an action card: only its owner. Returns the action as it now stands. */
export async function markActionDoneFromCard(services: RecordsDeps, ctx: NotifyContext, actor: Person, actionId: string): Promise<ActionItemMessage> {
  const all = await services.store.listActions({ ownerId: actor.id });
  const action = all.find((a) => a.id === actionId);
  // Someone else's action answers as a missing one: action ids are not confirmed to strangers.
  if (!action) throw notFound('That action is not yours, or no longer exists');
  const now = services.clock.now().toISOString();
  const result = markActionDone(action, actor.id, now);
  if (!result.ok) throw forbidden(result.error);
  if (!result.unchanged) {
    await services.store.saveActions([result.action]);
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'action-done', subjectType: 'action', subjectId: action.id });
  }
  // Dates on the card (and "today", for Overdue) are read in the zone of the action's arrangement's pack.
  const rel = await services.store.getRelationship(action.relationshipId);
  const timeZone = zoneOf(rel ? services.policies.get(rel.policyId) : undefined);
  return { action: result.action, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.todo()), today: localDate(now, timeZone), timeZone };
}

/** Records a person may see: their own relationships' (auditors see all; whoever a disagreement asks to help resolve sees that record). */
export async function visibleRecords(services: RecordsDeps, actor: Person) {
  const rels = await services.store.listRelationships({});
  const auditor = actor.roles.includes('auditor');
  const mine = auditor ? rels : rels.filter((r) => partiesOf(r).includes(actor.id));
  const records = await services.store.listRecords({ relationshipIds: mine.map((r) => r.id) });
  const out = [...records];
  const shown = new Set(mine.map((r) => r.id));
  if (!auditor) {
    // Disagreements the policy sends to this person (a line manager, a safeguarding lead): only those records.
    const disagreed = await services.store.listRecords({ status: ['disagreed'] });
    const candidates = disagreed.filter((r) => !shown.has(r.relationshipId));
    if (candidates.length) {
      const people = new Map((await services.directory.listPeople()).map((p) => [p.id, p]));
      const relById = new Map(rels.map((r) => [r.id, r]));
      for (const rec of candidates) {
        const rel = relById.get(rec.relationshipId);
        const policy = rel && services.policies.get(rel.policyId);
        if (rel && policy && recordAccess(actor, rel, rec, people, policy.records.disagreementNotifies) === 'asked-to-resolve') {
          out.push(rec);
          if (!mine.includes(rel)) mine.push(rel);
        }
      }
    }
  }
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId: actor.id, action: 'read', subjectType: 'record-list', subjectId: actor.id, detail: { count: out.length } });
  return { rels: mine, records: out };
}

/** One record in full, for a party (or an auditor); every read audited. */
export async function readRecord(services: RecordsDeps, actor: Person, recordId: string) {
  const record = await services.store.getRecord(recordId);
  if (!record) throw notFound('No such record');
  const l = await loadFor(services, record);
  const people = new Map((await services.directory.listPeople()).map((p) => [p.id, p]));
  const access = recordAccess(actor, l.rel, record, people, l.policy.records.disagreementNotifies);
  await audit(services, actor.id, access ? 'record-read' : 'record-access-refused', record, { via: 'tab', ...(access ? { as: access } : {}) });
  // A record the caller may not see answers exactly as one that does not exist: ids are not confirmed to strangers.
  if (!access) throw notFound('No such record');
  const versions = await services.store.listRecordVersions(record.id);
  const actions = await services.store.listActions({ recordId: record.id });
  const names = namesMap(l);
  // Each answer as words (a choice by its title, a date as a day), by its field type's handler: the tab shows these.
  const words = { zone: l.policy.timeZone, names, supervisorName: nameOf(l, l.rel.supervisorId), superviseeNames: l.rel.superviseeIds.map((id) => nameOf(l, id)) };
  const answers = l.template.fields.filter((f) => FIELD_TYPES[f.type].editable).map((f) => ({ fieldId: f.id, text: displayAnswer(f, record.values[f.id], words) }));
  return { record, versions, actions, template: l.template, session: l.session, names, access, answers, timeZone: l.policy.timeZone };
}
