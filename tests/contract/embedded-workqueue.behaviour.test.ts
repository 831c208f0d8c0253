/**
 * The embedded work queue (SQLite) against the shared WorkQueue behaviour suite:
 * the semantics the SharePoint queue is held to (sharepoint-workqueue.contract.test.ts).
 * The peer is a second queue on the same database, as a second process on the
 * same file would be.
 */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import { workQueueBehaviour } from './workQueueBehaviour';

workQueueBehaviour('embedded (SQLite)', async () => {
  const db = openDatabase(':memory:');
  return { work: new EmbeddedWorkQueue(db), peer: new EmbeddedWorkQueue(db), close: () => db.close() };
});
