/**
 * The notification inbox in a local directory (PT_DATA_DIR/graph-inbox): one file
 * per delivery. For a tenant without Azure Storage, which runs one instance; its
 * directory must then be on a persistent disk, or a delivery answered 202 and not
 * yet processed is lost with the disk (Graph does not resend it; the next delta
 * sweep finds the change, later). With Azure Storage the inbox is a queue every
 * instance shares (src/adapters/azure/azureNotificationInbox.ts).
 *
 * Why a file and not memory: a local write takes milliseconds, so the webhook can
 * answer within Graph's 3 s whatever the store's latency, and a crash between the
 * answer and the processing leaves the file for the next start.
 *
 * Each file is written under a temporary name and renamed, so a half-written
 * delivery is never read. Its name carries how many times it was taken
 * (`<id>.<attempts>.json`); each take renames it to the next count, so the count
 * survives restarts, and one taken more than `maxTakes` times is set aside as
 * `<id>.poison` (an unreadable one as `.bad`). A take holds an entry in this
 * process's memory for `holdMs`: not done by then (its processing failed), the
 * next take gets it again; a restart forgets every hold.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { InboxEntry, NotificationBatch, NotificationInbox, PoisonedEntry } from '../../ports/notificationInbox';

export interface GraphInboxOptions {
  /** More waiting than this and the webhook answers 503 (Graph retries later) instead of filling the disk. */
  maxPending?: number;
  /** How long a take holds an entry (default 2 minutes). */
  holdMs?: number;
  /** Takes after which an entry is set aside (default 5). */
  maxTakes?: number;
}

const NAME = /^([0-9]{15}-[0-9a-f-]{36})(?:\.([0-9]+))?\.json$/;

export class GraphInbox implements NotificationInbox {
  private ready?: Promise<void>;
  readonly maxPending: number;
  private readonly holdMs: number;
  private readonly maxTakes: number;
  /** Entries this process holds: until when, and the file's current name. */
  private readonly held = new Map<string, { until: number; file: string }>();

  constructor(
    private readonly dir: string,
    options: GraphInboxOptions = {},
  ) {
    this.maxPending = options.maxPending ?? 10_000;
    this.holdMs = options.holdMs ?? 120_000;
    this.maxTakes = options.maxTakes ?? 5;
  }

  private ensure(): Promise<void> {
    this.ready ??= fs.mkdir(this.dir, { recursive: true }).then(() => undefined);
    return this.ready;
  }

  async put(endpoint: InboxEntry['endpoint'], body: NotificationBatch): Promise<InboxEntry[] | undefined> {
    await this.ensure();
    if ((await fs.readdir(this.dir)).length >= this.maxPending) return undefined;
    const id = `${Date.now().toString().padStart(15, '0')}-${randomUUID()}`;
    const file = `${id}.1.json`;
    const entry: InboxEntry = { id, endpoint, body, attempts: 1, receipt: file };
    await fs.writeFile(path.join(this.dir, `${file}.tmp`), JSON.stringify({ id, endpoint, body }));
    await fs.rename(path.join(this.dir, `${file}.tmp`), path.join(this.dir, file));
    this.held.set(id, { until: Date.now() + this.holdMs, file });
    return [entry];
  }

  async take(limit: number): Promise<{ entries: InboxEntry[]; poisoned: PoisonedEntry[] }> {
    await this.ensure();
    const entries: InboxEntry[] = [];
    const poisoned: PoisonedEntry[] = [];
    const names = (await fs.readdir(this.dir)).filter((n) => NAME.test(n)).sort();
    for (const name of names) {
      if (entries.length >= limit) break;
      const [, id, n] = NAME.exec(name)!;
      if ((this.held.get(id!)?.until ?? 0) > Date.now()) continue;
      const attempts = Number(n ?? 0) + 1;
      const file = attempts > this.maxTakes ? `${id}.poison` : `${id}.${attempts}.json`;
      try {
        // The rename is the take: another process renaming it first makes ours fail (ENOENT).
        await fs.rename(path.join(this.dir, name), path.join(this.dir, file));
      } catch {
        continue;
      }
      let stored: { endpoint: InboxEntry['endpoint']; body: NotificationBatch };
      try {
        stored = JSON.parse(await fs.readFile(path.join(this.dir, file), 'utf8')) as typeof stored;
      } catch {
        // Unreadable: not ours to guess at; set aside so it is not retried for ever.
        await fs.rename(path.join(this.dir, file), path.join(this.dir, `${id}.bad`)).catch(() => undefined);
        continue;
      }
      if (attempts > this.maxTakes) {
        poisoned.push({ id: id!, endpoint: stored.endpoint, attempts: attempts - 1 });
        continue;
      }
      this.held.set(id!, { until: Date.now() + this.holdMs, file });
      entries.push({ id: id!, endpoint: stored.endpoint, body: stored.body, attempts, receipt: file });
    }
    return { entries, poisoned };
  }

  async done(entry: InboxEntry): Promise<void> {
    // Taken again since (a slow processing outlived its hold): the file has a newer name.
    const current = this.held.get(entry.id)?.file;
    this.held.delete(entry.id);
    await Promise.all([...new Set([entry.receipt, current ?? entry.receipt])].map((f) => fs.rm(path.join(this.dir, f), { force: true })));
  }
}
