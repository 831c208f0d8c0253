/**
 * The embedded store's SQLite database (node:sqlite): one file in the data
 * directory, WAL so readers never block the writer, and forward-only schema
 * migrations tracked in PRAGMA user_version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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
