/** The embedded outbox and leases (SQLite): durable across restarts, safe for several processes on one file. */
import { randomUUID } from 'node:crypto';
import type { WorkPruning } from '../../ports/ledger';
import type { WorkItem, WorkQueue } from '../../ports/workQueue';
import { type Db, transaction, prepared } from './db';

type Row = Record<string, unknown>;

export class EmbeddedWorkQueue implements WorkQueue, WorkPruning {
  constructor(private readonly db: Db) {}

  async enqueue(kind: string, key: string, payload: Record<string, unknown>, now: string): Promise<boolean> {
    const r = prepared(this.db, "INSERT OR IGNORE INTO outbox (id, kind, key, payload, status, available_at, created_at) VALUES (?,?,?,?,'pending',?,?)")
      .run(randomUUID(), kind, key, JSON.stringify(payload), now, now);
    return Number(r.changes) === 1;
  }

  async lease(kind: string, owner: string, now: string, leaseMs: number, limit: number): Promise<WorkItem[]> {
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    return transaction(this.db, () => {
      const rows = prepared(this.db,
          `SELECT * FROM outbox WHERE kind = ? AND status = 'pending' AND available_at <= ?
           AND (lease_until IS NULL OR lease_until < ?) ORDER BY available_at LIMIT ?`,
        )
        .all(kind, now, now, limit) as Row[];
      const take = prepared(this.db, 'UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?');
      return rows.map((r) => {
        take.run(owner, until, String(r.id));
        return { id: String(r.id), kind: String(r.kind), key: String(r.key), payload: JSON.parse(String(r.payload)), attempts: Number(r.attempts) + 1, createdAt: String(r.created_at) };
      });
    });
  }

  async complete(id: string, owner: string, result: Record<string, unknown>): Promise<void> {
    prepared(this.db, "UPDATE outbox SET status = 'done', result = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND (lease_owner = ? OR lease_owner IS NULL)").run(JSON.stringify(result), id, owner);
  }

  async retry(id: string, owner: string, error: string, availableAt: string): Promise<void> {
    prepared(this.db, 'UPDATE outbox SET available_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?').run(availableAt, error.slice(0, 500), id, owner);
  }

  async result(kind: string, key: string): Promise<Record<string, unknown> | undefined> {
    const r = prepared(this.db, "SELECT result FROM outbox WHERE kind = ? AND key = ? AND status = 'done'").get(kind, key) as Row | undefined;
    return r?.result ? JSON.parse(String(r.result)) : undefined;
  }

  async acquireLease(key: string, owner: string, now: string, leaseMs: number): Promise<boolean> {
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    const r = prepared(this.db,
        `INSERT INTO leases (key, owner, until) VALUES (?,?,?)
         ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE leases.until < ? OR leases.owner = excluded.owner`,
      )
      .run(key, owner, until, now);
    return Number(r.changes) === 1;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    prepared(this.db, 'DELETE FROM leases WHERE key = ? AND owner = ?').run(key, owner);
  }

  // The outbox keeps no finishing time: an item's age is its enqueueing (created_at), which only understates it.
  async pruneDoneWork(kind: string, before: string): Promise<number> {
    return Number(prepared(this.db, "DELETE FROM outbox WHERE kind = ? AND status = 'done' AND created_at < ?").run(kind, before).changes);
  }

  async pruneExpiredLeases(before: string): Promise<number> {
    return Number(prepared(this.db, 'DELETE FROM leases WHERE until < ?').run(before).changes);
  }
}
