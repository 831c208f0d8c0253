/**
 * Cards show dates in the zone of the pack each message concerns, never the
 * server's or a default: the same instant reads differently for a pack in
 * New York or Kolkata, a digest mixing packs shows each item in its own pack's
 * zone, and a plain date (a due date) is never moved a day.
 */
import { renderMessage } from '../../src/bot/messages';
import { dayTime, dayWithYear, localDay, shortDay, slotWords } from '../../src/bot/cards/dates';
import type { DigestItem, Message } from '../../src/ports/messages';

const TAB = 'http://localhost:3978/tab/';
// 20:00 UTC on 1 December: 20:00 in London, 15:00 in New York, 01:30 on 2 December in Kolkata.
const SLOT = { start: '2026-12-01T20:00:00.000Z', end: '2026-12-01T21:00:00.000Z' };
const text = (m: Message) => JSON.stringify(renderMessage(m).card);

describe('the card date module', () => {
  it('reads instants in the zone given and plain dates as they are', () => {
    expect(slotWords(SLOT.start, SLOT.end, 'Europe/London')).toBe('Tue 1 Dec, 20:00–21:00');
    expect(slotWords(SLOT.start, SLOT.end, 'America/New_York')).toBe('Tue 1 Dec, 15:00–16:00');
    expect(slotWords(SLOT.start, SLOT.end, 'Asia/Kolkata')).toBe('Wed 2 Dec, 01:30–02:30');
    expect(shortDay(SLOT.start, 'Asia/Kolkata')).toBe('Wed 2 Dec');
    expect(dayTime(SLOT.start, 'America/New_York')).toBe('Tue 1 Dec, 15:00');
    expect(localDay(SLOT.start, 'Asia/Kolkata')).toBe('2026-12-02');
    expect(dayWithYear('2027-01-11', 'America/New_York')).toBe('Mon 11 Jan 2027');
    expect(dayWithYear('2027-01-11', 'Asia/Kolkata')).toBe('Mon 11 Jan 2027');
  });
  it('names both days of a span over several days (a rebooking window)', () => {
    expect(slotWords('2026-12-01T09:00:00Z', '2026-12-08T17:00:00Z', 'Europe/London')).toBe('Tue 1 Dec, 09:00 – Tue 8 Dec, 17:00');
  });
});

describe('messages in another zone', () => {
  it('a rebooked session, a move, a pre-session card and a record summary show the pack’s local time', () => {
    const z = 'America/New_York';
    expect(text({ kind: 'rebooked', view: { sessionId: 's', relationshipId: 'r', withNames: ['A'], original: SLOT, booked: SLOT, alternatives: [SLOT], why: 'cancelled', tabUrl: TAB, timeZone: z } })).toContain('Tue 1 Dec, 15:00–16:00');
    expect(text({ kind: 'pre-session', agendaUrl: TAB, notice: { sessionId: 's', start: SLOT.start, end: SLOT.end, withNames: ['A'], timeZone: z } })).toContain('Tue 1 Dec, 15:00–16:00');
    const booked = text({ kind: 'move-notice', tabUrl: TAB, notice: { kind: 'booked', how: 'no-answer', withNames: ['A'], booked: SLOT, answerBy: SLOT.start, replacementId: 'x', timeZone: 'Asia/Kolkata' } });
    expect(booked).toContain('Nobody answered by Wed 2 Dec, 01:30');
    expect(booked).toContain('Wed 2 Dec, 01:30–02:30');
    expect(text({ kind: 'record-signed-copy', sessionStart: SLOT.start, tabUrl: TAB, timeZone: 'Asia/Kolkata' })).toContain('Wed 2 Dec 2026');
    const moved = text({ kind: 'people-notice', tabUrl: TAB, notice: { kind: 'moved', move: 'cover-start', role: 'new-supervisor', fromName: 'F', toName: 'T', superviseeNames: ['S'], byName: 'B', booked: 1, firstSession: SLOT, until: '2027-03-04', noteWaiting: false, timeZone: z } });
    expect(moved).toContain('Tue 1 Dec, 15:00–16:00');
    expect(moved).toContain('Thu 4 Mar 2027');
  });

  it('a digest mixing packs shows each item in its own pack’s zone', () => {
    const item = (id: string, timeZone: string): DigestItem => ({ obligationId: id, kind: 'record-due', role: 'owe', title: `Item ${id}`, explanation: 'x', dueAt: SLOT.start, state: 'upcoming', timeZone });
    const card = text({ kind: 'digest', firstName: 'Sam', tabUrl: TAB, items: [item('london', 'Europe/London'), item('kolkata', 'Asia/Kolkata')] });
    expect(card).toContain('**Item london** · Upcoming · Tue 1 Dec');
    expect(card).toContain('**Item kolkata** · Upcoming · Wed 2 Dec');
  });
});
