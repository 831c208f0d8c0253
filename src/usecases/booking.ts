/**
 * Booking protected supervision: propose recurring patterns that fit the
 * policy and everyone's calendar, then book the chosen one into the calendar
 * and the store. Authorisation is checked here, not in the tab.
 *
 * Idempotent by the caller's request key: the same booking submitted twice (a
 * double click, a retry after a timeout, a crash half-way) yields one series.
 */
import { DateTime } from 'luxon';
import { overrideSteps } from '../domain/ramp';
import { mayBookFor, viewpointOn } from '../domain/access';
import type { Person, Relationship, Series, Session } from '../domain/model';
import { plan } from '../domain/planning/planner';
import { urgentSlot } from '../domain/planning/rebooker';
import type { PlanInput, PlanProposal, PlanResult } from '../domain/planning/types';
import type { PolicyPack, StaffGroup, Weekday } from '../domain/policy/schema';
import { findStaffGroup } from '../domain/policy/validate';
import { occurrenceSessionId } from '../domain/sessions';
import { occurrencesBetween } from '../domain/time/recurrence';
import { localDate, zoneOf } from '../domain/time/zones';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Log } from '../ports/log';
import type { PlannerPort } from '../ports/planner';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import type { WorkQueue } from '../ports/workQueue';
import { AppError, badRequest, conflict, forbidden, notFound } from './errors';
import { ids as derivedIds, requestKeys } from './ids';
import { KeyedMutex } from './keyedMutex';
import { underLease } from './leaseGuard';
import { gatherParticipants } from './participants';
import { flagMissingMeeting } from './meetingLinks';
import type { NotifyContext } from '../ports/notifier';
import { sessionEvent } from './sessionEvents';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface BookingDeps {
  clock: Clock;
  log: Log;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  calendar: CalendarPort;
  /** Where planning runs (worker threads); absent: inline. */
  planner?: PlannerPort;
  /** Leases, so one booking per arrangement runs at a time across instances; absent (some tests): this process only. */
  work?: Pick<WorkQueue, 'acquireLease' | 'releaseLease'>;
}


export interface BookingChoice {
  relationshipId?: string;
  superviseeIds?: string[];
  /** YYYY-MM-DD or an instant; default now. */
  startDate?: string;
  durationMinutes?: number;
  weekdays?: Weekday[];
  times?: string[];
}

export interface Target {
  relationship: Relationship;
  policy: PolicyPack;
  group: StaffGroup;
  supervisor: Person;
  supervisees: Person[];
}

/** `persist`: save a new group arrangement (booking does; a preview never stores anything). */
export async function resolveTarget(services: BookingDeps, actor: Person, choice: Pick<BookingChoice, 'relationshipId' | 'superviseeIds'>, opts: { persist?: boolean } = {}): Promise<Target> {
  const { store, directory, policies } = services;
  let relationship: Relationship | undefined;
  if (choice.relationshipId) {
    relationship = await store.getRelationship(choice.relationshipId);
    if (!relationship || !relationship.active) throw notFound('No such supervision arrangement');
  } else if (choice.superviseeIds?.length) {
    relationship = await findOrCreateGroup(services, actor, [...new Set(choice.superviseeIds)], opts.persist ?? false);
  } else {
    throw badRequest('Choose a supervisee or a supervision arrangement');
  }
  if (!mayBookFor(actor, relationship)) {
    // Someone with no view of the arrangement learns nothing about it (as if it did not exist); a party who may not book is told why.
    if (choice.relationshipId && !viewpointOn(actor, relationship, new Map((await directory.listPeople()).map((p) => [p.id, p])))) throw notFound('No such supervision arrangement');
    throw forbidden('Only the supervisor of this arrangement, or a safeguarding lead on their behalf, can book its supervision.');
  }
  const policy = policies.get(relationship.policyId);
  if (!policy) throw new AppError(500, `Policy pack "${relationship.policyId}" is not loaded`);
  const group = findStaffGroup(policy, relationship.staffGroupId);
  if (!group) throw new AppError(500, `Staff group "${relationship.staffGroupId}" is not in policy "${policy.id}"`);
  const supervisor = await directory.getPerson(relationship.supervisorId);
  const supervisees = await Promise.all(relationship.superviseeIds.map((id) => directory.getPerson(id)));
  if (!supervisor || supervisees.some((p) => !p)) throw new AppError(500, 'A person in this arrangement is missing from the directory');
  return { relationship, policy, group, supervisor, supervisees: supervisees as Person[] };
}

/** Several supervisees: their group arrangement with this supervisor, created on first booking. */
async function findOrCreateGroup(services: BookingDeps, actor: Person, superviseeIds: string[], persist: boolean): Promise<Relationship> {
  const { store } = services;
  const individual = await Promise.all(
    superviseeIds.map(async (id) => (await store.listRelationships({ personId: id, activeOnly: true })).find((r) => r.kind === 'individual' && r.superviseeIds.includes(id))),
  );
  if (individual.some((r) => !r)) throw badRequest('Every supervisee in a group needs their own supervision arrangement first');
  if (superviseeIds.length === 1) return individual[0]!;
  const rels = individual as Relationship[];
  const supervisorId = rels[0]!.supervisorId;
  if (rels.some((r) => r.supervisorId !== supervisorId)) throw badRequest('Group supervision needs one supervisor for everyone in the group');
  if (rels.some((r) => r.policyId !== rels[0]!.policyId || r.staffGroupId !== rels[0]!.staffGroupId)) {
    throw badRequest('Everyone in a supervision group must be under the same policy and staff group');
  }
  const policy = services.policies.get(rels[0]!.policyId);
  const group = policy && findStaffGroup(policy, rels[0]!.staffGroupId);
  if (group && !group.group.allowed) throw badRequest(`${policy!.name} does not provide for group supervision for ${group.name}`);
  const members = [...superviseeIds].sort();
  const existing = (await store.listRelationships({ personId: supervisorId, activeOnly: true })).find(
    (r) => r.kind === 'group' && r.supervisorId === supervisorId && [...r.superviseeIds].sort().join() === members.join(),
  );
  if (existing) return existing;
  const group_: Relationship = {
    id: derivedIds.groupRelationship(supervisorId, members),
    kind: 'group',
    supervisorId,
    superviseeIds: members,
    policyId: rels[0]!.policyId,
    staffGroupId: rels[0]!.staffGroupId,
    startedOn: localDate(services.clock.now(), zoneOf(services.policies.get(rels[0]!.policyId))),
    active: true,
  };
  if (!mayBookFor(actor, group_)) throw forbidden('Only their supervisor or a safeguarding lead can set up group supervision');
  if (persist) await store.saveRelationship(group_);
  return group_;
}


function planStart(services: BookingDeps, startDate: string | undefined, policy: PolicyPack): string {
  const now = DateTime.fromJSDate(services.clock.now()).toUTC();
  if (!startDate) return now.toISO()!;
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(startDate) ? DateTime.fromISO(startDate, { zone: policy.timeZone }) : DateTime.fromISO(startDate);
  if (!parsed.isValid) throw badRequest(`startDate "${startDate}" is not a date`);
  if (parsed > now.plus({ years: 2 })) throw badRequest('startDate must be within two years from today', ['startDate: must be within two years from today']);
  return (parsed < now ? now : parsed).toUTC().toISO()!;
}

export interface Proposals {
  target: Target;
  result: Extract<PlanResult, { ok: true }>;
  durationMinutes: number;
}

export async function proposeSeries(services: BookingDeps, actor: Person, choice: BookingChoice, requestKey?: string, opts: { persist?: boolean } = {}): Promise<Proposals> {
  const target = await resolveTarget(services, actor, choice, opts);
  const { policy, group, relationship } = target;
  const duration = choice.durationMinutes ?? group.duration.defaultMinutes;
  if (duration < group.duration.minMinutes || duration > group.duration.maxMinutes) {
    throw badRequest(`${policy.name} allows sessions of ${group.duration.minMinutes}–${group.duration.maxMinutes} minutes for ${group.name}; ${duration} is outside that.`);
  }
  const start = planStart(services, choice.startDate, policy);
  const window = { start, end: DateTime.fromISO(start).plus({ months: 12, days: 7 }).toUTC().toISO()! };
  const ids = [relationship.supervisorId, ...relationship.superviseeIds];
  // A retried booking must not see its own half-made series as busy time.
  const ownTags = requestKey ? new Set([0, 1, 2, 3].map((i) => derivedIds.series(segmentKey(requestKey, i)))) : undefined;
  const participants = await gatherParticipants(services.calendar, policy, ids, window, ownTags && ((tag) => ownTags.has(tag)));
  // A stepped ramp stays while any step is still to come; the planner drops the steps already over.
  const o = relationship.override;
  const override = o && overrideSteps(o).some((s) => s.until >= start.slice(0, 10)) ? { interval: o.interval, until: o.until, then: o.then } : undefined;
  const input: PlanInput = {
    policy,
    staffGroupId: group.id,
    participants,
    start,
    horizonMonths: 12,
    durationMinutes: duration,
    override,
    preferences: { weekdays: choice.weekdays, times: choice.times },
    maxProposals: 5,
  };
  // Off the event loop when the app has a planner pool (src/adapters/workers/plannerPool.ts).
  const result = services.planner ? await services.planner.plan(input) : plan(input);
  if (!result.ok) throw badRequest(result.error);
  return { target, result, durationMinutes: duration };
}

export interface BookedSeries {
  relationshipId: string;
  series: Series[];
  sessions: Session[];
  duplicate: boolean;
  description: string;
}

/** Segment i of a booking: its own calendar series and request key. */
export const segmentKey = requestKeys.segment;

const bookingLocks = new KeyedMutex();

/**
 * A client's request key, scoped by the arrangement and the caller: two people
 * (or two arrangements) that happen to send the same key never share a booking.
 */
export const scopedRequestKey = requestKeys.scoped;

export async function bookSeries(services: BookingDeps, actor: Person, choice: BookingChoice & { requestKey: string; proposalId?: string }, notify?: NotifyContext): Promise<BookedSeries> {
  // One booking at a time per arrangement (or per request when the arrangement is not known yet).
  const key = choice.relationshipId ?? `supervisees:${[...(choice.superviseeIds ?? [])].sort().join(',')}`;
  // In this process the mutex queues a double submit behind the first (which it then answers from); across
  // instances a lease per arrangement does the same for requests that reach different instances.
  return bookingLocks.run(key, () =>
    underLease(services, `booking:${key}`, 'Another booking for this arrangement is being made right now. Try again in a moment.', () =>
      bookSeriesNow(services, actor, { ...choice, requestKey: scopedRequestKey(key, actor.id, choice.requestKey) }, notify),
    ),
  );
}

async function bookSeriesNow(services: BookingDeps, actor: Person, choice: BookingChoice & { requestKey: string; proposalId?: string }, notify?: NotifyContext): Promise<BookedSeries> {
  const { store, calendar, clock } = services;
  const already = await store.getSeriesByRequestKey(segmentKey(choice.requestKey, 0));
  if (already) return existingBooking(services, actor, choice.requestKey, already);

  const { target, result } = await proposeSeries(services, actor, choice, choice.requestKey, { persist: true });
  const { relationship, policy } = target;
  const proposal = choice.proposalId ? result.proposals.find((p) => p.id === choice.proposalId) : result.proposals[0];
  if (!proposal) {
    throw conflict('The calendars have changed since those times were proposed. Please choose again.', { proposals: result.proposals.map(summariseProposal) });
  }
  const now = clock.now().toISOString();
  const upcoming = await store.listSessions({ relationshipIds: [relationship.id], from: now, status: ['planned'] });
  if (upcoming.length > 0) {
    throw conflict(`This arrangement already has ${upcoming.length} planned session${upcoming.length === 1 ? '' : 's'} (next on ${upcoming[0]!.start.slice(0, 10)}). Change or end that series before booking another.`);
  }

  const { series: seriesList, sessions } = await writeProposal(services, relationship, proposal, choice.requestKey, actor.id, now, notify);
  await store.appendAudit({
    at: now, actorId: actor.id, action: 'book-series', subjectType: 'relationship', subjectId: relationship.id,
    detail: { sessions: sessions.length, moved: proposal.movedCount, onBehalf: actor.id !== relationship.supervisorId },
  });
  services.log.info({ event: 'booking.series', relationship: relationship.id, sessions: sessions.length }, 'series booked');
  return { relationshipId: relationship.id, series: seriesList, sessions, duplicate: false, description: proposal.description };
}

async function existingBooking(services: BookingDeps, actor: Person, requestKey: string, first: Series): Promise<BookedSeries> {
  const relationship = await services.store.getRelationship(first.relationshipId);
  if (!relationship || !mayBookFor(actor, relationship)) throw forbidden('That booking belongs to someone else');
  const series: Series[] = [];
  for (let i = 0; ; i++) {
    const s = i === 0 ? first : await services.store.getSeriesByRequestKey(segmentKey(requestKey, i));
    if (!s) break;
    series.push(s);
  }
  const ids = new Set(series.map((s) => s.id));
  const sessions = (await services.store.listSessions({ relationshipIds: [relationship.id] })).filter((s) => s.seriesId && ids.has(s.seriesId));
  return { relationshipId: relationship.id, series, sessions, duplicate: true, description: 'Already booked' };
}

/**
 * Books a chosen proposal into the supervisor's calendar (attendees invited) and
 * the store: one calendar series per segment. Every step is keyed by
 * `requestKey` (calendar transaction ids, series request keys, session ids), so
 * running it again after a crash finds what the first run made.
 */
export async function writeProposal(services: BookingDeps, relationship: Relationship, proposal: PlanProposal, requestKey: string, actorId: string, now: string, notify?: NotifyContext): Promise<{ series: Series[]; sessions: Session[] }> {
  const { store, calendar } = services;
  const choice = { requestKey };
  const actor = { id: actorId };
  const seriesList: Series[] = [];
  const sessions: Session[] = [];
  for (const [i, segment] of proposal.segments.entries()) {
    const next = proposal.segments[i + 1];
    const occurrences = proposal.occurrences.filter((o) => o.patternStart >= segment.firstStart && (!next || o.patternStart < next.firstStart));
    if (occurrences.length === 0) continue;
    const last = occurrences[occurrences.length - 1]!.patternStart;
    const patternDates = occurrencesBetween(segment.rrule, segment.firstStart, proposal.timeZone, segment.firstStart, new Date(Date.parse(last) + 1).toISOString());
    const rrule = `${segment.rrule.replace(/;?(COUNT|UNTIL)=[^;]*/g, '')};COUNT=${patternDates.length}`;
    const key = segmentKey(choice.requestKey, i);
    const series: Series = {
      id: derivedIds.series(key),
      relationshipId: relationship.id,
      organiserId: relationship.supervisorId,
      attendeeIds: relationship.superviseeIds,
      rrule,
      firstStart: segment.firstStart,
      durationMinutes: proposal.durationMinutes,
      timeZone: proposal.timeZone,
      requestKey: key,
      createdAt: now,
      createdBy: actor.id,
    };
    const created = await calendar.createEvent(
      sessionEvent({
        relationship,
        start: segment.firstStart,
        end: DateTime.fromISO(segment.firstStart).plus({ minutes: series.durationMinutes }).toUTC().toISO()!,
        timeZone: series.timeZone,
        rrule,
        appTag: series.id,
        transactionId: key,
      }),
    );
    series.calendarEventId = created.id;
    if (!created.joinUrl) await flagMissingMeeting(services, notify, relationship, series.id, now);
    const booked = new Set(occurrences.map((o) => o.patternStart));
    for (const o of occurrences) {
      if (o.moved) await calendar.moveOccurrence(series.organiserId, created.id, o.patternStart, o.start, o.end);
    }
    for (const patternStart of patternDates) {
      if (!booked.has(patternStart)) await calendar.cancelOccurrence(series.organiserId, created.id, patternStart, 'Not needed: outside term time');
    }
    await store.saveSeries(series);
    const segmentSessions: Session[] = occurrences.map((o) => ({
      id: occurrenceSessionId(series.id, o.patternStart),
      relationshipId: relationship.id,
      seriesId: series.id,
      start: o.start,
      end: o.end,
      status: 'planned',
      kind: 'planned',
      calendarEventId: created.id,
      occurrenceStart: o.patternStart,
    }));
    await store.saveSessions(segmentSessions);
    seriesList.push(series);
    sessions.push(...segmentSessions);
  }
  return { series: seriesList, sessions };
}

export function summariseProposal(p: PlanProposal) {
  return {
    id: p.id,
    description: p.description,
    durationMinutes: p.durationMinutes,
    movedCount: p.movedCount,
    maxGapDays: p.maxGapDays,
    score: p.score,
    occurrences: p.occurrences.map((o) => ({ start: o.start, end: o.end, moved: o.moved ? { from: o.patternStart, reason: o.moved.reason } : undefined })),
    skipped: p.skipped,
  };
}

/** "Urgent": the first common free slot within the policy's urgent window, booked at once. */
/** The slot Urgent would book now, shown for confirmation before anything is booked. */
export async function previewUrgent(services: BookingDeps, actor: Person, input: { relationshipId: string; durationMinutes?: number }): Promise<{ start: string; end: string }> {
  const { calendar, clock } = services;
  const { relationship, policy, group } = await resolveTarget(services, actor, { relationshipId: input.relationshipId });
  const now = clock.now().toISOString();
  const window = { start: now, end: DateTime.fromISO(now).plus({ days: 4 }).toUTC().toISO()! };
  const participants = await gatherParticipants(calendar, policy, [relationship.supervisorId, ...relationship.superviseeIds], window);
  const result = urgentSlot({ policy, staffGroupId: group.id, participants, now, durationMinutes: input.durationMinutes });
  if (result.outcome !== 'rebook') throw conflict(result.reason, { escalateTo: result.escalateTo });
  return result.slot;
}

export async function bookUrgent(services: BookingDeps, actor: Person, input: { relationshipId: string; requestKey: string; durationMinutes?: number; start?: string }, notify?: NotifyContext): Promise<{ session: Session; duplicate: boolean }> {
  const { store, calendar, clock } = services;
  const target = await resolveTarget(services, actor, { relationshipId: input.relationshipId });
  const { relationship, policy, group } = target;
  const requestKey = scopedRequestKey(relationship.id, actor.id, input.requestKey);
  const sessionId = derivedIds.urgentSession(requestKey);
  const existing = await store.getSession(sessionId);
  if (existing?.relationshipId === relationship.id) return { session: existing, duplicate: true };
  const now = clock.now().toISOString();
  const window = { start: now, end: DateTime.fromISO(now).plus({ days: 4 }).toUTC().toISO()! };
  const participants = await gatherParticipants(calendar, policy, [relationship.supervisorId, ...relationship.superviseeIds], window);
  const result = urgentSlot({ policy, staffGroupId: group.id, participants, now, durationMinutes: input.durationMinutes });
  if (result.outcome !== 'rebook') throw conflict(result.reason, { escalateTo: result.escalateTo });
  // Confirmed for a shown time: never book a different one silently.
  if (input.start && Date.parse(input.start) !== Date.parse(result.slot.start)) throw conflict('That time is no longer free in both calendars: here is the first free time now.', { slot: result.slot });
  const created = await calendar.createEvent(
    sessionEvent({ relationship, start: result.slot.start, end: result.slot.end, timeZone: policy.timeZone, urgent: true, appTag: sessionId, transactionId: requestKey }),
  );
  const session: Session = { id: sessionId, relationshipId: relationship.id, start: result.slot.start, end: result.slot.end, status: 'planned', kind: 'urgent', calendarEventId: created.id };
  await store.saveSessions([session]);
  if (!created.joinUrl) await flagMissingMeeting(services, notify, relationship, session.id, now);
  await store.appendAudit({ at: now, actorId: actor.id, action: 'book-urgent', subjectType: 'relationship', subjectId: relationship.id, detail: { sessionId } });
  return { session, duplicate: false };
}
