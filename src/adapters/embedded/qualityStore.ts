/** The embedded QualityStore over SQLite (local mode): the qa_grades table (migration 5). */
import type { QaGrade } from '../../domain/compliance';
import type { QaGradeFilter, QualityStore } from '../../ports/quality';
import { type Db, prepared } from './db';

type Row = Record<string, unknown>;

function gradeFromRow(r: Row): QaGrade {
  return {
    id: String(r.id),
    recordId: String(r.record_id),
    relationshipId: String(r.relationship_id),
    auditorId: String(r.auditor_id),
    category: String(r.category) as QaGrade['category'],
    comment: String(r.comment),
    at: String(r.at),
  };
}

export class EmbeddedQualityStore implements QualityStore {
  constructor(private readonly db: Db) {}

  async saveGrade(g: QaGrade): Promise<void> {
    prepared(this.db,
        `INSERT INTO qa_grades (id, record_id, relationship_id, auditor_id, category, comment, at) VALUES (?,?,?,?,?,?,?)
         ON CONFLICT(id) DO NOTHING`,
      )
      .run(g.id, g.recordId, g.relationshipId, g.auditorId, g.category, g.comment, g.at);
  }

  async deleteGradesForRecord(recordId: string): Promise<number> {
    this.db.exec('PRAGMA secure_delete = ON');
    const n = Number(prepared(this.db, 'DELETE FROM qa_grades WHERE record_id = ?').run(recordId).changes);
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    return n;
  }

  async listGrades(filter: QaGradeFilter = {}): Promise<QaGrade[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.relationshipIds) {
      if (filter.relationshipIds.length === 0) return [];
      where.push(`relationship_id IN (${filter.relationshipIds.map(() => '?').join(',')})`);
      args.push(...filter.relationshipIds);
    }
    if (filter.recordId) (where.push('record_id = ?'), args.push(filter.recordId));
    if (filter.auditorId) (where.push('auditor_id = ?'), args.push(filter.auditorId));
    if (filter.category) (where.push('category = ?'), args.push(filter.category));
    if (filter.from) (where.push('at >= ?'), args.push(filter.from));
    if (filter.to) (where.push('at < ?'), args.push(filter.to));
    const sql = `SELECT * FROM qa_grades ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY at, id`;
    return (prepared(this.db, sql).all(...args) as Row[]).map(gradeFromRow);
  }
}
