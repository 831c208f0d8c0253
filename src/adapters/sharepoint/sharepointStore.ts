/**
 * The RecordStore on SharePoint lists through Microsoft Graph (tenant mode),
 * with the embedded store's semantics (src/adapters/embedded/store.ts): the
 * contract tests run one behaviour suite against both.
 *
 * How it maps (the lists and columns are in listSchema.ts):
 * - Every entity is a list item; its JSON body is in `ptBody`, its identity in
 *   the unique indexed `ptKey` (SHA-256 of the natural key, exact where
 *   SharePoint's own comparisons ignore case).
 * - Reads filter on ONE indexed column (`fields/<column> eq '...'`, `gt`, `lt`,
 *   `startswith`; api/listitem-list.md: the service filters one indexed field at
 *   a time) with $expand=fields($select=...), follow @odata.nextLink, and then
 *   apply every condition exactly here (SharePoint compares text without regard
 *   to case). Several values (relationship ids) are one request each, sent
 *   together as a $batch. No request needs
 *   `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`.
 * - Writes: POST items with { fields } (api/listitem-create.md), PATCH
 *   items/{id}/fields (api/listitem-update.md). The embedded store's upserts
 *   update only some columns (a session keeps its relationship and series, an
 *   action its relationship and record): the same columns are left alone here.
 * - saveRecord: the caller's etag is checked against the stored one, and the
 *   write carries the list item's eTag in If-Match, so a write that raced
 *   another gets 412 and becomes a ConcurrencyError carrying the current record.
 *   A new version keeps the previous one in pt-record-versions.
 * - claim(): creating an item whose ptKey (kind + key) is unique; SharePoint
 *   refuses the second (409, duplicate values) and that caller gets false.
 * - Creates are not retried blindly after a timeout or 5xx (Graph may have done
 *   them): the item is looked up by its key and its `ptWriteId` first.
 * - Site and list ids are looked up once per process; everything goes through
 *   GraphHttp (retries, throttling, $batch, response validation).
 *
 * Known differences from SQLite: no multi-item transactions (a saveSessions of
 * several sessions can half-succeed and be retried; every write is an upsert),
 * and a new record version is kept as history after the record's write succeeds
 * (a crash between the two loses that history entry, never the record).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ActionItem, Agreement, AuditEntry, ConversationRef, Person, RecordStatus, Relationship, Role, Series, Session, SupervisionRecord } from '../../domain/model';
import { ConcurrencyError, type CardMessage, type DisposalCounts, type RecordStore } from '../../ports/store';
import { GraphError } from '../graph/graphErrors';
import type { BatchResult, GraphHttp } from '../graph/graphHttp';
import { BODY_COLUMN, KEY_COLUMN, TEXT_MAX_LENGTH } from './listSchema';
import { type Fields, type ListItem as Item, ListItems, checkFields, cmp, hashKey, instant, isDuplicate, keyFilter, newItemFields, widen } from './listItems';
import * as schema from './sharepointSchemas';

export interface SharePointStoreOptions {
  http: GraphHttp;
  /** The app's site: its URL (SHAREPOINT_SITE_URL) or its Graph id. */
  site: { siteUrl: string } | { siteId: string };
  /** List items per page ($top). */
  pageSize?: number;
  /**
   * The longest JSON body written to a plain multi-line text column. SharePoint's
   * forms stop at 63,999 characters; a longer record fails here, by name, rather
   * than being cut short somewhere else.
   */
  maxBodyChars?: number;
}

interface UpsertEntry {
  key: unknown[];
  title: string;
  /** The fields to write: all of them for a new item, the changeable ones for an existing one. */
  build(existing: Item | undefined): Fields;
}

const ROLES: readonly Role[] = ['practitioner', 'supervisor', 'line-manager', 'safeguarding-lead', 'auditor'];
const MAX_CREATE_ATTEMPTS = 3;

export class SharePointStore implements RecordStore {
  private readonly http: GraphHttp;
  private readonly items: ListItems;
  private readonly maxBodyChars: number;
  /**
   * The list item each record was last read as (item id, eTag, body). A change is nearly always
   * made to a record just read (the card action reads it first), so saveRecord writes against
   * that eTag without reading the item again; if it has moved on, SharePoint answers 412 and the
   * item is read afresh. A round trip less per record change, which is what a card action's
   * budget needs (#21). Bounded; the eTag check keeps several instances correct.
   */
  private readonly recordItems = new Map<string, Item>();

  constructor(options: SharePointStoreOptions) {
    this.http = options.http;
    this.items = new ListItems({ http: options.http, site: options.site, pageSize: options.pageSize ?? 500, check: (list, fields) => this.check(list, fields) });
    this.maxBodyChars = options.maxBodyChars ?? 63_999;
  }

  // ---- relationships ----
  async listRelationships(filter: { personId?: string; activeOnly?: boolean } = {}): Promise<Relationship[]> {
    // Supervisees live in the body, which SharePoint cannot filter on: read the (small) list and filter here.
    const items = await this.items.query('pt-relationships');
    return items
      .map((i) => relationshipOf(body<Relationship>(i)))
      .filter((r) => !filter.personId || r.supervisorId === filter.personId || r.superviseeIds.includes(filter.personId))
      .filter((r) => !filter.activeOnly || r.active)
      .sort((a, b) => cmp(a.id, b.id));
  }

  async getRelationship(id: string): Promise<Relationship | undefined> {
    const item = await this.items.findByKey('pt-relationships', [id]);
    return item ? relationshipOf(body<Relationship>(item)) : undefined;
  }

  async saveRelationship(r: Relationship): Promise<void> {
    const stored = relationshipOf(r);
    const fields = { supervisorId: r.supervisorId, kind: r.kind, policyId: r.policyId, staffGroupId: r.staffGroupId, active: r.active, [BODY_COLUMN]: JSON.stringify(stored) };
    await this.upsert('pt-relationships', [{ key: [r.id], title: r.id, build: () => fields }]);
  }

  // ---- series and sessions ----
  async getSeriesByRequestKey(requestKey: string): Promise<Series | undefined> {
    const items = await this.items.query('pt-series', { column: 'ptRequestKey', op: 'eq', value: hashKey([requestKey]) });
    const found = items.map((i) => seriesOf(body<Series>(i))).find((s) => s.requestKey === requestKey);
    return found;
  }

  async saveSeries(s: Series): Promise<void> {
    await this.upsert('pt-series', [
      {
        key: [s.id],
        title: s.id,
        build: (existing) => {
          // As the embedded store: an existing series changes only its event id, rule and attendees.
          if (existing) return { [BODY_COLUMN]: JSON.stringify(seriesOf({ ...body<Series>(existing), calendarEventId: s.calendarEventId, rrule: s.rrule, attendeeIds: s.attendeeIds })) };
          return { ptRequestKey: hashKey([s.requestKey]), relationshipId: s.relationshipId, firstStart: instant(s.firstStart), [BODY_COLUMN]: JSON.stringify(seriesOf(s)) };
        },
      },
    ]);
  }

  async listSeries(relationshipId: string): Promise<Series[]> {
    const items = await this.items.query('pt-series', { column: 'relationshipId', op: 'eq', value: relationshipId });
    return sortBy(
      items.filter((i) => i.fields.relationshipId === relationshipId),
      (i) => body<Series>(i).firstStart,
      (i) => i,
    ).map((i) => seriesOf(body<Series>(i)));
  }

  async getSession(id: string): Promise<Session | undefined> {
    const item = await this.items.findByKey('pt-sessions', [id]);
    return item ? sessionOf(body<Session>(item)) : undefined;
  }

  async listSessions(filter: { relationshipIds?: string[]; from?: string; to?: string; status?: Session['status'][] }): Promise<Session[]> {
    if (filter.relationshipIds && filter.relationshipIds.length === 0) return [];
    let items: Item[];
    if (filter.relationshipIds) items = await this.items.queryEach('pt-sessions', 'relationshipId', filter.relationshipIds);
    // dateTime columns keep whole seconds: ask for a little more and compare exactly below.
    else if (filter.from && instant(filter.from)) items = await this.items.query('pt-sessions', { column: 'endsAt', op: 'gt', value: widen(filter.from, -1) });
    else if (filter.to && instant(filter.to)) items = await this.items.query('pt-sessions', { column: 'startsAt', op: 'lt', value: widen(filter.to, +1) });
    else items = await this.items.query('pt-sessions');
    const sessions = items.map((i) => ({ item: i, s: sessionOf(body<Session>(i)) }));
    return sortBy(
      sessions.filter(
        ({ s }) =>
          (!filter.relationshipIds || filter.relationshipIds.includes(s.relationshipId)) &&
          (!filter.from || s.end > filter.from) &&
          (!filter.to || s.start < filter.to) &&
          (!filter.status?.length || filter.status.includes(s.status)),
      ),
      ({ s }) => s.start,
      ({ item }) => item,
    ).map(({ s }) => s);
  }

  async saveSessions(sessions: Session[]): Promise<void> {
    await this.upsert(
      'pt-sessions',
      sessions.map((s) => ({
        key: [s.id],
        title: s.id,
        build: (existing) => {
          const times = { startsAt: instant(s.start), endsAt: instant(s.end), status: s.status, kind: s.kind };
          if (existing) {
            // As the embedded store: a session keeps the relationship and series it was created with.
            const old = body<Session>(existing);
            // As the embedded store: a cancelled session keeps the first time it was seen cancelled.
            const cancelledAt = s.status === 'cancelled' || s.status === 'missed' ? (old.cancelledAt ?? s.cancelledAt) : undefined;
            return { ...times, [BODY_COLUMN]: JSON.stringify(sessionOf({ ...s, relationshipId: old.relationshipId, seriesId: old.seriesId, cancelledAt })) };
          }
          return { relationshipId: s.relationshipId, seriesId: s.seriesId, ...times, [BODY_COLUMN]: JSON.stringify(sessionOf(s)) };
        },
      })),
    );
  }

  // ---- agreements ----
  async listAgreements(relationshipIds: string[]): Promise<Agreement[]> {
    if (relationshipIds.length === 0) return [];
    const items = (await this.items.queryEach('pt-agreements', 'relationshipId', relationshipIds)).filter((i) => relationshipIds.includes(String(i.fields.relationshipId)));
    const latest = new Map<string, string>();
    for (const i of items) {
      const rel = String(i.fields.relationshipId);
      const created = String(i.fields.createdAt ?? '');
      if (!latest.has(rel) || created > latest.get(rel)!) latest.set(rel, created);
    }
    return items.filter((i) => String(i.fields.createdAt ?? '') === latest.get(String(i.fields.relationshipId))).map((i) => body<Agreement>(i));
  }

  async saveAgreement(a: Agreement): Promise<void> {
    await this.upsert('pt-agreements', [
      {
        key: [a.id],
        title: a.id,
        build: (existing) => {
          const changeable = { reviewOn: a.reviewOn, status: a.status, [BODY_COLUMN]: JSON.stringify(a) };
          // As the embedded store: relationship, template and creation time stay as first saved.
          return existing ? changeable : { relationshipId: a.relationshipId, templateId: a.templateId, createdAt: a.createdAt, ...changeable };
        },
      },
    ]);
  }

  async disposeRecord(recordId: string): Promise<DisposalCounts> {
    const exact = (column: string) => (i: Item) => i.fields[column] === recordId;
    const [versions, actions] = await this.items.queryMany([
      ['pt-record-versions', { column: 'recordId', op: 'eq', value: recordId }],
      ['pt-actions', { column: 'recordId', op: 'eq', value: recordId }],
    ]);
    const counts: DisposalCounts = { records: 0, versions: 0, actions: 0 };
    // History and actions first, the record last: a disposal cut short still lists the record, and runs again.
    for (const v of versions!.filter(exact('recordId'))) if (await this.items.deleteItem('pt-record-versions', v.itemId)) counts.versions += 1;
    for (const a of actions!.filter(exact('recordId'))) if (await this.items.deleteItem('pt-actions', a.itemId)) counts.actions += 1;
    const current = await this.items.findByKey('pt-records', [recordId]);
    if (current && (await this.items.deleteItem('pt-records', current.itemId))) counts.records += 1;
    return counts;
  }

  // ---- records ----
  async getRecord(id: string): Promise<SupervisionRecord | undefined> {
    const item = await this.items.findByKey('pt-records', [id]);
    if (!item) return undefined;
    this.rememberRecordItem(id, item);
    return body<SupervisionRecord>(item);
  }

  private rememberRecordItem(id: string, item: Item): void {
    this.recordItems.delete(id);
    if (this.recordItems.size >= 500) this.recordItems.delete(this.recordItems.keys().next().value!);
    this.recordItems.set(id, item);
  }

  /** The item last read for a record, when it holds the record as the caller expects it. */
  private recordItemAsRead(id: string, expectedEtag: string): Item | undefined {
    const item = this.recordItems.get(id);
    return item && body<SupervisionRecord>(item).etag === expectedEtag ? item : undefined;
  }

  async getRecordForSession(sessionId: string): Promise<SupervisionRecord | undefined> {
    const items = (await this.items.query('pt-records', { column: 'sessionId', op: 'eq', value: sessionId })).filter((i) => i.fields.sessionId === sessionId);
    const records = items.map((i) => body<SupervisionRecord>(i));
    return records.reduce<SupervisionRecord | undefined>((best, r) => (!best || r.version > best.version ? r : best), undefined);
  }

  async listRecords(filter: { relationshipIds?: string[]; status?: RecordStatus[] }): Promise<SupervisionRecord[]> {
    if (filter.relationshipIds && filter.relationshipIds.length === 0) return [];
    let items: Item[];
    if (filter.relationshipIds) items = await this.items.queryEach('pt-records', 'relationshipId', filter.relationshipIds);
    else if (filter.status?.length) items = await this.items.queryEach('pt-records', 'status', filter.status);
    else items = await this.items.query('pt-records');
    return sortBy(
      items.filter(
        (i) => (!filter.relationshipIds || filter.relationshipIds.includes(String(i.fields.relationshipId))) && (!filter.status?.length || filter.status.includes(body<SupervisionRecord>(i).status)),
      ),
      (i) => body<SupervisionRecord>(i).updatedAt,
      (i) => i,
    ).map((i) => body<SupervisionRecord>(i));
  }

  async saveRecord(record: SupervisionRecord, expectedEtag?: string): Promise<SupervisionRecord> {
    const saved: SupervisionRecord = { ...record, etag: randomUUID() };
    const changeable = { status: saved.status, version: saved.version, updatedAt: instant(saved.updatedAt), [BODY_COLUMN]: JSON.stringify(saved) };
    if (expectedEtag === undefined) {
      // Only if new: SharePoint's unique ptKey refuses a second record with this id.
      const outcome = await this.create('pt-records', [saved.id], saved.id, { sessionId: saved.sessionId, relationshipId: saved.relationshipId, ...changeable });
      if (outcome === 'created') return saved;
      throw new ConcurrencyError((await this.getRecord(saved.id))!);
    }
    let item = this.recordItemAsRead(record.id, expectedEtag) ?? (await this.items.findByKey('pt-records', [record.id]));
    // Its eTag changes with the write below: the next change reads the item again (or is told 412).
    this.recordItems.delete(record.id);
    if (!item) throw new Error(`record ${record.id} does not exist`);
    for (let attempt = 0; ; attempt++) {
      const previousBody = String(item.fields[BODY_COLUMN]);
      const previous = JSON.parse(previousBody) as SupervisionRecord;
      if (previous.etag !== expectedEtag) throw new ConcurrencyError(previous);
      try {
        await this.patch('pt-records', item.itemId, changeable, item.eTag);
      } catch (err) {
        if (!(err instanceof GraphError) || !(err.status === 412 || err.ambiguous) || attempt >= MAX_CREATE_ATTEMPTS) throw err;
        // Someone else wrote first (412), or we cannot tell whether our write landed: look.
        item = (await this.items.findByKey('pt-records', [record.id]))!;
        const now = body<SupervisionRecord>(item);
        if (now.etag === saved.etag) return this.keepVersion(previous, previousBody, saved);
        if (now.etag !== expectedEtag) throw new ConcurrencyError(now);
        // The record is as the caller read it (only the item changed, e.g. an admin edited its
        // title, or our write did not land): send it again against the eTag just read.
        continue;
      }
      return this.keepVersion(previous, previousBody, saved);
    }
  }

  /** Starting a new version: the old one is kept, unchanged, as history (first write wins, as INSERT OR IGNORE). */
  private async keepVersion(previous: SupervisionRecord, previousBody: string, saved: SupervisionRecord): Promise<SupervisionRecord> {
    if (saved.version > previous.version) {
      await this.create('pt-record-versions', [previous.id, previous.version], `${previous.id} v${previous.version}`, { recordId: previous.id, version: previous.version, [BODY_COLUMN]: previousBody });
    }
    return saved;
  }

  async listRecordVersions(recordId: string): Promise<SupervisionRecord[]> {
    const [versions, current] = await this.items.queryMany([
      ['pt-record-versions', { column: 'recordId', op: 'eq', value: recordId }],
      ['pt-records', keyFilter([recordId])],
    ]);
    const old = sortBy(
      versions!.filter((i) => i.fields.recordId === recordId),
      (i) => Number(i.fields.version),
    ).map((i) => body<SupervisionRecord>(i));
    const now = current!.find((i) => i.fields[KEY_COLUMN] === hashKey([recordId]));
    return now ? [...old, body<SupervisionRecord>(now)] : old;
  }

  // ---- actions ----
  async listActions(filter: { relationshipIds?: string[]; ownerId?: string; status?: ActionItem['status'][]; recordId?: string }): Promise<ActionItem[]> {
    if (filter.relationshipIds && filter.relationshipIds.length === 0) return [];
    let items: Item[];
    if (filter.recordId) items = await this.items.query('pt-actions', { column: 'recordId', op: 'eq', value: filter.recordId });
    else if (filter.ownerId) items = await this.items.query('pt-actions', { column: 'ownerId', op: 'eq', value: filter.ownerId });
    else if (filter.relationshipIds) items = await this.items.queryEach('pt-actions', 'relationshipId', filter.relationshipIds);
    else if (filter.status?.length) items = await this.items.queryEach('pt-actions', 'status', filter.status);
    else items = await this.items.query('pt-actions');
    const f = (i: Item, c: string) => String(i.fields[c] ?? '');
    return sortBy(
      items.filter(
        (i) =>
          (!filter.relationshipIds || filter.relationshipIds.includes(f(i, 'relationshipId'))) &&
          (!filter.ownerId || f(i, 'ownerId') === filter.ownerId) &&
          (!filter.recordId || f(i, 'recordId') === filter.recordId) &&
          (!filter.status?.length || (filter.status as string[]).includes(f(i, 'status'))),
      ),
      (i) => f(i, 'dueOn'),
      (i) => body<ActionItem>(i).id,
    ).map((i) => body<ActionItem>(i));
  }

  async saveActions(actions: ActionItem[]): Promise<void> {
    await this.upsert(
      'pt-actions',
      actions.map((a) => ({
        key: [a.id],
        title: a.id,
        build: (existing) => {
          const changeable = { ownerId: a.ownerId, status: a.status, dueOn: a.dueOn, [BODY_COLUMN]: JSON.stringify(a) };
          // As the embedded store: relationship and record stay as first saved.
          return existing ? changeable : { relationshipId: a.relationshipId, recordId: a.recordId, ...changeable };
        },
      })),
    );
  }

  // ---- posted cards ----
  async saveCardMessage(m: CardMessage): Promise<void> {
    const message: CardMessage = { key: m.key, aadObjectId: m.aadObjectId, conversationId: m.conversationId, activityId: m.activityId, postedAt: m.postedAt };
    await this.upsert('pt-card-messages', [
      {
        key: [m.key, m.aadObjectId],
        title: m.key,
        build: (existing) => {
          const changeable = { postedAt: instant(m.postedAt), [BODY_COLUMN]: JSON.stringify(message) };
          return existing ? changeable : { cardKey: m.key.slice(0, TEXT_MAX_LENGTH), aadObjectId: m.aadObjectId, ...changeable };
        },
      },
    ]);
  }

  async listCardMessages(keyPrefix: string): Promise<CardMessage[]> {
    const items = keyPrefix ? await this.items.query('pt-card-messages', { column: 'cardKey', op: 'startswith', value: keyPrefix.slice(0, TEXT_MAX_LENGTH) }) : await this.items.query('pt-card-messages');
    const messages = items.map((i) => ({ item: i, m: body<CardMessage>(i) })).filter(({ m }) => inPrefixRange(m.key, keyPrefix));
    return sortBy(
      messages,
      ({ m }) => m.postedAt,
      ({ item }) => item,
    ).map(({ m }) => ({ key: m.key, aadObjectId: m.aadObjectId, conversationId: m.conversationId, activityId: m.activityId, postedAt: m.postedAt }));
  }

  // ---- the work ledger ----
  async claim(kind: string, key: string, at: string, detail?: Record<string, unknown>): Promise<boolean> {
    const outcome = await this.create('pt-ledger', [kind, key], `${kind}: ${key}`, {
      claimKind: kind,
      claimKey: key.slice(0, TEXT_MAX_LENGTH),
      claimedAt: instant(at),
      [BODY_COLUMN]: JSON.stringify({ kind, key, at, ...(detail ? { detail } : {}) }),
    });
    return outcome === 'created';
  }

  async listClaims(kind: string, keyPrefix = ''): Promise<{ key: string; at: string; detail?: Record<string, unknown> }[]> {
    const items = await this.items.query('pt-ledger', { column: 'claimKind', op: 'eq', value: kind });
    const claims = items
      .map((i) => ({ item: i, c: body<{ kind: string; key: string; at: string; detail?: Record<string, unknown> }>(i) }))
      .filter(({ c }) => c.kind === kind && inPrefixRange(c.key, keyPrefix));
    return sortBy(
      claims,
      ({ c }) => c.at,
      ({ item }) => item,
    ).map(({ c }) => ({ key: c.key, at: c.at, detail: c.detail ?? undefined }));
  }

  // ---- Teams conversation references ----
  async saveConversationRef(ref: ConversationRef): Promise<void> {
    const stored = conversationRefOf(ref);
    await this.upsert('pt-conversations', [
      {
        key: [ref.aadObjectId],
        title: ref.aadObjectId,
        build: (existing) => (existing ? { [BODY_COLUMN]: JSON.stringify(stored) } : { aadObjectId: ref.aadObjectId, [BODY_COLUMN]: JSON.stringify(stored) }),
      },
    ]);
  }

  async getConversationRef(aadObjectId: string): Promise<ConversationRef | undefined> {
    const item = await this.items.findByKey('pt-conversations', [aadObjectId]);
    return item ? conversationRefOf(body<ConversationRef>(item)) : undefined;
  }

  // ---- audit (append-only: items are only ever created) ----
  async appendAudit(e: AuditEntry): Promise<void> {
    const entry: AuditEntry = { at: e.at, actorId: e.actorId, action: e.action, subjectType: e.subjectType, subjectId: e.subjectId, ...(e.detail ? { detail: e.detail } : {}) };
    await this.create('pt-audit', [randomUUID()], `${e.action} ${e.subjectType}`, {
      at: instant(e.at),
      actorId: e.actorId,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      [BODY_COLUMN]: JSON.stringify(entry),
    });
  }

  async listAudit(filter: { subjectId?: string; actorId?: string; limit?: number }): Promise<AuditEntry[]> {
    let items: Item[];
    if (filter.subjectId) items = await this.items.query('pt-audit', { column: 'subjectId', op: 'eq', value: filter.subjectId });
    else if (filter.actorId) items = await this.items.query('pt-audit', { column: 'actorId', op: 'eq', value: filter.actorId });
    else items = await this.items.query('pt-audit');
    return items
      .map((i) => ({ item: i, e: body<AuditEntry>(i) }))
      .filter(({ e }) => (!filter.subjectId || e.subjectId === filter.subjectId) && (!filter.actorId || e.actorId === filter.actorId))
      // Newest first: SharePoint numbers items in the order they were created.
      .sort((a, b) => Number(b.item.itemId) - Number(a.item.itemId))
      .slice(0, filter.limit ?? 100)
      .map(({ e }) => ({ at: e.at, actorId: e.actorId, action: e.action, subjectType: e.subjectType, subjectId: e.subjectId, detail: e.detail ?? undefined }));
  }

  // ---- people: what only the app knows (for GraphDirectory's profileLookup) ----
  async profileFor(aadObjectId: string): Promise<Partial<Person> | undefined> {
    const items = await this.items.query('pt-people', { column: 'aadObjectId', op: 'eq', value: aadObjectId });
    const item = items.find((i) => String(i.fields.aadObjectId ?? '').toLowerCase() === aadObjectId.toLowerCase());
    if (!item) return undefined;
    const text = (c: string) => {
      const v = item.fields[c];
      return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    };
    const roles = (text('roles') ?? '')
      .split(/[;,]/)
      .map((r) => r.trim().toLowerCase())
      .filter((r): r is Role => (ROLES as string[]).includes(r));
    const profile: Partial<Person> = { roles };
    for (const [field, column] of [
      ['policyId', 'policyId'],
      ['staffGroupId', 'staffGroupId'],
      ['startedOn', 'startedOn'],
      ['lineManagerId', 'lineManagerId'],
    ] as const) {
      const v = text(column);
      if (v) profile[field] = v;
    }
    return profile;
  }

  // ---- list items over Graph ----
  private async patch(list: string, itemId: string, fields: Fields, ifMatch?: string): Promise<void> {
    await this.http.json(await this.items.patchCall(list, itemId, fields, { ifMatch }), schema.fieldValueSet);
  }

  /**
   * Creates an item unless one with its key exists. After a timeout or 5xx it
   * looks for the item (by key and write id) before sending the create again.
   */
  private async create(list: string, key: unknown[], title: string, fields: Fields): Promise<'created' | 'duplicate'> {
    return (await this.items.create(list, key, newItem(key, title, fields), MAX_CREATE_ATTEMPTS)).outcome;
  }

  /**
   * Creates or updates items by key: one $batch of lookups, one of writes (20
   * to a batch). Anything that fails in a way worth another go (an item created
   * meanwhile, a timeout) is redone on its own, looking first.
   */
  private async upsert(list: string, entries: UpsertEntry[]): Promise<void> {
    const firsts: UpsertEntry[] = [];
    const repeats: UpsertEntry[] = [];
    const seen = new Set<string>();
    for (const e of entries) {
      const h = hashKey(e.key);
      (seen.has(h) ? repeats : firsts).push(e);
      seen.add(h);
    }
    if (firsts.length > 0) {
      const found = await this.items.queryMany(firsts.map((e) => [list, keyFilter(e.key)]));
      const existing = firsts.map((e, k) => found[k]!.find((i) => i.fields[KEY_COLUMN] === hashKey(e.key)));
      const calls = await Promise.all(firsts.map((e, k) => (existing[k] ? this.items.patchCall(list, existing[k].itemId, e.build(existing[k])) : this.items.createCall(list, newItem(e.key, e.title, e.build(undefined))))));
      let results: BatchResult<unknown>[];
      try {
        results = calls.length === 1 ? [{ ok: true, value: await this.http.json(calls[0]!, z.unknown()) }] : await this.http.many(calls, z.unknown());
      } catch (err) {
        // The request (or the whole $batch) failed: each write is redone on its own below, looking first.
        if (!(err instanceof GraphError)) throw err;
        results = calls.map(() => ({ ok: false, error: err }));
      }
      for (let k = 0; k < firsts.length; k++) {
        const r = results[k]!;
        if (r.ok) continue;
        if (isDuplicate(r.error) || r.error.ambiguous || r.error.notFound || r.error.status === 429) await this.upsertOne(list, firsts[k]!);
        else throw r.error;
      }
    }
    for (const e of repeats) await this.upsertOne(list, e);
  }

  private async upsertOne(list: string, e: UpsertEntry): Promise<void> {
    for (let attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt++) {
      const existing = await this.items.findByKey(list, e.key);
      if (existing) return this.patch(list, existing.itemId, e.build(existing));
      if ((await this.create(list, e.key, e.title, e.build(undefined))) === 'created') return;
      // Created by someone else meanwhile (or another unique column holds the value): look again.
    }
    throw new Error(`${list}: could not save ${e.title}: SharePoint reports a duplicate value in a unique column`);
  }

  /** Values SharePoint would refuse, and a body longer than the store writes, refused here with the column named. */
  private check(list: string, fields: Fields): void {
    checkFields(list, fields, (name, value) =>
      name === BODY_COLUMN && value.length > this.maxBodyChars ? `${list}: the item is ${value.length} characters of JSON; the store writes at most ${this.maxBodyChars}` : undefined,
    );
  }
}

/** A new item's fields: its title, its identity (key hash and write id), then the rest. */
function newItem(key: unknown[], title: string, fields: Fields): Fields {
  return { Title: title.slice(0, TEXT_MAX_LENGTH), ...newItemFields(key), ...fields };
}

function body<T>(i: Item): T {
  const raw = i.fields[BODY_COLUMN];
  if (typeof raw !== 'string') throw new Error(`list item ${i.itemId} has no ${BODY_COLUMN}: it was not written by Protected Time`);
  return JSON.parse(raw) as T;
}

/** The embedded store's range for a prefix: key >= prefix AND key < prefix || U+FFFF. */
function inPrefixRange(key: string, prefix: string): boolean {
  return key >= prefix && key < `${prefix}\uffff`;
}

/** Stable sort by keys; an Item key sorts by creation order (SQLite's rowid order for ties). */
function sortBy<T>(values: T[], ...keys: ((v: T) => string | number | Item)[]): T[] {
  const order = (k: string | number | Item) => (typeof k === 'object' ? Number(k.itemId) : k);
  return [...values].sort((a, b) => {
    for (const key of keys) {
      const c = cmp(order(key(a)), order(key(b)));
      if (c !== 0) return c;
    }
    return 0;
  });
}

function relationshipOf(r: Relationship): Relationship {
  return {
    id: r.id,
    kind: r.kind,
    supervisorId: r.supervisorId,
    superviseeIds: [...r.superviseeIds].sort(cmp),
    policyId: r.policyId,
    staffGroupId: r.staffGroupId,
    startedOn: r.startedOn,
    override: r.override ?? undefined,
    unit: r.unit ?? undefined,
    active: Boolean(r.active),
  };
}

function seriesOf(s: Series): Series {
  return {
    id: s.id,
    relationshipId: s.relationshipId,
    organiserId: s.organiserId,
    attendeeIds: s.attendeeIds,
    rrule: s.rrule,
    firstStart: s.firstStart,
    durationMinutes: Number(s.durationMinutes),
    timeZone: s.timeZone,
    calendarEventId: s.calendarEventId ?? undefined,
    requestKey: s.requestKey,
    createdAt: s.createdAt,
    createdBy: s.createdBy,
  };
}

function sessionOf(s: Session): Session {
  return {
    id: s.id,
    relationshipId: s.relationshipId,
    seriesId: s.seriesId ?? undefined,
    start: s.start,
    end: s.end,
    status: s.status,
    kind: s.kind,
    calendarEventId: s.calendarEventId ?? undefined,
    occurrenceStart: s.occurrenceStart ?? undefined,
    replacesSessionId: s.replacesSessionId ?? undefined,
    cancelledAt: s.status === 'cancelled' || s.status === 'missed' ? (s.cancelledAt ?? undefined) : undefined,
  };
}

function conversationRefOf(r: ConversationRef): ConversationRef {
  return {
    aadObjectId: r.aadObjectId,
    conversationId: r.conversationId,
    serviceUrl: r.serviceUrl,
    tenantId: r.tenantId ? String(r.tenantId) : undefined,
    botId: r.botId ? String(r.botId) : undefined,
    ...(r.teamsUserId ? { teamsUserId: String(r.teamsUserId) } : {}),
    updatedAt: r.updatedAt,
  };
}
