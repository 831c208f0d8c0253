/**
 * The WorkQueue's behaviour, as the embedded queue (src/adapters/embedded/workQueue.ts)
 * defines it, for any adapter: run against the embedded queue
 * (embedded-workqueue.behaviour.test.ts) and the SharePoint queue over the fake
 * Graph (sharepoint-workqueue.contract.test.ts), so the two are proven to behave
 * the same.
 *
 * Each test gets a fresh, empty queue and a peer: a second instance on the same
 * storage, as another process of the app would have.
 */
import type { WorkItem, WorkQueue } from '../../src/ports/workQueue';

export interface WorkQueueUnderTest {
  work: WorkQueue;
  /** Another instance on the same storage (another process). */
  peer: WorkQueue;
  close?: () => void | Promise<void>;
}

const T0 = '2026-12-01T09:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const MIN = 60_000;
const keys = (items: WorkItem[]) => items.map((i) => i.key);

export function workQueueBehaviour(name: string, makeQueue: () => Promise<WorkQueueUnderTest>): void {
  describe(`WorkQueue behaviour: ${name}`, () => {
    let sut: WorkQueueUnderTest;
    let work: WorkQueue;
    let peer: WorkQueue;

    beforeEach(async () => {
      sut = await makeQueue();
      work = sut.work;
      peer = sut.peer;
    });
    afterEach(async () => {
      await sut.close?.();
    });

    it('enqueues once per kind and key (exactly, case included); the first payload stays', async () => {
      expect(await work.enqueue('rebook', 's-1', { n: 1 }, T0)).toBe(true);
      expect(await work.enqueue('rebook', 's-1', { n: 2 }, at(1))).toBe(false);
      expect(await peer.enqueue('rebook', 's-1', { n: 3 }, at(2))).toBe(false);
      expect(await work.enqueue('digest', 's-1', { n: 4 }, T0)).toBe(true);
      expect(await work.enqueue('rebook', 'S-1', { n: 5 }, T0)).toBe(true);
      const items = await work.lease('rebook', 'w1', at(MIN), MIN, 10);
      expect(items.map((i) => [i.key, i.payload])).toEqual([
        ['s-1', { n: 1 }],
        ['S-1', { n: 5 }],
      ]);
    });

    it('leases due items of the kind only, oldest first, up to the limit; leased ones are not leased again', async () => {
      await work.enqueue('rebook', 'a', { session: 'a' }, T0);
      await work.enqueue('rebook', 'b', { session: 'b' }, at(1 * MIN));
      await work.enqueue('rebook', 'later', {}, at(10 * MIN));
      await work.enqueue('digest', 'd', {}, T0);
      // Enqueued with an availability in the future: not due yet.
      const first = await work.lease('rebook', 'w1', at(5 * MIN), 5 * MIN, 1);
      expect(first).toEqual([{ id: expect.any(String), kind: 'rebook', key: 'a', payload: { session: 'a' }, attempts: 1, createdAt: T0 }]);
      expect(keys(await work.lease('rebook', 'w1', at(5 * MIN), 5 * MIN, 10))).toEqual(['b']);
      // Both are leased now, by w1: nobody gets them while the lease runs.
      expect(await peer.lease('rebook', 'w2', at(6 * MIN), 5 * MIN, 10)).toEqual([]);
      expect(await work.lease('rebook', 'w1', at(6 * MIN), 5 * MIN, 10)).toEqual([]);
      expect(await work.lease('rebook', 'w1', at(5 * MIN), 5 * MIN, 0)).toEqual([]);
      expect(keys(await peer.lease('digest', 'w2', at(6 * MIN), 5 * MIN, 10))).toEqual(['d']);
      expect(await work.lease('nothing-of-this-kind', 'w1', at(6 * MIN), 5 * MIN, 10)).toEqual([]);
    });

    it('takes an expired lease again (a crashed worker), counting the attempt; not before it expires', async () => {
      await work.enqueue('rebook', 'a', {}, T0);
      const [mine] = await work.lease('rebook', 'w1', T0, MIN, 10);
      expect(mine!.attempts).toBe(1);
      expect(await peer.lease('rebook', 'w2', at(30_000), MIN, 10)).toEqual([]);
      // Until is exclusive of the instant it names.
      expect(await peer.lease('rebook', 'w2', at(MIN), MIN, 10)).toEqual([]);
      const [again] = await peer.lease('rebook', 'w2', at(MIN + 1), MIN, 10);
      expect(again).toMatchObject({ id: mine!.id, key: 'a', attempts: 2 });
    });

    it('complete: the item is done, never leased again, and result() returns what it produced', async () => {
      await work.enqueue('rebook', 'a', { session: 'a' }, T0);
      await work.enqueue('rebook', 'b', {}, T0);
      expect(await work.result('rebook', 'a')).toBeUndefined();
      const [a] = await work.lease('rebook', 'w1', T0, MIN, 1);
      expect(await work.result('rebook', 'a')).toBeUndefined();
      await work.complete(a!.id, 'w1', { alternatives: [{ start: at(MIN) }], offered: true }, at(1000));
      expect(await work.result('rebook', 'a')).toEqual({ alternatives: [{ start: at(MIN) }], offered: true });
      expect(await peer.result('rebook', 'a')).toEqual({ alternatives: [{ start: at(MIN) }], offered: true });
      expect(await work.result('digest', 'a')).toBeUndefined();
      expect(await work.result('rebook', 'A')).toBeUndefined();
      // Long after any lease would have run out, only b is left.
      expect(keys(await peer.lease('rebook', 'w2', at(60 * MIN), MIN, 10))).toEqual(['b']);
      // And it is still only once per key.
      expect(await work.enqueue('rebook', 'a', {}, at(61 * MIN))).toBe(false);
    });

    it('complete and retry by a worker whose lease was taken over do nothing', async () => {
      await work.enqueue('rebook', 'a', {}, T0);
      const [stale] = await work.lease('rebook', 'w1', T0, MIN, 10);
      const [fresh] = await peer.lease('rebook', 'w2', at(2 * MIN), MIN, 10);
      expect(fresh).toMatchObject({ id: stale!.id, attempts: 2 });
      await work.complete(stale!.id, 'w1', { by: 'w1' }, at(2 * MIN + 1));
      await work.retry(stale!.id, 'w1', 'late', at(2 * MIN + 2));
      expect(await work.result('rebook', 'a')).toBeUndefined();
      // Still w2's: not available to anyone else while its lease runs.
      expect(await work.lease('rebook', 'w3', at(2 * MIN + 3), MIN, 10)).toEqual([]);
      await peer.complete(fresh!.id, 'w2', { by: 'w2' }, at(2 * MIN + 4));
      expect(await work.result('rebook', 'a')).toEqual({ by: 'w2' });
    });

    it('retry gives the item back from a later time, counting attempts on', async () => {
      await work.enqueue('digest', 'p|2026-12-01', { personId: 'p' }, T0);
      const [first] = await work.lease('digest', 'w1', T0, 5 * MIN, 10);
      await work.retry(first!.id, 'w1', 'Teams said 502', at(10 * MIN));
      // Not before the time it was given back for, whoever asks.
      expect(await work.lease('digest', 'w1', at(MIN), 5 * MIN, 10)).toEqual([]);
      expect(await peer.lease('digest', 'w2', at(10 * MIN - 1), 5 * MIN, 10)).toEqual([]);
      const [second] = await peer.lease('digest', 'w2', at(10 * MIN), 5 * MIN, 10);
      expect(second).toMatchObject({ id: first!.id, key: 'p|2026-12-01', payload: { personId: 'p' }, attempts: 2, createdAt: T0 });
      await peer.complete(second!.id, 'w2', { delivered: true }, at(10 * MIN + 1));
      expect(await work.result('digest', 'p|2026-12-01')).toEqual({ delivered: true });
    });

    it('two workers leasing at once never get the same item', async () => {
      for (const k of ['a', 'b', 'c', 'd']) await work.enqueue('rebook', k, {}, T0);
      const [one, two] = await Promise.all([work.lease('rebook', 'w1', at(1), MIN, 10), peer.lease('rebook', 'w2', at(1), MIN, 10)]);
      const all = [...keys(one!), ...keys(two!)].sort();
      expect(all).toEqual(['a', 'b', 'c', 'd']);
    });

    it('a lease per key: of two owners competing, exactly one wins; the holder may renew it', async () => {
      const results = await Promise.all([work.acquireLease('reconcile:r1', 'A', T0, MIN), peer.acquireLease('reconcile:r1', 'B', T0, MIN)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const [winner, loser] = results[0] ? [{ q: work, o: 'A' }, { q: peer, o: 'B' }] : [{ q: peer, o: 'B' }, { q: work, o: 'A' }];
      expect(await loser!.q.acquireLease('reconcile:r1', loser!.o, at(1000), MIN)).toBe(false);
      // Renewing pushes the expiry on.
      expect(await winner!.q.acquireLease('reconcile:r1', winner!.o, at(50_000), MIN)).toBe(true);
      expect(await loser!.q.acquireLease('reconcile:r1', loser!.o, at(MIN + 1000), MIN)).toBe(false);
      // Other keys are free.
      expect(await loser!.q.acquireLease('reconcile:r2', loser!.o, at(1000), MIN)).toBe(true);
      expect(await winner!.q.acquireLease('reconcile:r2', winner!.o, at(1000), MIN)).toBe(false);
    });

    it('a released lease can be taken by another owner; releasing someone else’s does nothing', async () => {
      expect(await work.acquireLease('record-card:s1', 'A', T0, MIN)).toBe(true);
      await peer.releaseLease('record-card:s1', 'B');
      expect(await peer.acquireLease('record-card:s1', 'B', at(1000), MIN)).toBe(false);
      await work.releaseLease('record-card:s1', 'A');
      expect(await peer.acquireLease('record-card:s1', 'B', at(2000), MIN)).toBe(true);
      expect(await work.acquireLease('record-card:s1', 'A', at(3000), MIN)).toBe(false);
      // Releasing what is not held (or not there at all) is harmless.
      await work.releaseLease('record-card:s1', 'A');
      await work.releaseLease('never-leased', 'A');
      expect(await work.acquireLease('record-card:s1', 'A', at(4000), MIN)).toBe(false);
      await peer.releaseLease('record-card:s1', 'B');
      expect(await work.acquireLease('record-card:s1', 'A', at(5000), MIN)).toBe(true);
    });

    it('an expired lease can be taken by another owner, and is then theirs', async () => {
      expect(await work.acquireLease('reconcile:r1', 'A', T0, MIN)).toBe(true);
      expect(await peer.acquireLease('reconcile:r1', 'B', at(MIN - 1), MIN)).toBe(false);
      expect(await peer.acquireLease('reconcile:r1', 'B', at(MIN + 1), MIN)).toBe(true);
      expect(await work.acquireLease('reconcile:r1', 'A', at(MIN + 2), MIN)).toBe(false);
      // A's late release leaves B's lease alone.
      await work.releaseLease('reconcile:r1', 'A');
      expect(await work.acquireLease('reconcile:r1', 'A', at(MIN + 3), MIN)).toBe(false);
    });
  });
}
