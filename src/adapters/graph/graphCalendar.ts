/**
 * The CalendarPort on Exchange Online through Microsoft Graph (tenant mode),
 * with the semantics of the embedded calendar (src/adapters/embedded/calendar.ts):
 * instants in and out are UTC ISO strings, series recur in their own zone,
 * occurrences are named by their original start, declined events are off the
 * attendee's calendar, and a create with a transactionId already used is not
 * made twice (created: false).
 *
 * Reference pages (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * calendar-getschedule.md, user-post-events.md, event-update.md, event-cancel.md,
 * event-list-instances.md, user-list-calendarview.md, event-delta.md,
 * singlevaluelegacyextendedproperty-get.md; limits
 * from concepts/outlook-get-free-busy-schedule.md.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Interval } from '../../domain/model';
import type { Weekday } from '../../domain/policy/schema';
import type { BusyInterval, CalendarEvent, CalendarPort, NewEvent, ShowAs } from '../../ports/calendar';
import { APP_TAG_PROPERTY, GENERIC_BODY, TRANSACTION_PROPERTY, genericSubject } from './eventContent';
import { type ResolvePerson, memoise, toCalendarEvent } from './eventMapping';
import { GraphContractError, GraphError, GraphScheduleError } from './graphErrors';
import { type GraphCall, type GraphHttp, odataString, seg, validate } from './graphHttp';
import * as schema from './graphSchemas';
import { rruleToPatternedRecurrence } from './recurrenceMapping';
import { fromGraphDateTime, normaliseInstant, toGraphDateTime, toIanaZone } from './timeZones';

export type { ResolvePerson } from './eventMapping';

/** How Graph knows a person: Entra object id (for URLs) and SMTP address (for schedules and attendees). */
export interface GraphUserRef {
  id: string;
  mail: string;
}

export interface GraphCalendarOptions {
  http: GraphHttp;
  resolveUser: (personId: string) => Promise<GraphUserRef>;
  resolvePerson: ResolvePerson;
  /** Person whose mailbox runs getSchedule; default the first person of each group asked about. */
  scheduleMailboxPersonId?: string;
  /** Attempts at a create or cancel whose outcome was ambiguous (looked up between attempts). */
  attempts?: number;
  /** calendarView page size ($top); Graph's default is 10. */
  pageSize?: number;
}

export interface CalendarDelta {
  /** Added or changed events (occurrences, exceptions, single instances) in the window. */
  events: CalendarEvent[];
  /** Ids Graph reports as removed, or as changed outside the window (event-delta.md). */
  removedIds: string[];
  /** Save and pass back for the next round. */
  deltaLink: string;
  /** True when the saved deltaLink had expired and this is a full resync. */
  restarted: boolean;
}

/** concepts/outlook-get-free-busy-schedule.md: up to 20 entities per getSchedule. */
export const SCHEDULES_PER_REQUEST = 20;
/** Same page: "The time period to look up must be less than 62 days." */
export const MAX_SCHEDULE_WINDOW_DAYS = 61;
/** We read scheduleItems, not availabilityView, so the documented default slot length is fine. */
const AVAILABILITY_VIEW_INTERVAL = 30;
const PREFER_UTC = 'outlook.timezone="UTC"';
/**
 * Event ids that survive moves between folders (concepts/outlook-immutable-id.md):
 * the app stores event ids on series and sessions for months. The header only
 * applies to the request it is on, so every request that sends or receives an
 * event id carries it.
 */
const PREFER_IMMUTABLE = 'IdType="ImmutableId"';
const ids = (...more: string[]) => ({ Prefer: [PREFER_IMMUTABLE, ...more].join(', ') });
const EVENT_SELECT = 'id,type,subject,start,end,seriesMasterId,originalStart,isCancelled,showAs,sensitivity,responseStatus,organizer,attendees,onlineMeeting';
const DAY_MS = 86_400_000;

export class GraphCalendar implements CalendarPort {
  private readonly http: GraphHttp;
  private readonly resolveUser: (personId: string) => Promise<GraphUserRef>;
  private readonly resolvePerson: ResolvePerson;
  private readonly attempts: number;
  private readonly pageSize: number;
  /**
   * The longest free/busy window asked for: Graph documents under 62 days, but the mailbox's
   * availability service may allow less (Exchange's own default is 42 days). A refused window
   * shrinks it to what the refusal names (or half), and the size that worked is kept for the
   * life of the process, so later lookups do not pay for the refusal again.
   */
  private scheduleWindowDays = MAX_SCHEDULE_WINDOW_DAYS;
  /**
   * Whether each organiser's calendar allows Teams meetings (resources/calendar.md,
   * allowedOnlineMeetingProviders): a tenant setting that changes rarely, so asked
   * once per person for the life of the process (the promise, so callers at once share one request).
   */
  private readonly teamsAllowed = new Map<string, Promise<boolean>>();

  constructor(private readonly options: GraphCalendarOptions) {
    this.http = options.http;
    this.resolveUser = options.resolveUser;
    this.resolvePerson = options.resolvePerson;
    this.attempts = options.attempts ?? 3;
    this.pageSize = options.pageSize ?? 100;
  }

  // ---- free/busy and working hours -------------------------------------------------

  async getSchedule(personIds: string[], window: Interval): Promise<Map<string, BusyInterval[]>> {
    const people = [...new Set(personIds)];
    const out = new Map<string, BusyInterval[]>(people.map((p) => [p, []]));
    if (people.length === 0 || window.end <= window.start) return out;
    const users = await Promise.all(people.map((p) => this.resolveUser(p)));
    const personByMail = new Map(users.map((u, i) => [u.mail.toLowerCase(), people[i]!]));
    const fixedMailbox = this.options.scheduleMailboxPersonId ? (await this.resolveUser(this.options.scheduleMailboxPersonId)).id : undefined;

    for (;;) {
      const days = this.scheduleWindowDays;
      try {
        return await this.scheduleIn(users, people, personByMail, fixedMailbox, window, days);
      } catch (err) {
        const smaller = err instanceof GraphError ? smallerScheduleWindow(err, days) : undefined;
        if (smaller === undefined) throw err;
        // Another lookup may have shrunk it meanwhile: never grow it back.
        this.scheduleWindowDays = Math.min(this.scheduleWindowDays, smaller);
      }
    }
  }

  private async scheduleIn(
    users: GraphUserRef[],
    people: string[],
    personByMail: Map<string, string>,
    fixedMailbox: string | undefined,
    window: Interval,
    windowDays: number,
  ): Promise<Map<string, BusyInterval[]>> {
    const out = new Map<string, BusyInterval[]>(people.map((p) => [p, []]));
    const calls: GraphCall[] = [];
    for (let from = 0; from < users.length; from += SCHEDULES_PER_REQUEST) {
      const group = users.slice(from, from + SCHEDULES_PER_REQUEST);
      const mailbox = fixedMailbox ?? group[0]!.id;
      for (const part of splitWindow(window, windowDays)) {
        calls.push({
          call: 'getSchedule',
          method: 'POST',
          path: `/users/${seg(mailbox)}/calendar/getSchedule`,
          headers: { Prefer: PREFER_UTC },
          body: {
            schedules: group.map((u) => u.mail),
            startTime: { dateTime: utcWallClock(part.start), timeZone: 'UTC' },
            endTime: { dateTime: utcWallClock(part.end), timeZone: 'UTC' },
            availabilityViewInterval: AVAILABILITY_VIEW_INTERVAL,
          },
          idempotent: true,
          mailbox,
        });
      }
    }

    const failures: { personId: string; message: string }[] = [];
    for (const result of await this.http.many(calls, schema.scheduleResponse)) {
      // Partial availability would read as free time: fail the whole answer.
      if (!result.ok) throw result.error;
      for (const info of result.value.value) {
        const personId = personByMail.get(info.scheduleId.toLowerCase());
        if (!personId) throw new GraphContractError('getSchedule', [{ path: 'value.scheduleId', message: `answered for ${info.scheduleId}, which was not asked for` }]);
        if (info.error) {
          failures.push({ personId, message: info.error.message ?? info.error.responseCode ?? 'error' });
          continue;
        }
        const busy = out.get(personId)!;
        for (const item of info.scheduleItems ?? []) {
          if (item.status === 'free') continue;
          // "unknown" is not free: treat it as busy so nothing is booked over it.
          const showAs: ShowAs = item.status === 'unknown' ? 'busy' : item.status;
          busy.push({ start: fromGraphDateTime(item.start), end: fromGraphDateTime(item.end), showAs });
        }
      }
    }
    if (failures.length > 0) throw new GraphScheduleError(failures);
    for (const [personId, busy] of out) out.set(personId, dedupe(busy).sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end)));
    return out;
  }

  /**
   * Working hours from getSchedule's scheduleInformation.workingHours (a one-day look at the
   * person's own schedule), so the app needs no MailboxSettings.Read: free/busy under
   * Calendars.ReadWrite already carries them (calendar-getschedule.md).
   */
  async getWorkingHours(personId: string): Promise<{ days: Weekday[]; start: string; end: string; timeZone: string } | undefined> {
    const user = await this.resolveUser(personId);
    const day = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    let info: z.infer<typeof schema.scheduleInformation> | undefined;
    try {
      const res = await this.http.json(
        {
          call: 'getWorkingHours',
          method: 'POST',
          path: `/users/${seg(user.id)}/calendar/getSchedule`,
          headers: { Prefer: PREFER_UTC },
          body: {
            schedules: [user.mail],
            startTime: { dateTime: utcWallClock(day.toISOString()), timeZone: 'UTC' },
            endTime: { dateTime: utcWallClock(new Date(day.getTime() + DAY_MS).toISOString()), timeZone: 'UTC' },
            availabilityViewInterval: AVAILABILITY_VIEW_INTERVAL,
          },
          idempotent: true,
          mailbox: user.id,
        },
        schema.scheduleResponse,
      );
      info = res.value.find((v) => v.scheduleId.toLowerCase() === user.mail.toLowerCase());
    } catch (err) {
      if (err instanceof GraphError && err.notFound) return undefined;
      throw err;
    }
    const hours = info?.workingHours;
    if (!hours || info?.error) return undefined;
    // A custom zone ("Customized Time Zone") has no IANA name: the hours are then unknown, not guessed.
    const timeZone = toIanaZone(hours.timeZone?.name);
    const order: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const days = order.filter((d) => hours.daysOfWeek.some((g) => g.startsWith(d)));
    const start = hours.startTime.slice(0, 5);
    const end = hours.endTime.slice(0, 5);
    const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
    if (!timeZone || days.length === 0 || !hhmm.test(start) || !hhmm.test(end) || start >= end) return undefined;
    return { days, start, end, timeZone };
  }

  // ---- reading events --------------------------------------------------------------

  async listEvents(personId: string, window: Interval): Promise<CalendarEvent[]> {
    const user = await this.resolveUser(personId);
    const { items } = await this.http.pages(
      {
        call: 'listEvents',
        method: 'GET',
        path: `/users/${seg(user.id)}/calendarView`,
        query: {
          startDateTime: window.start,
          endDateTime: window.end,
          $select: EVENT_SELECT,
          $expand: `singleValueExtendedProperties($filter=id eq ${odataString(APP_TAG_PROPERTY)})`,
          $top: this.pageSize,
        },
        headers: ids(PREFER_UTC),
      },
      schema.event,
    );
    const resolve = memoise(this.resolvePerson);
    const events: CalendarEvent[] = [];
    for (const item of items) {
      // Declined events are off the person's calendar, as in the embedded calendar.
      if (item.responseStatus?.response === 'declined') continue;
      events.push(await toCalendarEvent(item, resolve));
    }
    return events.sort((a, b) => a.start.localeCompare(b.start));
  }

  /**
   * Changes in a person's calendar view since `deltaLink` (or everything in the
   * window, first time), following nextLink to the round's deltaLink.
   * calendarView/delta takes no $select or $expand, so appTag is absent here.
   */
  async deltaCalendarView(personId: string, window: Interval, deltaLink?: string): Promise<CalendarDelta> {
    const user = await this.resolveUser(personId);
    const headers = ids(PREFER_UTC, `odata.maxpagesize=${this.pageSize}`);
    const first: GraphCall = deltaLink
      ? { call: 'deltaCalendarView', method: 'GET', path: deltaLink, headers }
      : {
          call: 'deltaCalendarView',
          method: 'GET',
          path: `/users/${seg(user.id)}/calendarView/delta`,
          query: { startDateTime: window.start, endDateTime: window.end },
          headers,
        };
    let page: { items: unknown[]; deltaLink?: string };
    try {
      page = await this.http.pages(first, z.unknown());
    } catch (err) {
      // An expired or unknown delta token: start a new round (410 Gone, or 400/404 syncStateNotFound).
      if (deltaLink && err instanceof GraphError && err.deltaTokenExpired) return { ...(await this.deltaCalendarView(personId, window)), restarted: true };
      throw err;
    }
    if (!page.deltaLink) throw new GraphContractError('deltaCalendarView', [{ path: '@odata.deltaLink', message: 'the last page had neither nextLink nor deltaLink' }]);
    const resolve = memoise(this.resolvePerson);
    const events: CalendarEvent[] = [];
    const removedIds: string[] = [];
    for (const [i, item] of page.items.entries()) {
      if (item && typeof item === 'object' && '@removed' in item) removedIds.push(validate('deltaCalendarView', schema.removedEvent, item, `value[${i}]`).id);
      else events.push(await toCalendarEvent(validate('deltaCalendarView', schema.event, item, `value[${i}]`), resolve));
    }
    return { events, removedIds, deltaLink: page.deltaLink, restarted: false };
  }

  // ---- writing events --------------------------------------------------------------

  async createEvent(ev: NewEvent): Promise<{ id: string; joinUrl?: string; created: boolean }> {
    const organiser = await this.resolveUser(ev.organiserId);
    const existing = await this.findByTransaction(organiser.id, ev.transactionId);
    if (existing) return { ...existing, created: false };
    const call: GraphCall = {
      call: 'createEvent',
      method: 'POST',
      path: `/users/${seg(organiser.id)}/events`,
      body: await this.newEventBody(ev, organiser.id),
      headers: ids(),
      idempotent: false,
    };
    return this.withLookup(
      async () => {
        const made = await this.http.json(call, schema.createdEvent);
        return { id: made.id, ...(made.onlineMeeting?.joinUrl ? { joinUrl: made.onlineMeeting.joinUrl } : {}), created: true };
      },
      // The failed attempt may have made it: if so, it was made by this call.
      async () => {
        const found = await this.findByTransaction(organiser.id, ev.transactionId);
        return found && { ...found, created: true };
      },
    );
  }

  async moveOccurrence(organiserId: string, eventId: string, occurrenceStart: string | undefined, start: string, end: string): Promise<void> {
    const mailbox = (await this.resolveUser(organiserId)).id;
    const target: { id: string; originalStartTimeZone?: string | null } = occurrenceStart
      ? await this.findOccurrence(mailbox, eventId, occurrenceStart, 'moveOccurrence')
      : { id: eventId };
    // Keep the series' own zone on the moved occurrence, so Outlook shows it as the others.
    const zone = toIanaZone(target.originalStartTimeZone) ?? 'UTC';
    await this.http.send({
      call: 'moveOccurrence',
      method: 'PATCH',
      path: `/users/${seg(mailbox)}/events/${seg(target.id)}`,
      body: { start: toGraphDateTime(start, zone), end: toGraphDateTime(end, zone) },
      headers: ids(),
      // Setting the same start and end twice changes nothing.
      idempotent: true,
    });
  }

  async repairAppTag(organiserId: string, eventId: string, appTag: string): Promise<void> {
    const mailbox = (await this.resolveUser(organiserId)).id;
    await this.http.send({
      call: 'repairAppTag',
      method: 'PATCH',
      path: `/users/${seg(mailbox)}/events/${seg(eventId)}`,
      body: { singleValueExtendedProperties: [{ id: APP_TAG_PROPERTY, value: appTag }] },
      headers: ids(),
      idempotent: true,
    });
  }

  async cancelOccurrence(organiserId: string, eventId: string, occurrenceStart: string | undefined, comment: string): Promise<void> {
    const mailbox = (await this.resolveUser(organiserId)).id;
    const target = occurrenceStart ? await this.findOccurrence(mailbox, eventId, occurrenceStart, 'cancelOccurrence') : { id: eventId };
    const path = `/users/${seg(mailbox)}/events/${seg(target.id)}`;
    await this.withLookup(
      async () => {
        await this.http.send({ call: 'cancelOccurrence', method: 'POST', path: `${path}/cancel`, body: { comment }, headers: ids(), idempotent: false });
        return true;
      },
      async () => {
        // Cancelled already: gone (an occurrence) or marked cancelled (the organiser's copy).
        try {
          const ev = await this.http.json(
            { call: 'cancelOccurrence', method: 'GET', path, query: { $select: 'id,isCancelled' }, headers: ids() },
            z.object({ isCancelled: z.boolean().nullish() }),
          );
          return ev.isCancelled ? true : undefined;
        } catch (err) {
          if (err instanceof GraphError && err.notFound) return true;
          throw err;
        }
      },
    );
  }

  // ---- helpers -------------------------------------------------------------------------

  /** True when the organiser's calendar offers teamsForBusiness; asking for it otherwise makes no meeting. */
  async allowsTeamsMeetings(organiserMailbox: string): Promise<boolean> {
    let known = this.teamsAllowed.get(organiserMailbox);
    if (!known) {
      known = this.http
        .json(
          { call: 'getCalendarProviders', method: 'GET', path: `/users/${seg(organiserMailbox)}/calendar`, query: { $select: 'allowedOnlineMeetingProviders' }, idempotent: true, mailbox: organiserMailbox },
          schema.calendarProviders,
        )
        .then((c) => (c.allowedOnlineMeetingProviders ?? []).includes('teamsForBusiness'));
      this.teamsAllowed.set(organiserMailbox, known);
      // A failed look-up is not remembered: the next booking asks again.
      known.catch(() => this.teamsAllowed.delete(organiserMailbox));
    }
    return known;
  }

  private async newEventBody(ev: NewEvent, organiserMailbox: string): Promise<Record<string, unknown>> {
    const attendeeIds = [...new Set(ev.attendeeIds)].filter((id) => id !== ev.organiserId);
    const attendees = await Promise.all(attendeeIds.map((id) => this.resolveUser(id)));
    const teams = ev.onlineMeeting && (await this.allowsTeamsMeetings(organiserMailbox));
    const properties = [
      ...(ev.appTag ? [{ id: APP_TAG_PROPERTY, value: ev.appTag }] : []),
      { id: TRANSACTION_PROPERTY, value: ev.transactionId },
    ];
    return {
      subject: genericSubject(ev.subject),
      body: { contentType: 'text', content: GENERIC_BODY },
      start: toGraphDateTime(ev.start, ev.timeZone),
      end: toGraphDateTime(ev.end, ev.timeZone),
      ...(ev.rrule ? { recurrence: rruleToPatternedRecurrence(ev.rrule, ev.start, ev.timeZone) } : {}),
      attendees: attendees.map((a) => ({ emailAddress: { address: a.mail }, type: 'required' })),
      isOnlineMeeting: teams,
      ...(teams ? { onlineMeetingProvider: 'teamsForBusiness' } : {}),
      showAs: ev.showAs,
      sensitivity: ev.sensitivity,
      isReminderOn: ev.reminderMinutes > 0,
      reminderMinutesBeforeStart: Math.max(0, Math.round(ev.reminderMinutes)),
      transactionId: ev.transactionId,
      singleValueExtendedProperties: properties,
    };
  }

  /** The event an earlier create with this transactionId made, found by the app's extended property. */
  private async findByTransaction(mailbox: string, transactionId: string): Promise<{ id: string; joinUrl?: string } | undefined> {
    const res = await this.http.json(
      {
        call: 'findEventByTransaction',
        method: 'GET',
        path: `/users/${seg(mailbox)}/events`,
        query: {
          $filter: `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(TRANSACTION_PROPERTY)} and ep/value eq ${odataString(transactionId)})`,
          $select: 'id,onlineMeeting',
          $top: 1,
        },
        headers: ids(),
      },
      z.object({ value: z.array(schema.createdEvent) }),
    );
    const found = res.value[0];
    return found && { id: found.id, ...(found.onlineMeeting?.joinUrl ? { joinUrl: found.onlineMeeting.joinUrl } : {}) };
  }

  /** The occurrence or exception of a series that was originally at `occurrenceStart`. */
  private async findOccurrence(mailbox: string, seriesId: string, occurrenceStart: string, call: string): Promise<z.infer<typeof schema.instance>> {
    const at = Date.parse(occurrenceStart);
    const matches = (i: z.infer<typeof schema.instance>) => (i.originalStart ? Date.parse(normaliseInstant(i.originalStart)) : Date.parse(fromGraphDateTime(i.start))) === at;
    const { items } = await this.http.pages(
      {
        call,
        method: 'GET',
        path: `/users/${seg(mailbox)}/events/${seg(seriesId)}/instances`,
        query: {
          startDateTime: new Date(at - DAY_MS).toISOString(),
          endDateTime: new Date(at + DAY_MS).toISOString(),
          $select: 'id,originalStart,originalStartTimeZone,start',
        },
        headers: ids(PREFER_UTC),
      },
      schema.instance,
    );
    const near = items.find(matches);
    if (near) return near;
    // Moved earlier to a day outside the search window: it is among the series' exceptions.
    const master = await this.http.json(
      {
        call,
        method: 'GET',
        path: `/users/${seg(mailbox)}/events/${seg(seriesId)}`,
        query: { $select: 'id', $expand: 'exceptionOccurrences($select=id,originalStart,originalStartTimeZone,start)' },
        headers: ids(PREFER_UTC),
      },
      schema.seriesExceptions,
    );
    let moved = master.exceptionOccurrences?.find(matches);
    const more = master['exceptionOccurrences@odata.nextLink'];
    if (!moved && more) moved = (await this.http.pages({ call, method: 'GET', path: more, headers: ids(PREFER_UTC) }, schema.instance)).items.find(matches);
    if (moved) return moved;
    throw new GraphError(call, 404, 'OccurrenceNotFound', `series ${seriesId} has no occurrence originally at ${occurrenceStart}`);
  }

  /** Runs `act`; after an ambiguous failure, asks `lookup` whether it happened anyway before trying again. */
  private async withLookup<T>(act: () => Promise<T>, lookup: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await act();
      } catch (err) {
        if (!(err instanceof GraphError) || !err.ambiguous || attempt >= this.attempts) throw err;
        await this.http.wait(err.options.retryAfterMs ?? 0);
        const done = await lookup();
        if (done !== undefined) return done;
      }
    }
  }
}

/**
 * After getSchedule refused a window as too long (ErrorTimeIntervalTooBig: "The allowed limit = 42
 * days; ..."), the window to try next: under the limit it names, else half the one refused;
 * undefined when the error is something else or there is nothing smaller to try.
 */
export function smallerScheduleWindow(err: GraphError, triedDays: number): number | undefined {
  const tooBig = err.status === 400 && (err.code === 'ErrorTimeIntervalTooBig' || /TimeWindow is too long/i.test(err.message));
  if (!tooBig || triedDays <= 1) return undefined;
  const allowed = /allowed limit\s*=\s*(\d+)\s*days/i.exec(err.message)?.[1];
  const next = allowed ? Number(allowed) - 1 : Math.floor(triedDays / 2);
  return next >= 1 && next < triedDays ? next : Math.max(1, Math.floor(triedDays / 2));
}

/** getSchedule takes windows shorter than 62 days. */
export function splitWindow(window: Interval, maxDays: number): Interval[] {
  const parts: Interval[] = [];
  const endMs = Date.parse(window.end);
  for (let from = Date.parse(window.start); from < endMs; from += maxDays * DAY_MS) {
    parts.push({ start: new Date(from).toISOString(), end: new Date(Math.min(endMs, from + maxDays * DAY_MS)).toISOString() });
  }
  return parts;
}

function utcWallClock(instant: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** Events spanning two getSchedule windows come back from both. */
function dedupe(busy: BusyInterval[]): BusyInterval[] {
  const seen = new Set<string>();
  return busy.filter((b) => {
    const key = `${b.start}|${b.end}|${b.showAs}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
