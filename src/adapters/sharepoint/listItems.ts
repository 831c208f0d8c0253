/**
 * List items over Microsoft Graph, as the SharePoint adapters (the record
 * store, the work queue, the quality store and the subscription registry) read
 * and write them; each adapter keeps its own mapping and semantics.
 *
 * - Every item's identity is the unique indexed `ptKey`, the SHA-256 of its
 *   natural key (hashKey), exact where SharePoint's own comparisons ignore case.
 * - Reads filter on ONE indexed column (`fields/<column> eq '...'`, `gt`, `lt`,
 *   `startswith`; api/listitem-list.md: the service filters one indexed field at
 *   a time) with $expand=fields($select=<the list's columns>) and follow
 *   @odata.nextLink; several reads go together as one $batch.
 * - Creates (api/listitem-create.md) are not sent blindly again after a timeout
 *   or 5xx (Graph may have done them): the item is looked up by its key and its
 *   `ptWriteId` first. Updates PATCH items/{id}/fields (api/listitem-update.md),
 *   under If-Match when the caller has an eTag to guard with.
 * - The site and list ids are looked up once per instance (SiteLists).
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { GraphError } from '../graph/graphErrors';
import { type GraphCall, type GraphHttp, odataString, seg, validate } from '../graph/graphHttp';
import { type ColumnSpec, KEY_COLUMN, TEXT_MAX_LENGTH, WRITE_ID_COLUMN, listSpec } from './listSchema';
import * as schema from './sharepointSchemas';
import { SiteLists, listPath } from './sharepointSite';

export type Fields = Record<string, unknown>;

/** A list item as the adapters see it: its id, its eTag (when Graph sent one) and its column values. */
export interface ListItem {
  itemId: string;
  eTag?: string;
  fields: Fields;
}

export type FilterOp = 'eq' | 'gt' | 'lt' | 'startswith';

/** A condition on one indexed column of the item's fields. */
export interface Filter {
  column: string;
  op: FilterOp;
  value: string | number | boolean;
}

/** What a create came to: created (by this write: answered, or found by its write id after a lost answer), or refused as a duplicate key. */
export type CreateOutcome = { outcome: 'created'; item: ListItem; foundAfterLostAnswer: boolean } | { outcome: 'duplicate' };

export interface ListItemsOptions {
  http: GraphHttp;
  /** The app's site: its URL (SHAREPOINT_SITE_URL) or its Graph id. */
  site: { siteUrl: string } | { siteId: string };
  /** List items per page ($top). */
  pageSize: number;
  /** The adapter's check of the fields it writes (throws, naming the column, for a value that would be refused). */
  check: (list: string, fields: Fields) => void;
}

const pageEnvelope = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/** The items of the app's lists over Graph, for one adapter. */
export class ListItems {
  private readonly http: GraphHttp;
  private readonly lists: SiteLists;
  private readonly pageSize: number;
  private readonly check: (list: string, fields: Fields) => void;

  constructor(options: ListItemsOptions) {
    this.http = options.http;
    this.lists = new SiteLists(options.http, options.site);
    this.pageSize = options.pageSize;
    this.check = options.check;
  }

  /** Items matching `filter` (every item without one), every page followed. */
  async query(list: string, filter?: Filter): Promise<ListItem[]> {
    return (await this.queryMany([[list, filter]]))[0]!;
  }

  /** Items whose `column` equals any of `values`: one filtered request per value, batched. */
  async queryEach(list: string, column: string, values: readonly string[]): Promise<ListItem[]> {
    const unique = [...new Set(values)];
    const pages = await this.queryMany(unique.map((value) => [list, { column, op: 'eq', value }]));
    const seen = new Set<string>();
    return pages.flat().filter((i) => (seen.has(i.itemId) ? false : (seen.add(i.itemId), true)));
  }

  /** Several list queries, sent together as a $batch when there is more than one; every page followed. */
  async queryMany(queries: [string, Filter | undefined][]): Promise<ListItem[][]> {
    const calls = await Promise.all(queries.map(([list, filter]) => this.itemsCall(list, filter)));
    if (calls.length === 1) {
      const { items } = await this.http.pages(calls[0]!, schema.listItem);
      return [items.map(toItem)];
    }
    const results = await this.http.many(calls, pageEnvelope);
    return Promise.all(
      results.map(async (result, k) => {
        if (!result.ok) throw result.error;
        const call = calls[k]!;
        const items = result.value.value.map((v, i) => toItem(validate(call.call, schema.listItem, v, `value[${i}]`)));
        const next = result.value['@odata.nextLink'];
        if (next) items.push(...(await this.http.pages({ ...call, path: next, query: undefined }, schema.listItem)).items.map(toItem));
        return items;
      }),
    );
  }

  /** The item whose natural key is `key`. */
  async findByKey(list: string, key: unknown[]): Promise<ListItem | undefined> {
    const hash = hashKey(key);
    return (await this.query(list, keyFilter(key))).find((i) => i.fields[KEY_COLUMN] === hash);
  }

  /** One item by its id; undefined when it is gone. */
  async getItem(list: string, itemId: string): Promise<ListItem | undefined> {
    try {
      const item = await this.http.json(
        { call: `getItem(${list})`, method: 'GET', path: `${await this.listPath(list)}/items/${seg(itemId)}`, query: { $select: 'id,eTag', $expand: expandFields(list) } },
        schema.listItem,
      );
      return toItem(item);
    } catch (err) {
      if (err instanceof GraphError && err.notFound) return undefined;
      throw err;
    }
  }

  /**
   * Deletes an item (api/listitem-delete.md). Deleting the item, rather than
   * blanking its fields, is what removes its version history too: a PATCH would
   * leave every earlier value in the item's versions. Gone already counts as done.
   */
  async deleteItem(list: string, itemId: string): Promise<boolean> {
    try {
      await this.http.send({ call: `deleteItem(${list})`, method: 'DELETE', path: `${await this.listPath(list)}/items/${seg(itemId)}`, idempotent: true });
      return true;
    } catch (err) {
      if (err instanceof GraphError && err.notFound) return false;
      throw err;
    }
  }

  /** The create of an item with `fields` (checked first). */
  async createCall(list: string, fields: Fields): Promise<GraphCall> {
    this.check(list, fields);
    return { call: `createItem(${list})`, method: 'POST', path: `${await this.listPath(list)}/items`, body: { fields } };
  }

  /**
   * Creates an item unless one with its key exists: `fields` carry the key's
   * hash and a fresh write id (newItemFields). After a timeout or 5xx it looks
   * for the item (by key and write id) before sending the create again, up to
   * `maxAttempts` sends.
   */
  async create(list: string, key: unknown[], fields: Fields, maxAttempts: number): Promise<CreateOutcome> {
    const writeId = fields[WRITE_ID_COLUMN];
    const call = await this.createCall(list, fields);
    for (let attempt = 1; ; attempt++) {
      try {
        const created = toItem(await this.http.json(call, schema.listItem));
        return { outcome: 'created', item: { ...created, fields: { ...fields, ...created.fields } }, foundAfterLostAnswer: false };
      } catch (err) {
        if (isDuplicate(err)) return { outcome: 'duplicate' };
        if (!(err instanceof GraphError) || !err.ambiguous || attempt >= maxAttempts) throw err;
        const found = await this.findByKey(list, key);
        if (found) return found.fields[WRITE_ID_COLUMN] === writeId ? { outcome: 'created', item: found, foundAfterLostAnswer: true } : { outcome: 'duplicate' };
      }
    }
  }

  /** A PATCH of an item's fields (checked first), under If-Match when given an eTag; `call` names it (default updateItem). */
  async patchCall(list: string, itemId: string, fields: Fields, options: { ifMatch?: string; call?: string } = {}): Promise<GraphCall> {
    this.check(list, fields);
    return {
      call: options.call ?? `updateItem(${list})`,
      method: 'PATCH',
      path: `${await this.listPath(list)}/items/${seg(itemId)}/fields`,
      body: fields,
      ...(options.ifMatch ? { headers: { 'If-Match': options.ifMatch } } : {}),
      // Setting the same values again is harmless; with If-Match it is not (the eTag has moved on).
      idempotent: !options.ifMatch,
    };
  }

  private async itemsCall(list: string, filter: Filter | undefined): Promise<GraphCall> {
    const spec = listSpec(list);
    if (filter && !spec.columns.some((c) => c.name === filter.column && (c.indexed || c.unique))) {
      // Graph would need Prefer: HonorNonIndexedQueriesWarningMayFailRandomly, and fail on large lists.
      throw new Error(`${list}: ${filter.column} is not an indexed column`);
    }
    return {
      call: `listItems(${list})`,
      method: 'GET',
      path: `${await this.listPath(list)}/items`,
      query: {
        $select: 'id,eTag',
        $expand: expandFields(list),
        ...(filter ? { $filter: filterText(filter) } : {}),
        $top: this.pageSize,
      },
    };
  }

  private async listPath(list: string): Promise<string> {
    const listId = await this.lists.listId(list);
    return listPath(await this.lists.siteId(), listId);
  }
}

/** The SHA-256 of a natural key: exact (SharePoint compares text without regard to case), 64 characters, unique-indexable. */
export function hashKey(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The filter finding the item whose natural key is `key`. */
export function keyFilter(key: unknown[]): Filter {
  return { column: KEY_COLUMN, op: 'eq', value: hashKey(key) };
}

/** A new item's identity: its key's hash (unique) and a fresh write id (to recognise it after a lost answer). */
export function newItemFields(key: unknown[]): Fields {
  return { [KEY_COLUMN]: hashKey(key), [WRITE_ID_COLUMN]: randomUUID() };
}

/** An OData filter on one column of the item's fields (api/listitem-list.md). */
export function filterText(f: Filter): string {
  const literal = typeof f.value === 'string' ? odataString(f.value) : String(f.value);
  return f.op === 'startswith' ? `startswith(fields/${f.column},${literal})` : `fields/${f.column} ${f.op} ${literal}`;
}

function expandFields(list: string): string {
  return `fields($select=${listSpec(list).columns.map((c) => c.name).join(',')})`;
}

export function toItem(i: schema.GraphListItem): ListItem {
  const eTag = i.eTag ?? i['@odata.etag'] ?? undefined;
  return { itemId: i.id, ...(eTag ? { eTag } : {}), fields: i.fields ?? {} };
}

/** SharePoint refusing a second item with the same value in a unique column. */
export function isDuplicate(err: unknown): boolean {
  return err instanceof GraphError && (err.status === 409 || (err.status === 400 && /duplicate values/i.test(err.message)));
}

/** The item's eTag, for a write that is made only under If-Match (`why` says whose rule it is). */
export function requireETag(list: string, item: ListItem, why: string): string {
  if (!item.eTag) throw new Error(`${list}: item ${item.itemId} came back without an eTag; ${why}`);
  return item.eTag;
}

/**
 * Values SharePoint would refuse, refused here with the column named: text
 * longer than a single-line column holds, and whatever `tooLong` (the adapter's
 * own limit on what it writes) says of a text value.
 */
export function checkFields(list: string, fields: Fields, tooLong?: (name: string, value: string, column: ColumnSpec | undefined) => string | undefined): void {
  const spec = listSpec(list);
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string') continue;
    const column = spec.columns.find((c) => c.name === name);
    if (column?.type === 'text' && value.length > TEXT_MAX_LENGTH) {
      throw new Error(`${list}: ${name} is ${value.length} characters; SharePoint text columns hold ${TEXT_MAX_LENGTH}`);
    }
    const problem = tooLong?.(name, value, column);
    if (problem) throw new Error(problem);
  }
}

/** A column's value as text ('' when it is not text). */
export function text(item: ListItem, column: string): string {
  const v = item.fields[column];
  return typeof v === 'string' ? v : '';
}

/** Single-line text holds 255 characters: where identity is the hash, a column's text is for filtering and for people reading the list. */
export function cut(value: string): string {
  return value.slice(0, TEXT_MAX_LENGTH);
}

/** An instant for a dateTime column: ISO 8601 UTC, or nothing for a value that is not one. */
export function instant(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * A bound wider than the instant, in whole seconds (dateTime columns keep whole
 * seconds, cut or rounded), for a server filter the exact check then narrows.
 */
export function widen(value: string, seconds: number): string {
  const t = Math.floor(Date.parse(value) / 1000) * 1000 + seconds * 1000 + (seconds > 0 ? 1000 : 0);
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
