/**
 * Working days: bank holidays from date-holidays for the three UK divisions,
 * working-day arithmetic across Easter and the clock changes of 2026–2028, and
 * the memoising PolicyCalendar agreeing with the plain functions.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addDays,
  addWorkingDays,
  bankHolidayName,
  bankHolidays,
  closeOfBusiness,
  isWorkingDay,
  localDate,
  nextWorkingDay,
  PolicyCalendar,
  type CalendarPolicy,
  wallClockInstant,
  workingDayDeadline,
  workingDaysBetween,
} from '../../src/domain/time/workingDays';

const ENGLAND: CalendarPolicy = {
  timeZone: 'Europe/London',
  holidayRegion: 'england-and-wales',
  workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', source: 'test' },
};
const SCOTLAND: CalendarPolicy = { ...ENGLAND, holidayRegion: 'scotland' };

describe('bank holidays (date-holidays)', () => {
  it.each([
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2027-03-26', 'Good Friday'],
    ['2027-03-29', 'Easter Monday'],
    ['2028-04-14', 'Good Friday'],
    ['2028-04-17', 'Easter Monday'],
    ['2026-12-28', 'Boxing Day (substitute day)'],
    ['2027-12-27', 'Christmas Day (substitute day)'],
    ['2027-12-28', 'Boxing Day (substitute day)'],
    ['2027-05-03', 'Early May bank holiday'],
    ['2028-08-28', 'Summer bank holiday'],
  ])('England and Wales: %s is %s', (date, name) => {
    expect(bankHolidayName(date, 'england-and-wales')).toBe(name);
  });

  it('counts only public holidays, not observances (Easter Sunday, Mothering Sunday)', () => {
    expect(bankHolidayName('2027-03-28', 'england-and-wales')).toBeUndefined();
    expect(bankHolidayName('2027-03-07', 'england-and-wales')).toBeUndefined();
    expect([...bankHolidays('england-and-wales', 2027).keys()]).toHaveLength(10);
  });

  it('knows the divisions apart', () => {
    // Scotland: 2 January and St Andrew's Day, no Easter Monday, an earlier summer holiday.
    expect(bankHolidayName('2027-01-04', 'scotland')).toMatch(/January 2nd/);
    expect(bankHolidayName('2027-11-30', 'scotland')).toMatch(/Andrew/);
    expect(bankHolidayName('2027-03-29', 'scotland')).toBeUndefined();
    expect(bankHolidayName('2027-08-02', 'scotland')).toMatch(/Summer/);
    expect(bankHolidayName('2027-08-30', 'scotland')).toBeUndefined();
    // Northern Ireland: St Patrick's Day and the Twelfth.
    expect(bankHolidayName('2027-03-17', 'northern-ireland')).toMatch(/Patrick/);
    expect(bankHolidayName('2027-07-12', 'northern-ireland')).toMatch(/Boyne/);
    expect(bankHolidayName('2027-03-17', 'england-and-wales')).toBeUndefined();
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2027-03-25', true], // Maundy Thursday
    ['2027-03-26', false], // Good Friday
    ['2027-03-27', false], // Saturday
    ['2027-03-29', false], // Easter Monday
    ['2027-03-30', true],
    ['2028-04-14', false],
    ['2028-04-18', true],
  ])('%s → %s', (date, expected) => {
    expect(isWorkingDay(date, ENGLAND)).toBe(expected);
  });

  it('reads an instant as its date in the policy zone', () => {
    // 23:30 UTC on Sunday 28 March 2027 is 00:30 BST on Easter Monday.
    expect(isWorkingDay('2027-03-28T23:30:00Z', ENGLAND)).toBe(false);
    // 23:30 UTC on Monday 1 November 2027 is still Monday in London (GMT).
    expect(isWorkingDay('2027-11-01T23:30:00Z', ENGLAND)).toBe(true);
  });

  it('uses the region and the working week of the policy', () => {
    expect(isWorkingDay('2027-03-29', SCOTLAND)).toBe(true);
    const partTime: CalendarPolicy = { ...ENGLAND, workingHours: { ...ENGLAND.workingHours, days: ['tue', 'wed'] } };
    expect(isWorkingDay('2027-03-30', partTime)).toBe(true);
    expect(isWorkingDay('2027-04-01', partTime)).toBe(false);
  });
});

describe('working-day arithmetic', () => {
  it('adds working days over Easter 2027 and the clock change, keeping the wall-clock time', () => {
    // Thursday 25 March 10:00 GMT + 1 working day: Good Friday, the weekend (clocks go forward) and Easter Monday are skipped.
    expect(addWorkingDays('2027-03-25T10:00:00Z', 1, ENGLAND)).toBe('2027-03-30T09:00:00.000Z');
    expect(addWorkingDays('2027-03-30T09:00:00Z', -1, ENGLAND)).toBe('2027-03-25T10:00:00.000Z');
    expect(addWorkingDays('2027-03-25T10:00:00Z', 0, ENGLAND)).toBe('2027-03-25T10:00:00.000Z');
    // Easter 2028: Thursday 13 April → Tuesday 18 April.
    expect(addWorkingDays('2028-04-13T13:00:00Z', 1, ENGLAND)).toBe('2028-04-18T13:00:00.000Z');
  });

  it('counts working days between dates', () => {
    expect(workingDaysBetween('2027-03-22', '2027-03-24', ENGLAND)).toBe(2);
    expect(workingDaysBetween('2027-03-25', '2027-03-30', ENGLAND)).toBe(1);
    expect(workingDaysBetween('2027-03-30', '2027-03-25', ENGLAND)).toBe(-1);
    expect(workingDaysBetween('2027-12-24', '2027-12-29', ENGLAND)).toBe(1);
  });

  it.each([
    // [session end, working days, deadline]: close of business (17:00 local) on the n-th working day after.
    ['2027-03-25T11:30:00Z', 2, '2027-03-31T16:00:00.000Z'], // Easter 2027 and the spring clock change
    ['2028-04-13T11:00:00Z', 2, '2028-04-19T16:00:00.000Z'], // Easter 2028
    ['2026-10-23T14:00:00Z', 1, '2026-10-26T17:00:00.000Z'], // Friday before the autumn change → Monday in GMT
    ['2027-10-29T14:00:00Z', 2, '2027-11-02T17:00:00.000Z'],
    ['2028-03-24T14:00:00Z', 1, '2028-03-27T16:00:00.000Z'],
    ['2027-12-23T15:00:00Z', 2, '2027-12-29T17:00:00.000Z'], // Christmas and Boxing Day substitutes
    ['2027-03-27T10:00:00Z', 0, '2027-03-30T16:00:00.000Z'], // n = 0 on a Saturday: next working day
  ])('record deadline after %s + %d working days = %s', (end, n, expected) => {
    expect(workingDayDeadline(end, n, ENGLAND)).toBe(expected);
  });

  it('puts close of business on the right side of each 2026–2028 clock change', () => {
    // Last Sundays of March and October, 2026–2028: the Friday before and Monday after differ by an hour in UTC.
    const changes = ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31', '2028-03-26', '2028-10-29'];
    changes.forEach((sunday, i) => {
      const before = closeOfBusiness(addDays(sunday, -2), ENGLAND).slice(11, 16);
      const after = closeOfBusiness(addDays(sunday, 1), ENGLAND).slice(11, 16);
      const spring = i % 2 === 0;
      expect([before, after]).toEqual(spring ? ['17:00', '16:00'] : ['16:00', '17:00']);
      expect(DateTime.fromISO(sunday).weekday).toBe(7);
      expect(DateTime.fromISO(addDays(sunday, 7)).month).not.toBe(DateTime.fromISO(sunday).month);
    });
  });

  it('nextWorkingDay skips holidays and weekends', () => {
    expect(nextWorkingDay('2027-12-24', ENGLAND)).toBe('2027-12-29');
    expect(nextWorkingDay('2027-12-29', ENGLAND, true)).toBe('2027-12-29');
  });
});

const instantArb = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / 60_000, max: Date.parse('2028-12-31T00:00:00Z') / 60_000 }).map((m) => new Date(m * 60_000).toISOString());

describe('properties', () => {
  it('n working days later is a working day, n working days away, at the same local time', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 30 }), (instant, n) => {
        const later = addWorkingDays(instant, n, ENGLAND);
        expect(isWorkingDay(later, ENGLAND)).toBe(true);
        expect(workingDaysBetween(instant, later, ENGLAND)).toBe(n);
        const a = DateTime.fromISO(instant, { zone: 'Europe/London' });
        const b = DateTime.fromISO(later, { zone: 'Europe/London' });
        // The same wall-clock time unless it does not exist that day (01:xx on a spring-forward Sunday is never a working day).
        expect(b.toFormat('HH:mm')).toBe(a.toFormat('HH:mm'));
      }),
      { numRuns: 300 },
    );
  });

  it('the memoising PolicyCalendar gives the same answers as the plain functions', () => {
    const cal = new PolicyCalendar(ENGLAND);
    fc.assert(
      fc.property(instantArb, fc.constantFrom('P1M', 'P3M', 'P12W', 'P2W', 'P3D', 'PT24H', 'P12M'), fc.integer({ min: 0, max: 5 }), (instant, iso, n) => {
        const ms = Date.parse(instant);
        expect(cal.dateOf(ms)).toBe(localDate(instant, 'Europe/London'));
        expect(cal.dateOf(ms)).toBe(cal.dateOf(ms)); // memo hit
        expect(cal.plus(ms, iso)).toBe(DateTime.fromMillis(ms, { zone: 'Europe/London' }).plus({ ...durationObject(iso) }).toMillis());
        expect(new Date(cal.workingDayDeadline(ms, n)).toISOString()).toBe(workingDayDeadline(instant, n, ENGLAND));
      }),
      { numRuns: 300 },
    );
  });

  it('wall-clock instants round-trip through the zone on every day of 2026–2028', () => {
    for (let d = '2026-01-01'; d <= '2028-12-31'; d = addDays(d, 1)) {
      const at = wallClockInstant(d, '10:00', 'Europe/London');
      expect(DateTime.fromISO(at, { zone: 'Europe/London' }).toFormat('yyyy-MM-dd HH:mm')).toBe(`${d} 10:00`);
    }
  });
});

function durationObject(iso: string) {
  const m = /^P(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(\d+)H)?$/.exec(iso)!;
  return { months: Number(m[1] ?? 0), weeks: Number(m[2] ?? 0), days: Number(m[3] ?? 0), hours: Number(m[4] ?? 0) };
}
