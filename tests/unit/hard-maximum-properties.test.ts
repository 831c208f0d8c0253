/**
 * The hard maximum, over generated policies and calendars (fast-check): for any
 * interval target and hard maximum (weeks, months or days), optionally with a
 * rolling minimum or a per-half-term minimum over a generated term calendar,
 * any holiday region, any working-day set (part-time Mon–Wed included), busy
 * time and an optional new-starter ramp, no proposed plan has a gap longer
 * than the hard maximum, counted in local calendar days and including the gap
 * from the plan's start date to the first session. The oracle is Luxon on the
 * proposal's own dates (tests/fixtures/scenarios/packs.ts), not the planner.
 */
import fc from 'fast-check';
import { plan } from '../../src/domain/planning/planner';
import type { Participant, PlanInput } from '../../src/domain/planning/types';
import type { PolicyPack, Requirement, Weekday } from '../../src/domain/policy/schema';
import { validatePack } from '../../src/domain/policy/validate';
import { addDays } from '../../src/domain/time/workingDays';
import { hardMaximumViolations, loadPack, proposalViolations } from '../fixtures/scenarios/packs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** A target and a hard maximum at least as long, in the units policies write. */
const intervalArb = fc.oneof(
  { weight: 2, arbitrary: fc.record({ n: fc.integer({ min: 1, max: 16 }), extra: fc.integer({ min: 0, max: 6 }) }).map(({ n, extra }) => ({ target: `P${n}W`, hardMaximum: `P${n + extra}W` })) },
  { weight: 1, arbitrary: fc.record({ n: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 3 }) }).map(({ n, extra }) => ({ target: `P${n}M`, hardMaximum: `P${n + extra}M` })) },
  { weight: 1, arbitrary: fc.record({ n: fc.integer({ min: 14, max: 100 }), extra: fc.integer({ min: 0, max: 30 }) }).map(({ n, extra }) => ({ target: `P${n}D`, hardMaximum: `P${n + extra}D` })) },
  // A limit equal to the target (Staffordshire's "every 16 weeks"): no room to move a session later.
  { weight: 4, arbitrary: fc.oneof(fc.integer({ min: 2, max: 16 }).map((n) => `P${n}W`), fc.constantFrom('P1M', 'P2M', 'P3M')).map((d) => ({ target: d, hardMaximum: d })) },
);

/** Half-terms of 5–8 weeks with 1–3 week breaks, from a September start. */
const termsArb = (year: number) =>
  fc.array(fc.record({ weeks: fc.integer({ min: 5, max: 8 }), gap: fc.integer({ min: 1, max: 3 }) }), { minLength: 8, maxLength: 14 }).map((spans) => {
    let start = `${year}-09-0${1 + (year % 5)}`;
    return spans.map(({ weeks, gap }, i) => {
      const end = addDays(start, weeks * 7 - 3);
      const term = { name: `Half-term ${i + 1}`, kind: 'half-term' as const, start, end };
      start = addDays(end, gap * 7 - 4);
      return term;
    });
  });

const startArb = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / HOUR, max: Date.parse('2027-12-31T00:00:00Z') / HOUR }).map((h) => h * HOUR);

const hoursArb = fc.record({
  days: fc.oneof(fc.constant<Weekday[]>(['mon', 'tue', 'wed']), fc.subarray(WEEKDAYS, { minLength: 1 })),
  start: fc.constantFrom('08:00', '08:30', '09:00', '10:00'),
  end: fc.constantFrom('13:00', '16:00', '16:30', '17:00', '18:00'),
  timeZone: fc.constantFrom('Europe/London', 'Europe/London', 'Europe/Dublin'),
});

const busyArb = (startMs: number) =>
  fc.array(
    fc.record({ day: fc.integer({ min: 0, max: 370 }), hour: fc.integer({ min: 6, max: 16 }), hours: fc.integer({ min: 1, max: 48 }) }).map(({ day, hour, hours }) => {
      const s = startMs + day * DAY + hour * HOUR;
      return { start: new Date(s).toISOString(), end: new Date(s + hours * HOUR).toISOString() };
    }),
    { maxLength: 60 },
  );

const scenarioArb = startArb.chain((startMs) =>
  fc.record({
    startMs: fc.constant(startMs),
    interval: intervalArb,
    extra: fc.constantFrom('none', 'none', 'rolling', 'per-term'),
    region: fc.constantFrom<PolicyPack['holidayRegion']>('england-and-wales', 'scotland', 'northern-ireland'),
    terms: termsArb(new Date(startMs).getUTCFullYear() - 1),
    horizonMonths: fc.integer({ min: 2, max: 12 }),
    people: fc.tuple(fc.tuple(hoursArb, busyArb(startMs)), fc.tuple(hoursArb, busyArb(startMs))),
    ramp: fc.option(fc.constantFrom('P1W', 'P2W'), { nil: undefined }),
  }),
);
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Scenario fields a hand-written case does not care about. */
function fcSample(): Scenario {
  return fc.sample(scenarioArb, { numRuns: 1, seed: 1 })[0]!;
}

function policyFor(s: Scenario): PolicyPack {
  const base = loadPack('westmorland-furness-scp');
  const requirements: Requirement[] = [{ kind: 'interval', ...s.interval, source: 'default: generated' }];
  if (s.extra === 'rolling') requirements.push({ kind: 'rolling-minimum', count: 4, window: 'P12M', source: 'default: generated' });
  if (s.extra === 'per-term') requirements.push({ kind: 'per-term', term: 'half-term', minimum: 1, countedPer: 'relationship', source: 'default: generated' });
  const raw = {
    ...structuredClone(base),
    id: 'generated',
    holidayRegion: s.region,
    termCalendar: s.extra === 'per-term' ? { terms: s.terms, source: 'default: generated' } : undefined,
    staffGroups: [{ ...structuredClone(base.staffGroups[0]!), id: 'g', requirements, ramp: undefined }],
  };
  const result = validatePack(raw);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.pack;
}

function inputFor(s: Scenario): PlanInput {
  const policy = policyFor(s);
  const start = new Date(s.startMs).toISOString();
  const participants: Participant[] = s.people.map(([workingHours, busy], i) => ({ id: `p${i}`, workingHours, busy }));
  return {
    policy,
    staffGroupId: 'g',
    start,
    horizonMonths: s.horizonMonths,
    participants,
    override: s.ramp ? { interval: s.ramp, until: new Date(s.startMs + 90 * DAY).toISOString().slice(0, 10) } : undefined,
    maxProposals: 5,
  };
}

describe('hard maximum (generated policies and calendars)', () => {
  it('no proposal has a gap beyond the hard maximum in local calendar days, the first counted from the start date', () => {
    let proposals = 0;
    let moved = 0;
    let tight = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = inputFor(s);
        const result = plan(input);
        if (!result.ok) throw new Error(result.error);
        const group = input.policy.staffGroups[0]!;
        for (const p of result.proposals) {
          expect(hardMaximumViolations(input.start, p.occurrences.map((o) => o.start), group, input.policy.timeZone)).toEqual([]);
          expect(proposalViolations(input, p)).toEqual([]);
          // The proposal states the limit it kept, and its own gaps keep it.
          expect(p.hardMaximum?.duration).toBe(s.interval.hardMaximum);
          expect(p.gapFromStartDays).toBeGreaterThanOrEqual(1);
          if (s.interval.hardMaximum === s.interval.target) tight++;
        }
        proposals += result.proposals.length;
        moved += result.proposals.reduce((n, p) => n + p.movedCount, 0);
      }),
      { numRuns: Number(process.env.PT_PROPERTY_RUNS ?? 60) },
    );
    expect(proposals).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0);
    expect(tight).toBeGreaterThan(0);
  });

  it('the first session is counted from the start date: a bank holiday on the first pattern date cannot push it past the limit', () => {
    const base = loadPack('westmorland-furness-scp');
    const office: Participant['workingHours'] = { days: WEEKDAYS, start: '09:00', end: '17:00', timeZone: 'Europe/London' };
    let checked = 0;
    for (const limit of ['P3W', 'P4W']) {
      const policy = policyFor({ ...fcSample(), interval: { target: limit, hardMaximum: limit }, extra: 'none', region: 'england-and-wales' });
      // Spring 2026: Good Friday, Easter Monday and the early May bank holiday fall on first pattern dates.
      for (let d = 0; d < 45; d++) {
        const start = new Date(Date.parse('2026-03-20T12:00:00Z') + d * DAY).toISOString();
        const input: PlanInput = { policy, staffGroupId: 'g', start, participants: [{ id: 'a', workingHours: office, busy: [] }, { id: 'b', workingHours: { ...office, days: ['mon', 'tue', 'wed'] }, busy: [] }] };
        const result = plan(input);
        if (!result.ok) throw new Error(result.error);
        for (const p of result.proposals) {
          expect({ start, limit, v: hardMaximumViolations(start, p.occurrences.map((o) => o.start), policy.staffGroups[0]!, policy.timeZone) }).toEqual({ start, limit, v: [] });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('the reported case: Staffordshire, every 16 weeks, a part-time Monday–Wednesday health visitor', () => {
    const policy = loadPack('staffordshire-stoke-icb');
    const hv: Participant = { id: 'tom', workingHours: { days: ['mon', 'tue', 'wed'], start: '09:00', end: '17:00', timeZone: 'Europe/London' }, busy: [] };
    const nurse: Participant = { id: 'grace', workingHours: { days: WEEKDAYS, start: '08:30', end: '16:30', timeZone: 'Europe/London' }, busy: [] };
    let checked = 0;
    // Start dates across two years, so the Monday patterns meet Easter Monday, the May and August bank holidays.
    for (let week = 0; week < 104; week += 3) {
      const start = new Date(Date.parse('2026-01-05T09:00:00Z') + week * 7 * DAY).toISOString();
      const input: PlanInput = { policy, staffGroupId: 'clinical', start, participants: [nurse, hv] };
      const result = plan(input);
      if (!result.ok) throw new Error(result.error);
      for (const p of result.proposals) {
        expect(hardMaximumViolations(start, p.occurrences.map((o) => o.start), policy.staffGroups[1]!, policy.timeZone)).toEqual([]);
        expect(p.maxGapDays).toBeLessThanOrEqual(112);
        expect(p.gapFromStartDays).toBeLessThanOrEqual(112);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
