/**
 * The record store with its durable-work parts on Azure Tables: the claim
 * ledger, Teams conversation references and posted-card references. Everything
 * people own (relationships, sessions, records, agreements, actions, audit)
 * stays in the store it wraps (SharePoint in a tenant).
 *
 * Claims: PartitionKey the kind, RowKey the key (tableKey: exact, prefix-
 * preserving); creating an existing one fails with 409, so exactly one caller
 * wins. Conversation references: one entity per person. Card messages: one per
 * card and person.
 */
import type { ConversationRef } from '../../domain/model';
import type { LedgerPruning } from '../../ports/ledger';
import type { CardMessage, RecordStore } from '../../ports/store';
import { type AzureStorage, getOrUndefined, listAll, lostRace, odata, rowKeyPrefix, status, tableKey } from './azureStorage';

type ClaimEntity = { claimKey: string; at: string; detail: string };
type RefEntity = { aadObjectId: string; conversationId: string; serviceUrl: string; tenantId: string; botId: string; teamsUserId?: string; updatedAt: string };
type CardEntity = CardMessage;

/** Between a card's key and the person in a RowKey: "%" never appears unencoded in a tableKey. */
const SEP = '%00';

export class AzureDurableParts implements LedgerPruning {
  constructor(private readonly storage: AzureStorage) {}

  async claim(kind: string, key: string, at: string, detail?: Record<string, unknown>): Promise<boolean> {
    const table = await this.storage.table('claims');
    try {
      await table.createEntity<ClaimEntity>({ partitionKey: tableKey(kind), rowKey: tableKey(key), claimKey: key, at, detail: detail ? JSON.stringify(detail) : '' });
      return true;
    } catch (err) {
      if (lostRace(err)) return false;
      throw err;
    }
  }

  async listClaims(kind: string, keyPrefix = ''): Promise<{ key: string; at: string; detail?: Record<string, unknown> }[]> {
    const table = await this.storage.table('claims');
    const rows = await listAll<ClaimEntity>(table, `${odata`PartitionKey eq ${tableKey(kind)}`}${keyPrefix ? ` and ${rowKeyPrefix(keyPrefix)}` : ''}`);
    return rows
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      .map((r) => ({ key: r.claimKey, at: r.at, detail: r.detail ? JSON.parse(r.detail) : undefined }));
  }

  async pruneClaims(kind: string, before: string, exceptKey?: string): Promise<number> {
    const table = await this.storage.table('claims');
    const filter = `${odata`PartitionKey eq ${tableKey(kind)} and at lt ${before}`}${exceptKey === undefined ? '' : ` and ${odata`RowKey ne ${tableKey(exceptKey)}`}`}`;
    const old = await listAll<ClaimEntity>(table, filter, ['PartitionKey', 'RowKey']);
    // Entity group transactions: up to 100 operations on one partition per request.
    for (let i = 0; i < old.length; i += 100) {
      await table.submitTransaction(old.slice(i, i + 100).map((e) => ['delete', { partitionKey: e.partitionKey!, rowKey: e.rowKey! }]));
    }
    return old.length;
  }

  async saveConversationRef(ref: ConversationRef): Promise<void> {
    const table = await this.storage.table('conversations');
    await table.upsertEntity<RefEntity>({ partitionKey: tableKey(ref.aadObjectId), rowKey: 'ref', aadObjectId: ref.aadObjectId, conversationId: ref.conversationId, serviceUrl: ref.serviceUrl, tenantId: ref.tenantId ?? '', botId: ref.botId ?? '', teamsUserId: ref.teamsUserId ?? '', updatedAt: ref.updatedAt }, 'Replace');
  }

  async getConversationRef(aadObjectId: string): Promise<ConversationRef | undefined> {
    const e = await getOrUndefined<RefEntity>(await this.storage.table('conversations'), tableKey(aadObjectId), 'ref');
    return e && { aadObjectId: e.aadObjectId, conversationId: e.conversationId, serviceUrl: e.serviceUrl, tenantId: e.tenantId || undefined, botId: e.botId || undefined, ...(e.teamsUserId ? { teamsUserId: e.teamsUserId } : {}), updatedAt: e.updatedAt };
  }

  async saveCardMessage(m: CardMessage): Promise<void> {
    const table = await this.storage.table('cards');
    await table.upsertEntity<CardEntity>({ partitionKey: 'card', rowKey: `${tableKey(m.key)}${SEP}${tableKey(m.aadObjectId)}`, key: m.key, aadObjectId: m.aadObjectId, conversationId: m.conversationId, activityId: m.activityId, postedAt: m.postedAt }, 'Replace');
  }

  async listCardMessages(keyPrefix: string): Promise<CardMessage[]> {
    const table = await this.storage.table('cards');
    const rows = await listAll<CardEntity>(table, `PartitionKey eq 'card'${keyPrefix ? ` and ${rowKeyPrefix(keyPrefix)}` : ''}`);
    return rows
      .filter((r) => r.key.startsWith(keyPrefix))
      .sort((a, b) => (a.postedAt < b.postedAt ? -1 : a.postedAt > b.postedAt ? 1 : 0))
      .map((r) => ({ key: r.key, aadObjectId: r.aadObjectId, conversationId: r.conversationId, activityId: r.activityId, postedAt: r.postedAt }));
  }
}

/**
 * `base` with the ledger, conversation references and card messages on Azure.
 * A Proxy rather than a class listing every method: whatever RecordStore gains
 * later still goes to `base` unless it is durable work.
 */
export function withAzureDurableWork<S extends RecordStore>(base: S, parts: AzureDurableParts): S {
  const moved = new Set(['claim', 'listClaims', 'saveConversationRef', 'getConversationRef', 'saveCardMessage', 'listCardMessages']);
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && moved.has(prop)) {
        const fn = (parts as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!;
        return fn.bind(parts);
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export { status };
