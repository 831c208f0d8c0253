/**
 * The id and key formats are stored (rows, list items, calendar app tags, ledger claims):
 * these pin them, so a change that would orphan what is already written fails here first.
 */
import { createHash } from 'node:crypto';
import { ids, ledgerKeys, requestKeys, shortHash } from '../../src/usecases/ids';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('derived ids', () => {
  it('are the prefix and the first 16 (records and replacements: 20) hex digits of SHA-256 of the parts joined with |', () => {
    expect(ids.groupRelationship('sup', ['b', 'a'])).toBe(`rel-group-${sha('sup|a,b').slice(0, 16)}`);
    expect(ids.groupRelationship('sup', ['a', 'b'])).toBe(ids.groupRelationship('sup', ['b', 'a']));
    expect(ids.relationship('sup', 'sam', '2026-09-01')).toBe(`rel-${sha('sup|sam|2026-09-01').slice(0, 16)}`);
    expect(ids.series('k#0')).toBe(`ser-${sha('k#0').slice(0, 16)}`);
    expect(ids.urgentSession('abc:k')).toBe(`urgent-${sha('abc:k').slice(0, 16)}`);
    expect(ids.replacementSession('s1')).toBe(`rb-${sha('s1').slice(0, 20)}`);
    expect(ids.record('s1')).toBe(`rec-${sha('s1').slice(0, 20)}`);
    expect(ids.agreement('r1', '2026-11-20T09:00:00.000+00:00')).toBe(`agr-${sha('r1|2026-11-20T09:00:00.000+00:00').slice(0, 16)}`);
    expect(ids.movedAgreement('ho-1', 'r1')).toBe(`agr-${sha('ho-1|r1').slice(0, 16)}`);
    expect(ids.handover('k', 'r1')).toBe(`ho-${sha('k|r1').slice(0, 16)}`);
    expect(ids.cover('k', 'r1')).toBe(`cov-${sha('k|r1').slice(0, 16)}`);
    expect(shortHash('x')).toBe(sha('x').slice(0, 16));
  });

  it('differ when any part differs, and random ones never repeat', () => {
    expect(ids.handover('k', 'r1')).not.toBe(ids.handover('k', 'r2'));
    expect(ids.cover('k', 'r1')).not.toBe(ids.handover('k', 'r1'));
    expect(ids.random('qa')).toMatch(/^qa-[0-9a-f-]{36}$/);
    expect(ids.random('hold')).not.toBe(ids.random('hold'));
  });
});

describe('request keys', () => {
  it('scope a client key by arrangement and caller, and number the segments of a booking', () => {
    expect(requestKeys.scoped('r1', 'dan', 'k')).toBe(`${sha('r1|dan').slice(0, 16)}:k`);
    expect(requestKeys.scoped('r1', 'dan', 'k')).not.toBe(requestKeys.scoped('r1', 'amy', 'k'));
    expect(requestKeys.segment('k', 2)).toBe('k#2');
    expect(requestKeys.rebook('s1')).toBe('rebook:s1');
  });
});

describe('ledger keys', () => {
  const obligationId = 'record-overdue:rel-1:s-1';

  it('reminders: formatted as the ledger holds them, and read back', () => {
    const key = { obligationId, step: 2, personId: 'sam-patel', bucket: 'w1' };
    expect(ledgerKeys.reminder.format(key)).toBe(`${obligationId}|s2|sam-patel|w1`);
    expect(ledgerKeys.reminder.parse(ledgerKeys.reminder.format(key))).toEqual(key);
    expect(ledgerKeys.reminder.format(key).startsWith(ledgerKeys.reminder.prefixOf(obligationId))).toBe(true);
    expect(ledgerKeys.reminder.parse('nonsense')).toBeUndefined();
    expect(ledgerKeys.reminder.parse(`${obligationId}|2|sam|w1`)).toBeUndefined();
  });

  it('snoozes and digest days: formatted and read back', () => {
    const snooze = { obligationId, personId: 'sam-patel', until: '2026-12-01T09:00:00.000Z' };
    expect(ledgerKeys.snooze.format(snooze)).toBe(`${obligationId}|sam-patel|2026-12-01T09:00:00.000Z`);
    expect(ledgerKeys.snooze.parse(ledgerKeys.snooze.format(snooze))).toEqual(snooze);
    expect(ledgerKeys.snooze.parse(obligationId)).toBeUndefined();
    expect(ledgerKeys.digestDay.format({ personId: 'sam-patel', day: '2026-11-23' })).toBe('sam-patel|2026-11-23');
    expect(ledgerKeys.digestDay.parse('sam-patel|2026-11-23')).toEqual({ personId: 'sam-patel', day: '2026-11-23' });
    expect(ledgerKeys.digestDay.parse('sam-patel')).toBeUndefined();
  });
});
