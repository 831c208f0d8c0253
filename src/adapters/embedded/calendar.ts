/**
 * The embedded calendar: a stand-in for Exchange in local mode, behind the same
 * CalendarPort as the Graph adapter. One row per event (organiser + attendees
 * see the same event, as in Exchange), RRULE recurrence with per-occurrence
 * exceptions, free/busy from the expanded events, and a change feed so the
 * reconciler can learn what users did, as it would from Graph notifications.
 */
import { randomUUID } from 'node:crypto';
import type { Interval } from '../../domain/model';
import { occurrencesBetween } from '../../domain/time/recurrence';
import type { Attendee, BusyInterval, CalendarEvent, CalendarPort, NewEvent, ResponseStatus, ShowAs } from '../../ports/calendar';
import type { Clock } from '../../ports/clock';
import { type Db, transaction, prepared } from './db';

type Row = Record<string, unknown>;

interface EventRow {
  id: string;
  organiser_id: string;
  subject: string;
  start_utc: string;
  end_utc: string;
  time_zone: string;
  rrule: string | null;
  show_as: ShowAs;
  sensitivity: 'normal' | 'private';
  join_url: string | null;
  app_tag: string | null;
  cancelled: number;
}

export interface CalendarChange {
  seq: number;
  personId: string;
  eventId: string;
  change: 'created' | 'updated' | 'deleted';
  at: string;
}

const OCCURRENCE_SEPARATOR = '::';

export function occurrenceId(eventId: string, originalStart: string): string {
  return `${eventId}${OCCURRENCE_SEPARATOR}${originalStart}`;
}

export class EmbeddedCalendar implements CalendarPort {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async getSchedule(personIds: string[], window: Interval): Promise<Map<string, BusyInterval[]>> {
    const out = new Map<string, BusyInterval[]>();
    for (const personId of personIds) {
      const events = await this.listEvents(personId, window);
      out.set(
        personId,
        events
          .filter((e) => e.showAs !== 'free' && !e.isCancelled && this.responseOf(e, personId) !== 'declined')
          .map((e) => ({ start: e.start, end: e.end, showAs: e.showAs }))
          .sort((a, b) => a.start.localeCompare(b.start)),
      );
    }
    return out;
  }

  async getWorkingHours(personId: string) {
    const row = prepared(this.db, 'SELECT working_hours FROM people WHERE id = ?').get(personId) as Row | undefined;
    if (!row?.working_hours) return undefined;
    return JSON.parse(String(row.working_hours));
  }

  async listEvents(personId: string, window: Interval): Promise<CalendarEvent[]> {
    const rows = prepared(this.db,
        `SELECT * FROM cal_events e WHERE e.cancelled = 0 AND (e.organiser_id = ? OR e.id IN (SELECT event_id FROM cal_attendees WHERE person_id = ?))`,
      )
      .all(personId, personId) as unknown as EventRow[];
    const result: CalendarEvent[] = [];
    for (const row of rows) {
      const attendees = this.attendees(row.id);
      // An attendee who declined no longer has the event on their calendar (Exchange's default).
      if (row.organiser_id !== personId && attendees.find((a) => a.personId === personId)?.response === 'declined') continue;
      result.push(...this.expand(row, attendees, window));
    }
    return result.sort((a, b) => a.start.localeCompare(b.start));
  }

  private expand(row: EventRow, attendees: Attendee[], window: Interval): CalendarEvent[] {
    const base = {
      organiserId: row.organiser_id,
      attendees,
      subject: row.subject,
      showAs: row.show_as,
      sensitivity: row.sensitivity,
      isCancelled: false,
      joinUrl: row.join_url ?? undefined,
      appTag: row.app_tag ?? undefined,
    };
    const overlaps = (start: string, end: string) => start < window.end && end > window.start;
    if (!row.rrule) {
      return overlaps(row.start_utc, row.end_utc) ? [{ ...base, id: row.id, type: 'singleInstance', start: row.start_utc, end: row.end_utc }] : [];
    }
    const durationMs = Date.parse(row.end_utc) - Date.parse(row.start_utc);
    const exceptions = new Map(
      (prepared(this.db, 'SELECT * FROM cal_exceptions WHERE event_id = ?').all(row.id) as Row[]).map((r) => [String(r.original_start_utc), r]),
    );
    const out: CalendarEvent[] = [];
    // Moved occurrences can land anywhere, so look at every exception, not just the window.
    const from = new Date(Date.parse(window.start) - durationMs).toISOString();
    const starts = new Set(occurrencesBetween(row.rrule, row.start_utc, row.time_zone, from, window.end));
    for (const originalStart of exceptions.keys()) starts.add(originalStart);
    for (const originalStart of starts) {
      const ex = exceptions.get(originalStart);
      if (ex && Number(ex.cancelled) === 1) continue;
      const start = ex?.start_utc ? String(ex.start_utc) : originalStart;
      const end = ex?.end_utc ? String(ex.end_utc) : new Date(Date.parse(originalStart) + durationMs).toISOString();
      if (!overlaps(start, end)) continue;
      out.push({ ...base, id: occurrenceId(row.id, originalStart), seriesMasterId: row.id, type: ex ? 'exception' : 'occurrence', start, end, originalStart });
    }
    return out;
  }

  private attendees(eventId: string): Attendee[] {
    return (prepared(this.db, 'SELECT person_id, response FROM cal_attendees WHERE event_id = ? ORDER BY person_id').all(eventId) as Row[]).map((r) => ({
      personId: String(r.person_id),
      response: String(r.response) as ResponseStatus,
    }));
  }

  private responseOf(e: CalendarEvent, personId: string): ResponseStatus {
    if (e.organiserId === personId) return 'organizer';
    return e.attendees.find((a) => a.personId === personId)?.response ?? 'none';
  }

  async createEvent(ev: NewEvent): Promise<{ id: string; joinUrl?: string; created: boolean }> {
    return transaction(this.db, () => {
      const existing = prepared(this.db, 'SELECT id, join_url FROM cal_events WHERE transaction_id = ?').get(ev.transactionId) as Row | undefined;
      if (existing) return { id: String(existing.id), joinUrl: existing.join_url ? String(existing.join_url) : undefined, created: false };
      const id = `evt-${randomUUID()}`;
      const now = this.clock.now().toISOString();
      // Local mode has no Teams meeting service: the link is a recognisable placeholder.
      // Shaped as Teams' own: the meeting's chat thread id, percent-encoded (a meeting side panel is matched by it).
      const joinUrl = ev.onlineMeeting ? `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(`19:meeting_${id.replace(/-/g, '')}@thread.v2`)}/0` : null;
      prepared(this.db,
          `INSERT INTO cal_events (id, organiser_id, subject, start_utc, end_utc, time_zone, rrule, show_as, sensitivity, online, join_url, reminder_minutes, app_tag, transaction_id, created_at, updated_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        )
        .run(id, ev.organiserId, ev.subject, ev.start, ev.end, ev.timeZone, ev.rrule ?? null, ev.showAs, ev.sensitivity, ev.onlineMeeting ? 1 : 0, joinUrl, ev.reminderMinutes, ev.appTag, ev.transactionId, now, now);
      const add = prepared(this.db, 'INSERT INTO cal_attendees (event_id, person_id, response) VALUES (?, ?, ?)');
      for (const personId of ev.attendeeIds) if (personId !== ev.organiserId) add.run(id, personId, 'notResponded');
      this.recordChange(id, 'created');
      return { id, joinUrl: joinUrl ?? undefined, created: true };
    });
  }

  async moveOccurrence(organiserId: string, eventId: string, occurrenceStart: string | undefined, start: string, end: string): Promise<void> {
    transaction(this.db, () => {
      const row = this.requireEvent(organiserId, eventId);
      if (row.rrule && occurrenceStart) {
        prepared(this.db,
            `INSERT INTO cal_exceptions (event_id, original_start_utc, cancelled, start_utc, end_utc) VALUES (?,?,0,?,?)
             ON CONFLICT(event_id, original_start_utc) DO UPDATE SET cancelled = 0, start_utc = excluded.start_utc, end_utc = excluded.end_utc`,
          )
          .run(eventId, occurrenceStart, start, end);
      } else {
        prepared(this.db, 'UPDATE cal_events SET start_utc = ?, end_utc = ?, updated_at = ? WHERE id = ?').run(start, end, this.clock.now().toISOString(), eventId);
      }
      this.recordChange(eventId, 'updated');
    });
  }

  async cancelOccurrence(organiserId: string, eventId: string, occurrenceStart: string | undefined, _comment = ''): Promise<void> {
    transaction(this.db, () => {
      const row = this.requireEvent(organiserId, eventId);
      if (row.rrule && occurrenceStart) {
        prepared(this.db,
            `INSERT INTO cal_exceptions (event_id, original_start_utc, cancelled) VALUES (?,?,1)
             ON CONFLICT(event_id, original_start_utc) DO UPDATE SET cancelled = 1`,
          )
          .run(eventId, occurrenceStart);
        this.recordChange(eventId, 'updated');
      } else {
        prepared(this.db, 'UPDATE cal_events SET cancelled = 1, updated_at = ? WHERE id = ?').run(this.clock.now().toISOString(), eventId);
        this.recordChange(eventId, 'deleted');
      }
    });
  }

  async repairAppTag(organiserId: string, eventId: string, appTag: string): Promise<void> {
    this.requireEvent(organiserId, eventId);
    prepared(this.db, 'UPDATE cal_events SET app_tag = ?, updated_at = ? WHERE id = ?').run(appTag, this.clock.now().toISOString(), eventId);
  }

  /** Local mode stands in for a client that strips extended properties (for tests and demos). */
  stripAppTag(eventId: string): void {
    prepared(this.db, 'UPDATE cal_events SET app_tag = NULL WHERE id = ?').run(eventId);
  }

  /** An attendee's answer (local mode stands in for the person acting in Outlook). */
  async respond(personId: string, eventId: string, response: Exclude<ResponseStatus, 'organizer' | 'none'>): Promise<void> {
    transaction(this.db, () => {
      const r = prepared(this.db, 'UPDATE cal_attendees SET response = ? WHERE event_id = ? AND person_id = ?').run(response, eventId, personId);
      if (r.changes === 0) throw new Error(`person ${personId} is not invited to event ${eventId}`);
      this.recordChange(eventId, 'updated');
    });
  }

  /** Changes visible to a person after `afterSeq` (the local equivalent of a Graph delta link). */
  changesSince(personId: string, afterSeq: number): CalendarChange[] {
    return (prepared(this.db, 'SELECT * FROM cal_changes WHERE person_id = ? AND seq > ? ORDER BY seq').all(personId, afterSeq) as Row[]).map((r) => ({
      seq: Number(r.seq),
      personId: String(r.person_id),
      eventId: String(r.event_id),
      change: String(r.change) as CalendarChange['change'],
      at: String(r.at),
    }));
  }

  private requireEvent(organiserId: string, eventId: string): EventRow {
    const row = prepared(this.db, 'SELECT * FROM cal_events WHERE id = ?').get(eventId) as unknown as EventRow | undefined;
    if (!row) throw new Error(`no event ${eventId}`);
    if (row.organiser_id !== organiserId) throw new Error(`event ${eventId} is not organised by ${organiserId}`);
    return row;
  }

  private recordChange(eventId: string, change: CalendarChange['change']): void {
    const at = this.clock.now().toISOString();
    const row = prepared(this.db, 'SELECT organiser_id FROM cal_events WHERE id = ?').get(eventId) as Row;
    const people = [String(row.organiser_id), ...this.attendees(eventId).map((a) => a.personId)];
    const stmt = prepared(this.db, 'INSERT INTO cal_changes (person_id, event_id, change, at) VALUES (?,?,?,?)');
    for (const p of people) stmt.run(p, eventId, change, at);
  }
}
