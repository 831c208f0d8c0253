/**
 * One SQLite transaction around an async function. Safe here because every
 * embedded adapter is synchronous underneath: the function's awaits resolve
 * as microtasks, so nothing else (an HTTP request, another job) runs inside
 * the transaction. Nested use joins the outer transaction. Rolled back if it throws.
 */
import type { UnitOfWork } from '../../ports/unitOfWork';
import type { Db } from './db';

export class EmbeddedUnitOfWork implements UnitOfWork {
  private depth = 0;

  constructor(private readonly db: Db) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0 || this.db.isTransaction) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    this.depth += 1;
    try {
      const result = await fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.depth -= 1;
    }
  }
}
