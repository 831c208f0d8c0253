/**
 * The demo organisation: a multi-agency safeguarding hub where council social
 * workers (Westmorland & Furness guidance) and NHS practitioners (Staffordshire
 * and Stoke-on-Trent ICB policy) are supervised under different policy packs.
 * The first six people are the Agents Playground's users (.m365agentsplayground.yml).
 */
import type { Person, Relationship } from '../domain/model';
import type { Weekday } from '../domain/policy/schema';

export const SEED_ORGANISATION = 'Riverside Multi-Agency Safeguarding Hub';
export const SEED_TENANT_ID = '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01';

export interface SeedPerson extends Person {
  workingHours: { days: Weekday[]; start: string; end: string; timeZone: string };
}

const fullTime = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as Weekday[], start: '09:00', end: '17:00', timeZone: 'Europe/London' };

export const SEED_PEOPLE: SeedPerson[] = [
  {
    id: 'sam-patel', displayName: 'Sam Patel', email: 'sam.patel@riverside.example', aadObjectId: '5a1e0c1e-0001-4a00-8000-000000000001',
    jobTitle: 'Social Worker', team: "Children's Social Care", roles: ['practitioner'], lineManagerId: 'daniel-okafor',
    policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2023-09-04', workingHours: fullTime,
  },
  {
    id: 'daniel-okafor', displayName: 'Daniel Okafor', email: 'daniel.okafor@riverside.example', aadObjectId: '5a1e0c1e-0002-4a00-8000-000000000002',
    jobTitle: 'Team Manager', team: "Children's Social Care", roles: ['supervisor', 'line-manager'], lineManagerId: 'helen-carter',
    startedOn: '2019-04-01', workingHours: fullTime,
  },
  {
    id: 'grace-whitfield', displayName: 'Grace Whitfield', email: 'grace.whitfield@riverside.example', aadObjectId: '5a1e0c1e-0003-4a00-8000-000000000003',
    jobTitle: 'Named Nurse, Safeguarding Children', team: 'Health Safeguarding', roles: ['supervisor'], lineManagerId: 'helen-carter',
    startedOn: '2020-01-06', workingHours: { ...fullTime, start: '08:30', end: '16:30' },
  },
  {
    id: 'tom-reynolds', displayName: 'Tom Reynolds', email: 'tom.reynolds@riverside.example', aadObjectId: '5a1e0c1e-0004-4a00-8000-000000000004',
    jobTitle: 'Health Visitor', team: 'Health Safeguarding', roles: ['practitioner'], lineManagerId: 'helen-carter',
    policyId: 'staffordshire-stoke-icb', staffGroupId: 'clinical', startedOn: '2022-02-14',
    // Part-time: Monday to Wednesday.
    workingHours: { days: ['mon', 'tue', 'wed'], start: '09:00', end: '17:00', timeZone: 'Europe/London' },
  },
  {
    id: 'helen-carter', displayName: 'Helen Carter', email: 'helen.carter@riverside.example', aadObjectId: '5a1e0c1e-0005-4a00-8000-000000000005',
    jobTitle: 'Service Manager', team: 'Riverside MASH', roles: ['line-manager'], startedOn: '2017-06-12', workingHours: fullTime,
  },
  {
    id: 'priya-shah', displayName: 'Priya Shah', email: 'priya.shah@riverside.example', aadObjectId: '5a1e0c1e-0006-4a00-8000-000000000006',
    jobTitle: 'Head of Safeguarding', team: 'Riverside MASH', roles: ['safeguarding-lead', 'auditor'], lineManagerId: 'helen-carter',
    startedOn: '2018-03-05', workingHours: fullTime,
  },
  {
    id: 'amira-hussain', displayName: 'Amira Hussain', email: 'amira.hussain@riverside.example', aadObjectId: '5a1e0c1e-0007-4a00-8000-000000000007',
    jobTitle: 'Social Worker (ASYE)', team: "Children's Social Care", roles: ['practitioner'], lineManagerId: 'daniel-okafor',
    policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2026-09-07', workingHours: fullTime,
  },
  {
    id: 'joe-bennett', displayName: 'Joe Bennett', email: 'joe.bennett@riverside.example', aadObjectId: '5a1e0c1e-0008-4a00-8000-000000000008',
    jobTitle: 'Social Worker', team: "Children's Social Care", roles: ['practitioner'], lineManagerId: 'daniel-okafor',
    policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2025-01-06', workingHours: fullTime,
  },
];

export const SEED_RELATIONSHIPS: Relationship[] = [
  {
    id: 'rel-daniel-sam', kind: 'individual', supervisorId: 'daniel-okafor', superviseeIds: ['sam-patel'],
    policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2023-09-04', active: true,
  },
  {
    id: 'rel-daniel-amira', kind: 'individual', supervisorId: 'daniel-okafor', superviseeIds: ['amira-hussain'],
    policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2026-09-07', active: true,
    // Newly qualified (W&F: "more frequent supervision for staff who are newly qualified"), the pack's stepped ramp from
    // her start on 7 Sep 2026: weekly for 6 weeks, fortnightly to 6 months, then monthly (= rampOverride(pack ramp, startedOn)).
    override: { interval: 'P1W', until: '2026-10-18', then: [{ interval: 'P2W', until: '2027-03-06' }], reason: 'newly-qualified' },
  },
  {
    // Transferred to Daniel this month: nothing booked yet (the booking demo).
    id: 'rel-daniel-joe', kind: 'individual', supervisorId: 'daniel-okafor', superviseeIds: ['joe-bennett'],
    policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2026-11-02', active: true,
  },
  {
    id: 'rel-grace-tom', kind: 'individual', supervisorId: 'grace-whitfield', superviseeIds: ['tom-reynolds'],
    policyId: 'staffordshire-stoke-icb', staffGroupId: 'clinical', startedOn: '2022-02-14', active: true,
  },
];

/** Other commitments that make the calendars realistic (and that booking must avoid). */
export const SEED_BUSY: { personId: string; subject: string; rrule: string; weekday: Weekday; start: string; end: string; attendeeIds?: string[] }[] = [
  { personId: 'daniel-okafor', subject: 'Team meeting', rrule: 'FREQ=WEEKLY;BYDAY=TU', weekday: 'tue', start: '09:30', end: '11:00', attendeeIds: ['sam-patel', 'amira-hussain'] },
  { personId: 'sam-patel', subject: 'Duty', rrule: 'FREQ=WEEKLY;BYDAY=TH', weekday: 'thu', start: '09:00', end: '17:00' },
  { personId: 'grace-whitfield', subject: 'Safeguarding advice clinic', rrule: 'FREQ=WEEKLY;BYDAY=MO', weekday: 'mon', start: '09:00', end: '12:00' },
  { personId: 'tom-reynolds', subject: 'Baby clinic', rrule: 'FREQ=WEEKLY;BYDAY=WE', weekday: 'wed', start: '13:00', end: '16:00' },
  { personId: 'helen-carter', subject: 'Senior leadership team', rrule: 'FREQ=WEEKLY;BYDAY=WE', weekday: 'wed', start: '10:00', end: '12:00' },
];

/** Series already in place when the demo starts, so the tab has upcoming supervision. */
export const SEED_SERIES: { relationshipId: string; rrule: string; weekday: Weekday; start: string; minutes: number }[] = [
  { relationshipId: 'rel-daniel-sam', rrule: 'FREQ=MONTHLY;BYDAY=+2WE', weekday: 'wed', start: '14:00', minutes: 90 },
  { relationshipId: 'rel-grace-tom', rrule: 'FREQ=WEEKLY;INTERVAL=16;BYDAY=TU', weekday: 'tue', start: '14:00', minutes: 60 },
];

/** Established arrangements already have a signed agreement; new ones (Joe, Amira) do not yet. */
export const SEED_AGREEMENTS: { relationshipId: string; frequency: string; durationMinutes: number; venue: string; signedOn: string; reviewOn: string }[] = [
  { relationshipId: 'rel-daniel-sam', frequency: 'Monthly', durationMinutes: 90, venue: 'Teams meeting or Room 2.14', signedOn: '2026-03-02', reviewOn: '2027-03-02' },
  { relationshipId: 'rel-grace-tom', frequency: 'Every 16 weeks', durationMinutes: 60, venue: 'Teams meeting', signedOn: '2026-02-16', reviewOn: '2027-02-16' },
];

/**
 * Supervision already held before the demo starts (days before the first seed run),
 * each with a signed record, so established arrangements have a real history.
 */
export const SEED_HISTORY: { relationshipId: string; daysAgo: number; time: string; minutes: number; templateId: string; values: Record<string, string> }[] = [
  ...[84, 56, 28].map((daysAgo) => ({
    relationshipId: 'rel-daniel-sam', daysAgo, time: '14:00', minutes: 90, templateId: 'westmorland-4x4x4-record',
    values: { experience: 'Demo record (seed data).', reflection: 'Demo record.', analysis: 'Demo record.', actionPlanning: 'Demo record.' },
  })),
  {
    relationshipId: 'rel-grace-tom', daysAgo: 98, time: '14:00', minutes: 60, templateId: 'staffordshire-record',
    values: { supervisor: 'Grace Whitfield', supervisee: 'Tom Reynolds', concerns: 'Demo record (seed data).' },
  },
];
