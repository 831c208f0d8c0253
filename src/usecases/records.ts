/**
 * Supervision records in Teams chat: the record form after each held session,
 * drafts, submission, countersignature (or changes / disagreement), locking,
 * the supervisee's signed copy, and actions carried forward. The pure rules
 * live in domain/records; this file loads, saves, posts and audits.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { recordAccess } from '../domain/access';
import type { ActionItem, Person, Relationship, Session, SupervisionRecord } from '../domain/model';
import type { PolicyPack, RecordTemplate } from '../domain/policy/schema';
import { recordFormIds, templatesFor } from '../domain/policy/validate';
import { chooseRecordForm } from '../domain/records/forms';
import { valuesFromCardInputs, actionRowsOf } from '../domain/records/validation';
import { actionsFromRecord, applyRecordCommand, draftRecord, markActionDone, partiesOf, recorderIds, type RecordCommand, type RecordEvent } from '../domain/records/workflow';
import {
  actionItemCard, countersignCard, disagreementNoticeCard, RECORD_CARD_SUMMARIES, recordFormCard, recordSummaryCard, signedCopyCard, COMMENT_INPUT_ID,
} from '../bot/cards/record';
import { withAgenda } from '../bot/cards/agenda';
import { agendaForRecordForm } from './agenda';
import type { AdaptiveCard } from '../ports/notifier';
import { ConcurrencyError } from '../ports/store';
import type { Services } from '../runtime/services';
import { badRequest, forbidden, notFound } from './errors';
import { escalationRecipients, type NotifyContext } from './rebooking';
import { TAB_ROUTES, tabLink } from './tabLinks';

const RECORD_CARD_KIND = 'record-card-posted';
/** Sessions that ended longer ago than this get no card (a freshly installed app must not flood people). */
const CARD_LOOKBACK_DAYS = 14;

export function recordIdFor(sessionId: string): string {
  return `rec-${createHash('sha256').update(sessionId).digest('hex').slice(0, 20)}`;
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
  /** All the arrangement's sessions, as read with `session`. */
  sessions?: Session[];
}

async function loadFor(services: Services, record: Pick<SupervisionRecord, 'relationshipId' | 'sessionId' | 'templateId'>): Promise<Loaded> {
  return loadRest(services, record, await loadRelationship(services, record));
}

type Base = Pick<Loaded, 'rel' | 'policy' | 'template'>;

async function loadRelationship(services: Services, record: Pick<SupervisionRecord, 'relationshipId' | 'templateId'>): Promise<Base> {
  const rel = await services.store.getRelationship(record.relationshipId);
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
async function loadRest(services: Services, record: Pick<SupervisionRecord, 'sessionId'>, base: Base): Promise<Loaded> {
  const { rel } = base;
  const [found, sessions] = await Promise.all([
    Promise.all(
      partiesOf(rel).map(async (id) => {
        const p = await services.directory.getPerson(id);
        return p ? { p, ref: await services.store.getConversationRef(p.aadObjectId) } : undefined;
      }),
    ),
    services.store.listSessions({ relationshipIds: [rel.id] }),
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

async function formCard(services: Services, ctx: NotifyContext, l: Loaded, record: SupervisionRecord, extra: { rows?: number; errors?: { fieldId?: string; message: string }[]; notice?: string; values?: Record<string, unknown> } = {}): Promise<AdaptiveCard> {
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
  const card = recordFormCard({
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
  });
  // The form starts from the session's agenda and agreement check (issue 18).
  const agenda = services.agenda ? await agendaForRecordForm({ agenda: services.agenda, records: services.store, directory: services.directory, policies: services.policies, clock: services.clock }, l.rel, l.session.id, l.sessions, { openActions: open, recordId: record.id, names: new Map([...l.people.values()].map((p) => [p.id, p.displayName])) }) : undefined;
  return withFormChoice(withAgenda(card, agenda), l, record);
}

/** Where the policy offers other record forms (Lingfield), the writer can switch to one while the record is a draft. */
function withFormChoice(card: AdaptiveCard, l: Loaded, record: SupervisionRecord): AdaptiveCard {
  if (record.status !== 'draft' && record.status !== 'changes-requested') return card;
  const templates = templatesFor(l.policy);
  const others = recordFormIds(l.policy).filter((id) => id !== record.templateId && templates.has(id));
  if (!others.length) return card;
  const actions = others.map((id) => ({ type: 'Action.Execute', title: `Use the ${templates.get(id)!.name} instead`, verb: 'record.useForm', data: { recordId: record.id, etag: record.etag, templateId: id } }));
  return { ...card, body: [...card.body, { type: 'ActionSet', actions }] };
}

function countersigningCard(ctx: NotifyContext, l: Loaded, record: SupervisionRecord, extra: { errors?: { fieldId?: string; message: string }[]; comment?: string } = {}): AdaptiveCard {
  return countersignCard({
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
  });
}

function summaryCard(ctx: NotifyContext, l: Loaded, record: SupervisionRecord): AdaptiveCard {
  return recordSummaryCard({ record, sessionStart: l.session.start, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.record(record.id)), names: namesMap(l), timeZone: l.policy.timeZone });
}

/** The right view of a record for one person (Universal Actions refresh, per user). */
async function viewFor(services: Services, ctx: NotifyContext, l: Loaded, record: SupervisionRecord, personId: string): Promise<AdaptiveCard> {
  const editable = (record.status === 'draft' || record.status === 'changes-requested') && (record.authorId === personId || recorderIds(l.policy, l.rel).includes(personId));
  if (editable) return formCard(services, ctx, l, record);
  const signed = new Set(record.signatures.map((s) => s.personId));
  if (record.status === 'submitted' && !signed.has(personId) && partiesOf(l.rel).includes(personId)) return countersigningCard(ctx, l, record);
  return summaryCard(ctx, l, record);
}

async function audit(services: Services, actorId: string, action: string, record: SupervisionRecord, detail: Record<string, string | number | boolean> = {}) {
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId, action, subjectType: 'record', subjectId: record.id, detail: { version: record.version, ...detail } });
}

async function post(services: Services, ctx: NotifyContext, record: SupervisionRecord, person: Person, card: AdaptiveCard, summary: string): Promise<void> {
  const posted = await ctx.notifier.sendCard(person.aadObjectId, card, summary);
  if (posted) await services.store.saveCardMessage({ key: `record:${record.id}`, aadObjectId: person.aadObjectId, ...posted, postedAt: services.clock.now().toISOString() });
}

/** Replaces every card posted about this record with the summary (no case detail left in chat). */
async function replacePostedCards(services: Services, ctx: NotifyContext, l: Loaded, record: SupervisionRecord): Promise<void> {
  for (const m of await services.store.listCardMessages(`record:${record.id}`)) {
    try {
      await ctx.notifier.updateCard(m.aadObjectId, m, summaryCard(ctx, l, record), RECORD_CARD_SUMMARIES.summary);
    } catch (err) {
      services.log.warn({ event: 'record.card-update-failed', record: record.id, err: err instanceof Error ? err.message : String(err) }, 'could not replace a posted card');
    }
  }
}

/**
 * Starts the record for each held session that has none and posts the form to
 * the recorder(s). Creating the record is the claim: the store refuses a second
 * record for the same id, so a session never gets two. The card is marked
 * posted in the ledger after it is sent (at least once; a lease stops two
 * workers sending at the same time).
 */
export async function startRecordsForHeldSessions(services: Services, ctx: NotifyContext, workerId: string): Promise<number> {
  const now = services.clock.now();
  const from = DateTime.fromJSDate(now).minus({ days: CARD_LOOKBACK_DAYS }).toUTC().toISO()!;
  const held = await services.store.listSessions({ status: ['held'], from });
  let posted = 0;
  for (const session of held) {
    const id = recordIdFor(session.id);
    // Already posted (the usual case, every run, for every recent session): one ledger read, before any record read.
    if ((await services.store.listClaims(RECORD_CARD_KIND, id)).some((c) => c.key === id)) continue;
    if (!(await services.work.acquireLease(`record-card:${session.id}`, workerId, now.toISOString(), 60_000))) continue;
    try {
      // A session's record may predate this code path (imported or seeded history): keep it.
      let record = (await services.store.getRecordForSession(session.id)) ?? (await services.store.getRecord(id));
      const rel = await services.store.getRelationship(session.relationshipId);
      const policy = rel && services.policies.get(rel.policyId);
      if (!rel || !policy) continue;
      if (!record) {
        try {
          record = await services.store.saveRecord(draftRecord({ id, sessionId: session.id, relationship: rel, policy, now: now.toISOString() }));
          await audit(services, 'system:records', 'record-started', record);
        } catch (err) {
          if (!(err instanceof ConcurrencyError)) throw err;
          record = err.current;
        }
      }
      if ((await services.store.listClaims(RECORD_CARD_KIND, record.id)).length) continue;
      // Already submitted or signed (in the tab, before the job ran): no form to post.
      if (record.status !== 'draft') {
        await services.store.claim(RECORD_CARD_KIND, record.id, now.toISOString());
        continue;
      }
      const l = await loadFor(services, record);
      for (const personId of recorderIds(policy, rel)) {
        const person = l.people.get(personId);
        if (person) await post(services, ctx, record, person, await formCard(services, ctx, l, record), RECORD_CARD_SUMMARIES.form);
      }
      await services.store.claim(RECORD_CARD_KIND, record.id, now.toISOString());
      posted += 1;
    } finally {
      await services.work.releaseLease(`record-card:${session.id}`, workerId);
    }
  }
  return posted;
}

interface ActionData {
  recordId: string;
  etag?: string;
  rows?: number;
  [input: string]: unknown;
}

function parseData(data: Record<string, unknown>): ActionData {
  if (typeof data.recordId !== 'string' || !data.recordId) throw badRequest('This card is missing its record');
  return data as ActionData;
}

/** Handles a record card's Action.Execute verb for `actor`, returning the card to show them. */
export async function handleRecordAction(services: Services, ctx: NotifyContext, actor: Person, verb: string, raw: Record<string, unknown>): Promise<AdaptiveCard> {
  const data = parseData(raw);
  const record = await services.store.getRecord(data.recordId);
  // A missing record and someone else's answer alike, so a card cannot be used to probe record ids.
  const refusal = 'Only the people in this supervision can see or change its record.';
  if (!record) throw notFound(refusal);
  const base = await loadRelationship(services, record);
  if (!partiesOf(base.rel).includes(actor.id)) {
    await audit(services, actor.id, 'record-access-refused', record, { verb });
    throw notFound(refusal);
  }
  // A card refresh is a read: its audit entry is written while the rest loads.
  // Most answers are the form, which lists the open actions: read them alongside too (a rejected read is seen where it is used).
  const openActions = services.store.listActions({ relationshipIds: [base.rel.id], status: ['open'] });
  openActions.catch(() => undefined);
  const [rest] = await Promise.all([loadRest(services, record, base), verb === 'record.refresh' ? audit(services, actor.id, 'record-read', record, { via: 'card' }) : undefined]);
  const l: Loaded = { ...rest, openActions };
  const now = services.clock.now().toISOString();
  const rows = Number.isFinite(Number(data.rows)) ? Number(data.rows) : 0;

  if (verb === 'record.useForm') {
    const choice = chooseRecordForm({ record, templateId: String(data.templateId ?? ''), policy: l.policy, relationship: l.rel, templates: templatesFor(l.policy), actorId: actor.id, now });
    if (!choice.ok) throw badRequest(choice.error);
    if (choice.unchanged) return formCard(services, ctx, l, record);
    const saved = await services.store.saveRecord(choice.record, record.etag);
    await audit(services, actor.id, 'record-form-chosen', saved, { templateId: saved.templateId });
    return formCard(services, ctx, await loadFor(services, saved), saved);
  }

  if (verb === 'record.refresh') {
    return viewFor(services, ctx, l, record, actor.id);
  }

  // A card older than the record: show the latest instead of acting on stale data.
  if (data.etag !== undefined && data.etag !== record.etag) {
    const latest = await viewFor(services, ctx, l, record, actor.id);
    return { ...latest, body: [{ type: 'TextBlock', wrap: true, weight: 'Bolder', color: 'Warning', text: 'This record changed since that card was shown; here is the latest.' }, ...latest.body] };
  }

  const typed = () => valuesFromCardInputs(l.template, data, rows, record.values);
  let command: RecordCommand;
  switch (verb) {
    case 'record.save':
      command = { kind: 'save-draft', values: typed() };
      break;
    case 'record.addAction':
    case 'record.removeAction': {
      const delta = verb === 'record.addAction' ? 1 : -1;
      const result = applyRecordCommand({ record, command: { kind: 'save-draft', values: typed() }, actorId: actor.id, relationship: l.rel, policy: l.policy, template: l.template, now });
      if (!result.ok) return formCard(services, ctx, l, record, { rows, errors: result.fieldErrors ?? [{ message: result.error }], values: typed() });
      const saved = result.unchanged ? record : await services.store.saveRecord(result.record, record.etag);
      return formCard(services, ctx, l, saved, { rows: Math.max(0, rows + delta) });
    }
    case 'record.submit':
      command = { kind: 'submit', values: typed() };
      break;
    case 'record.countersign':
      command = { kind: 'countersign' };
      break;
    case 'record.requestChanges':
      command = { kind: 'request-changes', comment: String(data[COMMENT_INPUT_ID] ?? '') };
      break;
    case 'record.disagree':
      command = { kind: 'disagree', text: String(data[COMMENT_INPUT_ID] ?? '') };
      break;
    default:
      throw badRequest('Unknown record action');
  }

  const result = applyRecordCommand({ record, command, actorId: actor.id, relationship: l.rel, policy: l.policy, template: l.template, now });
  if (!result.ok) {
    const errors = result.fieldErrors?.length ? result.fieldErrors : [{ message: result.error }];
    if (command.kind === 'save-draft' || command.kind === 'submit') return formCard(services, ctx, l, record, { rows, errors, values: command.values });
    if (record.status === 'submitted') return countersigningCard(ctx, l, record, { errors, comment: String(data[COMMENT_INPUT_ID] ?? '') });
    return summaryCard(ctx, l, { ...record });
  }
  if (result.unchanged) return viewFor(services, ctx, l, record, actor.id);

  let saved: SupervisionRecord;
  try {
    saved = await services.store.saveRecord(result.record, record.etag);
  } catch (err) {
    if (!(err instanceof ConcurrencyError)) throw err;
    const latest = await viewFor(services, ctx, l, err.current, actor.id);
    return { ...latest, body: [{ type: 'TextBlock', wrap: true, weight: 'Bolder', color: 'Warning', text: 'Someone else changed this record at the same moment; here is the latest.' }, ...latest.body] };
  }
  // The audit entry, the locked record's actions (items of their own, carried forward until done) and the
  // outbox entry for the messages this change owes are independent writes: made together. The answer's
  // card waits for them, so a change the person is told about is whole.
  const locked = result.events.some((e) => e.kind === 'signed' || e.kind === 'disagreed');
  const [, , key] = await Promise.all([
    audit(services, actor.id, `record-${command.kind}`, saved, { status: saved.status }),
    locked ? services.store.saveActions(actionsFromRecord(saved, l.rel, now, l.template)) : undefined,
    queueRecordMessages(services, saved, result.events, actor.id),
  ]);
  // The messages are sent from the outbox now, but not inside Teams' invoke budget: the answer waits
  // only briefly for them (long enough where the store is local), and the jobs retry what fails.
  const delivery = key ? deliverSoon(services, ctx, key) : Promise.resolve(true);
  const [card, delivered] = await Promise.all([
    command.kind === 'save-draft' ? formCard(services, ctx, l, saved, { rows, notice: 'Draft saved. You can come back to it at any time.' }) : viewFor(services, ctx, l, saved, actor.id),
    Promise.race([delivery, waitBriefly(DELIVERY_WAIT_MS)]),
  ]);
  // Still under way: not late, so nothing to say.
  if (delivered !== false) return card;
  // Tell the person what actually happened: their change is saved; only the messages are late.
  return { ...card, body: [{ type: 'TextBlock', wrap: true, weight: 'Bolder', color: 'Warning', text: 'Your change is saved. The messages it sends to the others could not go out just now; they will be sent automatically.' }, ...card.body] };
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
function deliverSoon(services: Services, ctx: NotifyContext, key: string): Promise<boolean> {
  return deliverRecordMessages(services, ctx, `actions-${process.pid}`)
    .then(async (done) => done.has(key) || (await services.work.result(RECORD_MESSAGES_KIND, key)) !== undefined)
    .catch((err: unknown) => {
      services.log.warn({ event: 'record.messages-deferred', err: err instanceof Error ? err.message : String(err) }, 'record messages left for the jobs');
      return false;
    });
}
const RECORD_MESSAGE_SENT = 'record-message-sent';

/** Puts the messages a record change owes in the outbox; returns its key (undefined when it owes none). */
async function queueRecordMessages(services: Services, record: SupervisionRecord, events: RecordEvent[], actorId: string): Promise<string | undefined> {
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
export async function deliverRecordMessages(services: Services, ctx: NotifyContext, workerId: string): Promise<Set<string>> {
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
      const delay = Math.min(15 * 60_000, 5_000 * 2 ** item.attempts);
      services.log.warn({ event: 'record.messages-retry', attempts: item.attempts + 1, err: err instanceof Error ? err.message : String(err) }, 'record messages will be retried');
      await services.work.retry(item.id, workerId, err instanceof Error ? err.message : String(err), new Date(services.clock.now().getTime() + delay).toISOString());
    }
  }
  return done;
}

type Once = (what: string, personId: string, send: () => Promise<unknown>) => Promise<void>;

/** The messages a record change owes (run from the outbox; `once` sends each recipient's message at most once). */
async function applyEvents(services: Services, ctx: NotifyContext, l: Loaded, record: SupervisionRecord, events: RecordEvent[], actorId: string, once: Once): Promise<void> {
  const now = services.clock.now().toISOString();
  for (const e of events) {
    // The record moved on: no posted card keeps an editable form (or its case text) for the old state.
    if (e.kind === 'submitted' || e.kind === 'changes-requested') await replacePostedCards(services, ctx, l, record);
    if (e.kind === 'submitted') {
      for (const id of e.notify) {
        const p = l.people.get(id);
        if (p) await once('countersign', id, () => post(services, ctx, record, p, countersigningCard(ctx, l, record), RECORD_CARD_SUMMARIES.countersign));
      }
    } else if (e.kind === 'changes-requested') {
      for (const id of e.notify) {
        const p = l.people.get(id);
        if (p) await once('changes', id, async () => post(services, ctx, record, p, await formCard(services, ctx, l, record), RECORD_CARD_SUMMARIES.changesRequested));
      }
    } else if (e.kind === 'signed' || e.kind === 'disagreed') {
      await replacePostedCards(services, ctx, l, record);
      for (const id of e.copyTo) {
        const p = l.people.get(id);
        if (p) await once('copy', id, () => ctx.notifier.sendCard(p.aadObjectId, signedCopyCard({ sessionStart: l.session.start, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.record(record.id)), timeZone: l.policy.timeZone }), RECORD_CARD_SUMMARIES.signedCopy));
      }
      if (e.kind === 'disagreed') {
        const managers = await escalationRecipients(services, l.rel, e.notifyTargets);
        for (const m of managers) {
          if (l.people.has(m.id)) continue; // a party is not their own escalation
          await once('disagreement', m.id, async () => {
          await ctx.notifier.sendCard(
            m.aadObjectId,
            disagreementNoticeCard({ sessionStart: l.session.start, superviseeName: l.rel.superviseeIds.map((id) => nameOf(l, id)).join(', '), supervisorName: nameOf(l, l.rel.supervisorId), tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.record(record.id)), timeZone: l.policy.timeZone }),
            RECORD_CARD_SUMMARIES.disagreement,
          );
          await services.store.appendAudit({ at: now, actorId, action: 'disagreement-escalated', subjectType: 'record', subjectId: record.id, detail: { to: m.id } });
          });
        }
      }
    }
  }
}

/** "Mark done" on an action card: only its owner. */
export async function markActionDoneFromCard(services: Services, ctx: NotifyContext, actor: Person, actionId: string): Promise<AdaptiveCard> {
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
  return actionItemCard({ action: result.action, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.todo()), today: now.slice(0, 10) });
}

/** Records a person may see: their own relationships' (auditors see all; whoever a disagreement asks to help resolve sees that record). */
export async function visibleRecords(services: Services, actor: Person) {
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
export async function readRecord(services: Services, actor: Person, recordId: string) {
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
  return { record, versions, actions, template: l.template, session: l.session, names: namesMap(l), access };
}
