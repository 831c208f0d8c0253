/**
 * The Timeline port's behaviour (relationship wake-ups), for every engine:
 * SQLite (embedded-timeline.behaviour.test.ts) and Azure Storage on Azurite
 * (azure-timeline.behaviour.test.ts).
 *
 * Times are the real clock: Azure's wake-ups are Queue visibility timeouts,
 * which run on the storage service's clock. Tests that need time to pass wait
 * for the state (poll until the wake-up is due), never for a fixed time.
 */
import type { TakenWakeup, Timeline } from '../../src/ports/timeline';

export interface TimelineUnderTest {
  timeline: Timeline;
  /** Another instance on the same storage (another process). */
  peer: Timeline;
  close?: () => void | Promise<void>;
}

const iso = (ms = 0) => new Date(Date.now() + ms).toISOString();
const ids = (xs: { relationshipId: string }[]) => xs.map((x) => x.relationshipId).sort();
const MIN = 60_000;

/** Takes until something comes (or `withinMs` passes): waiting for state, not for time. */
async function takeWhenDue(t: Timeline, owner: string, leaseMs = MIN, withinMs = 15_000): Promise<TakenWakeup[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const got = await t.take(iso(), owner, leaseMs, 10);
    if (got.length || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function timelineBehaviour(name: string, make: () => Promise<TimelineUnderTest>): void {
  describe(`Timeline behaviour: ${name}`, () => {
    let sut: TimelineUnderTest;
    let timeline: Timeline;
    let peer: Timeline;

    beforeEach(async () => {
      sut = await make();
      timeline = sut.timeline;
      peer = sut.peer;
    });
    afterEach(async () => {
      await sut.close?.();
    });

    it('a woken relationship is taken once, leased: nobody else takes it until it is settled; then it sleeps until its next time', async () => {
      expect(await timeline.take(iso(), 'w1', MIN, 10)).toEqual([]);
      await timeline.wake('r1', iso(), 'changed', iso());
      const [got] = await takeWhenDue(timeline, 'w1');
      expect(got).toMatchObject({ relationshipId: 'r1', reason: 'changed' });
      expect(await peer.take(iso(), 'w2', MIN, 10)).toEqual([]);
      expect(await timeline.take(iso(), 'w1', MIN, 10)).toEqual([]);
      const next = iso(10 * MIN);
      await timeline.settle(got!, 'w1', { at: next, reason: 'due' }, iso());
      expect(await peer.list()).toEqual([{ relationshipId: 'r1', at: next, reason: 'due' }]);
      expect(await peer.take(iso(), 'w2', MIN, 10)).toEqual([]);
    });

    it('wakes no later than asked: a later wake keeps the earlier time, an earlier one brings it forward', async () => {
      const soon = iso(5 * MIN);
      await timeline.wake('r1', soon, 'due', iso());
      await peer.wake('r1', iso(9 * MIN), 'due-later', iso());
      expect(await timeline.list()).toEqual([{ relationshipId: 'r1', at: soon, reason: 'due' }]);
      expect(await timeline.take(iso(), 'w1', MIN, 10)).toEqual([]);
      const now = iso();
      await peer.wake('r1', now, 'changed', now);
      expect(await timeline.list()).toEqual([{ relationshipId: 'r1', at: now, reason: 'changed' }]);
      expect(ids(await takeWhenDue(timeline, 'w1'))).toEqual(['r1']);
    });

    it('a wake-up set for later is not taken before its time, and is taken once it comes', async () => {
      const start = Date.now();
      await timeline.wake('r1', iso(1500), 'due', iso());
      expect(await peer.take(iso(), 'w2', MIN, 10)).toEqual([]);
      const got = await takeWhenDue(peer, 'w2');
      expect(ids(got)).toEqual(['r1']);
      expect(Date.now() - start).toBeGreaterThanOrEqual(1400);
    });

    it('woken again while being handled: settling keeps the new wake-up, so the change is not lost', async () => {
      await timeline.wake('r1', iso(), 'due', iso());
      const [got] = await takeWhenDue(timeline, 'w1');
      // Another instance records a change to r1 while w1 is still judging it.
      await peer.wake('r1', iso(), 'changed', iso());
      await timeline.settle(got!, 'w1', { at: iso(10 * MIN), reason: 'due' }, iso());
      const again = await takeWhenDue(peer, 'w2');
      expect(ids(again)).toEqual(['r1']);
    });

    it('a crashed holder’s wake-up is taken again once its lease runs out, not before', async () => {
      await timeline.wake('r1', iso(), 'changed', iso());
      const [first] = await takeWhenDue(timeline, 'w1', 1500);
      expect(first).toMatchObject({ relationshipId: 'r1' });
      expect(await peer.take(iso(), 'w2', MIN, 10)).toEqual([]);
      const taken = Date.now();
      const again = await takeWhenDue(peer, 'w2');
      expect(ids(again)).toEqual(['r1']);
      expect(Date.now() - taken).toBeGreaterThanOrEqual(1000);
      // The late holder's settle changes nothing: w2 has it now.
      await timeline.settle(first!, 'w1', { at: iso(60 * MIN), reason: 'late' }, iso());
      await peer.settle(again[0]!, 'w2', { at: iso(5 * MIN), reason: 'due' }, iso());
      expect((await timeline.list())[0]).toMatchObject({ relationshipId: 'r1', reason: 'due' });
    });

    it('forgotten relationships are not woken', async () => {
      await timeline.wake('r1', iso(), 'changed', iso());
      await timeline.wake('r2', iso(), 'changed', iso());
      await peer.forget('r1');
      await peer.forget('never-there');
      expect(ids(await takeWhenDue(timeline, 'w1'))).toEqual(['r2']);
      expect(ids(await timeline.list())).toEqual(['r2']);
    });

    it('two instances taking at once share the due wake-ups: each relationship exactly once, limits kept', async () => {
      const all = Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}`);
      for (const r of all) await timeline.wake(r, iso(), 'changed', iso());
      const seen: string[] = [];
      const worker = async (t: Timeline, owner: string) => {
        for (let round = 0; round < 50 && seen.length < all.length; round += 1) {
          const got = await t.take(iso(), owner, MIN, 7);
          expect(got.length).toBeLessThanOrEqual(7);
          seen.push(...got.map((g) => g.relationshipId));
          if (!got.length) await new Promise((r) => setTimeout(r, 50));
        }
      };
      await Promise.all([worker(timeline, 'w1'), worker(peer, 'w2')]);
      expect(seen.sort()).toEqual(all);
    });
  });
}
