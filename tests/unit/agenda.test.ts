/**
 * The shared agenda's pure rules (src/domain/agenda.ts): what a session's
 * agenda holds and what carries forward; the agreement check on a session's
 * day; the rule never to move a session close to its start and the proposal
 * deadline (src/domain/moves.ts); and finding a meeting's thread.
 */
import { type AgendaItem, agreementOnDay, buildAgenda, standingTickId } from '../../src/domain/agenda';
import type { ActionItem, Agreement } from '../../src/domain/model';
import { aSession } from '../support/builders';
import { answerBy, earliestMoveStart, moveRefusal } from '../../src/domain/moves';
import { PolicyPack } from '../../src/domain/policy/schema';
import { joinUrlIsFor, meetingThreadId } from '../../src/usecases/agenda';
import { loadPolicies } from '../../src/config/policies';
import path from 'node:path';

const S1 = aSession({ id: 's1', relationshipId: 'r1', start: '2026-11-03T10:00:00.000Z', status: 'held' });
const S2 = aSession({ id: 's2', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z' });
const S3 = aSession({ id: 's3', relationshipId: 'r1', start: '2027-01-05T10:00:00.000Z' });
const sessions = [S1, S2, S3];
const item = (id: string, sessionId: string, o: Partial<AgendaItem> = {}): AgendaItem => ({ id, relationshipId: 'r1', sessionId, kind: 'added', text: `topic ${id}`, addedBy: 'sam', addedAt: '2026-11-01T09:00:00.000Z', ...o });
const action = (id: string, sessionId: string, status: ActionItem['status'] = 'open'): ActionItem => ({ id, relationshipId: 'r1', sessionId, recordId: 'rec', text: `action ${id}`, ownerId: 'sam', dueOn: '2026-11-20', status });
const settings = { standingItems: [{ id: 'wellbeing', title: 'Wellbeing' }], source: 'test' };
const NOW = '2026-11-20T12:00:00.000Z';

describe('buildAgenda', () => {
  it('holds standing items, topics not reached last time, open actions, then items added to this session', () => {
    const items = [item('a', 's1'), item('b', 's1', { discussedInSessionId: 's1', discussedAt: NOW, discussedBy: 'dan' }), item('c', 's2', { addedBy: 'dan' }), item('d', 's3')];
    const lines = buildAgenda({ session: S2, sessions, items, actions: [action('x', 's1'), action('y', 's1', 'done'), action('z', 's2')], settings, now: NOW });
    expect(lines.map((l) => [l.kind, l.id])).toEqual([
      ['standing', 'standing:wellbeing'],
      ['carried-topic', 'a'],
      ['open-action', 'action:x'],
      ['added', 'c'],
    ]);
  });

  it('a topic carries forward until it is discussed, then shows ticked only where it was discussed', () => {
    const open = [item('a', 's1'), item('c', 's2')];
    // Once s2 is over, both its own unreached topic and the older one are on s3's agenda.
    expect(buildAgenda({ session: S3, sessions, items: open, actions: [], settings: undefined, now: '2027-01-01T00:00:00.000Z' }).map((l) => l.id)).toEqual(['a', 'c']);
    // Before s2 has happened, its items are not "not reached last time" yet.
    expect(buildAgenda({ session: S3, sessions, items: open, actions: [], settings: undefined, now: NOW }).map((l) => l.id)).toEqual(['a']);
    const discussedInS2 = [item('a', 's1', { discussedInSessionId: 's2', discussedAt: NOW, discussedBy: 'sam' })];
    expect(buildAgenda({ session: S2, sessions, items: discussedInS2, actions: [], settings: undefined, now: NOW })).toEqual([expect.objectContaining({ id: 'a', kind: 'carried-topic', discussed: true })]);
    expect(buildAgenda({ session: S3, sessions, items: discussedInS2, actions: [], settings: undefined, now: '2026-12-02T00:00:00.000Z' })).toEqual([]);
  });

  it("a cancelled session's topics carry forward at once; a standing tick belongs to its own session", () => {
    const cancelled = { ...S2, status: 'cancelled' as const };
    const lines = buildAgenda({ session: S3, sessions: [S1, cancelled, S3], items: [item('c', 's2'), item(standingTickId('s2', 'wellbeing'), 's2', { kind: 'standing', standingId: 'wellbeing', text: '', discussedInSessionId: 's2' })], actions: [], settings, now: NOW });
    expect(lines).toEqual([expect.objectContaining({ id: 'standing:wellbeing', discussed: false }), expect.objectContaining({ id: 'c', kind: 'carried-topic' })]);
  });
});

describe('agreementOnDay', () => {
  const agreement = (o: Partial<Agreement>): Agreement => ({ id: 'ag', relationshipId: 'r1', templateId: 't', values: {}, frequency: 'P1M', durationMinutes: 60, venue: '', type: 'individual', reviewOn: '2027-01-01', status: 'signed', signatures: [{ personId: 'sam', role: 'supervisee', at: '2026-01-10T10:00:00.000Z' }], createdAt: '2026-01-10T10:00:00.000Z', ...o });
  const rules = { reviewEvery: 'P1Y', timeZone: 'Europe/London' };
  it('is in date until its review day, out of date after; missing or unsigned says so', () => {
    expect(agreementOnDay([agreement({})], '2026-12-31', rules)).toEqual({ finding: 'in-date', reviewOn: '2027-01-01' });
    expect(agreementOnDay([agreement({ reviewOn: '2026-06-01' })], '2026-12-01', rules)).toEqual({ finding: 'review-overdue', reviewOn: '2026-06-01' });
    expect(agreementOnDay([], '2026-12-01', rules).finding).toBe('missing');
    expect(agreementOnDay([agreement({ status: 'draft' })], '2026-12-01', rules).finding).toBe('awaiting-signature');
  });
});

describe('moves', () => {
  const packs = loadPolicies(path.join(__dirname, '..', '..', 'policies'));
  const base = packs.get('westmorland-furness-scp')!;
  const pack = PolicyPack.parse({ ...base, rebooking: { ...base.rebooking, moves: { mode: 'propose', answerWithin: 'P2D', noMoveWithin: 'PT24H', source: 'test' } } });
  it('never moves a session within the limit of its start, and says why in plain words', () => {
    expect(moveRefusal(pack, '2026-12-02T12:00:00.000Z', '2026-12-01T12:00:00.000Z')).toBeUndefined();
    expect(moveRefusal(pack, '2026-12-02T12:00:00.000Z', '2026-12-01T12:00:01.000Z')).toBe(`This session starts in less than 24 hours, and ${pack.name} never moves a supervision session that close to its start, so it stays as it is.`);
    expect(moveRefusal(base, '2026-12-01T12:00:01.000Z', '2026-12-01T12:00:00.000Z')).toBeUndefined();
    expect(earliestMoveStart(pack, '2026-12-01T12:00:00.000Z')).toBe('2026-12-02T12:00:00.000Z');
  });
  it('a proposal is answered within answerWithin, but no later than the limit before the held time', () => {
    expect(answerBy(pack, '2026-12-01T12:00:00.000Z', '2026-12-10T10:00:00.000Z')).toBe('2026-12-03T12:00:00.000Z');
    expect(answerBy(pack, '2026-12-01T12:00:00.000Z', '2026-12-03T10:00:00.000Z')).toBe('2026-12-02T10:00:00.000Z');
  });
  it('propose mode without answerWithin is refused, naming the field', () => {
    const r = PolicyPack.safeParse({ ...base, rebooking: { ...base.rebooking, moves: { mode: 'propose', source: 'test' } } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('rebooking.moves.answerWithin');
  });
});

describe('the meeting a side panel is in', () => {
  const thread = '19:meeting_NDk4YjQ0@thread.v2';
  it('reads the thread from the chat id, or from the base64 meeting id', () => {
    expect(meetingThreadId({ chatId: thread })).toBe(thread);
    expect(meetingThreadId({ meetingId: Buffer.from(`0#${thread}#0`).toString('base64') })).toBe(thread);
    expect(meetingThreadId({ chatId: '19:abc@thread.v2' })).toBeUndefined();
    expect(meetingThreadId({})).toBeUndefined();
  });
  it("matches a join URL carrying the thread, percent-encoded as Teams writes it, and no other", () => {
    expect(joinUrlIsFor(`https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0?context=%7b%7d`, thread)).toBe(true);
    expect(joinUrlIsFor(`https://teams.microsoft.com/l/meetup-join/${encodeURIComponent('19:meeting_NDk4YjQ0X@thread.v2')}/0`, thread)).toBe(false);
  });
});
