/**
 * The record store: the app's own data (SharePoint lists in a tenant, SQLite
 * locally). Only the app reads it; callers decide who may see what.
 */
import type { ActionItem, Agreement, AuditEntry, ConversationRef, RecordStatus, Relationship, Series, Session, SupervisionRecord } from '../domain/model';

/** Thrown by saveRecord when the record changed since the caller read it. */
export class ConcurrencyError extends Error {
  constructor(readonly current: SupervisionRecord) {
    super(`record ${current.id} changed (now version ${current.version}, etag ${current.etag})`);
    this.name = 'ConcurrencyError';
  }
}

/** A card the bot posted, so it can be updated or replaced later. */
export interface CardMessage {
  /** What the card is about, e.g. "record:<recordId>:<personId>". */
  key: string;
  aadObjectId: string;
  conversationId: string;
  activityId: string;
  postedAt: string;
}

export interface DisposalCounts {
  records: number;
  versions: number;
  actions: number;
}

export interface RecordStore {
  listRelationships(filter?: { personId?: string; activeOnly?: boolean }): Promise<Relationship[]>;
  getRelationship(id: string): Promise<Relationship | undefined>;
  saveRelationship(relationship: Relationship): Promise<void>;

  getSeriesByRequestKey(requestKey: string): Promise<Series | undefined>;
  saveSeries(series: Series): Promise<void>;
  listSeries(relationshipId: string): Promise<Series[]>;

  listSessions(filter: { relationshipIds?: string[]; from?: string; to?: string; status?: Session['status'][] }): Promise<Session[]>;
  saveSessions(sessions: Session[]): Promise<void>;

  /** The latest agreement of each relationship. */
  listAgreements(relationshipIds: string[]): Promise<Agreement[]>;
  saveAgreement(agreement: Agreement): Promise<void>;

  /** The current version of a record (by record id). */
  getRecord(id: string): Promise<SupervisionRecord | undefined>;
  getRecordForSession(sessionId: string): Promise<SupervisionRecord | undefined>;
  listRecords(filter: { relationshipIds?: string[]; status?: RecordStatus[] }): Promise<SupervisionRecord[]>;
  /**
   * Writes a record. With `expectedEtag`, only if the stored record still has that etag
   * (otherwise ConcurrencyError); without it, only if the record is new. Returns the
   * record with its new etag. A signed version is kept as history when a new version starts.
   */
  saveRecord(record: SupervisionRecord, expectedEtag?: string): Promise<SupervisionRecord>;
  listRecordVersions(recordId: string): Promise<SupervisionRecord[]>;

  listActions(filter: { relationshipIds?: string[]; ownerId?: string; status?: ActionItem['status'][]; recordId?: string }): Promise<ActionItem[]>;
  saveActions(actions: ActionItem[]): Promise<void>;

  saveCardMessage(message: CardMessage): Promise<void>;
  listCardMessages(keyPrefix: string): Promise<CardMessage[]>;

  /**
   * Claims a unit of work once: returns true for the first caller only (per kind and key).
   * The ledger behind "exactly once" jobs (record cards, reminders).
   */
  claim(kind: string, key: string, at: string, detail?: Record<string, unknown>): Promise<boolean>;
  listClaims(kind: string, keyPrefix?: string): Promise<{ key: string; at: string; detail?: Record<string, unknown> }[]>;

  saveConversationRef(ref: ConversationRef): Promise<void>;
  getConversationRef(aadObjectId: string): Promise<ConversationRef | undefined>;

  /**
   * Disposal at the end of retention (after review; never on its own): removes the record,
   * every kept version of it and the actions agreed in it, leaving no copy in the store
   * (SQLite overwrites the freed pages and checkpoints its log; SharePoint deletes the list
   * items, which takes their version history with them). Counts what was removed.
   */
  disposeRecord(recordId: string): Promise<DisposalCounts>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(filter: { subjectId?: string; actorId?: string; limit?: number }): Promise<AuditEntry[]>;
}
