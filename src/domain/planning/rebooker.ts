/**
 * The rebooker: after a cancellation, the nearest permitted slot inside the
 * policy's rebook window (and a few alternatives), or "escalate" with the
 * reason and who to tell. Also `urgentSlot`: the first common free slot within
 * the policy's urgent window (South Glos: 24 hours).
 *
 * Every slot is on the hour or half hour, inside everyone's working hours (in
 * their own zones), on a working day that is not a bank holiday, clear of every
 * busy block, never in the past (at least half an hour's notice), and never on
 * a day that already has another of the relationship's sessions.
 *
 * Pure: `now` is an input. Bad input throws InputProblem (a message naming the field).
 */
import { DateTime, Duration } from 'luxon';
import type { EscalationTarget, PolicyPack } from '../policy/schema';
import { rebookDeadline } from '../rebookDeadline';
import { dateOfDayNumber, dayNumber, PolicyCalendar } from '../time/workingDays';
import { Availability, dateInZone, zonedMs } from './availability';
import { checkParticipants, InputProblem, requireInstant, sessionMinutes, staffGroupOf } from './inputChecks';
import type { Interval, RebookInput, RebookResult, UrgentInput } from './types';
import { instantWords, timeOfMinutes } from './words';

const MINUTE = 60_000;
const HALF_HOUR = 30 * MINUTE;
/** Protected time is planned, not sprung on people: a rebook gives at least this much notice. */
const REBOOK_NOTICE = 30 * MINUTE;

interface Slot {
  start: number;
  end: number;
  date: string;
}

/** The rebook, with when it is owed (absent only for urgent slots, which are not rebooks). */
export function rebook(input: RebookInput): RebookResult {
  const result = rebookSlot(input);
  const { policy } = input;
  const calendar = calendarFor(policy);
  const by = rebookDeadline(policy, calendar, Date.parse(input.cancelled.start), Date.parse(input.cancelledAt));
  return { ...result, rebookBy: { dueAt: iso(by.dueAt), deadline: by.deadline } };
}

const calendars = new WeakMap<PolicyPack, PolicyCalendar>();
function calendarFor(policy: PolicyPack): PolicyCalendar {
  let calendar = calendars.get(policy);
  if (!calendar) calendars.set(policy, (calendar = new PolicyCalendar(policy)));
  return calendar;
}

function rebookSlot(input: RebookInput): RebookResult {
  const { policy } = input;
  staffGroupOf(policy, input.staffGroupId);
  checkParticipants(input.participants, 2);
  const cancelledStart = requireInstant(input.cancelled?.start, 'cancelled.start');
  const cancelledEnd = requireInstant(input.cancelled?.end, 'cancelled.end');
  if (cancelledEnd <= cancelledStart) throw new InputProblem('cancelled.end: must be after cancelled.start');
  const cancelledAt = requireInstant(input.cancelledAt, 'cancelledAt');
  const now = requireInstant(input.now, 'now');
  const maxAlternatives = input.maxAlternatives ?? 3;
  if (!Number.isInteger(maxAlternatives) || maxAlternatives < 0) throw new InputProblem('maxAlternatives: must be a whole number, 0 or more');
  const others = (input.otherSessions ?? []).map((s, i) => ({
    start: requireInstant(s.start, `otherSessions[${i}].start`),
    end: requireInstant(s.end, `otherSessions[${i}].end`),
  }));

  const rule = policy.rebooking;
  const tz = policy.timeZone;
  const window = Duration.fromISO(rule.window);
  const anchor = rule.anchor === 'original-date' ? cancelledStart : cancelledAt;
  const anchorDt = DateTime.fromMillis(anchor, { zone: tz });
  // Around the original date the window reaches both ways; from a cancellation it can only look forward.
  const policyFrom = rule.anchor === 'original-date' ? anchorDt.minus(window).toMillis() : anchor;
  const policyTo = anchorDt.plus(window).toMillis();
  const earliest = ceilTo(now + REBOOK_NOTICE, HALF_HOUR);
  const from = Math.max(policyFrom, earliest);
  const searched: Interval = { start: iso(from), end: iso(Math.max(from, policyTo)) };
  const anchorWords = rule.anchor === 'original-date' ? `the original date (${instantWords(cancelledStart, tz)})` : `the cancellation (${instantWords(cancelledAt, tz)})`;
  const windowWords = `the ${rule.window} rebook window from ${anchorWords}`;
  const escalateTo = escalationTargets(policy, rule.responsible);

  if (from >= policyTo) {
    return { outcome: 'escalate', window: searched, escalateTo, reason: `${windowWords} ended on ${instantWords(policyTo, tz)}: it is too late to rebook within policy.` };
  }

  const duration = cancelledEnd - cancelledStart;
  const avail = new Availability(policy, input.participants, from - 86_400_000, policyTo + 86_400_000);
  const busyDays = new Set(others.map((o) => dateInZone(o.start, tz)));
  const slots = freeSlots(avail, tz, from, policyTo, duration).filter(
    (s) => !(s.start < cancelledEnd && s.end > cancelledStart) && !busyDays.has(s.date) && !others.some((o) => s.start < o.end && s.end > o.start),
  );
  if (!slots.length) {
    return {
      outcome: 'escalate',
      window: searched,
      escalateTo,
      reason: `No time when ${input.participants.map((p) => p.id).join(', ')} are all free (inside working hours, not on a bank holiday or a day with another session) in ${windowWords}, ${instantWords(from, tz)} – ${instantWords(policyTo, tz)}.`,
    };
  }

  const ordered =
    rule.strategy === 'nearest-to-original'
      ? [...slots].sort((a, b) => Math.abs(a.start - cancelledStart) - Math.abs(b.start - cancelledStart) || a.start - b.start)
      : slots; // already earliest first
  const [best, ...rest] = ordered as [Slot, ...Slot[]];
  const alternatives = spreadAcrossDays(rest, best, maxAlternatives);
  const offsetDays = dayNumber(best.date) - dayNumber(dateInZone(cancelledStart, tz));
  const relative = offsetDays === 0 ? 'the same day as' : `${Math.abs(offsetDays)} day${Math.abs(offsetDays) === 1 ? '' : 's'} ${offsetDays < 0 ? 'earlier' : 'later'} than`;
  const how = rule.strategy === 'nearest-to-original' ? 'Nearest time everyone is free to the original session' : 'Earliest time everyone is free';
  return {
    outcome: 'rebook',
    slot: interval(best),
    alternatives: alternatives.map(interval),
    window: searched,
    reason: `${how}: ${instantWords(best.start, tz)} (${relative} the cancelled ${instantWords(cancelledStart, tz)}), inside ${windowWords}.`,
  };
}

/**
 * The first common free slot within the policy's urgent window. Working hours
 * and bank holidays are respected when the policy says so; protected-time
 * rules (notice, one session a day) are relaxed.
 */
export function urgentSlot(input: UrgentInput): RebookResult {
  const { policy } = input;
  const group = staffGroupOf(policy, input.staffGroupId);
  checkParticipants(input.participants, 2);
  const now = requireInstant(input.now, 'now');
  const minutes = sessionMinutes(group, input.durationMinutes);
  const maxAlternatives = input.maxAlternatives ?? 3;
  const tz = policy.timeZone;
  const urgent = policy.urgent ?? { window: 'PT24H', respectWorkingHours: true, source: 'default' };
  const defaulted = policy.urgent ? '' : ' (the policy sets no urgent window; 24 hours is the product default)';
  const to = DateTime.fromMillis(now, { zone: tz }).plus(Duration.fromISO(urgent.window)).toMillis();
  const from = ceilTo(now, HALF_HOUR);
  const window: Interval = { start: iso(from), end: iso(to) };
  const avail = new Availability(policy, input.participants, from - 86_400_000, to + 86_400_000, { respectWorkingHours: urgent.respectWorkingHours });
  const slots = freeSlots(avail, tz, from, to - minutes * MINUTE, minutes * MINUTE);
  if (!slots.length) {
    return {
      outcome: 'escalate',
      window,
      escalateTo: escalationTargets(policy, 'supervisor'),
      reason: `No ${minutes}-minute time when ${input.participants.map((p) => p.id).join(', ')} are all free${urgent.respectWorkingHours ? ' inside working hours' : ''} within ${urgent.window} of ${instantWords(now, tz)}${defaulted}.`,
    };
  }
  const [best, ...rest] = slots as [Slot, ...Slot[]];
  const alternatives: Slot[] = [];
  for (const s of rest) {
    if (alternatives.length >= maxAlternatives) break;
    const last = alternatives[alternatives.length - 1] ?? best;
    if (s.start >= last.end) alternatives.push(s);
  }
  return {
    outcome: 'rebook',
    slot: interval(best),
    alternatives: alternatives.map(interval),
    window,
    reason: `First time everyone is free within ${urgent.window}${defaulted}: ${instantWords(best.start, tz)}.`,
  };
}

/** Free slots starting on the hour or half hour (policy zone) in [from, to], earliest first. */
function freeSlots(avail: Availability, tz: string, from: number, to: number, duration: number): Slot[] {
  const slots: Slot[] = [];
  const firstDay = dayNumber(dateInZone(from, tz));
  const lastDay = dayNumber(dateInZone(to, tz));
  for (let d = firstDay; d <= lastDay; d++) {
    const date = dateOfDayNumber(d);
    for (let m = 0; m < 24 * 60; m += 30) {
      const start = zonedMs(date, timeOfMinutes(m), tz);
      if (start < from || start > to) continue;
      if (avail.isFree(start, start + duration)) slots.push({ start, end: start + duration, date });
    }
  }
  // A skipped wall-clock hour (spring forward) maps two local times to one instant: keep one.
  return slots.filter((s, i) => i === 0 || s.start !== slots[i - 1]!.start);
}

/** Up to `max` alternatives, on other days than the chosen slot and each other first, then the rest in order. */
function spreadAcrossDays(rest: Slot[], best: Slot, max: number): Slot[] {
  const chosen: Slot[] = [];
  const days = new Set([best.date]);
  for (const s of rest) {
    if (chosen.length >= max) break;
    if (!days.has(s.date)) {
      days.add(s.date);
      chosen.push(s);
    }
  }
  for (const s of rest) {
    if (chosen.length >= max) break;
    if (!chosen.includes(s)) chosen.push(s);
  }
  return chosen;
}

/**
 * Who to tell when a rebook fails: the party responsible for rebooking, and
 * the first step of the policy's ladder that reaches beyond the pair (a line
 * manager or safeguarding lead), else its last step.
 */
export function escalationTargets(policy: PolicyPack, responsible: PolicyPack['rebooking']['responsible']): EscalationTarget[] {
  const pair: EscalationTarget[] = responsible === 'either' ? ['supervisor', 'supervisee'] : [responsible];
  const ladder = policy.reminders.ladder;
  const beyond = ladder.find((s) => s.notify.some((t) => t !== 'supervisor' && t !== 'supervisee')) ?? ladder[ladder.length - 1]!;
  return [...new Set<EscalationTarget>([...pair, ...beyond.notify])];
}

function ceilTo(ms: number, step: number): number {
  return Math.ceil(ms / step) * step;
}

function interval(s: Slot): Interval {
  return { start: iso(s.start), end: iso(s.end) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
