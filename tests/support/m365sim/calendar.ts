/**
 * The simulator's Exchange calendars: meetings kept once, seen from each
 * mailbox (the organiser's copy and each attendee's), recurring series
 * expanded with rrule in the series' own zone, exceptions (moved or cancelled
 * occurrences), responses, and per-mailbox deletion. Everything else
 * (calendarView, delta, getSchedule, instances) is computed from that state,
 * never scripted.
 *
 * Behaviour followed (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * user-post-events.md (transactionId: a repeated create returns the first
 * event), event-cancel.md (organiser only; attendees keep a cancelled copy
 * until they delete it), event-decline.md (attendees only), event-delete.md,
 * event-update.md (an occurrence patched becomes an exception),
 * event-list-instances.md, user-list-calendarview.md, event-delta.md,
 * calendar-getschedule.md (20 schedules, a window under 62 days:
 * ErrorTimeIntervalTooBig), resources/calendar.md (allowedOnlineMeetingProviders:
 * a Teams meeting is only made when the calendar allows teamsForBusiness).
 */
import { DateTime } from 'luxon';
import { RRule, type Options as RRuleOptions, type Weekday as RRuleWeekday } from 'rrule';
import { toIanaZone } from '../../../src/adapters/graph/timeZones';

export type Response = 'none' | 'organizer' | 'accepted' | 'tentativelyAccepted' | 'declined' | 'notResponded';

export interface SimUserRef {
  id: string;
  mail: string;
  displayName: string;
}

interface Exception {
  start: string;
  end: string;
  cancelled: boolean;
  moved: boolean;
  version: number;
  declinedBy: Set<string>;
  deletedBy: Set<string>;
}

export interface Meeting {
  seq: number;
  iCalUId: string;
  organiserId: string;
  subject: string;
  body: string;
  start: string;
  end: string;
  timeZone: string;
  recurrence?: { pattern: Record<string, unknown>; range: Record<string, unknown> };
  attendees: { userId: string; response: Response }[];
  isOnlineMeeting: boolean;
  joinUrl?: string;
  showAs: string;
  sensitivity: string;
  properties: Map<string, string>;
  transactionId?: string;
  cancelled: boolean;
  /** Mailboxes that deleted their copy of the whole meeting. */
  deletedBy: Set<string>;
  exceptions: Map<string, Exception>;
  version: number;
  /** The meeting's id in each mailbox that has a copy. */
  ids: Map<string, string>;
}

/** One event as one mailbox sees it: a single instance, a series master, an occurrence or an exception. */
export interface EventView {
  id: string;
  mailbox: string;
  meeting: Meeting;
  type: 'singleInstance' | 'seriesMaster' | 'occurrence' | 'exception';
  originalStart?: string;
  start: string;
  end: string;
  isCancelled: boolean;
  response: Response;
  /** Changes whenever what this mailbox sees of it changes (delta compares it). */
  version: string;
}

export class CalendarError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;
const RRULE_DAY: Record<string, RRuleWeekday> = { sunday: RRule.SU, monday: RRule.MO, tuesday: RRule.TU, wednesday: RRule.WE, thursday: RRule.TH, friday: RRule.FR, saturday: RRule.SA };
const INDEX: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

export class SimCalendars {
  readonly meetings: Meeting[] = [];
  /** Per mailbox: the online meeting providers its calendar allows (default Teams). */
  readonly allowedProviders = new Map<string, string[]>();
  /** The availability service's longest free/busy window, in days (Graph documents under 62; Exchange may allow less). */
  availabilityMaxDays = 62;
  private seq = 0;
  /** Called after every change, with the mailboxes whose view changed and how. */
  onChange: (changes: { mailbox: string; eventId: string; changeType: 'created' | 'updated' | 'deleted' }[]) => void = () => undefined;

  constructor(private readonly users: (idOrMail: string) => SimUserRef | undefined) {}

  user(idOrMail: string): SimUserRef {
    const u = this.users(idOrMail);
    if (!u) throw new CalendarError(404, 'ErrorInvalidUser', `The requested user '${idOrMail}' is invalid.`);
    return u;
  }

  // ---- writes ------------------------------------------------------------------------------

  create(mailbox: string, body: Record<string, unknown>): { view: EventView; created: boolean } {
    const organiser = this.user(mailbox);
    const transactionId = typeof body.transactionId === 'string' ? body.transactionId : undefined;
    if (transactionId) {
      const same = this.meetings.find((m) => m.organiserId === organiser.id && m.transactionId === transactionId);
      if (same) return { view: this.masterView(same, organiser.id)!, created: false };
    }
    const start = body.start as { dateTime: string; timeZone: string } | undefined;
    const end = body.end as { dateTime: string; timeZone: string } | undefined;
    if (!start?.dateTime || !end?.dateTime) throw new CalendarError(400, 'ErrorInvalidRequest', 'start and end are required');
    const zone = toIanaZone(start.timeZone);
    if (!zone) throw new CalendarError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${start.timeZone}'.`);
    const startUtc = DateTime.fromISO(start.dateTime, { zone }).toUTC().toISO()!;
    const endUtc = DateTime.fromISO(end.dateTime, { zone: toIanaZone(end.timeZone) ?? zone }).toUTC().toISO()!;
    if (endUtc <= startUtc) throw new CalendarError(400, 'ErrorInvalidRequest', 'end must be after start');
    const attendees = ((body.attendees as { emailAddress?: { address?: string } }[] | undefined) ?? []).map((a) => {
      const u = this.users(a.emailAddress?.address ?? '');
      return { userId: u?.id ?? `external:${a.emailAddress?.address ?? ''}`, response: 'none' as Response };
    });
    const wantsTeams = body.isOnlineMeeting === true && (body.onlineMeetingProvider ?? 'teamsForBusiness') === 'teamsForBusiness';
    const allowed = this.allowedProviders.get(organiser.id) ?? ['teamsForBusiness'];
    const seq = ++this.seq;
    const properties = new Map<string, string>();
    for (const p of (body.singleValueExtendedProperties as { id: string; value: string }[] | undefined) ?? []) properties.set(p.id.toLowerCase(), p.value);
    const meeting: Meeting = {
      seq,
      iCalUId: `040000008200E00074C5B7101A82E008${String(seq).padStart(16, '0')}`,
      organiserId: organiser.id,
      subject: String(body.subject ?? ''),
      body: String((body.body as { content?: string } | undefined)?.content ?? ''),
      start: startUtc,
      end: endUtc,
      timeZone: zone,
      ...(body.recurrence ? { recurrence: body.recurrence as Meeting['recurrence'] } : {}),
      attendees,
      // The calendar decides: without teamsForBusiness among its providers, no meeting is made (and no error is given).
      isOnlineMeeting: wantsTeams && allowed.includes('teamsForBusiness'),
      ...(wantsTeams && allowed.includes('teamsForBusiness') ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_sim${seq}%40thread.v2/0` } : {}),
      showAs: String(body.showAs ?? 'busy'),
      sensitivity: String(body.sensitivity ?? 'normal'),
      properties,
      ...(transactionId ? { transactionId } : {}),
      cancelled: false,
      deletedBy: new Set(),
      exceptions: new Map(),
      version: 1,
      ids: new Map(),
    };
    if (meeting.recurrence) this.occurrenceStarts(meeting, startUtc, new Date(Date.parse(startUtc) + 2 * 366 * DAY_MS).toISOString()); // fails early on a bad pattern
    meeting.ids.set(organiser.id, eventId(organiser.id, seq));
    for (const a of attendees) if (!a.userId.startsWith('external:')) meeting.ids.set(a.userId, eventId(a.userId, seq));
    this.meetings.push(meeting);
    this.changed(meeting, 'created');
    return { view: this.masterView(meeting, organiser.id)!, created: true };
  }

  /** PATCH: an occurrence becomes an exception; a master or single event takes the fields given. */
  update(mailbox: string, id: string, body: Record<string, unknown>): EventView {
    const { meeting, originalStart } = this.find(mailbox, id);
    const user = this.user(mailbox);
    const props = body.singleValueExtendedProperties as { id: string; value: string }[] | undefined;
    if (props) for (const p of props) meeting.properties.set(p.id.toLowerCase(), p.value);
    const times = body.start || body.end;
    if (times && user.id !== meeting.organiserId) throw new CalendarError(403, 'ErrorAccessDenied', 'Only the organizer can change the time of a meeting.');
    const toUtc = (v: unknown, fallback: string) => {
      const t = v as { dateTime: string; timeZone: string } | undefined;
      return t ? DateTime.fromISO(t.dateTime, { zone: toIanaZone(t.timeZone) ?? 'UTC' }).toUTC().toISO()! : fallback;
    };
    if (originalStart) {
      const ex = this.exception(meeting, originalStart);
      if (times) Object.assign(ex, { start: toUtc(body.start, ex.start), end: toUtc(body.end, ex.end), moved: true });
      ex.version += 1;
    } else {
      if (times) Object.assign(meeting, { start: toUtc(body.start, meeting.start), end: toUtc(body.end, meeting.end) });
      if (typeof body.subject === 'string') meeting.subject = body.subject;
      meeting.version += 1;
    }
    this.changed(meeting, 'updated');
    return this.viewOf(meeting, user.id, originalStart)!;
  }

  cancel(mailbox: string, id: string): void {
    const { meeting, originalStart } = this.find(mailbox, id);
    if (this.user(mailbox).id !== meeting.organiserId) throw new CalendarError(400, 'ErrorAccessDenied', 'Your request can\'t be completed. You need to be an organizer to cancel a meeting.');
    this.cancelAs(meeting, originalStart);
  }

  decline(mailbox: string, id: string): void {
    const { meeting, originalStart } = this.find(mailbox, id);
    const user = this.user(mailbox);
    if (user.id === meeting.organiserId) throw new CalendarError(400, 'ErrorInvalidRequest', 'Your request can\'t be completed. You can\'t respond to a meeting you organized.');
    if (originalStart) this.exception(meeting, originalStart).declinedBy.add(user.id);
    else meeting.attendees.find((a) => a.userId === user.id)!.response = 'declined';
    meeting.version += originalStart ? 0 : 1;
    if (originalStart) this.exception(meeting, originalStart).version += 1;
    this.changed(meeting, 'updated');
  }

  /** DELETE: the organiser's delete cancels the meeting for everyone; an attendee's removes only their copy. */
  delete(mailbox: string, id: string): void {
    const { meeting, originalStart } = this.find(mailbox, id);
    const user = this.user(mailbox);
    if (user.id === meeting.organiserId) return this.cancelAs(meeting, originalStart);
    if (originalStart) {
      const ex = this.exception(meeting, originalStart);
      ex.deletedBy.add(user.id);
      ex.version += 1;
    } else meeting.deletedBy.add(user.id);
    this.changed(meeting, 'deleted', [user.id]);
  }

  private cancelAs(meeting: Meeting, originalStart: string | undefined): void {
    if (originalStart) {
      const ex = this.exception(meeting, originalStart);
      ex.cancelled = true;
      ex.version += 1;
    } else {
      meeting.cancelled = true;
      meeting.version += 1;
    }
    this.changed(meeting, 'deleted');
  }

  // ---- reads ------------------------------------------------------------------------------

  /** Every event the mailbox sees overlapping the window: singles, occurrences and exceptions (calendarView). */
  view(mailbox: string, start: string, end: string): EventView[] {
    const user = this.user(mailbox);
    const out: EventView[] = [];
    for (const m of this.meetings) {
      if (!m.ids.has(user.id)) continue;
      if (!m.recurrence) {
        const v = this.viewOf(m, user.id, undefined);
        if (v && v.start < end && v.end > start) out.push(v);
        continue;
      }
      const lengthMs = Date.parse(m.end) - Date.parse(m.start);
      // Occurrences that may overlap, plus exceptions moved into the window from anywhere.
      const starts = new Set(this.occurrenceStarts(m, new Date(Date.parse(start) - lengthMs - 40 * DAY_MS).toISOString(), new Date(Date.parse(end) + 40 * DAY_MS).toISOString()));
      for (const orig of m.exceptions.keys()) starts.add(orig);
      for (const orig of [...starts].sort()) {
        const v = this.viewOf(m, user.id, orig);
        if (v && v.start < end && v.end > start) out.push(v);
      }
    }
    return out.sort((a, b) => a.start.localeCompare(b.start));
  }

  /** The occurrences and exceptions of a series in the window (event-list-instances.md). */
  instances(mailbox: string, id: string, start: string, end: string): EventView[] {
    const { meeting } = this.find(mailbox, id);
    return this.view(mailbox, start, end).filter((v) => v.meeting === meeting && v.type !== 'singleInstance');
  }

  get(mailbox: string, id: string): EventView {
    const { meeting, originalStart } = this.find(mailbox, id);
    const v = originalStart ? this.viewOf(meeting, this.user(mailbox).id, originalStart) : this.masterView(meeting, this.user(mailbox).id);
    if (!v) throw new CalendarError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return v;
  }

  exceptionsOf(mailbox: string, id: string): EventView[] {
    const { meeting } = this.find(mailbox, id);
    const user = this.user(mailbox);
    return [...meeting.exceptions.keys()].map((o) => this.viewOf(meeting, user.id, o)).filter((v): v is EventView => !!v && v.type === 'exception');
  }

  /** The events an app created with this transaction id property (findEventByTransaction's $filter). */
  byProperty(mailbox: string, propertyId: string, value: string): EventView[] {
    const user = this.user(mailbox);
    return this.meetings
      .filter((m) => m.ids.has(user.id) && m.properties.get(propertyId.toLowerCase()) === value)
      .map((m) => this.masterView(m, user.id))
      .filter((v): v is EventView => !!v);
  }

  /** getSchedule for several people, computed from their calendars. */
  schedule(schedules: string[], start: string, end: string): { scheduleId: string; items: { status: string; start: string; end: string }[] | undefined }[] {
    return schedules.map((address) => {
      const u = this.users(address);
      if (!u) return { scheduleId: address, items: undefined };
      const busy = this.view(u.id, start, end)
        .filter((v) => !v.isCancelled && v.response !== 'declined' && v.meeting.showAs !== 'free')
        .map((v) => ({ status: v.meeting.showAs, start: v.start, end: v.end }));
      return { scheduleId: address, items: busy };
    });
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** The original starts of a series' occurrences in [from, to), as UTC instants. */
  occurrenceStarts(m: Meeting, from: string, to: string): string[] {
    const r = m.recurrence!;
    const pattern = r.pattern as { type: string; interval?: number; daysOfWeek?: string[]; dayOfMonth?: number; index?: string; firstDayOfWeek?: string };
    const range = r.range as { type: string; startDate: string; endDate?: string; numberOfOccurrences?: number };
    const local = DateTime.fromISO(m.start, { zone: 'utc' }).setZone(m.timeZone);
    // rrule works in floating time: wall-clock times written as if UTC, converted back per occurrence.
    const floating = (d: DateTime) => new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
    const startDate = DateTime.fromISO(range.startDate, { zone: m.timeZone }).set({ hour: local.hour, minute: local.minute, second: local.second });
    const options: Partial<RRuleOptions> = { dtstart: floating(startDate), interval: pattern.interval ?? 1 };
    switch (pattern.type) {
      case 'daily':
        options.freq = RRule.DAILY;
        break;
      case 'weekly':
        options.freq = RRule.WEEKLY;
        options.byweekday = (pattern.daysOfWeek ?? []).map((d) => RRULE_DAY[d.toLowerCase()]!);
        options.wkst = RRULE_DAY[(pattern.firstDayOfWeek ?? 'sunday').toLowerCase()];
        break;
      case 'absoluteMonthly':
        options.freq = RRule.MONTHLY;
        options.bymonthday = [pattern.dayOfMonth!];
        break;
      case 'relativeMonthly':
        options.freq = RRule.MONTHLY;
        options.byweekday = (pattern.daysOfWeek ?? []).map((d) => RRULE_DAY[d.toLowerCase()]!);
        options.bysetpos = [INDEX[pattern.index ?? 'first']!];
        break;
      default:
        throw new CalendarError(400, 'ErrorInvalidRequest', `the simulator does not model ${pattern.type} recurrence`);
    }
    if (range.type === 'endDate' && range.endDate) options.until = new Date(`${range.endDate}T23:59:59Z`);
    if (range.type === 'numbered') options.count = range.numberOfOccurrences;
    const rule = new RRule(options);
    const fromMs = Date.parse(from);
    const toMs = Date.parse(to);
    const out: string[] = [];
    // Floating bounds a day wider than the real ones cover any zone offset.
    for (const d of rule.between(new Date(fromMs - DAY_MS), new Date(toMs + DAY_MS), true)) {
      const utc = DateTime.fromObject(
        { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() },
        { zone: m.timeZone },
      ).toUTC();
      const ms = utc.toMillis();
      if (ms >= fromMs && ms < toMs) out.push(utc.toISO()!);
    }
    return out;
  }

  private isOccurrence(m: Meeting, originalStart: string): boolean {
    const at = Date.parse(originalStart);
    return this.occurrenceStarts(m, new Date(at - 1000).toISOString(), new Date(at + 1000).toISOString()).length > 0;
  }

  private exception(m: Meeting, originalStart: string): Exception {
    let ex = m.exceptions.get(originalStart);
    if (!ex) {
      const length = Date.parse(m.end) - Date.parse(m.start);
      ex = { start: originalStart, end: new Date(Date.parse(originalStart) + length).toISOString(), cancelled: false, moved: false, version: 0, declinedBy: new Set(), deletedBy: new Set() };
      m.exceptions.set(originalStart, ex);
    }
    return ex;
  }

  private find(mailbox: string, id: string): { meeting: Meeting; originalStart?: string } {
    const user = this.user(mailbox);
    const occ = /^(.*)_(\d{8}T\d{6}Z)$/.exec(id);
    const baseId = occ ? occ[1]! : id;
    const meeting = this.meetings.find((m) => m.ids.get(user.id) === baseId);
    if (!meeting) throw new CalendarError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (!occ) {
      if (meeting.cancelled && user.id === meeting.organiserId) throw new CalendarError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      if (meeting.deletedBy.has(user.id)) throw new CalendarError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      return { meeting };
    }
    const originalStart = DateTime.fromFormat(occ[2]!, "yyyyMMdd'T'HHmmss'Z'", { zone: 'utc' }).toISO()!;
    if (!meeting.recurrence || !(meeting.exceptions.has(originalStart) || this.isOccurrence(meeting, originalStart))) {
      throw new CalendarError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    if (!this.viewOf(meeting, user.id, originalStart)) throw new CalendarError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return { meeting, originalStart };
  }

  /** The master (or single event) as the mailbox sees it; undefined when it is gone from that mailbox. */
  masterView(m: Meeting, userId: string): EventView | undefined {
    const id = m.ids.get(userId);
    if (!id || m.deletedBy.has(userId)) return undefined;
    const organiser = userId === m.organiserId;
    if (organiser && m.cancelled) return undefined;
    const response = organiser ? 'organizer' : (m.attendees.find((a) => a.userId === userId)?.response ?? 'none');
    return { id, mailbox: userId, meeting: m, type: m.recurrence ? 'seriesMaster' : 'singleInstance', start: m.start, end: m.end, isCancelled: m.cancelled, response, version: `${m.version}` };
  }

  /** An occurrence (or the single event) as the mailbox sees it; undefined when it is not on that calendar. */
  viewOf(m: Meeting, userId: string, originalStart: string | undefined): EventView | undefined {
    const master = this.masterView(m, userId);
    if (!master || originalStart === undefined) return master;
    const ex = m.exceptions.get(originalStart);
    const organiser = userId === m.organiserId;
    if (ex?.deletedBy.has(userId)) return undefined;
    if (ex?.cancelled && organiser) return undefined;
    const length = Date.parse(m.end) - Date.parse(m.start);
    const declined = ex?.declinedBy.has(userId) ?? false;
    return {
      id: `${master.id}_${DateTime.fromISO(originalStart, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'")}`,
      mailbox: userId,
      meeting: m,
      type: ex?.moved ? 'exception' : 'occurrence',
      originalStart,
      start: ex?.moved ? ex.start : originalStart,
      end: ex?.moved ? ex.end : new Date(Date.parse(originalStart) + length).toISOString(),
      isCancelled: m.cancelled || (ex?.cancelled ?? false),
      response: declined ? 'declined' : master.response,
      version: `${m.version}.${ex?.version ?? 0}`,
    };
  }

  private changed(m: Meeting, changeType: 'created' | 'updated' | 'deleted', only?: string[]): void {
    const mailboxes = only ?? [...m.ids.keys()];
    this.onChange(mailboxes.map((mailbox) => ({ mailbox, eventId: m.ids.get(mailbox)!, changeType: mailbox === m.organiserId || changeType !== 'deleted' ? changeType : 'updated' })));
  }
}

function eventId(userId: string, seq: number): string {
  // Graph ids are opaque base64-ish text with '=' and '-' (and, unencoded, '/' and '+', which the app must encode).
  return `AAMkAD${Buffer.from(`${userId.slice(0, 8)}:${seq}`).toString('base64url')}-sim=`;
}

/** Graph's JSON for an event as one mailbox sees it (times in UTC: the app always sends Prefer outlook.timezone="UTC"). */
export function eventJson(v: EventView, users: (id: string) => SimUserRef | undefined, opts: { expandProperty?: string } = {}): Record<string, unknown> {
  const m = v.meeting;
  const organiser = users(m.organiserId);
  const wall = (iso: string) => ({ dateTime: DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'0000'"), timeZone: 'UTC' });
  const property = opts.expandProperty ? m.properties.get(opts.expandProperty.toLowerCase()) : undefined;
  return {
    id: v.id,
    iCalUId: m.iCalUId,
    type: v.type,
    subject: v.isCancelled && v.mailbox !== m.organiserId ? `Canceled: ${m.subject}` : m.subject,
    bodyPreview: m.body.slice(0, 255),
    start: wall(v.start),
    end: wall(v.end),
    ...(v.type === 'occurrence' || v.type === 'exception' ? { seriesMasterId: v.id.replace(/_\d{8}T\d{6}Z$/, ''), originalStart: v.originalStart, originalStartTimeZone: 'UTC' } : { seriesMasterId: null }),
    ...(v.type === 'seriesMaster' ? { recurrence: m.recurrence, originalStartTimeZone: 'UTC' } : {}),
    isCancelled: v.isCancelled,
    showAs: m.showAs,
    sensitivity: m.sensitivity,
    isOnlineMeeting: m.isOnlineMeeting,
    onlineMeetingProvider: m.isOnlineMeeting ? 'teamsForBusiness' : 'unknown',
    onlineMeeting: m.joinUrl ? { joinUrl: m.joinUrl } : null,
    responseStatus: { response: v.response, time: '0001-01-01T00:00:00Z' },
    organizer: { emailAddress: { name: organiser?.displayName ?? '', address: organiser?.mail ?? '' } },
    attendees: m.attendees.map((a) => {
      const u = a.userId.startsWith('external:') ? undefined : users(a.userId);
      const declinedHere = v.originalStart ? m.exceptions.get(v.originalStart)?.declinedBy.has(a.userId) : false;
      return { type: 'required', status: { response: declinedHere ? 'declined' : a.response, time: '0001-01-01T00:00:00Z' }, emailAddress: { name: u?.displayName ?? '', address: u?.mail ?? a.userId.slice('external:'.length) } };
    }),
    ...(opts.expandProperty && property !== undefined ? { singleValueExtendedProperties: [{ id: opts.expandProperty, value: property }] } : {}),
  };
}
