/**
 * Creates the demo organisation on first start. Idempotent: every write is an
 * upsert or keyed (people and relationships by id, calendar events by
 * transactionId, series by request key), so running it again changes nothing.
 */
import { DateTime } from 'luxon';
import type { Series } from '../domain/model';
import type { Weekday } from '../domain/policy/schema';
import { materialiseSessions } from '../domain/sessions';
import { occurrencesBetween } from '../domain/time/recurrence';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { EmbeddedStore } from '../adapters/embedded/store';
import { SEED_AGREEMENTS, SEED_BUSY, SEED_HISTORY, SEED_PEOPLE, SEED_RELATIONSHIPS, SEED_SERIES } from './organisation';

const ZONE = 'Europe/London';
export const SEED_HORIZON_DAYS = 365;

export interface SeedResult {
  people: number;
  relationships: number;
  eventsCreated: number;
  seriesCreated: number;
  sessions: number;
}

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * The first start of `rrule` on or after the first `weekday` at local `time` after `after`.
 * Anchoring DTSTART on a matching day matters: with INTERVAL=n, rrule counts periods from DTSTART.
 */
function firstOccurrence(rrule: string, weekday: Weekday, time: string, after: DateTime): string {
  const [h, m] = time.split(':').map(Number);
  let day = after.setZone(ZONE).startOf('day').set({ hour: h, minute: m });
  while (day <= after || WEEKDAYS[day.weekday - 1] !== weekday) day = day.plus({ days: 1 });
  const anchor = day.toUTC().toISO()!;
  const starts = occurrencesBetween(rrule, anchor, ZONE, anchor, after.plus({ days: SEED_HORIZON_DAYS }).toUTC().toISO()!);
  if (!starts[0]) throw new Error(`seed rule ${rrule} has no occurrence in the horizon`);
  return starts[0];
}

export async function seedOrganisation(store: EmbeddedStore, calendar: CalendarPort, clock: Clock): Promise<SeedResult> {
  const now = DateTime.fromJSDate(clock.now()).toUTC();
  const result: SeedResult = { people: 0, relationships: 0, eventsCreated: 0, seriesCreated: 0, sessions: 0 };

  // Two passes so line-manager references always point at someone already there.
  for (const { workingHours, ...person } of SEED_PEOPLE) store.upsertPerson({ ...person, lineManagerId: undefined }, workingHours);
  for (const { workingHours, ...person } of SEED_PEOPLE) {
    store.upsertPerson(person, workingHours);
    result.people += 1;
  }
  for (const rel of SEED_RELATIONSHIPS) {
    await store.saveRelationship(rel);
    result.relationships += 1;
  }

  for (const a of SEED_AGREEMENTS) {
    const rel = SEED_RELATIONSHIPS.find((r) => r.id === a.relationshipId)!;
    const at = `${a.signedOn}T10:00:00.000Z`;
    await store.saveAgreement({
      id: `agr-seed-${rel.id}`, relationshipId: rel.id, templateId: rel.policyId === 'staffordshire-stoke-icb' ? 'staffordshire-agreement' : 'generic-agreement',
      values: {}, frequency: a.frequency, durationMinutes: a.durationMinutes, venue: a.venue, type: 'individual', reviewOn: a.reviewOn, status: 'signed',
      signatures: [{ personId: rel.supervisorId, role: 'supervisor', at }, ...rel.superviseeIds.map((id) => ({ personId: id, role: 'supervisee' as const, at }))],
      createdAt: at,
    });
  }

  // Seeded events start from the first seed run and stay put on later runs.
  const seededAt = store.getMeta('seed.anchor') ?? now.toISO()!;
  store.setMeta('seed.anchor', seededAt);
  const anchor = DateTime.fromISO(seededAt, { zone: 'utc' });

  for (const h of SEED_HISTORY) {
    const rel = SEED_RELATIONSHIPS.find((r) => r.id === h.relationshipId)!;
    const [hh, mm] = h.time.split(':').map(Number);
    // On a weekday: step back to the nearest Monday–Friday.
    let day = anchor.setZone(ZONE).minus({ days: h.daysAgo }).set({ hour: hh, minute: mm, second: 0, millisecond: 0 });
    while (day.weekday > 5) day = day.minus({ days: 1 });
    const start = day.toUTC().toISO()!;
    const end = day.plus({ minutes: h.minutes }).toUTC().toISO()!;
    const sessionId = `seed-past-${rel.id}-${h.daysAgo}`;
    await store.saveSessions([{ id: sessionId, relationshipId: rel.id, start, end, status: 'held', kind: 'planned' }]);
    const recordId = `rec-seed-${rel.id}-${h.daysAgo}`;
    if (!(await store.getRecord(recordId))) {
      const signedAt = day.plus({ days: 1 }).toUTC().toISO()!;
      await store.saveRecord({
        id: recordId, sessionId, relationshipId: rel.id, templateId: h.templateId, version: 1, status: 'signed', authorId: rel.superviseeIds[0]!,
        values: { date: day.toISODate()!, ...h.values }, submittedAt: signedAt,
        signatures: [{ personId: rel.superviseeIds[0]!, role: 'supervisee', at: signedAt }, { personId: rel.supervisorId, role: 'supervisor', at: signedAt }],
        createdAt: end, updatedAt: signedAt, etag: '',
      });
    }
  }

  for (const [i, busy] of SEED_BUSY.entries()) {
    const start = firstOccurrence(busy.rrule, busy.weekday, busy.start, anchor.minus({ days: 7 }));
    const [eh, em] = busy.end.split(':').map(Number);
    const end = DateTime.fromISO(start).setZone(ZONE).set({ hour: eh, minute: em }).toUTC().toISO()!;
    const created = await calendar.createEvent({
      organiserId: busy.personId, attendeeIds: busy.attendeeIds ?? [], subject: busy.subject, start, end, timeZone: ZONE,
      rrule: busy.rrule, showAs: 'busy', sensitivity: 'normal', onlineMeeting: false, reminderMinutes: 15,
      appTag: '', transactionId: `seed-busy-${i}`,
    });
    if (created.created) result.eventsCreated += 1;
  }

  for (const spec of SEED_SERIES) {
    const rel = SEED_RELATIONSHIPS.find((r) => r.id === spec.relationshipId)!;
    const requestKey = `seed:${rel.id}`;
    const existing = await store.getSeriesByRequestKey(requestKey);
    if (existing) continue;
    const firstStart = firstOccurrence(spec.rrule, spec.weekday, spec.start, anchor.plus({ days: 2 }));
    const series: Series = {
      id: `series-seed-${rel.id}`, relationshipId: rel.id, organiserId: rel.supervisorId, attendeeIds: rel.superviseeIds,
      rrule: spec.rrule, firstStart, durationMinutes: spec.minutes, timeZone: ZONE, requestKey,
      createdAt: anchor.toISO()!, createdBy: rel.supervisorId,
    };
    const created = await calendar.createEvent({
      organiserId: series.organiserId, attendeeIds: series.attendeeIds, subject: 'Supervision', start: firstStart,
      end: DateTime.fromISO(firstStart).plus({ minutes: spec.minutes }).toUTC().toISO()!, timeZone: ZONE, rrule: spec.rrule,
      showAs: 'busy', sensitivity: 'private', onlineMeeting: true, reminderMinutes: 15, appTag: series.id, transactionId: `seed-series-${rel.id}`,
    });
    series.calendarEventId = created.id;
    await store.saveSeries(series);
    const sessions = materialiseSessions(series, firstStart, anchor.plus({ days: SEED_HORIZON_DAYS }).toISO()!);
    await store.saveSessions(sessions);
    result.seriesCreated += 1;
    result.sessions += sessions.length;
  }
  return result;
}
