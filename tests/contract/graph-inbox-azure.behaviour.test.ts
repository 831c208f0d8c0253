/**
 * The notification inbox on an Azure Storage queue, on Azurite, against the shared
 * behaviour suite; then what only the queue has: a delivery larger than a queue
 * message is split, and the poison queue holds no notification body.
 */
import { AzureNotificationInbox, GRAPH_INBOX_QUEUE, splitBatch } from '../../src/adapters/azure/azureNotificationInbox';
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import type { NotificationBatch } from '../../src/ports/notificationInbox';
import { useAzurite } from '../support/azurite';
import { notificationInboxBehaviour } from './notificationInboxBehaviour';

const azurite = useAzurite();
jest.setTimeout(60_000);

const options = { holdMs: 1000, maxTakes: 3 };
const storage = (prefix: string) => new AzureStorage({ connectionString: azurite().connectionString, prefix });

notificationInboxBehaviour('Azure Storage queue (Azurite)', async () => {
  const prefix = azurite().uniqueName('i');
  // Each "other instance" has its own clients, as another process would.
  return { inbox: new AzureNotificationInbox(storage(prefix), options), other: () => new AzureNotificationInbox(storage(prefix), options) };
});

const notification = (i: number, extra: Record<string, unknown> = {}) => ({
  subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
  clientState: 'secretClientValue',
  changeType: 'updated',
  resource: `Users/11111111-1111-4111-8111-111111111111/Events/${'A'.repeat(150)}${i}`,
  resourceData: { '@odata.type': '#Microsoft.Graph.Event', id: `${'A'.repeat(150)}${i}` },
  subscriptionExpirationDateTime: '2026-12-10T00:00:00Z',
  tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
  ...extra,
});

describe('AzureNotificationInbox: the queue underneath', () => {
  it('a delivery over one message (48 KiB of JSON) is stored as several, every notification once and in order', async () => {
    const prefix = azurite().uniqueName('i');
    const inbox = new AzureNotificationInbox(storage(prefix), options);
    // About 1 MiB, the largest body the webhook accepts: some 1,700 notifications.
    const body: NotificationBatch = { value: Array.from({ length: 1700 }, (_, i) => notification(i)) };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(900_000);
    const entries = (await inbox.put('notifications', body))!;
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.flatMap((e) => e.body.value)).toEqual(body.value);
    const queue = await storage(prefix).queue(GRAPH_INBOX_QUEUE);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(entries.length);
    for (const e of entries) await inbox.done(e);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('a notification too large alone is stored without its resourceData (never read), and fits', () => {
    const huge = notification(1, { resourceData: { id: 'x', padding: 'p'.repeat(100_000) } });
    const parts = splitBatch({ value: [notification(0), huge, notification(2)] });
    for (const p of parts) expect(Buffer.from(JSON.stringify({ e: 'notifications', b: p })).toString('base64').length).toBeLessThanOrEqual(64 * 1024);
    const stored = parts.flatMap((p) => p.value);
    expect(stored.map((n) => n.resource)).toEqual([notification(0).resource, huge.resource, notification(2).resource]);
    expect(stored[1]).not.toHaveProperty('resourceData');
    expect(stored[0]).toHaveProperty('resourceData');
  });

  it('the poison queue gets ids and counts, never the body or its clientState', async () => {
    const prefix = azurite().uniqueName('i');
    const inbox = new AzureNotificationInbox(storage(prefix), { holdMs: 1000, maxTakes: 1 });
    const [stored] = (await inbox.put('notifications', { value: [notification(7)] }))!;
    const deadline = Date.now() + 20_000;
    let poisoned: unknown[] = [];
    while (!poisoned.length && Date.now() < deadline) {
      const got = await inbox.take(10);
      expect(got.entries).toEqual([]);
      poisoned = got.poisoned;
      if (!poisoned.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(poisoned).toEqual([{ id: stored!.id, endpoint: 'notifications', attempts: 1 }]);
    const poison = await storage(prefix).queue('poison');
    const [message] = (await poison.receiveMessages()).receivedMessageItems;
    const report = JSON.parse(Buffer.from(message!.messageText, 'base64').toString('utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({ queue: GRAPH_INBOX_QUEUE, id: stored!.id, notifications: 1, subscriptionIds: ['7f105c7d-2dc5-4530-97cd-4e7ae6534c07'], kinds: ['updated'] });
    expect(message!.messageText + JSON.stringify(report)).not.toMatch(/secretClientValue|Events/);
  });
});
