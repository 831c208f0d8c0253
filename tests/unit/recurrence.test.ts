import { occurrencesBetween, ruleProblem } from '../../src/domain/time/recurrence';

describe('recurrence in Europe/London', () => {
  it('keeps the wall-clock time across the clock changes', () => {
    // Weekly on Tuesdays at 10:00 local, through the end of BST (25 Oct 2026) and the start (28 Mar 2027).
    const starts = occurrencesBetween('FREQ=WEEKLY;BYDAY=TU', '2026-10-20T09:00:00.000Z', 'Europe/London', '2026-10-01T00:00:00Z', '2027-04-10T00:00:00Z');
    expect(starts[0]).toBe('2026-10-20T09:00:00.000Z'); // 10:00 BST
    expect(starts[1]).toBe('2026-10-27T10:00:00.000Z'); // 10:00 GMT
    expect(starts).toContain('2027-03-23T10:00:00.000Z'); // 10:00 GMT
    expect(starts).toContain('2027-03-30T09:00:00.000Z'); // 10:00 BST again
  });

  it('expands relative monthly rules (second Wednesday)', () => {
    const starts = occurrencesBetween('FREQ=MONTHLY;BYDAY=+2WE', '2026-12-09T14:00:00.000Z', 'Europe/London', '2026-12-01T00:00:00Z', '2027-04-30T00:00:00Z');
    expect(starts).toEqual([
      '2026-12-09T14:00:00.000Z',
      '2027-01-13T14:00:00.000Z',
      '2027-02-10T14:00:00.000Z',
      '2027-03-10T14:00:00.000Z',
      '2027-04-14T13:00:00.000Z', // 14:00 BST
    ]);
  });

  it('returns only occurrences starting inside the window', () => {
    const starts = occurrencesBetween('FREQ=DAILY', '2026-11-23T09:00:00.000Z', 'Europe/London', '2026-11-24T09:00:00.000Z', '2026-11-26T09:00:00.000Z');
    expect(starts).toEqual(['2026-11-24T09:00:00.000Z', '2026-11-25T09:00:00.000Z']);
  });

  it('does not depend on the process time zone', () => {
    const run = () => occurrencesBetween('FREQ=WEEKLY;INTERVAL=16;BYDAY=TU', '2026-12-01T14:00:00.000Z', 'Europe/London', '2026-11-01T00:00:00Z', '2028-01-01T00:00:00Z');
    const original = process.env.TZ;
    const results: string[][] = [];
    try {
      for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham']) {
        process.env.TZ = tz; // Node re-reads TZ when it changes
        results.push(run());
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
    expect(results[0]).toEqual(['2026-12-01T14:00:00.000Z', '2027-03-23T14:00:00.000Z', '2027-07-13T13:00:00.000Z', '2027-11-02T14:00:00.000Z']);
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('reports bad rules', () => {
    expect(ruleProblem('FREQ=WEEKLY;BYDAY=TU')).toBeUndefined();
    expect(ruleProblem('BYDAY=TU')).toBe('RRULE needs FREQ');
    expect(ruleProblem('FREQ=SOMETIMES')).toMatch(/^Invalid frequency/);
  });
});
