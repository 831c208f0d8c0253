/**
 * Issue #20 (people change) against the embedded adapters: handover, cover and
 * its revert, ending an arrangement, directory changes flagged, a crash mid-move.
 */
import { DateTime } from 'luxon';
import { EmbeddedDirectoryChangeFeed } from '../../src/adapters/embedded/directoryChangeFeed';
import { EmbeddedTimeline } from '../../src/adapters/embedded/timeline';
import type { Person } from '../../src/domain/model';
import { peopleNoticeCard } from '../../src/bot/cards/peopleChange';
import { signAgreement } from '../../src/usecases/agreements';
import { bookSeries } from '../../src/usecases/booking';
import { reconcile } from '../../src/usecases/reconcile';
import { deliverRecordForms, recordIdFor } from '../../src/usecases/records';
import { FakeNotifier } from '../support/fakeNotifier';
import { noticeDirectoryChanges, listFlags, setUpArrangement } from '../../src/usecases/directoryChanges';
import { endArrangement, listCovers, readHandoverNotes, requestCover, requestHandover, runCovers } from '../../src/usecases/handover';
import type { PeopleNotice } from '../../src/usecases/transfer';
import { MOVE_KIND, enqueueMove, processMoves } from '../../src/usecases/transfer';
import { testServices } from '../support/services';

const NOW = '2026-11-23T09:00:00.000Z';
const FAR = { start: '2026-11-23T09:00:00.000Z', end: '2028-01-01T00:00:00.000Z' };
const NOTE = 'CASE-DETAIL-MARKER: the family at number 4';

async function ctx() {
  const c = await testServices({ now: NOW });
  const told: { to: string; notice: PeopleNotice }[] = [];
  const tell = async (p: Person, notice: PeopleNotice) => void told.push({ to: p.id, notice });
  const person = async (id: string) => (await c.services.directory.getPerson(id))!;
  return { ...c, told, tell, person };
}

const supervision = <E extends { attendees: { personId: string }[]; subject: string }>(events: E[], who: string) => events.filter((e) => e.subject === 'Supervision' && e.attendees.some((a) => a.personId === who));

describe('handover', () => {
  it('moves Sam from Daniel to Grace: calendars, cadence from the last held session, paperwork, note, three told, audited', async () => {
    const { services, calendar, told, tell, person, store } = await ctx();
    // An open action of Daniel's and a draft record of his, from an earlier session.
    const held = (await store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['held'] })).at(-1)!;
    await store.saveActions([{ id: 'act-1', relationshipId: 'rel-daniel-sam', sessionId: held.id, recordId: 'rec-x', text: 'Chase the strategy meeting', ownerId: 'daniel-okafor', dueOn: '2026-12-10', status: 'open' }]);
    await store.saveRecord({ id: 'rec-draft', sessionId: held.id, relationshipId: 'rel-daniel-sam', templateId: 'westmorland-4x4x4-record', version: 1, status: 'draft', authorId: 'daniel-okafor', values: {}, signatures: [], createdAt: NOW, updatedAt: NOW, etag: '' });
    const danielBefore = supervision(await calendar.listEvents('daniel-okafor', FAR), 'sam-patel');
    expect(danielBefore.length).toBeGreaterThan(5);

    const out = await requestHandover(services, tell, 'w1', await person('priya-shah'), { relationshipIds: ['rel-daniel-sam'], toId: 'grace-whitfield', note: NOTE, requestKey: 'handover-sam-0001' });
    expect(out.handovers[0]).toMatchObject({ outcome: 'moved' });
    expect(out.handovers[0]!.booked).toBeGreaterThan(5);

    expect(supervision(await calendar.listEvents('daniel-okafor', FAR), 'sam-patel').filter((e) => e.subject === 'Supervision')).toHaveLength(0);
    const graces = supervision(await calendar.listEvents('grace-whitfield', FAR), 'sam-patel');
    expect(graces.length).toBe(out.handovers[0]!.booked);
    expect(graces.every((e) => (e as unknown as { organiserId: string }).organiserId === 'grace-whitfield')).toBe(true);
    // Never more than three months from the last held session, nor between sessions.
    const starts = [held.start, ...graces.map((e) => e.start).sort()];
    for (let i = 1; i < starts.length; i++) expect(DateTime.fromISO(starts[i]!) <= DateTime.fromISO(starts[i - 1]!).plus({ months: 3 })).toBe(true);

    const rel = (await store.getRelationship('rel-daniel-sam'))!;
    expect(rel.supervisorId).toBe('grace-whitfield');
    expect((await store.listActions({ relationshipIds: [rel.id] }))[0]).toMatchObject({ ownerId: 'grace-whitfield', status: 'open' });
    expect(await store.getRecord('rec-draft')).toMatchObject({ authorId: 'grace-whitfield', status: 'draft' });
    const [fresh] = await store.listAgreements([rel.id]);
    expect(fresh).toMatchObject({ status: 'draft', signatures: [] });
    // The new pair signs it again.
    await signAgreement(services, await person('grace-whitfield'), rel.id, fresh!.id);
    expect(await signAgreement(services, await person('sam-patel'), rel.id, fresh!.id)).toMatchObject({ status: 'signed' });

    // Note: Grace and the lead only.
    expect((await readHandoverNotes(services, await person('grace-whitfield'), rel.id))[0]!.text).toBe(NOTE);
    expect((await readHandoverNotes(services, await person('priya-shah'), rel.id))[0]!.text).toBe(NOTE);
    for (const id of ['daniel-okafor', 'sam-patel', 'helen-carter']) await expect(readHandoverNotes(services, await person(id), rel.id)).rejects.toMatchObject({ status: 403 });

    expect(told.map((t) => t.to).sort()).toEqual(['daniel-okafor', 'grace-whitfield', 'sam-patel']);
    for (const t of told) expect(JSON.stringify(peopleNoticeCard(t.notice, 'http://x/tab/'))).not.toContain('CASE-DETAIL');
    const audit = JSON.stringify(await store.listAudit({ limit: 500 }));
    expect(audit).toContain('handover-requested');
    expect(audit).toContain('handover-note-read');
    expect(audit).not.toContain('CASE-DETAIL');

    // The same request again changes nothing and tells nobody again.
    const again = await requestHandover(services, tell, 'w1', await person('priya-shah'), { relationshipIds: ['rel-daniel-sam'], toId: 'grace-whitfield', note: NOTE, requestKey: 'handover-sam-0001' });
    expect(again.handovers[0]).toMatchObject({ outcome: 'moved', booked: out.handovers[0]!.booked });
    expect(told).toHaveLength(3);
    expect(supervision(await calendar.listEvents('grace-whitfield', FAR), 'sam-patel')).toHaveLength(graces.length);
  });

  it('a session that just ended (not yet reconciled) stays as held with Daniel; the reconciler then finds nothing to rebook', async () => {
    const { services, tell, person, store, clock } = await ctx();
    const [next] = await store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'] });
    clock.set(new Date(Date.parse(next!.end) + 60_000).toISOString());
    await requestHandover(services, tell, 'w1', await person('helen-carter'), { relationshipIds: ['rel-daniel-sam'], toId: 'grace-whitfield', requestKey: 'handover-after-session-1' });
    expect((await store.listSessions({ relationshipIds: ['rel-daniel-sam'] })).find((s) => s.id === next!.id)).toMatchObject({ status: 'held' });
    const outcomes = await reconcile(services, 'w1');
    expect(outcomes.flatMap((o) => [...o.cancelled, ...o.rebooksQueued])).toEqual([]);
    // Held as the move settled it: its record form was queued then, and the worker alone posts it.
    const notifier = new FakeNotifier();
    expect(await deliverRecordForms(services, { notifier, tabUrl: 'http://localhost:3978/tab/' }, 'w1')).toBe(1);
    expect(await store.getRecord(recordIdFor(next!.id))).toMatchObject({ sessionId: next!.id, status: 'draft' });
    expect(notifier.sent.map((s) => s.summary)).toContain('Your supervision record is ready to write');
  });

  it('only the supervisor, a line manager or a lead may hand over; the new supervisor must be a supervisor', async () => {
    const { services, tell, person } = await ctx();
    for (const id of ['sam-patel', 'grace-whitfield', 'tom-reynolds']) {
      await expect(requestHandover(services, tell, 'w1', await person(id), { relationshipIds: ['rel-daniel-sam'], toId: 'grace-whitfield', requestKey: `nope-${id}-1` })).rejects.toMatchObject({ status: 403 });
    }
    await expect(requestHandover(services, tell, 'w1', await person('helen-carter'), { relationshipIds: ['rel-daniel-sam'], toId: 'tom-reynolds', requestKey: 'nope-tom-01' })).rejects.toMatchObject({ status: 400 });
    expect((await services.store.getRelationship('rel-daniel-sam'))!.supervisorId).toBe('daniel-okafor');
  });

  it('a crash after the sessions are noted but before anything else finishes on retry, once', async () => {
    const { services, calendar, tell, told, store } = await ctx();
    await enqueueMove(services, { moveId: 'm-crash', kind: 'handover', relationshipId: 'rel-daniel-sam', fromId: 'daniel-okafor', toId: 'grace-whitfield', effectiveFrom: NOW, byId: 'priya-shah' }, NOW);
    // Simulate the first attempt dying after step 1: claims written, nothing else.
    const planned = await store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'] });
    for (const s of planned) await store.claim('moved-session', `m-crash:${s.id}`, NOW, { organiserId: 'daniel-okafor', eventId: s.calendarEventId!, occurrenceStart: s.occurrenceStart! });
    await processMoves(services, tell, 'w2');
    await processMoves(services, tell, 'w2');
    expect(await services.work.result(MOVE_KIND, 'm-crash')).toMatchObject({ outcome: 'moved' });
    expect(supervision(await calendar.listEvents('daniel-okafor', FAR), 'sam-patel')).toHaveLength(0);
    expect(told).toHaveLength(3);
  });
});

describe('cover', () => {
  it('a two-month cover books with the cover, then reverts on its end date and both are told', async () => {
    const { services, calendar, tell, told, person, clock } = await ctx();
    const out = await requestCover(services, tell, 'w1', await person('helen-carter'), { relationshipIds: ['rel-daniel-sam'], coverId: 'grace-whitfield', until: '2027-01-25', requestKey: 'cover-sam-0001' });
    expect(out.covers).toHaveLength(1);
    expect((await services.store.getRelationship('rel-daniel-sam'))!.supervisorId).toBe('grace-whitfield');
    const graces = supervision(await calendar.listEvents('grace-whitfield', FAR), 'sam-patel');
    expect(graces.length).toBeGreaterThanOrEqual(1);
    expect(graces.every((e) => e.start < '2027-01-25')).toBe(true);
    expect(supervision(await calendar.listEvents('daniel-okafor', FAR), 'sam-patel')).toHaveLength(0);
    expect(told.filter((t) => t.notice.kind === 'moved' && t.notice.move === 'cover-start').map((t) => t.to).sort()).toEqual(['daniel-okafor', 'grace-whitfield', 'sam-patel']);

    clock.set('2027-01-25T08:00:00.000Z');
    await runCovers(services, tell, 'w1');
    expect((await services.store.getRelationship('rel-daniel-sam'))!.supervisorId).toBe('daniel-okafor');
    const daniels = supervision(await calendar.listEvents('daniel-okafor', FAR), 'sam-patel');
    expect(daniels.length).toBeGreaterThan(5);
    expect(daniels.every((e) => e.start >= '2027-01-25')).toBe(true);
    expect(told.filter((t) => t.notice.kind === 'moved' && t.notice.move === 'cover-end').map((t) => t.to).sort()).toEqual(['daniel-okafor', 'grace-whitfield', 'sam-patel']);
    const [view] = await listCovers(services, await person('priya-shah'));
    expect(view).toMatchObject({ coverName: 'Grace Whitfield', originalName: 'Daniel Okafor', status: 'ended' });
    // Running again does nothing more.
    const before = told.length;
    await runCovers(services, tell, 'w1');
    expect(told).toHaveLength(before);
  });
});

describe('cover when the usual supervisor has left', () => {
  it('does not revert to someone who left: the supervisee stays with the cover', async () => {
    const { services, tell, person, clock, store } = await ctx();
    const feed = new EmbeddedDirectoryChangeFeed(store);
    await noticeDirectoryChanges(services, feed, tell);
    await requestCover(services, tell, 'w1', await person('helen-carter'), { relationshipIds: ['rel-daniel-sam'], coverId: 'grace-whitfield', until: '2027-01-25', requestKey: 'cover-leaver-01' });
    store.setLeft('daniel-okafor', '2026-12-01');
    await noticeDirectoryChanges(services, feed, tell);
    clock.set('2027-01-25T08:00:00.000Z');
    await runCovers(services, tell, 'w1');
    expect(await store.getRelationship('rel-daniel-sam')).toMatchObject({ supervisorId: 'grace-whitfield' });
    expect((await listCovers(services, await person('priya-shah')))[0]).toMatchObject({ status: 'ended' });
    expect((await store.listAudit({ subjectId: 'rel-daniel-sam' })).map((a) => a.action)).toContain('cover-ended-without-revert');
  });
});

describe('ending an arrangement', () => {
  it('keeps records and history, stops it, takes future sessions out of the calendar', async () => {
    const { services, calendar, tell, person, store } = await ctx();
    const records = await store.listRecords({ relationshipIds: ['rel-daniel-sam'] });
    const out = await endArrangement(services, tell, await person('daniel-okafor'), 'rel-daniel-sam', 'Sam moved to another authority');
    expect(out.cancelled).toBeGreaterThan(5);
    expect((await store.getRelationship('rel-daniel-sam'))!.active).toBe(false);
    expect(await store.listRecords({ relationshipIds: ['rel-daniel-sam'] })).toEqual(records);
    expect(supervision(await calendar.listEvents('daniel-okafor', FAR), 'sam-patel')).toHaveLength(0);
    expect((await store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['held'] })).length).toBe(3);
    await expect(endArrangement(services, tell, await person('tom-reynolds'), 'rel-grace-tom', 'x')).rejects.toMatchObject({ status: 403 });
  });
});

describe('ending an accidental group arrangement', () => {
  it('ends the group only: its sessions leave the calendar, the members keep their own arrangements', async () => {
    const { services, calendar, tell, person, store } = await ctx();
    const booked = await bookSeries(services, await person('daniel-okafor'), { superviseeIds: ['amira-hussain', 'joe-bennett'], requestKey: 'group-by-mistake-1' });
    const group = (await store.getRelationship(booked.relationshipId))!;
    expect(group.kind).toBe('group');
    expect(supervision(await calendar.listEvents('daniel-okafor', FAR), 'joe-bennett').length + (await calendar.listEvents('daniel-okafor', FAR)).filter((e) => e.subject === 'Group supervision').length).toBeGreaterThan(0);
    const out = await endArrangement(services, tell, await person('daniel-okafor'), group.id, 'Booked as a group by mistake');
    expect(out.cancelled).toBe(booked.sessions.length);
    expect((await calendar.listEvents('daniel-okafor', FAR)).filter((e) => e.subject === 'Group supervision')).toHaveLength(0);
    expect(await store.getRelationship('rel-daniel-amira')).toMatchObject({ active: true });
    expect(await store.getRelationship('rel-daniel-joe')).toMatchObject({ active: true });
    // The reason stays in the app, never in the audit trail.
    expect(JSON.stringify(await store.listAudit({ subjectId: group.id }))).not.toContain('by mistake');
  });
});

describe('directory changes wake the arrangements they touch (#16)', () => {
  it("a leaver's arrangements are woken now, not at their next due date; others sleep on", async () => {
    const { services: base, tell, store, clock, db } = await ctx();
    const timeline = new EmbeddedTimeline(db);
    const services = { ...base, timeline };
    const feed = new EmbeddedDirectoryChangeFeed(store);
    await noticeDirectoryChanges(services, feed, tell);
    // Everyone asleep until far ahead, as after a quiet week.
    const later = '2026-12-20T09:00:00.000Z';
    for (const w of await timeline.list()) await timeline.forget(w.relationshipId);
    for (const rel of await store.listRelationships({ activeOnly: true })) await timeline.wake(rel.id, later, 'due', NOW);
    clock.set('2026-11-24T09:00:00.000Z');
    store.setLeft('tom-reynolds', '2026-11-24');
    await noticeDirectoryChanges(services, feed, tell);
    const now = clock.now().toISOString();
    const woken = (await timeline.list()).filter((w) => w.at <= now).map((w) => w.relationshipId);
    const toms = (await store.listRelationships({ personId: 'tom-reynolds', activeOnly: true })).map((r) => r.id);
    expect(toms.length).toBeGreaterThan(0);
    expect(woken.sort()).toEqual(toms.sort());
  });
});

describe('directory changes', () => {
  it('a leaver flags their arrangements and asks their line manager; a new starter gets an agreement due in the first week', async () => {
    const { services, tell, told, person, store } = await ctx();
    const feed = new EmbeddedDirectoryChangeFeed(store);
    expect((await noticeDirectoryChanges(services, feed, tell)).changes).toBe(0); // baseline
    store.setLeft('daniel-okafor', '2026-11-23');
    store.upsertPerson({ id: 'nina-new', displayName: 'Nina New', email: 'nina@x.example', aadObjectId: '5a1e0c1e-0009-4a00-8000-000000000009', jobTitle: 'Social Worker', team: 'CFS', roles: ['practitioner'], lineManagerId: 'helen-carter', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-11-23' });
    const run = await noticeDirectoryChanges(services, feed, tell);
    expect(run).toMatchObject({ changes: 2, failed: 0 });
    expect((await noticeDirectoryChanges(services, feed, tell)).changes).toBe(0);

    const helens = await listFlags(services, await person('helen-carter'));
    const leaver = helens.find((f) => f.kind === 'leaver-supervisor')!;
    expect(leaver).toMatchObject({ open: true, asked: true, personId: 'daniel-okafor' });
    expect(leaver.relationshipIds.sort()).toEqual(['rel-daniel-amira', 'rel-daniel-joe', 'rel-daniel-sam']);
    const starter = helens.find((f) => f.kind === 'new-starter')!;
    expect(starter).toMatchObject({ open: true, personId: 'nina-new', agreementDueOn: '2026-11-30' });
    expect(told.filter((t) => t.to === 'helen-carter')).toHaveLength(2);
    // Nothing moved by itself.
    expect((await store.getRelationship('rel-daniel-sam'))!).toMatchObject({ supervisorId: 'daniel-okafor', active: true });

    // Helen acts: sets up Nina's supervision; the flag settles.
    await setUpArrangement(services, await person('helen-carter'), { superviseeId: 'nina-new', supervisorId: 'grace-whitfield' });
    expect((await listFlags(services, await person('helen-carter'))).find((f) => f.kind === 'new-starter')!.open).toBe(false);
    expect((await listFlags(services, await person('nina-new'))).map((f) => f.kind)).toEqual(['new-starter']);
  });
});
