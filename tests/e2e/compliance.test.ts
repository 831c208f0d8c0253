/**
 * Issue #7 end to end (local mode, no Playground): the seed organisation plus
 * a little more history (a cancelled-and-rebooked session with a signed
 * record, a held session with no record, a missed one) written straight into
 * the app's SQLite file. As Priya Shah (safeguarding lead and auditor) in
 * headless Chromium: the Compliance tab shows the figures; the CSV it
 * downloads holds exactly the figures on the page (and the API's); filtering
 * by team narrows both; Priya reads and grades a sampled record and the grade
 * rolls up on the page and in the CSV, with the read and the grade audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Download, Page } from 'playwright-core';
import { openDatabase, type Db } from '../../src/adapters/embedded/db';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { EXPORT_ID_COLUMNS, FIGURES } from '../../src/domain/compliance';
import { SEED_AGREEMENTS } from '../../src/seed/organisation';
import { launchBrowser } from '../support/browser';
import { aSession } from '../support/builders';
import { parseCsv } from '../support/csv';
import { pdfText, valueAfter } from '../support/pdf';
import { runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(180_000);

const CSC = "Children's Social Care";
const HEALTH = 'Health Safeguarding';

let app: AppProcess;
let browser: Browser;
let db: Db;
let store: EmbeddedStore;

/** A weekday `n` days ago (stepping back over a weekend) at a London wall-clock time, as a UTC instant. */
function daysAgo(n: number, time = '10:00'): string {
  const [hour, minute] = time.split(':').map(Number);
  let d = DateTime.now().setZone('Europe/London').minus({ days: n }).set({ hour, minute, second: 0, millisecond: 0 });
  while (d.weekday > 5) d = d.minus({ days: 1 });
  return d.toUTC().toISO()!;
}

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ playground: false, env: { PT_JOB_INTERVAL_SECONDS: '600' } }), launchBrowser()]);
  // The app's own database file (WAL): what is written here is read by the app on its next request.
  db = openDatabase(path.join(app.dataDir, 'protected-time.sqlite'));
  store = new EmbeddedStore(db);
  const cancelled = aSession({ id: 'e2e-joe-cancelled', relationshipId: 'rel-daniel-joe', start: daysAgo(40), status: 'cancelled' });
  const rebooked = aSession({ id: 'e2e-joe-rebooked', relationshipId: 'rel-daniel-joe', start: daysAgo(33), status: 'held', kind: 'rebooked', replacesSessionId: cancelled.id });
  const signedAt = new Date(Date.parse(rebooked.end) + 3_600_000).toISOString();
  // The record first: the app's record job never starts a second one for the session.
  await store.saveRecord({
    id: 'rec-e2e-joe', sessionId: rebooked.id, relationshipId: 'rel-daniel-joe', templateId: 'westmorland-4x4x4-record', version: 1, status: 'signed', authorId: 'joe-bennett',
    values: { experience: 'E2E: first supervision after the transfer.', reflection: 'Settling in.', analysis: 'Caseload manageable.', actionPlanning: 'Shadow a strategy meeting.' },
    submittedAt: signedAt,
    signatures: [{ personId: 'joe-bennett', role: 'supervisee', at: signedAt }, { personId: 'daniel-okafor', role: 'supervisor', at: signedAt }],
    createdAt: rebooked.end, updatedAt: signedAt, etag: '',
  });
  await store.saveSessions([
    cancelled,
    rebooked,
    aSession({ id: 'e2e-amira-held', relationshipId: 'rel-daniel-amira', start: daysAgo(20, '11:00'), status: 'held' }), // no record: outstanding and overdue
    aSession({ id: 'e2e-tom-missed', relationshipId: 'rel-grace-tom', start: daysAgo(50, '14:00'), status: 'missed' }),
  ]);
});

afterAll(async () => {
  db?.close();
  await browser?.close();
  await app?.stop();
});

async function openCompliance(personId: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  await page.goto(`${app.url}/tab/`);
  await page.locator('#sign-in-person').selectOption(personId);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Compliance', exact: true }).click();
  await page.getByTestId('figures-by-team').waitFor();
  return page;
}

interface HtmlTable { columns: { id: string; label: string }[]; rows: { key: string; label: string; cells: string[] }[] }

/** A figures table as the page shows it: column headers (with their ids) and, per figure row, the cells' text. */
function readTable(page: Page, testId: string, nth = 0): Promise<HtmlTable> {
  return page.getByTestId(testId).nth(nth).evaluate((table) => ({
    columns: [...table.querySelectorAll('thead th')].slice(1).map((th) => ({ id: (th as HTMLElement).dataset.column ?? '', label: th.textContent!.trim() })),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => ({
      key: (tr as HTMLElement).dataset.figure ?? '',
      label: tr.querySelector('th')!.textContent!.trim(),
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
    })),
  }));
}

/** Clicks "Download CSV" and reads the file Chromium saved. */
async function downloadCsv(page: Page): Promise<{ name: string; header: string[]; rows: string[][] }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()])) as [Download, unknown];
  const file = await download.path();
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  return { name: download.suggestedFilename(), header: header!, rows };
}

/** The CSV row's figures by figure label. */
function csvFigures(header: string[], row: string[]): Record<string, string> {
  return Object.fromEntries(FIGURES.map((f) => [f.label, row[header.indexOf(f.label)]!]));
}

/** The page table's figures for one column, by figure label. */
function tableColumn(table: HtmlTable, columnIndex: number): Record<string, string> {
  return Object.fromEntries(table.rows.map((r) => [r.label, r.cells[columnIndex]!]));
}

it("shows the seed organisation's figures, and the CSV it downloads holds exactly those figures", async () => {
  const page = await openCompliance('priya-shah');
  const byTeam = await readTable(page, 'figures-by-team');
  expect(byTeam.columns.map((c) => c.label)).toEqual([CSC, HEALTH, 'Organisation']);
  expect(byTeam.rows.map((r) => r.label)).toEqual(FIGURES.map((f) => f.label));

  // The seed's history (three held sessions with Sam, each signed the next day; Tom's last one is older than three months) plus this test's.
  const csc = tableColumn(byTeam, 0);
  const health = tableColumn(byTeam, 1);
  // The seed's agreements (Sam's and Tom's) have fixed review dates: in date until then.
  const today = DateTime.now().setZone('Europe/London').toISODate()!;
  const inDate = (rel: string) => String(SEED_AGREEMENTS.filter((a) => a.relationshipId === rel && a.reviewOn >= today).length);
  // Amira's session has nothing recorded: unconfirmed, not held (it still owes its record).
  expect(csc).toMatchObject({
    Arrangements: '3', 'Sessions due': '5', Held: '4', Unconfirmed: '1', Cancelled: '1', Rebooked: '1', Missed: '0', 'Records due': '5', 'Records on time': '4', 'Records late': '0',
    'Records outstanding': '1', 'Records overdue': '1', 'Agreements in date': inDate('rel-daniel-sam'), 'Agreements required': '3', 'Held in last 12 months': '4',
  });
  expect(health).toMatchObject({ Arrangements: '1', 'Sessions due': '1', Held: '0', Missed: '1', 'Records due': '0', 'Agreements in date': inDate('rel-grace-tom'), 'Agreements required': '1', 'Held in last 12 months': '1' });
  expect(Number(tableColumn(byTeam, 2)['Overdue obligations'])).toBeGreaterThan(0);
  await expect(page.getByTestId('summary').textContent()).resolves.toContain('Records on time4 of 5 (80%)');

  // The CSV: one organisation row, one per team, one per arrangement, each with the page's figures.
  const csv = await downloadCsv(page);
  expect(csv.name).toMatch(/^protected-time-compliance-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(csv.header).toEqual([...EXPORT_ID_COLUMNS, ...FIGURES.map((f) => f.label)]);
  const level = (l: string) => csv.rows.filter((r) => r[0] === l);
  expect(level('organisation')).toHaveLength(1);
  expect(csvFigures(csv.header, level('organisation')[0]!)).toEqual(tableColumn(byTeam, 2));
  expect(level('team').map((r) => r[1])).toEqual([CSC, HEALTH]);
  level('team').forEach((r, i) => expect(csvFigures(csv.header, r)).toEqual(tableColumn(byTeam, i)));

  // Each team's table of arrangements matches the CSV's relationship rows.
  const relRows = level('relationship');
  expect(relRows.map((r) => r[2]).sort()).toEqual(['rel-daniel-amira', 'rel-daniel-joe', 'rel-daniel-sam', 'rel-grace-tom']);
  const teamTables = await page.getByTestId('team-table').count();
  expect(teamTables).toBe(2);
  let seen = 0;
  for (let t = 0; t < teamTables; t++) {
    const table = await readTable(page, 'team-table', t);
    table.columns.forEach((col, i) => {
      const row = relRows.find((r) => r[2] === col.id)!;
      expect(col.label).toBe(`${row[4]} with ${row[3]}`);
      const fromCsv = csvFigures(csv.header, row);
      for (const [label, value] of Object.entries(tableColumn(table, i))) expect([label, value]).toEqual([label, fromCsv[label]]);
      seen += 1;
    });
  }
  expect(seen).toBe(4);

  // And both are the API's figures.
  const from = level('organisation')[0]![6]!;
  const to = level('organisation')[0]![7]!;
  const json = await (await fetch(`${app.url}/api/v1/compliance?from=${from}&to=${to}`, { headers: { 'x-pt-local-user': 'priya-shah' } })).json();
  expect(Object.fromEntries(FIGURES.map((f) => [f.label, String(json.organisation[f.key])]))).toEqual(tableColumn(byTeam, 2));

  // The charts have tables beneath them with the same numbers.
  await page.getByTestId('sessions-chart').locator('svg').first().waitFor();
  const sessions = await page.getByTestId('sessions-table').evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('th,td')].map((c) => c.textContent!.trim())));
  expect(sessions).toEqual([
    [CSC, csc['Sessions due'], csc.Held, csc.Cancelled, csc.Rebooked, csc.Missed],
    [HEALTH, health['Sessions due'], health.Held, health.Cancelled, health.Rebooked, health.Missed],
  ]);
  await page.close();
});

it('every tile and figure opens the named items behind it; reports, evidence packs and subject access download from the tab', async () => {
  const page = await openCompliance('priya-shah');
  const org = tableColumn(await readTable(page, 'figures-by-team'), 2);
  await page.getByTestId('tile-overdueObligations').click();
  const items = page.getByTestId('drill-items');
  await items.waitFor();
  expect(String(await items.locator('tbody tr').count())).toBe(org['Overdue obligations']);
  // A cell of the table: the unconfirmed session, by name.
  await page.getByTestId('figures-by-team').locator('tr[data-figure="unconfirmed"] td').first().getByRole('button').click();
  await page.getByRole('heading', { name: `Unconfirmed: ${CSC}` }).waitFor();
  // Wait for the new items (the previous list is replaced once they load).
  await items.locator('tbody tr', { hasText: 'time passed, nothing recorded' }).first().waitFor();
  await expect(items.locator('tbody tr').allTextContents()).resolves.toEqual([expect.stringMatching(/^Amira HussainDaniel Okafor.*time passed, nothing recorded/)]);

  const save = async (click: () => Promise<unknown>) => {
    const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, unknown];
    return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
  };
  await page.locator('#report-kind').selectOption('quarterly-uptake');
  const report = await save(() => page.getByRole('button', { name: 'Download report' }).click());
  expect(report.name).toMatch(/^quarterly-uptake-.*\.pdf$/);
  expect(pdfText(report.bytes)).toContain('Quarterly safeguarding supervision uptake report');

  await page.locator('#pack-subject').selectOption('person:sam-patel');
  const pack = pdfText((await save(() => page.getByRole('button', { name: 'Download evidence pack' }).click())).bytes);
  const sam = await (await fetch(`${app.url}/api/v1/compliance`, { headers: { 'x-pt-local-user': 'priya-shah' } })).json();
  const samRow = sam.relationships.find((r: { relationshipId: string }) => r.relationshipId === 'rel-daniel-sam');
  for (const f of FIGURES) expect([f.label, valueAfter(pack, f.label)]).toEqual([f.label, samRow[f.key]]);

  await page.getByTestId('data-rights').waitFor();
  await page.locator('#sar-person').selectOption('sam-patel');
  await page.locator('#sar-format').selectOption('json');
  const sar = (await save(() => page.getByTestId('data-rights').getByRole('button', { name: 'Export' }).click())).bytes.toString('utf8');
  expect(sar).toContain('[REVIEW: Daniel Okafor]');
  expect(sar.replace(/\[REVIEW: [^\]]*\]/g, '')).not.toContain('Daniel Okafor');
  const exports = db.prepare("SELECT action FROM audit_log WHERE actor_id = 'priya-shah' AND action IN ('report-exported', 'evidence-pack-exported', 'subject-access-exported')").all();
  expect(exports).toHaveLength(3);
  await page.close();
});

it('filters by team, on the page and in the CSV', async () => {
  const page = await openCompliance('priya-shah');
  await page.getByLabel('Team', { exact: true }).selectOption(HEALTH);
  await page.getByRole('button', { name: 'Show figures' }).click();
  await page.getByTestId('compliance-period').filter({ hasText: /^Health Safeguarding: / }).waitFor();
  const table = await readTable(page, 'figures-by-team');
  expect(table.columns.map((c) => c.label)).toEqual([HEALTH, 'Total']);
  const csv = await downloadCsv(page);
  expect(csv.name).toMatch(/-health-safeguarding\.csv$/);
  expect(csv.rows.map((r) => [r[0], r[1]])).toEqual([['organisation', HEALTH], ['team', HEALTH], ['relationship', HEALTH]]);
  expect(csvFigures(csv.header, csv.rows[1]!)).toEqual(tableColumn(table, 0));
  await page.close();
});

it('refuses a practitioner', async () => {
  const page = await browser.newPage();
  await page.goto(`${app.url}/tab/`);
  await page.locator('#sign-in-person').selectOption('sam-patel');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Compliance', exact: true }).click();
  await page.getByText('The compliance view is for supervisors, line managers, safeguarding leads and auditors').waitFor();
  await page.close();
});

it('an auditor reads and grades a sampled record; the grade rolls up on the page and in the CSV', async () => {
  const page = await openCompliance('priya-shah');
  const sample = page.getByTestId('audit-sample');
  await sample.waitFor();
  const sampled = await sample.locator('tbody tr').evaluateAll((rows) => rows.map((r) => ({ id: (r as HTMLElement).dataset.record!, team: r.querySelectorAll('td')[1]!.textContent! })));
  // Signed records: Sam's three (seed), Joe's (this test) and Tom's (seed); up to three per team.
  expect(sampled.map((s) => s.team)).toEqual([CSC, CSC, CSC, HEALTH]);
  const chosen = sampled[0]!;

  await sample.locator(`tr[data-record="${chosen.id}"]`).getByRole('button', { name: /^Read and grade/ }).click();
  const card = page.getByTestId('audit-record');
  await card.waitFor();
  await card.getByRole('radio', { name: /^Maintain:/ }).check();
  await card.getByLabel('Comment').fill('E2E-QA-COMMENT: reflective, clear actions');
  await card.getByRole('button', { name: 'Save grade' }).click();
  await expect(page.getByTestId('grade-saved').textContent()).resolves.toMatch(/^Graded Maintain/);

  // The sample moves on; the roll-up shows the grade (after the report reloads).
  await sample.locator(`tr[data-record="${chosen.id}"]`).waitFor({ state: 'detached' });
  await page.getByTestId('qa-table').locator('tbody tr', { hasText: CSC }).locator('td').nth(2).filter({ hasText: /^1$/ }).waitFor();
  const csvReads = () => (db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = 'priya-shah' AND action = 'read' AND detail LIKE '%\"format\":\"csv\"%'").get() as { n: number }).n;
  const readsBefore = csvReads();
  const csv = await downloadCsv(page);
  expect(csvReads()).toBe(readsBefore + 1);
  const team = csv.rows.find((r) => r[0] === 'team' && r[1] === CSC)!;
  expect(csvFigures(csv.header, team)).toMatchObject({ 'QA: Maintain': '1', 'QA: Challenge': '0', 'QA: Support': '0', 'QA: Promote': '0' });
  const byTeam = await readTable(page, 'figures-by-team');
  expect(tableColumn(byTeam, 0)['QA: Maintain']).toBe('1');
  expect(csvFigures(csv.header, team)).toEqual(tableColumn(byTeam, 0));

  // The read and the grade are in the audit log, without the comment.
  const audit = db.prepare("SELECT action, subject_id, detail FROM audit_log WHERE actor_id = 'priya-shah' ORDER BY seq").all() as { action: string; subject_id: string; detail: string | null }[];
  const read = audit.findIndex((a) => a.action === 'record-read' && a.subject_id === chosen.id);
  const graded = audit.findIndex((a) => a.action === 'qa-graded' && a.subject_id === chosen.id);
  expect(read).toBeGreaterThanOrEqual(0);
  expect(graded).toBeGreaterThan(read);
  expect(JSON.parse(audit[graded]!.detail!)).toMatchObject({ category: 'maintain' });
  expect(JSON.stringify(audit)).not.toContain('E2E-QA-COMMENT');
  const grade = db.prepare('SELECT record_id, category, comment FROM qa_grades').all();
  expect(grade).toEqual([{ record_id: chosen.id, category: 'maintain', comment: 'E2E-QA-COMMENT: reflective, clear actions' }]);
  await page.close();
});
