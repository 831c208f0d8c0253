/**
 * What pruning durable work means, for any engine that can delete (SQLite,
 * Azure Tables): run by embedded-pruning.behaviour.test.ts and
 * azure-pruning.behaviour.test.ts. Only what is old goes, only of the kind
 * asked; pending work and live leases never go; once something is pruned its
 * key is free again (which is why the retention table keeps each kind past
 * the period in which it could come back).
 */
import type { LedgerPruning, WorkPruning } from '../../src/ports/ledger';
import type { ClaimLedger } from '../../src/ports/store';
import type { WorkQueue } from '../../src/ports/workQueue';

export interface PruningUnderTest {
  ledger: ClaimLedger;
  pruning: LedgerPruning;
  work: WorkQueue;
  workPruning: WorkPruning;
  close?: () => void | Promise<void>;
}

const day = (d: number, hour = 9) => `2026-11-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

export function pruningBehaviour(name: string, make: () => Promise<PruningUnderTest>): void {
  describe(`pruning durable work: ${name}`, () => {
    let t: PruningUnderTest;
    beforeEach(async () => {
      t = await make();
    });
    afterEach(async () => {
      await t.close?.();
    });

    it('claims: only the kind asked, only before the instant; the key in force stays however old; a pruned key can be claimed again', async () => {
      await t.ledger.claim('policy-set', 'fp-a', day(1));
      await t.ledger.claim('policy-set', 'fp-b', day(3));
      await t.ledger.claim('policy-set', 'fp-c', day(5));
      await t.ledger.claim('pre-session-card', 's1|p', day(1));
      expect(await t.pruning.pruneClaims('policy-set', day(20), 'fp-b')).toBe(2);
      expect((await t.ledger.listClaims('policy-set')).map((c) => c.key)).toEqual(['fp-b']);
      expect(await t.ledger.listClaims('pre-session-card')).toHaveLength(1);
      // Without an exception, everything before the instant goes.
      expect(await t.pruning.pruneClaims('policy-set', day(20))).toBe(1);
      expect(await t.ledger.claim('policy-set', 'fp-a', day(21))).toBe(true);
      expect(await t.pruning.pruneClaims('policy-set', day(20), 'fp-a')).toBe(0);
    });

    it('done work: only done items of the kind enqueued before the instant go; pending ones and other kinds stay; a pruned key can be enqueued again', async () => {
      for (const [key, at] of [['p|2026-11-01', day(1)], ['p|2026-11-02', day(2)], ['p|2026-11-09', day(9)]] as const) {
        expect(await t.work.enqueue('digest', key, { key }, at)).toBe(true);
        const [item] = await t.work.lease('digest', 'w', at, 60_000, 1);
        await t.work.complete(item!.id, 'w', { delivered: true }, at);
      }
      // Old but never done (an unreachable person's digest still being retried): never pruned.
      await t.work.enqueue('digest', 'q|2026-11-01', {}, day(1));
      await t.work.enqueue('rebook', 'session-1', {}, day(1));
      const [rebook] = await t.work.lease('rebook', 'w', day(1), 60_000, 1);
      await t.work.complete(rebook!.id, 'w', { alternatives: [] }, day(1));

      expect(await t.workPruning.pruneDoneWork('digest', day(5))).toBe(2);
      expect(await t.work.result('digest', 'p|2026-11-01')).toBeUndefined();
      expect(await t.work.result('digest', 'p|2026-11-09')).toEqual({ delivered: true });
      expect(await t.work.result('rebook', 'session-1')).toEqual({ alternatives: [] });
      expect((await t.work.lease('digest', 'w', day(10), 60_000, 10)).map((i) => i.key)).toEqual(['q|2026-11-01']);
      // Inside its retention a done key is still "once"; past it, the key is free.
      expect(await t.work.enqueue('digest', 'p|2026-11-09', {}, day(10))).toBe(false);
      expect(await t.work.enqueue('digest', 'p|2026-11-01', {}, day(10))).toBe(true);
      expect(await t.workPruning.pruneDoneWork('digest', day(5))).toBe(0);
    });

    it('done work: more than a hundred at once (one batch per hundred on Tables)', async () => {
      for (let i = 0; i < 130; i += 1) {
        await t.work.enqueue('record-messages', `r${i}|e`, {}, day(1));
      }
      for (let left = 130; left > 0; left -= 50) {
        for (const item of await t.work.lease('record-messages', 'w', day(1), 60_000, 50)) await t.work.complete(item.id, 'w', {}, day(1));
      }
      expect(await t.workPruning.pruneDoneWork('record-messages', day(2))).toBe(130);
      expect(await t.work.result('record-messages', 'r0|e')).toBeUndefined();
    });

    it('leases: run-out ones go, live ones stay; a pruned lease is free to take', async () => {
      expect(await t.work.acquireLease('reconcile:rel-1', 'w1', day(1), 60_000)).toBe(true);
      expect(await t.work.acquireLease('job:daily', 'w1', day(9), 24 * 3_600_000)).toBe(true);
      expect(await t.workPruning.pruneExpiredLeases(day(9))).toBe(1);
      // The live one is still held: nobody else gets it.
      expect(await t.work.acquireLease('job:daily', 'w2', day(9, 12), 60_000)).toBe(false);
      expect(await t.work.acquireLease('reconcile:rel-1', 'w2', day(9, 12), 60_000)).toBe(true);
      expect(await t.workPruning.pruneExpiredLeases(day(9))).toBe(0);
    });

    it('leases: a released one may be pruned or already gone, and is free to take either way', async () => {
      expect(await t.work.acquireLease('record-card:s1', 'w1', day(1), 60_000)).toBe(true);
      await t.work.releaseLease('record-card:s1', 'w1');
      await t.workPruning.pruneExpiredLeases(day(9));
      expect(await t.work.acquireLease('record-card:s1', 'w2', day(9), 60_000)).toBe(true);
      expect(await t.work.acquireLease('record-card:s1', 'w1', day(9), 60_000)).toBe(false);
      expect(await t.workPruning.pruneExpiredLeases(day(9))).toBe(0);
    });
  });
}
