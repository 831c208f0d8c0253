/**
 * The compliance report's figures on hand-built histories: records on time
 * or late across the Easter 2027 bank-holiday weekend, sessions due / held /
 * cancelled / rebooked / missed by original time, rolling 12-month counts and
 * rolling minimums, team grouping and totals, agreements in date, the QA
 * roll-up, overdue obligations (from the due engine) and the export table.
 */
import path from 'node:path';
import { loadPolicies } from '../../src/config/policies';
import {
  complianceExportTable, complianceReport, EXPORT_ID_COLUMNS, FIGURES, figuresOf, teamOf, type ComplianceInput, type Figures, type QaGrade,
} from '../../src/domain/compliance';
import { dueObligations } from '../../src/domain/due/dueEngine';
import type { Agreement, Person, Relationship, Session, SupervisionRecord } from '../../src/domain/model';
import { aPerson, aRecord, aRelationship, aSession } from '../support/builders';

const POLICIES = loadPolicies(path.resolve(__dirname, '..', '..', 'policies'));
const WF = 'westmorland-furness-scp'; // records within 2 working days
const STAFFS = 'staffordshire-stoke-icb'; // records within 1 working day
const SG = 'south-gloucestershire-scb'; // management: at least 6 in 12 months

const CSC = "Children's Social Care";
const HEALTH = 'Health Safeguarding';

const PEOPLE: Person[] = [
  aPerson({ id: 'sam', displayName: 'Sam', team: CSC }), aPerson({ id: 'amira', displayName: 'Amira', team: CSC }),
  aPerson({ id: 'tom', displayName: 'Tom', team: HEALTH }), aPerson({ id: 'tess', displayName: 'Tess', team: HEALTH }),
  aPerson({ id: 'sue', displayName: 'Sue', team: HEALTH }), aPerson({ id: 'dan', displayName: 'Dan', team: CSC, roles: ['supervisor'] }),
];
const STAFF_GROUP: Record<string, string> = { [WF]: 'practitioners', [STAFFS]: 'clinical', [SG]: 'management' };
/** An arrangement Dan supervises since 2024 under a pack (Westmorland unless told), in the pack's staff group. */
function arrangement(r: Pick<Relationship, 'id' | 'superviseeIds'> & Partial<Relationship>): Relationship {
  const policyId = r.policyId ?? WF;
  return aRelationship({ kind: r.superviseeIds.length > 1 ? 'group' : 'individual', supervisorId: 'dan', policyId, staffGroupId: STAFF_GROUP[policyId], startedOn: '2024-01-01', ...r });
}
let seq = 0;
/** A session held (unless told) on `start`, an hour long, with the next id in this file. */
function sessionOn(s: Omit<Parameters<typeof aSession>[0], 'id'> & { id?: string }): Session {
  return aSession({ id: `s${++seq}`, status: 'held', ...s });
}
/**
 * The record of `session`: the supervisee signs when it ends, the supervisor (or, for a disagreement, the
 * person disagreeing) at `at` (default: the session's end), which is when the record last changed.
 */
function recordOf({ session: s, at, ...r }: { session: Session; at?: string } & Pick<SupervisionRecord, 'status'> & Partial<SupervisionRecord>): SupervisionRecord {
  const when = at ?? s.end;
  const signatures: SupervisionRecord['signatures'] =
    r.status === 'signed' ? [{ personId: 'sam', role: 'supervisee', at: s.end }, { personId: 'dan', role: 'supervisor', at: when }] : r.status === 'disagreed' ? [{ personId: 'sam', role: 'supervisee', at: s.end }] : [];
  return aRecord({
    id: `r-${s.id}`, sessionId: s.id, relationshipId: s.relationshipId, authorId: 'sam', signatures, createdAt: s.end, updatedAt: when,
    ...(r.status === 'disagreed' ? { disagreement: { byId: 'dan', at: when, text: 'x' } } : {}), ...r,
  });
}
function agreement(relationshipId: string, reviewOn: string, status: Agreement['status'] = 'signed'): Agreement {
  return { id: `ag-${relationshipId}-${reviewOn}`, relationshipId, templateId: 't', values: {}, frequency: 'monthly', durationMinutes: 60, venue: 'x', type: 'individual', reviewOn, status, signatures: [], createdAt: yearBefore(reviewOn) };
}
/** Agreements are made a review period (a year) before their review date: a later date would be cut back to it (reviewDue). */
function yearBefore(reviewOn: string): string {
  return `${Number(reviewOn.slice(0, 4)) - 1}${reviewOn.slice(4)}T00:00:00Z`;
}
function grade(relationshipId: string, recordId: string, category: QaGrade['category'], at: string, auditorId = 'priya'): QaGrade {
  return { id: `g-${++seq}`, recordId, relationshipId, auditorId, category, comment: '', at };
}

/** Sessions marked held are confirmed by attendance unless a test says otherwise (see "held means confirmed" below). */
function report(parts: Partial<ComplianceInput>) {
  return complianceReport({
    now: '2027-04-15T11:00:00Z', from: '2027-03-01', to: '2027-03-31', policies: POLICIES, people: PEOPLE,
    relationships: [], sessions: [], records: [], agreements: [], actions: [], grades: [],
    attendedSessionIds: (parts.sessions ?? []).filter((x) => x.status === 'held').map((x) => x.id), ...parts,
  });
}
const rowOf = (r: ReturnType<typeof report>, relationshipId: string) => r.relationships.find((x) => x.relationshipId === relationshipId)!;

describe('records on time, late and outstanding (Westmorland: 2 working days; held Thu 25 Mar 2027, Easter weekend follows)', () => {
  // Good Friday 26 Mar and Easter Monday 29 Mar are bank holidays: the deadline is close of business Wed 31 Mar (17:00 BST = 16:00Z).
  const held = () => sessionOn({ relationshipId: 'r1', start: '2027-03-25T10:00:00Z' });
  it.each<[string, (s: Session) => SupervisionRecord[], Partial<Figures>, string?]>([
    ['signed on Easter Monday', (s) => [recordOf({ session: s, status: 'signed', at: '2027-03-29T12:00:00Z' })], { recordsOnTime: 1 }],
    ['signed on Tuesday 30 Mar (late if bank holidays were working days)', (s) => [recordOf({ session: s, status: 'signed', at: '2027-03-30T09:00:00Z' })], { recordsOnTime: 1 }],
    ['signed a minute before close of business on Wed 31 Mar', (s) => [recordOf({ session: s, status: 'signed', at: '2027-03-31T15:59:00Z' })], { recordsOnTime: 1 }],
    ['signed a minute after close of business on Wed 31 Mar', (s) => [recordOf({ session: s, status: 'signed', at: '2027-03-31T16:01:00Z' })], { recordsLate: 1 }],
    ['signed with a disagreement on Tue 30 Mar', (s) => [recordOf({ session: s, status: 'disagreed', at: '2027-03-30T10:00:00Z' })], { recordsOnTime: 1 }],
    ['signed on Thu 1 Apr', (s) => [recordOf({ session: s, status: 'signed', at: '2027-04-01T09:00:00Z' })], { recordsLate: 1 }],
    ['never started (now 15 Apr)', () => [], { recordsOutstanding: 1, recordsOverdue: 1 }],
    ['a draft (now 15 Apr)', (s) => [recordOf({ session: s, status: 'draft' })], { recordsOutstanding: 1, recordsOverdue: 1 }],
    ['awaiting countersignature', (s) => [recordOf({ session: s, status: 'submitted', at: '2027-03-26T10:00:00Z' })], { recordsOutstanding: 1, recordsOverdue: 1 }],
    ['not started yet on Tue 30 Mar (deadline still ahead)', () => [], { recordsOutstanding: 1 }, '2027-03-30T12:00:00Z'],
    [
      'signed on time, then amended (current version a draft)',
      (s) => [recordOf({ session: s, status: 'signed', at: '2027-03-30T09:00:00Z' }), recordOf({ session: s, status: 'draft', at: '2027-04-10T09:00:00Z', version: 2, signatures: [] })],
      { recordsOnTime: 1 },
    ],
    [
      'signed late, amended and signed again',
      (s) => [recordOf({ session: s, status: 'signed', at: '2027-04-02T09:00:00Z' }), recordOf({ session: s, status: 'signed', at: '2027-04-05T09:00:00Z', version: 2 })],
      { recordsLate: 1 },
    ],
  ])('%s', (...args) => {
    const [, records, expected, now] = args;
    const s = held();
    const r = report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], sessions: [s], records: records(s), ...(now ? { now } : {}) });
    const row = rowOf(r, 'r1');
    const want = { recordsDue: 1, recordsOnTime: 0, recordsLate: 0, recordsOutstanding: 0, recordsOverdue: 0, ...expected };
    expect({ recordsDue: row.recordsDue, recordsOnTime: row.recordsOnTime, recordsLate: row.recordsLate, recordsOutstanding: row.recordsOutstanding, recordsOverdue: row.recordsOverdue }).toEqual(want);
  });

  it("uses each policy's own deadline: Staffordshire allows 1 working day", () => {
    const s = sessionOn({ relationshipId: 't1', start: '2027-03-25T10:00:00Z' });
    const onTime = report({ relationships: [arrangement({ id: 't1', superviseeIds: ['tom'], policyId: STAFFS })], sessions: [s], records: [recordOf({ session: s, status: 'signed', at: '2027-03-30T15:00:00Z' })] });
    expect(rowOf(onTime, 't1')).toMatchObject({ recordsOnTime: 1, recordsLate: 0 });
    const late = report({ relationships: [arrangement({ id: 't1', superviseeIds: ['tom'], policyId: STAFFS })], sessions: [s], records: [recordOf({ session: s, status: 'signed', at: '2027-03-31T09:00:00Z' })] });
    expect(rowOf(late, 't1')).toMatchObject({ recordsOnTime: 0, recordsLate: 1 });
  });
});

describe('sessions due, held, cancelled, rebooked and missed in March 2027', () => {
  const pick = (f: Figures) => ({ sessionsDue: f.sessionsDue, held: f.held, cancelled: f.cancelled, rebooked: f.rebooked, missed: f.missed });
  it.each<[string, () => Session[], ReturnType<typeof pick>, string?]>([
    ['a booked session held', () => [sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z' })], { sessionsDue: 1, held: 1, cancelled: 0, rebooked: 0, missed: 0 }],
    [
      'cancelled and rebooked within the period: due once, held once',
      () => {
        const c = sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z', status: 'cancelled' });
        return [c, sessionOn({ relationshipId: 'r1', start: '2027-03-17T10:00:00Z', kind: 'rebooked', replacesSessionId: c.id })];
      },
      { sessionsDue: 1, held: 1, cancelled: 1, rebooked: 1, missed: 0 },
    ],
    [
      'cancelled in March, rebooked into April',
      () => {
        const c = sessionOn({ relationshipId: 'r1', start: '2027-03-30T10:00:00Z', status: 'cancelled' });
        return [c, sessionOn({ relationshipId: 'r1', start: '2027-04-06T10:00:00Z', kind: 'rebooked', replacesSessionId: c.id })];
      },
      { sessionsDue: 1, held: 0, cancelled: 1, rebooked: 0, missed: 0 },
    ],
    [
      'cancelled in February, rebooked into March',
      () => {
        const c = sessionOn({ relationshipId: 'r1', start: '2027-02-24T10:00:00Z', status: 'cancelled' });
        return [c, sessionOn({ relationshipId: 'r1', start: '2027-03-03T10:00:00Z', kind: 'rebooked', replacesSessionId: c.id })];
      },
      { sessionsDue: 0, held: 1, cancelled: 0, rebooked: 1, missed: 0 },
    ],
    ['missed', () => [sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z', status: 'missed' })], { sessionsDue: 1, held: 0, cancelled: 0, rebooked: 0, missed: 1 }],
    ['an urgent session is held but was not due', () => [sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z', kind: 'urgent' })], { sessionsDue: 0, held: 1, cancelled: 0, rebooked: 0, missed: 0 }],
    [
      'an occurrence moved from February into March counts as due in February',
      () => [sessionOn({ relationshipId: 'r1', start: '2027-03-02T10:00:00Z', seriesId: 'x', occurrenceStart: '2027-02-26T10:00:00.000Z' })],
      { sessionsDue: 0, held: 1, cancelled: 0, rebooked: 0, missed: 0 },
    ],
    ['a past session nobody confirmed is due but not held', () => [sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z', status: 'planned' })], { sessionsDue: 1, held: 0, cancelled: 0, rebooked: 0, missed: 0 }],
    [
      'sessions still to come in the period are not due yet',
      () => [sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z' }), sessionOn({ relationshipId: 'r1', start: '2027-03-24T10:00:00Z', status: 'planned' })],
      { sessionsDue: 1, held: 1, cancelled: 0, rebooked: 0, missed: 0 },
      '2027-03-20T12:00:00Z',
    ],
    [
      'the period is read in Europe/London: 22:30Z on 31 Mar (23:30 BST) is in March; 23:30 GMT on 28 Feb is not',
      () => [sessionOn({ relationshipId: 'r1', start: '2027-03-31T22:30:00Z' }), sessionOn({ relationshipId: 'r1', start: '2027-03-01T00:30:00Z' }), sessionOn({ relationshipId: 'r1', start: '2027-02-28T23:30:00Z' })],
      { sessionsDue: 2, held: 2, cancelled: 0, rebooked: 0, missed: 0 },
    ],
  ])('%s', (...args) => {
    const [, sessions, expected, now] = args;
    const r = report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], sessions: sessions(), ...(now ? { now } : {}) });
    expect(pick(rowOf(r, 'r1'))).toEqual(expected);
  });
});

describe('rolling 12 months and rolling minimums (now 15 Apr 2027)', () => {
  it('counts sessions held in the 12 months before now, whatever the period', () => {
    const sessions = [
      sessionOn({ relationshipId: 'r1', start: '2026-03-20T10:00:00Z' }), // 13 months ago
      sessionOn({ relationshipId: 'r1', start: '2026-05-20T10:00:00Z' }),
      sessionOn({ relationshipId: 'r1', start: '2027-04-14T10:00:00Z' }), // after the period, before now
      sessionOn({ relationshipId: 'r1', start: '2026-06-20T10:00:00Z', status: 'cancelled' }),
      sessionOn({ relationshipId: 'r1', start: '2027-04-20T10:00:00Z', status: 'planned' }),
    ];
    expect(rowOf(report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], sessions }), 'r1')).toMatchObject({ rolling12MonthHeld: 2, held: 0, rollingMinimumApplies: 0, rollingMinimumMet: 0 });
  });

  it.each([
    [6, 1],
    [5, 0],
  ])("South Gloucestershire's 6 in 12 months: %i held → met %i", (count, met) => {
    const sessions = Array.from({ length: count }, (_, i) => sessionOn({ relationshipId: 'sg', start: `2026-${String(5 + i).padStart(2, '0')}-12T10:00:00Z` }));
    const row = rowOf(report({ relationships: [arrangement({ id: 'sg', superviseeIds: ['sue'], policyId: SG })], sessions }), 'sg');
    expect(row).toMatchObject({ rolling12MonthHeld: count, rollingMinimumApplies: 1, rollingMinimumMet: met });
    expect(row.rollingMinimum).toEqual({ count: 6, window: 'P12M', held: count });
  });
});

describe('teams and totals', () => {
  const rels = [arrangement({ id: 'sam', superviseeIds: ['sam'] }), arrangement({ id: 'amira', superviseeIds: ['amira'] }), arrangement({ id: 'tom', superviseeIds: ['tom'], policyId: STAFFS }), arrangement({ id: 'grp', superviseeIds: ['sam', 'tom', 'tess'], policyId: STAFFS })];
  const sessions = [
    sessionOn({ relationshipId: 'sam', start: '2027-03-03T10:00:00Z' }), sessionOn({ relationshipId: 'amira', start: '2027-03-04T10:00:00Z', status: 'cancelled' }),
    sessionOn({ relationshipId: 'tom', start: '2027-03-09T10:00:00Z' }), sessionOn({ relationshipId: 'grp', start: '2027-03-10T10:00:00Z' }), sessionOn({ relationshipId: 'grp', start: '2027-03-11T10:00:00Z', status: 'missed' }),
  ];
  const r = report({ relationships: rels, sessions });

  it("groups relationships under their supervisees' team (a group goes with most of its members)", () => {
    const people = new Map(PEOPLE.map((p) => [p.id, p]));
    expect(teamOf(rels[3]!, people)).toBe(HEALTH);
    expect(teamOf(arrangement({ id: 'tie', superviseeIds: ['sam', 'tom'] }), people)).toBe(CSC); // a tie goes to the first name alphabetically
    expect(teamOf(arrangement({ id: 'ghost', superviseeIds: ['nobody'] }), people)).toBe('Unassigned');
    expect(r.teams.map((t) => [t.team, t.relationships, t.held, t.cancelled, t.missed, t.sessionsDue])).toEqual([
      [CSC, 2, 1, 1, 0, 2],
      [HEALTH, 2, 2, 0, 1, 3],
    ]);
  });

  it('makes every team the sum of its relationships and the organisation the sum of its teams', () => {
    for (const t of r.teams) {
      const sum = Object.fromEntries(FIGURES.map((f) => [f.key, r.relationships.filter((x) => x.team === t.team).reduce((n, x) => n + x[f.key], 0)]));
      expect(figuresOf(t)).toEqual(sum);
    }
    expect(r.organisation).toEqual(Object.fromEntries(FIGURES.map((f) => [f.key, r.teams.reduce((n, t) => n + t[f.key], 0)])));
  });

  it('filters by team but still lists every team available', () => {
    const health = report({ relationships: rels, sessions, team: HEALTH });
    expect(health.teams.map((t) => t.team)).toEqual([HEALTH]);
    expect(health.relationships.map((x) => x.relationshipId).sort()).toEqual(['grp', 'tom']);
    expect(health.organisation.held).toBe(2);
    expect(health.teamsAvailable).toEqual([CSC, HEALTH]);
  });

  it('leaves out inactive relationships with nothing in the period, but keeps their history when they had some', () => {
    const r2 = report({ relationships: [arrangement({ id: 'old', superviseeIds: ['sam'], active: false }), arrangement({ id: 'ended', superviseeIds: ['amira'], active: false })], sessions: [sessionOn({ relationshipId: 'ended', start: '2027-03-03T10:00:00Z' })] });
    expect(r2.relationships.map((x) => [x.relationshipId, x.held, x.agreementsTotal])).toEqual([['ended', 1, 0]]);
  });
});

describe('agreements in date (as at 15 Apr 2027)', () => {
  it.each<[string, Agreement[], number]>([
    ['signed, review next year', [agreement('r1', '2028-01-10')], 1],
    ['signed, review today', [agreement('r1', '2027-04-15')], 1],
    ['signed, review was yesterday', [agreement('r1', '2027-04-14')], 0],
    ['a draft awaiting signatures', [agreement('r1', '2028-01-10', 'draft')], 0],
    ['none', [], 0],
    ['an out-of-date one and a renewed one', [agreement('r1', '2027-01-10'), agreement('r1', '2028-01-10')], 1],
  ])('%s', (_name, agreements, inDate) => {
    const row = rowOf(report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], agreements }), 'r1');
    expect([row.agreementsInDate, row.agreementsTotal]).toEqual([inDate, 1]);
  });
});

describe('QA grades roll up per team', () => {
  it('counts each auditor’s latest grade of each record given in the period', () => {
    const rels = [arrangement({ id: 'sam', superviseeIds: ['sam'] }), arrangement({ id: 'tom', superviseeIds: ['tom'], policyId: STAFFS })];
    const grades = [
      grade('sam', 'rec1', 'support', '2027-03-02T10:00:00Z'),
      grade('sam', 'rec1', 'maintain', '2027-03-05T10:00:00Z'), // replaces the support grade
      grade('sam', 'rec1', 'promote', '2027-03-05T10:00:00Z', 'other-auditor'),
      grade('sam', 'rec2', 'challenge', '2027-03-20T10:00:00Z'),
      grade('tom', 'rec3', 'maintain', '2027-03-21T10:00:00Z'),
      grade('tom', 'rec4', 'challenge', '2027-04-02T10:00:00Z'), // after the period
    ];
    const r = report({ relationships: rels, grades });
    const qa = (f: Figures) => [f.qaChallenge, f.qaSupport, f.qaMaintain, f.qaPromote];
    expect(r.teams.map((t) => [t.team, ...qa(t)])).toEqual([
      [CSC, 1, 0, 1, 1],
      [HEALTH, 0, 0, 1, 0],
    ]);
    expect(qa(r.organisation)).toEqual([1, 0, 2, 1]);
  });
});

describe('overdue obligations come from the due engine', () => {
  it('counts the overdue obligations of each relationship', () => {
    const rels = [arrangement({ id: 'sam', superviseeIds: ['sam'] }), arrangement({ id: 'tom', superviseeIds: ['tom'], policyId: STAFFS })];
    const sessions = [sessionOn({ relationshipId: 'sam', start: '2026-12-01T10:00:00Z' }), sessionOn({ relationshipId: 'tom', start: '2027-03-25T10:00:00Z' })];
    const input = { now: '2027-04-15T11:00:00Z', policies: POLICIES, relationships: rels, sessions, records: [], actions: [], agreements: [] };
    const expected = (id: string) => dueObligations(input).filter((o) => o.relationshipId === id && o.state === 'overdue').length;
    const r = report({ relationships: rels, sessions });
    expect(expected('sam')).toBeGreaterThan(0);
    expect(rowOf(r, 'sam').overdueObligations).toBe(expected('sam'));
    expect(rowOf(r, 'tom').overdueObligations).toBe(expected('tom'));
    expect(r.organisation.overdueObligations).toBe(expected('sam') + expected('tom'));
  });
});

describe('the export table', () => {
  it('has an organisation row, a row per team and a row per relationship, with the report figures', () => {
    const rels = [arrangement({ id: 'sam', superviseeIds: ['sam'] }), arrangement({ id: 'tom', superviseeIds: ['tom'], policyId: STAFFS })];
    const r = report({ relationships: rels, sessions: [sessionOn({ relationshipId: 'sam', start: '2027-03-03T10:00:00Z' })] });
    const { header, rows } = complianceExportTable(r);
    expect(header).toEqual([...EXPORT_ID_COLUMNS, ...FIGURES.map((f) => f.label)]);
    expect(rows.map((x) => [x[0], x[1]])).toEqual([['organisation', 'All teams'], ['team', CSC], ['team', HEALTH], ['relationship', CSC], ['relationship', HEALTH]]);
    const fig = (row: (string | number)[]) => Object.fromEntries(FIGURES.map((f, i) => [f.key, row[EXPORT_ID_COLUMNS.length + i]]));
    expect(fig(rows[0]!)).toEqual(r.organisation);
    expect(fig(rows[1]!)).toEqual(figuresOf(r.teams[0]!));
    expect(fig(rows[3]!)).toEqual(figuresOf(r.relationships[0]!));
    expect(rows[3]!.slice(2, 5)).toEqual(['sam', 'Dan', 'Sam']);
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => report({ from: '2027-03-10', to: '2027-03-01' })).toThrow(/to: must not be before from/);
  });
});

describe('held means confirmed: a record submitted or attendance recorded, not merely the end time passing', () => {
  const pick = (f: Figures) => ({ held: f.held, unconfirmed: f.unconfirmed, recordsDue: f.recordsDue, recordsOutstanding: f.recordsOutstanding, rolling12MonthHeld: f.rolling12MonthHeld });
  it('a session marked held with nothing recorded is unconfirmed, and still owes its record', () => {
    const s = sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z' });
    const r = report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], sessions: [s], attendedSessionIds: [] });
    expect(pick(rowOf(r, 'r1'))).toEqual({ held: 0, unconfirmed: 1, recordsDue: 1, recordsOutstanding: 1, rolling12MonthHeld: 0 });
  });
  it('a booked session whose end passed before reconcile ran is unconfirmed too', () => {
    const r = report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], sessions: [sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z', status: 'planned' })], attendedSessionIds: [] });
    expect(pick(rowOf(r, 'r1'))).toMatchObject({ held: 0, unconfirmed: 1 });
  });
  it.each([
    ['a draft record does not confirm it', 'draft', { held: 0, unconfirmed: 1 }],
    ['a submitted record confirms it', 'submitted', { held: 1, unconfirmed: 0 }],
    ['a signed record confirms it', 'signed', { held: 1, unconfirmed: 0 }],
  ] as const)('%s', (_, status, expected) => {
    const s = sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z' });
    const r = report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], sessions: [s], records: [recordOf({ session: s, status: status })], attendedSessionIds: [] });
    expect(pick(rowOf(r, 'r1'))).toMatchObject(expected);
  });
  it('recorded attendance confirms it', () => {
    const s = sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z' });
    const r = report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], sessions: [s], attendedSessionIds: [s.id] });
    expect(pick(rowOf(r, 'r1'))).toMatchObject({ held: 1, unconfirmed: 0, rolling12MonthHeld: 1 });
  });
});

describe('drill-down: every figure names the items behind it', () => {
  it('lists exactly as many items as each figure counts, naming the people', () => {
    const held = sessionOn({ relationshipId: 'r1', start: '2027-03-10T10:00:00Z' });
    const late = sessionOn({ relationshipId: 'r1', start: '2027-03-17T10:00:00Z' });
    const cancelled = sessionOn({ relationshipId: 'r1', start: '2027-03-24T10:00:00Z', status: 'cancelled' });
    const unconfirmed = sessionOn({ relationshipId: 'r2', start: '2027-03-11T10:00:00Z' });
    const r = report({
      relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] }), arrangement({ id: 'r2', superviseeIds: ['amira'] })],
      sessions: [held, late, cancelled, unconfirmed],
      records: [recordOf({ session: held, status: 'signed' }), recordOf({ session: late, status: 'signed', at: '2027-03-30T10:00:00Z' })],
      agreements: [agreement('r1', '2027-12-01')],
      grades: [grade('r1', `r-${held.id}`, 'maintain', '2027-03-20T10:00:00Z')],
      attendedSessionIds: [],
      withItems: true,
    });
    for (const row of r.relationships) {
      for (const f of FIGURES) {
        expect([f.key, row.relationshipId, r.items!.filter((i) => i.figure === f.key && i.relationshipId === row.relationshipId).length]).toEqual([f.key, row.relationshipId, row[f.key]]);
      }
    }
    const unconfirmedItems = r.items!.filter((i) => i.figure === 'unconfirmed');
    expect(unconfirmedItems).toEqual([expect.objectContaining({ id: unconfirmed.id, kind: 'session', supervisor: 'Dan', supervisees: ['Amira'] })]);
    expect(r.items!.filter((i) => i.figure === 'recordsLate').map((i) => i.id)).toEqual([`r-${late.id}`]);
    expect(report({ relationships: [arrangement({ id: 'r1', superviseeIds: ['sam'] })], sessions: [held] }).items).toBeUndefined();
  });
});

describe('sessions held while the agreement was out of date (issue 18; Staffordshire checks it at every session)', () => {
  it('flags a session held after the review date, or before any agreement was signed; not one held while it was in date', () => {
    const inDate = sessionOn({ relationshipId: 'a1', start: '2027-03-02T10:00:00Z' });
    const after = sessionOn({ relationshipId: 'a1', start: '2027-03-20T10:00:00Z' });
    const none = sessionOn({ relationshipId: 'a2', start: '2027-03-10T10:00:00Z' });
    const signedLater: Agreement = { ...agreement('a3', '2028-01-01'), signatures: [{ personId: 'tom', role: 'supervisee', at: '2027-03-12T09:00:00Z' }] };
    const before = sessionOn({ relationshipId: 'a3', start: '2027-03-11T10:00:00Z' });
    const afterSigning = sessionOn({ relationshipId: 'a3', start: '2027-03-13T10:00:00Z' });
    const r = report({
      relationships: [arrangement({ id: 'a1', superviseeIds: ['tom'], policyId: STAFFS }), arrangement({ id: 'a2', superviseeIds: ['tess'], policyId: STAFFS }), arrangement({ id: 'a3', superviseeIds: ['sue'], policyId: STAFFS })],
      sessions: [inDate, after, none, before, afterSigning],
      agreements: [agreement('a1', '2027-03-15'), signedLater],
      withItems: true,
    });
    expect(rowOf(r, 'a1').heldWithoutAgreement).toBe(1);
    expect(rowOf(r, 'a2').heldWithoutAgreement).toBe(1);
    expect(rowOf(r, 'a3').heldWithoutAgreement).toBe(1);
    expect(r.items!.filter((i) => i.figure === 'heldWithoutAgreement').map((i) => i.id).sort()).toEqual([after.id, before.id, none.id].sort());
    expect(r.items!.find((i) => i.id === after.id && i.figure === 'heldWithoutAgreement')!.label).toMatch(/out of date: its review was due on 2027-03-15/);
  });
});
