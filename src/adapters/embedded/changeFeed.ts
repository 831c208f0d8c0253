/**
 * Local mode's change detection: the embedded calendar writes a change feed
 * (as Graph change notifications and delta queries do in a tenant); this reads
 * it from a durable cursor and returns the people whose calendars changed.
 */
import { type Db, prepared } from './db';
import type { CalendarChangeFeed } from '../../ports/changeFeed';


const CURSOR_KEY = 'calendar-changes.cursor';

export class EmbeddedChangeFeed implements CalendarChangeFeed {
  constructor(private readonly db: Db) {}

  /** People with changes since the last call; advances the cursor. */
  poll(): string[] {
    const cursorRow = prepared(this.db, 'SELECT value FROM meta WHERE key = ?').get(CURSOR_KEY) as { value: string } | undefined;
    const cursor = cursorRow ? Number(cursorRow.value) : 0;
    const rows = prepared(this.db, 'SELECT person_id, seq FROM cal_changes WHERE seq > ? ORDER BY seq').all(cursor) as { person_id: string; seq: number }[];
    if (rows.length === 0) return [];
    const last = rows[rows.length - 1]!.seq;
    prepared(this.db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(CURSOR_KEY, String(last));
    return [...new Set(rows.map((r) => r.person_id))];
  }

  /** The port's form of poll(): the cursor advances when asked (not on the next call). */
  async changedPeople(_now: string): Promise<string[]> {
    return this.poll();
  }
}
