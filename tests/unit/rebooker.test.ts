/**
 * The rebooker and the urgent-slot finder: scenarios (Easter 2027, a window
 * measured from the cancellation, escalation), and properties over random
 * calendars checked against a brute-force search written independently
 * (Luxon + date-holidays): a rebook is never outside the window, in the past,
 * outside working hours, on a bank holiday or over a busy block; it is the
 * nearest such slot; and "escalate" only when no slot exists.
 */
import fc from 'fast-check';
import { DateTime, Duration } from 'luxon';
import { InputProblem } from '../../src/domain/planning/inputChecks';
import { rebook, urgentSlot } from '../../src/domain/planning/rebooker';
import type { Interval, Participant, RebookInput, RebookResult, UrgentInput } from '../../src/domain/planning/types';
import type { PolicyPack } from '../../src/domain/policy/schema';
import { isPublicHoliday, loadPack, loadScenario, OFFICE, outsideHours, overlapsBusy, PACK_IDS } from '../fixtures/scenarios/packs';

function rebookFrom(name: string): RebookInput {
  const { policyId, ...rest } = loadScenario<Omit<RebookInput, 'policy'> & { policyId: string }>(name);
  return { ...rest, policy: loadPack(policyId) };
}

const person = (id: string, busy: Interval[] = [], workingHours = OFFICE): Participant => ({ id, workingHours, busy });
const MIN = 60_000;

/** Every problem with a proposed slot, judged independently of the rebooker's code. */
function slotProblems(input: Pick<RebookInput, 'policy' | 'participants' | 'now' | 'otherSessions'>, slot: Interval, window: { from: number; to: number }, cancelled?: Interval): string[] {
  const problems: string[] = [];
  const s = Date.parse(slot.start);
  const e = Date.parse(slot.end);
  if (s < window.from || s > window.to) problems.push(`starts outside the window`);
  if (s < Date.parse(input.now) + 30 * MIN) problems.push('less than 30 minutes from now');
  const local = DateTime.fromMillis(s, { zone: input.policy.timeZone });
  if (local.minute % 30 !== 0) problems.push('not on the hour or half hour');
  if (isPublicHoliday(local.toISODate()!, input.policy.holidayRegion)) problems.push('on a bank holiday');
  for (const p of input.participants) {
    const why = outsideHours(p, slot.start, slot.end);
    if (why) problems.push(why);
    if (overlapsBusy(p, slot.start, slot.end)) problems.push(`overlaps ${p.id}'s busy time`);
  }
  if (cancelled && s < Date.parse(cancelled.end) && e > Date.parse(cancelled.start)) problems.push('overlaps the cancelled session');
  for (const o of input.otherSessions ?? []) {
    if (DateTime.fromISO(o.start, { zone: input.policy.timeZone }).toISODate() === local.toISODate()) problems.push('on a day with another session');
  }
  return problems;
}

/** The policy's rebook window for an input, computed with Luxon directly. */
function policyWindow(input: RebookInput): { from: number; to: number } {
  const rule = input.policy.rebooking;
  const zone = input.policy.timeZone;
  const anchor = DateTime.fromISO(rule.anchor === 'original-date' ? input.cancelled.start : input.cancelledAt, { zone });
  const w = Duration.fromISO(rule.window);
  return { from: (rule.anchor === 'original-date' ? anchor.minus(w) : anchor).toMillis(), to: anchor.plus(w).toMillis() };
}

/** All valid slots in the window by brute force: every half hour, checked with slotProblems. */
function bruteForce(input: RebookInput): Interval[] {
  const { from, to } = policyWindow(input);
  const duration = Date.parse(input.cancelled.end) - Date.parse(input.cancelled.start);
  const slots: Interval[] = [];
  for (let t = Math.ceil(from / (30 * MIN)) * 30 * MIN; t <= to; t += 30 * MIN) {
    const slot = { start: new Date(t).toISOString(), end: new Date(t + duration).toISOString() };
    if (!slotProblems(input, slot, { from, to }, input.cancelled).length) slots.push(slot);
  }
  return slots;
}

function expectRebook(result: RebookResult): Extract<RebookResult, { outcome: 'rebook' }> {
  if (result.outcome !== 'rebook') throw new Error(`escalated: ${result.reason}`);
  return result;
}

describe('rebook: scenarios', () => {
  it('Leicestershire, cancelled on Maundy Thursday 2027: skips Good Friday, the weekend and Easter Monday to Tuesday 30 March (BST)', () => {
    const input = rebookFrom('leicestershire-rebook.json');
    const r = expectRebook(rebook(input));
    expect(r.slot).toEqual({ start: '2027-03-30T08:00:00.000Z', end: '2027-03-30T09:30:00.000Z' });
    expect(r.alternatives.map((a) => a.start.slice(0, 10))).toEqual(['2027-03-31', '2027-04-01', '2027-04-02']);
    expect(r.reason).toMatch(/^Nearest time everyone is free to the original session: Tue 30 Mar 2027 09:00 \(5 days later than the cancelled Thu 25 Mar 2027 10:00\)/);
    expect(r.window.start).toBe('2027-03-24T16:30:00.000Z'); // now + notice, not two weeks in the past
    for (const slot of [r.slot, ...r.alternatives]) expect(slotProblems(input, slot, policyWindow(input), input.cancelled)).toEqual([]);
  });

  it('Staffordshire: the window runs two weeks from the cancellation, wall-clock across the clock change', () => {
    const input = rebookFrom('staffordshire-rebook.json');
    const r = expectRebook(rebook(input));
    expect(r.window).toEqual({ start: '2027-03-24T13:00:00.000Z', end: '2027-04-07T11:00:00.000Z' });
    // Nearest to the original 10:00 BST on 30 March without overlapping it: 09:00 BST the same day.
    expect(r.slot).toEqual({ start: '2027-03-30T08:00:00.000Z', end: '2027-03-30T09:00:00.000Z' });
    expect(r.reason).toContain('from the cancellation');
  });

  it('never lands on a day that already has one of the relationship’s sessions', () => {
    const input = { ...rebookFrom('staffordshire-rebook.json'), otherSessions: [{ start: '2027-03-30T13:00:00Z', end: '2027-03-30T14:00:00Z' }] };
    const r = expectRebook(rebook(input));
    expect(r.slot.start.slice(0, 10)).not.toBe('2027-03-30');
    expect([r.slot, ...r.alternatives].every((s) => !s.start.startsWith('2027-03-30'))).toBe(true);
  });

  it('the "earliest" strategy takes the first free slot, not the nearest', () => {
    const base = rebookFrom('leicestershire-rebook.json');
    const policy: PolicyPack = { ...base.policy, rebooking: { ...base.policy.rebooking, strategy: 'earliest' } };
    const input = { ...base, policy, participants: [person('a'), person('b')], now: '2027-03-15T10:07:00Z' };
    const r = expectRebook(rebook(input));
    expect(r.slot.start).toBe('2027-03-15T11:00:00.000Z'); // 10:07 + 30 min notice → the 11:00 slot
    expect(r.reason).toMatch(/^Earliest time everyone is free/);
  });

  it('escalates to the supervisor’s line manager when no slot is free in the window, and says why', () => {
    const input = rebookFrom('leicestershire-rebook.json');
    const blocked = { ...input, participants: [person('team-manager', [{ start: '2027-03-01T00:00:00Z', end: '2027-05-01T00:00:00Z' }]), person('social-worker')] };
    const r = rebook(blocked);
    expect(r).toEqual({
      outcome: 'escalate',
      window: { start: '2027-03-24T16:30:00.000Z', end: '2027-04-08T09:00:00.000Z' },
      escalateTo: ['supervisor', 'supervisor-line-manager'],
      reason: expect.stringMatching(/^No time when team-manager, social-worker are all free .* in the P2W rebook window from the original date/),
      // Owed by the end of the window (Leicestershire sets no "immediately").
      rebookBy: { dueAt: '2027-04-08T09:00:00.000Z', deadline: 'window' },
    });
  });

  it('escalates when the window has already passed', () => {
    const input = { ...rebookFrom('leicestershire-rebook.json'), now: '2027-04-20T09:00:00Z' };
    const r = rebook(input);
    expect(r.outcome).toBe('escalate');
    expect(r.reason).toMatch(/ended on Thu 8 Apr 2027 10:00: it is too late to rebook within policy/);
  });

  it('uses each policy’s escalation targets', () => {
    const input = rebookFrom('staffordshire-rebook.json');
    const r = rebook({ ...input, participants: [person('x', [{ start: '2027-03-01T00:00:00Z', end: '2027-05-01T00:00:00Z' }]), person('y')] });
    expect(r.outcome === 'escalate' && r.escalateTo).toEqual(['supervisee', 'supervisee-line-manager']);
    const wf = loadPack('westmorland-furness-scp');
    const r2 = rebook({ ...input, policy: wf, staffGroupId: 'practitioners', participants: [person('x', [{ start: '2027-03-01T00:00:00Z', end: '2027-05-01T00:00:00Z' }]), person('y')] });
    expect(r2.outcome === 'escalate' && r2.escalateTo).toEqual(['supervisor', 'supervisee', 'supervisee-line-manager', 'supervisor-line-manager']);
  });

  it('refuses bad input with a message naming the field', () => {
    const input = rebookFrom('leicestershire-rebook.json');
    expect(() => rebook({ ...input, cancelled: { start: '2027-03-25T10:00:00Z', end: '2027-03-25T09:00:00Z' } })).toThrow(/^cancelled\.end: must be after cancelled\.start$/);
    expect(() => rebook({ ...input, now: 'now' })).toThrow(InputProblem);
    expect(() => rebook({ ...input, staffGroupId: 'nobody' })).toThrow(/^staffGroupId: no staff group "nobody"/);
  });
});

describe('urgentSlot', () => {
  it('South Gloucestershire: the first common free slot within 24 hours (next morning when today is full)', () => {
    const { policyId, urgent: _u, ...rest } = loadScenario<Omit<UrgentInput, 'policy'> & { policyId: string; urgent: true }>('south-gloucestershire-urgent.json');
    const r = expectRebook(urgentSlot({ ...rest, policy: loadPack(policyId) }));
    expect(r.slot).toEqual({ start: '2027-03-25T09:00:00.000Z', end: '2027-03-25T10:00:00.000Z' });
    expect(r.window).toEqual({ start: '2027-03-24T15:30:00.000Z', end: '2027-03-25T15:10:00.000Z' });
    expect(r.alternatives[0]!.start >= r.slot.end).toBe(true);
  });

  it('escalates over Good Friday when nobody can meet within 24 hours', () => {
    const r = urgentSlot({ policy: loadPack('south-gloucestershire-scb'), staffGroupId: 'management', participants: [person('m'), person('p')], now: '2027-03-25T16:10:00Z' });
    expect(r.outcome).toBe('escalate');
    expect(r.reason).toMatch(/^No 60-minute time when m, p are all free inside working hours within PT24H of Thu 25 Mar 2027 16:10/);
  });

  it('uses a 24-hour default (and says so) when the policy has no urgent rule', () => {
    const r = expectRebook(urgentSlot({ policy: loadPack('westmorland-furness-scp'), staffGroupId: 'practitioners', participants: [person('a'), person('b')], now: '2027-06-01T09:05:00Z' }));
    expect(r.slot.start).toBe('2027-06-01T09:30:00.000Z');
    expect(r.reason).toContain('the policy sets no urgent window; 24 hours is the product default');
  });

  it('refuses a duration outside the group’s range', () => {
    expect(() => urgentSlot({ policy: loadPack('staffordshire-stoke-icb'), staffGroupId: 'clinical', participants: [person('a'), person('b')], now: '2027-06-01T09:05:00Z', durationMinutes: 30 })).toThrow(
      /durationMinutes: 30 minutes is outside the 60–120 minute range/,
    );
  });
});

describe('rebook properties (random calendars, all five packs)', () => {
  const HOUR = 3_600_000;
  const scenarioArb = fc
    .record({
      packId: fc.constantFrom(...PACK_IDS),
      originalHour: fc.integer({ min: Date.parse('2026-01-05T00:00:00Z') / HOUR, max: Date.parse('2028-12-20T00:00:00Z') / HOUR }),
      minutes: fc.constantFrom(60, 90),
      cancelledBeforeHours: fc.integer({ min: 0, max: 24 * 10 }),
      nowAfterCancelMinutes: fc.integer({ min: 0, max: 600 }),
      tz: fc.constantFrom('Europe/London', 'Europe/London', 'America/New_York'),
      busy: fc.array(fc.record({ offsetHours: fc.integer({ min: -24 * 16, max: 24 * 16 }), lengthHalfHours: fc.integer({ min: 1, max: 30 }) }), { maxLength: 40 }),
      others: fc.array(fc.integer({ min: -14, max: 14 }), { maxLength: 3 }),
    })
    .map((s) => {
      const policy = loadPack(s.packId);
      const original = s.originalHour * HOUR;
      const cancelledAt = original - s.cancelledBeforeHours * HOUR;
      const busy = s.busy.map((b) => ({ start: new Date(original + b.offsetHours * HOUR).toISOString(), end: new Date(original + b.offsetHours * HOUR + b.lengthHalfHours * 30 * MIN).toISOString() }));
      const input: RebookInput = {
        policy,
        staffGroupId: policy.staffGroups[0]!.id,
        cancelled: { start: new Date(original).toISOString(), end: new Date(original + s.minutes * MIN).toISOString() },
        cancelledAt: new Date(cancelledAt).toISOString(),
        now: new Date(cancelledAt + s.nowAfterCancelMinutes * MIN).toISOString(),
        participants: [person('sup', busy.slice(0, busy.length / 2)), person('see', busy.slice(busy.length / 2), { ...OFFICE, timeZone: s.tz, days: ['mon', 'tue', 'wed', 'thu'] })],
        otherSessions: s.others.map((d) => ({ start: new Date(original + d * 24 * HOUR).toISOString(), end: new Date(original + d * 24 * HOUR + HOUR).toISOString() })),
      };
      return input;
    });

  it('a rebook is inside the window and valid; it is the nearest (or earliest) valid slot; escalation only when none exists', () => {
    let rebooked = 0;
    let escalated = 0;
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const result = rebook(input);
        const valid = bruteForce(input);
        const window = policyWindow(input);
        if (result.outcome === 'escalate') {
          escalated++;
          expect(valid).toEqual([]);
          return;
        }
        rebooked++;
        for (const slot of [result.slot, ...result.alternatives]) expect(slotProblems(input, slot, window, input.cancelled)).toEqual([]);
        expect(new Set([result.slot, ...result.alternatives].map((s) => s.start)).size).toBe(1 + result.alternatives.length);
        const distance = (s: Interval) => Math.abs(Date.parse(s.start) - Date.parse(input.cancelled.start));
        const best = Math.min(...valid.map(distance));
        expect(distance(result.slot)).toBe(best);
      }),
      { numRuns: Number(process.env.PT_PROPERTY_RUNS ?? 30) },
    );
    expect(rebooked).toBeGreaterThan(0);
  });

  it('urgent slots are free, inside working hours and the urgent window, and the earliest such', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const policy = loadPack('south-gloucestershire-scb');
        const urgent = { policy, staffGroupId: 'management', participants: input.participants, now: input.now };
        const r = urgentSlot(urgent);
        const nowMs = Date.parse(input.now);
        const to = DateTime.fromMillis(nowMs, { zone: 'Europe/London' }).plus({ hours: 24 }).toMillis();
        const slots: Interval[] = [];
        for (let t = Math.ceil(nowMs / (30 * MIN)) * 30 * MIN; t + 60 * MIN <= to; t += 30 * MIN) {
          const slot = { start: new Date(t).toISOString(), end: new Date(t + 60 * MIN).toISOString() };
          const date = DateTime.fromMillis(t, { zone: 'Europe/London' }).toISODate()!;
          if (isPublicHoliday(date, 'england-and-wales')) continue;
          if (urgent.participants.some((p) => outsideHours(p, slot.start, slot.end) || overlapsBusy(p, slot.start, slot.end))) continue;
          slots.push(slot);
        }
        if (r.outcome === 'escalate') expect(slots).toEqual([]);
        else expect(r.slot).toEqual(slots[0]);
      }),
      { numRuns: 40 },
    );
  });
});
