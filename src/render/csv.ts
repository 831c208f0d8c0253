/**
 * A report document as one CSV: a `Section` column names the part each row
 * belongs to (Summary, then each table under its own header row), so a
 * spreadsheet can filter by section. Same words and numbers as the PDF.
 */
import { stringify } from 'csv-stringify/sync';
import type { Cell, ReportDoc } from '../domain/inspection/document';

/** Cells a spreadsheet would run as a formula are written as text. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function docRows(doc: ReportDoc): Cell[][] {
  const rows: Cell[][] = [
    ['Section', 'Report', doc.title],
    ['Section', 'Period', doc.subtitle],
    ['Section', 'Label', 'Value'],
    ...doc.summary.map((s) => ['Summary', s.label, s.value]),
  ];
  for (const t of doc.tables) {
    rows.push(['Section', ...t.columns]);
    for (const r of t.rows) rows.push([t.title, ...r]);
  }
  for (const n of doc.notes) rows.push(['Note', n]);
  return rows;
}

export function renderCsv(doc: ReportDoc): string {
  return stringify(docRows(doc), { bom: true, cast: { string: safeCell }, record_delimiter: 'windows' });
}
