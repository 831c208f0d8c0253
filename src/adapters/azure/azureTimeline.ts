/**
 * Relationship wake-ups on Azure Storage.
 *
 * - State in a Table: one entity per relationship (PartitionKey = the
 *   relationship), holding its next wake-up, a ticket that changes with every
 *   reschedule, and the lease of whoever handles it; every change is a write
 *   under the entity's ETag (412 = someone else changed it: read and redo).
 * - The schedule in a Queue: each (re)schedule sends a message naming the
 *   relationship and the ticket, invisible until the wake-up is due (the
 *   visibility timeout is the timer; Azure allows at most 7 days, so a longer
 *   sleep surfaces early and is put back to sleep). Receiving a message hides
 *   it for the lease; settling deletes it. A message whose ticket is no longer
 *   the entity's is stale (the relationship was rescheduled) and is deleted.
 * - Poison: a message received more than `maxDequeues` times (an instance kept
 *   dying on that relationship) goes to the poison queue; the daily
 *   consistency sweep notices the relationship's overdue wake-up and reports it.
 *
 * No instance ever lists the organisation to find work: it receives messages.
 */
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { TakenWakeup, Timeline, Wakeup } from '../../ports/timeline';
import { type AzureStorage, getOrUndefined, listAll, lostRace, status, tableKey } from './azureStorage';

interface WakeEntity {
  relationshipId: string;
  at: string;
  reason: string;
  ticket: string;
  leaseOwner: string;
  leaseUntil: string;
}

interface Message {
  r: string;
  t: string;
}

interface Handle {
  ticket: string;
  messageId: string;
  popReceipt: string;
}

/** Azure's longest visibility timeout: 7 days, in seconds. */
const MAX_VISIBILITY_S = 7 * 24 * 3600;
const RK = 'wake';

export interface AzureTimelineOptions {
  /** Receipts of one message after which it goes to the poison queue (default 5). */
  maxDequeues?: number;
}

export class AzureTimeline implements Timeline {
  private readonly maxDequeues: number;

  constructor(
    private readonly storage: AzureStorage,
    options: AzureTimelineOptions = {},
  ) {
    this.maxDequeues = options.maxDequeues ?? 5;
  }

  async wake(relationshipId: string, at: string, reason: string, now: string, options: { resend?: boolean } = {}): Promise<void> {
    const table = await this.storage.table('timeline');
    const pk = tableKey(relationshipId);
    for (;;) {
      const e = await getOrUndefined<WakeEntity>(table, pk, RK);
      const leased = Boolean(e && e.leaseUntil && e.leaseUntil >= now);
      // Already due no later, and nobody is handling it: the message that will wake it exists.
      if (e && e.at <= at && !leased && !options.resend) return;
      const ticket = randomUUID();
      const next = e && e.at <= at ? { at: e.at, reason: e.reason } : { at, reason };
      try {
        if (e) await table.updateEntity({ partitionKey: pk, rowKey: RK, ...next, ticket }, 'Merge', { etag: e.etag });
        else await table.createEntity<WakeEntity>({ partitionKey: pk, rowKey: RK, relationshipId, ...next, ticket, leaseOwner: '', leaseUntil: '' });
      } catch (err) {
        if (lostRace(err)) continue;
        throw err;
      }
      // While leased, the new ticket tells the holder it was woken again; the message covers a holder that dies.
      await this.send(relationshipId, ticket, next.at, now);
      return;
    }
  }

  async take(now: string, owner: string, leaseMs: number, limit: number): Promise<TakenWakeup[]> {
    if (limit <= 0) return [];
    const queue = await this.storage.queue('wakeups');
    const table = await this.storage.table('timeline');
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    const taken: TakenWakeup[] = [];
    while (taken.length < limit) {
      const { receivedMessageItems: messages } = await queue.receiveMessages({ numberOfMessages: Math.min(32, limit - taken.length), visibilityTimeout: seconds(leaseMs) });
      if (!messages.length) break;
      for (const m of messages) {
        let body: Message;
        try {
          body = JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as Message;
        } catch {
          await this.poison(queue, m.messageId, m.popReceipt, m.messageText, 'not a wake-up message');
          continue;
        }
        const pk = tableKey(body.r);
        const e = await getOrUndefined<WakeEntity>(table, pk, RK);
        if (!e || e.ticket !== body.t) {
          await this.drop(queue, m.messageId, m.popReceipt); // rescheduled or forgotten since it was sent
          continue;
        }
        if (e.at > now) {
          await this.hide(queue, m.messageId, m.popReceipt, Date.parse(e.at) - Date.parse(now)); // a long sleep surfacing early
          continue;
        }
        if (e.leaseOwner && e.leaseOwner !== owner && e.leaseUntil >= now) {
          await this.hide(queue, m.messageId, m.popReceipt, Date.parse(e.leaseUntil) - Date.parse(now) + 1000);
          continue;
        }
        if (m.dequeueCount > this.maxDequeues) {
          await this.poison(queue, m.messageId, m.popReceipt, m.messageText, `received ${m.dequeueCount} times without being settled`);
          continue;
        }
        try {
          await table.updateEntity({ partitionKey: pk, rowKey: RK, leaseOwner: owner, leaseUntil: until }, 'Merge', { etag: e.etag });
        } catch (err) {
          if (lostRace(err)) continue; // someone else took or changed it; its message stays with them
          throw err;
        }
        const handle: Handle = { ticket: e.ticket, messageId: m.messageId, popReceipt: m.popReceipt };
        taken.push({ relationshipId: e.relationshipId, at: e.at, reason: e.reason, handle: JSON.stringify(handle) });
      }
    }
    return taken;
  }

  async settle(taken: TakenWakeup, owner: string, next: { at: string; reason: string }, now: string): Promise<void> {
    const handle = JSON.parse(taken.handle) as Handle;
    const table = await this.storage.table('timeline');
    const queue = await this.storage.queue('wakeups');
    const pk = tableKey(taken.relationshipId);
    for (;;) {
      const e = await getOrUndefined<WakeEntity>(table, pk, RK);
      if (!e || e.leaseOwner !== owner) break; // forgotten, or our lease ran out and someone else has it
      const untouched = e.ticket === handle.ticket;
      const keepEarlier = !untouched && e.at <= next.at;
      try {
        if (keepEarlier) {
          // Woken again while we worked: that wake-up (and its message) stands.
          await table.updateEntity({ partitionKey: pk, rowKey: RK, leaseOwner: '', leaseUntil: '' }, 'Merge', { etag: e.etag });
        } else {
          const ticket = randomUUID();
          await table.updateEntity({ partitionKey: pk, rowKey: RK, at: next.at, reason: next.reason, ticket, leaseOwner: '', leaseUntil: '' }, 'Merge', { etag: e.etag });
          await this.send(taken.relationshipId, ticket, next.at, now);
        }
        break;
      } catch (err) {
        if (!lostRace(err)) throw err;
      }
    }
    await this.drop(queue, handle.messageId, handle.popReceipt);
  }

  async list(): Promise<Wakeup[]> {
    const all = await listAll<WakeEntity>(await this.storage.table('timeline'), `RowKey eq '${RK}'`);
    return all.map((e) => ({ relationshipId: e.relationshipId, at: e.at, reason: e.reason })).sort((a, b) => (a.relationshipId < b.relationshipId ? -1 : 1));
  }

  async forget(relationshipId: string): Promise<void> {
    try {
      await (await this.storage.table('timeline')).deleteEntity(tableKey(relationshipId), RK);
    } catch (err) {
      if (status(err) !== 404) throw err;
    }
  }

  private async send(relationshipId: string, ticket: string, at: string, now: string): Promise<void> {
    const queue = await this.storage.queue('wakeups');
    const body: Message = { r: relationshipId, t: ticket };
    // Never expires (-1): a wake-up may sleep the full 7 days and then be put back to sleep.
    await queue.sendMessage(Buffer.from(JSON.stringify(body)).toString('base64'), { visibilityTimeout: seconds(Date.parse(at) - Date.parse(now)), messageTimeToLive: -1 });
  }

  private async hide(queue: QueueClient, id: string, popReceipt: string, ms: number): Promise<void> {
    try {
      await queue.updateMessage(id, popReceipt, undefined, seconds(ms));
    } catch (err) {
      if (status(err) !== 404) throw err;
    }
  }

  private async drop(queue: QueueClient, id: string, popReceipt: string): Promise<void> {
    try {
      await queue.deleteMessage(id, popReceipt);
    } catch (err) {
      // 404: already deleted, or our receipt is stale because the message was received again elsewhere.
      if (status(err) !== 404 && status(err) !== 400) throw err;
    }
  }

  private async poison(queue: QueueClient, id: string, popReceipt: string, text: string, why: string): Promise<void> {
    const poison = await this.storage.queue('poison');
    await poison.sendMessage(Buffer.from(JSON.stringify({ queue: 'wakeups', message: text, why })).toString('base64'), { messageTimeToLive: -1 });
    await this.drop(queue, id, popReceipt);
  }
}

/** A delay as a visibility timeout: whole seconds, rounded up, 0 to 7 days. */
function seconds(ms: number): number {
  return Math.max(0, Math.min(MAX_VISIBILITY_S, Math.ceil(ms / 1000)));
}
