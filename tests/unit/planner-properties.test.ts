/**
 * Property-based tests of the planner (fast-check): over random busy
 * calendars, working hours (part-time days, different hours, other zones),
 * start dates in 2026–2028 and all five packs, every proposed occurrence is
 * free for everyone, inside everyone's hours, off bank holidays, inside the
 * horizon, matches its own RRULE, and no gap exceeds the hard maximum.
 */
import fc from 'fast-check';
import { plan } from '../../src/domain/planning/planner';
import type { Participant, PlanInput } from '../../src/domain/planning/types';
import type { Weekday } from '../../src/domain/policy/schema';
import { loadPack, PACK_IDS, proposalViolations } from '../fixtures/scenarios/packs';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const timeArb = (from: number, to: number) => fc.integer({ min: from * 2, max: to * 2 }).map((h) => `${String(Math.floor(h / 2)).padStart(2, '0')}:${h % 2 ? '30' : '00'}`);

const hoursArb = fc.record({
  days: fc.subarray(WEEKDAYS, { minLength: 2 }),
  start: timeArb(7, 10),
  end: timeArb(15, 18),
  timeZone: fc.constantFrom('Europe/London', 'Europe/London', 'Europe/London', 'Europe/Dublin', 'America/New_York'),
});

/** Busy blocks as random offsets from the plan start: half-hour aligned or not, 15 minutes to a whole day. */
const busyArb = (startMs: number) =>
  fc.array(
    fc.record({ day: fc.integer({ min: 0, max: 370 }), minute: fc.integer({ min: 0, max: 24 * 60 - 1 }), length: fc.integer({ min: 15, max: 24 * 60 }) }).map(({ day, minute, length }) => {
      const s = startMs + day * DAY + minute * 60_000;
      return { start: new Date(s).toISOString(), end: new Date(s + length * 60_000).toISOString() };
    }),
    { maxLength: 120 },
  );

const startArb = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / HOUR, max: Date.parse('2028-01-01T00:00:00Z') / HOUR }).map((h) => h * HOUR);

const scenarioArb = fc
  .tuple(fc.constantFrom(...PACK_IDS), startArb, fc.integer({ min: 2, max: 3 }), fc.integer({ min: 3, max: 12 }))
  .chain(([packId, startMs, people, horizonMonths]) => {
    const pack = loadPack(packId);
    return fc.record({
      packId: fc.constant(packId),
      staffGroupId: fc.constantFrom(...pack.staffGroups.map((g) => g.id)),
      start: fc.constant(new Date(startMs).toISOString()),
      horizonMonths: fc.constant(horizonMonths),
      participants: fc.tuple(...Array.from({ length: people }, () => fc.tuple(hoursArb, busyArb(startMs)))),
      override: fc.option(fc.record({ interval: fc.constantFrom('P1W', 'P2W'), until: fc.constant(new Date(startMs + 120 * DAY).toISOString().slice(0, 10)) }), { nil: undefined }),
    });
  });

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function toInput(s: Scenario): PlanInput {
  return {
    policy: loadPack(s.packId),
    staffGroupId: s.staffGroupId,
    start: s.start,
    horizonMonths: s.horizonMonths,
    override: s.override,
    participants: s.participants.map(([workingHours, busy], i) => ({ id: `p${i}`, workingHours, busy })),
    maxProposals: 5,
  };
}

describe('planner properties', () => {
  it('every occurrence is free, inside everyone’s hours, off bank holidays, in the horizon and on its RRULE; no gap exceeds the hard maximum', () => {
    let moved = 0;
    let proposals = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = toInput(s);
        const result = plan(input);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        for (const p of result.proposals) expect(proposalViolations(input, p)).toEqual([]);
        proposals += result.proposals.length;
        moved += result.proposals.reduce((n, p) => n + p.movedCount, 0);
        // Either something is proposed or the rejections say why not.
        expect(result.proposals.length > 0 || result.rejected.length > 0 || result.notes.some((n) => /No weekday/.test(n))).toBe(true);
      }),
      { numRuns: Number(process.env.PT_PROPERTY_RUNS ?? 40) },
    );
    // The random calendars really do clash: the checks above covered moved exceptions, not only clean patterns.
    expect(proposals).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0);
  });

  it('a calendar with no busy time and shared office hours always yields a proposal with nothing moved except bank holidays', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PACK_IDS), startArb, (packId, startMs) => {
        const pack = loadPack(packId);
        const hours: Participant['workingHours'] = { days: WEEKDAYS, start: '09:00', end: '17:00', timeZone: 'Europe/London' };
        const input: PlanInput = {
          policy: pack,
          staffGroupId: pack.staffGroups[0]!.id,
          start: new Date(startMs).toISOString(),
          participants: [
            { id: 'a', workingHours: hours, busy: [] },
            { id: 'b', workingHours: hours, busy: [] },
          ],
        };
        const result = plan(input);
        if (!result.ok) throw new Error(result.error);
        expect(result.proposals.length).toBeGreaterThan(0);
        const best = result.proposals[0]!;
        expect(proposalViolations(input, best)).toEqual([]);
        expect(best.occurrences.filter((o) => o.moved).every((o) => /bank holiday/.test(o.moved!.reason))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('the same scenario always gives the same plan', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = toInput(s);
        expect(plan(input)).toEqual(plan(structuredClone(input)));
      }),
      { numRuns: 5 },
    );
  });
});
