/**
 * Where session agendas and private notes are kept (SQLite locally, SharePoint
 * lists in a tenant). Only the app reads it; the agenda use case decides who
 * may see what (the two parties; a private note its author alone).
 *
 * Agenda text never changes once written (an edit is a removal and a new
 * item), so no earlier wording lingers in a list item's version history; a
 * note is replaced whole, its earlier text removed with the item that held it.
 */
import type { AgendaItem, PrivateNote } from '../domain/agenda';

export interface AgendaStore {
  /** Every agenda item of an arrangement (every session's). */
  listAgendaItems(relationshipId: string): Promise<AgendaItem[]>;
  /** Adds an item; the same id again changes nothing (false). */
  addAgendaItem(item: AgendaItem): Promise<boolean>;
  /** Marks an item discussed (in a session, when, by whom) or not (null); false when there is no such item. */
  markAgendaItem(relationshipId: string, itemId: string, discussed: { sessionId: string; at: string; by: string } | null): Promise<boolean>;
  /** Removes an item and every stored copy of it; false when there was none. */
  removeAgendaItem(relationshipId: string, itemId: string): Promise<boolean>;

  /** The author's note on a session. */
  getPrivateNote(sessionId: string, authorId: string): Promise<PrivateNote | undefined>;
  /** Every note by the author (their own data export). */
  listPrivateNotes(authorId: string): Promise<PrivateNote[]>;
  /** Replaces the author's note on the session (empty text removes it). */
  savePrivateNote(note: PrivateNote): Promise<void>;
}
