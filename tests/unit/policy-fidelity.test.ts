/**
 * Policy fidelity (issue #14): rules the engines used to get wrong, checked
 * against the organisations' own words, in every pack where each applies.
 */
import { agreementState, reviewDue } from '../../src/domain/agreements';
import { dueObligations } from '../../src/domain/due/dueEngine';
import type { DueInput, Obligation } from '../../src/domain/due/types';
import type { Agreement, Relationship, Session } from '../../src/domain/model';
import { loadPack, PACK_IDS } from '../fixtures/scenarios/packs';

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
