/**
 * A scenario builder (after cal.com's booking scenarios): a test declares the people,
 * arrangements, booked series, sessions, records and agreements it depends on in one
 * object and gets wired services over an in-memory embedded store holding exactly those,
 * so a reader sees a test's inputs instead of looking them up in the seed organisation.
 *
 *   const w = await scenario({
 *     now: '2026-11-23T09:00:00.000Z',
 *     people: [{ id: 'dsl', roles: ['supervisor'] }, { id: 'teacher' }],
 *     relationships: [{ id: 'r', supervisorId: 'dsl', superviseeIds: ['teacher'], policyId: 'lingfield-education-trust' }],
 *     series: [{ relationshipId: 'r', rrule: 'FREQ=MONTHLY;BYDAY=+1TU', firstStart: '2026-12-01T14:00:00.000Z' }],
 *   });
 *
 * Policy packs come from policies/ by id: an unknown pack or staff group fails the
 * test at set-up rather than producing a relationship nothing can evaluate.
 */
import { DateTime } from 'luxon';
import type { Agreement, Person, Relationship, Series, Session, SupervisionRecord } from '../../src/domain/model';
import type { Weekday } from '../../src/domain/policy/schema';
import { materialiseSessions } from '../../src/domain/sessions';
import { aPerson, aRecord, aRelationship, aSession } from './builders';
import { testServices } from './services';

export interface WorkingHours {
  days: Weekday[];
  start: string;
  end: string;
  timeZone: string;
}

/** Monday to Friday, 09:00–17:00 in London: what the seed gives most people. */
export const OFFICE_HOURS: WorkingHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', timeZone: 'Europe/London' };

export type ScenarioPerson = Pick<Person, 'id'> & Partial<Person> & { workingHours?: WorkingHours };
/** `staffGroupId` defaults to the pack's first staff group. */
export type ScenarioRelationship = Pick<Relationship, 'id' | 'supervisorId' | 'superviseeIds' | 'policyId'> & Partial<Relationship>;
/** A recurring series booked in both calendars (organiser: the supervisor), with its sessions materialised. */
export interface ScenarioSeries {
  relationshipId: string;
  rrule: string;
  /** First occurrence start, an ISO instant on a day the rule matches. */
  firstStart: string;
  minutes?: number;
  /** Defaults to the relationship's policy pack's zone. */
  timeZone?: string;
  id?: string;
}
/** A one-off session; `inCalendar: true` also puts it in both calendars (as a booking would). */
export type ScenarioSession = Parameters<typeof aSession>[0] & { inCalendar?: boolean };
export type ScenarioRecord = Parameters<typeof aRecord>[0];
export type ScenarioAgreement = Pick<Agreement, 'relationshipId'> & Partial<Agreement>;

export interface ScenarioSpec {
  now?: string;
  people: ScenarioPerson[];
  relationships?: ScenarioRelationship[];
  series?: ScenarioSeries[];
  sessions?: ScenarioSession[];
  records?: ScenarioRecord[];
  agreements?: ScenarioAgreement[];
  /** How far ahead a series' sessions are materialised (days from `now`); the seed uses 365. */
  horizonDays?: number;
}

export type Scenario = Awaited<ReturnType<typeof testServices>> & {
  /** The people as stored, by id (aadObjectId included, for addressing cards). */
  people: Map<string, Person>;
  series: Series[];
};

export async function scenario(spec: ScenarioSpec): Promise<Scenario> {
  const c = await testServices({ now: spec.now ?? '2026-11-23T09:00:00.000Z', seed: false });
  const { store, calendar, services } = c;
  const now = c.clock.now().toISOString();

  const people = new Map<string, Person>();
  const hours = new Map<string, WorkingHours>();
  for (const { workingHours, ...p } of spec.people) {
    people.set(p.id, aPerson({ displayName: p.id, ...p }));
    hours.set(p.id, workingHours ?? OFFICE_HOURS);
  }
  for (const p of people.values()) {
    if (p.lineManagerId && !people.has(p.lineManagerId)) throw new Error(`scenario: ${p.id}'s line manager ${p.lineManagerId} is not among the people`);
  }
  // Two passes, as the seed does, so a line-manager reference always points at someone already stored.
  for (const p of people.values()) store.upsertPerson({ ...p, lineManagerId: undefined }, hours.get(p.id));
  for (const p of people.values()) store.upsertPerson(p, hours.get(p.id));

  const rels = new Map<string, Relationship>();
  for (const r of spec.relationships ?? []) {
    const pack = services.policies.get(r.policyId);
    if (!pack) throw new Error(`scenario: relationship ${r.id} names policy pack "${r.policyId}", which is not in policies/ (${[...services.policies.keys()].join(', ')})`);
    const staffGroupId = r.staffGroupId ?? pack.staffGroups[0]!.id;
    if (!pack.staffGroups.some((g) => g.id === staffGroupId)) throw new Error(`scenario: relationship ${r.id}: pack ${r.policyId} has no staff group "${staffGroupId}"`);
    for (const id of [r.supervisorId, ...r.superviseeIds]) if (!people.has(id)) throw new Error(`scenario: relationship ${r.id} names ${id}, who is not among the people`);
    const rel = aRelationship({ startedOn: now.slice(0, 10), kind: r.superviseeIds.length > 1 ? 'group' : 'individual', ...r, staffGroupId });
    await store.saveRelationship(rel);
    rels.set(rel.id, rel);
  }
  const relOf = (id: string, what: string) => {
    const rel = rels.get(id);
    if (!rel) throw new Error(`scenario: ${what} names relationship ${id}, which is not declared`);
    return rel;
  };

  const series: Series[] = [];
  for (const [i, s] of (spec.series ?? []).entries()) {
    const rel = relOf(s.relationshipId, 'a series');
    const minutes = s.minutes ?? 60;
    const timeZone = s.timeZone ?? services.policies.get(rel.policyId)!.timeZone;
    const id = s.id ?? `series-${rel.id}-${i + 1}`;
    const firstStart = new Date(Date.parse(s.firstStart)).toISOString();
    const created = await calendar.createEvent({
      organiserId: rel.supervisorId, attendeeIds: rel.superviseeIds, subject: 'Supervision', start: firstStart,
      end: new Date(Date.parse(firstStart) + minutes * 60_000).toISOString(), timeZone, rrule: s.rrule,
      showAs: 'busy', sensitivity: 'private', onlineMeeting: true, reminderMinutes: 15, appTag: id, transactionId: `scenario-${id}`,
    });
    const booked: Series = {
      id, relationshipId: rel.id, organiserId: rel.supervisorId, attendeeIds: rel.superviseeIds, rrule: s.rrule, firstStart,
      durationMinutes: minutes, timeZone, calendarEventId: created.id, requestKey: `scenario:${id}`, createdAt: now, createdBy: rel.supervisorId,
    };
    await store.saveSeries(booked);
    await store.saveSessions(materialiseSessions(booked, firstStart, DateTime.fromISO(now).plus({ days: spec.horizonDays ?? 365 }).toUTC().toISO()!));
    series.push(booked);
  }

  for (const { inCalendar, ...s } of spec.sessions ?? []) {
    const rel = relOf(s.relationshipId, `session ${s.id}`);
    let session: Session = aSession(s);
    if (inCalendar) {
      const created = await calendar.createEvent({
        organiserId: rel.supervisorId, attendeeIds: rel.superviseeIds, subject: 'Supervision', start: session.start, end: session.end,
        timeZone: services.policies.get(rel.policyId)!.timeZone, showAs: 'busy', sensitivity: 'private', onlineMeeting: true, reminderMinutes: 15,
        appTag: session.id, transactionId: `scenario-${session.id}`,
      });
      session = { ...session, calendarEventId: created.id };
    }
    await store.saveSessions([session]);
  }

  for (const r of spec.records ?? []) {
    relOf(r.relationshipId, `record of ${r.sessionId}`);
    const record: SupervisionRecord = aRecord(r);
    await store.saveRecord({ ...record, etag: '' });
  }

  for (const [i, a] of (spec.agreements ?? []).entries()) {
    const rel = relOf(a.relationshipId, 'an agreement');
    const at = a.createdAt ?? now;
    await store.saveAgreement({
      id: `agr-${rel.id}-${i + 1}`, templateId: 'generic-agreement', values: {}, frequency: 'Monthly', durationMinutes: 90, venue: 'Teams meeting',
      type: rel.kind === 'group' ? 'group' : 'individual', reviewOn: DateTime.fromISO(at).plus({ years: 1 }).toISODate()!, status: 'signed',
      signatures: [{ personId: rel.supervisorId, role: 'supervisor', at }, ...rel.superviseeIds.map((personId) => ({ personId, role: 'supervisee' as const, at }))],
      createdAt: at, ...a,
    });
  }

  return { ...c, people, series };
}
