/**
 * SharePoint lists behind the fake Graph (tests/support/fakeGraph.ts), in
 * memory, with the behaviour the SharePoint adapter depends on:
 *
 * - one site, found by path (api/site-getbypath.md), starting with the lists in
 *   fixtures/graph/sharepoint-lists.json;
 * - lists created with columns (api/list-create.md; every genericList gets the
 *   columns of fixtures/graph/sharepoint-columns.json), columns added and
 *   updated (api/list-post-columns.md, api/columndefinition-update.md); a
 *   duplicate name is 409;
 * - list items created, read and updated (api/listitem-*.md) with an eTag
 *   that changes on every write, If-Match answered with 412 when stale,
 *   enforceUniqueValues columns refusing a second equal value (409, compared
 *   without regard to case as SharePoint does), values checked against the
 *   column's type, dateTime values kept to whole seconds;
 * - $filter on fields (eq, ne, gt, lt, ge, le, startswith, and) compared
 *   without regard to case, refused (400) on a column that is not indexed or on
 *   more than one indexed column unless the request says
 *   `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly` (api/listitem-list.md);
 * - $select, $expand=fields($select=...), $top and @odata.nextLink paging.
 *
 * Responses take the shapes of the fixtures (each naming the page it follows).
 * `sharePointViolations` checks every request an adapter sent against the Graph
 * v1.0 metadata and, for list item fields (an open type), against the list's columns.
 */
import { topLevelNames } from '../contract/requestContracts';
import { randomUUID } from 'node:crypto';
import { checkBody, checkResponseFields, loadGraphModel, type Violation } from '../contract/graphMetadata';
import { FakeGraph, fixture, type RecordedRequest, type Reply } from './fakeGraph';

const GRAPH_ROOT = 'https://graph.microsoft.com/v1.0';
const PREFER_NON_INDEXED = 'HonorNonIndexedQueriesWarningMayFailRandomly';

export type FakeColumnType = 'text' | 'note' | 'number' | 'dateTime' | 'boolean' | 'other';

export interface FakeColumn {
  id: string;
  name: string;
  displayName: string;
  description: string;
  type: FakeColumnType;
  indexed: boolean;
  enforceUniqueValues: boolean;
  readOnly: boolean;
  maxLength?: number;
  /** The type facet as Graph returns it ({ text: {...} }). */
  facet: Record<string, unknown>;
}

export interface FakeItem {
  id: number;
  guid: string;
  version: number;
  created: string;
  modified: string;
  fields: Record<string, unknown>;
  /** Earlier versions of the fields (SharePoint's item version history). */
  history?: Record<string, unknown>[];
  /** Writes made while the list kept no versions (the eTag still moves on with each). */
  unversionedWrites?: number;
}

/** A list's item versioning (SP.List EnableVersioning, MajorVersionLimit), set through SharePoint's REST API. */
export interface FakeVersioning {
  enabled: boolean;
  majorVersionLimit: number;
}

export interface FakeList {
  id: string;
  name: string;
  displayName: string;
  description: string;
  template: string;
  created: string;
  columns: FakeColumn[];
  items: FakeItem[];
  nextItemId: number;
  /** Absent: SharePoint Online's default for a new list (versioning on, 50 major versions). */
  versioning?: FakeVersioning;
}

interface Fault {
  method: string;
  match: RegExp;
  reply: Reply;
  /** Carry the request out, then answer with the fault (a response lost after the work was done). */
  afterApplying: boolean;
  times: number;
}

interface Literal {
  kind: 'string' | 'number' | 'boolean';
  value: string | number | boolean;
}
interface Condition {
  field: string;
  op: 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'startswith';
  literal: Literal;
}

export interface FakeSharePointOptions {
  hostname?: string;
  sitePath?: string;
  /** Graph's page size when the request gives no $top. */
  defaultPageSize?: number;
}

export class FakeSharePoint {
  readonly hostname: string;
  readonly sitePath: string;
  readonly siteId: string;
  readonly siteUrl: string;
  readonly lists: FakeList[] = [];
  /** Refuse list and column changes with 403 (the app's grant is "write", not "fullcontrol"). */
  denySchemaChanges = false;
  /** Create lists without the indexes and uniqueness their columns asked for, as SharePoint might: provisioning must notice. */
  ignoreIndexesOnCreate = false;
  private readonly defaultPageSize: number;
  private faults: Fault[] = [];
  private hooks: { method: string; match: RegExp; run: (req: RecordedRequest) => void }[] = [];
  private clock = Date.parse('2026-11-23T09:00:00Z');

  constructor(
    readonly graph: FakeGraph,
    options: FakeSharePointOptions = {},
  ) {
    this.hostname = options.hostname ?? 'contoso.sharepoint.com';
    this.sitePath = options.sitePath ?? '/sites/protected-time';
    const site = fixture<{ id: string; webUrl: string }>('sharepoint-site');
    this.siteId = site.id;
    this.siteUrl = `https://${this.hostname}${this.sitePath}`;
    this.defaultPageSize = options.defaultPageSize ?? 200;
    for (const l of fixture<{ value: { id: string; name: string; displayName: string; createdDateTime: string; list: { template: string } }[] }>('sharepoint-lists').value) {
      this.lists.push({ id: l.id, name: l.name, displayName: l.displayName, description: '', template: l.list.template, created: l.createdDateTime, columns: builtInColumns(), items: [], nextItemId: 1 });
    }
    this.install();
  }

  /** Registers the routes (again after graph.reset()). Routes a test adds later win over these. */
  install(): void {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) this.graph.on(method, /^\/sites\//, (req) => this.handle(req));
  }

  list(name: string): FakeList | undefined {
    const n = name.toLowerCase();
    return this.lists.find((l) => l.name.toLowerCase() === n || l.displayName.toLowerCase() === n);
  }

  listById(id: string): FakeList | undefined {
    return this.lists.find((l) => l.id === id) ?? this.list(id);
  }

  /** The items of a list with their stored fields. */
  items(name: string): FakeItem[] {
    return this.list(name)?.items ?? [];
  }

  /** The next matching request gets this reply (after being carried out, with afterApplying). */
  inject(method: string, match: RegExp, reply: Reply, options: { afterApplying?: boolean; times?: number } = {}): void {
    this.faults.push({ method: method.toUpperCase(), match, reply, afterApplying: options.afterApplying ?? false, times: options.times ?? 1 });
  }

  /** Runs `run` just before the next matching request is handled (to slip another writer in between). */
  beforeNext(method: string, match: RegExp, run: (req: RecordedRequest) => void): void {
    this.hooks.push({ method: method.toUpperCase(), match, run });
  }

  /** Changes an item as another writer would (its eTag moves on). */
  touch(listName: string, itemId: number, fields: Record<string, unknown>): void {
    const item = this.list(listName)!.items.find((i) => i.id === itemId)!;
    Object.assign(item.fields, fields);
    item.version += 1;
    item.modified = this.now();
  }

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private async handle(req: RecordedRequest): Promise<Reply> {
    const hook = this.hooks.findIndex((h) => h.method === req.method && h.match.test(req.path));
    if (hook >= 0) this.hooks.splice(hook, 1)[0]!.run(req);
    const fault = this.faults.find((f) => f.times > 0 && f.method === req.method && f.match.test(req.path));
    if (fault) {
      fault.times -= 1;
      if (!fault.afterApplying) return fault.reply;
      this.route(req);
      return fault.reply;
    }
    return this.route(req);
  }

  private route(req: RecordedRequest): Reply {
    const p = req.path;
    const byPath = /^\/sites\/([^/]+):(\/.*)$/.exec(p);
    if (byPath) {
      if (req.method !== 'GET') return error(405, 'invalidRequest', 'only GET');
      if (byPath[1] !== this.hostname || byPath[2]!.replace(/\/+$/, '').toLowerCase() !== this.sitePath.toLowerCase()) return error(404, 'itemNotFound', 'The provided path does not exist, or does not represent a site');
      return { body: select({ '@odata.context': `${GRAPH_ROOT}/$metadata#sites/$entity`, ...fixture<Record<string, unknown>>('sharepoint-site'), id: this.siteId, webUrl: this.siteUrl }, req.query.$select) };
    }
    const m = /^\/sites\/([^/]+)\/lists(?:\/([^/]+)(?:\/(columns|items)(?:\/([^/]+)(?:\/(fields))?)?)?)?$/.exec(p);
    if (!m) return error(404, 'itemNotFound', `the fake SharePoint has nothing at ${p}`);
    const [, siteId, listKey, collection, memberId, fields] = m;
    if (siteId !== this.siteId) return error(404, 'itemNotFound', 'Requested site could not be found');
    // Only list items can be deleted (api/listitem-delete.md); lists and columns never are.
    if (req.method === 'DELETE' && !(collection === 'items' && memberId && !fields)) return error(405, 'notAllowed', 'the fake SharePoint deletes list items only');
    if (!listKey) {
      if (req.method === 'GET') return this.getLists(req);
      if (req.method === 'POST') return this.createList(req);
      return error(405, 'invalidRequest', 'method not allowed');
    }
    const list = this.listById(listKey);
    if (!list) return error(404, 'itemNotFound', `List '${listKey}' does not exist at site with URL '${this.siteUrl}'.`);
    if (!collection) return req.method === 'GET' ? { body: select(listJson(list, this.siteUrl), req.query.$select) } : error(405, 'invalidRequest', 'method not allowed');
    if (collection === 'columns') {
      if (!memberId) {
        if (req.method === 'GET') return { body: { '@odata.context': `${GRAPH_ROOT}/$metadata#columns`, value: list.columns.map(columnJson).map((c) => select(c, req.query.$select)) } };
        if (req.method === 'POST') return this.createColumn(list, req);
      } else if (req.method === 'PATCH') return this.updateColumn(list, memberId, req);
      return error(405, 'invalidRequest', 'method not allowed');
    }
    if (!memberId) {
      if (req.method === 'GET') return this.getItems(list, req);
      if (req.method === 'POST') return this.createItem(list, req);
      return error(405, 'invalidRequest', 'method not allowed');
    }
    const item = list.items.find((i) => String(i.id) === memberId);
    if (!item) return error(404, 'itemNotFound', 'Item not found');
    if (req.method === 'DELETE') {
      // The item goes with its version history, as in SharePoint.
      list.items.splice(list.items.indexOf(item), 1);
      return { status: 204 };
    }
    if (fields && req.method === 'PATCH') return this.updateItem(list, item, req);
    if (!fields && req.method === 'GET') return { body: this.itemJson(list, item, req.query) };
    return error(405, 'invalidRequest', 'method not allowed');
  }

  // ---- lists and columns ----
  private getLists(req: RecordedRequest): Reply {
    const all = this.lists.map((l) => select(listJson(l, this.siteUrl), req.query.$select));
    return { body: { '@odata.context': `${GRAPH_ROOT}/$metadata#lists`, ...page(all, req, `${GRAPH_ROOT}/sites/${this.siteId}/lists`, this.defaultPageSize) } };
  }

  private createList(req: RecordedRequest): Reply {
    if (this.denySchemaChanges) return error(403, 'accessDenied', 'Access denied');
    const b = req.body as { displayName?: unknown; description?: unknown; columns?: unknown[]; list?: { template?: unknown } } | undefined;
    if (!b || typeof b.displayName !== 'string' || !b.displayName) return error(400, 'invalidRequest', 'displayName is required');
    if (this.list(b.displayName)) return error(409, 'nameAlreadyExists', `A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.`);
    const list: FakeList = {
      id: randomUUID(),
      name: b.displayName,
      displayName: b.displayName,
      description: typeof b.description === 'string' ? b.description : '',
      template: typeof b.list?.template === 'string' ? b.list.template : 'genericList',
      created: this.now(),
      columns: builtInColumns(),
      items: [],
      nextItemId: 1,
    };
    for (const c of b.columns ?? []) {
      const made = makeColumn(c, list);
      if ('error' in made) return made.error;
      if (this.ignoreIndexesOnCreate) Object.assign(made.column, { indexed: false, enforceUniqueValues: false });
      list.columns.push(made.column);
    }
    this.lists.push(list);
    return { status: 201, body: { ...fixture<Record<string, unknown>>('sharepoint-list-created'), ...listJson(list, this.siteUrl) } };
  }

  private createColumn(list: FakeList, req: RecordedRequest): Reply {
    if (this.denySchemaChanges) return error(403, 'accessDenied', 'Access denied');
    const made = makeColumn(req.body, list);
    if ('error' in made) return made.error;
    list.columns.push(made.column);
    return { status: 201, body: { ...fixture<Record<string, unknown>>('sharepoint-column-created'), ...columnJson(made.column) } };
  }

  private updateColumn(list: FakeList, columnId: string, req: RecordedRequest): Reply {
    if (this.denySchemaChanges) return error(403, 'accessDenied', 'Access denied');
    const column = list.columns.find((c) => c.id === columnId);
    if (!column) return error(404, 'itemNotFound', 'Column not found');
    const b = (req.body ?? {}) as { indexed?: unknown; enforceUniqueValues?: unknown };
    const indexed = typeof b.indexed === 'boolean' ? b.indexed : column.indexed;
    const unique = typeof b.enforceUniqueValues === 'boolean' ? b.enforceUniqueValues : column.enforceUniqueValues;
    if (unique && !indexed) return error(400, 'invalidRequest', 'You must first index this column before enforcing unique values');
    if (unique && !column.enforceUniqueValues) {
      const seen = new Set<string>();
      for (const i of list.items) {
        const v = normal(i.fields[column.name]);
        if (v === undefined) continue;
        if (seen.has(v)) return error(400, 'invalidRequest', 'This column has duplicate values and cannot enforce unique values');
        seen.add(v);
      }
    }
    Object.assign(column, { indexed, enforceUniqueValues: unique });
    return { body: { ...fixture<Record<string, unknown>>('sharepoint-column-updated'), ...columnJson(column) } };
  }

  // ---- items ----
  private getItems(list: FakeList, req: RecordedRequest): Reply {
    let conditions: Condition[] = [];
    if (req.query.$filter) {
      try {
        conditions = parseFilter(req.query.$filter);
      } catch (err) {
        return error(400, 'invalidRequest', `Invalid filter clause: ${(err as Error).message}`);
      }
      const prefer = (req.headers.prefer ?? '').includes(PREFER_NON_INDEXED);
      const fields = [...new Set(conditions.map((c) => c.field))];
      for (const f of fields) {
        const column = list.columns.find((c) => c.name === f);
        if (!column) return error(400, 'invalidRequest', `Field '${f}' is not recognized`);
        if (!column.indexed && !prefer) return { status: 400, body: { error: { ...fixture<{ error: Record<string, unknown> }>('sharepoint-error-not-indexed').error, message: `Field '${f}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: ${PREFER_NON_INDEXED}' header to allow this, but be warned that such queries may fail on large lists.` } } };
      }
      if (fields.length > 1 && !prefer) return error(400, 'invalidRequest', 'The service filters one indexed field at a time');
    }
    const matching = list.items.filter((i) => conditions.every((c) => matches(list, i, c))).sort((a, b) => a.id - b.id);
    const all = matching.map((i) => this.itemJson(list, i, req.query));
    return { body: { '@odata.context': `${GRAPH_ROOT}/$metadata#items`, ...page(all, req, `${GRAPH_ROOT}/sites/${this.siteId}/lists/${list.id}/items`, this.defaultPageSize) } };
  }

  private createItem(list: FakeList, req: RecordedRequest): Reply {
    const b = req.body as { fields?: unknown } | undefined;
    if (!b || typeof b.fields !== 'object' || b.fields === null) return error(400, 'invalidRequest', 'a list item is created with its fields');
    const checked = checkValues(list, b.fields as Record<string, unknown>);
    if ('error' in checked) return checked.error;
    const duplicate = uniqueViolation(list, checked.values, undefined);
    if (duplicate) return duplicate;
    const now = this.now();
    const item: FakeItem = { id: list.nextItemId++, guid: randomUUID(), version: 1, created: now, modified: now, fields: checked.values };
    list.items.push(item);
    return { status: 201, body: { ...fixture<Record<string, unknown>>('sharepoint-item-created'), ...this.itemJson(list, item, {}), fields: this.fieldsJson(list, item, undefined) } };
  }

  private updateItem(list: FakeList, item: FakeItem, req: RecordedRequest): Reply {
    const ifMatch = req.headers['if-match'];
    if (ifMatch && ifMatch !== '*' && ifMatch !== etag(item)) return { status: 412, body: fixture('sharepoint-error-precondition') };
    const checked = checkValues(list, (req.body ?? {}) as Record<string, unknown>);
    if ('error' in checked) return checked.error;
    const duplicate = uniqueViolation(list, checked.values, item);
    if (duplicate) return duplicate;
    // With versioning on, SharePoint keeps earlier versions of an item's fields (up to the list's limit)
    // until the item is deleted; with it off, only the current fields exist.
    const versioning = versioningOf(list);
    if (versioning.enabled) {
      (item.history ??= []).push({ ...item.fields });
      if (item.history.length > versioning.majorVersionLimit - 1) item.history.splice(0, item.history.length - (versioning.majorVersionLimit - 1));
      item.version += 1;
    } else {
      item.unversionedWrites = (item.unversionedWrites ?? 0) + 1;
    }
    Object.assign(item.fields, checked.values);
    item.modified = this.now();
    return { body: { '@odata.context': `${GRAPH_ROOT}/$metadata#fields/$entity`, ...this.fieldsJson(list, item, undefined) } };
  }

  private itemJson(list: FakeList, item: FakeItem, query: Record<string, string>): Record<string, unknown> {
    const tag = etag(item);
    const base: Record<string, unknown> = {
      '@odata.etag': tag,
      id: String(item.id),
      eTag: tag,
      createdDateTime: item.created,
      lastModifiedDateTime: item.modified,
      webUrl: `${this.siteUrl}/Lists/${list.name}/${item.id}_.000`,
    };
    const selected = select(base, query.$select);
    const expand = query.$expand ?? query.expand;
    if (expand) {
      const m = /^fields(?:\((?:\$?select=([^)]*))?\))?$/.exec(expand.trim());
      if (m) selected.fields = this.fieldsJson(list, item, m[1]);
    }
    return selected;
  }

  private fieldsJson(list: FakeList, item: FakeItem, selectList: string | undefined): Record<string, unknown> {
    const all: Record<string, unknown> = { '@odata.etag': etag(item), id: String(item.id), Created: item.created, Modified: item.modified };
    for (const [k, v] of Object.entries(item.fields)) {
      const column = list.columns.find((c) => c.name === k);
      // dateTime columns keep whole seconds, and come back in UTC with a Z.
      all[k] = column?.type === 'dateTime' && typeof v === 'string' ? new Date(Date.parse(v)).toISOString().replace(/\.\d{3}Z$/, 'Z') : v;
    }
    if (!selectList) return all;
    const names = selectList.split(',').map((s) => s.trim());
    return Object.fromEntries(Object.entries(all).filter(([k]) => k === '@odata.etag' || names.includes(k)));
  }
}

function etag(item: FakeItem): string {
  return `"${item.guid},${item.version + (item.unversionedWrites ?? 0)}"`;
}

export function versioningOf(list: FakeList): FakeVersioning {
  return list.versioning ?? { enabled: true, majorVersionLimit: 50 };
}

function error(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message, innerError: { date: '2026-11-23T10:00:00', 'request-id': randomUUID() } } } };
}

function builtInColumns(): FakeColumn[] {
  return fixture<{ value: Record<string, unknown>[] }>('sharepoint-columns').value.map((c) => {
    const made = makeColumn(c, undefined);
    if ('error' in made) throw new Error('bad built-in column fixture');
    return { ...made.column, id: String(c.id), readOnly: Boolean(c.readOnly) };
  });
}

const FACETS = ['text', 'number', 'dateTime', 'boolean', 'choice', 'calculated', 'currency', 'hyperlinkOrPicture', 'lookup', 'personOrGroup', 'term', 'geolocation', 'thumbnail', 'contentApprovalStatus'];

function makeColumn(input: unknown, list: FakeList | undefined): { column: FakeColumn } | { error: Reply } {
  const c = (input ?? {}) as Record<string, unknown>;
  if (typeof c.name !== 'string' || !c.name) return { error: error(400, 'invalidRequest', 'a column needs a name') };
  if (list?.columns.some((x) => x.name.toLowerCase() === String(c.name).toLowerCase())) return { error: error(409, 'nameAlreadyExists', `A duplicate field name "${c.name}" was found.`) };
  const facets = FACETS.filter((f) => c[f] !== undefined);
  if (facets.length !== 1) return { error: error(400, 'invalidRequest', `a column has exactly one type facet, got ${facets.join(', ') || 'none'}`) };
  const facetName = facets[0]!;
  const facet = (c[facetName] ?? {}) as Record<string, unknown>;
  let type: FakeColumnType = 'other';
  if (facetName === 'text') type = facet.allowMultipleLines ? 'note' : 'text';
  else if (facetName === 'number' || facetName === 'dateTime' || facetName === 'boolean') type = facetName;
  const indexed = c.indexed === true;
  const unique = c.enforceUniqueValues === true;
  if (unique && !indexed) return { error: error(400, 'invalidRequest', 'You must first index this column before enforcing unique values') };
  if (type === 'note' && indexed) return { error: error(400, 'invalidRequest', 'Multiple lines of text columns cannot be indexed') };
  const maxLength = type === 'text' ? Number(facet.maxLength ?? 255) : undefined;
  if (maxLength !== undefined && maxLength > 255) return { error: error(400, 'invalidRequest', 'maxLength is at most 255') };
  return {
    column: {
      id: randomUUID(),
      name: c.name,
      displayName: typeof c.displayName === 'string' ? c.displayName : c.name,
      description: typeof c.description === 'string' ? c.description : '',
      type,
      indexed,
      enforceUniqueValues: unique,
      readOnly: false,
      ...(maxLength !== undefined ? { maxLength } : {}),
      facet: { [facetName]: type === 'text' ? { allowMultipleLines: false, appendChangesToExistingText: false, linesForEditing: 0, maxLength } : type === 'note' ? { linesForEditing: 6, ...facet, allowMultipleLines: true } : facet },
    },
  };
}

function columnJson(c: FakeColumn): Record<string, unknown> {
  return { description: c.description, displayName: c.displayName, enforceUniqueValues: c.enforceUniqueValues, hidden: false, id: c.id, indexed: c.indexed, name: c.name, readOnly: c.readOnly, required: false, ...c.facet };
}

function listJson(l: FakeList, siteUrl: string): Record<string, unknown> {
  return {
    id: l.id,
    name: l.name,
    displayName: l.displayName,
    description: l.description,
    webUrl: `${siteUrl}/Lists/${l.name}`,
    createdDateTime: l.created,
    lastModifiedDateTime: l.created,
    list: { contentTypesEnabled: false, hidden: false, template: l.template },
  };
}

/** $select on an entity: the named properties, and the annotations. */
function select(obj: Record<string, unknown>, $select: string | undefined): Record<string, unknown> {
  if (!$select) return { ...obj };
  const names = $select.split(',').map((s) => s.trim());
  return Object.fromEntries(Object.entries(obj).filter(([k]) => k.startsWith('@') || names.includes(k)));
}

function page(all: unknown[], req: RecordedRequest, base: string, defaultSize: number): { value: unknown[]; '@odata.nextLink'?: string } {
  const top = Math.min(Number(req.query.$top ?? defaultSize) || defaultSize, 5000);
  const from = Number(req.query.$skiptoken ?? 0) || 0;
  const value = all.slice(from, from + top);
  if (from + top >= all.length) return { value };
  const query = Object.entries({ ...req.query, $skiptoken: String(from + top) })
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return { value, '@odata.nextLink': `${base}?${query}` };
}

function checkValues(list: FakeList, fields: Record<string, unknown>): { values: Record<string, unknown> } | { error: Reply } {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('@')) continue;
    const column = list.columns.find((c) => c.name === name);
    if (!column) return { error: error(400, 'invalidRequest', `Field '${name}' is not recognized`) };
    if (column.readOnly) return { error: error(400, 'invalidRequest', `Field '${name}' is read-only`) };
    if (value === null) {
      values[name] = null;
      continue;
    }
    const bad = (what: string) => ({ error: error(400, 'invalidRequest', `Field '${name}' (${column.type}): ${what}, got ${JSON.stringify(value)}`) });
    switch (column.type) {
      case 'text':
        if (typeof value !== 'string') return bad('expected a string');
        if (value.length > (column.maxLength ?? 255)) return bad(`longer than ${column.maxLength ?? 255} characters`);
        break;
      case 'note':
        if (typeof value !== 'string') return bad('expected a string');
        break;
      case 'number':
        if (typeof value !== 'number') return bad('expected a number');
        break;
      case 'boolean':
        if (typeof value !== 'boolean') return bad('expected true or false');
        break;
      case 'dateTime':
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) return bad('expected an ISO 8601 date and time');
        break;
      default:
        break;
    }
    values[name] = value;
  }
  return { values };
}

/** Text as SharePoint compares it: without regard to case. */
function normal(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v.toLowerCase() : JSON.stringify(v);
}

function uniqueViolation(list: FakeList, values: Record<string, unknown>, self: FakeItem | undefined): Reply | undefined {
  const clashes = list.columns
    .filter((c) => c.enforceUniqueValues && values[c.name] !== undefined && values[c.name] !== null)
    .filter((c) => list.items.some((i) => i !== self && normal(i.fields[c.name]) === normal(values[c.name])))
    .map((c) => c.name);
  if (clashes.length === 0) return undefined;
  const body = fixture<{ error: Record<string, unknown> }>('sharepoint-error-duplicate');
  return { status: 409, body: { error: { ...body.error, message: `The list item could not be added or updated because duplicate values were found in the following field(s) in the list: [${clashes.join(', ')}].` } } };
}

// ---- $filter ----
export function parseFilter(text: string): Condition[] {
  const tokens = text.match(/'(?:[^']|'')*'|\(|\)|,|[^\s(),]+/g) ?? [];
  let at = 0;
  const next = () => tokens[at++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`expected ${t} in ${text}`);
  };
  const literal = (t: string | undefined): Literal => {
    if (t === undefined) throw new Error('missing value');
    if (t.startsWith("'")) return { kind: 'string', value: t.slice(1, -1).replace(/''/g, "'") };
    if (t === 'true' || t === 'false') return { kind: 'boolean', value: t === 'true' };
    if (/^-?\d+(\.\d+)?$/.test(t)) return { kind: 'number', value: Number(t) };
    throw new Error(`unsupported value ${t}`);
  };
  const field = (t: string | undefined): string => {
    const m = /^fields\/([A-Za-z_][\w]*)$/.exec(t ?? '');
    if (!m) throw new Error(`expected fields/<column>, got ${t}`);
    return m[1]!;
  };
  const conditions: Condition[] = [];
  for (;;) {
    const t = next();
    if (t === 'startswith') {
      expect('(');
      const f = field(next());
      expect(',');
      const l = literal(next());
      expect(')');
      conditions.push({ field: f, op: 'startswith', literal: l });
    } else {
      const f = field(t);
      const op = next();
      if (!op || !['eq', 'ne', 'gt', 'lt', 'ge', 'le'].includes(op)) throw new Error(`unsupported operator ${op}`);
      conditions.push({ field: f, op: op as Condition['op'], literal: literal(next()) });
    }
    const joiner = next();
    if (joiner === undefined) return conditions;
    if (joiner !== 'and') throw new Error(`the fake supports 'and' only, got ${joiner}`);
  }
}

function matches(list: FakeList, item: FakeItem, c: Condition): boolean {
  const column = list.columns.find((x) => x.name === c.field)!;
  const v = item.fields[c.field];
  if (v === undefined || v === null) return c.op === 'ne';
  let a: string | number;
  let b: string | number;
  if (column.type === 'dateTime') {
    a = Math.floor(Date.parse(String(v)) / 1000) * 1000; // stored to the second
    b = Date.parse(String(c.literal.value));
  } else if (column.type === 'number') {
    a = Number(v);
    b = Number(c.literal.value);
  } else if (column.type === 'boolean') {
    a = v === true ? 1 : 0;
    b = c.literal.value === true || c.literal.value === 1 ? 1 : 0;
  } else {
    a = String(v).toLowerCase();
    b = String(c.literal.value).toLowerCase();
  }
  switch (c.op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'lt':
      return a < b;
    case 'ge':
      return a >= b;
    case 'le':
      return a <= b;
    case 'startswith':
      return String(a).startsWith(String(b));
  }
}

// ---- the contract check ----
const SITE_BY_PATH = /^\/sites\/[^/]+:\/.+$/;
const LISTS = /^\/sites\/[^/]+\/lists$/;
const COLUMNS = /^\/sites\/[^/]+\/lists\/([^/]+)\/columns$/;
const COLUMN = /^\/sites\/[^/]+\/lists\/([^/]+)\/columns\/[^/]+$/;
const ITEMS = /^\/sites\/[^/]+\/lists\/([^/]+)\/items$/;
const ITEM = /^\/sites\/[^/]+\/lists\/([^/]+)\/items\/[^/]+$/;
const ITEM_FIELDS = /^\/sites\/[^/]+\/lists\/([^/]+)\/items\/[^/]+\/fields$/;


/** A fieldValueSet's keys against the list's columns: they must exist, be writable, and have values of the column's type. */
function checkFields(sp: FakeSharePoint, listId: string, fields: unknown, at: string): Violation[] {
  const list = sp.listById(listId);
  if (!list) return [{ path: at, message: `no list ${listId} on the fake site` }];
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return [{ path: at, message: `fields must be an object, got ${JSON.stringify(fields)}` }];
  const out: Violation[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const column = list.columns.find((c) => c.name === name);
    if (!column) out.push({ path: `${at}.${name}`, message: `${list.name} has no column ${name}` });
    else if (column.readOnly) out.push({ path: `${at}.${name}`, message: `${list.name}.${name} is read-only` });
    else if ('error' in checkValues(list, { [name]: value })) out.push({ path: `${at}.${name}`, message: `${JSON.stringify(value)} is not a valid ${column.type} value` });
  }
  return out;
}

/**
 * Every SharePoint request against the Graph v1.0 metadata: bodies of creates
 * and updates against list / columnDefinition / listItem, fieldValueSet keys
 * against the list's columns, $select/$expand names against the type read. The
 * adapter deletes list items only (retention disposal), and never needs the non-indexed-query preference.
 */
export function sharePointViolations(requests: RecordedRequest[], sp: FakeSharePoint): Violation[] {
  const out: Violation[] = [];
  const fieldValueSet = loadGraphModel().structured.get('microsoft.graph.fieldValueSet');
  for (const req of requests) {
    if (req.path === '/$batch') continue;
    const label = `${req.method} ${req.path}`;
    const push = (vs: Violation[]) => out.push(...vs.map((v) => ({ path: `${label} ${v.path}`.trim(), message: v.message })));
    const reads = (type: string) => {
      const names = [...(req.query.$select ? topLevelNames(req.query.$select) : []), ...(req.query.$expand ? topLevelNames(req.query.$expand) : [])];
      push(checkResponseFields(type, names));
    };
    if (req.method === 'DELETE') {
      // Disposal deletes list items (and so their versions); nothing else is ever deleted.
      if (!ITEM.test(req.path)) out.push({ path: label, message: 'the app deletes list items only (disposal), never lists or columns' });
      continue;
    }
    if ((req.headers.prefer ?? '').includes(PREFER_NON_INDEXED)) out.push({ path: label, message: 'filters must use indexed columns; the non-indexed query preference fails on large lists' });
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && SITE_BY_PATH.test(req.path)) reads('site');
    else if (req.method === 'GET' && LISTS.test(req.path)) reads('list');
    else if (req.method === 'POST' && LISTS.test(req.path)) push(checkBody('list', req.body));
    else if (req.method === 'GET' && COLUMNS.test(req.path)) reads('columnDefinition');
    else if ((req.method === 'POST' && COLUMNS.test(req.path)) || (req.method === 'PATCH' && COLUMN.test(req.path))) push(checkBody('columnDefinition', req.body));
    else if (req.method === 'GET' && (m = ITEMS.exec(req.path) ?? ITEM.exec(req.path))) {
      reads('listItem');
      const expandSelect = /fields\(\$?select=([^)]*)\)/.exec(req.query.$expand ?? '')?.[1];
      if (expandSelect) {
        const list = sp.listById(m[1]!);
        for (const name of expandSelect.split(',')) if (!list?.columns.some((c) => c.name === name.trim())) out.push({ path: `${label} $expand`, message: `${list?.name ?? m[1]} has no column ${name}` });
      }
    } else if (req.method === 'POST' && (m = ITEMS.exec(req.path))) {
      const { fields, ...rest } = (req.body ?? {}) as Record<string, unknown>;
      push(checkBody('listItem', rest));
      if (!fieldValueSet?.open) out.push({ path: label, message: 'fieldValueSet is no longer an open type in the metadata' });
      push(checkFields(sp, m[1]!, fields, 'fields'));
    } else if (req.method === 'PATCH' && (m = ITEM_FIELDS.exec(req.path))) {
      if (!fieldValueSet?.open) out.push({ path: label, message: 'fieldValueSet is no longer an open type in the metadata' });
      push(checkFields(sp, m[1]!, req.body, ''));
    } else if (req.body !== undefined) out.push({ path: label, message: 'a request body no SharePoint contract rule covers' });
    else if (req.method !== 'GET') out.push({ path: label, message: 'an unexpected write' });
  }
  return out;
}
