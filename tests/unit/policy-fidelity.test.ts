/**
 * Policy fidelity (issue #14): rules the engines used to get wrong, checked
 * against the organisations' own words, in every pack where each applies.
 */
import { agreementState, reviewDue } from '../../src/domain/agreements';
import { dueObligations } from '../../src/domain/due/dueEngine';
import type { DueInput, Obligation } from '../../src/domain/due/types';
import { externalSupervisionReport } from '../../src/domain/due/governorsReport';
import type { Agreement, SupervisionRecord } from '../../src/domain/model';
import { rebook } from '../../src/domain/planning/rebooker';
import { chooseRecordForm } from '../../src/domain/records/forms';
import { plan } from '../../src/domain/planning/planner';
import { rampSteps } from '../../src/domain/policy/schema';
import { recordFormIds, templatesFor, validatePack } from '../../src/domain/policy/validate';
import { overrideSteps, rampOverride } from '../../src/domain/ramp';
import { SEED_RELATIONSHIPS } from '../../src/seed/organisation';
import { loadPack, PACK_IDS, proposalViolations } from '../fixtures/scenarios/packs';
import { aRelationship, aSession } from '../support/builders';

const ALL = new Map(PACK_IDS.map((id) => [id as string, loadPack(id)]));
const GROUP: Record<string, string> = {
  'leicestershire-cfs': 'casework',
  'lingfield-education-trust': 'dsl-deputies',
  'south-gloucestershire-scb': 'management',
  'staffordshire-stoke-icb': 'clinical',
  'westmorland-furness-scp': 'practitioners',
};

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
    const r = aRelationship({ id: 'r', policyId, staffGroupId: GROUP[policyId]!, startedOn: '2026-01-05' });
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
    const [review] = only(run('2026-08-01T10:00:00Z', { relationships: [aRelationship({ id: 'r', policyId: 'westmorland-furness-scp', staffGroupId: GROUP['westmorland-furness-scp']!, startedOn: '2026-01-05' })], agreements: [ag] }), 'agreement-review');
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
    const r = aRelationship({ id: 'r', policyId, staffGroupId: GROUP[policyId]!, startedOn: '2027-01-04', ...{ override: rampOverride(g.ramp!, '2027-01-04') } });
    const due = (now: string, last: string) => only(run(now, { relationships: [r], sessions: [aSession({ id: 's', relationshipId: 'r', start: last, status: 'held' })] }), 'supervision-due')[0]!;
    // Week 3: weekly.
    expect(due('2027-01-20T12:00:00Z', '2027-01-19T10:00:00Z').dueAt).toBe('2027-01-26T10:00:00.000Z');
    // Month 3: fortnightly.
    expect(due('2027-03-20T12:00:00Z', '2027-03-16T10:00:00Z')).toMatchObject({ dueAt: '2027-03-30T09:00:00.000Z', explanation: expect.stringContaining('newly-qualified override interval is P2W (until 2027-07-03)') });
    // Month 8: the group's monthly target.
    expect(due('2027-09-01T12:00:00Z', '2027-08-31T09:00:00Z').dueAt).toBe('2027-09-30T09:00:00.000Z');
  });
});

describe('"rebooked immediately" (South Gloucestershire §3.3): owed by the next working day after the cancellation', () => {
  it.each(PACK_IDS)('%s', (policyId) => {
    const pack = ALL.get(policyId)!;
    const r = aRelationship({ id: 'r', policyId, staffGroupId: GROUP[policyId]!, startedOn: '2026-01-05' });
    // Cancelled on Thursday 25 March 2027 for a session on Wednesday 14 April; Good Friday and Easter Monday follow.
    const cancelled = aSession({ id: 'c', relationshipId: 'r', start: '2027-04-14T09:00:00Z', status: 'cancelled', ...{ cancelledAt: '2027-03-25T10:00:00Z' } });
    const at = (now: string) => only(run(now, { relationships: [r], sessions: [cancelled] }), 'rebook-needed')[0]!;
    const o = at('2027-03-25T10:05:00Z');
    expect(o.facts).toMatchObject({ cancelledAt: '2027-03-25T10:00:00.000Z', window: pack.rebooking.window });
    if (pack.rebooking.rebookBy?.deadline === 'next-working-day') {
      expect(policyId).toBe('south-gloucestershire-scb');
      expect(pack.rebooking.rebookBy.source).toContain('"In cases where supervision is cancelled, it must be rebooked immediately."');
      // Owed at once (due soon from the moment of cancellation), by close of business on Tuesday 30 March (the next working day), overdue after.
      expect(o).toMatchObject({ state: 'due-soon', dueAt: '2027-03-30T16:00:00.000Z', facts: { deadline: 'next-working-day' } });
      expect(o.explanation).toContain('must be rebooked immediately');
      expect(at('2027-03-30T16:30:00Z')).toMatchObject({ state: 'overdue', escalationStep: 1 });
    } else {
      expect(o.facts).toMatchObject({ deadline: 'window' });
      // Weeks, not a day: the end of the window, from the cancellation where the policy anchors it there (Staffordshire) or else the original date.
      const from = pack.rebooking.anchor === 'cancellation' ? '2027-03-25T10:00:00Z' : '2027-04-14T09:00:00Z';
      expect(Date.parse(o.dueAt) - Date.parse(from)).toBeGreaterThanOrEqual(13 * 86_400_000);
      expect(at('2027-03-30T16:30:00Z').state).not.toBe('overdue');
    }
  });

  it('without a cancellation time the session start stands in; pt rebook says the same deadline', () => {
    const r = aRelationship({ id: 'r', policyId: 'south-gloucestershire-scb', staffGroupId: GROUP['south-gloucestershire-scb']!, startedOn: '2026-01-05' });
    const [o] = only(run('2027-04-14T12:00:00Z', { relationships: [r], sessions: [aSession({ id: 'c', relationshipId: 'r', start: '2027-04-14T09:00:00Z', status: 'cancelled' })] }), 'rebook-needed');
    expect(o).toMatchObject({ dueAt: '2027-04-15T16:00:00.000Z', state: 'due-soon' });
    expect(o!.facts).not.toHaveProperty('cancelledAt');
    const office = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], start: '09:00', end: '17:00', timeZone: 'Europe/London' };
    const result = rebook({
      policy: ALL.get('south-gloucestershire-scb')!, staffGroupId: 'management', cancelled: { start: '2027-04-14T09:00:00Z', end: '2027-04-14T10:00:00Z' }, cancelledAt: '2027-04-01T10:00:00Z', now: '2027-04-01T10:00:00Z',
      participants: [{ id: 'a', workingHours: office, busy: [] }, { id: 'b', workingHours: office, busy: [] }],
    });
    expect(result.rebookBy).toEqual({ dueAt: '2027-04-02T16:00:00.000Z', deadline: 'next-working-day' });
  });
});

describe('Lingfield: counted per school, and two record forms', () => {
  const L = 'lingfield-education-trust';
  const dsl = aRelationship({ id: 'dsl', policyId: L, staffGroupId: GROUP[L]!, startedOn: '2026-09-01', ...{ unit: 'st-marys', supervisorId: 'head' } });
  const deputy = aRelationship({ id: 'deputy', policyId: L, staffGroupId: GROUP[L]!, startedOn: '2026-09-01', ...{ unit: 'st-marys', supervisorId: 'head' } });
  const other = aRelationship({ id: 'other', policyId: L, staffGroupId: GROUP[L]!, startedOn: '2026-09-01', ...{ unit: 'oak-hill', supervisorId: 'head-2' } });

  it('the pack counts both requirements per school and offers the staff/incident form', () => {
    const g = ALL.get(L)!.staffGroups[0]!;
    expect(g.requirements.map((r) => ('countedPer' in r ? r.countedPer : undefined))).toEqual(['school', 'school']);
    expect(recordFormIds(ALL.get(L)!)).toEqual(['lingfield-safeguarding-record', 'lingfield-staff-incident-record']);
    for (const id of PACK_IDS.filter((x) => x !== L)) expect(recordFormIds(ALL.get(id)!)).toHaveLength(1);
  });

  it('a half-term is met for the school by a session with either of its safeguarding leads; one obligation per school', () => {
    const out = run('2026-10-01T10:00:00Z', {
      relationships: [dsl, deputy, other],
      sessions: [aSession({ id: 's1', relationshipId: 'deputy', start: '2026-09-15T10:00:00Z', status: 'held' })],
      agreements: [agreement('dsl', '2026-09-01T09:00:00Z', '2027-09-01'), agreement('deputy', '2026-09-01T09:00:00Z', '2027-09-01'), agreement('other', '2026-09-01T09:00:00Z', '2027-09-01')],
    });
    const perTerm = only(out, 'per-term').filter((o) => o.subjectId.endsWith('autumn-1-2026-27'));
    // St Mary's: Autumn 1 met by the deputy's session (nothing owed until Autumn 2); Oak Hill still owes Autumn 1.
    expect(perTerm.map((o) => [o.relationshipId, o.subjectId])).toEqual([['other', 'oak-hill:autumn-1-2026-27']]);
    expect(perTerm[0]).toMatchObject({ owedBy: ['head-2'], facts: { school: 'oak-hill', held: 0, required: 1, countedPer: 'school' } });
    expect(perTerm[0]!.explanation).toMatch(/^oak-hill: Autumn 1 2026\/27/);
  });

  it('external visits to a school count for all its leads, recorded against the school or a relationship', () => {
    const out = run('2027-06-01T10:00:00Z', {
      relationships: [dsl, deputy, other],
      externalVisits: [{ unit: 'st-marys', at: '2026-11-10T10:00:00Z', by: 'trust-supervisor' }, { relationshipId: 'deputy', at: '2027-03-02T10:00:00Z' }],
    });
    const visits = only(out, 'external-visits');
    expect(visits.map((o) => o.subjectId).sort()).toEqual(['oak-hill:2026/27']);
    const report = externalSupervisionReport({ now: '2027-06-01T10:00:00Z', policies: ALL, relationships: [dsl, deputy, other], sessions: [], records: [], actions: [], agreements: [], externalVisits: [{ unit: 'st-marys', at: '2026-11-10T10:00:00Z', by: 'trust-supervisor' }, { relationshipId: 'deputy', at: '2027-03-02T10:00:00Z' }, { relationshipId: 'dsl', at: '2027-03-02T11:00:00Z' }] });
    expect(report.map((e) => [e.school, e.relationshipIds, e.years[0]!.held, e.years[0]!.met])).toEqual([
      ['st-marys', ['dsl', 'deputy'], 2, true],
      ['oak-hill', ['other'], 0, false],
    ]);
    expect(report[0]!.years[0]!.visits).toEqual([{ date: '2026-11-10', by: 'trust-supervisor' }, { date: '2027-03-02' }]);
    expect(report[0]!.years.map((y) => y.year)).toEqual(['2026/27']); // the arrangements began in September 2026
  });

  it('the writer may switch a draft to the staff/incident form; not after submission, not to another pack’s form', () => {
    const policy = ALL.get(L)!;
    const r = aRelationship({ id: 'r', policyId: L, staffGroupId: GROUP[L]!, startedOn: '2026-09-01' });
    const record: SupervisionRecord = { id: 'rec', sessionId: 's', relationshipId: 'r', templateId: 'lingfield-safeguarding-record', version: 1, status: 'draft', authorId: 'r-sup', values: { date: '2026-10-01', childFamily: 'x' }, signatures: [], createdAt: '2026-10-01T10:00:00Z', updatedAt: '2026-10-01T10:00:00Z', etag: '1' };
    const base = { policy, relationship: r, templates: templatesFor(policy), actorId: 'r-sup', now: '2026-10-01T11:00:00Z' };
    const ok = chooseRecordForm({ ...base, record, templateId: 'lingfield-staff-incident-record' });
    expect(ok).toMatchObject({ ok: true, unchanged: false, record: { templateId: 'lingfield-staff-incident-record', values: { date: '2026-10-01' } } });
    expect(chooseRecordForm({ ...base, record: { ...record, status: 'submitted' }, templateId: 'lingfield-staff-incident-record' })).toMatchObject({ ok: false });
    expect(chooseRecordForm({ ...base, record, templateId: 'staffordshire-record' })).toMatchObject({ ok: false, error: expect.stringMatching(/^templateId: /) });
    expect(chooseRecordForm({ ...base, record, actorId: 'r-see', templateId: 'lingfield-staff-incident-record' })).toMatchObject({ ok: false });
  });
});

describe('agreement checked at every session (Staffordshire §8.1 L151)', () => {
  it.each(PACK_IDS)('%s', (policyId) => {
    const pack = ALL.get(policyId)!;
    const r = aRelationship({ id: 'r', policyId, staffGroupId: GROUP[policyId]!, startedOn: '2026-01-05' });
    const next = aSession({ id: 'n', relationshipId: 'r', start: '2027-05-10T10:00:00Z', status: 'planned' });
    const check = (agreements: Agreement[], now = '2027-05-09T10:00:00Z') => only(run(now, { relationships: [r], sessions: [next], agreements }), 'agreement-check');
    if (!pack.agreements.checkedEachSession) {
      expect(check([])).toEqual([]);
      return;
    }
    expect(policyId).toBe('staffordshire-stoke-icb');
    expect(pack.agreements.source).toContain('"Ensure the contract for safeguarding supervision is checked at the beginning of every session');
    // In date on the session day: met in advance.
    expect(check([agreement('r', '2026-06-01T09:00:00Z', '2027-06-01')])[0]).toMatchObject({ state: 'upcoming', subjectId: 'n', owedBy: ['r-sup'], dueAt: '2027-05-10T10:00:00.000Z', facts: { finding: 'in-date', reviewOn: '2027-06-01' } });
    // Review falls before the session (the policy's year, not the agreement's two): the check will fail.
    expect(check([agreement('r', '2026-05-01T09:00:00Z', '2028-05-01')])[0]).toMatchObject({ state: 'due-soon', facts: { finding: 'review-overdue', reviewOn: '2027-05-01' } });
    expect(check([])[0]).toMatchObject({ state: 'due-soon', facts: { finding: 'missing' } });
  });
});
