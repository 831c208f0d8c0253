import type { NewEvent } from '../../src/ports/calendar';
import { embedded } from '../support/embedded';

const base: NewEvent = {
  organiserId: 'sup', attendeeIds: ['pra'], subject: 'Supervision', start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T11:00:00.000Z',
  timeZone: 'Europe/London', showAs: 'busy', sensitivity: 'private', onlineMeeting: true, reminderMinutes: 15, appTag: 'series-1', transactionId: 'tx-1',
};
const window = { start: '2026-11-01T00:00:00.000Z', end: '2027-06-01T00:00:00.000Z' };

describe('embedded calendar', () => {
  it('shows a created event on the organiser and attendee calendars, with a meeting link and the app tag', async () => {
    const { calendar } = embedded();
    const created = await calendar.createEvent(base);
    expect(created.created).toBe(true);
    expect(created.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    for (const person of ['sup', 'pra']) {
      const events = await calendar.listEvents(person, window);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ id: created.id, type: 'singleInstance', appTag: 'series-1', sensitivity: 'private', showAs: 'busy' });
    }
    expect(await calendar.listEvents('someone-else', window)).toEqual([]);
  });

  it('never duplicates a retried create with the same transaction id', async () => {
    const { calendar } = embedded();
    const a = await calendar.createEvent(base);
    const b = await calendar.createEvent({ ...base, subject: 'retry' });
    expect(b).toEqual({ id: a.id, joinUrl: a.joinUrl, created: false });
    expect(await calendar.listEvents('sup', window)).toHaveLength(1);
  });

  it('expands a series, moves and cancels single occurrences', async () => {
    const { calendar } = embedded();
    const { id } = await calendar.createEvent({ ...base, rrule: 'FREQ=WEEKLY;INTERVAL=4;BYDAY=TU;COUNT=6' });
    let events = await calendar.listEvents('pra', window);
    expect(events.map((e) => e.start)).toEqual([
      '2026-12-01T10:00:00.000Z', '2026-12-29T10:00:00.000Z', '2027-01-26T10:00:00.000Z',
      '2027-02-23T10:00:00.000Z', '2027-03-23T10:00:00.000Z', '2027-04-20T09:00:00.000Z', // still 10:00 London after the clock change
    ]);
    expect(events.every((e) => e.type === 'occurrence' && e.seriesMasterId === id)).toBe(true);

    await calendar.moveOccurrence('sup', id, '2026-12-29T10:00:00.000Z', '2026-12-30T14:00:00.000Z', '2026-12-30T15:00:00.000Z');
    await calendar.cancelOccurrence('sup', id, '2027-01-26T10:00:00.000Z', 'sorry');
    events = await calendar.listEvents('pra', window);
    expect(events.map((e) => [e.start, e.type])).toEqual([
      ['2026-12-01T10:00:00.000Z', 'occurrence'],
      ['2026-12-30T14:00:00.000Z', 'exception'],
      ['2027-02-23T10:00:00.000Z', 'occurrence'],
      ['2027-03-23T10:00:00.000Z', 'occurrence'],
      ['2027-04-20T09:00:00.000Z', 'occurrence'],
    ]);
    expect(events[1]!.originalStart).toBe('2026-12-29T10:00:00.000Z');
  });

  it('only the organiser can change an event', async () => {
    const { calendar } = embedded();
    const { id } = await calendar.createEvent(base);
    await expect(calendar.cancelOccurrence('pra', id, undefined, '')).rejects.toThrow(/not organised by/);
  });

  it('answers free/busy, ignoring free time, cancelled and declined events', async () => {
    const { calendar } = embedded();
    await calendar.createEvent(base);
    await calendar.createEvent({ ...base, transactionId: 'tx-free', showAs: 'free', start: '2026-12-02T10:00:00.000Z', end: '2026-12-02T11:00:00.000Z' });
    const declined = await calendar.createEvent({ ...base, transactionId: 'tx-declined', start: '2026-12-03T10:00:00.000Z', end: '2026-12-03T11:00:00.000Z' });
    const cancelled = await calendar.createEvent({ ...base, transactionId: 'tx-cancelled', start: '2026-12-04T10:00:00.000Z', end: '2026-12-04T11:00:00.000Z' });
    await calendar.respond('pra', declined.id, 'declined');
    await calendar.cancelOccurrence('sup', cancelled.id, undefined, '');
    const schedule = await calendar.getSchedule(['sup', 'pra'], window);
    expect(schedule.get('sup')!.map((b) => b.start)).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-03T10:00:00.000Z']);
    expect(schedule.get('pra')!.map((b) => b.start)).toEqual(['2026-12-01T10:00:00.000Z']);
  });

  it('records changes per person, like a delta feed', async () => {
    const { calendar } = embedded();
    const { id } = await calendar.createEvent({ ...base, rrule: 'FREQ=WEEKLY;COUNT=3' });
    const first = calendar.changesSince('pra', 0);
    expect(first.map((c) => c.change)).toEqual(['created']);
    await calendar.cancelOccurrence('sup', id, '2026-12-08T10:00:00.000Z', '');
    const next = calendar.changesSince('pra', first[0]!.seq);
    expect(next).toEqual([expect.objectContaining({ eventId: id, change: 'updated', personId: 'pra' })]);
  });
});
