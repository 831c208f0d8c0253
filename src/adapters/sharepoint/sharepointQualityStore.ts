/**
 * The QualityStore on a SharePoint list through Microsoft Graph (tenant mode),
 * with the embedded store's semantics (src/adapters/embedded/qualityStore.ts):
 * the contract tests run one behaviour suite against both
 * (tests/contract/qualityStoreBehaviour.ts).
 *
 * How it maps (the list and its columns are in listSchema.ts, 'pt-qa-grades'):
 * - One item per grade. Its identity is the unique indexed `ptKey` (SHA-256 of
 *   the grade id), so "saving the same grade id again changes nothing" is
 *   SharePoint refusing the second create (409), not a read-then-write race.
 *   Grades are append-only: an item is created once and never written again.
 * - The grade itself (comment included) is the JSON body, `ptBody`; the
 *   columns beside it exist to be filtered on (recordId, relationshipId,
 *   auditorId, gradedAt: indexed) or read by people (category).
 * - Reads filter on ONE indexed column, the narrowest the filter allows
 *   (record, then auditor, then relationships, then the time range), and every
 *   condition is then applied exactly here, on the body: SharePoint compares
 *   text without regard to case, single-line text holds 255 characters, and
 *   dateTime columns keep whole seconds. Several relationships are one request
 *   each, 20 to a $batch; beyond `maxFilterValues` of them the list is read
 *   whole instead (one paged read beats hundreds of filtered ones).
 * - A create that timed out is not sent blindly again: the item is looked up by
 *   its key and `ptWriteId` first.
 *
 * Requests (after the site and list ids, looked up once per instance):
 * saveGrade 1; listGrades 1 (plus pages), or one per relationship in $batches of 20.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { QaGrade } from '../../domain/compliance';
import type { QaGradeFilter, QualityStore } from '../../ports/quality';
import { GraphError } from '../graph/graphErrors';
import { type GraphCall, type GraphHttp, odataString, validate } from '../graph/graphHttp';
import { BODY_COLUMN, KEY_COLUMN, TEXT_MAX_LENGTH, WRITE_ID_COLUMN, listSpec } from './listSchema';
import * as schema from './sharepointSchemas';
import { hashKey } from './sharepointStore';
import { SiteLists, listPath } from './sharepointSite';

export interface SharePointQualityStoreOptions {
  http: GraphHttp;
  /** The app's site: its URL (SHAREPOINT_SITE_URL) or its Graph id. */
  site: { siteUrl: string } | { siteId: string };
  /** List items per page ($top). */
  pageSize?: number;
  /** Above this many relationship ids, listGrades reads the whole list rather than one filtered request per id. */
  maxFilterValues?: number;
  /** The longest JSON body written (SharePoint's forms stop at 63,999 characters). */
  maxBodyChars?: number;
}

export const QA_GRADES_LIST = 'pt-qa-grades';
const MAX_CREATE_ATTEMPTS = 3;
const pageEnvelope = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

type Fields = Record<string, unknown>;

interface Item {
  itemId: string;
  fields: Fields;
}

interface Filter {
  column: string;
  op: 'eq' | 'gt' | 'lt';
  value: string;
}

export class SharePointQualityStore implements QualityStore {
  private readonly http: GraphHttp;
  private readonly lists: SiteLists;
  private readonly pageSize: number;
  private readonly maxFilterValues: number;
  private readonly maxBodyChars: number;

  constructor(options: SharePointQualityStoreOptions) {
    this.http = options.http;
    this.lists = new SiteLists(options.http, options.site);
    this.pageSize = options.pageSize ?? 500;
    this.maxFilterValues = options.maxFilterValues ?? 40;
    this.maxBodyChars = options.maxBodyChars ?? 63_999;
  }

  async saveGrade(g: QaGrade): Promise<void> {
    const grade: QaGrade = { id: g.id, recordId: g.recordId, relationshipId: g.relationshipId, auditorId: g.auditorId, category: g.category, comment: g.comment, at: g.at };
    const at = instant(grade.at);
    const fields: Fields = {
      Title: cut(`${grade.category}: ${grade.recordId}`),
      [KEY_COLUMN]: hashKey([grade.id]),
      recordId: cut(grade.recordId),
      relationshipId: cut(grade.relationshipId),
      auditorId: cut(grade.auditorId),
      category: cut(grade.category),
      ...(at ? { gradedAt: at } : {}),
      [BODY_COLUMN]: JSON.stringify(grade),
    };
    // Append-only, first write wins (as INSERT ... ON CONFLICT DO NOTHING): a duplicate is not an error.
    await this.create([grade.id], fields);
  }

  async listGrades(filter: QaGradeFilter = {}): Promise<QaGrade[]> {
    if (filter.relationshipIds && filter.relationshipIds.length === 0) return [];
    let items: Item[];
    if (filter.recordId) items = await this.query({ column: 'recordId', op: 'eq', value: cut(filter.recordId) });
    else if (filter.auditorId) items = await this.query({ column: 'auditorId', op: 'eq', value: cut(filter.auditorId) });
    else if (filter.relationshipIds && new Set(filter.relationshipIds).size <= this.maxFilterValues) items = await this.queryEach('relationshipId', filter.relationshipIds.map(cut));
    // dateTime columns keep whole seconds: ask for a little more and compare exactly below.
    else if (filter.from && instant(filter.from)) items = await this.query({ column: 'gradedAt', op: 'gt', value: widen(filter.from, -1) });
    else if (filter.to && instant(filter.to)) items = await this.query({ column: 'gradedAt', op: 'lt', value: widen(filter.to, +1) });
    else items = await this.query(undefined);
    const relationships = filter.relationshipIds ? new Set(filter.relationshipIds) : undefined;
    return items
      .map((i) => gradeOf(i))
      .filter(
        (g) =>
          (!relationships || relationships.has(g.relationshipId)) &&
          (!filter.recordId || g.recordId === filter.recordId) &&
          (!filter.auditorId || g.auditorId === filter.auditorId) &&
          (!filter.category || g.category === filter.category) &&
          (!filter.from || g.at >= filter.from) &&
          (!filter.to || g.at < filter.to),
      )
      .sort((a, b) => cmp(a.at, b.at) || cmp(a.id, b.id));
  }

  // ---- list items over Graph ----
  private async query(filter: Filter | undefined): Promise<Item[]> {
    const { items } = await this.http.pages(await this.itemsCall(filter), schema.listItem);
    return items.map(toItem);
  }

  /** Items whose `column` equals any of `values`: one filtered request per value, batched (20 to a $batch). */
  private async queryEach(column: string, values: string[]): Promise<Item[]> {
    const unique = [...new Set(values)];
    if (unique.length === 1) return this.query({ column, op: 'eq', value: unique[0]! });
    const calls = await Promise.all(unique.map((value) => this.itemsCall({ column, op: 'eq', value })));
    const results = await this.http.many(calls, pageEnvelope);
    const pages = await Promise.all(
      results.map(async (result, k) => {
        if (!result.ok) throw result.error;
        const call = calls[k]!;
        const items = result.value.value.map((v, i) => toItem(validate(call.call, schema.listItem, v, `value[${i}]`)));
        const next = result.value['@odata.nextLink'];
        if (next) items.push(...(await this.http.pages({ ...call, path: next, query: undefined }, schema.listItem)).items.map(toItem));
        return items;
      }),
    );
    const seen = new Set<string>();
    return pages.flat().filter((i) => (seen.has(i.itemId) ? false : (seen.add(i.itemId), true)));
  }

  private async itemsCall(filter: Filter | undefined): Promise<GraphCall> {
    const spec = listSpec(QA_GRADES_LIST);
    if (filter && !spec.columns.some((c) => c.name === filter.column && (c.indexed || c.unique))) {
      throw new Error(`${QA_GRADES_LIST}: ${filter.column} is not an indexed column`);
    }
    return {
      call: `listItems(${QA_GRADES_LIST})`,
      method: 'GET',
      path: `${await this.listPath()}/items`,
      query: {
        $select: 'id,eTag',
        $expand: `fields($select=${spec.columns.map((c) => c.name).join(',')})`,
        ...(filter ? { $filter: `fields/${filter.column} ${filter.op} ${odataString(filter.value)}` } : {}),
        $top: this.pageSize,
      },
    };
  }

  private async findByKey(key: unknown[]): Promise<Item | undefined> {
    const hash = hashKey(key);
    return (await this.query({ column: KEY_COLUMN, op: 'eq', value: hash })).find((i) => i.fields[KEY_COLUMN] === hash);
  }

  /** Creates the item unless one with its key exists; after a timeout or 5xx it looks (by key and write id) before sending again. */
  private async create(key: unknown[], fields: Fields): Promise<'created' | 'duplicate'> {
    const writeId = randomUUID();
    const all: Fields = { ...fields, [WRITE_ID_COLUMN]: writeId };
    this.check(all);
    const call: GraphCall = { call: `createItem(${QA_GRADES_LIST})`, method: 'POST', path: `${await this.listPath()}/items`, body: { fields: all } };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.http.json(call, schema.listItem);
        return 'created';
      } catch (err) {
        if (isDuplicate(err)) return 'duplicate';
        if (!(err instanceof GraphError) || !err.ambiguous || attempt >= MAX_CREATE_ATTEMPTS) throw err;
        const found = await this.findByKey(key);
        if (found) return found.fields[WRITE_ID_COLUMN] === writeId ? 'created' : 'duplicate';
      }
    }
  }

  /** Values SharePoint would refuse, refused here with the column named. */
  private check(fields: Fields): void {
    const spec = listSpec(QA_GRADES_LIST);
    for (const [name, value] of Object.entries(fields)) {
      const column = spec.columns.find((c) => c.name === name);
      if (column?.type === 'text' && typeof value === 'string' && value.length > TEXT_MAX_LENGTH) {
        throw new Error(`${QA_GRADES_LIST}: ${name} is ${value.length} characters; SharePoint text columns hold ${TEXT_MAX_LENGTH}`);
      }
      if (name === BODY_COLUMN && typeof value === 'string' && value.length > this.maxBodyChars) {
        throw new Error(`${QA_GRADES_LIST}: the grade is ${value.length} characters of JSON; the store writes at most ${this.maxBodyChars}`);
      }
    }
  }

  private async listPath(): Promise<string> {
    const listId = await this.lists.listId(QA_GRADES_LIST);
    return listPath(await this.lists.siteId(), listId);
  }
}

function gradeOf(i: Item): QaGrade {
  const raw = i.fields[BODY_COLUMN];
  if (typeof raw !== 'string') throw new Error(`${QA_GRADES_LIST} item ${i.itemId} has no ${BODY_COLUMN}: it was not written by Protected Time`);
  const g = JSON.parse(raw) as QaGrade;
  return { id: g.id, recordId: g.recordId, relationshipId: g.relationshipId, auditorId: g.auditorId, category: g.category, comment: g.comment, at: g.at };
}

function toItem(i: schema.GraphListItem): Item {
  return { itemId: i.id, fields: i.fields ?? {} };
}

function isDuplicate(err: unknown): boolean {
  return err instanceof GraphError && (err.status === 409 || (err.status === 400 && /duplicate values/i.test(err.message)));
}

/** Single-line text holds 255 characters: identity is the hash and the truth is the body; these are for filtering. */
function cut(value: string): string {
  return value.slice(0, TEXT_MAX_LENGTH);
}

/** An instant for a dateTime column: ISO 8601 UTC, or nothing for a value that is not one. */
function instant(value: string): string | undefined {
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A bound wider than the instant, in whole seconds, for a server filter the exact check then narrows. */
function widen(value: string, seconds: number): string {
  const t = Math.floor(Date.parse(value) / 1000) * 1000 + seconds * 1000 + (seconds > 0 ? 1000 : 0);
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
