/**
 * One session's page: reschedule one occurrence among both people's common
 * free times (the series stays one series: only that occurrence moves, in both
 * calendars), cancel one occurrence with a reason under the pack's rules, and
 * end a series from a date (to change it, end it and book the new pattern).
 * Returns view models; the tab renders them.
 */
import { moveRefusal } from '../domain/moves';
import { DateTime, Duration } from 'luxon';
import type { Interval, Person, Relationship, Session } from '../domain/model';
import { rebook } from '../domain/planning/rebooker';
import type { PolicyPack } from '../domain/policy/schema';
import { findStaffGroup } from '../domain/policy/validate';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import { badRequest, conflict, forbidden, notFound } from './errors';
import { gatherParticipants } from './participants';
import { escalationRecipients } from './escalation';
import type { NotifyContext } from './rebooking';
import { TAB_ROUTES, tabLink } from './tabLinks';
import { missingMeetingLink } from './meetingLinks';
import { ledgerKeys } from './ids';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface SessionsDeps {
  clock: Clock;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  calendar: CalendarPort;
}

export interface SessionView {
  id: string;
  relationshipId: string;
  start: string;
  end: string;
  status: Session['status'];
  kind: Session['kind'];
  seriesId?: string;
  with: string[];
  supervisor: string;
  supervisees: string[];
  /** Booked without a Teams meeting link (the organiser's calendar does not allow Teams meetings): add a location or a link. */
  noMeetingLink: boolean;
  /** What the caller may do here, under the pack. */
  can: { reschedule: boolean; cancel: boolean; endSeries: boolean; keepRebookedTime: boolean };
  cancelRule: string;
  /** The pack's zone: the times shown (and offered to move to) are read in it. */
  timeZone: string;
}

export interface RescheduleOptions {
  slots: Interval[];
  /** Both people's busy times over the window, so the choice is visible. */
  busy: { personId: string; name: string; intervals: Interval[] }[];
  window: Interval;
}

interface Loaded {
  session: Session;
  rel: Relationship;
  policy: PolicyPack;
  people: Person[];
}

async function load(services: SessionsDeps, actor: Person, sessionId: string): Promise<Loaded> {
  const rels = await services.store.listRelationships({ personId: actor.id });
  const session = await services.store.getSession(sessionId);
  const rel = session && rels.find((r) => r.id === session.relationshipId);
  if (!session || !rel || ![rel.supervisorId, ...rel.superviseeIds].includes(actor.id)) throw notFound('No such session of yours');
  const policy = services.policies.get(rel.policyId);
  if (!policy) throw notFound('Policy not loaded');
  const people = (await Promise.all([rel.supervisorId, ...rel.superviseeIds].map((id) => services.directory.getPerson(id)))).filter((p): p is Person => Boolean(p));
  return { session, rel, policy, people };
}

function cancelRuleOf(policy: PolicyPack) {
  return policy.rebooking.keepCancelled ?? { allowedBy: policy.rebooking.responsible, notify: ['supervisor', 'supervisee', 'supervisor-line-manager'] as const };
}

function mayCancel(policy: PolicyPack, rel: Relationship, actor: Person): boolean {
  const rule = cancelRuleOf(policy);
  return rule.allowedBy === 'either' || (rule.allowedBy === 'supervisor' ? rel.supervisorId === actor.id : rel.superviseeIds.includes(actor.id));
}

export async function sessionView(services: SessionsDeps, actor: Person, sessionId: string): Promise<SessionView> {
  const { session, rel, policy, people } = await load(services, actor, sessionId);
  const name = (id: string) => people.find((p) => p.id === id)?.displayName ?? 'a colleague';
  const planned = session.status === 'planned' && session.start > services.clock.now().toISOString();
  const rule = cancelRuleOf(policy);
  const keptKey = ledgerKeys.rebookConfirmed.format({ sessionId: session.id, personId: actor.id });
  const [noMeetingLink, kept] = await Promise.all([
    missingMeetingLink(services.store, session),
    session.kind === 'rebooked' && planned ? services.store.listClaims(ledgerKeys.rebookConfirmed.kind, keptKey).then((cs) => cs.some((c) => c.key === keptKey)) : Promise.resolve(true),
    services.store.appendAudit({ at: services.clock.now().toISOString(), actorId: actor.id, action: 'read', subjectType: 'session', subjectId: session.id }),
  ]);
  return {
    id: session.id,
    relationshipId: rel.id,
    start: session.start,
    end: session.end,
    status: session.status,
    kind: session.kind,
    seriesId: session.seriesId,
    with: [rel.supervisorId, ...rel.superviseeIds].filter((id) => id !== actor.id).map(name),
    supervisor: name(rel.supervisorId),
    supervisees: rel.superviseeIds.map(name),
    noMeetingLink,
    can: { reschedule: planned, cancel: planned && mayCancel(policy, rel, actor), endSeries: planned && Boolean(session.seriesId) && rel.supervisorId === actor.id, keepRebookedTime: !kept },
    cancelRule: `Under ${policy.name}, ${rule.allowedBy === 'either' ? 'either of you' : `the ${rule.allowedBy}`} may cancel a session without rebooking it; ${rule.notify.join(', ').replace(/-/g, ' ')} are told.`,
    timeZone: policy.timeZone,
  };
}

/**
 * "Keep this time" for a session the app rebooked: the party accepts the new time, so it leaves
 * their to-do list (the other choices, another time or keeping it cancelled, stay on the page).
 * Once per person; audited.
 */
export async function keepRebookedTime(services: SessionsDeps, actor: Person, sessionId: string): Promise<SessionView> {
  const { session } = await load(services, actor, sessionId);
  const now = services.clock.now().toISOString();
  if (session.kind !== 'rebooked') throw badRequest('Only a rebooked session asks you to keep its time');
  if (session.status !== 'planned' || session.start <= now) throw badRequest('That session is no longer planned');
  const first = await services.store.claim(ledgerKeys.rebookConfirmed.kind, ledgerKeys.rebookConfirmed.format({ sessionId, personId: actor.id }), now);
  if (first) await services.store.appendAudit({ at: now, actorId: actor.id, action: 'rebooked-time-kept', subjectType: 'session', subjectId: sessionId });
  return sessionView(services, actor, sessionId);
}

/** Common free times for one occurrence, inside the policy's rebook window around it. */
export async function rescheduleOptions(services: SessionsDeps, actor: Person, sessionId: string): Promise<RescheduleOptions> {
  const { session, rel, policy, people } = await load(services, actor, sessionId);
  if (session.status !== 'planned') throw badRequest('Only a planned session can be moved');
  const group = findStaffGroup(policy, rel.staffGroupId);
  if (!group) throw notFound('Staff group not in the policy');
  const now = services.clock.now().toISOString();
  const windowEnd = DateTime.fromISO(session.start, { zone: policy.timeZone }).plus(Duration.fromISO(policy.rebooking.window)).plus({ days: 3 });
  const window = { start: now, end: DateTime.max(windowEnd, DateTime.fromISO(now).plus({ days: 7 })).toUTC().toISO()! };
  // This occurrence's own time is not "busy" for the search (it is the one moving).
  const participants = await gatherParticipants(services.calendar, policy, [rel.supervisorId, ...rel.superviseeIds], window, (tag) => tag === session.id || tag === session.seriesId);
  const others = (await services.store.listSessions({ relationshipIds: [rel.id], from: now, status: ['planned'] })).filter((s) => s.id !== session.id);
  const result = rebook({ policy, staffGroupId: group.id, cancelled: { start: session.start, end: session.end }, cancelledAt: now, participants, otherSessions: others.map((s) => ({ start: s.start, end: s.end })), now, maxAlternatives: 7 });
  const slots = result.outcome === 'rebook' ? [result.slot, ...result.alternatives] : [];
  slots.sort((a, b) => a.start.localeCompare(b.start));
  const shown = { start: DateTime.fromISO(session.start).minus({ days: 7 }).toUTC().toISO()!, end: DateTime.fromISO(session.start).plus({ days: 14 }).toUTC().toISO()! };
  return {
    slots: slots.map((s) => ({ start: s.start, end: s.end })),
    busy: participants.map((p) => ({
      personId: p.id,
      name: people.find((x) => x.id === p.id)?.displayName ?? 'a colleague',
      intervals: p.busy.filter((b) => b.end > shown.start && b.start < shown.end).map(({ start, end }) => ({ start, end })),
    })),
    window: shown,
  };
}

/** Moves one occurrence to one of the offered common free times; both calendars follow (the series stays one). */
export async function rescheduleOccurrence(services: SessionsDeps, actor: Person, sessionId: string, slot: Interval): Promise<SessionView> {
  const { session, rel, policy } = await load(services, actor, sessionId);
  if (session.status !== 'planned') throw badRequest('Only a planned session can be moved');
  // The pack's rule never to move a session close to its start (issue 18), from its current time and to the new one.
  const refusal = moveRefusal(policy, session.start, services.clock.now().toISOString()) ?? moveRefusal(policy, slot.start, services.clock.now().toISOString(), 'That time');
  if (refusal) throw badRequest(refusal);
  const offered = await rescheduleOptions(services, actor, sessionId);
  if (!offered.slots.some((s) => Date.parse(s.start) === Date.parse(slot.start) && Date.parse(s.end) === Date.parse(slot.end))) {
    throw conflict('That time is no longer free for both of you: choose again.', { fields: [{ field: 'start', rule: 'offered-slot', message: 'no longer free for both of you' }] });
  }
  const now = services.clock.now().toISOString();
  await services.calendar.moveOccurrence(rel.supervisorId, session.calendarEventId!, session.seriesId ? session.occurrenceStart ?? session.start : undefined, slot.start, slot.end);
  await services.store.saveSessions([{ ...session, start: slot.start, end: slot.end, occurrenceStart: session.occurrenceStart ?? session.start }]);
  await services.store.appendAudit({ at: now, actorId: actor.id, action: 'session-rescheduled', subjectType: 'session', subjectId: session.id });
  return sessionView(services, actor, sessionId);
}

/** Cancels one occurrence with a reason, when the pack lets this person; whoever it names is told. */
export async function cancelOccurrence(services: SessionsDeps, ctx: NotifyContext | undefined, actor: Person, sessionId: string, reason: string): Promise<SessionView> {
  const { session, rel, policy, people } = await load(services, actor, sessionId);
  if (session.status !== 'planned') throw badRequest('Only a planned session can be cancelled');
  if (!mayCancel(policy, rel, actor)) throw forbidden(`Under ${policy.name} only the ${cancelRuleOf(policy).allowedBy} can cancel a session without rebooking it. You can move it instead.`);
  const why = reason.trim();
  if (!why) throw badRequest('Please give a reason', { fields: [{ field: 'reason', rule: 'required', message: 'Say why it is cancelled (kept in Protected Time only)' }] });
  const now = services.clock.now().toISOString();
  // Marked first, so the reconciler never mistakes our own cancellation for one to rebook.
  await services.store.saveSessions([{ ...session, status: 'cancelled' }]);
  await services.calendar.cancelOccurrence(rel.supervisorId, session.calendarEventId!, session.seriesId ? session.occurrenceStart ?? session.start : undefined, 'Supervision cancelled');
  await services.store.claim('kept-cancelled', session.id, now, { reason: why, by: actor.id });
  await services.store.appendAudit({ at: now, actorId: actor.id, action: 'session-cancelled', subjectType: 'session', subjectId: session.id });
  const names = people.map((p) => p.displayName);
  for (const p of await escalationRecipients(services, rel, [...cancelRuleOf(policy).notify])) {
    if (p.id !== actor.id && ctx) {
      await ctx.notifier.send(p.aadObjectId, {
        kind: 'session-notice',
        notice: { kind: 'session-cancelled', byName: actor.displayName, names, start: session.start, timeZone: policy.timeZone, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.todo()) },
      });
    }
  }
  return sessionView(services, actor, sessionId);
}

/** Ends a series from this occurrence on: every later planned occurrence is cancelled in both calendars (supervisor only). */
export async function endSeriesFrom(services: SessionsDeps, actor: Person, sessionId: string): Promise<{ ended: number }> {
  const { session, rel } = await load(services, actor, sessionId);
  if (!session.seriesId) throw badRequest('This session is not part of a series');
  if (rel.supervisorId !== actor.id) throw forbidden('Only the supervisor can change or end the series');
  const now = services.clock.now().toISOString();
  const later = (await services.store.listSessions({ relationshipIds: [rel.id], from: session.start, status: ['planned'] })).filter((s) => s.seriesId === session.seriesId);
  await services.store.saveSessions(later.map((s) => ({ ...s, status: 'cancelled' as const })));
  for (const s of later) {
    await services.calendar.cancelOccurrence(rel.supervisorId, s.calendarEventId!, s.occurrenceStart ?? s.start, 'Supervision series ended');
    await services.store.claim('kept-cancelled', s.id, now, { reason: 'series ended', by: actor.id });
  }
  await services.store.appendAudit({ at: now, actorId: actor.id, action: 'series-ended', subjectType: 'series', subjectId: session.seriesId, detail: { from: session.start, count: later.length } });
  return { ended: later.length };
}
