/**
 * PDF text for tests, through Poppler's pdftotext (Debian poppler-utils; CI
 * installs it). Missing pdftotext fails the test: nothing is skipped.
 */
import { execFileSync } from 'node:child_process';

export function pdfText(pdf: Buffer, mode: 'layout' | 'raw' = 'layout'): string {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error(`not a PDF: starts ${JSON.stringify(pdf.subarray(0, 16).toString('latin1'))}`);
  try {
    return execFileSync('pdftotext', [`-${mode}`, '-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('pdftotext is not installed: apt-get install poppler-utils (CI installs it in .ci/run)');
    throw err;
  }
}

/** Text with every run of whitespace removed: for matching values a PDF may have wrapped across lines. */
export const squash = (s: string): string => s.replace(/\s+/g, '');

/** The number on the line whose label is `label` in pdftotext -layout output of a two-column table (label, value). */
export function valueAfter(text: string, label: string): number | undefined {
  const escape = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^\\s*${escape}\\s{2,}(\\d+)\\s*$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}
