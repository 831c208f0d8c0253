/** Local dates are read in the policy's zone: the same instant can be a different day in another pack's zone. */
import { FALLBACK_ZONE, localDate, startOfLocalDate, startOfNextLocalDay, zoneOf } from '../../src/domain/time/zones';

describe('zones', () => {
  it("takes the pack's zone, and the fallback only when there is no pack", () => {
    expect(zoneOf({ timeZone: 'Pacific/Auckland' })).toBe('Pacific/Auckland');
    expect(zoneOf(undefined)).toBe(FALLBACK_ZONE);
  });

  it('reads the local date of an instant in the given zone', () => {
    const lateEvening = '2026-11-23T23:30:00.000Z';
    expect(localDate(lateEvening, 'Europe/London')).toBe('2026-11-23');
    expect(localDate(lateEvening, 'Pacific/Auckland')).toBe('2026-11-24');
    expect(localDate(new Date(lateEvening), 'America/New_York')).toBe('2026-11-23');
    expect(localDate(Date.parse('2026-07-01T23:30:00.000Z'), 'Europe/London')).toBe('2026-07-02');
  });

  it('starts local days at local midnight, across clock changes', () => {
    expect(startOfLocalDate('2026-07-01', 'Europe/London')).toBe('2026-06-30T23:00:00.000Z');
    expect(startOfLocalDate('2026-12-01', 'Europe/London')).toBe('2026-12-01T00:00:00.000Z');
    // The night the clocks go back in London (25 October 2026): the next day still starts at local midnight.
    expect(new Date(startOfNextLocalDay('2026-10-25T12:00:00.000Z', 'Europe/London')).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(new Date(startOfNextLocalDay('2026-10-24T12:00:00.000Z', 'Europe/London')).toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });
});
