/**
 * Quality-assurance grades: an auditor's Challenge / Support / Maintain /
 * Promote grade of a supervision record, with a comment (POLICIES.md,
 * "Agreements and assurance"). Append-only: a second grade of the same record
 * by the same auditor is a new grade, and the latest one counts.
 * Only the app reads it; the use cases decide who may see what.
 */
import type { QaCategory, QaGrade } from '../domain/compliance';

export { QA_CATEGORIES, QA_COMMENT_MAX } from '../domain/compliance';
export type { QaCategory, QaGrade } from '../domain/compliance';

export interface QaGradeFilter {
  relationshipIds?: string[];
  recordId?: string;
  auditorId?: string;
  category?: QaCategory;
  /** Graded at or after this instant (ISO). */
  from?: string;
  /** Graded before this instant (ISO). */
  to?: string;
}

export interface QualityStore {
  /** Stores a grade; saving the same grade id again changes nothing. */
  saveGrade(grade: QaGrade): Promise<void>;
  /** Grades matching every given filter, oldest first. */
  listGrades(filter?: QaGradeFilter): Promise<QaGrade[]>;
  /** Disposal of a record: its grades (and their comments) go with it. Returns how many were removed. */
  deleteGradesForRecord(recordId: string): Promise<number>;
}
