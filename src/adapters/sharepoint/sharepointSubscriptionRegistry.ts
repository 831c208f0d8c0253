/**
 * The SubscriptionRegistry on SharePoint lists through Microsoft Graph (tenant
 * mode), with the embedded registry's semantics
 * (src/adapters/embedded/subscriptionRegistry.ts): the contract tests run one
 * behaviour suite against both (tests/contract/subscriptionRegistryBehaviour.ts).
 *
 * How it maps (the lists and columns are in listSchema.ts):
 * - pt-subscriptions: one item per Graph subscription, its identity the unique
 *   indexed `ptKey` (SHA-256 of the subscription id). pt-calendar-delta: one
 *   item per person, `ptKey` the SHA-256 of the person id, holding the delta
 *   cursor and the two change marks.
 * - No JSON body: every field is a column of its own, exact ISO text for the
 *   instants (dateTime columns keep whole seconds, and marks are compared
 *   exactly), a plain multi-line column for the deltaLink (longer than 255).
 *   A PATCH of some columns leaves the others alone, so writers of different
 *   fields (the change feed saving a cursor, the webhook marking a person) do
 *   not overwrite each other.
 * - The app deletes nothing in SharePoint: remove() and removeDelta() set
 *   `ptState` to "deleted" (removeDelta also blanks the fields), and reads skip
 *   such items. Saving or marking again brings the item back, as an insert
 *   after a delete would. list() and listDelta() filter on the indexed
 *   `ptState eq 'held'`, so the deleted ones are never read again.
 * - Marks are read-modify-write ("the later of the stored mark and now";
 *   "clear if at or before upTo"), so they are written under If-Match with the
 *   item's eTag: a 412 (another instance marked or cleared meanwhile) reads the
 *   item again and decides on what is there now. Without it, a clear racing a
 *   new notification could wipe the new mark, and that change would wait for
 *   the periodic sweep. The first mark of a person is a create; two instances
 *   creating at once are decided by the unique ptKey (the loser reads and writes).
 *   Cursor writes and removals go under If-Match too, so a removal racing a
 *   cursor write never leaves a stale cursor on a deleted item.
 * - The eTag of an item this instance last wrote or listed is remembered, so a
 *   mark or a clear of a known person is one request; what is remembered is
 *   trusted only to write under If-Match, never to decide there is nothing to do.
 * - Creates are not sent blindly again after a timeout or 5xx: the item is
 *   looked up by its key and `ptWriteId` first.
 *
 * Requests (after the site and list ids, looked up once per instance):
 * get, getDelta 1; list, listDelta 1 per page; save, setStatus, remove 2
 * (read + write); saveDelta, removeDelta, markNotified, requestSync and
 * clearMarks 1 when the person's item is remembered, else 2.
 */
import type { DeltaCursor, DeltaState, SubscriptionRecord, SubscriptionRegistry, SubscriptionStatus } from '../../ports/subscriptions';
import { GraphError } from '../graph/graphErrors';
import type { GraphHttp } from '../graph/graphHttp';
import { type Fields, type ListItem as Item, ListItems, checkFields, cmp, cut, newItemFields, requireETag, text } from './listItems';
import * as schema from './sharepointSchemas';

export interface SharePointSubscriptionRegistryOptions {
  http: GraphHttp;
  /** The app's site: its URL (SHAREPOINT_SITE_URL) or its Graph id. */
  site: { siteUrl: string } | { siteId: string };
  /** List items per page ($top). */
  pageSize?: number;
}

export const SUBSCRIPTIONS_LIST = 'pt-subscriptions';
export const DELTA_LIST = 'pt-calendar-delta';
const HELD = 'held';
const DELETED = 'deleted';
/** Reads and re-reads after a 412 or a lost create before giving up on a write. */
const MAX_ATTEMPTS = 4;
/** Items whose eTag is remembered; beyond it the memory starts again. */
const MAX_REMEMBERED = 10_000;

const DELTA_CURSOR_COLUMNS = ['deltaLink', 'windowStart', 'windowEnd', 'syncedAt'] as const;
const DELTA_MARK_COLUMNS = ['notifiedAt', 'syncRequestedAt'] as const;
type MarkColumn = (typeof DELTA_MARK_COLUMNS)[number];

export class SharePointSubscriptionRegistry implements SubscriptionRegistry {
  private readonly http: GraphHttp;
  private readonly items: ListItems;
  /** Delta items as this instance last read or wrote them (by person id), for writes under If-Match. */
  private readonly deltaSeen = new Map<string, Item>();

  constructor(options: SharePointSubscriptionRegistryOptions) {
    this.http = options.http;
    // The columns are the truth (there is no body), so nothing is cut: an id longer than a text column is refused rather than stored shortened.
    this.items = new ListItems({ http: options.http, site: options.site, pageSize: options.pageSize ?? 500, check: (list, fields) => checkFields(list, fields) });
  }

  // ---- subscriptions ----
  async save(r: SubscriptionRecord): Promise<void> {
    const fields: Fields = {
      Title: cut(r.personId),
      subscriptionId: r.id,
      personId: r.personId,
      resource: r.resource,
      clientStateHash: r.clientStateHash,
      expiresAt: r.expiresAt,
      status: r.status,
      updatedAt: r.updatedAt,
      ptState: HELD,
    };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const existing = await this.items.findByKey(SUBSCRIPTIONS_LIST, [r.id]);
      if (existing) {
        // As the embedded upsert: a held subscription keeps the createdAt it was first saved with.
        const held = text(existing, 'ptState') === HELD;
        await this.patch(SUBSCRIPTIONS_LIST, existing, held ? fields : { ...fields, createdAt: r.createdAt });
        return;
      }
      if ((await this.create(SUBSCRIPTIONS_LIST, [r.id], { ...fields, createdAt: r.createdAt })) === 'created') return;
      // Created by someone else meanwhile: update theirs.
    }
    throw new Error(`${SUBSCRIPTIONS_LIST}: could not save subscription ${r.id}: it kept changing`);
  }

  async get(id: string): Promise<SubscriptionRecord | undefined> {
    const item = await this.items.findByKey(SUBSCRIPTIONS_LIST, [id]);
    return item && text(item, 'ptState') === HELD ? recordOf(item) : undefined;
  }

  async list(): Promise<SubscriptionRecord[]> {
    const items = (await this.items.query(SUBSCRIPTIONS_LIST, { column: 'ptState', op: 'eq', value: HELD })).filter((i) => text(i, 'ptState') === HELD);
    return items
      .map((item) => ({ item, r: recordOf(item) }))
      .sort((a, b) => cmp(a.r.personId, b.r.personId) || cmp(a.r.createdAt, b.r.createdAt) || Number(a.item.itemId) - Number(b.item.itemId))
      .map(({ r }) => r);
  }

  async setStatus(id: string, status: SubscriptionStatus, now: string): Promise<boolean> {
    const item = await this.items.findByKey(SUBSCRIPTIONS_LIST, [id]);
    if (!item || text(item, 'ptState') !== HELD) return false;
    await this.patch(SUBSCRIPTIONS_LIST, item, { status, updatedAt: now });
    return true;
  }

  async remove(id: string): Promise<void> {
    const item = await this.items.findByKey(SUBSCRIPTIONS_LIST, [id]);
    if (!item || text(item, 'ptState') !== HELD) return;
    await this.patch(SUBSCRIPTIONS_LIST, item, { ptState: DELETED });
  }

  // ---- delta cursors and change marks ----
  async getDelta(personId: string): Promise<DeltaState | undefined> {
    const item = await this.findDelta(personId);
    return item && text(item, 'ptState') === HELD ? deltaOf(item) : undefined;
  }

  async listDelta(): Promise<DeltaState[]> {
    const items = (await this.items.query(DELTA_LIST, { column: 'ptState', op: 'eq', value: HELD })).filter((i) => text(i, 'ptState') === HELD);
    for (const item of items) this.remember(text(item, 'personId'), item);
    return items
      .map((item) => ({ item, d: deltaOf(item) }))
      .sort((a, b) => cmp(a.d.personId, b.d.personId) || Number(a.item.itemId) - Number(b.item.itemId))
      .map(({ d }) => d);
  }

  async saveDelta(cursor: DeltaCursor): Promise<void> {
    // Every cursor column is written (absent ones blank, as the embedded upsert sets them NULL); the marks are left alone.
    const cursorFields: Fields = {
      deltaLink: cursor.deltaLink ?? '',
      windowStart: cursor.windowStart ?? '',
      windowEnd: cursor.windowEnd ?? '',
      syncedAt: cursor.syncedAt ?? '',
    };
    await this.writeDelta(cursor.personId, () => cursorFields);
  }

  async removeDelta(personId: string): Promise<void> {
    const blank = Object.fromEntries([...DELTA_CURSOR_COLUMNS, ...DELTA_MARK_COLUMNS].map((c) => [c, '']));
    await this.writeDelta(personId, (item) => (item && text(item, 'ptState') === HELD ? { ...blank, ptState: DELETED } : undefined));
  }

  async markNotified(personId: string, now: string): Promise<void> {
    await this.mark(personId, 'notifiedAt', now);
  }

  async requestSync(personId: string, now: string): Promise<void> {
    await this.mark(personId, 'syncRequestedAt', now);
  }

  async clearMarks(personId: string, upTo: string): Promise<void> {
    const change = (item: Item | undefined): Fields | undefined => {
      if (!item || text(item, 'ptState') !== HELD) return undefined; // nobody to clear: as the embedded UPDATE, nothing is created
      const out: Fields = {};
      for (const c of DELTA_MARK_COLUMNS) {
        const v = text(item, c);
        if (v && v <= upTo) out[c] = '';
      }
      return Object.keys(out).length ? out : undefined;
    };
    await this.writeDelta(personId, change, { createIfMissing: false });
  }

  /** Sets a mark to the later of its value and `now`. */
  private async mark(personId: string, column: MarkColumn, now: string): Promise<void> {
    const change = (item: Item | undefined): Fields | undefined => {
      if (!item || text(item, 'ptState') !== HELD) return { [column]: now };
      const old = text(item, column);
      return old && old >= now ? undefined : { [column]: now };
    };
    await this.writeDelta(personId, change);
  }

  /**
   * Applies `change` (undefined: nothing to do) to the person's delta item as
   * it is now, under If-Match, deciding again after a 412: creating the item
   * when missing (unless told not to), bringing a deleted one back with only
   * the fields written (the rest were blanked when it was deleted). Every
   * write is guarded, so what each one decided on is still what is there.
   */
  private async writeDelta(personId: string, change: (item: Item | undefined) => Fields | undefined, options: { createIfMissing?: boolean } = {}): Promise<void> {
    let item: Item | undefined = this.deltaSeen.get(personId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Remembered state is trusted only to write (If-Match checks it is still so), never to decide there is nothing to do.
      if (!item || !item.eTag || !change(item)) item = await this.findDelta(personId);
      const fields = change(item);
      if (!fields) return;
      if (!item) {
        if (options.createIfMissing === false) return;
        const created = await this.create(DELTA_LIST, [personId], { Title: cut(personId), personId, ptState: HELD, ...fields });
        if (created === 'created') return;
        continue; // another instance created it first: read theirs and decide again
      }
      const write = text(item, 'ptState') === HELD || fields.ptState !== undefined ? fields : { ...fields, ptState: HELD };
      try {
        await this.patchDelta(personId, item, write);
        return;
      } catch (err) {
        this.deltaSeen.delete(personId);
        item = undefined;
        if (!(err instanceof GraphError)) throw err;
        // Changed since it was read (412), gone, or we cannot tell whether the write landed: read it and decide again.
        if (err.status !== 412 && !err.ambiguous && !err.notFound) throw err;
      }
    }
    throw new Error(`${DELTA_LIST}: could not update the delta state of ${personId}: it kept changing`);
  }

  private async findDelta(personId: string): Promise<Item | undefined> {
    const item = await this.items.findByKey(DELTA_LIST, [personId]);
    if (item) this.remember(personId, item);
    else this.deltaSeen.delete(personId);
    return item;
  }

  private async patchDelta(personId: string, item: Item, fields: Fields): Promise<void> {
    const answer = await this.patch(DELTA_LIST, item, fields, true);
    const eTag = typeof answer['@odata.etag'] === 'string' ? answer['@odata.etag'] : undefined;
    if (eTag) this.remember(personId, { itemId: item.itemId, eTag, fields: { ...item.fields, ...fields } });
    else this.deltaSeen.delete(personId);
  }

  private remember(personId: string, item: Item): void {
    if (!item.eTag || !personId) return;
    if (this.deltaSeen.size >= MAX_REMEMBERED && !this.deltaSeen.has(personId)) this.deltaSeen.clear();
    this.deltaSeen.set(personId, item);
  }

  // ---- list items over Graph ----
  private async patch(list: string, item: Item, fields: Fields, guarded = false): Promise<Record<string, unknown>> {
    const ifMatch = guarded ? requireETag(list, item, 'marks are written only under If-Match') : undefined;
    return this.http.json(await this.items.patchCall(list, item.itemId, fields, { ifMatch }), schema.fieldValueSet);
  }

  /** Creates an item unless one with its key exists (looking, after a timeout or 5xx, before sending again). */
  private async create(list: string, key: unknown[], fields: Fields): Promise<'created' | 'duplicate'> {
    const created = await this.items.create(list, key, { ...newItemFields(key), ...fields }, MAX_ATTEMPTS);
    if (created.outcome === 'duplicate') return 'duplicate';
    if (list === DELTA_LIST && !created.foundAfterLostAnswer) this.remember(String(fields.personId), created.item);
    return 'created';
  }
}

function recordOf(item: Item): SubscriptionRecord {
  return {
    id: text(item, 'subscriptionId'),
    personId: text(item, 'personId'),
    resource: text(item, 'resource'),
    clientStateHash: text(item, 'clientStateHash'),
    expiresAt: text(item, 'expiresAt'),
    status: text(item, 'status') as SubscriptionStatus,
    createdAt: text(item, 'createdAt'),
    updatedAt: text(item, 'updatedAt'),
  };
}

function deltaOf(item: Item): DeltaState {
  const out: DeltaState = { personId: text(item, 'personId') };
  for (const c of [...DELTA_CURSOR_COLUMNS, ...DELTA_MARK_COLUMNS]) {
    const v = text(item, c);
    if (v) out[c] = v;
  }
  return out;
}

