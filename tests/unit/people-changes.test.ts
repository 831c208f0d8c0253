/**
 * Issue #20, the pure parts: the planner keeps the gap from the last session
 * before a move within the hard maximum; which sessions move; cover steps;
 * what a directory change flags and when a flag is settled; who may do what;
 * the cards (official schema, no case detail).
 */
import { DateTime } from 'luxon';
import { peopleNoticeCard } from '../../src/bot/cards/peopleChange';
import type { Relationship, Session } from '../../src/domain/model';
import { coverProblem, coverSteps, flagOpen, flagsFor, mayManageArrangement, mayReadHandoverNote, previousSessionStart, sessionsToMove, supervisorProblem } from '../../src/domain/peopleChanges';
import { plan } from '../../src/domain/planning/planner';
import type { Participant } from '../../src/domain/planning/types';
import type { PeopleNotice } from '../../src/usecases/transfer';
import { cardProblems } from '../support/adaptiveCards';
import { aPerson, aSession } from '../support/builders';
import { loadPack, OFFICE } from '../fixtures/scenarios/packs';

const participant = (id: string, busy: Participant['busy'] = []): Participant => ({ id, workingHours: OFFICE, busy });
const rel: Relationship = { id: 'r1', kind: 'individual', supervisorId: 'dan', superviseeIds: ['sam'], policyId: 'p', staffGroupId: 'g', startedOn: '2024-01-01', active: true };

describe('planning after a move', () => {
  const policy = loadPack('westmorland-furness-scp');
  // The new supervisor is busy for the next two months but the last session was ten weeks ago: the hard maximum is three months.
  const busyUntil = '2027-03-01T00:00:00Z';
  const base = { policy, staffGroupId: 'practitioners', start: '2027-01-04T08:00:00Z', maxProposals: 5 };

  it('without the last session, the first may come late; with it, never beyond the hard maximum', () => {
    const busy = [{ start: '2027-01-04T00:00:00Z', end: '2027-02-15T00:00:00Z' }];
    const free = plan({ ...base, participants: [participant('grace', busy), participant('sam')] });
    if (!free.ok) throw new Error(free.error);
    expect(free.proposals.length).toBeGreaterThan(0);
    const previous = '2026-11-20T14:00:00Z';
    const latest = DateTime.fromISO(previous).plus({ months: 3 }).toMillis();
    const kept = plan({ ...base, participants: [participant('grace', busy), participant('sam')], previousSession: previous });
    if (!kept.ok) throw new Error(kept.error);
    expect(kept.proposals.length).toBeGreaterThan(0);
    for (const p of kept.proposals) expect(Date.parse(p.occurrences[0]!.start)).toBeLessThanOrEqual(latest);
  });

  it('says why when nothing can keep the gap', () => {
    const busy = [{ start: '2027-01-04T00:00:00Z', end: busyUntil }];
    const result = plan({ ...base, participants: [participant('grace', busy), participant('sam')], previousSession: '2026-10-20T14:00:00Z' });
    if (!result.ok) throw new Error(result.error);
    expect(result.proposals).toEqual([]);
    expect(result.rejected.map((r) => r.reason).join('\n')).toMatch(/more than the hard maximum P3M after the last one|no free slot/);
  });

  it('refuses a bad previousSession', () => {
    expect(plan({ ...base, participants: [participant('a'), participant('b')], previousSession: '2027-02-30T10:00:00Z' })).toMatchObject({ ok: false });
  });
});

describe('what moves', () => {
  const sessions = [aSession({ id: 'a', relationshipId: 'r1', start: '2026-10-01T10:00:00.000Z', status: 'held' }), aSession({ id: 'b', relationshipId: 'r1', start: '2026-11-01T10:00:00.000Z', status: 'cancelled' }), aSession({ id: 'c', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z', status: 'planned' }), aSession({ id: 'd', relationshipId: 'r1', start: '2027-01-01T10:00:00.000Z', status: 'planned' })];
  it('planned sessions from the move on; the anchor is the last held or staying session', () => {
    expect(sessionsToMove(sessions, '2026-11-15T00:00:00Z').map((s) => s.id)).toEqual(['c', 'd']);
    expect(previousSessionStart(sessions, '2026-11-15T00:00:00Z')).toBe('2026-10-01T10:00:00.000Z');
    expect(previousSessionStart(sessions, '2026-12-15T00:00:00Z')).toBe('2026-12-01T10:00:00.000Z');
    expect(previousSessionStart([], '2026-12-15T00:00:00Z')).toBeUndefined();
  });
  it('cover starts on its first day and ends on the first day back', () => {
    const cover = { id: 'c', relationshipId: 'r1', originalSupervisorId: 'dan', coverId: 'grace', from: '2027-01-04', until: '2027-03-04', byId: 'helen' };
    expect(coverSteps(cover, '2027-01-03', { started: false, ended: false })).toEqual([]);
    expect(coverSteps(cover, '2027-01-04', { started: false, ended: false })).toEqual(['start']);
    expect(coverSteps(cover, '2027-03-04', { started: true, ended: false })).toEqual(['end']);
    expect(coverSteps(cover, '2027-03-05', { started: false, ended: false })).toEqual(['start', 'end']);
    expect(coverSteps(cover, '2027-03-05', { started: true, ended: true })).toEqual([]);
    expect(coverProblem('2027-01-04', '2027-01-04', '2027-01-01')).toMatch(/^until/);
    expect(coverProblem('2027-01-04', '2027-03-04', '2027-01-01')).toBeUndefined();
  });
});

describe('who may', () => {
  const members = new Map([['dan', aPerson({ id: 'dan', roles: ['supervisor'], lineManagerId: 'helen' })], ['sam', aPerson({ id: 'sam', lineManagerId: 'dan' })]]);
  it('manage: the supervisor, a line manager of someone in it, a lead; not the supervisee or another supervisor', () => {
    expect(mayManageArrangement(aPerson({ id: 'dan' }), rel, members)).toBe(true);
    expect(mayManageArrangement(aPerson({ id: 'helen' }), rel, members)).toBe(true);
    expect(mayManageArrangement(aPerson({ id: 'priya', roles: ['safeguarding-lead'] }), rel, members)).toBe(true);
    expect(mayManageArrangement(aPerson({ id: 'sam' }), rel, members)).toBe(false);
    expect(mayManageArrangement(aPerson({ id: 'grace', roles: ['supervisor'] }), rel, members)).toBe(false);
  });
  it('read a handover note: the new supervisor and leads only', () => {
    expect(mayReadHandoverNote(aPerson({ id: 'grace' }), { forId: 'grace' })).toBe(true);
    expect(mayReadHandoverNote(aPerson({ id: 'priya', roles: ['safeguarding-lead'] }), { forId: 'grace' })).toBe(true);
    for (const id of ['dan', 'sam', 'helen']) expect(mayReadHandoverNote(aPerson({ id, roles: ['line-manager', 'supervisor'] }), { forId: 'grace' })).toBe(false);
  });
  it('be the new supervisor: a supervisor not already in it', () => {
    expect(supervisorProblem(aPerson({ id: 'grace', roles: ['supervisor'] }), rel)).toBeUndefined();
    expect(supervisorProblem(aPerson({ id: 'tom' }), rel)).toMatch(/not a supervisor/);
    expect(supervisorProblem(aPerson({ id: 'sam', roles: ['supervisor'] }), rel)).toMatch(/supervisees/);
    expect(supervisorProblem(undefined, rel)).toMatch(/not in the directory/);
  });
});

describe('directory flags', () => {
  it('a leaving supervisor: hand over, asked of their line manager; settled when nobody is left with them', () => {
    const [flag] = flagsFor({ id: 'x', kind: 'left', personId: 'dan' }, aPerson({ id: 'dan' }), [rel], { lineManagerId: 'helen' });
    expect(flag).toMatchObject({ kind: 'leaver-supervisor', askIds: ['helen'], relationshipIds: ['r1'] });
    expect(flagOpen(flag!, new Map([['r1', rel]]), false)).toBe(true);
    expect(flagOpen(flag!, new Map([['r1', { ...rel, supervisorId: 'grace' }]]), false)).toBe(false);
    expect(flagOpen(flag!, new Map([['r1', rel]]), true)).toBe(false);
  });
  it('a leaving supervisee: end it, asked of their line manager and supervisor', () => {
    const [flag] = flagsFor({ id: 'x', kind: 'left', personId: 'sam' }, aPerson({ id: 'sam' }), [rel], { lineManagerId: 'dan' });
    expect(flag).toMatchObject({ kind: 'leaver-supervisee', askIds: ['dan'] });
    expect(flagOpen(flag!, new Map([['r1', { ...rel, active: false }]]), false)).toBe(false);
  });
  it('a new starter under a policy: set up, agreement due; someone with no policy or an arrangement already: nothing', () => {
    expect(flagsFor({ id: 'x', kind: 'joined', personId: 'nina' }, aPerson({ id: 'nina', policyId: 'p' }), [], { lineManagerId: 'helen', agreementDueOn: '2027-01-11' })).toEqual([
      { id: 'x', kind: 'new-starter', personId: 'nina', relationshipIds: [], askIds: ['helen'], agreementDueOn: '2027-01-11' },
    ]);
    expect(flagsFor({ id: 'x', kind: 'joined', personId: 'nina' }, aPerson({ id: 'nina' }), [], { lineManagerId: 'helen' })).toEqual([]);
    expect(flagsFor({ id: 'x', kind: 'joined', personId: 'sam' }, aPerson({ id: 'sam', policyId: 'p' }), [rel], {})).toEqual([]);
  });
  it('a new line manager: consider a handover, unless they already supervise', () => {
    expect(flagsFor({ id: 'x', kind: 'manager-changed', personId: 'sam', managerId: 'grace' }, aPerson({ id: 'sam' }), [rel], {})[0]).toMatchObject({ kind: 'manager-changed', askIds: ['grace', 'dan'], managerId: 'grace' });
    expect(flagsFor({ id: 'x', kind: 'manager-changed', personId: 'sam', managerId: 'dan' }, aPerson({ id: 'sam' }), [rel], {})).toEqual([]);
  });
});

describe('cards', () => {
  const moved = (role: 'old-supervisor' | 'new-supervisor' | 'supervisee', move: 'handover' | 'cover-start' | 'cover-end'): PeopleNotice => ({
    kind: 'moved', move, role, fromName: 'Daniel Okafor', toName: 'Grace Whitfield', superviseeNames: ['Sam Patel'], byName: 'Priya Shah', booked: 12,
    firstSession: { start: '2027-01-13T14:00:00Z', end: '2027-01-13T15:30:00Z' }, noteWaiting: role === 'new-supervisor', timeZone: 'Europe/London', ...(move === 'cover-start' ? { until: '2027-03-04T00:00:00Z' } : {}),
  });
  const notices: PeopleNotice[] = [
    ...(['old-supervisor', 'new-supervisor', 'supervisee'] as const).flatMap((r) => (['handover', 'cover-start', 'cover-end'] as const).map((m) => moved(r, m))),
    { kind: 'flag', flagKind: 'new-starter', personName: 'Nina', arrangements: 0, agreementDueOn: '2027-01-11', timeZone: 'Europe/London' },
    { kind: 'flag', flagKind: 'leaver-supervisor', personName: 'Daniel', arrangements: 3, timeZone: 'Europe/London' },
    { kind: 'ended', superviseeNames: ['Sam Patel'], supervisorName: 'Daniel Okafor', byName: 'Helen Carter', cancelled: 9 },
  ];
  it('every card fits the official schema and never says more than names, dates and counts', () => {
    for (const n of notices) {
      const card = peopleNoticeCard(n, 'https://example.org/tab/');
      expect(cardProblems(card)).toEqual([]);
      expect(JSON.stringify(card)).not.toMatch(/note:/i);
    }
  });
});
