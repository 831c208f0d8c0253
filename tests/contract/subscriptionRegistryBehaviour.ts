/**
 * The SubscriptionRegistry's behaviour, as the embedded registry
 * (src/adapters/embedded/subscriptionRegistry.ts) defines it, for any adapter:
 * run against the embedded registry (embedded-subscription-registry.behaviour.test.ts)
 * and the SharePoint one over the fake Graph
 * (sharepoint-subscription-registry.contract.test.ts), so the two are proven
 * to behave the same.
 *
 * Each test gets a fresh, empty registry and a peer: a second instance on the
 * same storage, as another process of the app (the webhook on one instance,
 * the change feed on another) would have.
 */
import type { SubscriptionRecord, SubscriptionRegistry } from '../../src/ports/subscriptions';

export interface SubscriptionRegistryUnderTest {
  registry: SubscriptionRegistry;
  /** Another instance on the same storage (another process). */
  peer: SubscriptionRegistry;
  close?: () => void | Promise<void>;
}

const T0 = '2026-12-01T09:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const MIN = 60_000;
const RIA = '11111111-1111-4111-8111-111111111111';
const SAM = '22222222-2222-4222-8222-222222222222';

const sub = (id: string, personId: string, overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord => ({
  id,
  personId,
  resource: `/users/${personId}/events`,
  clientStateHash: 'a'.repeat(64),
  expiresAt: '2026-12-04T07:00:00.000Z',
  status: 'active',
  createdAt: T0,
  updatedAt: T0,
  ...overrides,
});

export function subscriptionRegistryBehaviour(name: string, makeRegistry: () => Promise<SubscriptionRegistryUnderTest>): void {
  describe(`SubscriptionRegistry behaviour: ${name}`, () => {
    let sut: SubscriptionRegistryUnderTest;
    let registry: SubscriptionRegistry;
    let peer: SubscriptionRegistry;

    beforeEach(async () => {
      sut = await makeRegistry();
      registry = sut.registry;
      peer = sut.peer;
    });
    afterEach(async () => {
      await sut.close?.();
    });

    describe('subscriptions', () => {
      it('is empty to begin with', async () => {
        expect(await registry.list()).toEqual([]);
        expect(await registry.get('7f105c7d-2dc5-4530-97cd-4e7ae6534c07')).toBeUndefined();
      });

      it('keeps a subscription exactly as saved, and another instance reads it', async () => {
        const r = sub('7f105c7d-2dc5-4530-97cd-4e7ae6534c07', RIA, { clientStateHash: 'b'.repeat(64), expiresAt: '2026-12-04T07:30:00.123Z', status: 'renew', updatedAt: at(1) });
        await registry.save(r);
        expect(await registry.get(r.id)).toEqual(r);
        expect(await peer.get(r.id)).toEqual(r);
        expect(await peer.list()).toEqual([r]);
      });

      it('lists by person, then by creation time', async () => {
        await registry.save(sub('s-3', SAM, { createdAt: at(1) }));
        await registry.save(sub('s-2', RIA, { createdAt: at(2 * MIN) }));
        await peer.save(sub('s-1', RIA, { createdAt: at(MIN) }));
        await registry.save(sub('s-0', 'p-abe', { createdAt: at(3 * MIN) }));
        expect((await registry.list()).map((r) => r.id)).toEqual(['s-1', 's-2', 's-3', 's-0']);
      });

      it('saving again updates the subscription and keeps its creation time', async () => {
        const r = sub('s-1', RIA);
        await registry.save(r);
        const renewed = { ...r, expiresAt: '2026-12-07T07:00:00.000Z', status: 'active' as const, updatedAt: at(MIN), createdAt: at(MIN) };
        await peer.save(renewed);
        expect(await registry.get('s-1')).toEqual({ ...renewed, createdAt: T0 });
        expect(await registry.list()).toHaveLength(1);
      });

      it('sets the status (and when), and says when there is no such subscription', async () => {
        await registry.save(sub('s-1', RIA));
        expect(await peer.setStatus('s-1', 'renew', at(MIN))).toBe(true);
        expect(await registry.get('s-1')).toEqual(sub('s-1', RIA, { status: 'renew', updatedAt: at(MIN) }));
        expect(await registry.setStatus('s-1', 'removed', at(2 * MIN))).toBe(true);
        expect((await peer.get('s-1'))?.status).toBe('removed');
        expect(await registry.setStatus('no-such', 'renew', at(MIN))).toBe(false);
      });

      it('removes: gone for get, list and setStatus; removing again or an unknown id is harmless; saving again brings it back', async () => {
        await registry.save(sub('s-1', RIA));
        await registry.save(sub('s-2', SAM));
        await peer.remove('s-1');
        expect(await registry.get('s-1')).toBeUndefined();
        expect((await registry.list()).map((r) => r.id)).toEqual(['s-2']);
        expect(await registry.setStatus('s-1', 'renew', at(MIN))).toBe(false);
        await registry.remove('s-1');
        await registry.remove('no-such');
        const again = sub('s-1', RIA, { createdAt: at(5 * MIN), updatedAt: at(5 * MIN), expiresAt: '2026-12-08T00:00:00.000Z' });
        await registry.save(again);
        expect(await peer.get('s-1')).toEqual(again);
        expect((await peer.list()).map((r) => r.id)).toEqual(['s-1', 's-2']);
      });

      it('ids are exact: case matters', async () => {
        await registry.save(sub('abc-1', RIA));
        await registry.save(sub('ABC-1', SAM));
        expect((await registry.get('abc-1'))?.personId).toBe(RIA);
        expect((await registry.get('ABC-1'))?.personId).toBe(SAM);
        await registry.remove('ABC-1');
        expect((await registry.list()).map((r) => r.id)).toEqual(['abc-1']);
      });
    });

    describe('delta cursors and change marks', () => {
      // Not Graph's own root: the fake Graph points that at itself in every answer, SharePoint's included.
      const link = (token: string) => `https://graph.contoso.example/v1.0/users/${RIA}/calendarView/delta?$deltatoken=${token}`;

      it('has no state for anyone to begin with', async () => {
        expect(await registry.getDelta(RIA)).toBeUndefined();
        expect(await registry.listDelta()).toEqual([]);
      });

      it('saves the cursor exactly (a deltaLink longer than a text column included); saving again replaces every cursor field', async () => {
        const long = link('x'.repeat(900));
        await registry.saveDelta({ personId: RIA, deltaLink: long, windowStart: '2026-11-23T00:00:00.000Z', windowEnd: '2027-12-27T00:00:00.000Z', syncedAt: at(1) });
        expect(await peer.getDelta(RIA)).toEqual({ personId: RIA, deltaLink: long, windowStart: '2026-11-23T00:00:00.000Z', windowEnd: '2027-12-27T00:00:00.000Z', syncedAt: at(1) });
        await peer.saveDelta({ personId: RIA, syncedAt: at(2) });
        expect(await registry.getDelta(RIA)).toEqual({ personId: RIA, syncedAt: at(2) });
      });

      it('a mark keeps the later instant; saving the cursor leaves the marks alone', async () => {
        await registry.markNotified(RIA, at(2 * MIN));
        expect(await registry.getDelta(RIA)).toEqual({ personId: RIA, notifiedAt: at(2 * MIN) });
        await peer.markNotified(RIA, at(MIN));
        expect((await registry.getDelta(RIA))?.notifiedAt).toBe(at(2 * MIN));
        await peer.markNotified(RIA, at(3 * MIN));
        expect((await registry.getDelta(RIA))?.notifiedAt).toBe(at(3 * MIN));

        await registry.requestSync(RIA, at(4 * MIN));
        await peer.requestSync(RIA, at(MIN));
        await registry.saveDelta({ personId: RIA, deltaLink: link('a'), syncedAt: at(5 * MIN) });
        expect(await peer.getDelta(RIA)).toEqual({ personId: RIA, deltaLink: link('a'), syncedAt: at(5 * MIN), notifiedAt: at(3 * MIN), syncRequestedAt: at(4 * MIN) });
      });

      it('marks the same person from two instances at once: the latest mark stays', async () => {
        await Promise.all([registry.markNotified(SAM, at(1)), peer.markNotified(SAM, at(3)), registry.markNotified(SAM, at(2))]);
        expect(await registry.getDelta(SAM)).toEqual({ personId: SAM, notifiedAt: at(3) });
        await Promise.all([registry.requestSync(SAM, at(5)), peer.markNotified(SAM, at(4))]);
        expect(await peer.getDelta(SAM)).toEqual({ personId: SAM, notifiedAt: at(4), syncRequestedAt: at(5) });
      });

      it('clears marks made at or before the instant given, keeps later ones, and creates nothing for an unknown person', async () => {
        await registry.saveDelta({ personId: RIA, deltaLink: link('a'), syncedAt: T0 });
        await registry.markNotified(RIA, at(MIN));
        await registry.requestSync(RIA, at(3 * MIN));
        await peer.clearMarks(RIA, at(2 * MIN));
        expect(await registry.getDelta(RIA)).toEqual({ personId: RIA, deltaLink: link('a'), syncedAt: T0, syncRequestedAt: at(3 * MIN) });
        await peer.clearMarks(RIA, at(3 * MIN));
        expect(await registry.getDelta(RIA)).toEqual({ personId: RIA, deltaLink: link('a'), syncedAt: T0 });
        // Nothing left to clear: harmless.
        await registry.clearMarks(RIA, at(4 * MIN));
        await registry.clearMarks(SAM, at(4 * MIN));
        expect(await registry.getDelta(SAM)).toBeUndefined();
        expect((await registry.listDelta()).map((d) => d.personId)).toEqual([RIA]);

        // A mark alone, cleared: the person's state stays, empty.
        await peer.markNotified(SAM, at(MIN));
        await registry.clearMarks(SAM, at(MIN));
        expect(await peer.getDelta(SAM)).toEqual({ personId: SAM });
      });

      it('lists everyone with state, by person', async () => {
        await registry.markNotified(SAM, at(1));
        await peer.saveDelta({ personId: RIA, deltaLink: link('r'), syncedAt: T0 });
        await registry.requestSync('p-abe', at(2));
        expect(await peer.listDelta()).toEqual([
          { personId: RIA, deltaLink: link('r'), syncedAt: T0 },
          { personId: SAM, notifiedAt: at(1) },
          { personId: 'p-abe', syncRequestedAt: at(2) },
        ]);
      });

      it('removes a person: gone, marks and cursor; a later mark or cursor starts afresh', async () => {
        await registry.saveDelta({ personId: RIA, deltaLink: link('a'), windowStart: T0, windowEnd: at(MIN), syncedAt: T0 });
        await registry.markNotified(RIA, at(1));
        await registry.requestSync(RIA, at(1));
        await peer.removeDelta(RIA);
        expect(await registry.getDelta(RIA)).toBeUndefined();
        expect(await registry.listDelta()).toEqual([]);
        await registry.removeDelta(RIA);
        await registry.removeDelta(SAM);
        await registry.markNotified(RIA, at(2));
        expect(await peer.getDelta(RIA)).toEqual({ personId: RIA, notifiedAt: at(2) });
        await peer.removeDelta(RIA);
        await registry.saveDelta({ personId: RIA, syncedAt: at(3) });
        expect(await peer.getDelta(RIA)).toEqual({ personId: RIA, syncedAt: at(3) });
        await registry.clearMarks(RIA, at(9));
        expect(await registry.listDelta()).toEqual([{ personId: RIA, syncedAt: at(3) }]);
      });

      it('person ids are exact: case matters', async () => {
        await registry.markNotified('p-abe', at(1));
        await registry.markNotified('P-ABE', at(2));
        expect((await peer.getDelta('p-abe'))?.notifiedAt).toBe(at(1));
        expect((await peer.getDelta('P-ABE'))?.notifiedAt).toBe(at(2));
        await peer.removeDelta('P-ABE');
        expect((await registry.listDelta()).map((d) => d.personId)).toEqual(['p-abe']);
      });
    });
  });
}
