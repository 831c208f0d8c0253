/**
 * The Graph subscription registry and delta cursors on Azure Tables.
 * Subscriptions: one entity each (PartitionKey "sub", RowKey the subscription id).
 * Delta state: one entity per person (PartitionKey the person id), changed
 * read-modify-write under its ETag, so marks from several instances at once
 * keep the latest (412 → read again and redo).
 */
import type { DeltaCursor, DeltaState, SubscriptionRecord, SubscriptionRegistry, SubscriptionStatus } from '../../ports/subscriptions';
import { type AzureStorage, getOrUndefined, listAll, lostRace, odata, status, tableKey } from './azureStorage';

type SubEntity = Omit<SubscriptionRecord, 'id'> & { subscriptionId: string };
type DeltaEntity = { personId: string; deltaLink?: string; windowStart?: string; windowEnd?: string; syncedAt?: string; notifiedAt?: string; syncRequestedAt?: string };

const DELTA_FIELDS = ['deltaLink', 'windowStart', 'windowEnd', 'syncedAt', 'notifiedAt', 'syncRequestedAt'] as const;
const SUB = 'sub';
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class AzureSubscriptionRegistry implements SubscriptionRegistry {
  constructor(private readonly storage: AzureStorage) {}

  async save(record: SubscriptionRecord): Promise<void> {
    const table = await this.storage.table('subscriptions');
    const { id, ...rest } = record;
    try {
      await table.createEntity<SubEntity>({ partitionKey: SUB, rowKey: tableKey(id), subscriptionId: id, ...rest });
    } catch (err) {
      if (!lostRace(err)) throw err;
      // Already there: everything but when it was first created.
      const { createdAt: _kept, ...change } = rest;
      await table.updateEntity({ partitionKey: SUB, rowKey: tableKey(id), ...change }, 'Merge');
    }
  }

  async get(id: string): Promise<SubscriptionRecord | undefined> {
    const e = await getOrUndefined<SubEntity>(await this.storage.table('subscriptions'), SUB, tableKey(id));
    return e && toRecord(e);
  }

  async list(): Promise<SubscriptionRecord[]> {
    const all = await listAll<SubEntity>(await this.storage.table('subscriptions'), odata`PartitionKey eq ${SUB}`);
    return all.map(toRecord).sort((a, b) => byText(a.personId, b.personId) || byText(a.createdAt, b.createdAt));
  }

  async setStatus(id: string, next: SubscriptionStatus, now: string): Promise<boolean> {
    try {
      // If-Match "*": only an existing entity is changed (404 otherwise).
      await (await this.storage.table('subscriptions')).updateEntity({ partitionKey: SUB, rowKey: tableKey(id), status: next, updatedAt: now }, 'Merge', { etag: '*' });
      return true;
    } catch (err) {
      if (status(err) === 404) return false;
      throw err;
    }
  }

  async remove(id: string): Promise<void> {
    await this.deleteIfThere('subscriptions', SUB, tableKey(id));
  }

  async getDelta(personId: string): Promise<DeltaState | undefined> {
    const e = await getOrUndefined<DeltaEntity>(await this.storage.table('delta'), tableKey(personId), 'delta');
    return e && toDelta(e);
  }

  async listDelta(): Promise<DeltaState[]> {
    const all = await listAll<DeltaEntity>(await this.storage.table('delta'), odata`RowKey eq 'delta'`);
    return all.map(toDelta).sort((a, b) => byText(a.personId, b.personId));
  }

  async saveDelta(cursor: DeltaCursor): Promise<void> {
    await this.change(cursor.personId, (old) => ({
      personId: cursor.personId,
      ...pick(cursor, ['deltaLink', 'windowStart', 'windowEnd', 'syncedAt']),
      ...(old ? pick(old, ['notifiedAt', 'syncRequestedAt']) : {}),
    }));
  }

  async removeDelta(personId: string): Promise<void> {
    await this.deleteIfThere('delta', tableKey(personId), 'delta');
  }

  async markNotified(personId: string, now: string): Promise<void> {
    await this.change(personId, (old) => ({ ...(old ?? { personId }), notifiedAt: latest(old?.notifiedAt, now) }));
  }

  async requestSync(personId: string, now: string): Promise<void> {
    await this.change(personId, (old) => ({ ...(old ?? { personId }), syncRequestedAt: latest(old?.syncRequestedAt, now) }));
  }

  async clearMarks(personId: string, upTo: string): Promise<void> {
    await this.change(personId, (old) => {
      if (!old) return undefined;
      const next = { ...old };
      if (next.notifiedAt && next.notifiedAt <= upTo) delete next.notifiedAt;
      if (next.syncRequestedAt && next.syncRequestedAt <= upTo) delete next.syncRequestedAt;
      return next;
    });
  }

  /** Read, compute, write under the ETag (Replace, so dropped fields go); again on a lost race. */
  private async change(personId: string, next: (old: DeltaState | undefined) => DeltaState | undefined): Promise<void> {
    const table = await this.storage.table('delta');
    const pk = tableKey(personId);
    for (;;) {
      const old = await getOrUndefined<DeltaEntity>(table, pk, 'delta');
      const value = next(old && toDelta(old));
      if (!value) return;
      const entity = { partitionKey: pk, rowKey: 'delta', ...value };
      try {
        if (old) await table.updateEntity(entity, 'Replace', { etag: old.etag });
        else await table.createEntity(entity);
        return;
      } catch (err) {
        if (!lostRace(err) && status(err) !== 404) throw err;
      }
    }
  }

  private async deleteIfThere(name: string, pk: string, rk: string): Promise<void> {
    try {
      await (await this.storage.table(name)).deleteEntity(pk, rk);
    } catch (err) {
      if (status(err) !== 404) throw err;
    }
  }
}

function toRecord(e: SubEntity): SubscriptionRecord {
  return { id: e.subscriptionId, personId: e.personId, resource: e.resource, clientStateHash: e.clientStateHash, expiresAt: e.expiresAt, status: e.status, createdAt: e.createdAt, updatedAt: e.updatedAt };
}

function toDelta(e: DeltaEntity): DeltaState {
  return { personId: e.personId, ...pick(e, DELTA_FIELDS) };
}

function pick<T extends object>(o: T, fields: readonly string[]): Partial<DeltaState> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = (o as Record<string, unknown>)[f];
    if (typeof v === 'string' && v) out[f] = v;
  }
  return out as Partial<DeltaState>;
}

function latest(a: string | undefined, b: string): string {
  return a && a > b ? a : b;
}
