/**
 * The WorkQueue on SharePoint lists through Microsoft Graph (tenant mode), with
 * the embedded queue's semantics (src/adapters/embedded/workQueue.ts): the
 * contract tests run one behaviour suite against both
 * (tests/contract/workQueueBehaviour.ts).
 *
 * How it maps (the lists and columns are in listSchema.ts):
 * - The outbox is pt-outbox: one item per (kind, key), its identity the unique
 *   indexed `ptKey` (SHA-256 of [kind, key]), so "enqueue once" is SharePoint
 *   refusing the second create (409), not a read-then-write race. A work
 *   item's id is its list item id.
 * - Its state is in exact columns: `availableAt` and `leaseUntil` are ISO text
 *   (dateTime columns keep whole seconds, and the embedded queue compares exact
 *   instants), `leaseOwner`, `attempts`, `status`; the immutable part (kind, key,
 *   payload, createdAt) is the JSON body, the result and the last error have
 *   columns of their own so finishing an item never rewrites the payload.
 * - lease() reads with ONE indexed filter, `fields/ptQueue eq 'pending:<kind>'`
 *   (status and kind in one column): exactly the pending items of the kind,
 *   never the done ones that pile up. Due and not leased (or lease expired) is
 *   checked here, exactly. Each is then taken with a PATCH carrying the item's
 *   eTag in If-Match (several go together as one $batch): 412 means another
 *   worker took it first, and it is skipped (the next candidate is tried, up to
 *   `limit`).
 * - complete() and retry() PATCH under If-Match too, after checking the owner.
 *   The eTag a take answered with is remembered, so completing what this
 *   instance leased is one request; a 412 (the lease expired and someone else
 *   took the item) reads the item again and decides on what is there now.
 * - Leases per key are pt-leases items: created with the unique ptKey (one
 *   instance wins the create), taken over under If-Match only when expired or
 *   held by the same owner, released by clearing `leaseUntil` (the app never
 *   deletes anything in SharePoint).
 * - Creates are not sent blindly again after a timeout or 5xx: the item is
 *   looked up by its key and `ptWriteId` first. A take whose answer was lost is
 *   looked up too (is the lease ours?).
 *
 * Requests (after the site and list ids, looked up once per instance):
 * enqueue 1; lease 1 read + 1 write for one item (a $batch for 2-20); complete
 * and retry 1 when this instance leased the item, else 2; result 1;
 * acquireLease 2 the first time (read + create or take), 1 when this instance
 * knows the item's eTag (it held or released it last); releaseLease 1 (2 if not known).
 */
import { z } from 'zod';
import type { WorkItem, WorkQueue } from '../../ports/workQueue';
import { GraphError } from '../graph/graphErrors';
import type { BatchResult, GraphCall, GraphHttp } from '../graph/graphHttp';
import { BODY_COLUMN } from './listSchema';
import { type CreateOutcome, type Fields, type ListItem as Item, ListItems, checkFields, cmp, cut, newItemFields, requireETag, text } from './listItems';
import * as schema from './sharepointSchemas';

export interface SharePointWorkQueueOptions {
  http: GraphHttp;
  /** The app's site: its URL (SHAREPOINT_SITE_URL) or its Graph id. */
  site: { siteUrl: string } | { siteId: string };
  /** List items per page ($top). */
  pageSize?: number;
  /** The longest payload (as JSON) written to the outbox's body column. */
  maxBodyChars?: number;
}

const OUTBOX = 'pt-outbox';
const LEASES = 'pt-leases';
/** Reads and re-reads after a 412 before giving up on a write. */
const MAX_ATTEMPTS = 3;
/** Items whose eTag is remembered (leased here, not yet completed or retried); beyond it the memory starts again. */
const MAX_REMEMBERED = 5_000;

interface OutboxBody {
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

export class SharePointWorkQueue implements WorkQueue {
  private readonly http: GraphHttp;
  private readonly items: ListItems;
  private readonly maxBodyChars: number;
  /** Outbox items as this instance last wrote them (by item id), so complete/retry need not read first. */
  private readonly outboxSeen = new Map<string, Item>();
  /** Lease items as this instance last saw or wrote them (by lease key). */
  private readonly leasesSeen = new Map<string, Item>();

  constructor(options: SharePointWorkQueueOptions) {
    this.http = options.http;
    this.items = new ListItems({ http: options.http, site: options.site, pageSize: options.pageSize ?? 500, check: (list, fields) => this.check(list, fields) });
    this.maxBodyChars = options.maxBodyChars ?? 63_999;
  }

  // ---- the outbox ----
  async enqueue(kind: string, key: string, payload: Record<string, unknown>, now: string): Promise<boolean> {
    const body: OutboxBody = { kind, key, payload, createdAt: now };
    const fields: Fields = {
      Title: cut(`${kind}: ${key}`),
      status: 'pending',
      ptQueue: cut(queueOf('pending', kind)),
      kind: cut(kind),
      workKey: cut(key),
      availableAt: now,
      ...dueAt(now),
      attempts: 0,
      [BODY_COLUMN]: JSON.stringify(body),
    };
    return (await this.create(OUTBOX, [kind, key], fields)).outcome === 'created';
  }

  async lease(kind: string, owner: string, now: string, leaseMs: number, limit: number): Promise<WorkItem[]> {
    if (limit <= 0) return [];
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    const candidates = (await this.items.query(OUTBOX, { column: 'ptQueue', op: 'eq', value: cut(queueOf('pending', kind)) }))
      .map((item) => ({ item, body: outboxBody(item) }))
      .filter(({ item, body }) => body.kind === kind && item.fields.status === 'pending' && text(item, 'availableAt') <= now && isFree(item, now))
      // The embedded queue's order: by availableAt (then, as SQLite's rowid, by creation).
      .sort((a, b) => cmp(text(a.item, 'availableAt'), text(b.item, 'availableAt')) || Number(a.item.itemId) - Number(b.item.itemId));
    const taken: WorkItem[] = [];
    let next = 0;
    while (taken.length < limit && next < candidates.length) {
      const round = candidates.slice(next, next + (limit - taken.length));
      next += round.length;
      const calls = await Promise.all(
        round.map(({ item }) => this.patchCall(OUTBOX, item, { leaseOwner: owner, leaseUntil: until, attempts: attemptsOf(item) + 1 }, `takeWork(${OUTBOX})`)),
      );
      const results = await this.writeAll(calls);
      for (let k = 0; k < round.length; k++) {
        const { item, body } = round[k]!;
        const attempts = attemptsOf(item) + 1;
        const r = results[k]!;
        let mine: Item | undefined;
        if (r.ok) {
          mine = afterPatch(item, { leaseOwner: owner, leaseUntil: until, attempts }, r.value);
        } else if (r.error.status === 412 || r.error.notFound || r.error.status === 429) {
          continue; // another worker took it (or it is gone, or Graph refused the write): not ours this time
        } else if (r.error.ambiguous) {
          // Did the take land? Look: ours if the item says so.
          const now2 = await this.items.getItem(OUTBOX, item.itemId);
          if (now2 && text(now2, 'leaseOwner') === owner && text(now2, 'leaseUntil') === until) mine = now2;
          else continue;
        } else {
          throw r.error;
        }
        this.remember(this.outboxSeen, item.itemId, mine);
        taken.push({ id: item.itemId, kind: body.kind, key: body.key, payload: body.payload, attempts, createdAt: body.createdAt });
      }
    }
    return taken;
  }

  async complete(id: string, owner: string, result: Record<string, unknown>, _now: string): Promise<void> {
    await this.updateOutbox(id, (item) => {
      // As the embedded queue: the holder of the lease, or anyone when nobody holds it.
      const holder = text(item, 'leaseOwner');
      if (holder && holder !== owner) return undefined;
      const kind = outboxBody(item).kind;
      return { status: 'done', ptQueue: cut(queueOf('done', kind)), leaseOwner: '', leaseUntil: '', ptResult: JSON.stringify(result) };
    });
  }

  async retry(id: string, owner: string, error: string, availableAt: string): Promise<void> {
    await this.updateOutbox(id, (item) => {
      if (text(item, 'leaseOwner') !== owner) return undefined;
      return { availableAt, ...dueAt(availableAt), lastError: error.slice(0, 500), leaseOwner: '', leaseUntil: '' };
    });
  }

  async result(kind: string, key: string): Promise<Record<string, unknown> | undefined> {
    const item = await this.items.findByKey(OUTBOX, [kind, key]);
    if (!item || item.fields.status !== 'done') return undefined;
    const raw = item.fields.ptResult;
    return typeof raw === 'string' && raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
  }

  // ---- leases per key ----
  async acquireLease(key: string, owner: string, now: string, leaseMs: number): Promise<boolean> {
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    const wanted = { leaseOwner: owner, leaseUntil: until };
    let known = this.leasesSeen.get(key);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // What this instance remembers is trusted only to take the lease (If-Match checks it is still so).
      if (known && !(isFree(known, now) || text(known, 'leaseOwner') === owner)) known = undefined;
      const item = known ?? (await this.items.findByKey(LEASES, [key]));
      known = undefined;
      if (!item) {
        const created = await this.create(LEASES, [key], { Title: cut(key), leaseKey: cut(key), ...wanted });
        if (created.outcome === 'created') {
          this.remember(this.leasesSeen, key, created.item);
          return true;
        }
        continue; // another instance created it first: look at theirs
      }
      if (!(isFree(item, now) || text(item, 'leaseOwner') === owner)) {
        this.remember(this.leasesSeen, key, item);
        return false;
      }
      try {
        const value = await this.http.json(await this.patchCall(LEASES, item, wanted, `takeLease(${LEASES})`), schema.fieldValueSet);
        this.remember(this.leasesSeen, key, afterPatch(item, wanted, value));
        return true;
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
        this.leasesSeen.delete(key);
        if (err.status === 412 || err.notFound) continue; // changed since it was read: decide again on what is there now
        if (!err.ambiguous) throw err;
        const now2 = await this.items.findByKey(LEASES, [key]);
        if (now2 && text(now2, 'leaseOwner') === owner && text(now2, 'leaseUntil') === until) {
          this.remember(this.leasesSeen, key, now2);
          return true;
        }
        known = now2;
      }
    }
    // Contended throughout: as the embedded queue's refused upsert, not held.
    return false;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    const held = (i: Item) => text(i, 'leaseOwner') === owner && text(i, 'leaseUntil') !== '';
    let item = this.leasesSeen.get(key);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Remembered state is trusted only to write (under If-Match), never to decide there is nothing to release.
      if (item && !held(item)) item = undefined;
      item ??= await this.items.findByKey(LEASES, [key]);
      if (!item || !held(item)) return;
      const released = { leaseUntil: '' };
      try {
        const value = await this.http.json(await this.patchCall(LEASES, item, released, `releaseLease(${LEASES})`), schema.fieldValueSet);
        this.remember(this.leasesSeen, key, afterPatch(item, released, value));
        return;
      } catch (err) {
        this.leasesSeen.delete(key);
        if (!(err instanceof GraphError) || !(err.status === 412 || err.ambiguous)) throw err;
        item = undefined; // read again: still ours?
      }
    }
    throw new Error(`${LEASES}: could not release ${key}: it kept changing`);
  }

  // ---- outbox updates under If-Match ----
  /** Applies `change` (undefined: nothing to do) to the item as it is, under If-Match, reading again after a 412. */
  private async updateOutbox(id: string, change: (item: Item) => Fields | undefined): Promise<void> {
    let item = this.outboxSeen.get(id);
    this.outboxSeen.delete(id);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // What this instance remembers is trusted only to write (If-Match checks it is still so), never to refuse.
      if (item && !change(item)) item = undefined;
      item ??= await this.items.getItem(OUTBOX, id);
      if (!item) return;
      const fields = change(item);
      if (!fields) return;
      try {
        await this.http.json(await this.patchCall(OUTBOX, item, fields, `updateWork(${OUTBOX})`), schema.fieldValueSet);
        return;
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
        if (err.notFound) return;
        if (err.status !== 412 && !err.ambiguous) throw err;
        // Changed since it was read (or we cannot tell whether our write landed): read it and decide again.
        item = undefined;
      }
    }
    throw new Error(`${OUTBOX}: could not update work item ${id}: it kept changing`);
  }

  // ---- list items over Graph ----
  /** A PATCH under If-Match with the item's eTag: without one there is nothing to guard with, and a write that may overwrite another worker's is not made. */
  private async patchCall(list: string, item: Item, fields: Fields, call: string): Promise<GraphCall> {
    return this.items.patchCall(list, item.itemId, fields, { ifMatch: requireETag(list, item, 'the work queue writes only under If-Match'), call });
  }

  /** One PATCH on its own, several as $batch; a request that failed as a whole is every write's failure. */
  private async writeAll(calls: GraphCall[]): Promise<BatchResult<z.infer<typeof schema.fieldValueSet>>[]> {
    try {
      return calls.length === 1 ? [{ ok: true, value: await this.http.json(calls[0]!, schema.fieldValueSet) }] : await this.http.many(calls, schema.fieldValueSet);
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      return calls.map(() => ({ ok: false, error: err }));
    }
  }

  /** Creates an item unless one with its key exists (looking, after a timeout or 5xx, before sending again). */
  private async create(list: string, key: unknown[], fields: Fields): Promise<CreateOutcome> {
    return this.items.create(list, key, { ...newItemFields(key), ...fields }, MAX_ATTEMPTS);
  }

  /** Values SharePoint would refuse, and JSON longer than the queue writes, refused here with the column named. */
  private check(list: string, fields: Fields): void {
    checkFields(list, fields, (name, value, column) =>
      (name === BODY_COLUMN || column?.type === 'note') && value.length > this.maxBodyChars
        ? `${list}: ${name} is ${value.length} characters of JSON; the work queue writes at most ${this.maxBodyChars}`
        : undefined,
    );
  }

  /** Keeps what an item is now, when its eTag is known (without one it is read again next time). */
  private remember(seen: Map<string, Item>, key: string, item: Item): void {
    if (!item.eTag) {
      seen.delete(key);
      return;
    }
    if (seen.size >= MAX_REMEMBERED && !seen.has(key)) seen.clear();
    seen.set(key, item);
  }
}

function queueOf(status: 'pending' | 'done', kind: string): string {
  return `${status}:${kind}`;
}

/** The dateTime mirror of an exact instant (admins sort and filter the list on it). */
function dueAt(instant: string): Fields {
  const t = Date.parse(instant);
  return Number.isNaN(t) ? {} : { dueAt: new Date(t).toISOString() };
}

function attemptsOf(item: Item): number {
  const n = Number(item.fields.attempts ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** Not leased, or its lease has run out (an empty leaseUntil is a released lease). */
function isFree(item: Item, now: string): boolean {
  return text(item, 'leaseUntil') < now;
}

function outboxBody(item: Item): OutboxBody {
  const raw = item.fields[BODY_COLUMN];
  if (typeof raw !== 'string') throw new Error(`${OUTBOX} item ${item.itemId} has no ${BODY_COLUMN}: it was not written by Protected Time`);
  return JSON.parse(raw) as OutboxBody;
}

/** The item after our PATCH: the fields we wrote, and the eTag the answer carries (none: read it next time). */
function afterPatch(item: Item, fields: Fields, answer: Record<string, unknown>): Item {
  const eTag = typeof answer['@odata.etag'] === 'string' ? answer['@odata.etag'] : undefined;
  return { itemId: item.itemId, ...(eTag ? { eTag } : {}), fields: { ...item.fields, ...fields } };
}
