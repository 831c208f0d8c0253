/**
 * The NotificationInbox port's behaviour, for both implementations: the local
 * directory (graph-inbox-local.behaviour.test.ts) and the Azure Storage queue on
 * Azurite (graph-inbox-azure.behaviour.test.ts).
 *
 * Holds run on real time (Azure's are queue visibility timeouts on the storage
 * service's clock), so the inboxes under test hold for 1 s, and a test that needs
 * a hold to run out polls until the entry comes back: waiting for state, not time.
 */
import type { InboxEntry, NotificationBatch, NotificationInbox } from '../../src/ports/notificationInbox';

export interface InboxUnderTest {
  /** The instance that stores deliveries (its holds last 1 s; maxTakes 3). */
  inbox: NotificationInbox;
  /**
   * What another instance sees: for Azure another process on the same queue; for the
   * local directory the same process after a restart (the only other one it ever has).
   */
  other: () => NotificationInbox;
  close?: () => Promise<void>;
}

const batch = (n: number): NotificationBatch => ({
  value: [{ subscriptionId: `0000000${n}-0000-4000-8000-000000000000`, clientState: 'secret', changeType: 'updated', resource: `Users/u/Events/e${n}`, subscriptionExpirationDateTime: '2026-12-10T00:00:00Z', tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95' }],
});

/** Takes until something comes back (a hold running out), or `withinMs` passes. */
async function takeWhenVisible(inbox: NotificationInbox, withinMs = 20_000): Promise<Awaited<ReturnType<NotificationInbox['take']>>> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const got = await inbox.take(10);
    if (got.entries.length || got.poisoned.length || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function notificationInboxBehaviour(name: string, make: () => Promise<InboxUnderTest>): void {
  describe(`NotificationInbox behaviour: ${name}`, () => {
    let sut: InboxUnderTest;
    beforeEach(async () => {
      sut = await make();
    });
    afterEach(async () => {
      await sut.close?.();
    });

    it('put stores a delivery held by the caller: the body and endpoint come back, attempt 1', async () => {
      const stored = await sut.inbox.put('lifecycle', batch(1));
      expect(stored).toHaveLength(1);
      expect(stored![0]).toMatchObject({ endpoint: 'lifecycle', body: batch(1), attempts: 1 });
    });

    it('done removes it for good: another instance never takes it', async () => {
      const [first] = (await sut.inbox.put('notifications', batch(1)))!;
      await sut.inbox.put('notifications', batch(2)); // stored, never done: comes back
      await sut.inbox.done(first!);
      const other = sut.other();
      const got = await takeWhenVisible(other);
      expect(got.entries.map((e) => e.body)).toEqual([batch(2)]);
      await other.done(got.entries[0]!);
      // Past both holds: nothing is left.
      expect((await other.take(10)).entries).toEqual([]);
      expect((await takeWhenVisible(other, 2500)).entries).toEqual([]);
    });

    it('stored and never processed (the instance died after answering): another instance takes it, attempt 2', async () => {
      const [stored] = (await sut.inbox.put('notifications', batch(3)))!;
      const other = sut.other();
      const got = await takeWhenVisible(other);
      expect(got.entries).toHaveLength(1);
      expect(got.entries[0]).toMatchObject({ id: stored!.id, endpoint: 'notifications', body: batch(3), attempts: 2 });
      await other.done(got.entries[0]!);
    });

    it('taken and not done (a crash mid-processing): visible again once the hold runs out, then done', async () => {
      await sut.inbox.put('notifications', batch(4));
      const other = sut.other();
      const first = await takeWhenVisible(other);
      expect(first.entries).toHaveLength(1);
      // While held, nobody else gets it.
      expect((await other.take(10)).entries).toEqual([]);
      const again = await takeWhenVisible(sut.other());
      expect(again.entries.map((e) => [e.id, e.attempts])).toEqual([[first.entries[0]!.id, 3]]);
      await sut.other().done(again.entries[0]!);
      expect((await takeWhenVisible(sut.other(), 2500)).entries).toEqual([]);
    });

    it('a stale done (the hold ran out and someone else took it) is harmless', async () => {
      const [stored] = (await sut.inbox.put('notifications', batch(5)))!;
      const other = sut.other();
      const got = await takeWhenVisible(other);
      await sut.inbox.done(stored!);
      // Whether the stale receipt removed it or not, the taker finishes it without error.
      await other.done(got.entries[0]!);
      expect((await takeWhenVisible(sut.other(), 2500)).entries).toEqual([]);
    });

    it('taken too often without being done: set aside as poison (by id, endpoint and attempts), never taken again', async () => {
      const [stored] = (await sut.inbox.put('lifecycle', batch(6)))!;
      const seen: number[] = [];
      let poisoned: Awaited<ReturnType<NotificationInbox['take']>>['poisoned'] = [];
      for (let i = 0; i < 5 && poisoned.length === 0; i += 1) {
        const got = await takeWhenVisible(sut.other());
        seen.push(...got.entries.map((e: InboxEntry) => e.attempts));
        poisoned = got.poisoned;
      }
      // Stored (1), then taken at 2 and 3 (maxTakes 3); the next take sets it aside.
      expect(seen).toEqual([2, 3]);
      expect(poisoned).toEqual([{ id: stored!.id, endpoint: 'lifecycle', attempts: 3 }]);
      expect(JSON.stringify(poisoned)).not.toContain('secret');
      expect(await takeWhenVisible(sut.other(), 2500)).toEqual({ entries: [], poisoned: [] });
    });

    it('take honours its limit; the rest wait for the next take', async () => {
      for (let i = 0; i < 3; i += 1) await sut.inbox.put('notifications', batch(i));
      const other = sut.other();
      const taken = new Set<string>();
      const deadline = Date.now() + 20_000;
      while (taken.size < 3 && Date.now() < deadline) {
        const got = await other.take(2);
        expect(got.entries.length).toBeLessThanOrEqual(2);
        for (const e of got.entries) taken.add(e.id);
        if (!got.entries.length) await new Promise((r) => setTimeout(r, 100));
      }
      expect(taken.size).toBe(3);
    });
  });
}
