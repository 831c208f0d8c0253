/** The SQLite timeline (local mode) against the shared Timeline behaviour suite; the peer shares the database. */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedTimeline } from '../../src/adapters/embedded/timeline';
import { timelineBehaviour } from './timelineBehaviour';

timelineBehaviour('embedded (SQLite)', async () => {
  const db = openDatabase(':memory:');
  return { timeline: new EmbeddedTimeline(db), peer: new EmbeddedTimeline(db), close: () => db.close() };
});
