/**
 * The Azure timeline (Tables for state, Queue visibility timeouts as the
 * wake-ups) on Azurite against the shared Timeline behaviour suite; then what
 * only a queue has: stale messages dropped, and the poison queue.
 */
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { AzureTimeline } from '../../src/adapters/azure/azureTimeline';
import { useAzurite } from '../support/azurite';
import { timelineBehaviour } from './timelineBehaviour';

const azurite = useAzurite();
jest.setTimeout(60_000);

const storages = () => {
  const prefix = azurite().uniqueName('t');
  return [new AzureStorage({ connectionString: azurite().connectionString, prefix }), new AzureStorage({ connectionString: azurite().connectionString, prefix })] as const;
};

timelineBehaviour('Azure Storage (Azurite)', async () => {
  const [a, b] = storages();
  return { timeline: new AzureTimeline(a), peer: new AzureTimeline(b) };
});

describe('AzureTimeline: the queue underneath', () => {
  const iso = (ms = 0) => new Date(Date.now() + ms).toISOString();

  it('rescheduling leaves one live message: the stale ones are deleted when they surface', async () => {
    const [storage] = storages();
    const timeline = new AzureTimeline(storage);
    await timeline.wake('r1', iso(), 'changed', iso());
    const [got] = await timeline.take(iso(), 'w1', 60_000, 10);
    await timeline.settle(got!, 'w1', { at: iso(), reason: 'due' }, iso());
    await timeline.wake('r1', iso(), 'changed', iso()); // no-op: already due
    const queue = await storage.queue('wakeups');
    expect((await queue.getProperties()).approximateMessagesCount).toBe(1);
    expect((await timeline.take(iso(), 'w1', 60_000, 10)).map((w) => w.reason)).toEqual(['due']);
  });

  it('a message received too often (an instance kept dying on it) goes to the poison queue', async () => {
    const [storage] = storages();
    const timeline = new AzureTimeline(storage, { maxDequeues: 2 });
    await timeline.wake('r1', iso(), 'changed', iso());
    // Two takers that die (1 s leases, never settled); the third receipt is poison.
    for (let i = 0; i < 2; i += 1) {
      const deadline = Date.now() + 15_000;
      let got: unknown[] = [];
      while (!got.length && Date.now() < deadline) {
        got = await timeline.take(iso(), `dies-${i}`, 1000, 10);
        if (!got.length) await new Promise((r) => setTimeout(r, 200));
      }
      expect(got).toHaveLength(1);
    }
    const poison = await storage.queue('poison');
    const deadline = Date.now() + 15_000;
    while ((await poison.getProperties()).approximateMessagesCount === 0 && Date.now() < deadline) {
      expect(await timeline.take(iso(), 'w3', 1000, 10)).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await poison.getProperties()).approximateMessagesCount).toBe(1);
    // The wake-up itself stays, overdue, for the daily consistency sweep to find.
    expect((await timeline.list()).map((w) => w.relationshipId)).toEqual(['r1']);
  });
});
