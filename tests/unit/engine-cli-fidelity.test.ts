/**
 * `pt plan`, `pt rebook`, `pt due` and `pt schema` carry the policy-fidelity
 * facts of issue #14, on the scenario files in tests/fixtures/scenarios:
 * the hard maximum (every plan scenario, and the reported Staffordshire case),
 * stepped ramps for newly qualified staff (Westmorland, Leicestershire),
 * "rebooked immediately" (South Gloucestershire), the agreement review and
 * per-session check, and Lingfield's per-school counts and governors' report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runEngineCli } from '../../src/cli/engineCommands';
import { DueOutputSchema, PlanResultSchema, RebookResultSchema } from '../../src/cli/engineScenarios';
import type { CliIO } from '../../src/cli/pt';
import { hardMaximumViolations, loadPack, scenarioPath } from '../fixtures/scenarios/packs';

const ROOT = path.join(__dirname, '..', '..');
const SCENARIOS = fs.readdirSync(path.join(ROOT, 'tests', 'fixtures', 'scenarios')).filter((f) => f.endsWith('.json'));

async function pt(args: string[]): Promise<any> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), env: { PT_POLICY_DIR: path.join(ROOT, 'policies') }, cwd: ROOT };
  const code = await runEngineCli(args, io, { readStdin: () => '' });
  if (code !== 0) throw new Error(`pt ${args.join(' ')} failed (${code}): ${err}${out}`);
  return JSON.parse(out);
}
const rel = (name: string) => path.relative(ROOT, scenarioPath(name));
const scenario = (name: string) => JSON.parse(fs.readFileSync(scenarioPath(name), 'utf8'));

describe('pt plan: the hard maximum, counted in local calendar days from the start date', () => {
  it.each(SCENARIOS.filter((f) => f.endsWith('-plan.json')))('%s', async (file) => {
    const s = scenario(file);
    const result = PlanResultSchema.parse(await pt(['plan', rel(file)]));
    if (!result.ok) throw new Error(result.error);
    const pack = loadPack(s.policyId);
    const group = pack.staffGroups.find((g) => g.id === s.staffGroupId)!;
    const hardMax = group.requirements.find((r) => r.kind === 'interval' && r.hardMaximum);
    for (const p of result.proposals) {
      expect(hardMaximumViolations(s.start, p.occurrences.map((o) => o.start), group, pack.timeZone)).toEqual([]);
      expect(p.gapFromStartDays).toBeGreaterThanOrEqual(1);
      if (hardMax?.kind === 'interval') expect(p.hardMaximum).toMatchObject({ duration: hardMax.hardMaximum });
      else expect(p.hardMaximum).toBeUndefined();
    }
  });

  it('the reported case (Staffordshire, 16 weeks, part-time Monday to Wednesday, Easter Monday on the Monday pattern)', async () => {
    const result = PlanResultSchema.parse(await pt(['plan', rel('staffordshire-part-time-plan.json')]));
    if (!result.ok) throw new Error(result.error);
    expect(result.proposals.length).toBeGreaterThan(0);
    for (const p of result.proposals) {
      expect(p.hardMaximum).toEqual({ duration: 'P16W', longestAllowedGapDays: 112 });
      expect(Math.max(p.maxGapDays, p.gapFromStartDays)).toBeLessThanOrEqual(112);
    }
  });
});

describe('pt plan: stepped ramps for newly qualified social workers', () => {
  it.each(['westmorland-nqsw-plan.json', 'leicestershire-nqsw-plan.json'])('%s: weekly to 6 weeks, fortnightly to 6 months, then the group’s cadence', async (file) => {
    const result = PlanResultSchema.parse(await pt(['plan', rel(file)]));
    if (!result.ok) throw new Error(result.error);
    expect(result.notes).toContainEqual(expect.stringContaining("every 1 week(s) until 2026-10-18, then every 2 week(s) until 2027-03-06, then the group's cadence"));
    for (const p of result.proposals) {
      expect(p.segments).toHaveLength(3);
      expect(p.segments[0]!.rrule).toMatch(/^FREQ=WEEKLY;INTERVAL=1;/);
      expect(p.segments[1]!.rrule).toMatch(/^FREQ=WEEKLY;INTERVAL=2;/);
      expect(p.description).toMatch(/^Every week on \w+ until .+, every 2 weeks on \w+ until .+, then (every 4 weeks|monthly)/);
      expect(p.occurrences.filter((o) => o.start < '2026-10-19').length).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('pt rebook: by when the rebooking is owed', () => {
  it('South Gloucestershire: "rebooked immediately", by close of business on the next working day (Easter 2027)', async () => {
    const r = RebookResultSchema.parse(await pt(['rebook', rel('south-gloucestershire-rebook.json')]));
    expect(r.outcome).toBe('rebook');
    expect(r.rebookBy).toEqual({ dueAt: '2027-03-30T16:00:00.000Z', deadline: 'next-working-day' });
  });

  it.each(['leicestershire-rebook.json', 'staffordshire-rebook.json'])('%s: by the end of the rebook window', async (file) => {
    const r = RebookResultSchema.parse(await pt(['rebook', rel(file)]));
    expect(r.rebookBy?.deadline).toBe('window');
    expect(r.rebookBy?.dueAt).toBe(r.window.end);
  });

  it('an urgent slot is not a rebook and carries no deadline', async () => {
    const r = RebookResultSchema.parse(await pt(['rebook', rel('south-gloucestershire-urgent.json')]));
    expect(r.rebookBy).toBeUndefined();
  });
});

describe('pt due due-policy-fidelity.json (now = Thu 25 Mar 2027 12:00 GMT)', () => {
  let out: ReturnType<typeof DueOutputSchema.parse>;
  beforeAll(async () => {
    out = DueOutputSchema.parse(await pt(['due', rel('due-policy-fidelity.json')]));
  });
  const find = (relationshipId: string, kind: string, subjectId?: string) => {
    const found = out.obligations.filter((o) => o.relationshipId === relationshipId && o.kind === kind && (subjectId === undefined || o.subjectId === subjectId));
    if (found.length !== 1) throw new Error(`${relationshipId} ${kind} ${subjectId ?? ''}: ${found.length} found`);
    return found[0]!;
  };

  it('newly qualified: the fortnightly step is in force (Westmorland, Leicestershire)', () => {
    expect(find('wf-nqsw', 'supervision-due')).toMatchObject({ dueAt: '2027-03-30T09:00:00.000Z', facts: { interval: 'P2W', rampStepUntil: '2027-07-03' } });
    expect(find('lcc-nqsw', 'supervision-due')).toMatchObject({ dueAt: '2027-04-06T09:00:00.000Z', facts: { interval: 'P2W', rampReason: 'newly-qualified' } });
  });

  it('agreement review: the earlier of the agreement’s date and a year from signing', () => {
    expect(find('wf-nqsw', 'agreement-review').facts).toEqual({ reviewOn: '2028-01-04', setBy: 'policy', policyReviewOn: '2028-01-04', agreementReviewOn: '2029-01-04', reviewEvery: 'P1Y' });
    expect(find('sg', 'agreement-review')).toMatchObject({ dueAt: '2027-04-01T16:00:00.000Z', facts: { setBy: 'policy', agreementReviewOn: '2027-09-01' } });
    expect(find('st', 'agreement-review')).toMatchObject({ state: 'overdue', facts: { reviewOn: '2027-03-15' } });
    expect(find('ling-oak', 'agreement-review').facts).toMatchObject({ setBy: 'agreement', reviewOn: '2027-09-01' });
  });

  it('South Gloucestershire: the cancelled session is owed a new date by Tuesday after Easter', () => {
    expect(find('sg', 'rebook-needed', 'sg-2')).toMatchObject({ dueAt: '2027-03-30T16:00:00.000Z', state: 'due-soon', facts: { deadline: 'next-working-day', cancelledAt: '2027-03-25T10:00:00.000Z' } });
  });

  it('Staffordshire: the agreement is checked at the next session, and the check will find its review overdue', () => {
    expect(find('st', 'agreement-check', 'st-2')).toMatchObject({ dueAt: '2027-03-31T09:00:00.000Z', owedBy: ['st-nn'], facts: { finding: 'review-overdue', reviewOn: '2027-03-15' } });
    expect(out.obligations.filter((o) => o.kind === 'agreement-check').map((o) => o.policyId)).toEqual(['staffordshire-stoke-icb']);
  });

  it('Lingfield: half-terms and external visits counted per school, one obligation per school', () => {
    // St Mary's: Spring 2 met by the deputy's session; Oak Hill: nothing this half-term.
    expect(out.obligations.filter((o) => o.kind === 'per-term').map((o) => o.subjectId).sort()).toEqual([
      'oak-hill:spring-1-2026-27', 'oak-hill:spring-2-2026-27', 'st-marys:spring-1-2026-27', 'st-marys:summer-1-2026-27',
    ]);
    expect(out.obligations.filter((o) => o.kind === 'per-term' && o.subjectId.startsWith('st-marys')).every((o) => o.relationshipId === 'ling-dsl')).toBe(true);
    // St Mary's had both visits (one recorded against the school, one against its DSL); Oak Hill none.
    expect(out.obligations.filter((o) => o.kind === 'external-visits').map((o) => [o.subjectId, o.state])).toEqual([['oak-hill:2026/27', 'due-soon']]);
  });

  it("the governors' report facts: when external supervision took place, by whom, against the minimum", () => {
    expect(out.externalSupervision).toEqual([
      {
        policyId: 'lingfield-education-trust', staffGroupId: 'dsl-deputies', school: 'st-marys', countedPer: 'school', relationshipIds: ['ling-dsl', 'ling-deputy'], supervisorIds: ['st-marys-head'],
        years: [{ year: '2026/27', start: '2026-09-01', end: '2027-08-31', required: 2, held: 2, met: true, visits: [{ date: '2026-11-10', by: 'trust-supervisor-a' }, { date: '2027-02-02', by: 'trust-supervisor-b' }] }],
      },
      {
        policyId: 'lingfield-education-trust', staffGroupId: 'dsl-deputies', school: 'oak-hill', countedPer: 'school', relationshipIds: ['ling-oak'], supervisorIds: ['oak-hill-head'],
        years: [{ year: '2026/27', start: '2026-09-01', end: '2027-08-31', required: 2, held: 0, met: false, visits: [] }],
      },
    ]);
  });
});

describe('pt schema describes the new facts', () => {
  it('plan, rebook and due', async () => {
    const text = (which: string) => pt(['schema', which]).then((s) => JSON.stringify(s));
    const plan = await text('plan');
    for (const word of ['gapFromStartDays', 'longestAllowedGapDays', 'rampFrom', '"then"', 'last day of this step']) expect(plan).toContain(word);
    const rebook = await text('rebook');
    for (const word of ['rebookBy', 'next-working-day', 'rebooked immediately']) expect(rebook).toContain(word);
    const due = await text('due');
    for (const word of ['cancelledAt', 'agreement-check', 'facts', 'externalSupervision', 'governors', '"unit"', 'countedPer', 'alternativeTemplates']) expect(due).toContain(word);
  });
});
