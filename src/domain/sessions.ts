/** Pure helpers turning a series into the sessions the app tracks. */
import type { Series, Session } from './model';
import { occurrencesBetween } from './time/recurrence';

/** Deterministic session id for an occurrence, so re-materialising never duplicates. */
export function occurrenceSessionId(seriesId: string, occurrenceStart: string): string {
  return `${seriesId}@${occurrenceStart}`;
}

/** The planned sessions of a series whose occurrences start inside [from, to). */
export function materialiseSessions(series: Series, from: string, to: string): Session[] {
  return occurrencesBetween(series.rrule, series.firstStart, series.timeZone, from, to).map((start) => ({
    id: occurrenceSessionId(series.id, start),
    relationshipId: series.relationshipId,
    seriesId: series.id,
    start,
    end: new Date(Date.parse(start) + series.durationMinutes * 60_000).toISOString(),
    status: 'planned',
    kind: 'planned',
    calendarEventId: series.calendarEventId,
    occurrenceStart: start,
  }));
}
