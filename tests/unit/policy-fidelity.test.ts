/**
 * Policy fidelity (issue #14): rules the engines used to get wrong, checked
 * against the organisations' own words, in every pack where each applies.
 */
import { agreementState, reviewDue } from '../../src/domain/agreements';
import { dueObligations } from '../../src/domain/due/dueEngine';
import type { DueInput, Obligation } from '../../src/domain/due/types';
import type { Agreement, Relationship, Session } from '../../src/domain/model';
import { plan } from '../../src/domain/planning/planner';
import { rampSteps } from '../../src/domain/policy/schema';
import { validatePack } from '../../src/domain/policy/validate';
import { overrideSteps, rampOverride } from '../../src/domain/ramp';
import { SEED_RELATIONSHIPS } from '../../src/seed/organisation';
import { loadPack, PACK_IDS, proposalViolations } from '../fixtures/scenarios/packs';

const ALL = new Map(PACK_IDS.map((id) => [id as string, loadPack(id)]));
const GROUP: Record<string, string> = {
  'leicestershire-cfs': 'casework',
  'lingfield-education-trust': 'dsl-deputies',
  'south-gloucestershire-scb': 'management',
  'staffordshire-stoke-icb': 'clinical',
  'westmorland-furness-scp': 'practitioners',
};

function rel(id: string, policyId: string, startedOn: string, extra: Partial<Relationship> = {}): Relationship {
  return { id, kind: 'individual', supervisorId: `${id}-sup`, superviseeIds: [`${id}-see`], policyId, staffGroupId: GROUP[policyId]!, startedOn, active: true, ...extra };
}
function session(id: string, relationshipId: string, start: string, status: Session['status'] = 'held', extra: Partial<Session> = {}): Session {
  return { id, relationshipId, start: new Date(Date.parse(start)).toISOString(), end: new Date(Date.parse(start) + 3_600_000).toISOString(), status, kind: 'planned', ...extra };
}
function agreement(relationshipId: string, signedAt: string, reviewOn: string): Agreement {
  return {
    id: `${relationshipId}-ag`, relationshipId, templateId: 't', values: {}, frequency: '', durationMinutes: 60, venue: '', type: 'individual', reviewOn, status: 'signed',
    signatures: [{ personId: `${relationshipId}-sup`, role: 'supervisor', at: signedAt }, { personId: `${relationshipId}-see`, role: 'supervisee', at: signedAt }], createdAt: signedAt,
  };
}
function run(now: string, parts: Partial<DueInput>): Obligation[] {
  return dueObligations({ now, policies: ALL, relationships: [], sessions: [], records: [], actions: [], agreements: [], ...parts });
}
const only = (os: Obligation[], kind: Obligation['kind']) => os.filter((o) => o.kind === kind);

describe('agreement review: the earlier of the agreement’s date and the policy’s review period', () => {
  it.each(PACK_IDS)('%s: a two-year review date under an annual review falls due after one year', (policyId) => {
    const pack = ALL.get(policyId)!;
    expect(pack.agreements.reviewEvery).toBe('P1Y');
    const r = rel('r', policyId, '2026-01-05');
    const ag = agreement('r', '2026-03-02T10:00:00Z', '2028-03-02');
    const [review] = only(run('2027-03-01T10:00:00Z', { relationships: [r], agreements: [ag] }), 'agreement-review');
    expect(review).toMatchObject({ subjectId: 'r-ag', state: 'due-soon' });
    expect(review!.dueAt.slice(0, 10)).toBe('2027-03-02');
    expect(review!.explanation).toContain('names 2028-03-02 for its review, but the policy requires a review every P1Y, so it is due by 2027-03-02');
    // Overdue after, whatever the agreement says.
    expect(only(run('2027-03-10T10:00:00Z', { relationships: [r], agreements: [ag] }), 'agreement-review')[0]!.state).toBe('overdue');
    expect(agreementState(ag, '2027-03-10', 30, { reviewEvery: pack.agreements.reviewEvery, timeZone: pack.timeZone })).toBe('overdue');
  });

  it('an earlier date in the agreement is kept', () => {
    const ag = agreement('r', '2026-03-02T10:00:00Z', '2026-09-01');
    expect(reviewDue(ag, 'P1Y', 'Europe/London')).toEqual({ date: '2026-09-01', setBy: 'agreement', policyDate: '2027-03-02' });
    const [review] = only(run('2026-08-01T10:00:00Z', { relationships: [rel('r', 'westmorland-furness-scp', '2026-01-05')], agreements: [ag] }), 'agreement-review');
    expect(review!.dueAt.slice(0, 10)).toBe('2026-09-01');
    expect(review!.explanation).toContain('to be reviewed by 2026-09-01');
  });

  it('the policy period runs from the last signature, in the policy’s zone', () => {
    const ag = { ...agreement('r', '2026-03-01T23:30:00Z', '2029-01-01'), createdAt: '2026-02-20T09:00:00Z' };
    // 23:30 UTC on 1 March is still 1 March in London (GMT).
    expect(reviewDue(ag, 'P1Y', 'Europe/London').date).toBe('2027-03-01');
    expect(reviewDue(ag, 'P6M', 'Europe/London').date).toBe('2026-09-01');
  });
});

describe('stepped ramps for new staff (LGA standards for employers: weekly 6 weeks, fortnightly to 6 months, then monthly)', () => {
  const packsWithRamp = PACK_IDS.filter((id) => ALL.get(id)!.staffGroups.some((g) => g.ramp));

  it('the Westmorland and Leicestershire packs carry the steps; the others have no ramp', () => {
    expect(packsWithRamp).toEqual(['leicestershire-cfs', 'westmorland-furness-scp']);
    for (const id of packsWithRamp) {
      const g = ALL.get(id)!.staffGroups.find((x) => x.ramp)!;
      expect(rampSteps(g.ramp!)).toEqual([{ interval: 'P1W', until: 'P6W' }, { interval: 'P2W', until: 'P6M' }]);
      expect(g.ramp!.source).toMatch(/^\[[^\]]+\] L\d+: ".+"\. default: .*LGA/);
    }
  });

  it('the older single-step form still validates, as one step', () => {
    const raw = structuredClone(ALL.get('westmorland-furness-scp')!) as unknown as { staffGroups: { ramp: unknown }[] };
    raw.staffGroups[0]!.ramp = { appliesTo: 'newly-qualified', interval: 'P2W', lasts: 'P6M', source: 'default: old form' };
    const r = validatePack(raw);
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(rampSteps(r.pack.staffGroups[0]!.ramp!)).toEqual([{ interval: 'P2W', until: 'P6M' }]);
    // Steps must end in order.
    raw.staffGroups[0]!.ramp = { appliesTo: 'newly-qualified', steps: [{ interval: 'P1W', until: 'P6M' }, { interval: 'P2W', until: 'P6W' }], source: 'default: x' };
    const bad = validatePack(raw);
    expect(bad.ok).toBe(false);
  });

  it('the seed organisation’s newly qualified social worker has the Westmorland ramp from her start date', () => {
    const amira = SEED_RELATIONSHIPS.find((r) => r.id === 'rel-daniel-amira')!;
    const g = ALL.get('westmorland-furness-scp')!.staffGroups[0]!;
    expect(amira.override).toEqual(rampOverride(g.ramp!, amira.startedOn));
    expect(overrideSteps(amira.override!)).toEqual([{ interval: 'P1W', until: '2026-10-18' }, { interval: 'P2W', until: '2027-03-06' }]);
  });

  it.each(['westmorland-furness-scp', 'leicestershire-cfs'])('%s: pt plan with rampFrom books weekly, then fortnightly, then the group’s cadence', (policyId) => {
    const policy = ALL.get(policyId)!;
    const office = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start: '09:00', end: '17:00', timeZone: 'Europe/London' };
    for (const startedOn of ['2026-09-07', '2027-01-04', '2027-04-19']) {
      const input = {
        policy, staffGroupId: GROUP[policyId]!, start: `${startedOn}T08:00:00Z`, rampFrom: startedOn,
        participants: [{ id: 'sup', workingHours: { ...office, days: [...office.days] }, busy: [] }, { id: 'nqsw', workingHours: { ...office, days: [...office.days] }, busy: [] }],
      };
      const result = plan(input);
      if (!result.ok) throw new Error(result.error);
      expect(result.proposals.length).toBeGreaterThan(0);
      const steps = overrideSteps(rampOverride(policy.staffGroups.find((g) => g.ramp)!.ramp!, startedOn));
      for (const p of result.proposals) {
        expect(proposalViolations(input, p)).toEqual([]);
        expect(p.segments.map((s) => s.rrule.match(/^FREQ=(\w+);INTERVAL=(\d+)/)!.slice(1, 3).join(' '))).toEqual(['WEEKLY 1', 'WEEKLY 2', expect.stringMatching(/^(MONTHLY 1|WEEKLY 4)$/)]);
        // Pattern dates: 7 days apart to 6 weeks, 14 days apart to 6 months, never more than a month after.
        const dates = p.occurrences.map((o) => o.patternStart.slice(0, 10));
        for (let i = 1; i < dates.length; i++) {
          const gap = (Date.parse(dates[i]!) - Date.parse(dates[i - 1]!)) / 86_400_000;
          const limit = dates[i]! <= steps[0]!.until ? 7 : dates[i]! <= steps[1]!.until ? 14 : 35;
          expect({ date: dates[i], gap: gap <= limit }).toEqual({ date: dates[i], gap: true });
        }
        expect(dates.filter((d) => d <= steps[0]!.until).length).toBeGreaterThanOrEqual(5);
      }
      expect(result.notes.join(' ')).toContain(`every 1 week(s) until ${steps[0]!.until}, then every 2 week(s) until ${steps[1]!.until}, then the group's cadence`);
    }
  });

  it.each(['westmorland-furness-scp', 'leicestershire-cfs'])('%s: the due engine follows the step in force', (policyId) => {
    const g = ALL.get(policyId)!.staffGroups.find((x) => x.ramp)!;
    const r = rel('r', policyId, '2027-01-04', { override: rampOverride(g.ramp!, '2027-01-04') });
    const due = (now: string, last: string) => only(run(now, { relationships: [r], sessions: [session('s', 'r', last)] }), 'supervision-due')[0]!;
    // Week 3: weekly.
    expect(due('2027-01-20T12:00:00Z', '2027-01-19T10:00:00Z').dueAt).toBe('2027-01-26T10:00:00.000Z');
    // Month 3: fortnightly.
    expect(due('2027-03-20T12:00:00Z', '2027-03-16T10:00:00Z')).toMatchObject({ dueAt: '2027-03-30T09:00:00.000Z', explanation: expect.stringContaining('newly-qualified override interval is P2W (until 2027-07-03)') });
    // Month 8: the group's monthly target.
    expect(due('2027-09-01T12:00:00Z', '2027-08-31T09:00:00Z').dueAt).toBe('2027-09-30T09:00:00.000Z');
  });
});
