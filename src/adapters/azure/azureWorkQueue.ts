/**
 * The outbox and per-key leases on Azure Tables.
 *
 * Why Tables and not a Queue for the outbox itself: the WorkQueue port is
 * "once per (kind, key), with a result you can ask for later", leased and
 * retried on the app's clock (the shared behaviour suite proves it with the
 * times it passes). A Queue message has neither a unique key nor a result, and
 * its visibility runs on the storage service's clock. So each item is one
 * entity (PartitionKey = kind, RowKey = SHA-256 of the key): creating it twice
 * fails with 409 (enqueue once), and every take and finish is a write under
 * the entity's ETag (If-Match; 412 = someone else's). A lease reads only the
 * kind's pending, due items (one partition query), not the whole outbox.
 * Relationship wake-ups, which run on real time, use Queues (azureTimeline.ts).
 *
 * Items that keep failing are not dropped; after `poisonAfter` attempts each
 * further failure is also copied to the poison queue, for an operator to see
 * (`pt doctor` counts it).
 */
import { randomUUID } from 'node:crypto';
import type { WorkPruning } from '../../ports/ledger';
import type { WorkItem, WorkQueue } from '../../ports/workQueue';
import { type AzureStorage, getOrUndefined, hashedKey, listAll, lostRace, odata, status } from './azureStorage';

interface OutboxEntity {
  id: string;
  kind: string;
  key: string;
  payload: string;
  status: 'pending' | 'done';
  availableAt: string;
  leaseOwner: string;
  leaseUntil: string;
  attempts: number;
  createdAt: string;
  lastError: string;
  result: string;
  /** Real time of enqueueing, with a per-process counter: keeps enqueue order among items of the same instant. */
  seq: string;
}

let counter = 0;
const sequence = () => `${String(Date.now()).padStart(15, '0')}.${String((counter = (counter + 1) % 1e6)).padStart(6, '0')}`;

interface LeaseEntity {
  leaseKey: string;
  owner: string;
  until: string;
}

export interface AzureWorkQueueOptions {
  /** Attempts after which a failure is also reported to the poison queue (default 8). */
  poisonAfter?: number;
}

export class AzureWorkQueue implements WorkQueue, WorkPruning {
  private readonly poisonAfter: number;
  /** Items leased by this instance, with the ETag our lease write returned (bounded: finished ones are forgotten). */
  private readonly leasedHere = new Map<string, { etag: string; owner: string; entity: OutboxEntity }>();

  constructor(
    private readonly storage: AzureStorage,
    options: AzureWorkQueueOptions = {},
  ) {
    this.poisonAfter = options.poisonAfter ?? 8;
  }

  async enqueue(kind: string, key: string, payload: Record<string, unknown>, now: string): Promise<boolean> {
    const table = await this.storage.table('outbox');
    const rowKey = hashedKey(key);
    const entity: OutboxEntity = { id: `${hashedKey(kind)}.${rowKey}`, kind, key, payload: '', status: 'pending', availableAt: now, leaseOwner: '', leaseUntil: '', attempts: 0, createdAt: now, lastError: '', result: '', seq: sequence() };
    try {
      await table.createEntity({ partitionKey: hashedKey(kind), rowKey, ...entity, ...split('payload', JSON.stringify(payload)) });
      return true;
    } catch (err) {
      if (lostRace(err)) return false;
      throw err;
    }
  }

  async lease(kind: string, owner: string, now: string, leaseMs: number, limit: number): Promise<WorkItem[]> {
    if (limit <= 0) return [];
    const table = await this.storage.table('outbox');
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    // One partition query: the kind's pending items that are due and not leased (an empty leaseUntil sorts first).
    const due = await listAll<OutboxEntity>(table, odata`PartitionKey eq ${hashedKey(kind)} and status eq 'pending' and availableAt le ${now} and leaseUntil lt ${now}`);
    due.sort((a, b) => a.availableAt.localeCompare(b.availableAt) || a.createdAt.localeCompare(b.createdAt) || a.seq.localeCompare(b.seq));
    const taken: WorkItem[] = [];
    // Takes in parallel, as many as are still wanted at a time; a take that loses its race makes room for the next candidate.
    let next = 0;
    while (taken.length < limit && next < due.length) {
      const round = due.slice(next, next + (limit - taken.length));
      next += round.length;
      const results = await Promise.all(round.map((e) => this.take(table, e, owner, until)));
      for (const item of results) if (item) taken.push(item);
    }
    taken.sort((a, b) => due.findIndex((e) => e.id === a.id) - due.findIndex((e) => e.id === b.id));
    return taken;
  }

  /** One take under the item's ETag; undefined when another worker got there first. */
  private async take(table: Awaited<ReturnType<AzureStorage['table']>>, e: OutboxEntity & { partitionKey?: string; rowKey?: string; etag?: string }, owner: string, until: string): Promise<WorkItem | undefined> {
    try {
      const written = await table.updateEntity({ partitionKey: e.partitionKey!, rowKey: e.rowKey!, leaseOwner: owner, leaseUntil: until, attempts: e.attempts + 1 }, 'Merge', { etag: e.etag });
      // Remembered so finishing it is one write (If-Match) rather than a read and a write.
      if (written.etag) this.leasedHere.set(e.id, { etag: written.etag, owner, entity: { ...e, leaseOwner: owner, leaseUntil: until, attempts: e.attempts + 1 } });
    } catch (err) {
      if (lostRace(err)) return undefined; // another worker took it between our read and our write
      throw err;
    }
    return { id: e.id, kind: e.kind, key: e.key, payload: JSON.parse(joined('payload', e)), attempts: e.attempts + 1, createdAt: e.createdAt };
  }

  async complete(id: string, owner: string, result: Record<string, unknown>): Promise<void> {
    await this.finish(id, (e) => e.leaseOwner === owner || e.leaseOwner === '', () => ({ status: 'done', ...split('result', JSON.stringify(result)), leaseOwner: '', leaseUntil: '' }));
  }

  async retry(id: string, owner: string, error: string, availableAt: string): Promise<void> {
    const done = await this.finish(id, (e) => e.leaseOwner === owner, () => ({ availableAt, lastError: error.slice(0, 500), leaseOwner: '', leaseUntil: '' }));
    if (done && done.attempts >= this.poisonAfter) {
      const poison = await this.storage.queue('poison');
      await poison.sendMessage(Buffer.from(JSON.stringify({ kind: done.kind, key: done.key, attempts: done.attempts, error: error.slice(0, 500), retryAt: availableAt })).toString('base64'));
    }
  }

  async result(kind: string, key: string): Promise<Record<string, unknown> | undefined> {
    const e = await getOrUndefined<OutboxEntity>(await this.storage.table('outbox'), hashedKey(kind), hashedKey(key));
    return e && e.status === 'done' && e.result ? JSON.parse(joined('result', e)) : undefined;
  }

  async acquireLease(key: string, owner: string, now: string, leaseMs: number): Promise<boolean> {
    const table = await this.storage.table('leases');
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    const pk = hashedKey(key);
    const current = await getOrUndefined<LeaseEntity>(table, pk, 'lease');
    try {
      if (!current) await table.createEntity<LeaseEntity>({ partitionKey: pk, rowKey: 'lease', leaseKey: key, owner, until });
      else if (current.until < now || current.owner === owner || current.owner === '') await table.updateEntity({ partitionKey: pk, rowKey: 'lease', owner, until }, 'Merge', { etag: current.etag });
      else return false;
      return true;
    } catch (err) {
      // Someone created or changed it since we read it: theirs.
      if (lostRace(err)) return false;
      // Pruned (it had run out) between our read and our write: it is free, so ask again.
      if (status(err) === 404) return this.acquireLease(key, owner, now, leaseMs);
      throw err;
    }
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    const table = await this.storage.table('leases');
    const pk = hashedKey(key);
    const current = await getOrUndefined<LeaseEntity>(table, pk, 'lease');
    if (!current || current.owner !== owner) return;
    try {
      await table.updateEntity({ partitionKey: pk, rowKey: 'lease', owner: '', until: '' }, 'Merge', { etag: current.etag });
    } catch (err) {
      if (!lostRace(err) && (err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }

  // The outbox keeps no finishing time: an item's age is its enqueueing (createdAt), which only understates it.
  async pruneDoneWork(kind: string, before: string): Promise<number> {
    const table = await this.storage.table('outbox');
    const old = await listAll<OutboxEntity>(table, odata`PartitionKey eq ${hashedKey(kind)} and status eq 'done' and createdAt lt ${before}`, ['PartitionKey', 'RowKey']);
    // A done item never changes again, so no ETag is needed; entity group transactions take up to 100 operations on one partition.
    for (let i = 0; i < old.length; i += 100) {
      await table.submitTransaction(old.slice(i, i + 100).map((e) => ['delete', { partitionKey: e.partitionKey!, rowKey: e.rowKey! }]));
    }
    return old.length;
  }

  /** Released leases (owner and until emptied) count as run out: either is the same as none to acquireLease. */
  async pruneExpiredLeases(before: string): Promise<number> {
    const table = await this.storage.table('leases');
    // One entity per key, each its own partition: one delete each, under the ETag read, so a lease taken again meanwhile stays.
    const old = await listAll<LeaseEntity>(table, odata`until lt ${before}`, ['PartitionKey', 'RowKey']);
    let gone = 0;
    for (const e of old) {
      try {
        await table.deleteEntity(e.partitionKey!, e.rowKey!, { etag: e.etag });
        gone += 1;
      } catch (err) {
        if (!lostRace(err) && status(err) !== 404) throw err;
      }
    }
    return gone;
  }

  /** Writes `change` to item `id` if `mine` says so, re-reading on a lost race; the entity as it was when written. */
  private async finish(id: string, mine: (e: OutboxEntity) => boolean, change: () => Partial<OutboxEntity>): Promise<OutboxEntity | undefined> {
    const [pk, rk] = id.split('.');
    if (!pk || !rk) return undefined;
    const table = await this.storage.table('outbox');
    const known = this.leasedHere.get(id);
    this.leasedHere.delete(id);
    if (known && mine(known.entity)) {
      try {
        await table.updateEntity({ partitionKey: pk, rowKey: rk, ...change() }, 'Merge', { etag: known.etag });
        return known.entity;
      } catch (err) {
        if (!lostRace(err)) throw err; // changed since we leased it: read it and decide again
      }
    }
    for (let i = 0; i < 5; i += 1) {
      const e = await getOrUndefined<OutboxEntity>(table, pk, rk);
      if (!e || e.status === 'done' || !mine(e)) return undefined;
      try {
        await table.updateEntity({ partitionKey: pk, rowKey: rk, ...change() }, 'Merge', { etag: e.etag });
        return e;
      } catch (err) {
        if (!lostRace(err)) throw err;
      }
    }
    throw new Error(`work item ${id} kept changing under us (${randomUUID().slice(0, 8)})`);
  }
}

/**
 * A Table string property holds at most 32K characters (64 KiB of UTF-16); an
 * entity up to 1 MiB. A digest for a manager with many escalations is longer
 * than one property, so long text is kept in parts: name, name_1, name_2...
 * with the count in nameParts.
 */
const PART = 30_000;
function split(name: string, text: string): Record<string, string | number> {
  const out: Record<string, string | number> = { [name]: text.slice(0, PART), [`${name}Parts`]: Math.max(1, Math.ceil(text.length / PART)) };
  for (let i = 1; i * PART < text.length; i += 1) out[`${name}_${i}`] = text.slice(i * PART, (i + 1) * PART);
  return out;
}

function joined(name: string, e: object): string {
  const o = e as Record<string, unknown>;
  const parts = Number(o[`${name}Parts`] ?? 1);
  let text = String(o[name] ?? '');
  for (let i = 1; i < parts; i += 1) text += String(o[`${name}_${i}`] ?? '');
  return text;
}
