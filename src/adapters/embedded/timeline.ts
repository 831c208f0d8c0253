/**
 * Relationship wake-ups in SQLite (local mode: the same one file). One row per
 * relationship; `version` counts wakes, so settle() can tell whether the
 * relationship was woken again while it was being handled.
 */
import type { TakenWakeup, Timeline, Wakeup } from '../../ports/timeline';
import { type Db, prepared } from './db';

type Row = { relationship_id: string; at: string; reason: string; version: number; lease_owner: string | null; lease_until: string | null };

export class EmbeddedTimeline implements Timeline {
  constructor(private readonly db: Db) {}

  async wake(relationshipId: string, at: string, reason: string, _now?: string, options: { resend?: boolean } = {}): Promise<void> {
    if (options.resend) {
      // Set afresh (the consistency sweep found it overdue and never taken).
      prepared(this.db, 'UPDATE timeline SET at = ?, reason = ?, version = version + 1, lease_owner = NULL, lease_until = NULL WHERE relationship_id = ?').run(at, reason, relationshipId);
    }
    prepared(this.db,
        `INSERT INTO timeline (relationship_id, at, reason, version) VALUES (?,?,?,1)
         ON CONFLICT(relationship_id) DO UPDATE SET
           reason = CASE WHEN excluded.at < timeline.at THEN excluded.reason ELSE timeline.reason END,
           at = min(timeline.at, excluded.at),
           version = timeline.version + 1`,
      )
      .run(relationshipId, at, reason);
  }

  async take(now: string, owner: string, leaseMs: number, limit: number): Promise<TakenWakeup[]> {
    if (limit <= 0) return [];
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    // One statement: choosing and leasing are atomic without a transaction of row-by-row updates.
    const rows = prepared(
      this.db,
      `UPDATE timeline SET lease_owner = ?, lease_until = ? WHERE relationship_id IN (
         SELECT relationship_id FROM timeline WHERE at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY at, relationship_id LIMIT ?)
       RETURNING relationship_id, at, reason, version`,
    ).all(owner, until, now, now, limit) as Row[];
    rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.relationship_id < b.relationship_id ? -1 : 1));
    return rows.map((r) => ({ relationshipId: r.relationship_id, at: r.at, reason: r.reason, handle: String(r.version) }));
  }

  async settle(taken: TakenWakeup, owner: string, next: { at: string; reason: string }): Promise<void> {
    // Only while we still hold it (not forgotten, our lease not run out and taken by someone else). Woken again
    // while we handled it (the version moved on): the earlier of the two wake-ups stays. One statement, so atomic.
    prepared(
      this.db,
      `UPDATE timeline SET
         at = CASE WHEN version <> ? AND at < ? THEN at ELSE ? END,
         reason = CASE WHEN version <> ? AND at < ? THEN reason ELSE ? END,
         lease_owner = NULL, lease_until = NULL
       WHERE relationship_id = ? AND lease_owner = ?`,
    ).run(Number(taken.handle), next.at, next.at, Number(taken.handle), next.at, next.reason, taken.relationshipId, owner);
  }

  async list(): Promise<Wakeup[]> {
    return (prepared(this.db, 'SELECT relationship_id, at, reason FROM timeline ORDER BY relationship_id').all() as Row[]).map((r) => ({ relationshipId: r.relationship_id, at: r.at, reason: r.reason }));
  }

  async forget(relationshipId: string): Promise<void> {
    prepared(this.db, 'DELETE FROM timeline WHERE relationship_id = ?').run(relationshipId);
  }
}
