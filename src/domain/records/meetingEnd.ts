/**
 * Whether a Teams meetingEnd event can mean that a session was held. The
 * event's end time comes from the activity, which the app does not control, so
 * it is checked against the calendar (the session's own times) and the clock:
 * the session must already have started, the reported end may not be in the
 * future, and it must fall between the session's start and a few hours after
 * its planned end (meetings overrun; a forged end five days ahead does not).
 * Kept apart so the meetingEnd path can be reconsidered without touching it.
 */
export const MEETING_END_SKEW_MS = 5 * 60_000;
export const MEETING_OVERRUN_MS = 4 * 3600_000;

export function meetingEndMatchesSession(session: { start: string; end: string }, reportedEnd: string, now: Date): boolean {
  const start = Date.parse(session.start);
  const plannedEnd = Date.parse(session.end);
  const ended = Date.parse(reportedEnd);
  const nowMs = now.getTime();
  if (![start, plannedEnd, ended].every(Number.isFinite)) return false;
  if (start > nowMs) return false; // not begun yet by the app's clock
  if (ended > nowMs + MEETING_END_SKEW_MS) return false; // reports an end in the future
  return ended >= start && ended <= plannedEnd + MEETING_OVERRUN_MS;
}
