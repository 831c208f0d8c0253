/** The embedded RecordStore and DirectoryPort over SQLite (local mode). */
import { randomUUID } from 'node:crypto';
import type { ActionItem, Agreement, AuditEntry, ConversationRef, Person, RecordStatus, Relationship, Series, Session, SupervisionRecord } from '../../domain/model';
import type { DirectoryPort } from '../../ports/directory';
import { ConcurrencyError, type CardMessage, type DisposalCounts, type RecordStore } from '../../ports/store';
import { type Db, transaction, prepared } from './db';
import { nul, personFromRow, relationshipFromRow, seriesFromRow, sessionFromRow } from './rows';

/** A cancelled session keeps the first time it was seen cancelled; one no longer cancelled (or missed) has none. */
const KEEP_FIRST_CANCELLATION = "CASE WHEN excluded.status IN ('cancelled','missed') THEN COALESCE(sessions.cancelled_at, excluded.cancelled_at) ELSE NULL END";

type Row = Record<string, unknown>;

/** A WHERE clause built from optional filters. Id lists go in as one JSON parameter (SQLite caps bound variables). */
class Where {
  private parts: string[] = [];
  readonly args: (string | number)[] = [];

  eq(column: string, value: string | undefined): this {
    if (value !== undefined) (this.parts.push(`${column} = ?`), this.args.push(value));
    return this;
  }

  cmp(sql: string, value: string | undefined): this {
    if (value !== undefined) (this.parts.push(sql), this.args.push(value));
    return this;
  }

  in(column: string, values: readonly string[] | undefined): this {
    if (values?.length) (this.parts.push(`${column} IN (SELECT value FROM json_each(?))`), this.args.push(JSON.stringify(values)));
    return this;
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

export class EmbeddedStore implements RecordStore, DirectoryPort {
  constructor(private readonly db: Db) {}

  // ---- directory ----
  async getPerson(id: string): Promise<Person | undefined> {
    const row = prepared(this.db, 'SELECT * FROM people WHERE id = ?').get(id) as Row | undefined;
    return row ? personFromRow(row) : undefined;
  }

  async findByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    const row = prepared(this.db, 'SELECT * FROM people WHERE aad_object_id = ?').get(aadObjectId) as Row | undefined;
    return row ? personFromRow(row) : undefined;
  }

  async listPeople(): Promise<Person[]> {
    return (prepared(this.db, 'SELECT * FROM people WHERE left_on IS NULL ORDER BY display_name').all() as Row[]).map(personFromRow);
  }

  async getLineManager(personId: string): Promise<Person | undefined> {
    const person = await this.getPerson(personId);
    return person?.lineManagerId ? this.getPerson(person.lineManagerId) : undefined;
  }

  /**
   * Local-mode only (the /api/dev directory stand-in): takes a person out of the
   * people group, or puts them back. They stay readable by id, as an Entra user
   * removed from the group does.
   */
  setLeft(id: string, leftOn: string | undefined): void {
    prepared(this.db, 'UPDATE people SET left_on = ? WHERE id = ?').run(leftOn ?? null, id);
  }

  /** Local-mode only: the people group as it is, with managers (for the directory change feed). */
  groupSnapshot(): Record<string, string | null> {
    const rows = prepared(this.db, 'SELECT id, line_manager_id FROM people WHERE left_on IS NULL ORDER BY id').all() as Row[];
    return Object.fromEntries(rows.map((r) => [String(r.id), r.line_manager_id === null ? null : String(r.line_manager_id)]));
  }

  /** Local-mode only: people come from Entra ID in a tenant. */
  upsertPerson(p: Person, workingHours?: unknown): void {
    prepared(this.db,
        `INSERT INTO people (id, aad_object_id, display_name, email, job_title, team, roles, line_manager_id, policy_id, staff_group_id, started_on, working_hours)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
         ON CONFLICT(id) DO UPDATE SET aad_object_id=excluded.aad_object_id, display_name=excluded.display_name, email=excluded.email,
           job_title=excluded.job_title, team=excluded.team, roles=excluded.roles, line_manager_id=excluded.line_manager_id,
           policy_id=excluded.policy_id, staff_group_id=excluded.staff_group_id, started_on=excluded.started_on, working_hours=excluded.working_hours`,
      )
      .run(p.id, p.aadObjectId, p.displayName, p.email, p.jobTitle, p.team, JSON.stringify(p.roles), nul(p.lineManagerId), nul(p.policyId), nul(p.staffGroupId), nul(p.startedOn), workingHours === undefined ? null : JSON.stringify(workingHours));
  }

  // ---- relationships ----
  async listRelationships(filter: { personId?: string; activeOnly?: boolean } = {}): Promise<Relationship[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.personId) {
      where.push('(r.supervisor_id = ? OR r.id IN (SELECT relationship_id FROM relationship_members WHERE person_id = ?))');
      args.push(filter.personId, filter.personId);
    }
    if (filter.activeOnly) where.push('r.active = 1');
    const clause = where.length ? 'WHERE ' + where.join(' AND ') : '';
    const rows = prepared(this.db, `SELECT r.* FROM relationships r ${clause} ORDER BY r.id`).all(...args) as Row[];
    // Members in one query, not one per relationship (50,000 relationships took seconds the other way).
    const members = new Map<string, string[]>();
    const memberRows = prepared(this.db, `SELECT m.relationship_id, m.person_id FROM relationship_members m WHERE m.relationship_id IN (SELECT r.id FROM relationships r ${clause}) ORDER BY m.relationship_id, m.person_id`).all(...args) as Row[];
    for (const m of memberRows) {
      const id = String(m.relationship_id);
      const list = members.get(id);
      if (list) list.push(String(m.person_id));
      else members.set(id, [String(m.person_id)]);
    }
    return rows.map((r) => relationshipFromRow(r, members.get(String(r.id)) ?? []));
  }

  async getRelationship(id: string): Promise<Relationship | undefined> {
    const row = prepared(this.db, 'SELECT * FROM relationships WHERE id = ?').get(id) as Row | undefined;
    return row ? relationshipFromRow(row, this.members(id)) : undefined;
  }

  private members(relationshipId: string): string[] {
    return (prepared(this.db, 'SELECT person_id FROM relationship_members WHERE relationship_id = ? ORDER BY person_id').all(relationshipId) as Row[]).map((r) => String(r.person_id));
  }

  async saveRelationship(r: Relationship): Promise<void> {
    transaction(this.db, () => {
      prepared(this.db,
          `INSERT INTO relationships (id, kind, supervisor_id, policy_id, staff_group_id, started_on, override, unit, active) VALUES (?,?,?,?,?,?,?,?,?)
           ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, supervisor_id=excluded.supervisor_id, policy_id=excluded.policy_id,
             staff_group_id=excluded.staff_group_id, started_on=excluded.started_on, override=excluded.override, unit=excluded.unit, active=excluded.active`,
        )
        .run(r.id, r.kind, r.supervisorId, r.policyId, r.staffGroupId, r.startedOn, r.override ? JSON.stringify(r.override) : null, nul(r.unit), r.active ? 1 : 0);
      prepared(this.db, 'DELETE FROM relationship_members WHERE relationship_id = ?').run(r.id);
      const add = prepared(this.db, 'INSERT INTO relationship_members (relationship_id, person_id) VALUES (?, ?)');
      for (const id of r.superviseeIds) add.run(r.id, id);
    });
  }

  // ---- series and sessions ----
  async getSeriesByRequestKey(requestKey: string): Promise<Series | undefined> {
    const row = prepared(this.db, 'SELECT * FROM series WHERE request_key = ?').get(requestKey) as Row | undefined;
    return row ? seriesFromRow(row) : undefined;
  }

  async saveSeries(s: Series): Promise<void> {
    prepared(this.db,
        `INSERT INTO series (id, relationship_id, organiser_id, attendee_ids, rrule, first_start, duration_minutes, time_zone, calendar_event_id, request_key, created_at, created_by)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
         ON CONFLICT(id) DO UPDATE SET calendar_event_id=excluded.calendar_event_id, rrule=excluded.rrule, attendee_ids=excluded.attendee_ids`,
      )
      .run(s.id, s.relationshipId, s.organiserId, JSON.stringify(s.attendeeIds), s.rrule, s.firstStart, s.durationMinutes, s.timeZone, nul(s.calendarEventId), s.requestKey, s.createdAt, s.createdBy);
  }

  async listSeries(relationshipId: string): Promise<Series[]> {
    return (prepared(this.db, 'SELECT * FROM series WHERE relationship_id = ? ORDER BY first_start').all(relationshipId) as Row[]).map(seriesFromRow);
  }

  async getSession(id: string): Promise<Session | undefined> {
    const row = prepared(this.db, 'SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    return row ? sessionFromRow(row) : undefined;
  }

  async listSessions(filter: { relationshipIds?: string[]; from?: string; to?: string; status?: Session['status'][] }): Promise<Session[]> {
    if (filter.relationshipIds?.length === 0) return [];
    const w = new Where().in('relationship_id', filter.relationshipIds).cmp('end > ?', filter.from).cmp('start < ?', filter.to).in('status', filter.status);
    return (prepared(this.db, `SELECT * FROM sessions ${w} ORDER BY start`).all(...w.args) as Row[]).map(sessionFromRow);
  }

  async saveSessions(sessions: Session[]): Promise<void> {
    const stmt = prepared(this.db,
      `INSERT INTO sessions (id, relationship_id, series_id, start, end, status, kind, calendar_event_id, occurrence_start, replaces_session_id, cancelled_at)
       VALUES (?,?,?,?,?,?,?,?,?,?,?)
       ON CONFLICT(id) DO UPDATE SET start=excluded.start, end=excluded.end, status=excluded.status, kind=excluded.kind,
         calendar_event_id=excluded.calendar_event_id, occurrence_start=excluded.occurrence_start, replaces_session_id=excluded.replaces_session_id,
         cancelled_at=${KEEP_FIRST_CANCELLATION}`,
    );
    transaction(this.db, () => {
      for (const s of sessions) stmt.run(s.id, s.relationshipId, nul(s.seriesId), s.start, s.end, s.status, s.kind, nul(s.calendarEventId), nul(s.occurrenceStart), nul(s.replacesSessionId), nul(s.cancelledAt));
    });
  }

  // ---- agreements ----
  async listAgreements(relationshipIds: string[]): Promise<Agreement[]> {
    if (relationshipIds.length === 0) return [];
    const rows = prepared(this.db,
        `SELECT a.body FROM agreements a WHERE a.relationship_id IN (SELECT value FROM json_each(?))
         AND a.created_at = (SELECT MAX(b.created_at) FROM agreements b WHERE b.relationship_id = a.relationship_id)`,
      )
      .all(JSON.stringify(relationshipIds)) as Row[];
    return rows.map((r) => JSON.parse(String(r.body)) as Agreement);
  }

  async saveAgreement(a: Agreement): Promise<void> {
    prepared(this.db,
        `INSERT INTO agreements (id, relationship_id, template_id, body, review_on, status, created_at) VALUES (?,?,?,?,?,?,?)
         ON CONFLICT(id) DO UPDATE SET body = excluded.body, review_on = excluded.review_on, status = excluded.status`,
      )
      .run(a.id, a.relationshipId, a.templateId, JSON.stringify(a), a.reviewOn, a.status, a.createdAt);
  }

  // ---- records ----
  async getRecord(id: string): Promise<SupervisionRecord | undefined> {
    const r = prepared(this.db, 'SELECT body FROM records WHERE id = ?').get(id) as Row | undefined;
    return r ? (JSON.parse(String(r.body)) as SupervisionRecord) : undefined;
  }

  async getRecordForSession(sessionId: string): Promise<SupervisionRecord | undefined> {
    const r = prepared(this.db, 'SELECT body FROM records WHERE session_id = ? ORDER BY version DESC LIMIT 1').get(sessionId) as Row | undefined;
    return r ? (JSON.parse(String(r.body)) as SupervisionRecord) : undefined;
  }

  async listRecords(filter: { relationshipIds?: string[]; status?: RecordStatus[] }): Promise<SupervisionRecord[]> {
    if (filter.relationshipIds?.length === 0) return [];
    const w = new Where().in('relationship_id', filter.relationshipIds).in('status', filter.status);
    const rows = prepared(this.db, `SELECT body FROM records ${w} ORDER BY updated_at`).all(...w.args) as Row[];
    return rows.map((r) => JSON.parse(String(r.body)) as SupervisionRecord);
  }

  async saveRecord(record: SupervisionRecord, expectedEtag?: string): Promise<SupervisionRecord> {
    return transaction(this.db, () => {
      const current = prepared(this.db, 'SELECT body, etag FROM records WHERE id = ?').get(record.id) as Row | undefined;
      if (current && String(current.etag) !== expectedEtag) throw new ConcurrencyError(JSON.parse(String(current.body)));
      if (!current && expectedEtag !== undefined) throw new Error(`record ${record.id} does not exist`);
      const saved: SupervisionRecord = { ...record, etag: randomUUID() };
      const body = JSON.stringify(saved);
      if (current) {
        const previous = JSON.parse(String(current.body)) as SupervisionRecord;
        // Starting a new version: the old one is kept, unchanged, as history.
        if (saved.version > previous.version) {
          prepared(this.db, 'INSERT OR IGNORE INTO record_versions (record_id, version, body) VALUES (?,?,?)').run(previous.id, previous.version, String(current.body));
        }
        prepared(this.db, 'UPDATE records SET version = ?, status = ?, etag = ?, body = ?, updated_at = ? WHERE id = ?').run(saved.version, saved.status, saved.etag, body, saved.updatedAt, saved.id);
      } else {
        prepared(this.db, 'INSERT INTO records (id, session_id, relationship_id, version, status, etag, body, updated_at) VALUES (?,?,?,?,?,?,?,?)')
          .run(saved.id, saved.sessionId, saved.relationshipId, saved.version, saved.status, saved.etag, body, saved.updatedAt);
      }
      return saved;
    });
  }

  async listRecordVersions(recordId: string): Promise<SupervisionRecord[]> {
    const old = (prepared(this.db, 'SELECT body FROM record_versions WHERE record_id = ? ORDER BY version').all(recordId) as Row[]).map((r) => JSON.parse(String(r.body)) as SupervisionRecord);
    const current = await this.getRecord(recordId);
    return current ? [...old, current] : old;
  }

  async disposeRecord(recordId: string): Promise<DisposalCounts> {
    // Deleted rows would otherwise stay readable in free pages and in the write-ahead log.
    this.db.exec('PRAGMA secure_delete = ON');
    const counts = transaction(this.db, () => ({
      records: Number(prepared(this.db, 'DELETE FROM records WHERE id = ?').run(recordId).changes),
      versions: Number(prepared(this.db, 'DELETE FROM record_versions WHERE record_id = ?').run(recordId).changes),
      actions: Number(prepared(this.db, 'DELETE FROM actions WHERE record_id = ?').run(recordId).changes),
    }));
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    return counts;
  }

  // ---- actions ----
  async listActions(filter: { relationshipIds?: string[]; ownerId?: string; status?: ActionItem['status'][]; recordId?: string }): Promise<ActionItem[]> {
    if (filter.relationshipIds?.length === 0) return [];
    const w = new Where().in('relationship_id', filter.relationshipIds).eq('owner_id', filter.ownerId).eq('record_id', filter.recordId).in('status', filter.status);
    const rows = prepared(this.db, `SELECT body FROM actions ${w} ORDER BY due_on, id`).all(...w.args) as Row[];
    return rows.map((r) => JSON.parse(String(r.body)) as ActionItem);
  }

  async saveActions(actions: ActionItem[]): Promise<void> {
    const stmt = prepared(this.db,
      `INSERT INTO actions (id, relationship_id, record_id, owner_id, status, due_on, body) VALUES (?,?,?,?,?,?,?)
       ON CONFLICT(id) DO UPDATE SET owner_id = excluded.owner_id, status = excluded.status, due_on = excluded.due_on, body = excluded.body`,
    );
    transaction(this.db, () => {
      for (const a of actions) stmt.run(a.id, a.relationshipId, a.recordId, a.ownerId, a.status, a.dueOn, JSON.stringify(a));
    });
  }

  // ---- posted cards ----
  async saveCardMessage(m: CardMessage): Promise<void> {
    prepared(this.db,
        `INSERT INTO card_messages (key, aad_object_id, conversation_id, activity_id, posted_at) VALUES (?,?,?,?,?)
         ON CONFLICT(key, aad_object_id) DO UPDATE SET conversation_id = excluded.conversation_id, activity_id = excluded.activity_id, posted_at = excluded.posted_at`,
      )
      .run(m.key, m.aadObjectId, m.conversationId, m.activityId, m.postedAt);
  }

  async listCardMessages(keyPrefix: string): Promise<CardMessage[]> {
    const rows = prepared(this.db, 'SELECT * FROM card_messages WHERE key >= ? AND key < ? ORDER BY posted_at').all(keyPrefix, `${keyPrefix}\uffff`) as Row[];
    return rows.map((r) => ({ key: String(r.key), aadObjectId: String(r.aad_object_id), conversationId: String(r.conversation_id), activityId: String(r.activity_id), postedAt: String(r.posted_at) }));
  }

  // ---- the work ledger ----
  async claim(kind: string, key: string, at: string, detail?: Record<string, unknown>): Promise<boolean> {
    const r = prepared(this.db, 'INSERT OR IGNORE INTO ledger (kind, key, at, detail) VALUES (?,?,?,?)').run(kind, key, at, detail ? JSON.stringify(detail) : null);
    return Number(r.changes) === 1;
  }

  async listClaims(kind: string, keyPrefix = ''): Promise<{ key: string; at: string; detail?: Record<string, unknown> }[]> {
    const rows = prepared(this.db, 'SELECT * FROM ledger WHERE kind = ? AND key >= ? AND key < ? ORDER BY at').all(kind, keyPrefix, `${keyPrefix}\uffff`) as Row[];
    return rows.map((r) => ({ key: String(r.key), at: String(r.at), detail: r.detail ? JSON.parse(String(r.detail)) : undefined }));
  }

  // ---- Teams conversation references ----
  async saveConversationRef(ref: ConversationRef): Promise<void> {
    prepared(this.db,
        `INSERT INTO conversation_refs (aad_object_id, conversation_id, service_url, tenant_id, bot_id, teams_user_id, updated_at) VALUES (?,?,?,?,?,?,?)
         ON CONFLICT(aad_object_id) DO UPDATE SET conversation_id=excluded.conversation_id, service_url=excluded.service_url,
           tenant_id=excluded.tenant_id, bot_id=excluded.bot_id, teams_user_id=excluded.teams_user_id, updated_at=excluded.updated_at`,
      )
      .run(ref.aadObjectId, ref.conversationId, ref.serviceUrl, nul(ref.tenantId), nul(ref.botId), nul(ref.teamsUserId), ref.updatedAt);
  }

  async getConversationRef(aadObjectId: string): Promise<ConversationRef | undefined> {
    const r = prepared(this.db, 'SELECT * FROM conversation_refs WHERE aad_object_id = ?').get(aadObjectId) as Row | undefined;
    if (!r) return undefined;
    return {
      aadObjectId: String(r.aad_object_id),
      conversationId: String(r.conversation_id),
      serviceUrl: String(r.service_url),
      tenantId: r.tenant_id ? String(r.tenant_id) : undefined,
      botId: r.bot_id ? String(r.bot_id) : undefined,
      ...(r.teams_user_id ? { teamsUserId: String(r.teams_user_id) } : {}),
      updatedAt: String(r.updated_at),
    };
  }

  // ---- audit ----
  async appendAudit(e: AuditEntry): Promise<void> {
    prepared(this.db, 'INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, detail) VALUES (?,?,?,?,?,?)')
      .run(e.at, e.actorId, e.action, e.subjectType, e.subjectId, e.detail ? JSON.stringify(e.detail) : null);
  }

  async listAudit(filter: { subjectId?: string; actorId?: string; limit?: number }): Promise<AuditEntry[]> {
    const w = new Where().eq('subject_id', filter.subjectId).eq('actor_id', filter.actorId);
    const rows = prepared(this.db, `SELECT * FROM audit_log ${w} ORDER BY seq DESC LIMIT ?`).all(...w.args, filter.limit ?? 100) as Row[];
    return rows.map((r) => ({
      at: String(r.at),
      actorId: String(r.actor_id),
      action: String(r.action),
      subjectType: String(r.subject_type),
      subjectId: String(r.subject_id),
      detail: r.detail ? JSON.parse(String(r.detail)) : undefined,
    }));
  }

  // ---- meta ----
  getMeta(key: string): string | undefined {
    const r = prepared(this.db, 'SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined;
    return r ? String(r.value) : undefined;
  }

  setMeta(key: string, value: string): void {
    prepared(this.db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
