/**
 * The planner: proposes recurring supervision patterns (for example "every 4
 * weeks on Tuesday, 10:00–11:30") whose every occurrence is free for everyone.
 *
 * 1. The cadence comes from the staff group's requirements (cadence.ts).
 * 2. Candidate patterns (patterns.ts) × candidate times (on the hour and half
 *    hour inside everyone's working hours) are each walked date by date.
 * 3. A date that clashes (busy, bank holiday, outside someone's hours) is
 *    moved to the nearest free slot, same week first, never past the hard
 *    maximum or a neighbouring session: an exception, not a dropped pattern.
 *    Under a per-term requirement, dates in school holidays are skipped.
 * 4. Each surviving candidate is checked against the policy (hard maximum,
 *    rolling minimum, per-term minimum), scored and ranked; the others are
 *    reported with the reason they were rejected.
 *
 * Pure: no clock, no I/O. All wall-clock work is Luxon in explicit zones.
 */
import { DateTime, Duration } from 'luxon';
import type { PolicyPack } from '../policy/schema';
import { termContaining } from '../time/terms';
import { overrideSteps, rampOverride } from '../ramp';
import { addDays, PolicyCalendar, WEEKDAYS, weekdayOfDayNumber, dayNumber } from '../time/workingDays';
import { Availability, dateInZone, zonedMs } from './availability';
import { groupCadence, intervalCadence, type Cadence } from './cadence';
import { checkParticipants, guarded, InputProblem, isLocalDate, isLocalTime, isPositiveDuration, requireInstant, sessionMinutes, staffGroupOf } from './inputChecks';
import { candidatePatterns, WEEKDAY_NAMES, type DateRange, type Pattern } from './patterns';
import type { PlanInput, PlannedOccurrence, PlanProposal, PlanRejection, PlanResult } from './types';
import { addMinutesToTime, capitalise, dayWords, minutesOfTime, stableHash, timeOfMinutes } from './words';

// The urgent slot finder lives with the rebooker; re-exported for callers that plan and book urgently.
export { rebook, urgentSlot } from './rebooker';

const MINUTE = 60_000;
const MAX_REJECTED = 30;

export function plan(input: PlanInput): PlanResult {
  return guarded<PlanResult>(() => planChecked(input), (error) => ({ ok: false, error }));
}

/** Everything a candidate evaluation needs, built once per plan. */
interface PlanContext {
  policy: PolicyPack;
  tz: string;
  startMs: number;
  /** The plan's start as a local date: the first gap is counted from it. */
  startDate: string;
  /** The latest local date a session may follow one on `date` under the hard maximum (memoised). */
  limitDate: (date: string) => string;
  endMs: number;
  range: DateRange;
  durationMs: number;
  durationMinutes: number;
  cadence: Cadence;
  avail: Availability;
  calendar: PolicyCalendar;
  /** Candidate start times ('HH:mm', policy zone) per weekday (1..7). */
  times: Map<number, string[]>;
  preferences: { weekdays: Set<number>; times: Set<string> };
  /** The last session before the plan (ms), when continuing an arrangement. */
  previousMs?: number;
}

/** A pattern at a time that passed every check; turned into a PlanProposal only if offered. */
interface Candidate {
  pattern: Pattern;
  time: string;
  placed: Placed[];
  skipped: { patternStart: number; reason: string }[];
  score: number;
  /** Tie-break that never changes for the same candidate. */
  key: string;
}

/** A rejected candidate; its words are only written for the ones reported. */
interface Rejection {
  pattern: Pattern;
  time: string;
  reason: () => string;
}

// A policy's memoised calendar is reused by later plans (a supervisor's caseload is planned in turn).
const calendars = new WeakMap<PolicyPack, PolicyCalendar>();
function calendarFor(policy: PolicyPack): PolicyCalendar {
  let calendar = calendars.get(policy);
  if (!calendar) {
    calendar = new PolicyCalendar(policy);
    calendars.set(policy, calendar);
  }
  return calendar;
}

function planChecked(input: PlanInput): PlanResult {
  const { policy } = input;
  const group = staffGroupOf(policy, input.staffGroupId);
  checkParticipants(input.participants, 2);
  const startMs = requireInstant(input.start, 'start');
  const horizonMonths = input.horizonMonths ?? 12;
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1 || horizonMonths > 12) {
    throw new InputProblem(`horizonMonths: must be a whole number of months from 1 to 12 (got ${JSON.stringify(input.horizonMonths)})`);
  }
  const durationMinutes = sessionMinutes(group, input.durationMinutes);
  const maxProposals = input.maxProposals ?? 5;
  if (!Number.isInteger(maxProposals) || maxProposals < 1) throw new InputProblem('maxProposals: must be a whole number of at least 1');
  if (input.override) {
    overrideSteps(input.override).forEach((step, i) => {
      const at = i === 0 ? 'override' : `override.then[${i - 1}]`;
      if (!isPositiveDuration(step.interval)) throw new InputProblem(`${at}.interval: must be an ISO 8601 duration such as P2W (got ${JSON.stringify(step.interval)})`);
      if (!isLocalDate(step.until)) throw new InputProblem(`${at}.until: must be a date YYYY-MM-DD (got ${JSON.stringify(step.until)})`);
    });
  }
  const previousMs = input.previousSession === undefined ? undefined : requireInstant(input.previousSession, 'previousSession');
  if (input.rampFrom !== undefined && !isLocalDate(input.rampFrom)) throw new InputProblem(`rampFrom: must be a date YYYY-MM-DD (got ${JSON.stringify(input.rampFrom)})`);
  const prefWeekdays = input.preferences?.weekdays ?? [];
  const prefTimes = input.preferences?.times ?? [];
  prefWeekdays.forEach((d, i) => {
    if (!WEEKDAYS.includes(d)) throw new InputProblem(`preferences.weekdays[${i}]: must be one of ${WEEKDAYS.join(', ')}`);
  });
  prefTimes.forEach((t, i) => {
    if (!isLocalTime(t)) throw new InputProblem(`preferences.times[${i}]: must be a 24-hour time HH:mm`);
  });

  const cadence = groupCadence(policy, group);
  if ('error' in cadence) return { ok: false, error: cadence.error };

  const tz = policy.timeZone;
  const endMs = DateTime.fromMillis(startMs, { zone: tz }).plus({ months: horizonMonths }).toMillis();
  // Pattern dates run from the day after `start` (so every time of day is after it) to the day before the end.
  const range: DateRange = { first: addDays(dateInZone(startMs, tz), 1), last: addDays(dateInZone(endMs, tz), -1) };
  const avail = new Availability(policy, input.participants, startMs, endMs, { termTimeOnly: Boolean(cadence.perTerm) });
  const notes = cadence.basis.map((b) => `Cadence from staff group "${group.id}": ${b}.`);
  if (group.requirements.some((r) => r.kind === 'external-visits')) notes.push('External (Trust-led) visits are a separate requirement: tracked by the due engine, not planned here.');

  // A per-person override, or the staff group's own ramp for someone new in post.
  const chosen = input.override ?? (input.rampFrom && group.ramp ? rampOverride(group.ramp, input.rampFrom) : undefined);
  if (input.rampFrom && !input.override && !group.ramp) notes.push(`Staff group "${group.id}" has no ramp for new staff: its own cadence applies from the start.`);
  const ramp: { cadence: Cadence; until: string }[] = [];
  if (chosen) {
    const steps = overrideSteps(chosen);
    const live = steps.filter((s) => s.until >= range.first);
    if (!live.length) notes.push(`${input.override ? 'Override' : 'Ramp'} ${steps.map((s) => s.interval).join(', then ')} ended on ${steps[steps.length - 1]!.until}, before the plan starts: the group's cadence applies.`);
    for (const s of live) ramp.push({ cadence: intervalCadence(s.interval), until: s.until });
    if (live.length) {
      const words = live.map((s) => `every ${intervalCadence(s.interval).weeks} week(s) until ${s.until}`).join(', then ');
      notes.push(`${input.override ? 'Override' : `Ramp for new staff (${group.ramp!.appliesTo}, from ${input.rampFrom})`}: ${words}, then the group's cadence.`);
    }
  }

  const ctx: PlanContext = {
    policy,
    tz,
    startMs,
    startDate: dateInZone(startMs, tz),
    limitDate: limitDates(tz, cadence.hardMaximum),
    endMs,
    range,
    durationMs: durationMinutes * MINUTE,
    durationMinutes,
    cadence,
    avail,
    calendar: calendarFor(policy),
    times: new Map(),
    preferences: {
      weekdays: new Set(prefWeekdays.map((d) => WEEKDAYS.indexOf(d) + 1)),
      times: new Set(prefTimes),
    },
    ...(previousMs !== undefined ? { previousMs } : {}),
  };

  const rejected: PlanRejection[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const times = commonTimes(ctx, weekday);
    ctx.times.set(weekday, times);
    if (times.length) continue;
    const name = WEEKDAY_NAMES[weekday - 1]!;
    const workers = input.participants.filter((p) => p.workingHours.days.includes(WEEKDAYS[weekday - 1]!));
    if (!workers.length) continue;
    const absent = input.participants.filter((p) => !workers.includes(p)).map((p) => p.id);
    rejected.push({
      candidate: `${name}s`,
      reason: absent.length
        ? `${absent.join(', ')} ${absent.length === 1 ? 'does' : 'do'} not work on ${name}s`
        : `no ${durationMinutes}-minute period on ${name}s inside everyone's working hours (${input.participants.map((p) => `${p.id} ${p.workingHours.start}–${p.workingHours.end} ${p.workingHours.timeZone}`).join('; ')})`,
    });
  }
  const weekdays = [...ctx.times.entries()].filter(([, t]) => t.length).map(([d]) => d);
  if (!weekdays.length) notes.push('No weekday has a time when everyone is working: nothing can be proposed until working hours overlap.');

  const candidates: Candidate[] = [];
  const failures: Rejection[] = [];
  for (const pattern of candidatePatterns({ cadence, ramp, weekdays, range, timeZone: tz })) {
    for (const time of ctx.times.get(pattern.weekday)!) {
      const outcome = evaluate(ctx, pattern, time);
      if ('reason' in outcome) failures.push(outcome);
      else candidates.push(outcome);
    }
  }

  candidates.sort((a, b) => b.score - a.score || a.placed[0]!.start - b.placed[0]!.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const proposals = pickDiverse(candidates, maxProposals).map((c) => toProposal(ctx, c));
  const reported = [...rejected, ...failures.slice(0, Math.max(0, MAX_REJECTED - rejected.length)).map((f) => ({ candidate: candidateWords(ctx, f.pattern, f.time), reason: f.reason() }))];
  return { ok: true, proposals, rejected: reported, rejectedTotal: rejected.length + failures.length, notes };
}

/**
 * Start times on the weekday where the whole session fits inside everyone's
 * working hours, tried on two dates half a year apart so a participant in a
 * zone with different clock-change dates is not ruled out by one week.
 */
function commonTimes(ctx: PlanContext, weekday: number): string[] {
  const firstDay = dayNumber(ctx.range.first);
  const first = addDays(ctx.range.first, (weekday - weekdayOfDayNumber(firstDay) + 7) % 7);
  const refs = [first, addDays(first, 7 * 26)].filter((d) => d <= ctx.range.last);
  const times: string[] = [];
  for (let m = 0; m + ctx.durationMinutes <= 24 * 60; m += 30) {
    const time = timeOfMinutes(m);
    if (refs.some((d) => ctx.avail.withinEveryonesHours(zonedMs(d, time, ctx.tz), zonedMs(d, time, ctx.tz) + ctx.durationMs))) times.push(time);
  }
  return times;
}

interface PatternDate {
  date: string;
  segment: number;
}

interface Placed {
  /** Index of its pattern date. */
  index: number;
  date: string;
  time: string;
  start: number;
  patternStart: number;
  segment: number;
  moved?: { reason: string; sameWeek: boolean };
}

/** Walks one pattern at one time: places, moves or skips each date, then checks the policy. */
function evaluate(ctx: PlanContext, pattern: Pattern, time: string): Candidate | Rejection {
  const { tz, durationMs, cadence } = ctx;
  const reject = (reason: () => string): Rejection => ({ pattern, time, reason });

  const dates: PatternDate[] = pattern.segments.flatMap((s, i) => s.dates.map((date) => ({ date, segment: i })));
  const placed: Placed[] = [];
  const skipped: Candidate['skipped'] = [];
  for (let i = 0; i < dates.length; i++) {
    const { date, segment } = dates[i]!;
    const start = zonedMs(date, time, tz);
    const why = ctx.avail.whyNotFree(start, start + durationMs);
    if (!why) {
      placed.push({ index: i, date, time, start, patternStart: start, segment });
      continue;
    }
    if (cadence.perTerm && !ctx.avail.inTerm(start, start + durationMs)) {
      skipped.push({ patternStart: start, reason: 'school holiday (outside term time)' });
      continue;
    }
    const move = findMove(ctx, dates, i, time, placed[placed.length - 1], why);
    if (!move) return reject(() => `${dayWords(date)} ${time}: ${why}, and no free slot within ${maxShiftDaysFor(ctx, dates, i)} days keeps the cadence`);
    placed.push(move);
  }
  if (!placed.length) return reject(() => 'no date of this pattern falls inside the plan');

  const movedCount = placed.filter((p) => p.moved).length;
  if (movedCount * 2 > placed.length) return reject(() => `${movedCount} of ${placed.length} dates clash: the pattern does not fit`);
  const policyProblem = breaksPolicy(ctx, placed);
  if (policyProblem) return reject(policyProblem);
  return { pattern, time, placed, skipped, score: score(ctx, pattern, time, placed, gaps(pattern, placed)), key: `${pattern.key}@${time}` };
}

/** Gaps between consecutive sessions, in calendar days, with the target of the later one's segment. */
function gaps(pattern: Pattern, placed: Placed[]): { days: number; target: number; adjacent: boolean }[] {
  return placed.slice(1).map((p, i) => ({
    days: dayNumber(p.date) - dayNumber(placed[i]!.date),
    target: pattern.segments[p.segment]!.targetDays,
    // A gap across a skipped school-holiday date is the term calendar's doing, not the pattern's.
    adjacent: p.index === placed[i]!.index + 1,
  }));
}

/** The proposal as offered: instants in UTC, rules with their COUNT, a stable id and words. */
function toProposal(ctx: PlanContext, c: Candidate): PlanProposal {
  const { tz, durationMs } = ctx;
  const occurrences: PlannedOccurrence[] = c.placed.map((p) => ({
    start: iso(p.start),
    end: iso(p.start + durationMs),
    patternStart: iso(p.patternStart),
    ...(p.moved ? { moved: { reason: p.moved.reason } } : {}),
  }));
  const segments = c.pattern.segments.map((s) => ({ rrule: `${s.rule};COUNT=${s.dates.length}`, firstStart: iso(zonedMs(s.dates[0]!, c.time, tz)) }));
  const id = `plan-${stableHash(`${segments.map((s) => `${s.rrule}@${s.firstStart}`).join('|')}/${ctx.durationMinutes}/${tz}`)}`;
  return {
    id,
    rrule: segments[0]!.rrule,
    firstStart: segments[0]!.firstStart,
    timeZone: tz,
    durationMinutes: ctx.durationMinutes,
    description: describe(ctx, c.pattern, c.time),
    occurrences,
    movedCount: c.placed.filter((p) => p.moved).length,
    score: c.score,
    maxGapDays: gaps(c.pattern, c.placed).reduce((m, g) => Math.max(m, g.days), 0),
    gapFromStartDays: dayNumber(c.placed[0]!.date) - dayNumber(ctx.startDate),
    ...(ctx.cadence.hardMaximum ? { hardMaximum: { duration: ctx.cadence.hardMaximum, longestAllowedGapDays: longestAllowed(ctx, c.placed) } } : {}),
    segments,
    skipped: c.skipped.map((k) => ({ patternStart: iso(k.patternStart), reason: k.reason })),
  };
}

/** "Every 4 weeks on Tuesday, 10:00–11:30 (from Tue 5 Jan 2027)": how a rejected candidate is named. */
function candidateWords(ctx: PlanContext, pattern: Pattern, time: string): string {
  return `${describe(ctx, pattern, time)} (from ${dayWords(pattern.segments[0]!.dates[0]!)})`;
}

const moveOrders = new Map<string, { k: number; time: string; sameWeek: boolean }[]>();

/**
 * The alternative slots for a date, nearest first: same week before other
 * weeks, then by distance in time (earlier first on a tie, which is kinder to
 * a hard maximum). Times are the candidate times of each alternative day.
 */
function moveOrder(ctx: PlanContext, weekday: number, time: string, maxShift: number): { k: number; time: string; sameWeek: boolean }[] {
  const key = `${weekday}|${time}|${maxShift}|${[...ctx.times.values()].map((t) => t.join(',')).join(';')}`;
  let order = moveOrders.get(key);
  if (!order) {
    const base = minutesOfTime(time);
    const options: { k: number; time: string; sameWeek: boolean; delta: number }[] = [];
    for (let k = -maxShift; k <= maxShift; k++) {
      const wd = ((weekday - 1 + k) % 7 + 7) % 7 + 1;
      for (const t of ctx.times.get(wd) ?? []) {
        if (k === 0 && t === time) continue;
        options.push({ k, time: t, sameWeek: weekday + k >= 1 && weekday + k <= 7, delta: k * 1440 + minutesOfTime(t) - base });
      }
    }
    options.sort((a, b) => Number(b.sameWeek) - Number(a.sameWeek) || Math.abs(a.delta) - Math.abs(b.delta) || a.delta - b.delta);
    order = options.map(({ k, time: t, sameWeek }) => ({ k, time: t, sameWeek }));
    if (moveOrders.size > 5_000) moveOrders.clear();
    moveOrders.set(key, order);
  }
  return order;
}

/** The nearest free slot for a clashing date that keeps order, term and hard maximum. */
function findMove(ctx: PlanContext, dates: PatternDate[], i: number, time: string, prev: Placed | undefined, why: string): Placed | undefined {
  const { date, segment } = dates[i]!;
  const next = dates[i + 1];
  const patternStart = zonedMs(date, time, ctx.tz);
  const hardMax = ctx.cadence.hardMaximum;
  const termOf = (d: string) => (ctx.cadence.perTerm ? termContaining(d, ctx.cadence.perTerm.terms)?.name : undefined);
  const term = termOf(date);
  const weekday = weekdayOfDayNumber(dayNumber(date));
  const shift = maxShiftDaysFor(ctx, dates, i);
  for (const option of moveOrder(ctx, weekday, time, shift)) {
    const d = addDays(date, option.k);
    if (d < ctx.range.first || d > ctx.range.last) continue;
    if (prev && d <= prev.date) continue;
    if (next && d >= next.date) continue;
    const start = zonedMs(d, option.time, ctx.tz);
    if (start < ctx.startMs || start + ctx.durationMs > ctx.endMs) continue;
    if (!ctx.avail.isFree(start, start + ctx.durationMs)) continue;
    if (ctx.cadence.perTerm && termOf(d) !== term) continue;
    // The hard maximum in local calendar days: the first session counted from the last one held
    // (a handover or a re-plan) or else from the plan's start date.
    if (hardMax && d > ctx.limitDate(prev?.date ?? firstReferenceDate(ctx))) continue;
    if (hardMax && next && next.date > ctx.limitDate(d)) continue;
    const when = option.k === 0 ? `moved to ${option.time} the same day` : `moved ${Math.abs(option.k)} day${Math.abs(option.k) === 1 ? '' : 's'} ${option.k < 0 ? 'earlier' : 'later'} to ${dayWords(d)} ${option.time}`;
    return { index: i, date: d, time: option.time, start, patternStart, segment, moved: { reason: `${why}; ${when}`, sameWeek: option.sameWeek } };
  }
  return undefined;
}

/** How far the i-th date may move: under half the spacing to its neighbour, and never more than two weeks. */
function maxShiftDaysFor(ctx: PlanContext, dates: PatternDate[], i: number): number {
  const here = dates[i]!;
  const neighbour = dates[i + 1] ?? dates[i - 1];
  const spacing = neighbour ? Math.abs(dayNumber(neighbour.date) - dayNumber(here.date)) : ctx.cadence.weeks * 7;
  return Math.max(1, Math.min(14, Math.ceil(spacing / 2) - 1));
}

/** The first policy rule the placed dates break (its words, written on demand), or undefined. */
function breaksPolicy(ctx: PlanContext, placed: Placed[]): (() => string) | undefined {
  const { cadence, calendar } = ctx;
  if (cadence.hardMaximum && ctx.previousMs !== undefined && placed[0]!.start > calendar.plus(ctx.previousMs, cadence.hardMaximum)) {
    const first = placed[0]!;
    return () => `the first session (${dayWords(first.date)}) would be more than the hard maximum ${cadence.hardMaximum} after the last one (${dayWords(dateInZone(ctx.previousMs!, ctx.tz))})`;
  }
  if (cadence.hardMaximum) {
    // Counted in local calendar days, including the gap from the plan's start date to the first session.
    let prevDate = ctx.startDate;
    for (const p of placed) {
      if (p.date > ctx.limitDate(prevDate)) {
        const from = prevDate;
        const first = from === ctx.startDate && p === placed[0];
        return () => `gap of ${dayNumber(p.date) - dayNumber(from)} days ${first ? 'from the plan start' : 'between'} ${dayWords(from)} ${first ? 'to' : 'and'} ${dayWords(p.date)} exceeds the hard maximum ${cadence.hardMaximum}`;
      }
      prevDate = p.date;
    }
  }
  if (cadence.rollingMinimum) {
    const { count, window } = cadence.rollingMinimum;
    // Windows that lie wholly inside the plan: from its start, and just after each session (where a window holds the fewest).
    const starts = placed.map((p) => p.start);
    const windowStarts = [ctx.startMs, ...starts.map((s) => s + 1)];
    for (const ws of windowStarts) {
      const we = calendar.plus(ws, window);
      if (we > ctx.endMs) continue;
      const inWindow = starts.filter((s) => s >= ws && s < we).length;
      if (inWindow < count) return () => `only ${inWindow} sessions in the ${window} from ${dayWords(dateInZone(ws, ctx.tz))}: at least ${count} are required`;
    }
  }
  if (cadence.perTerm) {
    const { terms, minimum, kind } = cadence.perTerm;
    for (const term of terms) {
      if (term.start < ctx.range.first || term.end > ctx.range.last) continue; // only whole terms inside the plan
      const n = placed.filter((p) => p.date >= term.start && p.date <= term.end).length;
      if (n < minimum) return () => `${term.name} (${dayWords(term.start)} – ${dayWords(term.end)}) would have ${n} session${n === 1 ? '' : 's'}: at least ${minimum} per ${kind} are required`;
    }
  }
  return undefined;
}

/** The date the first session's hard-maximum gap runs from: the last session held, else the plan's start. */
function firstReferenceDate(ctx: PlanContext): string {
  return ctx.previousMs !== undefined ? dateInZone(ctx.previousMs, ctx.tz) : ctx.startDate;
}

/** The tightest hard-maximum limit over the plan's gaps, in days (calendar months differ in length). */
function longestAllowed(ctx: PlanContext, placed: Placed[]): number {
  let min = Infinity;
  for (const date of [ctx.startDate, ...placed.slice(0, -1).map((p) => p.date)]) min = Math.min(min, dayNumber(ctx.limitDate(date)) - dayNumber(date));
  return min;
}

/** date → the last local date the next session may fall on, under the hard maximum (memoised per plan). */
function limitDates(tz: string, hardMaximum: string | undefined): (date: string) => string {
  if (!hardMaximum) return () => '9999-12-31';
  const dur = Duration.fromISO(hardMaximum);
  const memo = new Map<string, string>();
  return (date) => {
    let out = memo.get(date);
    if (out === undefined) {
      out = DateTime.fromISO(date, { zone: tz }).plus(dur).toISODate()!;
      memo.set(date, out);
    }
    return out;
  };
}

/**
 * Higher is better. Each moved date costs (more if it leaves its week); a late
 * first session and gaps beyond the policy's target cost (except across a
 * skipped school holiday); stated preferences earn more than any small
 * difference, and a monthly pattern a little (fewer sessions, same rule).
 */
function score(ctx: PlanContext, pattern: Pattern, time: string, placed: Placed[], gaps: { days: number; target: number; adjacent: boolean }[]): number {
  let s = 100;
  for (const p of placed) if (p.moved) s -= p.moved.sameWeek ? 6 : 10;
  const firstDelayDays = (placed[0]!.start - ctx.startMs) / 86_400_000;
  s -= Math.min(10, firstDelayDays * 0.3);
  s -= gaps.reduce((sum, g) => sum + (g.adjacent ? Math.max(0, g.days - g.target) : 0), 0) * 0.5;
  if (ctx.preferences.weekdays.has(pattern.weekday)) s += 15;
  if (ctx.preferences.times.has(time)) s += 15;
  if (pattern.kind === 'monthly') s += 2;
  return Math.round(s * 10) / 10;
}

/**
 * Chooses which candidates to offer: the best of each weekday and pattern kind
 * first (so the choice is a real one, not five neighbouring times), then the
 * next best overall; returned best first (`candidates` is sorted best first).
 */
function pickDiverse(candidates: Candidate[], max: number): Candidate[] {
  const chosen = new Set<Candidate>();
  const groups = new Set<string>();
  for (const c of candidates) {
    if (chosen.size >= max) break;
    const g = `${c.pattern.weekday}|${c.pattern.kind}`;
    if (groups.has(g)) continue;
    groups.add(g);
    chosen.add(c);
  }
  for (const c of candidates) {
    if (chosen.size >= max) break;
    chosen.add(c);
  }
  return candidates.filter((c) => chosen.has(c));
}

/** "Every 4 weeks on Tuesday, 10:00–11:30" (with the override part first when there is one). */
function describe(ctx: PlanContext, pattern: Pattern, time: string): string {
  const parts = pattern.segments.map((s, i) => (i < pattern.segments.length - 1 ? `${s.words} until ${dayWords(s.dates[s.dates.length - 1]!)}` : s.words));
  const words = parts.length > 1 ? `${parts.slice(0, -1).join(', ')}, then ${parts[parts.length - 1]}` : parts[0]!;
  return `${capitalise(words)}, ${time}–${addMinutesToTime(time, ctx.durationMinutes)}${ctx.cadence.perTerm ? ', in term time' : ''}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
