/**
 * GraphCalendar against a local fake Graph. Every request body it sends is
 * checked against the v1.0 CSDL (afterEach, via requestContracts.ts), the
 * fields it reads are checked to exist, and the fixtures it parses
 * (tests/fixtures/graph, each naming the reference page it follows in
 * "_source") are checked against the CSDL too.
 *
 * Pages followed (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * calendar-getschedule.md, user-post-events.md, event-update.md,
 * event-cancel.md, event-list-instances.md, user-list-calendarview.md,
 * event-delta.md, user-get-mailboxsettings.md,
 * singlevaluelegacyextendedproperty-get.md; concepts/json-batching.md,
 * concepts/throttling.md, concepts/outlook-get-free-busy-schedule.md,
 * concepts/delta-query-events.md.
 */
import fc from 'fast-check';
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphCalendar, type GraphUserRef } from '../../src/adapters/graph/graphCalendar';
import { APP_TAG_PROPERTY, GENERIC_BODY, GENERIC_SUBJECTS, TRANSACTION_PROPERTY } from '../../src/adapters/graph/eventContent';
import { GraphScheduleError } from '../../src/adapters/graph/graphErrors';
import { GraphHttp } from '../../src/adapters/graph/graphHttp';
import * as schema from '../../src/adapters/graph/graphSchemas';
import type { NewEvent } from '../../src/ports/calendar';
import { FakeGraph, fixture, fixtureSource, type RecordedRequest } from '../support/fakeGraph';
import { checkBody, checkResponseFields } from './graphMetadata';
import { checkRequests } from './requestContracts';
import { readFieldPaths } from './zodFields';

const RIA = { id: '11111111-1111-4111-8111-111111111111', mail: 'ria.shah@contoso.example' };
const SAM = { id: '22222222-2222-4222-8222-222222222222', mail: 'sam.okafor@contoso.example' };
const OLA = { id: '33333333-3333-4333-8333-333333333333', mail: 'ola.nowak@contoso.example' };
const DEE = { id: '44444444-4444-4444-8444-444444444444', mail: 'dee.morgan@contoso.example' };
const people = new Map<string, GraphUserRef>([
  ['p-ria', RIA],
  ['p-sam', SAM],
  ['p-ola', OLA],
  ['p-dee', DEE],
]);
for (let i = 0; i < 45; i++) people.set(`p-${i}`, { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, mail: `person${i}@contoso.example` });

let fake: FakeGraph;
let calendar: GraphCalendar;

beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());

beforeEach(() => {
  fake.reset();
  // Ria's calendar allows Teams meetings (resources/calendar.md); a test may say otherwise.
  fake.on('GET', `/users/${RIA.id}/calendar`, { body: { allowedOnlineMeetingProviders: ['teamsForBusiness'] } });
  const http = new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 5, timeoutMs: 1_000 });
  calendar = new GraphCalendar({
    http,
    resolveUser: async (personId) => {
      const ref = people.get(personId);
      if (!ref) throw new Error(`unknown person ${personId}`);
      return ref;
    },
    resolvePerson: async ({ email }) => [...people].find(([, u]) => u.mail.toLowerCase() === email?.toLowerCase())?.[0],
  });
});

afterEach(() => {
  // Every body sent, every $select/$expand used: valid against the v1.0 metadata.
  expect(checkRequests(fake.requests).violations).toEqual([]);
  expect(fake.unmatched).toEqual([]);
  // Stored event ids must not change when Outlook moves an item (concepts/outlook-immutable-id.md).
  const eventRequests = fake.requests.filter((r) => r.path !== '/$batch' && !r.path.endsWith('/getSchedule') && !r.path.endsWith('/calendar'));
  expect(eventRequests.filter((r) => !r.headers.prefer?.includes('IdType="ImmutableId"')).map((r) => `${r.method} ${r.path}`)).toEqual([]);
});

const mailboxPath = (u: GraphUserRef, rest: string) => `/users/${u.id}${rest}`;
const bodyOf = <T>(r: RecordedRequest) => r.body as T;

describe('the fields the adapter reads exist in Graph v1.0', () => {
  it.each([
    ['scheduleInformation', 'scheduleInformation', schema.scheduleInformation],
    ['workingHours', 'workingHours', schema.workingHours],
    ['event', 'event', schema.event],
    ['removedEvent', 'event', schema.removedEvent],
    ['instance', 'event', schema.instance],
    ['seriesExceptions', 'event', schema.seriesExceptions],
    ['createdEvent', 'event', schema.createdEvent],
  ] as const)('schema %s reads only properties of %s', (_name, type, zodSchema) => {
    const fields = readFieldPaths(zodSchema);
    expect(fields.length).toBeGreaterThan(0);
    expect(checkResponseFields(type, fields)).toEqual([]);
  });

  // The concept page's example sends "Tentative" capitalised; the CSDL member is
  // "tentative". The checker is strict, the adapter reads enums case-insensitively,
  // and the fixture keeps the capital on purpose to prove it.
  const knownDeviations: Record<string, string[]> = { getSchedule: ['scheduleItems[0].status'] };

  it.each([
    ['getSchedule', 'scheduleInformation', 'value'],
    ['getSchedule-error', 'scheduleInformation', 'value'],
    ['calendarView-page1', 'event', 'value'],
    ['calendarView-page2', 'event', 'value'],
    ['instances', 'event', 'value'],
    ['delta-page1', 'event', 'value'],
    ['delta-page2', 'event', 'value'],
    ['events-by-transaction', 'event', 'value'],
    ['series-exceptions', 'event', undefined],
    ['event-created-series', 'event', undefined],
    ['workingHours', 'workingHours', undefined],
    ['workingHours-custom', 'workingHours', undefined],
  ])('fixture %s is a valid %s and names its reference page', (name, type, collection) => {
    expect(fixtureSource(name)).toMatch(/\.md/);
    const data = fixture<Record<string, unknown>>(name);
    const items = collection ? (data[collection] as unknown[]) : [data];
    // Delta's removed items carry only id and @removed, which checkBody skips as an annotation.
    const violations = items.flatMap((item) => checkBody(type, item)).map((v) => v.path);
    expect(violations).toEqual(knownDeviations[name] ?? []);
  });
});

describe('getSchedule', () => {
  const window = { start: '2026-11-23T00:00:00.000Z', end: '2026-11-28T00:00:00.000Z' };

  it('asks for two people in one request and maps busy, tentative, oof and workingElsewhere to UTC intervals', async () => {
    fake.on('POST', mailboxPath(RIA, '/calendar/getSchedule'), { body: fixture('getSchedule') });
    const busy = await calendar.getSchedule(['p-ria', 'p-sam'], window);

    expect(fake.httpRequests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req!.headers.prefer).toBe('outlook.timezone="UTC"');
    // getSchedule returns no item ids, so it needs no IdType preference.
    expect(req!.body).toEqual({
      schedules: [RIA.mail, SAM.mail],
      startTime: { dateTime: '2026-11-23T00:00:00', timeZone: 'UTC' },
      endTime: { dateTime: '2026-11-28T00:00:00', timeZone: 'UTC' },
      availabilityViewInterval: 30,
    });
    expect(busy.get('p-ria')).toEqual([
      { start: '2026-11-23T12:00:00.000Z', end: '2026-11-23T13:00:00.000Z', showAs: 'busy' },
      { start: '2026-11-24T09:00:00.000Z', end: '2026-11-24T17:00:00.000Z', showAs: 'oof' },
    ]);
    expect(busy.get('p-sam')).toEqual([
      { start: '2026-11-23T08:00:00.000Z', end: '2026-11-23T09:00:00.000Z', showAs: 'workingElsewhere' },
      // 01:00 Pacific Standard Time, "Tentative" with a capital as in the concept page.
      { start: '2026-11-23T09:00:00.000Z', end: '2026-11-23T10:00:00.000Z', showAs: 'tentative' },
      { start: '2026-11-23T12:30:00.000Z', end: '2026-11-23T13:30:00.000Z', showAs: 'busy' },
    ]);
  });

  it('asks for 45 people in 3 getSchedule calls of at most 20, sent as one $batch', async () => {
    fake.on('POST', /\/calendar\/getSchedule$/, (req) => ({
      body: { value: bodyOf<{ schedules: string[] }>(req).schedules.map((scheduleId) => ({ scheduleId, availabilityView: '0', scheduleItems: [] })) },
    }));
    const ids = Array.from({ length: 45 }, (_, i) => `p-${i}`);
    const busy = await calendar.getSchedule(ids, window);

    expect(fake.httpRequests.map((r) => r.path)).toEqual(['/$batch']);
    const inner = fake.to('POST', /\/calendar\/getSchedule$/);
    expect(inner.map((r) => bodyOf<{ schedules: string[] }>(r).schedules.length)).toEqual([20, 20, 5]);
    // Each group runs in its own first person's mailbox, spreading Outlook's per-mailbox limits.
    expect(inner.map((r) => r.path)).toEqual([0, 20, 40].map((i) => mailboxPath(people.get(`p-${i}`)!, '/calendar/getSchedule')));
    expect([...busy.keys()]).toEqual(ids);
  });

  it('splits a window of 62 days or more into windows Graph accepts', async () => {
    fake.on('POST', /\/calendar\/getSchedule$/, (req) => ({ body: { value: bodyOf<{ schedules: string[] }>(req).schedules.map((scheduleId) => ({ scheduleId, scheduleItems: [] })) } }));
    await calendar.getSchedule(['p-ria', 'p-sam'], { start: '2026-09-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' });
    const windows = fake.to('POST', /getSchedule$/).map((r) => {
      const b = bodyOf<{ startTime: { dateTime: string }; endTime: { dateTime: string } }>(r);
      return [b.startTime.dateTime, b.endTime.dateTime];
    });
    expect(windows).toEqual([
      ['2026-09-01T00:00:00', '2026-11-01T00:00:00'],
      ['2026-11-01T00:00:00', '2026-12-01T00:00:00'],
    ]);
    expect(fake.httpRequests).toHaveLength(1);
  });

  it('refuses to call unknown availability free: a schedule answered with an error fails the whole call', async () => {
    fake.on('POST', mailboxPath(RIA, '/calendar/getSchedule'), { body: fixture('getSchedule-error') });
    const err = await calendar.getSchedule(['p-ria', 'p-sam'], window).catch((e) => e);
    expect(err).toBeInstanceOf(GraphScheduleError);
    expect(err.message).toMatch(/p-sam \(The specified object was not found/);
  });

  it('retries a throttled getSchedule inside a batch and still answers for everyone', async () => {
    let calls = 0;
    fake.on('POST', /\/calendar\/getSchedule$/, (req) => {
      calls += 1;
      if (calls === 2) return { status: 429, headers: { 'Retry-After': '0' }, body: fixture('error-throttled') };
      return { body: { value: bodyOf<{ schedules: string[] }>(req).schedules.map((scheduleId) => ({ scheduleId, scheduleItems: [] })) } };
    });
    const busy = await calendar.getSchedule(Array.from({ length: 45 }, (_, i) => `p-${i}`), window);
    expect(busy.size).toBe(45);
    expect(fake.httpRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /$batch', `POST ${mailboxPath(people.get('p-20')!, '/calendar/getSchedule')}`]);
  });
});

describe('getWorkingHours', () => {
  // From getSchedule's scheduleInformation.workingHours: no MailboxSettings.Read.
  const schedule = (workingHours: unknown) => ({ body: { value: [{ scheduleId: SAM.mail, availabilityView: '', scheduleItems: [], workingHours }] } });

  it('reads working hours from free/busy and maps the Windows zone to IANA', async () => {
    fake.on('POST', mailboxPath(SAM, '/calendar/getSchedule'), schedule(fixture('workingHours')));
    await expect(calendar.getWorkingHours('p-sam')).resolves.toEqual({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:30', end: '16:30', timeZone: 'Europe/London' });
    expect(fake.httpRequests).toHaveLength(1);
    expect(fake.requests[0]!.body).toMatchObject({ schedules: [SAM.mail] });
    expect(fake.to('GET', /mailboxSettings/)).toEqual([]);
  });

  it('treats a custom time zone as unknown rather than guessing (the documented example)', async () => {
    fake.on('POST', mailboxPath(SAM, '/calendar/getSchedule'), schedule(fixture('workingHours-custom')));
    await expect(calendar.getWorkingHours('p-sam')).resolves.toBeUndefined();
  });

  it('is undefined for a user without a mailbox', async () => {
    fake.on('POST', mailboxPath(SAM, '/calendar/getSchedule'), { status: 404, body: { error: { code: 'ErrorItemNotFound', message: 'no mailbox' } } });
    await expect(calendar.getWorkingHours('p-sam')).resolves.toBeUndefined();
  });
});

describe('listEvents', () => {
  const window = { start: '2026-11-23T00:00:00.000Z', end: '2026-12-07T00:00:00.000Z' };

  it('pages through calendarView in UTC and maps occurrences, exceptions and single instances', async () => {
    fake.on('GET', mailboxPath(RIA, '/calendarView'), { body: fixture('calendarView-page1') }, { body: fixture('calendarView-page2') });
    const events = await calendar.listEvents('p-ria', window);

    expect(fake.httpRequests).toHaveLength(2);
    const [first] = fake.requests;
    expect(first!.headers.prefer).toBe('IdType="ImmutableId", outlook.timezone="UTC"');
    expect(first!.query).toEqual({
      startDateTime: window.start,
      endDateTime: window.end,
      $select: 'id,type,subject,start,end,seriesMasterId,originalStart,isCancelled,showAs,sensitivity,responseStatus,organizer,attendees,onlineMeeting',
      $expand: `singleValueExtendedProperties($filter=id eq '${APP_TAG_PROPERTY}')`,
      $top: '100',
    });
    expect(fake.requests[1]!.query.$skip).toBe('2');

    const joinUrl = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzIyNzhlMGEtM2YyZC00ZmY0LTlhNzUtZmZjNWFmZGNlNzE2%40thread.v2/0';
    expect(events).toEqual([
      {
        id: 'AAMkOcc1=', seriesMasterId: 'AAMkSeries1=', type: 'occurrence', organiserId: 'p-ria',
        attendees: [{ personId: 'p-sam', response: 'accepted' }],
        subject: 'Supervision', start: '2026-11-23T10:00:00.000Z', end: '2026-11-23T11:00:00.000Z', originalStart: '2026-11-23T10:00:00.000Z',
        showAs: 'busy', sensitivity: 'private', isCancelled: false, joinUrl, appTag: 'series-1',
      },
      {
        id: 'AAMkCancelled1=', type: 'singleInstance', organiserId: 'p-dee', attendees: [{ personId: 'p-ria', response: 'accepted' }],
        subject: 'Canceled: Case conference', start: '2026-11-25T10:00:00.000Z', end: '2026-11-25T11:00:00.000Z',
        showAs: 'free', sensitivity: 'normal', isCancelled: true,
      },
      {
        id: 'AAMkSingle1=', type: 'singleInstance', organiserId: 'p-ria', attendees: [],
        subject: 'Leave', start: '2026-11-26T00:00:00.000Z', end: '2026-11-27T00:00:00.000Z', showAs: 'oof', sensitivity: 'normal', isCancelled: false,
      },
      {
        // The guest is not a person of the app, so not an Attendee.
        id: 'AAMkExc1=', seriesMasterId: 'AAMkSeries1=', type: 'exception', organiserId: 'p-ria',
        attendees: [{ personId: 'p-sam', response: 'tentativelyAccepted' }],
        subject: 'Supervision', start: '2026-12-01T14:00:00.000Z', end: '2026-12-01T15:00:00.000Z', originalStart: '2026-11-30T10:00:00.000Z',
        showAs: 'busy', sensitivity: 'private', isCancelled: false, joinUrl, appTag: 'series-1',
      },
    ]);
    // The declined event is off Ria's calendar, as in the embedded calendar.
    expect(events.find((e) => e.id === 'AAMkDeclined1=')).toBeUndefined();
  });
});

describe('deltaCalendarView', () => {
  const window = { start: '2026-11-23T00:00:00.000Z', end: '2026-12-07T00:00:00.000Z' };

  it('follows nextLink to the deltaLink, reporting changed and removed events', async () => {
    fake.on('GET', mailboxPath(RIA, '/calendarView/delta'), (req) => ({ body: fixture(req.query.$skiptoken ? 'delta-page2' : 'delta-page1') }));
    const delta = await calendar.deltaCalendarView('p-ria', window);

    expect(fake.requests[0]!.query).toEqual({ startDateTime: window.start, endDateTime: window.end });
    expect(fake.requests[0]!.headers.prefer).toBe('IdType="ImmutableId", outlook.timezone="UTC", odata.maxpagesize=100');
    expect(fake.requests[1]!.query).toEqual({ $skiptoken: 'R0usmcCM996atia_s' });
    expect(delta.deltaLink).toBe(`${fake.baseUrl}/users/${RIA.id}/calendarView/delta?$deltatoken=R0usmcMDNGg0J1E`);
    expect(delta.removedIds).toEqual(['AAMkExc1=']);
    // Declines are changes the rebooking job needs, so delta keeps them.
    expect(delta.events.map((e) => [e.id, e.attendees])).toEqual([
      ['AAMkOcc1=', [{ personId: 'p-sam', response: 'declined' }]],
      ['AAMkSingle2=', []],
    ]);
    expect(delta.restarted).toBe(false);
  });

  it('uses a saved deltaLink as it is, and starts over when Graph no longer knows it', async () => {
    fake.on('GET', mailboxPath(RIA, '/calendarView/delta'), (req) => {
      if (req.query.$deltatoken === 'expired') return { status: 410, body: { error: { code: 'SyncStateNotFound', message: 'The sync state generation is expired' } } };
      return { body: fixture(req.query.$skiptoken ? 'delta-page2' : 'delta-page1') };
    });
    const saved = `${fake.baseUrl}/users/${RIA.id}/calendarView/delta?$deltatoken=expired`;
    const delta = await calendar.deltaCalendarView('p-ria', window, saved);
    expect(fake.requests[0]!.query).toEqual({ $deltatoken: 'expired' });
    expect(fake.requests[1]!.query).toEqual({ startDateTime: window.start, endDateTime: window.end });
    expect(delta.restarted).toBe(true);
    expect(delta.deltaLink).toMatch(/deltatoken=R0usmcMDNGg0J1E$/);
  });
});

describe('createEvent', () => {
  const series: NewEvent = {
    organiserId: 'p-ria',
    attendeeIds: ['p-sam', 'p-ria'],
    subject: 'Supervision',
    start: '2026-06-02T09:00:00.000Z',
    end: '2026-06-02T10:00:00.000Z',
    timeZone: 'Europe/London',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=12',
    showAs: 'busy',
    sensitivity: 'private',
    onlineMeeting: true,
    reminderMinutes: 15,
    appTag: 'series-1',
    transactionId: 'tx-series-1',
  };
  const lookupPath = mailboxPath(RIA, '/events');
  const empty = { body: { value: [] } };

  it('looks up the transaction, then creates the series with local wall-clock times and returns the Teams link', async () => {
    fake.on('GET', lookupPath, empty);
    fake.on('POST', lookupPath, { status: 201, body: fixture('event-created-series') });
    const result = await calendar.createEvent(series);

    expect(result).toEqual({ id: 'AAMkSeries1=', joinUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//), created: true });
    expect(fake.httpRequests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${lookupPath}`, `GET ${mailboxPath(RIA, '/calendar')}`, `POST ${lookupPath}`]);
    expect(fake.requests[0]!.query.$filter).toBe(`singleValueExtendedProperties/Any(ep: ep/id eq '${TRANSACTION_PROPERTY}' and ep/value eq 'tx-series-1')`);
    expect(fake.requests[1]!.query).toEqual({ $select: 'allowedOnlineMeetingProviders' });
    expect(fake.requests[2]!.body).toEqual({
      subject: 'Supervision',
      body: { contentType: 'text', content: GENERIC_BODY },
      // 09:00 UTC in June is 10:00 in London.
      start: { dateTime: '2026-06-02T10:00:00', timeZone: 'Europe/London' },
      end: { dateTime: '2026-06-02T11:00:00', timeZone: 'Europe/London' },
      recurrence: {
        pattern: { type: 'weekly', interval: 2, daysOfWeek: ['tuesday'], firstDayOfWeek: 'monday' },
        range: { type: 'numbered', startDate: '2026-06-02', numberOfOccurrences: 12, recurrenceTimeZone: 'Europe/London' },
      },
      // The organiser is not invited to their own meeting.
      attendees: [{ emailAddress: { address: SAM.mail }, type: 'required' }],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      showAs: 'busy',
      sensitivity: 'private',
      isReminderOn: true,
      reminderMinutesBeforeStart: 15,
      transactionId: 'tx-series-1',
      singleValueExtendedProperties: [
        { id: APP_TAG_PROPERTY, value: 'series-1' },
        { id: TRANSACTION_PROPERTY, value: 'tx-series-1' },
      ],
    });
  });

  it('does not ask for a Teams meeting when the organiser\'s calendar does not allow one, and asks the calendar once', async () => {
    fake.on('GET', mailboxPath(RIA, '/calendar'), { body: { allowedOnlineMeetingProviders: ['skypeForConsumer'] } });
    fake.on('GET', lookupPath, empty);
    fake.on('POST', lookupPath, { status: 201, body: { id: 'AAMkNoTeams=', onlineMeeting: null } });
    const first = await calendar.createEvent(series);
    await calendar.createEvent({ ...series, transactionId: 'tx-series-2' });
    expect(first).toEqual({ id: 'AAMkNoTeams=', created: true });
    expect(fake.to('GET', mailboxPath(RIA, '/calendar'))).toHaveLength(1);
    for (const r of fake.to('POST', lookupPath)) {
      expect(r.body).toMatchObject({ isOnlineMeeting: false });
      expect(r.body).not.toHaveProperty('onlineMeetingProvider');
    }
  });

  it('writes monthly rules as relativeMonthly / absoluteMonthly and a single event without recurrence', async () => {
    fake.on('GET', lookupPath, empty);
    fake.on('POST', lookupPath, { status: 201, body: { id: 'AAMkNew=' } });
    await calendar.createEvent({ ...series, rrule: 'FREQ=MONTHLY;BYDAY=+2WE', start: '2026-06-10T09:00:00.000Z', end: '2026-06-10T10:00:00.000Z', transactionId: 'tx-2' });
    await calendar.createEvent({ ...series, rrule: 'FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261215T235959Z', start: '2026-06-15T09:00:00.000Z', end: '2026-06-15T10:00:00.000Z', transactionId: 'tx-3' });
    await calendar.createEvent({ ...series, rrule: undefined, onlineMeeting: false, reminderMinutes: 0, transactionId: 'tx-4' });
    const bodies = fake.to('POST', lookupPath).map((r) => r.body as Record<string, { pattern?: unknown; range?: unknown }>);
    expect(bodies[0]!.recurrence!.pattern).toEqual({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['wednesday'], index: 'second' });
    expect(bodies[1]!.recurrence).toEqual({
      pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 },
      range: { type: 'endDate', startDate: '2026-06-15', endDate: '2026-12-15', recurrenceTimeZone: 'Europe/London' },
    });
    expect(bodies[2]).not.toHaveProperty('recurrence');
    expect(bodies[2]).not.toHaveProperty('onlineMeetingProvider');
    expect(bodies[2]).toMatchObject({ isOnlineMeeting: false, isReminderOn: false, reminderMinutesBeforeStart: 0 });
  });

  it('returns the existing event without creating when the transaction was already made (created: false)', async () => {
    fake.on('GET', lookupPath, { body: fixture('events-by-transaction') });
    await expect(calendar.createEvent(series)).resolves.toEqual({ id: 'AAMkSeries1=', joinUrl: expect.any(String), created: false });
    expect(fake.to('POST', lookupPath)).toHaveLength(0);
  });

  it('after a timed-out create, finds the event Graph made anyway instead of creating a second', async () => {
    let made = false;
    fake.on('GET', lookupPath, () => (made ? { body: fixture('events-by-transaction') } : empty));
    fake.on('POST', lookupPath, () => {
      made = true;
      return { status: 201, body: fixture('event-created-series'), delayMs: 1_500 };
    });
    await expect(calendar.createEvent(series)).resolves.toEqual({ id: 'AAMkSeries1=', joinUrl: expect.any(String), created: true });
    expect(fake.to('POST', lookupPath)).toHaveLength(1);
    expect(fake.to('GET', lookupPath)).toHaveLength(2);
  });

  it('after a 504 with nothing made, creates again with the same transactionId', async () => {
    fake.on('GET', lookupPath, empty);
    fake.on('POST', lookupPath, { status: 504, body: { error: { code: 'GatewayTimeout', message: 'gateway' } } }, { status: 201, body: fixture('event-created-series') });
    await expect(calendar.createEvent(series)).resolves.toMatchObject({ id: 'AAMkSeries1=', created: true });
    const posts = fake.to('POST', lookupPath);
    expect(posts).toHaveLength(2);
    expect(posts.map((p) => bodyOf<{ transactionId: string }>(p).transactionId)).toEqual(['tx-series-1', 'tx-series-1']);
    expect(fake.to('GET', lookupPath)).toHaveLength(2);
  });

  it('does not retry a create Graph rejected outright', async () => {
    fake.on('GET', lookupPath, empty);
    fake.on('POST', lookupPath, { status: 400, body: { error: { code: 'ErrorInvalidRequest', message: 'bad' } } });
    await expect(calendar.createEvent(series)).rejects.toMatchObject({ status: 400 });
    expect(fake.to('POST', lookupPath)).toHaveLength(1);
  });
});

describe('no case detail reaches a calendar', () => {
  const base: NewEvent = {
    organiserId: 'p-ria', attendeeIds: ['p-sam'], subject: '', start: '2026-11-23T10:00:00.000Z', end: '2026-11-23T11:00:00.000Z',
    timeZone: 'Europe/London', showAs: 'busy', sensitivity: 'private', onlineMeeting: true, reminderMinutes: 15, appTag: 's-1', transactionId: 'tx',
  };

  it('sends a generic subject and a constant body whatever subject the caller passes', async () => {
    fake.on('GET', mailboxPath(RIA, '/events'), { body: { value: [] } });
    fake.on('POST', mailboxPath(RIA, '/events'), { status: 201, body: { id: 'AAMk=' } });
    const detail = 'Supervision: J.S. (7) disclosure at school, police informed';
    await calendar.createEvent({ ...base, subject: detail });
    const sent = JSON.stringify(fake.to('POST', mailboxPath(RIA, '/events'))[0]!.body);
    for (const word of ['J.S.', 'disclosure', 'school', 'police']) expect(sent).not.toContain(word);
    expect(fake.to('POST', mailboxPath(RIA, '/events'))[0]!.body).toMatchObject({ subject: 'Supervision', body: { content: GENERIC_BODY } });
  });

  it('for any subject: the subject sent is one of the fixed words and the body is the constant', async () => {
    fake.on('GET', mailboxPath(RIA, '/events'), { body: { value: [] } });
    fake.on('POST', mailboxPath(RIA, '/events'), { status: 201, body: { id: 'AAMk=' } });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom(...GENERIC_SUBJECTS)), async (subject) => {
        fake.requests.length = 0;
        await calendar.createEvent({ ...base, subject, transactionId: `tx-${subject.length}` });
        const sent = fake.to('POST', mailboxPath(RIA, '/events'))[0]!.body as { subject: string; body: { content: string } };
        expect(GENERIC_SUBJECTS).toContain(sent.subject);
        expect(sent.body.content).toBe(GENERIC_BODY);
        expect(Object.keys(sent).sort()).toEqual(
          ['attendees', 'body', 'end', 'isOnlineMeeting', 'isReminderOn', 'onlineMeetingProvider', 'reminderMinutesBeforeStart', 'sensitivity', 'showAs', 'singleValueExtendedProperties', 'start', 'subject', 'transactionId'],
        );
      }),
      { numRuns: 25 },
    );
  });
});

describe('moveOccurrence and cancelOccurrence', () => {
  const series = 'AAMkSeries1=';
  const instancesPath = mailboxPath(RIA, `/events/${series}/instances`);

  it('finds the occurrence by its original start among nearby instances, then PATCHes it in the series zone', async () => {
    fake.on('GET', instancesPath, { body: fixture('instances') });
    fake.on('PATCH', mailboxPath(RIA, '/events/AAMkOcc2='), { body: { id: 'AAMkOcc2=' } });
    await calendar.moveOccurrence('p-ria', series, '2026-12-07T10:00:00.000Z', '2026-12-08T14:00:00.000Z', '2026-12-08T15:00:00.000Z');

    expect(fake.httpRequests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${instancesPath}`, `PATCH ${mailboxPath(RIA, '/events/AAMkOcc2=')}`]);
    expect(fake.requests[0]!.query).toMatchObject({ startDateTime: '2026-12-06T10:00:00.000Z', endDateTime: '2026-12-08T10:00:00.000Z' });
    // originalStartTimeZone "GMT Standard Time" is Europe/London: 14:00 UTC in December is 14:00 there.
    expect(fake.requests[1]!.body).toEqual({
      start: { dateTime: '2026-12-08T14:00:00', timeZone: 'Europe/London' },
      end: { dateTime: '2026-12-08T15:00:00', timeZone: 'Europe/London' },
    });
  });

  it('finds an occurrence moved far away among the series exceptions', async () => {
    fake.on('GET', instancesPath, { body: { value: [] } });
    fake.on('GET', mailboxPath(RIA, `/events/${series}`), { body: fixture('series-exceptions') });
    fake.on('PATCH', mailboxPath(RIA, '/events/AAMkExc1='), { body: { id: 'AAMkExc1=' } });
    await calendar.moveOccurrence('p-ria', series, '2026-11-30T10:00:00.000Z', '2026-12-02T10:00:00.000Z', '2026-12-02T11:00:00.000Z');
    expect(fake.requests[1]!.query.$expand).toBe('exceptionOccurrences($select=id,originalStart,originalStartTimeZone,start)');
    expect(fake.httpRequests).toHaveLength(3);
  });

  it('pages the expanded exceptions when Graph pages them', async () => {
    const nextLink = `https://graph.microsoft.com/v1.0/users/${RIA.id}/events/${series}/exceptionOccurrences?$skip=1`;
    fake.on('GET', instancesPath, { body: { value: [] } });
    fake.on('GET', mailboxPath(RIA, `/events/${series}`), { body: { id: series, exceptionOccurrences: [], 'exceptionOccurrences@odata.nextLink': nextLink } });
    fake.on('GET', mailboxPath(RIA, `/events/${series}/exceptionOccurrences`), { body: { value: fixture<{ exceptionOccurrences: unknown[] }>('series-exceptions').exceptionOccurrences } });
    fake.on('POST', mailboxPath(RIA, '/events/AAMkExc1=/cancel'), { status: 202 });
    await calendar.cancelOccurrence('p-ria', series, '2026-11-30T10:00:00.000Z', 'x');
    expect(fake.httpRequests.map((r) => r.path)).toEqual([instancesPath, mailboxPath(RIA, `/events/${series}`), mailboxPath(RIA, `/events/${series}/exceptionOccurrences`), mailboxPath(RIA, '/events/AAMkExc1=/cancel')]);
  });

  it('moves a single event directly, in UTC', async () => {
    fake.on('PATCH', mailboxPath(RIA, '/events/AAMkSingle1='), { body: { id: 'AAMkSingle1=' } });
    await calendar.moveOccurrence('p-ria', 'AAMkSingle1=', undefined, '2026-12-08T14:00:00.000Z', '2026-12-08T15:00:00.000Z');
    expect(fake.requests[0]!.body).toEqual({ start: { dateTime: '2026-12-08T14:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-08T15:00:00', timeZone: 'UTC' } });
  });

  it('cancels one occurrence with a comment to attendees', async () => {
    fake.on('GET', instancesPath, { body: fixture('instances') });
    fake.on('POST', mailboxPath(RIA, '/events/AAMkOcc2=/cancel'), { status: 202 });
    await calendar.cancelOccurrence('p-ria', series, '2026-12-07T10:00:00.000Z', 'Rebooked for Tuesday');
    expect(fake.requests[1]!.body).toEqual({ comment: 'Rebooked for Tuesday' });
    expect(fake.httpRequests).toHaveLength(2);
  });

  it('after an ambiguous cancel, checks before cancelling again', async () => {
    fake.on('POST', mailboxPath(RIA, '/events/AAMkSingle1=/cancel'), { status: 503 });
    fake.on('GET', mailboxPath(RIA, '/events/AAMkSingle1='), { status: 404, body: { error: { code: 'ErrorItemNotFound', message: 'gone' } } });
    await calendar.cancelOccurrence('p-ria', 'AAMkSingle1=', undefined, 'Cancelled');
    expect(fake.to('POST', mailboxPath(RIA, '/events/AAMkSingle1=/cancel'))).toHaveLength(1);
  });

  it('says so when the series has no such occurrence', async () => {
    fake.on('GET', instancesPath, { body: { value: [] } });
    fake.on('GET', mailboxPath(RIA, `/events/${series}`), { body: { id: series, exceptionOccurrences: [] } });
    await expect(calendar.cancelOccurrence('p-ria', series, '2026-12-14T10:00:00.000Z', 'x')).rejects.toThrow(/no occurrence originally at 2026-12-14T10:00:00.000Z/);
  });
});
