/** Pruning on SQLite: the claim ledger (EmbeddedLedgerPruning) and the outbox and leases (EmbeddedWorkQueue), one file. */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedLedgerPruning } from '../../src/adapters/embedded/ledgerPruning';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import { pruningBehaviour } from './pruningBehaviour';

pruningBehaviour('embedded (SQLite)', async () => {
  const db = openDatabase(':memory:');
  const work = new EmbeddedWorkQueue(db);
  return { ledger: new EmbeddedStore(db), pruning: new EmbeddedLedgerPruning(db), work, workPruning: work, close: () => db.close() };
});
