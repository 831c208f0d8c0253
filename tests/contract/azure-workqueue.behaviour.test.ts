/**
 * AzureWorkQueue on Azurite (the real Azure Storage emulator, started by the
 * test): the shared WorkQueue behaviour suite the embedded and SharePoint
 * queues pass. Each test gets its own tables (a fresh prefix); the peer is a
 * second AzureStorage on the same account, as another process would have.
 */
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { AzureWorkQueue } from '../../src/adapters/azure/azureWorkQueue';
import { useAzurite } from '../support/azurite';
import { workQueueBehaviour } from './workQueueBehaviour';

const azurite = useAzurite();

workQueueBehaviour('Azure Tables (Azurite)', async () => {
  const prefix = azurite().uniqueName('t');
  const connectionString = azurite().connectionString;
  return { work: new AzureWorkQueue(new AzureStorage({ connectionString, prefix })), peer: new AzureWorkQueue(new AzureStorage({ connectionString, prefix })) };
});

describe('AzureWorkQueue: what only Tables need', () => {
  it('keeps payloads and results longer than one Table property (32K characters) whole', async () => {
    const storage = new AzureStorage({ connectionString: azurite().connectionString, prefix: azurite().uniqueName('t') });
    const work = new AzureWorkQueue(storage);
    const items = Array.from({ length: 900 }, (_, i) => ({ obligationId: `record-due:rel-${i}:s-${i}`, explanation: 'x'.repeat(100) }));
    expect(await work.enqueue('digest', 'manager|2026-12-03', { items }, '2026-12-03T10:00:00.000Z')).toBe(true);
    const [item] = await work.lease('digest', 'w1', '2026-12-03T10:00:00.000Z', 60_000, 1);
    expect(item!.payload).toEqual({ items });
    await work.complete(item!.id, 'w1', { sent: items.map((i) => i.obligationId) });
    expect(await work.result('digest', 'manager|2026-12-03')).toEqual({ sent: items.map((i) => i.obligationId) });
  });
});
