/**
 * The due engine: every obligation kind, with due dates in working days where
 * the policy says so (Easter 2027/2028, clock changes), states and escalation
 * steps from the policy's ladder, rolling-window minimums that warn before a
 * breach, per-term and external-visit counts, and consistency properties over
 * synthetic histories.
 */
import fc from 'fast-check';
import { DateTime, Duration } from 'luxon';
import { syntheticHistories } from '../../bench/engine.bench';
import { DueScenario, dueInputFromScenario } from '../../src/cli/engineScenarios';
import { dueObligations } from '../../src/domain/due/dueEngine';
import type { DueInput, Obligation } from '../../src/domain/due/types';
import type { ActionItem, Agreement, Session } from '../../src/domain/model';
import { loadPack, loadScenario, PACK_IDS } from '../fixtures/scenarios/packs';
import { aRecord, aRelationship, aSession } from '../support/builders';

const ALL = new Map(PACK_IDS.map((id) => [id as string, loadPack(id)]));

function agreement(relationshipId: string, reviewOn: string, status: Agreement['status'] = 'signed'): Agreement {
  return { id: `${relationshipId}-ag`, relationshipId, templateId: 't', values: {}, frequency: '', durationMinutes: 60, venue: '', type: 'individual', reviewOn, status, signatures: [], createdAt: yearBefore(reviewOn) };
}
/** Agreements are made a review period (a year) before their review date: a later date would be cut back to it (reviewDue). */
function yearBefore(reviewOn: string): string {
  return `${Number(reviewOn.slice(0, 4)) - 1}${reviewOn.slice(4)}T00:00:00Z`;
}

function run(now: string, parts: Partial<DueInput>): Obligation[] {
  return dueObligations({ now, policies: ALL, relationships: [], sessions: [], records: [], actions: [], agreements: [], ...parts });
}
const only = (obligations: Obligation[], kind: Obligation['kind']) => obligations.filter((o) => o.kind === kind);
const one = (obligations: Obligation[], kind: Obligation['kind']) => {
  const found = only(obligations, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${found.length}: ${JSON.stringify(found, null, 1)}`);
  return found[0]!;
};

describe('the five-pack scenario (tests/fixtures/scenarios/due-all-packs.json, now = Wed 31 Mar 2027 11:00 BST)', () => {
  const obligations = dueObligations(dueInputFromScenario(DueScenario.parse(loadScenario('due-all-packs.json')), ALL));
  const table = obligations.map((o) => [o.relationshipId, o.kind, o.subjectId, o.dueAt, o.state, o.escalationStep].join(' '));

  it.each([
    // Westmorland: last held 15 Dec; monthly target and the 3-month hard maximum both breached; ladder at step 3 (line managers).
    'rel-wf supervision-due wf-1 2027-01-15T10:00:00.000Z overdue 3',
    'rel-wf hard-maximum wf-1 2027-03-15T10:00:00.000Z overdue 3',
    'rel-wf agreement-review wf-ag 2027-01-05T17:00:00.000Z overdue 3',
    // Leicestershire: held Maundy Thursday; 2 working days skip Good Friday and Easter Monday → Wed 31 Mar 17:00 BST.
    'rel-lcc record-due lcc-1 2027-03-31T16:00:00.000Z due-soon 0',
    'rel-lcc supervision-due lcc-1 2027-04-25T09:00:00.000Z upcoming 0',
    'rel-lcc action-due lcc-a1 2027-03-29T16:00:00.000Z overdue 1',
    'rel-lcc agreement-missing rel-lcc 2026-06-08T16:00:00.000Z overdue 3',
    // South Glos: the 2 Apr 2026 session leaves the 12-month window on 2 Apr 2027 → due soon, nothing planned.
    'rel-sg rolling-minimum sg-1 2027-04-02T09:00:00.000Z due-soon 0',
    'rel-sg supervision-due sg-6 2027-04-03T08:00:00.000Z due-soon 0',
    // "Rebooked immediately" (§3.3): cancelled Mon 15 Mar, owed by close of business Tue 16 Mar; two weeks on, the last ladder step.
    'rel-sg rebook-needed sg-7 2027-03-16T17:00:00.000Z overdue 3',
    'rel-sg countersign-due sg-6-r 2027-02-08T17:00:00.000Z overdue 3',
    // Staffordshire: 12 weeks after 10:00 GMT on 6 Jan is 10:00 BST on 31 Mar (09:00Z): an hour overdue.
    'rel-st supervision-due st-1 2027-03-31T09:00:00.000Z overdue 1',
    'rel-st agreement-review st-ag 2027-09-01T16:00:00.000Z upcoming 0',
    // Lingfield: nothing in Spring 2 (22 Feb – 25 Mar); Summer 1 covered by a planned session; 1 of 2 external visits.
    'rel-lf per-term spring-2-2026-27 2027-03-25T16:30:00.000Z overdue 1',
    'rel-lf per-term summer-1-2026-27 2027-05-28T15:30:00.000Z upcoming 0',
    'rel-lf external-visits 2026/27 2027-08-31T15:30:00.000Z upcoming 0',
  ])('%s', (row) => {
    expect(table).toContain(row);
  });

  it('lists nothing that is already done and nothing twice', () => {
    expect(obligations.some((o) => o.subjectId === 'lcc-a2')).toBe(false); // done action
    expect(obligations.some((o) => o.kind === 'record-due' && o.relationshipId === 'rel-wf')).toBe(false); // signed record
    expect(new Set(obligations.map((o) => o.id)).size).toBe(obligations.length);
    expect(obligations).toHaveLength(18);
  });

  it('names who owes each obligation and who to tell, per the policy', () => {
    const byId = new Map(obligations.map((o) => [o.id, o]));
    expect(byId.get('record-due:rel-lcc:lcc-1')).toMatchObject({ owedBy: ['lcc-tm'], notify: ['supervisor', 'supervisee'] });
    expect(byId.get('supervision-due:rel-st:st-1')).toMatchObject({ owedBy: ['st-np'], notify: ['supervisee'] }); // Staffordshire: the supervisee arranges
    expect(byId.get('countersign-due:rel-sg:sg-6-r')).toMatchObject({ owedBy: ['sg-prac'], notify: ['supervisor-line-manager'] });
    expect(byId.get('hard-maximum:rel-wf:wf-1')).toMatchObject({ owedBy: ['wf-sup', 'wf-prac'], notify: ['supervisee-line-manager', 'supervisor-line-manager'] });
  });

  it('explains without case detail', () => {
    for (const o of obligations) {
      expect(o.explanation.length).toBeGreaterThan(20);
      expect(o.explanation).not.toMatch(/undefined|NaN|\[object/);
    }
    expect(obligations.find((o) => o.id === 'record-due:rel-lcc:lcc-1')!.explanation).toBe(
      'The record of the session on 2027-03-25 is not started; the policy gives 2 working days after the session (bank holidays excluded), so it is due by 2027-03-31.',
    );
  });
});

describe('records and countersignatures', () => {
  const r = aRelationship({ id: 'r', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-01-05' });
  const agreementOk = agreement('r', '2028-01-01');

  it.each([
    // [session start, working days policy, now, expected dueAt, expected state]
    ['2028-04-13T09:00:00Z', 'leicestershire-cfs', '2028-04-14T09:00:00Z', '2028-04-19T16:00:00.000Z', 'upcoming'], // Easter 2028: Thu → Wed
    ['2028-04-13T09:00:00Z', 'leicestershire-cfs', '2028-04-17T09:00:00Z', '2028-04-19T16:00:00.000Z', 'due-soon'],
    ['2028-04-13T09:00:00Z', 'leicestershire-cfs', '2028-04-19T16:00:01Z', '2028-04-19T16:00:00.000Z', 'overdue'],
    ['2027-10-29T13:00:00Z', 'leicestershire-cfs', '2027-10-29T15:00:00Z', '2027-11-02T17:00:00.000Z', 'upcoming'], // over the October change: GMT deadline
    ['2027-10-29T13:00:00Z', 'leicestershire-cfs', '2027-10-30T17:00:00Z', '2027-11-02T17:00:00.000Z', 'due-soon'], // three days before
    ['2027-03-25T13:00:00Z', 'staffordshire-stoke-icb', '2027-03-25T15:00:00Z', '2027-03-30T16:00:00.000Z', 'upcoming'], // 1 working day, Easter 2027
    ['2027-03-25T13:00:00Z', 'staffordshire-stoke-icb', '2027-03-28T09:00:00Z', '2027-03-30T16:00:00.000Z', 'due-soon'],
  ])('held %s under %s, judged at %s: record due %s (%s)', (start, policyId, now, dueAt, state) => {
    const rr = { ...r, policyId, staffGroupId: policyId === 'staffordshire-stoke-icb' ? 'clinical' : 'casework' };
    const o = one(run(now, { relationships: [rr], sessions: [aSession({ id: 's1', relationshipId: 'r', start, status: 'held' })], agreements: [agreementOk] }), 'record-due');
    expect(o).toMatchObject({ dueAt, state, subjectId: 's1', id: 'record-due:r:s1' });
  });

  it('a draft is still due (owed by its author); a submitted record awaits the other party; a signed one is done', () => {
    const sessions = [aSession({ id: 'a', relationshipId: 'r', start: '2027-06-01T09:00:00Z', status: 'held' }), aSession({ id: 'b', relationshipId: 'r', start: '2027-06-08T09:00:00Z', status: 'held' }), aSession({ id: 'c', relationshipId: 'r', start: '2027-06-15T09:00:00Z', status: 'held' })];
    const records = [
      aRecord({ sessionId: 'a', relationshipId: 'r', status: 'draft', authorId: 'r-sup' }),
      aRecord({ sessionId: 'b', relationshipId: 'r', status: 'submitted', authorId: 'r-sup', signers: ['r-sup'], submittedAt: '2027-06-08T12:00:00Z' }),
      aRecord({ sessionId: 'c', relationshipId: 'r', status: 'signed', authorId: 'r-sup', signers: ['r-sup', 'r-see'] }),
    ];
    const out = run('2027-06-20T09:00:00Z', { relationships: [r], sessions, records, agreements: [agreementOk] });
    expect(one(out, 'record-due')).toMatchObject({ subjectId: 'a', owedBy: ['r-sup'], state: 'overdue' });
    expect(one(out, 'countersign-due')).toMatchObject({ subjectId: 'b-r', owedBy: ['r-see'], dueAt: '2027-06-10T16:00:00.000Z', state: 'overdue', escalationStep: 2 });
  });

  it('takes the latest version of a record', () => {
    const v1 = aRecord({ sessionId: 'a', relationshipId: 'r', status: 'signed', authorId: 'r-sup', signers: ['r-sup', 'r-see'] });
    const v2 = { ...aRecord({ sessionId: 'a', relationshipId: 'r', status: 'draft', authorId: 'r-sup' }), id: 'a-r2', version: 2 };
    const out = run('2027-06-20T09:00:00Z', { relationships: [r], sessions: [aSession({ id: 'a', relationshipId: 'r', start: '2027-06-01T09:00:00Z', status: 'held' })], records: [v2, v1], agreements: [agreementOk] });
    expect(one(out, 'record-due').explanation).toContain('still a draft');
  });

  it('a group record needs every member’s signature', () => {
    const g = aRelationship({ id: 'g', policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2026-01-05', ...{ kind: 'group', superviseeIds: ['x', 'y', 'z'] } });
    const out = run('2027-06-20T09:00:00Z', {
      relationships: [g],
      sessions: [aSession({ id: 'gs', relationshipId: 'g', start: '2027-06-18T09:00:00Z', status: 'held' })],
      records: [aRecord({ sessionId: 'gs', relationshipId: 'g', status: 'submitted', authorId: 'g-sup', signers: ['g-sup', 'y'], submittedAt: '2027-06-18T12:00:00Z' })],
      agreements: [agreement('g', '2028-01-01')],
    });
    expect(one(out, 'countersign-due').owedBy).toEqual(['x', 'z']);
    // A group has no cadence of its own.
    expect(only(out, 'supervision-due')).toEqual([]);
  });
});

describe('frequency', () => {
  it('supervision-due moves through upcoming → due-soon → overdue and up the ladder (Leicestershire: P0D, P1W, P2W)', () => {
    const r = aRelationship({ id: 'r', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-01-05' });
    const parts = { relationships: [r], sessions: [aSession({ id: 's', relationshipId: 'r', start: '2027-05-04T09:00:00Z', status: 'held' })], records: [aRecord({ sessionId: 's', relationshipId: 'r', status: 'signed', authorId: 'r-sup' })], agreements: [agreement('r', '2028-01-01')] };
    const at = (now: string) => one(run(now, parts), 'supervision-due');
    expect(at('2027-05-20T09:00:00Z')).toMatchObject({ dueAt: '2027-06-04T09:00:00.000Z', state: 'upcoming', escalationStep: 0, notify: [] });
    expect(at('2027-06-01T09:00:00Z')).toMatchObject({ state: 'due-soon', escalationStep: 0, notify: ['supervisor', 'supervisee'] });
    expect(at('2027-06-04T09:00:01Z')).toMatchObject({ state: 'overdue', escalationStep: 1, notify: ['supervisor', 'supervisee'] });
    expect(at('2027-06-11T09:00:00Z')).toMatchObject({ state: 'overdue', escalationStep: 2, notify: ['supervisor'] });
    expect(at('2027-06-18T09:00:00Z')).toMatchObject({ state: 'overdue', escalationStep: 3, notify: ['supervisor-line-manager'] });
  });

  it('a planned session before the due date keeps it upcoming, even inside the notice period', () => {
    const r = aRelationship({ id: 'r', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-01-05' });
    const out = run('2027-06-02T09:00:00Z', { relationships: [r], sessions: [aSession({ id: 's', relationshipId: 'r', start: '2027-05-04T09:00:00Z', status: 'held' }), aSession({ id: 'p', relationshipId: 'r', start: '2027-06-03T09:00:00Z', status: 'planned' })], agreements: [agreement('r', '2028-01-01')] });
    expect(one(out, 'supervision-due')).toMatchObject({ state: 'upcoming', explanation: expect.stringContaining('next planned session is on 2027-06-03') });
  });

  it('an override (ASYE) shortens the interval until its end date', () => {
    const r = aRelationship({ id: 'r', policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2027-01-04', ...{ override: { interval: 'P2W', until: '2027-07-01', reason: 'newly-qualified' } } });
    const parts = { relationships: [r], sessions: [aSession({ id: 's', relationshipId: 'r', start: '2027-05-04T09:00:00Z', status: 'held' })], agreements: [agreement('r', '2028-01-01')] };
    expect(one(run('2027-05-10T09:00:00Z', parts), 'supervision-due')).toMatchObject({ dueAt: '2027-05-18T09:00:00.000Z', explanation: expect.stringContaining('newly-qualified override interval is P2W') });
    expect(one(run('2027-07-02T09:00:00Z', parts), 'supervision-due')).toMatchObject({ dueAt: '2027-06-04T09:00:00.000Z', state: 'overdue' });
  });

  it('a new relationship is due one interval after it starts', () => {
    const r = aRelationship({ id: 'r', policyId: 'staffordshire-stoke-icb', staffGroupId: 'clinical', startedOn: '2027-02-01' });
    const o = one(run('2027-02-02T09:00:00Z', { relationships: [r], agreements: [agreement('r', '2028-01-01')] }), 'supervision-due');
    expect(o).toMatchObject({ dueAt: '2027-05-23T23:00:00.000Z', subjectId: 'r', state: 'upcoming' }); // 16 weeks from midnight 1 Feb (GMT) = midnight 24 May BST
  });

  it('group sessions count towards members’ individual supervision only where the policy says so', () => {
    for (const [policyId, groupId, counts] of [
      ['westmorland-furness-scp', 'practitioners', true],
      ['leicestershire-cfs', 'casework', false],
    ] as const) {
      const ind = aRelationship({ id: 'ind', policyId, staffGroupId: groupId, startedOn: '2026-01-05', ...{ superviseeIds: ['worker'] } });
      const grp = aRelationship({ id: 'grp', policyId, staffGroupId: groupId, startedOn: '2026-01-05', ...{ kind: 'group', superviseeIds: ['worker', 'other'] } });
      const out = run('2027-06-10T09:00:00Z', {
        relationships: [ind, grp],
        sessions: [aSession({ id: 'old', relationshipId: 'ind', start: '2027-03-01T09:00:00Z', status: 'held' }), aSession({ id: 'pod', relationshipId: 'grp', start: '2027-06-01T09:00:00Z', status: 'held' })],
        agreements: [agreement('ind', '2028-01-01'), agreement('grp', '2028-01-01')],
      });
      // One month after 10:00 BST on 1 June, or after 09:00 GMT on 1 March (= 10:00 BST on 1 April).
      expect(one(out, 'supervision-due').dueAt).toBe(counts ? '2027-07-01T09:00:00.000Z' : '2027-04-01T08:00:00.000Z');
    }
  });
});

describe('rolling minimum (South Gloucestershire: 6 in any 12 months)', () => {
  const r = aRelationship({ id: 'r', policyId: 'south-gloucestershire-scb', staffGroupId: 'management', startedOn: '2025-01-06' });
  const held = ['2026-04-08', '2026-06-03', '2026-08-05', '2026-10-07', '2026-12-02', '2027-02-03'].map((d, i) => aSession({ id: `h${i}`, relationshipId: 'r', start: `${d}T09:00:00Z`, status: 'held' }));
  const base = { relationships: [r], agreements: [agreement('r', '2028-01-01')] };

  it('warns before the breach (due soon), not after', () => {
    // The 8 Apr 2026 session (10:00 BST) leaves the window at 10:00 BST on 8 Apr 2027.
    expect(one(run('2027-03-31T09:00:00Z', { ...base, sessions: held }), 'rolling-minimum')).toMatchObject({ state: 'upcoming', dueAt: '2027-04-08T09:00:00.000Z', subjectId: 'h0' });
    expect(one(run('2027-04-06T09:00:00Z', { ...base, sessions: held }), 'rolling-minimum')).toMatchObject({ state: 'due-soon', dueAt: '2027-04-08T09:00:00.000Z', notify: ['supervisor', 'supervisee'] });
    // After the breach: overdue since the moment the count fell to 5.
    expect(one(run('2027-04-10T09:00:00Z', { ...base, sessions: held }), 'rolling-minimum')).toMatchObject({ state: 'overdue', dueAt: '2027-04-08T09:00:00.000Z', escalationStep: 1 });
  });

  it('a planned session that keeps the count up makes it upcoming', () => {
    const planned = aSession({ id: 'p', relationshipId: 'r', start: '2027-04-07T09:00:00Z', status: 'planned' });
    const o = one(run('2027-04-06T09:00:00Z', { ...base, sessions: [...held, planned] }), 'rolling-minimum');
    expect(o).toMatchObject({ state: 'upcoming', explanation: expect.stringContaining('A planned session keeps it up') });
  });

  it('cannot be breached before the arrangement has run for a whole window', () => {
    const young = aRelationship({ id: 'y', policyId: 'south-gloucestershire-scb', staffGroupId: 'management', startedOn: '2027-01-04' });
    const o = one(run('2027-06-01T09:00:00Z', { relationships: [young], sessions: [aSession({ id: 'a', relationshipId: 'y', start: '2027-02-01T09:00:00Z', status: 'held' })], agreements: [agreement('y', '2028-01-01')] }), 'rolling-minimum');
    expect(o).toMatchObject({ state: 'upcoming', dueAt: '2028-01-04T00:00:00.000Z' });
  });

  it('property: dueAt is the first moment from now that the 12-month count falls below 6, and the state matches', () => {
    const W = Duration.fromISO('P12M');
    const countAt = (t: number, starts: number[]) => starts.filter((s) => s <= t && DateTime.fromMillis(s, { zone: 'Europe/London' }).plus(W).toMillis() > t).length;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 700 }), { maxLength: 14 }), fc.integer({ min: 400, max: 800 }), (days, nowDay) => {
        const origin = Date.parse('2025-01-06T10:00:00Z');
        const starts = days.map((d) => origin + d * 86_400_000).sort((a, b) => a - b);
        const now = origin + nowDay * 86_400_000 + 3_600_000;
        const sessions = starts.filter((s) => s < now).map((s, i) => aSession({ id: `s${i}`, relationshipId: 'r', start: new Date(s).toISOString(), status: 'held' }));
        const o = one(run(new Date(now).toISOString(), { ...base, sessions }), 'rolling-minimum');
        const heldStarts = sessions.map((s) => Date.parse(s.start));
        const due = Date.parse(o.dueAt);
        if (countAt(now, heldStarts) < 6) {
          expect(o.state).toBe('overdue');
          expect(due).toBeLessThanOrEqual(now);
          expect(countAt(due, heldStarts)).toBeLessThan(6);
        } else {
          expect(o.state).not.toBe('overdue');
          expect(countAt(due, heldStarts)).toBeLessThan(6);
          expect(countAt(due - 1, heldStarts)).toBeGreaterThanOrEqual(6);
          for (let t = now; t < due; t += 86_400_000) expect(countAt(t, heldStarts)).toBeGreaterThanOrEqual(6);
          const soon = DateTime.fromMillis(due, { zone: 'Europe/London' }).minus({ days: 3 }).toMillis();
          expect(o.state).toBe(now >= soon ? 'due-soon' : 'upcoming');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('per-term and external visits (Lingfield)', () => {
  const r = aRelationship({ id: 'r', policyId: 'lingfield-education-trust', staffGroupId: 'dsl-deputies', startedOn: '2026-09-01' });
  const base = { relationships: [r], agreements: [agreement('r', '2028-01-01')] };

  it('the current half-term: upcoming, due soon near its end with nothing planned, done once held', () => {
    const at = (now: string, sessions: Session[] = []) => only(run(now, { ...base, sessions }), 'per-term').filter((o) => o.state !== 'overdue');
    expect(at('2026-09-10T09:00:00Z')[0]).toMatchObject({ subjectId: 'autumn-1-2026-27', dueAt: '2026-10-23T15:30:00.000Z', state: 'upcoming' });
    expect(at('2026-10-21T09:00:00Z')[0]).toMatchObject({ subjectId: 'autumn-1-2026-27', state: 'due-soon' });
    // Held in Autumn 1 → the next obligation is Autumn 2.
    expect(at('2026-10-21T09:00:00Z', [aSession({ id: 'a', relationshipId: 'r', start: '2026-10-01T09:00:00Z', status: 'held' })])[0]).toMatchObject({ subjectId: 'autumn-2-2026-27', state: 'upcoming' });
  });

  it('a missed half-term is overdue once it ends, and escalates', () => {
    const out = run('2026-11-10T09:00:00Z', base);
    expect(only(out, 'per-term').map((o) => [o.subjectId, o.state, o.escalationStep])).toEqual([
      ['autumn-1-2026-27', 'overdue', 3],
      ['autumn-2-2026-27', 'upcoming', 0],
    ]);
  });

  it('external visits: due by the end of the academic year, due soon once behind an even spread', () => {
    expect(one(run('2026-11-10T09:00:00Z', base), 'external-visits')).toMatchObject({ subjectId: '2026/27', dueAt: '2027-08-31T15:30:00.000Z', state: 'upcoming' });
    expect(one(run('2027-03-10T09:00:00Z', base), 'external-visits')).toMatchObject({ state: 'due-soon' }); // none by mid-year
    const visits = [{ relationshipId: 'r', at: '2026-10-15T09:00:00Z' }, { relationshipId: 'r', at: '2027-02-01T09:00:00Z' }];
    expect(only(run('2027-03-10T09:00:00Z', { ...base, externalVisits: visits }), 'external-visits')).toEqual([]);
    // The next year starts owing again, and the last year's shortfall is reported.
    const next = only(run('2027-09-10T09:00:00Z', { ...base, externalVisits: visits.slice(0, 1) }), 'external-visits');
    expect(next.map((o) => [o.subjectId, o.state])).toEqual([
      ['2026/27', 'overdue'],
      ['2027/28', 'upcoming'],
    ]);
  });
});

describe('agreements, actions, rebooking', () => {
  it('an agreement required before supervision starts (P0D) is due at the first session', () => {
    const r = aRelationship({ id: 'r', policyId: 'staffordshire-stoke-icb', staffGroupId: 'clinical', startedOn: '2027-01-04' });
    const o = one(run('2027-01-05T09:00:00Z', { relationships: [r], sessions: [aSession({ id: 'p', relationshipId: 'r', start: '2027-01-12T10:00:00Z', status: 'planned' })] }), 'agreement-missing');
    expect(o).toMatchObject({ dueAt: '2027-01-12T10:00:00.000Z', owedBy: ['r-sup', 'r-see'], state: 'upcoming', subjectId: 'r' });
    // A draft is not an agreement.
    expect(only(run('2027-01-05T09:00:00Z', { relationships: [r], agreements: [agreement('r', '2028-01-01', 'draft')] }), 'agreement-missing')).toHaveLength(1);
  });

  it('the latest signed agreement’s review date is tracked', () => {
    const r = aRelationship({ id: 'r', policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2025-01-06' });
    const older = { ...agreement('r', '2026-01-06'), id: 'old' };
    const newer = { ...agreement('r', '2027-01-06'), id: 'new' };
    expect(one(run('2027-01-04T09:00:00Z', { relationships: [r], agreements: [older, newer] }), 'agreement-review')).toMatchObject({ subjectId: 'new', state: 'due-soon', dueAt: '2027-01-06T17:00:00.000Z' });
  });

  it('open actions are due at close of business on their date', () => {
    const r = aRelationship({ id: 'r', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-01-05' });
    const action: ActionItem = { id: 'a1', relationshipId: 'r', sessionId: 's', recordId: 'x', text: 'text', ownerId: 'r-see', dueOn: '2027-07-01', status: 'open' };
    expect(one(run('2027-07-01T15:00:00Z', { relationships: [r], actions: [action], agreements: [agreement('r', '2028-01-01')] }), 'action-due')).toMatchObject({ dueAt: '2027-07-01T16:00:00.000Z', state: 'due-soon', owedBy: ['r-see'] });
    expect(only(run('2027-07-01T15:00:00Z', { relationships: [r], actions: [{ ...action, status: 'done' }], agreements: [agreement('r', '2028-01-01')] }), 'action-due')).toEqual([]);
  });

  it('a cancelled session needs rebooking unless replaced or overtaken by a held one', () => {
    const r = aRelationship({ id: 'r', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-01-05' });
    const base = { relationships: [r], agreements: [agreement('r', '2028-01-01')] };
    const cancelled = aSession({ id: 'c', relationshipId: 'r', start: '2027-05-04T09:00:00Z', status: 'cancelled' });
    expect(one(run('2027-05-05T09:00:00Z', { ...base, sessions: [cancelled] }), 'rebook-needed')).toMatchObject({ dueAt: '2027-05-18T09:00:00.000Z', owedBy: ['r-sup'], state: 'upcoming' });
    expect(one(run('2027-05-05T09:00:00Z', { ...base, sessions: [aSession({ id: 'm', relationshipId: 'r', start: '2027-05-04T09:00:00Z', status: 'missed' })] }), 'rebook-needed').explanation).toContain('was missed');
    const replacement = aSession({ id: 'n', relationshipId: 'r', start: '2027-05-06T09:00:00Z', status: 'planned', minutes: 60, ...{ replacesSessionId: 'c', kind: 'rebooked' } });
    expect(only(run('2027-05-05T09:00:00Z', { ...base, sessions: [cancelled, replacement] }), 'rebook-needed')).toEqual([]);
    expect(only(run('2027-05-20T09:00:00Z', { ...base, sessions: [cancelled, aSession({ id: 'h', relationshipId: 'r', start: '2027-05-10T09:00:00Z', status: 'held' })] }), 'rebook-needed')).toEqual([]);
  });
});

describe('engine behaviour', () => {
  it('skips inactive relationships and ones whose policy or staff group it does not know', () => {
    const out = run('2027-06-01T09:00:00Z', {
      relationships: [
        aRelationship({ id: 'off', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-01-05', ...{ active: false } }),
        aRelationship({ id: 'nopolicy', policyId: 'somewhere-else', staffGroupId: 'casework', startedOn: '2026-01-05' }),
        aRelationship({ id: 'nogroup', policyId: 'leicestershire-cfs', staffGroupId: 'nurses', startedOn: '2026-01-05' }),
      ],
    });
    expect(out).toEqual([]);
  });

  it('accepts policies as a Map or a plain record', () => {
    const r = aRelationship({ id: 'r', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-01-05' });
    const input = { now: '2027-06-01T09:00:00Z', relationships: [r], sessions: [], records: [], actions: [], agreements: [] };
    expect(dueObligations({ ...input, policies: { 'leicestershire-cfs': loadPack('leicestershire-cfs') } })).toEqual(dueObligations({ ...input, policies: ALL }));
  });

  it('rejects a bad "now"', () => {
    expect(() => run('yesterday', {})).toThrow(/^now: must be an ISO 8601 instant/);
  });

  it('property: over synthetic histories, every obligation is consistent with its due date, the ladder and its id', () => {
    const packs = PACK_IDS.map(loadPack);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (dayOffset) => {
        const now = new Date(Date.parse('2026-09-01T09:00:00Z') + dayOffset * 86_400_000).toISOString();
        const data = syntheticHistories(60, now, packs);
        const out = dueObligations({ now, policies: ALL, ...data });
        const nowMs = Date.parse(now);
        const ids = new Set<string>();
        for (const o of out) {
          const pack = ALL.get(o.policyId)!;
          const due = Date.parse(o.dueAt);
          expect(o.id).toBe(`${o.kind}:${o.relationshipId}:${o.subjectId}`);
          expect(ids.has(o.id)).toBe(false);
          ids.add(o.id);
          expect(o.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
          expect(o.owedBy.length).toBeGreaterThan(0);
          if (o.state === 'overdue') {
            expect(nowMs).toBeGreaterThan(due);
            const reached = pack.reminders.ladder.filter((s) => DateTime.fromMillis(due, { zone: pack.timeZone }).plus(Duration.fromISO(s.after)).toMillis() <= nowMs).length;
            expect(o.escalationStep).toBe(reached);
            expect(o.notify).toEqual(reached ? pack.reminders.ladder[reached - 1]!.notify : []);
          } else {
            expect(nowMs).toBeLessThanOrEqual(due);
            expect(o.escalationStep).toBe(0);
            expect(o.notify).toEqual(o.state === 'due-soon' ? pack.reminders.ladder[0]!.notify : []);
          }
        }
      }),
      { numRuns: 20 },
    );
  });
});
