/**
 * Who joined or left the people group, and whose manager changed, since the
 * last call: the embedded directory's snapshot locally
 * (src/adapters/embedded/directoryChangeFeed.ts), Graph delta queries on the
 * group's members and on users' managers in a tenant
 * (src/adapters/graph/graphDirectoryChanges.ts).
 *
 * Each change carries an id that is the same if the same change is reported
 * again (a crash before `commit`), so what the app does with it is done once.
 */
import type { DirectoryChange } from '../domain/peopleChanges';

export type { DirectoryChange };

export interface DirectoryChangeBatch {
  changes: DirectoryChange[];
  /** Moves the cursor past these changes; until called, the next read reports them again. */
  commit(): Promise<void>;
}

export interface DirectoryChangeFeed {
  /** The first read of a new feed sets the baseline and reports nothing. */
  read(now: string): Promise<DirectoryChangeBatch>;
}
