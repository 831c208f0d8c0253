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

/*
 * The store by concept. A use case names the parts it needs; an adapter implements them all
 * (`Store`). Each part is its own interface so a test double or a new engine can be built, and
 * read, one concept at a time.
 */

/** Who supervises whom, under which policy. */
export interface RelationshipStore {
  listRelationships(filter?: { personId?: string; activeOnly?: boolean }): Promise<Relationship[]>;
  getRelationship(id: string): Promise<Relationship | undefined>;
  saveRelationship(relationship: Relationship): Promise<void>;
}

/** Booked recurring series (one calendar series each). */
export interface SeriesStore {
  getSeriesByRequestKey(requestKey: string): Promise<Series | undefined>;
  saveSeries(series: Series): Promise<void>;
  listSeries(relationshipId: string): Promise<Series[]>;
}

/** Sessions: the occurrences of series, urgent and rebooked sessions. */
export interface SessionStore {
  /** One session by id, whatever its relationship (undefined when there is none). */
  getSession(id: string): Promise<Session | undefined>;
  listSessions(filter: { relationshipIds?: string[]; from?: string; to?: string; status?: Session['status'][] }): Promise<Session[]>;
  saveSessions(sessions: Session[]): Promise<void>;
}

/** Supervision agreements (the latest of each relationship). */
export interface AgreementStore {
  /** The latest agreement of each relationship. */
  listAgreements(relationshipIds: string[]): Promise<Agreement[]>;
  saveAgreement(agreement: Agreement): Promise<void>;
}

/** Supervision records, their kept versions, and their disposal. */
export interface SupervisionRecordStore {
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
  /**
   * Disposal at the end of retention (after review; never on its own): removes the record,
   * every kept version of it and the actions agreed in it, leaving no copy in the store
   * (SQLite overwrites the freed pages and checkpoints its log; SharePoint deletes the list
   * items, which takes their version history with them). Counts what was removed.
   */
  disposeRecord(recordId: string): Promise<DisposalCounts>;
}

/** Actions agreed in records. */
export interface ActionStore {
  listActions(filter: { relationshipIds?: string[]; ownerId?: string; status?: ActionItem['status'][]; recordId?: string }): Promise<ActionItem[]>;
  saveActions(actions: ActionItem[]): Promise<void>;
}

/** Cards the bot posted, to update or replace later. */
export interface CardMessageStore {
  saveCardMessage(message: CardMessage): Promise<void>;
  listCardMessages(keyPrefix: string): Promise<CardMessage[]>;
}

/** The ledger behind "exactly once" jobs (record cards, reminders). */
export interface ClaimLedger {
  /** Claims a unit of work once: returns true for the first caller only (per kind and key). */
  claim(kind: string, key: string, at: string, detail?: Record<string, unknown>): Promise<boolean>;
  listClaims(kind: string, keyPrefix?: string): Promise<{ key: string; at: string; detail?: Record<string, unknown> }[]>;
}

/** Each person's conversation with the bot (for proactive messages). */
export interface ConversationStore {
  saveConversationRef(ref: ConversationRef): Promise<void>;
  getConversationRef(aadObjectId: string): Promise<ConversationRef | undefined>;
}

/** Who did what to which subject (append-only). */
export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(filter: { subjectId?: string; actorId?: string; limit?: number }): Promise<AuditEntry[]>;
}

/** The whole store: every concept, as each engine (SQLite, SharePoint lists) implements it. */
export interface Store
  extends RelationshipStore,
    SeriesStore,
    SessionStore,
    AgreementStore,
    SupervisionRecordStore,
    ActionStore,
    CardMessageStore,
    ClaimLedger,
    ConversationStore,
    AuditLog {}

/** The whole store under its older name (callers not yet narrowed to the parts they use). */
export type RecordStore = Store;
