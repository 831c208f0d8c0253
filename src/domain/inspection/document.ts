/**
 * A report as a document (pure data): a title, headline figures, tables,
 * charts and notes. Every export (evidence pack, organisation reports, subject
 * access) is built as one of these, so the PDF, the CSV and the JSON carry the
 * same words and numbers; the renderers (src/render) only lay them out.
 */
export type Cell = string | number;

export interface DocTable {
  /** Also the CSV's `Section` column. */
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Said instead of an empty table. */
  empty?: string;
}

export interface DocChart {
  title: string;
  categories: string[];
  series: { label: string; values: number[] }[];
  /** Values are percentages (0–100). */
  percent?: boolean;
}

export interface ReportDoc {
  kind: string;
  title: string;
  subtitle: string;
  /** Headline figures, label and value. */
  summary: { label: string; value: Cell }[];
  charts: DocChart[];
  tables: DocTable[];
  notes: string[];
  /** Shown in the footer of every page (for example "Official – sensitive"). */
  marking: string;
}

export const MARKING = 'OFFICIAL-SENSITIVE: personal data. Do not forward beyond the people entitled to see it.';

export const percentOf = (n: number, of: number): string => (of ? `${Math.round((100 * n) / of)}%` : 'n/a');
