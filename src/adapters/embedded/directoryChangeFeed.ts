/**
 * Local mode's directory change feed: compares the embedded people group (who
 * is in it, and their managers) with the snapshot taken at the last commit,
 * kept in the store's meta table. The first read takes the snapshot and
 * reports nothing, so the seed organisation is not a crowd of new starters.
 *
 * A change's id is derived from the snapshot it was found against, so a read
 * repeated after a crash (before commit) reports the same ids.
 */
import { createHash } from 'node:crypto';
import type { DirectoryChange } from '../../domain/peopleChanges';
import type { DirectoryChangeBatch, DirectoryChangeFeed } from '../../ports/directoryChanges';
import type { EmbeddedStore } from './store';

const META_KEY = 'directory.snapshot';

export class EmbeddedDirectoryChangeFeed implements DirectoryChangeFeed {
  constructor(private readonly store: EmbeddedStore) {}

  async read(): Promise<DirectoryChangeBatch> {
    const now = this.store.groupSnapshot();
    const raw = this.store.getMeta(META_KEY);
    const commit = async () => this.store.setMeta(META_KEY, JSON.stringify(now));
    if (raw === undefined) {
      await commit();
      return { changes: [], commit: async () => undefined };
    }
    const before = JSON.parse(raw) as Record<string, string | null>;
    const base = createHash('sha256').update(raw).digest('hex').slice(0, 12);
    const id = (kind: string, personId: string) => `dir-${createHash('sha256').update(`${base}|${kind}|${personId}`).digest('hex').slice(0, 16)}`;
    const changes: DirectoryChange[] = [];
    for (const [personId, managerId] of Object.entries(now)) {
      if (!(personId in before)) changes.push({ id: id('joined', personId), kind: 'joined', personId });
      else if (before[personId] !== managerId) changes.push({ id: id('manager', personId), kind: 'manager-changed', personId, ...(managerId ? { managerId } : {}) });
    }
    for (const personId of Object.keys(before)) if (!(personId in now)) changes.push({ id: id('left', personId), kind: 'left', personId });
    return { changes, commit };
  }
}
