/**
 * RRULE ⇄ Graph patternedRecurrence (src/adapters/graph/recurrenceMapping.ts).
 * Shapes follow api-reference/v1.0/resources/recurrencepattern.md and
 * recurrencerange.md; every produced value is checked against the v1.0 CSDL,
 * and round trips are checked by expanding both rules with the app's own
 * expander (src/domain/time/recurrence.ts).
 */
import fc from 'fast-check';
import { patternedRecurrenceToRrule, rruleToPatternedRecurrence, UnsupportedRecurrenceError, type PatternedRecurrence } from '../../src/adapters/graph/recurrenceMapping';
import { occurrencesBetween } from '../../src/domain/time/recurrence';
import { fixture } from '../support/fakeGraph';
import { checkBody } from './graphMetadata';

const LONDON = 'Europe/London';
// Tuesday 2 June 2026, 10:00 in London (BST).
const FIRST = '2026-06-02T09:00:00.000Z';

function toGraph(rule: string, first = FIRST, zone = LONDON): PatternedRecurrence {
  const rec = rruleToPatternedRecurrence(rule, first, zone);
  expect(checkBody('patternedRecurrence', rec)).toEqual([]);
  return rec;
}

describe('RRULE → patternedRecurrence', () => {
  it('weekly with an interval: firstDayOfWeek is RFC 5545\'s Monday, range starts on the local date', () => {
    expect(toGraph('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU')).toEqual({
      pattern: { type: 'weekly', interval: 2, daysOfWeek: ['tuesday'], firstDayOfWeek: 'monday' },
      range: { type: 'noEnd', startDate: '2026-06-02', recurrenceTimeZone: LONDON },
    });
  });

  it('weekly without BYDAY takes the day of the first start, in the event zone', () => {
    // 23:30 UTC on Monday is 00:30 Tuesday in London.
    expect(toGraph('FREQ=WEEKLY', '2026-06-01T23:30:00.000Z').pattern.daysOfWeek).toEqual(['tuesday']);
    expect(toGraph('FREQ=WEEKLY', '2026-06-01T23:30:00.000Z').range.startDate).toBe('2026-06-02');
  });

  it('weekdays as a daily rule become weekly on those days', () => {
    expect(toGraph('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR').pattern).toEqual({
      type: 'weekly',
      interval: 1,
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      firstDayOfWeek: 'monday',
    });
    expect(toGraph('FREQ=DAILY;INTERVAL=3').pattern).toEqual({ type: 'daily', interval: 3 });
  });

  it('monthly by position: BYDAY=+2WE and BYDAY=WE;BYSETPOS=2 are relativeMonthly, second Wednesday', () => {
    const expected = { type: 'relativeMonthly', interval: 1, daysOfWeek: ['wednesday'], index: 'second' };
    expect(toGraph('FREQ=MONTHLY;BYDAY=+2WE').pattern).toEqual(expected);
    expect(toGraph('FREQ=MONTHLY;BYDAY=2WE').pattern).toEqual(expected);
    expect(toGraph('FREQ=MONTHLY;BYDAY=WE;BYSETPOS=2').pattern).toEqual(expected);
    expect(toGraph('FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR').pattern).toEqual({ type: 'relativeMonthly', interval: 2, daysOfWeek: ['friday'], index: 'last' });
  });

  it('monthly by day of month is absoluteMonthly (from BYMONTHDAY or the first start)', () => {
    expect(toGraph('FREQ=MONTHLY;BYMONTHDAY=15').pattern).toEqual({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 });
    expect(toGraph('FREQ=MONTHLY').pattern).toEqual({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 2 });
  });

  it('yearly, absolute and relative', () => {
    expect(toGraph('FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=1').pattern).toEqual({ type: 'absoluteYearly', interval: 1, month: 9, dayOfMonth: 1 });
    expect(toGraph('FREQ=YEARLY;BYMONTH=9;BYDAY=+1MO').pattern).toEqual({ type: 'relativeYearly', interval: 1, month: 9, daysOfWeek: ['monday'], index: 'first' });
  });

  it('COUNT is numbered, no end is noEnd', () => {
    expect(toGraph('FREQ=WEEKLY;BYDAY=TU;COUNT=6').range).toEqual({ type: 'numbered', startDate: '2026-06-02', numberOfOccurrences: 6, recurrenceTimeZone: LONDON });
  });

  it('UNTIL becomes the last local date an occurrence can start on', () => {
    // Occurrences start at 10:00 London time.
    expect(toGraph('FREQ=WEEKLY;BYDAY=TU;UNTIL=20261208T235959Z').range.endDate).toBe('2026-12-08');
    expect(toGraph('FREQ=WEEKLY;BYDAY=TU;UNTIL=20261208T100000Z').range.endDate).toBe('2026-12-08');
    expect(toGraph('FREQ=WEEKLY;BYDAY=TU;UNTIL=20261208T095959Z').range.endDate).toBe('2026-12-07');
    expect(toGraph('FREQ=WEEKLY;BYDAY=TU;UNTIL=20261208').range.endDate).toBe('2026-12-07');
  });

  it('a zone Graph does not list by its IANA name is sent under its Windows name', () => {
    expect(toGraph('FREQ=WEEKLY;BYDAY=TU', FIRST, 'Europe/Dublin').range.recurrenceTimeZone).toBe('GMT Standard Time');
  });

  it.each([
    ['FREQ=HOURLY', /FREQ must be/],
    ['FREQ=MONTHLY;BYDAY=+5MO', /first to fourth and last/],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', /BYMONTHDAY/],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', /BYMONTHDAY/],
    ['FREQ=WEEKLY;BYHOUR=9', /BYHOUR has no Graph equivalent/],
    ['FREQ=WEEKLY;BYDAY=+1MO', /positions only apply/],
    ['FREQ=MONTHLY;BYDAY=MO,TU', /relative rule needs/],
    ['FREQ=WEEKLY;COUNT=3;UNTIL=20261201', /COUNT and UNTIL/],
    ['FREQ=DAILY;INTERVAL=2;BYDAY=MO', /INTERVAL=1/],
  ])('refuses %s rather than book something else', (rule, why) => {
    expect(() => rruleToPatternedRecurrence(rule, FIRST, LONDON)).toThrow(UnsupportedRecurrenceError);
    expect(() => rruleToPatternedRecurrence(rule, FIRST, LONDON)).toThrow(why);
  });
});

describe('patternedRecurrence → RRULE', () => {
  it('reads the recurrence Graph returns for a created series (fixture event-created-series.json)', () => {
    const created = fixture<{ recurrence: PatternedRecurrence }>('event-created-series');
    expect(patternedRecurrenceToRrule(created.recurrence)).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=12;WKST=MO');
  });

  it('writes relative patterns in the app\'s ordinal form', () => {
    expect(patternedRecurrenceToRrule({ pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['wednesday'], index: 'second' }, range: { type: 'noEnd', startDate: '2026-06-10' } })).toBe(
      'FREQ=MONTHLY;INTERVAL=1;BYDAY=+2WE',
    );
    expect(patternedRecurrenceToRrule({ pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 }, range: { type: 'endDate', startDate: '2026-06-15', endDate: '2026-12-15' } })).toBe(
      'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15;UNTIL=20261215T235959Z',
    );
  });
});

describe('round trips expand to the same occurrences', () => {
  const expand = (rule: string) => occurrencesBetween(rule, FIRST, LONDON, '2026-06-01T00:00:00Z', '2028-06-01T00:00:00Z');
  const roundTrip = (rule: string) => patternedRecurrenceToRrule(rruleToPatternedRecurrence(rule, FIRST, LONDON));

  it.each([
    'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
    'FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,FR;COUNT=10',
    'FREQ=WEEKLY;BYDAY=TU;UNTIL=20261208T095959Z',
    'FREQ=WEEKLY;BYDAY=TU;UNTIL=20261208',
    'FREQ=MONTHLY;BYDAY=+1TU',
    'FREQ=MONTHLY;BYDAY=-1TU;COUNT=5',
    'FREQ=MONTHLY;BYMONTHDAY=2;INTERVAL=2',
    'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=30',
    'FREQ=YEARLY;BYMONTH=6;BYDAY=+1TU',
  ])('%s', (rule) => {
    expect(expand(roundTrip(rule))).toEqual(expand(rule));
  });

  it('for any weekly rule with an interval, days and an optional count', () => {
    const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.subarray(days, { minLength: 1 }), fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }), (interval, byDay, count) => {
        // The first start must itself be an occurrence for Graph and RRULE to agree: put Tuesday in.
        const chosen = byDay.includes('TU') ? byDay : ['TU', ...byDay];
        const rule = `FREQ=WEEKLY;INTERVAL=${interval};BYDAY=${chosen.join(',')}${count ? `;COUNT=${count}` : ''}`;
        expect(expand(roundTrip(rule))).toEqual(expand(rule));
      }),
      { numRuns: 40 },
    );
  });
});
