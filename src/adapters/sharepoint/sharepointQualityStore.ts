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
import type { QaGrade } from '../../domain/compliance';
import type { QaGradeFilter, QualityStore } from '../../ports/quality';
import type { GraphHttp } from '../graph/graphHttp';
import { BODY_COLUMN, KEY_COLUMN, WRITE_ID_COLUMN } from './listSchema';
import { type Fields, type Filter, type ListItem as Item, ListItems, checkFields, cmp, cut, hashKey, instant, widen } from './listItems';

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

export class SharePointQualityStore implements QualityStore {
  private readonly items: ListItems;
  private readonly maxFilterValues: number;
  private readonly maxBodyChars: number;

  constructor(options: SharePointQualityStoreOptions) {
    this.items = new ListItems({ http: options.http, site: options.site, pageSize: options.pageSize ?? 500, check: (_list, fields) => this.check(fields) });
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
    await this.items.create(QA_GRADES_LIST, [grade.id], { ...fields, [WRITE_ID_COLUMN]: randomUUID() }, MAX_CREATE_ATTEMPTS);
  }

  async deleteGradesForRecord(recordId: string): Promise<number> {
    let n = 0;
    for (const item of await this.query({ column: 'recordId', op: 'eq', value: cut(recordId) })) {
      if (gradeOf(item).recordId === recordId && (await this.items.deleteItem(QA_GRADES_LIST, item.itemId))) n += 1;
    }
    return n;
  }

  async listGrades(filter: QaGradeFilter = {}): Promise<QaGrade[]> {
    if (filter.relationshipIds && filter.relationshipIds.length === 0) return [];
    let items: Item[];
    if (filter.recordId) items = await this.query({ column: 'recordId', op: 'eq', value: cut(filter.recordId) });
    else if (filter.auditorId) items = await this.query({ column: 'auditorId', op: 'eq', value: cut(filter.auditorId) });
    else if (filter.relationshipIds && new Set(filter.relationshipIds).size <= this.maxFilterValues) items = await this.items.queryEach(QA_GRADES_LIST, 'relationshipId', filter.relationshipIds.map(cut));
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

  private query(filter: Filter | undefined): Promise<Item[]> {
    return this.items.query(QA_GRADES_LIST, filter);
  }

  /** Values SharePoint would refuse, and a grade longer than the store writes, refused here with the column named. */
  private check(fields: Fields): void {
    checkFields(QA_GRADES_LIST, fields, (name, value) =>
      name === BODY_COLUMN && value.length > this.maxBodyChars ? `${QA_GRADES_LIST}: the grade is ${value.length} characters of JSON; the store writes at most ${this.maxBodyChars}` : undefined,
    );
  }
}

function gradeOf(i: Item): QaGrade {
  const raw = i.fields[BODY_COLUMN];
  if (typeof raw !== 'string') throw new Error(`${QA_GRADES_LIST} item ${i.itemId} has no ${BODY_COLUMN}: it was not written by Protected Time`);
  const g = JSON.parse(raw) as QaGrade;
  return { id: g.id, recordId: g.recordId, relationshipId: g.relationshipId, auditorId: g.auditorId, category: g.category, comment: g.comment, at: g.at };
}
