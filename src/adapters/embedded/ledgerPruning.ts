/** Pruning the embedded claim ledger (SQLite): old claims of a kind go in one statement. */
import type { LedgerPruning } from '../../ports/ledger';
import { type Db, prepared } from './db';

export class EmbeddedLedgerPruning implements LedgerPruning {
  constructor(private readonly db: Db) {}

  async pruneClaims(kind: string, before: string, exceptKey?: string): Promise<number> {
    if (exceptKey === undefined) return Number(prepared(this.db, 'DELETE FROM ledger WHERE kind = ? AND at < ?').run(kind, before).changes);
    return Number(prepared(this.db, 'DELETE FROM ledger WHERE kind = ? AND at < ? AND key <> ?').run(kind, before, exceptKey).changes);
  }
}
