/**
 * The embedded store (SQLite) against the shared RecordStore behaviour suite:
 * the semantics the SharePoint store is held to (sharepoint-store.contract.test.ts).
 */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { recordStoreBehaviour } from './recordStoreBehaviour';

recordStoreBehaviour('embedded (SQLite)', async (people) => {
  const db = openDatabase(':memory:');
  const store = new EmbeddedStore(db);
  for (const p of people) store.upsertPerson(p);
  return { store, close: () => db.close() };
});
