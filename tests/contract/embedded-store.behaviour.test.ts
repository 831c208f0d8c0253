/**
 * The embedded store (SQLite) against the shared RecordStore behaviour suite:
 * the semantics the SharePoint store is held to (sharepoint-store.contract.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { recordStoreBehaviour } from './recordStoreBehaviour';

recordStoreBehaviour('embedded (SQLite)', async (people) => {
  const db = openDatabase(':memory:');
  const store = new EmbeddedStore(db);
  for (const p of people) store.upsertPerson(p);
  return { store, close: () => db.close() };
});

// On a file, as in local mode, so disposal is checked against the bytes on disk (database and write-ahead log).
recordStoreBehaviour('embedded (SQLite file)', async (people) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-store-'));
  const file = path.join(dir, 'pt.sqlite');
  const db = openDatabase(file);
  const store = new EmbeddedStore(db);
  for (const p of people) store.upsertPerson(p);
  const holdsText = async (text: string) =>
    fs.readdirSync(dir).some((f) => fs.readFileSync(path.join(dir, f)).includes(Buffer.from(text, 'utf8')));
  return { store, holdsText, close: () => (db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
});
