/**
 * The record store: the app's own data (SharePoint lists in a tenant, SQLite
 * locally). Only the app reads it; callers decide who may see what.
 */
import type { AuditEntry, ConversationRef, Relationship, Series, Session } from '../domain/model';

export interface RecordStore {
  listRelationships(filter?: { personId?: string; activeOnly?: boolean }): Promise<Relationship[]>;
  getRelationship(id: string): Promise<Relationship | undefined>;
  saveRelationship(relationship: Relationship): Promise<void>;

  getSeriesByRequestKey(requestKey: string): Promise<Series | undefined>;
  saveSeries(series: Series): Promise<void>;
  listSeries(relationshipId: string): Promise<Series[]>;

  listSessions(filter: { relationshipIds?: string[]; from?: string; to?: string; status?: Session['status'][] }): Promise<Session[]>;
  saveSessions(sessions: Session[]): Promise<void>;

  saveConversationRef(ref: ConversationRef): Promise<void>;
  getConversationRef(aadObjectId: string): Promise<ConversationRef | undefined>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(filter: { subjectId?: string; actorId?: string; limit?: number }): Promise<AuditEntry[]>;
}
