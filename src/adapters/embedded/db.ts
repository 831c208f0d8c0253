/**
 * The embedded store's SQLite database (node:sqlite): one file in the data
 * directory, WAL so readers never block the writer, and forward-only schema
 * migrations tracked in PRAGMA user_version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { MIGRATIONS } from './migrations';

export type Db = DatabaseSync;

export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

export function migrate(db: Db): number {
  let version = schemaVersion(db);
  if (version > MIGRATIONS.length) {
    throw new Error(`database schema version ${version} is newer than this build knows (${MIGRATIONS.length}); upgrade the app`);
  }
  while (version < MIGRATIONS.length) {
    const next = MIGRATIONS[version]!;
    transaction(db, () => {
      db.exec(next);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
    version += 1;
  }
  return version;
}

let savepoints = 0;

/** Runs fn inside BEGIN IMMEDIATE ... COMMIT, rolling back on error; inside a transaction already, a savepoint. */
export function transaction<T>(db: Db, fn: () => T): T {
  if (db.isTransaction) {
    const name = `sp${(savepoints += 1)}`;
    db.exec(`SAVEPOINT ${name}`);
    try {
      const result = fn();
      db.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
      throw err;
    }
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

const statements = new WeakMap<Db, Map<string, StatementSync>>();
/** Bounds the cache: SQL built from optional filters varies, but only over a few shapes. */
const MAX_STATEMENTS = 500;

/**
 * The prepared statement for `sql` on `db`, prepared once and reused. Preparing
 * (parsing and planning) costs more than running the short, indexed queries the
 * adapters make: profiled, it was about a sixth of a timeline wake-up cycle.
 * Safe because node:sqlite runs statements synchronously (one caller at a time),
 * and SQLite re-prepares a statement by itself when the schema changes.
 */
export function prepared(db: Db, sql: string): StatementSync {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= MAX_STATEMENTS) cache.clear();
    cache.set(sql, (stmt = db.prepare(sql)));
  }
  return stmt;
}
