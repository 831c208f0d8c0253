/**
 * The SubscriptionRegistry over SQLite (migration 6: graph_subscriptions,
 * graph_delta). Durable across restarts and safe for several processes on one
 * file; every method is one statement, so no transaction is needed.
 */
import type { DeltaCursor, DeltaState, SubscriptionRecord, SubscriptionRegistry, SubscriptionStatus } from '../../ports/subscriptions';
import { type Db, prepared } from './db';

type Row = Record<string, unknown>;

function recordFromRow(r: Row): SubscriptionRecord {
  return {
    id: String(r.id),
    personId: String(r.person_id),
    resource: String(r.resource),
    clientStateHash: String(r.client_state_hash),
    expiresAt: String(r.expires_at),
    status: String(r.status) as SubscriptionStatus,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

function deltaFromRow(r: Row): DeltaState {
  const opt = (k: string) => (r[k] === null || r[k] === undefined ? undefined : String(r[k]));
  const out: DeltaState = { personId: String(r.person_id) };
  const deltaLink = opt('delta_link');
  const windowStart = opt('window_start');
  const windowEnd = opt('window_end');
  const syncedAt = opt('synced_at');
  const notifiedAt = opt('notified_at');
  const syncRequestedAt = opt('sync_requested_at');
  if (deltaLink) out.deltaLink = deltaLink;
  if (windowStart) out.windowStart = windowStart;
  if (windowEnd) out.windowEnd = windowEnd;
  if (syncedAt) out.syncedAt = syncedAt;
  if (notifiedAt) out.notifiedAt = notifiedAt;
  if (syncRequestedAt) out.syncRequestedAt = syncRequestedAt;
  return out;
}

export class EmbeddedSubscriptionRegistry implements SubscriptionRegistry {
  constructor(private readonly db: Db) {}

  async save(r: SubscriptionRecord): Promise<void> {
    prepared(this.db,
        `INSERT INTO graph_subscriptions (id, person_id, resource, client_state_hash, expires_at, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)
         ON CONFLICT(id) DO UPDATE SET person_id = excluded.person_id, resource = excluded.resource, client_state_hash = excluded.client_state_hash,
           expires_at = excluded.expires_at, status = excluded.status, updated_at = excluded.updated_at`,
      )
      .run(r.id, r.personId, r.resource, r.clientStateHash, r.expiresAt, r.status, r.createdAt, r.updatedAt);
  }

  async get(id: string): Promise<SubscriptionRecord | undefined> {
    const r = prepared(this.db, 'SELECT * FROM graph_subscriptions WHERE id = ?').get(id) as Row | undefined;
    return r && recordFromRow(r);
  }

  async list(): Promise<SubscriptionRecord[]> {
    return (prepared(this.db, 'SELECT * FROM graph_subscriptions ORDER BY person_id, created_at').all() as Row[]).map(recordFromRow);
  }

  async setStatus(id: string, status: SubscriptionStatus, now: string): Promise<boolean> {
    const r = prepared(this.db, 'UPDATE graph_subscriptions SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id);
    return Number(r.changes) === 1;
  }

  async remove(id: string): Promise<void> {
    prepared(this.db, 'DELETE FROM graph_subscriptions WHERE id = ?').run(id);
  }

  async getDelta(personId: string): Promise<DeltaState | undefined> {
    const r = prepared(this.db, 'SELECT * FROM graph_delta WHERE person_id = ?').get(personId) as Row | undefined;
    return r && deltaFromRow(r);
  }

  async listDelta(): Promise<DeltaState[]> {
    return (prepared(this.db, 'SELECT * FROM graph_delta ORDER BY person_id').all() as Row[]).map(deltaFromRow);
  }

  async saveDelta(s: DeltaCursor): Promise<void> {
    prepared(this.db,
        `INSERT INTO graph_delta (person_id, delta_link, window_start, window_end, synced_at) VALUES (?,?,?,?,?)
         ON CONFLICT(person_id) DO UPDATE SET delta_link = excluded.delta_link, window_start = excluded.window_start,
           window_end = excluded.window_end, synced_at = excluded.synced_at`,
      )
      .run(s.personId, s.deltaLink ?? null, s.windowStart ?? null, s.windowEnd ?? null, s.syncedAt ?? null);
  }

  async removeDelta(personId: string): Promise<void> {
    prepared(this.db, 'DELETE FROM graph_delta WHERE person_id = ?').run(personId);
  }

  async markNotified(personId: string, now: string): Promise<void> {
    this.mark('notified_at', personId, now);
  }

  async requestSync(personId: string, now: string): Promise<void> {
    this.mark('sync_requested_at', personId, now);
  }

  async clearMarks(personId: string, upTo: string): Promise<void> {
    prepared(this.db,
        `UPDATE graph_delta SET
           notified_at = CASE WHEN notified_at <= ? THEN NULL ELSE notified_at END,
           sync_requested_at = CASE WHEN sync_requested_at <= ? THEN NULL ELSE sync_requested_at END
         WHERE person_id = ?`,
      )
      .run(upTo, upTo, personId);
  }

  /** Sets a mark column to the later of its value and `now` (the column name is one of two constants). */
  private mark(column: 'notified_at' | 'sync_requested_at', personId: string, now: string): void {
    prepared(this.db,
        `INSERT INTO graph_delta (person_id, ${column}) VALUES (?,?)
         ON CONFLICT(person_id) DO UPDATE SET ${column} = MAX(COALESCE(graph_delta.${column}, ''), excluded.${column})`,
      )
      .run(personId, now);
  }
}
