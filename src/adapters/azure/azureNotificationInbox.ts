/**
 * The notification inbox on an Azure Storage queue (`<prefix>-graph-inbox`),
 * shared by every instance: a delivery one instance answered is processed by
 * another if the first dies.
 *
 * - put: one sendMessage per entry, invisible for the hold. The sender keeps
 *   the message's pop receipt and processes the entry at once; if it dies,
 *   the message becomes visible when the hold runs out and any instance's
 *   take gets it. The webhook's answer waits on that one request.
 * - take: receiveMessages hides each message for the hold (a crash mid-processing
 *   makes it visible again); done deletes it with the receipt of that take.
 * - Poison: a message received more than `maxTakes` times goes to the poison
 *   queue, described without its body (subscription ids and change types: no
 *   clientState, which is the subscription's secret), and is deleted here.
 *
 * Size: a queue message holds at most 64 KiB, and the base64 text these adapters
 * send is 4/3 of the JSON, so an entry's JSON stays under 48 KiB. Graph documents
 * no maximum number of notifications per delivery, and the webhook accepts bodies
 * up to 1 MiB, so a larger delivery is split into several entries by its
 * notifications (each notification is checked and processed on its own anyway).
 * A single notification over the limit can only be large by its resourceData,
 * which these subscriptions never carry and the receiver never reads: it is
 * stored without it. No blob or table is needed.
 */
import type { QueueClient } from '@azure/storage-queue';
import type { InboxEntry, NotificationBatch, NotificationInbox, PoisonedEntry } from '../../ports/notificationInbox';
import { type AzureStorage, status } from './azureStorage';

export const GRAPH_INBOX_QUEUE = 'graph-inbox';

/** 64 KiB of base64 carries 48 KiB of JSON; a little is left for the envelope. */
const MAX_ENTRY_BYTES = 48 * 1024 - 256;

interface Message {
  e: InboxEntry['endpoint'];
  b: NotificationBatch;
}

export interface AzureNotificationInboxOptions {
  /**
   * How long a take (or the put) hides an entry from other instances (default 30 s; whole seconds, at
   * least 1): long enough to process one (a few Table reads and writes per notification), short enough
   * that another instance soon takes what a dead one held.
   */
  holdMs?: number;
  /** Receipts of one message after which it goes to the poison queue (default 5). */
  maxTakes?: number;
}

export class AzureNotificationInbox implements NotificationInbox {
  private readonly holdS: number;
  private readonly maxTakes: number;

  constructor(
    private readonly storage: AzureStorage,
    options: AzureNotificationInboxOptions = {},
  ) {
    this.holdS = Math.max(1, Math.ceil((options.holdMs ?? 30_000) / 1000));
    this.maxTakes = options.maxTakes ?? 5;
  }

  async put(endpoint: InboxEntry['endpoint'], body: NotificationBatch): Promise<InboxEntry[]> {
    const queue = await this.storage.queue(GRAPH_INBOX_QUEUE);
    // One request for the usual delivery; a large one's parts are sent together.
    return Promise.all(
      splitBatch(body).map(async (part) => {
        const sent = await queue.sendMessage(encode({ e: endpoint, b: part }), { visibilityTimeout: this.holdS, messageTimeToLive: -1 });
        return { id: sent.messageId, endpoint, body: part, attempts: 1, receipt: sent.popReceipt };
      }),
    );
  }

  async take(limit: number): Promise<{ entries: InboxEntry[]; poisoned: PoisonedEntry[] }> {
    const entries: InboxEntry[] = [];
    const poisoned: PoisonedEntry[] = [];
    if (limit <= 0) return { entries, poisoned };
    const queue = await this.storage.queue(GRAPH_INBOX_QUEUE);
    while (entries.length < limit) {
      const { receivedMessageItems: messages } = await queue.receiveMessages({ numberOfMessages: Math.min(32, limit - entries.length), visibilityTimeout: this.holdS });
      if (!messages.length) break;
      for (const m of messages) {
        const message = decode(m.messageText);
        // A message stored by the sender counts its own hold as the first take.
        const attempts = m.dequeueCount + 1;
        if (!message || attempts > this.maxTakes) {
          const endpoint = message?.e ?? 'notifications';
          await this.poison(queue, m.messageId, m.popReceipt, { id: m.messageId, endpoint, attempts: attempts - 1, why: message ? 'taken too many times without being done' : 'not an inbox message', ...(message ? describe(message.b) : {}) });
          poisoned.push({ id: m.messageId, endpoint, attempts: attempts - 1 });
          continue;
        }
        entries.push({ id: m.messageId, endpoint: message.e, body: message.b, attempts, receipt: m.popReceipt });
      }
    }
    return { entries, poisoned };
  }

  async done(entry: InboxEntry): Promise<void> {
    await drop(await this.storage.queue(GRAPH_INBOX_QUEUE), entry.id, entry.receipt);
  }

  private async poison(queue: QueueClient, id: string, receipt: string, report: Record<string, unknown>): Promise<void> {
    const poison = await this.storage.queue('poison');
    await poison.sendMessage(encode({ queue: GRAPH_INBOX_QUEUE, ...report }), { messageTimeToLive: -1 });
    await drop(queue, id, receipt);
  }
}

/** The batch as entries that each fit in a queue message, in order. */
export function splitBatch(body: NotificationBatch): NotificationBatch[] {
  if (bytes(body) <= MAX_ENTRY_BYTES) return [body];
  const parts: NotificationBatch[] = [];
  let current: Record<string, unknown>[] = [];
  let size = bytes({ value: [] });
  for (const n of body.value) {
    let one = n;
    if (bytes({ value: [one] }) > MAX_ENTRY_BYTES) {
      const { resourceData: _unused, ...rest } = one;
      one = rest;
    }
    const add = bytes(one) + 1;
    if (current.length > 0 && size + add > MAX_ENTRY_BYTES) {
      parts.push({ value: current });
      current = [];
      size = bytes({ value: [] });
    }
    current.push(one);
    size += add;
  }
  if (current.length > 0) parts.push({ value: current });
  return parts;
}

function bytes(x: unknown): number {
  return Buffer.byteLength(JSON.stringify(x));
}

function encode(x: unknown): string {
  return Buffer.from(JSON.stringify(x)).toString('base64');
}

function decode(text: string): Message | undefined {
  try {
    const m = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<Message>;
    if ((m.e === 'notifications' || m.e === 'lifecycle') && m.b && Array.isArray(m.b.value)) return m as Message;
  } catch {
    // not ours
  }
  return undefined;
}

/** What an operator may read about a poisoned entry: no clientState (the subscription's secret). */
function describe(b: NotificationBatch): Record<string, unknown> {
  return { notifications: b.value.length, subscriptionIds: [...new Set(b.value.map((n) => String(n.subscriptionId)))].slice(0, 20), kinds: [...new Set(b.value.map((n) => String(n.lifecycleEvent ?? n.changeType)))] };
}

async function drop(queue: QueueClient, id: string, receipt: string): Promise<void> {
  try {
    await queue.deleteMessage(id, receipt);
  } catch (err) {
    // 404: already deleted, or our receipt is stale because the message was taken again (it will be processed again: harmless).
    if (status(err) !== 404 && status(err) !== 400) throw err;
  }
}
