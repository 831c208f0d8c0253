/** The embedded agenda store (SQLite) against the shared AgendaStore behaviour suite; the peer is a second store on the same database. */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedAgendaStore } from '../../src/adapters/embedded/agendaStore';
import { agendaStoreBehaviour } from './agendaStoreBehaviour';

agendaStoreBehaviour('embedded (SQLite)', async () => {
  const db = openDatabase(':memory:');
  return { agenda: new EmbeddedAgendaStore(db), peer: new EmbeddedAgendaStore(db), close: () => db.close() };
});
