/**
 * The planner, scenario by scenario: one for each of the five policy packs
 * (tests/fixtures/scenarios/*-plan.json), Easter and clock changes 2026–2028,
 * part-time staff, different working hours and zones, moved exceptions,
 * rejections with reasons, and refusals of bad input.
 */
import { DateTime } from 'luxon';
import { plan } from '../../src/domain/planning/planner';
import type { Participant, PlanInput, PlanProposal, PlanResult } from '../../src/domain/planning/types';
import { loadPack, localDay, OFFICE, planInputFrom, proposalViolations, wallClock } from '../fixtures/scenarios/packs';

function ok(result: PlanResult): Extract<PlanResult, { ok: true }> {
  if (!result.ok) throw new Error(`plan failed: ${result.error}`);
  return result;
}

function expectValid(input: PlanInput, result: PlanResult): PlanProposal[] {
  const r = ok(result);
  expect(r.proposals.length).toBeGreaterThan(0);
  for (const p of r.proposals) expect({ id: p.id, problems: proposalViolations(input, p) }).toEqual({ id: p.id, problems: [] });
  // Ranked: best first.
  const scores = r.proposals.map((p) => p.score);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  return r.proposals;
}

const person = (id: string, busy: Participant['busy'] = [], workingHours = OFFICE): Participant => ({ id, workingHours, busy });

describe('plan: one scenario per policy pack', () => {
  it('Westmorland & Furness: fortnightly for a newly qualified worker until the override ends, then monthly; 10:00 stays 10:00 across both clock changes', () => {
    const input = planInputFrom('westmorland-plan.json');
    const proposals = expectValid(input, plan(input));
    const best = proposals[0]!;
    expect(best.segments).toHaveLength(2);
    expect(best.segments[0]!.rrule).toMatch(/^FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=\d+$/);
    expect(best.segments[1]!.rrule).toMatch(/^FREQ=(WEEKLY;INTERVAL=4|MONTHLY;INTERVAL=1);BYDAY=\+?\d?TU;COUNT=\d+$/);
    expect(best.description).toMatch(/^Every 2 weeks on Tuesday until .+ 2027, then .+ Tuesday, 10:00–11:00$/);
    // Override sessions end by its date; the group's cadence resumes after it.
    const firstMain = Date.parse(best.segments[1]!.firstStart);
    expect(localDay(best.segments[1]!.firstStart) > '2027-03-31').toBe(true);
    expect(best.occurrences.filter((o) => Date.parse(o.patternStart) < firstMain).every((o) => localDay(o.patternStart) <= '2027-03-31')).toBe(true);
    // Both sides of the 25 Oct 2026 and 28 Mar 2027 changes: same local time, different UTC hour.
    const unmoved = best.occurrences.filter((o) => !o.moved);
    expect(new Set(unmoved.map((o) => wallClock(o.start)))).toEqual(new Set(['10:00']));
    expect(new Set(unmoved.map((o) => o.start.slice(11, 16)))).toEqual(new Set(['09:00', '10:00']));
    // Two busy blocks hit Tuesday 10:00 dates: those dates move (same day, 09:00), the pattern stays.
    expect(best.movedCount).toBe(2);
    for (const o of best.occurrences.filter((x) => x.moved)) {
      expect(localDay(o.start)).toBe(localDay(o.patternStart));
      expect(o.moved!.reason).toMatch(/is busy/);
    }
    expect(best.maxGapDays).toBeLessThanOrEqual(35);
  });

  it('Leicestershire casework: 90 minutes, a part-time supervisee (Mon, Tue, Fri 09:30–15:00), monthly cadence', () => {
    const input = planInputFrom('leicestershire-plan.json');
    const result = ok(plan(input));
    const proposals = expectValid(input, result);
    for (const p of proposals) {
      expect(p.durationMinutes).toBe(90);
      for (const o of p.occurrences) expect(['Mon', 'Tue', 'Fri']).toContain(DateTime.fromISO(o.start, { zone: 'Europe/London' }).toFormat('ccc'));
      expect(p.rrule).toMatch(/^FREQ=(WEEKLY;INTERVAL=4|MONTHLY;INTERVAL=1);/);
    }
    // The preferred weekday and time rank first; both kinds of monthly pattern are offered.
    expect(proposals[0]!.description).toMatch(/Friday, 10:00–11:30$/);
    expect(proposals.some((p) => p.rrule.startsWith('FREQ=MONTHLY;INTERVAL=1;BYDAY=+'))).toBe(true);
    expect(result.rejected).toEqual(
      expect.arrayContaining([{ candidate: 'Wednesdays', reason: 'social-worker does not work on Wednesdays' }, { candidate: 'Thursdays', reason: 'social-worker does not work on Thursdays' }]),
    );
  });

  it('South Gloucestershire: at least 6 in any rolling 12 months, so every 8 weeks or every 2 months', () => {
    const input = planInputFrom('south-gloucestershire-plan.json');
    const proposals = expectValid(input, plan(input));
    for (const p of proposals) {
      expect(p.rrule).toMatch(/^FREQ=(WEEKLY;INTERVAL=8|MONTHLY;INTERVAL=2);/);
      expect(p.occurrences.length).toBeGreaterThanOrEqual(6);
      expect(p.maxGapDays).toBeLessThanOrEqual(63);
    }
    expect(ok(plan(input)).notes.join(' ')).toMatch(/at least 6 in any P12M/);
  });

  it('Staffordshire clinical: every 16 weeks, 2 hours, inside the overlap of 08:00–16:00 and 10:00–18:00; no monthly pattern for a rule in weeks', () => {
    const input = planInputFrom('staffordshire-plan.json');
    const proposals = expectValid(input, plan(input));
    for (const p of proposals) {
      expect(p.rrule).toMatch(/^FREQ=WEEKLY;INTERVAL=16;BYDAY=(MO|TU|WE|TH);COUNT=4$/);
      for (const o of p.occurrences) {
        expect(wallClock(o.start) >= '10:00').toBe(true);
        expect(wallClock(o.end) <= '16:00').toBe(true);
      }
    }
  });

  it('Lingfield DSLs: at least one per half-term, in term time only, school holidays skipped (2027/28 with Easter 2028)', () => {
    const input = planInputFrom('lingfield-plan.json');
    const proposals = expectValid(input, plan(input));
    const terms = input.policy.termCalendar!.terms.filter((t) => t.start >= '2027-09-02' && t.end <= '2028-08-31');
    expect(terms).toHaveLength(6);
    for (const p of proposals) {
      expect(p.description).toMatch(/in term time$/);
      for (const t of terms) expect({ term: t.name, n: p.occurrences.filter((o) => localDay(o.start) >= t.start && localDay(o.start) <= t.end).length }).toEqual({ term: t.name, n: expect.any(Number) });
      for (const t of terms) expect(p.occurrences.some((o) => localDay(o.start) >= t.start && localDay(o.start) <= t.end)).toBe(true);
      expect(p.skipped.length).toBeGreaterThan(0);
      expect(p.skipped.every((s) => s.reason.includes('school holiday'))).toBe(true);
      // Nothing between Spring 2 (ends 7 Apr 2028) and Summer 1 (starts 24 Apr): Easter 2028 is in the holiday.
      expect(p.occurrences.some((o) => localDay(o.start) > '2028-04-07' && localDay(o.start) < '2028-04-24')).toBe(false);
    }
  });
});

describe('plan: Easter, bank holidays and clock changes', () => {
  it.each([
    // [start, weekday that lands on the holiday, holiday date, holiday name]
    ['2027-02-25T09:00:00Z', 'fri', '2027-03-26', 'Good Friday'],
    ['2027-03-01T09:00:00Z', 'mon', '2027-03-29', 'Easter Monday'],
    ['2028-03-16T09:00:00Z', 'fri', '2028-04-14', 'Good Friday'],
    ['2028-03-20T09:00:00Z', 'mon', '2028-04-17', 'Easter Monday'],
    ['2027-11-29T09:00:00Z', 'mon', '2027-12-27', 'Christmas Day (substitute day)'],
  ])('from %s, a 4-weekly %s pattern moves its %s (%s) date within the same week instead of being dropped', (start, weekday, holiday, name) => {
    const input: PlanInput = {
      policy: loadPack('westmorland-furness-scp'),
      staffGroupId: 'practitioners',
      participants: [person('sup'), person('worker')],
      start,
      horizonMonths: 3,
      preferences: { weekdays: [weekday as 'fri'], times: ['10:00'] },
      maxProposals: 20,
    };
    const proposals = expectValid(input, plan(input));
    const hit = proposals.find((p) => p.rrule.startsWith('FREQ=WEEKLY;INTERVAL=4') && p.occurrences.some((o) => localDay(o.patternStart) === holiday));
    expect(hit?.rrule).toMatch(/^FREQ=WEEKLY;INTERVAL=4/);
    const moved = hit!.occurrences.find((o) => localDay(o.patternStart) === holiday)!;
    expect(moved.moved?.reason).toContain(name);
    expect(localDay(moved.start)).not.toBe(holiday);
    // Same ISO week as the holiday.
    expect(DateTime.fromISO(moved.start, { zone: 'Europe/London' }).weekNumber).toBe(DateTime.fromISO(holiday).weekNumber);
    expect(hit!.movedCount).toBe(1);
  });

  it('keeps sessions at the same local time through every clock change of 2026–2028', () => {
    const input: PlanInput = {
      policy: loadPack('staffordshire-stoke-icb'),
      staffGroupId: 'designated-named',
      participants: [person('a'), person('b')],
      start: '2026-03-01T12:00:00Z',
      horizonMonths: 12,
      preferences: { times: ['14:00'] },
    };
    const proposals = expectValid(input, plan(input));
    for (const p of proposals.filter((x) => x.description.includes('14:00'))) {
      for (const o of p.occurrences) expect(wallClock(o.start)).toBe('14:00');
    }
    // Across 2027–2028 as well.
    const later = expectValid({ ...input, start: '2027-06-01T12:00:00Z' }, plan({ ...input, start: '2027-06-01T12:00:00Z' }));
    const summer = later[0]!.occurrences.map((o) => o.start.slice(11, 16));
    expect(new Set(summer).size).toBe(2); // 13:00Z in BST, 14:00Z in GMT
  });

  it('respects each participant’s own zone: a New York supervisee and a London supervisor meet only in the afternoon (London time)', () => {
    const nyc: Participant['workingHours'] = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', timeZone: 'America/New_York' };
    const input: PlanInput = {
      policy: loadPack('westmorland-furness-scp'),
      staffGroupId: 'practitioners',
      participants: [person('london'), person('new-york', [], nyc)],
      start: '2027-01-04T09:00:00Z',
      horizonMonths: 12,
    };
    // The US changes its clocks two to three weeks before the UK in March and a week after it in October/November:
    // occurrences in those weeks must still fit both working days (the invariants check each in its own zone).
    const proposals = expectValid(input, plan(input));
    for (const p of proposals) for (const o of p.occurrences) expect(wallClock(o.start) >= '13:00').toBe(true);
  });
});

describe('plan: exceptions, rejections and ranking', () => {
  it('moves only the clashing dates of a good pattern (an exception), keeping the rest', () => {
    const input: PlanInput = {
      policy: loadPack('leicestershire-cfs'),
      staffGroupId: 'all-staff',
      participants: [
        person('manager', [
          { start: '2027-02-02T10:00:00Z', end: '2027-02-02T11:00:00Z' },
          { start: '2027-06-22T09:00:00Z', end: '2027-06-22T10:00:00Z' },
        ]),
        person('worker'),
      ],
      start: '2027-01-04T08:00:00Z',
      preferences: { weekdays: ['tue'], times: ['10:00'] },
      maxProposals: 20,
    };
    const proposals = expectValid(input, plan(input));
    const fourWeekly = proposals.find((p) => p.rrule.startsWith('FREQ=WEEKLY;INTERVAL=4;BYDAY=TU') && p.firstStart === '2027-01-05T10:00:00.000Z');
    expect(fourWeekly).toMatchObject({ firstStart: '2027-01-05T10:00:00.000Z', rrule: expect.stringMatching(/^FREQ=WEEKLY;INTERVAL=4;BYDAY=TU/) });
    expect(fourWeekly!.movedCount).toBe(2);
    expect(fourWeekly!.occurrences).toHaveLength(13);
    const moved = fourWeekly!.occurrences.filter((o) => o.moved);
    expect(moved.map((o) => localDay(o.patternStart))).toEqual(['2027-02-02', '2027-06-22']);
    expect(moved.map((o) => localDay(o.start))).toEqual(['2027-02-02', '2027-06-22']); // same day, another time
    // A pattern with no clashes outranks it.
    expect(proposals[0]!.movedCount).toBe(0);
  });

  it('rejects a pattern whose dates mostly clash, and says why', () => {
    // The supervisor is busy every Tuesday: Tuesday patterns cannot hold.
    const tuesdays = Array.from({ length: 60 }, (_, i) => {
      const d = DateTime.fromISO('2027-01-05T00:00:00', { zone: 'Europe/London' }).plus({ weeks: i });
      return { start: d.set({ hour: 8 }).toUTC().toISO()!, end: d.set({ hour: 18 }).toUTC().toISO()! };
    });
    const input: PlanInput = {
      policy: loadPack('westmorland-furness-scp'),
      staffGroupId: 'practitioners',
      participants: [person('sup', tuesdays), { ...person('worker'), workingHours: { ...OFFICE, days: ['tue', 'wed'] } }],
      start: '2027-01-04T08:00:00Z',
      horizonMonths: 6,
    };
    const r = ok(plan(input));
    expectValid(input, r);
    expect(r.proposals.every((p) => !p.description.includes('Tuesday'))).toBe(true);
    const tuesdayRejections = r.rejected.filter((x) => x.candidate.includes('Tuesday'));
    expect(tuesdayRejections.length).toBeGreaterThan(0);
    expect(tuesdayRejections.every((x) => /sup is busy|clash/.test(x.reason))).toBe(true);
    expect(r.rejectedTotal).toBeGreaterThanOrEqual(tuesdayRejections.length);
  });

  it('explains when part-time staff share no working day', () => {
    const input: PlanInput = {
      policy: loadPack('westmorland-furness-scp'),
      staffGroupId: 'practitioners',
      participants: [
        { ...person('mon-tue'), workingHours: { ...OFFICE, days: ['mon', 'tue'] } },
        { ...person('thu-fri'), workingHours: { ...OFFICE, days: ['thu', 'fri'] } },
      ],
      start: '2027-01-04T08:00:00Z',
    };
    const r = ok(plan(input));
    expect(r.proposals).toEqual([]);
    expect(r.rejected.map((x) => x.candidate)).toEqual(['Mondays', 'Tuesdays', 'Thursdays', 'Fridays']);
    expect(r.rejected[0]!.reason).toBe('thu-fri does not work on Mondays');
    expect(r.notes.join(' ')).toMatch(/No weekday has a time when everyone is working/);
  });

  it('explains when working hours do not overlap for long enough', () => {
    const input: PlanInput = {
      policy: loadPack('staffordshire-stoke-icb'),
      staffGroupId: 'clinical',
      participants: [person('early', [], { ...OFFICE, start: '07:00', end: '11:00' }), person('late', [], { ...OFFICE, start: '10:30', end: '18:00' })],
      start: '2027-01-04T08:00:00Z',
    };
    const r = ok(plan(input));
    expect(r.proposals).toEqual([]);
    expect(r.rejected[0]!.reason).toMatch(/no 60-minute period on Mondays inside everyone's working hours/);
  });

  it('is deterministic and its ids are stable', () => {
    const input = planInputFrom('westmorland-plan.json');
    const a = ok(plan(input));
    const b = ok(plan(structuredClone(input)));
    expect(b).toEqual(a);
    expect(new Set(a.proposals.map((p) => p.id)).size).toBe(a.proposals.length);
    expect(a.proposals[0]!.id).toMatch(/^plan-[0-9a-f]{12}$/);
  });

  it('returns at most maxProposals, spread over weekdays and pattern kinds first', () => {
    const input: PlanInput = { policy: loadPack('westmorland-furness-scp'), staffGroupId: 'practitioners', participants: [person('a'), person('b')], start: '2027-01-04T08:00:00Z', maxProposals: 3 };
    const r = ok(plan(input));
    expect(r.proposals).toHaveLength(3);
    const kinds = r.proposals.map((p) => `${p.description.match(/(Monday|Tuesday|Wednesday|Thursday|Friday)/)![1]}|${p.rrule.slice(0, 12)}`);
    expect(new Set(kinds).size).toBe(3);
  });
});

describe('plan: bad input gives a clear error naming the field', () => {
  const base = (): PlanInput => ({ policy: loadPack('staffordshire-stoke-icb'), staffGroupId: 'clinical', participants: [person('a'), person('b')], start: '2027-01-04T08:00:00Z' });
  it.each<[string, (i: PlanInput) => PlanInput, RegExp]>([
    ['a duration outside the group range', (i) => ({ ...i, durationMinutes: 150 }), /^durationMinutes: 150 minutes is outside the 60–120 minute range of staff group "clinical"/],
    ['a duration below it', (i) => ({ ...i, durationMinutes: 45 }), /outside the 60–120 minute range/],
    ['an unknown staff group', (i) => ({ ...i, staffGroupId: 'nurses' }), /^staffGroupId: no staff group "nurses" in policy "staffordshire-stoke-icb" \(it has: designated-named, clinical\)/],
    ['one participant', (i) => ({ ...i, participants: [person('a')] }), /^participants: need at least 2 people/],
    ['a repeated participant', (i) => ({ ...i, participants: [person('a'), person('a')] }), /^participants\[1\]\.id: "a" appears twice/],
    ['a bad zone', (i) => ({ ...i, participants: [person('a'), person('b', [], { ...OFFICE, timeZone: 'Mars/Olympus' })] }), /^participants\[1\]\.workingHours\.timeZone/],
    ['hours ending before they start', (i) => ({ ...i, participants: [person('a', [], { ...OFFICE, start: '17:00', end: '09:00' }), person('b')] }), /^participants\[0\]\.workingHours\.end: must be after start/],
    ['a bad busy block', (i) => ({ ...i, participants: [person('a', [{ start: 'soon', end: 'later' }]), person('b')] }), /^participants\[0\]\.busy\[0\]\.start/],
    ['a bad start', (i) => ({ ...i, start: '4 Jan 2027' }), /^start: must be an ISO 8601 instant/],
    ['a horizon over 12 months', (i) => ({ ...i, horizonMonths: 13 }), /^horizonMonths: must be a whole number of months from 1 to 12/],
    ['a bad override', (i) => ({ ...i, override: { interval: 'fortnightly', until: '2027-06-01' } }), /^override\.interval/],
    ['a bad preference', (i) => ({ ...i, preferences: { times: ['10am'] } }), /^preferences\.times\[0\]/],
  ])('%s', (_what, change, message) => {
    const r = plan(change(base()));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('a staff group with nothing to schedule', () => {
    const pack = loadPack('lingfield-education-trust');
    const onlyVisits = { ...pack, staffGroups: [{ ...pack.staffGroups[0]!, requirements: pack.staffGroups[0]!.requirements.filter((r) => r.kind === 'external-visits') }] };
    const r = plan({ ...base(), policy: onlyVisits, staffGroupId: 'dsl-deputies' });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/has no requirement the planner can schedule/) });
  });
});
