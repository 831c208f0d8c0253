/** The metadata checker itself: it must catch the mistakes it exists to catch. */
import { boundTo, checkAction, checkBody, checkResponseFields, hasFunction } from './graphMetadata';

const validEvent = {
  subject: 'Supervision',
  body: { contentType: 'text', content: 'x' },
  start: { dateTime: '2026-11-23T10:00:00', timeZone: 'Europe/London' },
  end: { dateTime: '2026-11-23T11:00:00', timeZone: 'Europe/London' },
  attendees: [{ emailAddress: { address: 'a@example.org' }, type: 'required' }],
  isOnlineMeeting: true,
  onlineMeetingProvider: 'teamsForBusiness',
  showAs: 'busy',
  sensitivity: 'private',
  isReminderOn: true,
  reminderMinutesBeforeStart: 15,
  transactionId: 't-1',
  singleValueExtendedProperties: [{ id: 'String {5b7e2d3c-8f1a-4c69-9d2e-6a4f0b8c1e37} Name X', value: 'v' }],
};

describe('checkBody', () => {
  it('accepts a valid event, including inherited properties (outlookItem.categories, entity.id)', () => {
    expect(checkBody('event', { ...validEvent, categories: ['Blue'], id: 'AAMk' })).toEqual([]);
  });

  it('flags a misspelt property and suggests the right one', () => {
    const v = checkBody('event', { ...validEvent, subjekt: 'Supervision' });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ path: 'subjekt' });
    expect(v[0]!.message).toMatch(/no property 'subjekt' on microsoft\.graph\.event.*did you mean 'subject'/);
  });

  it('flags an enum member that does not exist, with the members that do', () => {
    const v = checkBody('event', { ...validEvent, showAs: 'away' });
    expect(v).toEqual([{ path: 'showAs', message: expect.stringMatching(/"away" is not a member of microsoft\.graph\.freeBusyStatus \(unknown, free, tentative, busy, oof, workingElsewhere\)/) }]);
  });

  it('flags a string where a boolean is expected', () => {
    expect(checkBody('event', { ...validEvent, isOnlineMeeting: 'true' })).toEqual([{ path: 'isOnlineMeeting', message: expect.stringMatching(/expected Edm\.Boolean/) }]);
  });

  it('checks nested complex types and collections recursively', () => {
    const v = checkBody('event', {
      ...validEvent,
      start: { dateTime: 20261123, timeZone: 'Europe/London' },
      attendees: [{ emailAddress: { adress: 'a@example.org' }, type: 'mandatory' }],
      recurrence: { pattern: { type: 'weekly', interval: 1.5, daysOfWeek: ['Monday'] }, range: { type: 'noEnd', startDate: '2026-13-01' } },
    });
    expect(v.map((x) => x.path).sort()).toEqual(
      ['attendees[0].emailAddress.adress', 'attendees[0].type', 'recurrence.pattern.daysOfWeek[0]', 'recurrence.pattern.interval', 'recurrence.range.startDate', 'start.dateTime'].sort(),
    );
  });

  it('flags a non-array for a collection and null for a non-nullable property', () => {
    const v = checkBody('patternedRecurrence', { pattern: { type: 'daily', interval: null, daysOfWeek: 'monday' } });
    expect(v.map((x) => x.path).sort()).toEqual(['pattern.daysOfWeek', 'pattern.interval']);
  });

  it('checks Edm.DateTimeOffset format', () => {
    expect(checkBody('responseStatus', { response: 'accepted', time: '2026-11-23T10:00:00Z' })).toEqual([]);
    expect(checkBody('responseStatus', { response: 'accepted', time: '2026-11-23 10:00' })).toHaveLength(1);
  });

  it('honours @odata.type: a derived type brings its properties, an unrelated one is refused', () => {
    const custom = { '@odata.type': '#microsoft.graph.customTimeZone', name: 'Customized Time Zone', bias: 480 };
    expect(checkBody('timeZoneBase', custom)).toEqual([]);
    expect(checkBody('timeZoneBase', { name: 'x', bias: 480 })).toEqual([{ path: 'bias', message: expect.stringMatching(/no property 'bias' on microsoft\.graph\.timeZoneBase/) }]);
    expect(checkBody('timeZoneBase', { '@odata.type': '#microsoft.graph.event', name: 'x' })[0]!.message).toMatch(/is not microsoft\.graph\.timeZoneBase or derived/);
  });

  it('ignores instance annotations but not misspelt odata keys', () => {
    expect(checkBody('event', { '@odata.etag': 'W/"x"', 'subject@odata.type': '#String', subject: 'x' })).toEqual([]);
    expect(checkBody('event', { 'odata.etag': 'W/"x"' })).toEqual([{ path: 'odata.etag', message: expect.stringMatching(/no property/) }]);
  });
});

describe('checkAction', () => {
  it('knows getSchedule is bound to calendar, not user', () => {
    expect(boundTo('getSchedule')).toEqual(['microsoft.graph.calendar']);
    const body = {
      schedules: ['a@example.org'],
      startTime: { dateTime: '2026-11-23T00:00:00', timeZone: 'UTC' },
      endTime: { dateTime: '2026-11-24T00:00:00', timeZone: 'UTC' },
      availabilityViewInterval: 30,
    };
    expect(checkAction('calendar', 'getSchedule', body)).toEqual([]);
    expect(checkAction('user', 'getSchedule', body)[0]!.message).toMatch(/no action getSchedule bound to microsoft\.graph\.user; it is bound to microsoft\.graph\.calendar/);
  });

  it('flags unknown parameters and wrong parameter types', () => {
    const v = checkAction('calendar', 'getSchedule', { schedule: ['a@example.org'], availabilityViewInterval: '30' });
    expect(v.map((x) => x.path).sort()).toEqual(['availabilityViewInterval', 'schedule']);
    expect(v.find((x) => x.path === 'schedule')!.message).toMatch(/did you mean 'Schedules'/);
  });

  it('checks cancel on event, and that cancel is not an action of calendar', () => {
    expect(checkAction('event', 'cancel', { comment: 'Sorry' })).toEqual([]);
    expect(checkAction('event', 'cancel', { comment: 3 })).toHaveLength(1);
    expect(checkAction('calendar', 'cancel', { comment: 'x' })).toHaveLength(1);
  });

  it('finds bound functions such as delta on a collection of events', () => {
    expect(hasFunction('Collection(event)', 'delta')).toBe(true);
    expect(hasFunction('Collection(calendarGroup)', 'delta')).toBe(false);
  });
});

describe('checkResponseFields', () => {
  it('accepts fields that exist, through collections and navigation properties', () => {
    expect(checkResponseFields('event', ['onlineMeeting.joinUrl', 'attendees.emailAddress.address', 'singleValueExtendedProperties.value', 'start.dateTime'])).toEqual([]);
  });

  it('flags a field that does not exist, and stepping into a primitive', () => {
    const v = checkResponseFields('event', ['onlineMeeting.joinURL', 'subject.length', 'organiser']);
    expect(v.map((x) => x.path)).toEqual(['onlineMeeting.joinURL', 'subject.length', 'organiser']);
    expect(v[0]!.message).toMatch(/did you mean 'joinUrl'/);
  });
});
