/**
 * Moves that ask first (issue 18): in a pack's `propose` mode a cancelled
 * session's best replacement slot is held as tentative in both calendars, the
 * supervisee is asked to accept it or pick another offered time within the
 * pack's answerWithin, and only then is it booked; with no answer by then, the
 * held slot is booked.
 *
 * Exactly once, across instances and crashes: the first of accept, choose or
 * timeout claims the settlement in the ledger (kind SETTLED_KIND of the
 * cancelled session); the booking that follows is idempotent (the calendar
 * create carries a transaction id, the replacement session id is derived), and
 * the timeout work item, which always runs, finishes any booking a crash cut short.
 *
 * Returns outcomes; the bot renders the notices (src/bot/moveNotices.ts).
 */
import type { Person, Relationship, Session } from '../domain/model';
import { answerBy as answerDeadline, moveRefusal } from '../domain/moves';
import type { PolicyPack } from '../domain/policy/schema';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { RecordStore } from '../ports/store';
import type { MoveNotice, Proposal } from '../ports/messages';
import type { WorkQueue } from '../ports/workQueue';
import { SESSION_SUBJECT } from './sessionEvents';
import { AppError, badRequest, notFound } from './errors';

export const PROPOSAL_TIMEOUT_KIND = 'rebook-proposal-timeout';
/**
 * Ledger kinds are per cancelled session: a SharePoint ledger is read by kind
 * (an indexed column), so reading one proposal costs one small query, not every proposal's.
 */
const PROPOSAL_KIND = (cancelledId: string) => `rebook-proposal:${cancelledId}`;
const SETTLED_KIND = (cancelledId: string) => `rebook-proposal-settled:${cancelledId}`;
const LEASE_MS = 30_000;

export interface Slot {
  start: string;
  end: string;
}

export interface MoveDeps {
  calendar: Pick<CalendarPort, 'createEvent' | 'cancelOccurrence' | 'listEvents'>;
  work: Pick<WorkQueue, 'enqueue' | 'lease' | 'complete' | 'retry'>;
  store: Pick<RecordStore, 'claim' | 'listClaims' | 'getSession' | 'listSessions' | 'saveSessions' | 'appendAudit' | 'getRelationship'>;
  directory: Pick<DirectoryPort, 'getPerson'>;
  policies: ReadonlyMap<string, PolicyPack>;
  clock: Clock;
}

/** The proposal and the notices the bot renders live with the other messages (ports/messages); named here too for existing callers. */
export type { MoveNotice, Proposal };

export type MoveTeller = (person: Person, notice: MoveNotice) => Promise<void>;

const names = async (deps: MoveDeps, ids: string[]) => (await Promise.all(ids.map((id) => deps.directory.getPerson(id)))).filter((p): p is Person => Boolean(p));

/**
 * Holds `slot` as tentative in both calendars and asks. Called by the rebooker
 * (rebooking.ts) in place of booking, when the pack's moves.mode is propose.
 */
export async function proposeRebook(
  deps: MoveDeps,
  tell: MoveTeller,
  input: { rel: Relationship; policy: PolicyPack; cancelled: Session; replacementId: string; slot: Slot; alternatives: Slot[]; why: string },
): Promise<Record<string, unknown>> {
  const { rel, policy, cancelled, replacementId, slot } = input;
  const now = deps.clock.now().toISOString();
  const hold = await deps.calendar.createEvent({
    organiserId: rel.supervisorId,
    attendeeIds: rel.superviseeIds,
    subject: rel.kind === 'group' ? SESSION_SUBJECT.group : SESSION_SUBJECT.individual,
    start: slot.start,
    end: slot.end,
    timeZone: policy.timeZone,
    // Tentative until the supervisee accepts (or nobody answers in time): both calendars show it held, not booked.
    showAs: 'tentative',
    sensitivity: 'private',
    onlineMeeting: false,
    reminderMinutes: 15,
    appTag: replacementId,
    transactionId: `rebook:${cancelled.id}`,
  });
  const proposal: Proposal = {
    cancelledId: cancelled.id, relationshipId: rel.id, replacementId, held: slot, holdEventId: hold.id, alternatives: input.alternatives.slice(0, 3), answerBy: answerDeadline(policy, now, slot.start), original: { start: cancelled.start, end: cancelled.end },
  };
  await rememberProposal(deps, proposal);
  // Becomes available at the deadline: then the held slot is booked unless an answer came first.
  await deps.work.enqueue(PROPOSAL_TIMEOUT_KIND, cancelled.id, { ...proposal }, proposal.answerBy);
  await deps.store.appendAudit({ at: now, actorId: 'system:rebooker', action: 'rebook-proposed', subjectType: 'session', subjectId: cancelled.id, detail: { held: slot.start, answerBy: proposal.answerBy } });
  const people = await names(deps, [rel.supervisorId, ...rel.superviseeIds]);
  const superviseeNames = people.filter((p) => rel.superviseeIds.includes(p.id)).map((p) => p.displayName);
  for (const p of people) {
    const withNames = people.filter((x) => x.id !== p.id).map((x) => x.displayName);
    await tell(p, { kind: 'proposed', to: rel.superviseeIds.includes(p.id) ? 'supervisee' : 'supervisor', policyName: policy.name, withNames, superviseeNames, why: input.why, proposal, timeZone: policy.timeZone });
  }
  return { outcome: 'proposed', replacementId, slot, alternatives: proposal.alternatives, answerBy: proposal.answerBy, holdEventId: hold.id };
}

async function proposalOf(deps: MoveDeps, cancelledId: string, relationshipId: string, actor: Person): Promise<{ proposal: Proposal; rel: Relationship; policy: PolicyPack }> {
  const rel = await deps.store.getRelationship(relationshipId);
  if (!rel || ![rel.supervisorId, ...rel.superviseeIds].includes(actor.id)) throw notFound('That session is not one you can change, or it no longer exists');
  const policy = deps.policies.get(rel.policyId);
  if (!policy) throw notFound('Policy not loaded');
  const claims = await deps.store.listClaims(PROPOSAL_KIND(cancelledId));
  const proposal = claims.find((c) => c.key === cancelledId)?.detail as Proposal | undefined;
  if (!proposal || proposal.relationshipId !== rel.id) throw notFound('That proposal no longer exists');
  return { proposal, rel, policy };
}

/** Keeps the proposal where the answer handlers can read it (the work item's payload is the queue's own). */
export async function rememberProposal(deps: Pick<MoveDeps, 'store' | 'clock'>, proposal: Proposal): Promise<void> {
  await deps.store.claim(PROPOSAL_KIND(proposal.cancelledId), proposal.cancelledId, deps.clock.now().toISOString(), { ...proposal });
}

/** The supervisee accepts the held time, or picks one of the offered others. */
export async function answerProposal(deps: MoveDeps, tell: MoveTeller, actor: Person, input: { cancelledId: string; relationshipId: string; start?: string; end?: string }): Promise<MoveNotice> {
  const { proposal, rel, policy } = await proposalOf(deps, input.cancelledId, input.relationshipId, actor);
  if (!rel.superviseeIds.includes(actor.id)) throw new AppError(403, `The new time is for ${rel.superviseeIds.length > 1 ? 'the supervisees' : 'your supervisee'} to accept or change; it will be booked as held if they do not answer by then.`);
  const now = deps.clock.now().toISOString();
  let slot = proposal.held;
  if (input.start && input.end && input.start !== proposal.held.start) {
    const offered = proposal.alternatives.find((a) => a.start === input.start && a.end === input.end);
    if (!offered) throw badRequest('That time was not one of the offered times');
    const refusal = moveRefusal(policy, offered.start, now, 'That time');
    if (refusal) throw badRequest(refusal);
    slot = offered;
  }
  const how = slot === proposal.held ? 'accepted' : 'chose';
  const settled = await settle(deps, proposal, { slot, how, by: actor.id, at: now });
  if (settled.how !== how || settled.slot.start !== slot.start) {
    // Someone (or the deadline) answered first: say what was booked.
    throw badRequest(settled.how === 'no-answer' ? 'No answer came in time, so the held time was booked; move it from the session page if it does not suit you both.' : 'This has already been answered; the session is booked.');
  }
  return finish(deps, tell, proposal, settled);
}

interface Settlement {
  slot: Slot;
  how: 'accepted' | 'chose' | 'no-answer';
  by?: string;
  at: string;
}

/** The first answer wins (a ledger claim); later ones read it. */
async function settle(deps: MoveDeps, proposal: Proposal, s: Settlement): Promise<Settlement> {
  if (await deps.store.claim(SETTLED_KIND(proposal.cancelledId), proposal.cancelledId, s.at, { start: s.slot.start, end: s.slot.end, how: s.how, ...(s.by ? { by: s.by } : {}) })) return s;
  const d = (await deps.store.listClaims(SETTLED_KIND(proposal.cancelledId))).find((c) => c.key === proposal.cancelledId)?.detail as Record<string, string> | undefined;
  if (!d) throw new Error(`proposal ${proposal.cancelledId} settled but its settlement cannot be read`);
  return { slot: { start: d.start!, end: d.end! }, how: d.how as Settlement['how'], ...(d.by ? { by: d.by } : {}), at: s.at };
}

/** Books the settled time: the tentative hold goes, a busy event is made, the replacement session is saved, both are told. Safe to repeat. */
async function finish(deps: MoveDeps, tell: MoveTeller, proposal: Proposal, s: Settlement): Promise<MoveNotice> {
  const rel = await deps.store.getRelationship(proposal.relationshipId);
  if (!rel) throw notFound('That supervision arrangement no longer exists');
  const policy = deps.policies.get(rel.policyId);
  if (!policy) throw notFound('Policy not loaded');
  const people = await names(deps, [rel.supervisorId, ...rel.superviseeIds]);
  const byName = s.by ? people.find((p) => p.id === s.by)?.displayName : undefined;
  const notice = (p?: Person): MoveNotice => ({ kind: 'booked', how: s.how, ...(byName ? { byName } : {}), withNames: people.filter((x) => x.id !== p?.id).map((x) => x.displayName), booked: s.slot, answerBy: proposal.answerBy, replacementId: proposal.replacementId, timeZone: policy.timeZone });
  if ((await deps.store.getSession(proposal.replacementId))?.relationshipId === rel.id) return notice();
  const now = deps.clock.now().toISOString();
  try {
    await deps.calendar.cancelOccurrence(rel.supervisorId, proposal.holdEventId, undefined, 'The held time is replaced by the booked session');
  } catch (err) {
    // Already gone (a repeat after a crash) is fine; a hold still there is not.
    const still = (await deps.calendar.listEvents(rel.supervisorId, proposal.held)).some((e) => e.id === proposal.holdEventId && !e.isCancelled);
    if (still) throw err;
  }
  const created = await deps.calendar.createEvent({
    organiserId: rel.supervisorId,
    attendeeIds: rel.superviseeIds,
    subject: rel.kind === 'group' ? SESSION_SUBJECT.group : SESSION_SUBJECT.individual,
    start: s.slot.start,
    end: s.slot.end,
    timeZone: policy.timeZone,
    showAs: 'busy',
    sensitivity: 'private',
    onlineMeeting: true,
    reminderMinutes: 15,
    appTag: proposal.replacementId,
    transactionId: `rebook-confirm:${proposal.cancelledId}`,
  });
  const replacement: Session = {
    id: proposal.replacementId, relationshipId: rel.id, start: s.slot.start, end: s.slot.end, status: 'planned', kind: 'rebooked', calendarEventId: created.id, replacesSessionId: proposal.cancelledId,
  };
  await deps.store.saveSessions([replacement]);
  await deps.store.appendAudit({ at: now, actorId: s.by ?? 'system:rebooker', action: 'session-rebooked', subjectType: 'session', subjectId: replacement.id, detail: { replaces: proposal.cancelledId, how: s.how } });
  for (const p of people) await tell(p, notice(p));
  return notice();
}

/** The timeout job: proposals past their deadline are booked as held (or, if answered, their booking is finished). */
export async function settleDueProposals(deps: MoveDeps, tell: MoveTeller, workerId: string, log?: { error(o: object, m: string): void }): Promise<number> {
  const now = deps.clock.now().toISOString();
  const items = await deps.work.lease(PROPOSAL_TIMEOUT_KIND, workerId, now, LEASE_MS, 20);
  for (const item of items) {
    try {
      const proposal = item.payload as unknown as Proposal;
      const settled = await settle(deps, proposal, { slot: proposal.held, how: 'no-answer', at: now });
      await finish(deps, tell, proposal, settled);
      await deps.work.complete(item.id, workerId, { outcome: 'booked', how: settled.how }, deps.clock.now().toISOString());
    } catch (err) {
      log?.error({ event: 'rebook-proposal.failed', key: item.key, attempts: item.attempts, err: err instanceof Error ? err.message : String(err) }, 'booking a proposed time failed; will retry');
      await deps.work.retry(item.id, workerId, err instanceof Error ? err.message : String(err), new Date(deps.clock.now().getTime() + Math.min(15 * 60_000, 5_000 * 2 ** item.attempts)).toISOString());
    }
  }
  return items.length;
}
