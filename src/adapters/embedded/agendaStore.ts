/** The embedded AgendaStore over SQLite (local mode): agenda_items and private_notes (migration 11). */
import type { AgendaItem, PrivateNote } from '../../domain/agenda';
import type { AgendaStore } from '../../ports/agendaStore';
import { type Db, prepared } from './db';

type Row = Record<string, unknown>;

/** What is written once: everything but the tick, which has its own columns. */
type Written = Omit<AgendaItem, 'discussedInSessionId' | 'discussedAt' | 'discussedBy'>;

function itemFromRow(r: Row): AgendaItem {
  const w = JSON.parse(String(r.body)) as Written;
  return {
    id: w.id, relationshipId: w.relationshipId, sessionId: w.sessionId, kind: w.kind, ...(w.standingId ? { standingId: w.standingId } : {}), text: w.text, addedBy: w.addedBy, addedAt: w.addedAt,
    ...(r.discussed_in ? { discussedInSessionId: String(r.discussed_in), discussedAt: String(r.discussed_at), discussedBy: String(r.discussed_by) } : {}),
  };
}

export function writtenPart(i: AgendaItem): Written {
  return { id: i.id, relationshipId: i.relationshipId, sessionId: i.sessionId, kind: i.kind, ...(i.standingId ? { standingId: i.standingId } : {}), text: i.text, addedBy: i.addedBy, addedAt: i.addedAt };
}

export class EmbeddedAgendaStore implements AgendaStore {
  constructor(private readonly db: Db) {}

  async listAgendaItems(relationshipId: string): Promise<AgendaItem[]> {
    return (prepared(this.db, 'SELECT * FROM agenda_items WHERE relationship_id = ? ORDER BY rowid').all(relationshipId) as Row[]).map(itemFromRow);
  }

  async addAgendaItem(item: AgendaItem): Promise<boolean> {
    const r = prepared(this.db, 'INSERT INTO agenda_items (id, relationship_id, session_id, body, discussed_in, discussed_at, discussed_by) VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING')
      .run(item.id, item.relationshipId, item.sessionId, JSON.stringify(writtenPart(item)), item.discussedInSessionId ?? null, item.discussedAt ?? null, item.discussedBy ?? null);
    return Number(r.changes) === 1;
  }

  async markAgendaItem(relationshipId: string, itemId: string, discussed: { sessionId: string; at: string; by: string } | null): Promise<boolean> {
    const r = prepared(this.db, 'UPDATE agenda_items SET discussed_in = ?, discussed_at = ?, discussed_by = ? WHERE id = ? AND relationship_id = ?')
      .run(discussed?.sessionId ?? null, discussed?.at ?? null, discussed?.by ?? null, itemId, relationshipId);
    return Number(r.changes) === 1;
  }

  async removeAgendaItem(relationshipId: string, itemId: string): Promise<boolean> {
    // Overwrite the freed pages: removed text must not survive in the file.
    this.db.exec('PRAGMA secure_delete = ON');
    return Number(prepared(this.db, 'DELETE FROM agenda_items WHERE id = ? AND relationship_id = ?').run(itemId, relationshipId).changes) === 1;
  }

  async getPrivateNote(sessionId: string, authorId: string): Promise<PrivateNote | undefined> {
    const r = prepared(this.db, 'SELECT * FROM private_notes WHERE session_id = ? AND author_id = ?').get(sessionId, authorId) as Row | undefined;
    return r ? noteFromRow(r) : undefined;
  }

  async listPrivateNotes(authorId: string): Promise<PrivateNote[]> {
    return (prepared(this.db, 'SELECT * FROM private_notes WHERE author_id = ? ORDER BY updated_at, session_id').all(authorId) as Row[]).map(noteFromRow);
  }

  async savePrivateNote(note: PrivateNote): Promise<void> {
    this.db.exec('PRAGMA secure_delete = ON');
    if (!note.text) {
      prepared(this.db, 'DELETE FROM private_notes WHERE session_id = ? AND author_id = ?').run(note.sessionId, note.authorId);
      return;
    }
    prepared(this.db,
        `INSERT INTO private_notes (session_id, author_id, relationship_id, text, updated_at) VALUES (?,?,?,?,?)
         ON CONFLICT(session_id, author_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, relationship_id = excluded.relationship_id`,
      )
      .run(note.sessionId, note.authorId, note.relationshipId, note.text, note.updatedAt);
  }
}

function noteFromRow(r: Row): PrivateNote {
  return { sessionId: String(r.session_id), relationshipId: String(r.relationship_id), authorId: String(r.author_id), text: String(r.text), updatedAt: String(r.updated_at) };
}
