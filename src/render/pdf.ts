/**
 * Lays a report document (domain/inspection/document) out as a PDF with
 * pdfkit: title, headline figures, bar charts drawn as vectors, tables that
 * break across pages with their header repeated, notes, and a marking and
 * page number in every footer. The words and numbers are the document's; this
 * module decides only where they go.
 */
import PDFDocument from 'pdfkit';
import type { DocChart, DocTable, ReportDoc } from '../domain/inspection/document';

const MARGIN = 48;
const COLOURS = ['#2f6f4e', '#c27c0e', '#b3261e', '#5b5fc7', '#6b6b6b', '#0f6cbd'];

/**
 * The standard PDF fonts cover WinAnsi only; anything else (arrows, emoji,
 * non-Latin scripts) is written as "?" rather than garbled, so the text stays
 * searchable and pdftotext reads what a person sees.
 */
export function pdfSafe(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2192/g, '->')
    .replace(/[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2022\u2026\u20ac]/g, '?');
}

export interface PdfOptions {
  /** Fixed metadata dates make the same document render to the same bytes. */
  createdAt: Date;
  author?: string;
}

export function renderPdf(doc: ReportDoc, options: PdfOptions): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 16, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: pdfSafe(doc.title), Author: pdfSafe(options.author ?? 'Protected Time'), Subject: pdfSafe(doc.subtitle), CreationDate: options.createdAt, ModDate: options.createdAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 2 * MARGIN;

  pdf.font('Helvetica-Bold').fontSize(18).text(pdfSafe(doc.title), { width });
  pdf.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#444444').text(pdfSafe(doc.subtitle), { width }).fillColor('black');
  pdf.moveDown(0.8);

  if (doc.summary.length) {
    heading(pdf, 'Summary');
    summaryGrid(pdf, doc.summary, width);
  }
  for (const chart of doc.charts) barChart(pdf, chart, width);
  for (const table of doc.tables) drawTable(pdf, table, width);
  if (doc.notes.length) {
    heading(pdf, 'Notes');
    pdf.font('Helvetica').fontSize(9);
    for (const n of doc.notes) pdf.text(pdfSafe(`- ${n}`), { width }).moveDown(0.2);
  }

  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.height - MARGIN;
    // Writing inside the bottom margin would add a page; lift the margin while writing the footer.
    const saved = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font('Helvetica').fontSize(7).fillColor('#555555');
    pdf.text(pdfSafe(doc.marking), MARGIN, bottom, { width: width - 60, lineBreak: false });
    pdf.text(`Page ${i + 1} of ${range.count}`, MARGIN + width - 60, bottom, { width: 60, align: 'right', lineBreak: false });
    pdf.fillColor('black');
    pdf.page.margins.bottom = saved;
  }
  pdf.end();
  return done;
}

type Pdf = PDFKit.PDFDocument;

function ensureRoom(pdf: Pdf, height: number): void {
  if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
}

function heading(pdf: Pdf, text: string): void {
  ensureRoom(pdf, 40);
  pdf.moveDown(0.6).font('Helvetica-Bold').fontSize(13).text(pdfSafe(text), MARGIN, pdf.y).moveDown(0.3);
}

function summaryGrid(pdf: Pdf, items: ReportDoc['summary'], width: number): void {
  const colW = width / 2;
  pdf.fontSize(10);
  for (let i = 0; i < items.length; i += 2) {
    ensureRoom(pdf, 18);
    const y = pdf.y;
    let h = 0;
    for (let j = 0; j < 2 && i + j < items.length; j++) {
      const item = items[i + j]!;
      const x = MARGIN + j * colW;
      const text = pdfSafe(`${item.label}: ${item.value}`);
      pdf.font('Helvetica').text(text, x, y, { width: colW - 8 });
      h = Math.max(h, pdf.heightOfString(text, { width: colW - 8 }));
    }
    pdf.y = y + h + 4;
  }
  pdf.x = MARGIN;
}

/** A grouped bar chart: one group per category, one bar per series, with a value above each bar and a legend. */
function barChart(pdf: Pdf, chart: DocChart, width: number): void {
  if (!chart.categories.length) return;
  const plotH = 140;
  heading(pdf, chart.title);
  ensureRoom(pdf, plotH + 60);
  const top = pdf.y + 10;
  const left = MARGIN + 28;
  const plotW = width - 28;
  const max = chart.percent ? 100 : Math.max(1, ...chart.series.flatMap((s) => s.values));
  const step = Math.max(1, Math.ceil(max / 4));
  const axisMax = chart.percent ? 100 : step * 4;
  pdf.font('Helvetica').fontSize(7).fillColor('#555555');
  for (let v = 0; v <= axisMax; v += chart.percent ? 25 : step) {
    const y = top + plotH - (v / axisMax) * plotH;
    pdf.moveTo(left, y).lineTo(left + plotW, y).lineWidth(0.3).strokeColor('#cccccc').stroke();
    pdf.text(`${v}${chart.percent ? '%' : ''}`, MARGIN, y - 3, { width: 24, align: 'right', lineBreak: false });
  }
  const groupW = plotW / chart.categories.length;
  const barW = Math.min(28, (groupW * 0.8) / chart.series.length);
  chart.categories.forEach((cat, ci) => {
    const gx = left + ci * groupW + (groupW - barW * chart.series.length) / 2;
    chart.series.forEach((s, si) => {
      const v = s.values[ci] ?? 0;
      const h = (v / axisMax) * plotH;
      const x = gx + si * barW;
      pdf.rect(x + 1, top + plotH - h, barW - 2, h).fill(COLOURS[si % COLOURS.length]!);
      pdf.fillColor('black').fontSize(7).text(String(v), x, top + plotH - h - 9, { width: barW, align: 'center', lineBreak: false });
    });
    pdf.fillColor('#333333').fontSize(7).text(pdfSafe(cat), left + ci * groupW, top + plotH + 4, { width: groupW, align: 'center', height: 18, ellipsis: true });
  });
  let lx = left;
  const ly = top + plotH + 26;
  pdf.fontSize(8);
  chart.series.forEach((s, si) => {
    pdf.rect(lx, ly, 8, 8).fill(COLOURS[si % COLOURS.length]!);
    pdf.fillColor('black').text(pdfSafe(s.label), lx + 11, ly, { lineBreak: false });
    lx += 16 + pdf.widthOfString(pdfSafe(s.label)) + 10;
  });
  pdf.fillColor('black').strokeColor('black');
  pdf.x = MARGIN;
  pdf.y = ly + 18;
}

/**
 * Column widths and type size: each column gets at least its longest header word (headers wrap
 * between words, never inside one) at the largest size (8, 7 or 6 pt) where that fits; the room
 * left is shared in proportion to how much more each column's cells want.
 */
function layoutColumns(pdf: Pdf, table: DocTable, width: number): { widths: number[]; size: number } {
  let size = 8;
  let mins: number[] = [];
  for (size of [8, 7, 6]) {
    pdf.font('Helvetica-Bold').fontSize(size);
    const headerWords = table.columns.map((c) => Math.max(20, ...c.split(/\s+/).map((w) => pdf.widthOfString(pdfSafe(w)) + 7)));
    pdf.font('Helvetica');
    // Cell words too (up to a point: a long free-text word may still break).
    mins = headerWords.map((h, i) => Math.max(h, Math.min(90, Math.max(0, ...table.rows.flatMap((r) => String(r[i] ?? '').split(/\s+/).map((w) => pdf.widthOfString(pdfSafe(w)) + 8))))));
    if (mins.reduce((a, b) => a + b, 0) <= width) break;
  }
  pdf.font('Helvetica').fontSize(size);
  const natural = table.columns.map((_, i) => Math.min(220, Math.max(mins[i]!, ...table.rows.map((r) => pdf.widthOfString(pdfSafe(String(r[i] ?? ''))) + 8))));
  const minTotal = mins.reduce((a, b) => a + b, 0);
  if (minTotal >= width) return { widths: mins.map((m) => (m / minTotal) * width), size };
  const want = natural.map((n, i) => n - mins[i]!);
  const wantTotal = want.reduce((a, b) => a + b, 0);
  const room = width - minTotal;
  if (wantTotal <= room) {
    const spare = (room - wantTotal) / natural.length;
    return { widths: natural.map((n) => n + spare), size };
  }
  return { widths: mins.map((m, i) => m + (want[i]! / wantTotal) * room), size };
}

function drawTable(pdf: Pdf, table: DocTable, width: number): void {
  heading(pdf, table.title);
  if (!table.rows.length) {
    pdf.font('Helvetica-Oblique').fontSize(9).text(pdfSafe(table.empty ?? 'None.'), MARGIN, pdf.y, { width });
    return;
  }
  const { widths, size } = layoutColumns(pdf, table, width);
  const row = (cells: string[], bold: boolean) => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    const texts = cells.map((c) => pdfSafe(c));
    const h = Math.max(...texts.map((t, i) => pdf.heightOfString(t || ' ', { width: widths[i]! - 6 }))) + 6;
    return { texts, h };
  };
  const draw = (r: { texts: string[]; h: number }, bold: boolean, shade: boolean) => {
    const y = pdf.y;
    if (shade) pdf.rect(MARGIN, y, width, r.h).fill(bold ? '#e8e8e8' : '#f6f6f6').fillColor('black');
    let x = MARGIN;
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    r.texts.forEach((t, i) => {
      pdf.text(t, x + 3, y + 3, { width: widths[i]! - 6 });
      x += widths[i]!;
    });
    pdf.y = y + r.h;
    pdf.x = MARGIN;
  };
  const header = row(table.columns, true);
  ensureRoom(pdf, header.h * 2);
  draw(header, true, true);
  table.rows.forEach((cells, i) => {
    const r = row(cells.map((c) => String(c)), false);
    if (pdf.y + r.h > pdf.page.height - pdf.page.margins.bottom) {
      pdf.addPage();
      draw(header, true, true);
    }
    draw(r, false, i % 2 === 1);
  });
  pdf.moveDown(0.5);
}
