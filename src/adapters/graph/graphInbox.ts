/**
 * Where Graph's change notifications wait between the webhook's answer and
 * their processing: one file per delivery in a local directory (PT_DATA_DIR).
 *
 * Why: Graph wants an answer within 3 s (change-notifications-delivery-webhooks.md;
 * slow endpoints are delayed, then dropped), and handling a notification means
 * SharePoint reads and writes (the subscription's clientState, the person's
 * mark) that can take seconds each. So the webhook writes the body here
 * (a local write: milliseconds), answers 202, and the receiver processes it
 * afterwards. A crash between the two leaves the file, which the next start
 * processes; processing is idempotent (marks collapse), so a replay does no harm.
 * Each file is written under a temporary name and renamed, so a half-written
 * delivery is never read.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface InboxEntry {
  id: string;
  endpoint: 'notifications' | 'lifecycle';
  body: unknown;
}

export class GraphInbox {
  private ready?: Promise<void>;

  constructor(
    private readonly dir: string,
    /** More waiting than this and the webhook answers 503 (Graph retries later) instead of filling the disk. */
    readonly maxPending = 10_000,
  ) {}

  private ensure(): Promise<void> {
    this.ready ??= fs.mkdir(this.dir, { recursive: true }).then(() => undefined);
    return this.ready;
  }

  /** Stores a delivery; resolves with its entry once it is on disk, or undefined when the inbox is full. */
  async put(endpoint: InboxEntry['endpoint'], body: unknown): Promise<InboxEntry | undefined> {
    await this.ensure();
    if ((await fs.readdir(this.dir)).length >= this.maxPending) return undefined;
    const entry: InboxEntry = { id: `${Date.now().toString().padStart(15, '0')}-${randomUUID()}`, endpoint, body };
    const file = path.join(this.dir, `${entry.id}.json`);
    await fs.writeFile(`${file}.tmp`, JSON.stringify(entry));
    await fs.rename(`${file}.tmp`, file);
    return entry;
  }

  /** Deliveries stored and not yet processed, oldest first (after a restart). */
  async pending(): Promise<InboxEntry[]> {
    await this.ensure();
    const names = (await fs.readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    const out: InboxEntry[] = [];
    for (const n of names) {
      try {
        out.push(JSON.parse(await fs.readFile(path.join(this.dir, n), 'utf8')) as InboxEntry);
      } catch {
        // Unreadable: not ours to guess at; set aside so it is not retried for ever.
        await fs.rename(path.join(this.dir, n), path.join(this.dir, `${n}.bad`)).catch(() => undefined);
      }
    }
    return out;
  }

  async done(id: string): Promise<void> {
    await fs.rm(path.join(this.dir, `${id}.json`), { force: true });
  }
}
