/**
 * `pt report <kind>` and `pt sar` over a seeded local database: every report in
 * every format (PDF text read with pdftotext), bad input named, exports audited.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/adapters/embedded/db';
import { runCli } from '../../src/cli/pt';
import { REPORT_KINDS, REPORT_TITLES } from '../../src/domain/inspection/orgReports';
import { parseCsv } from '../support/csv';
import { pdfText, squash } from '../support/pdf';

const ROOT = path.resolve(__dirname, '..', '..');
let dataDir: string;

async function pt(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s), env: { PT_DATA_DIR: dataDir, PT_POLICY_DIR: path.join(ROOT, 'policies'), USER: 'tester' }, cwd: dataDir });
  return { code, out, err };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-report-'));
  expect((await pt(['seed'])).code).toBe(0);
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('pt report', () => {
  it.each(REPORT_KINDS)('%s as JSON, CSV and PDF', async (kind) => {
    const json = await pt(['report', kind, '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).title).toBe(REPORT_TITLES[kind]);
    const csv = await pt(['report', kind, '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'csv']);
    expect(parseCsv(csv.out)[0]).toEqual(['Section', 'Report', REPORT_TITLES[kind]]);
    const pdf = await pt(['report', kind, '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'pdf', '--out', `${kind}.pdf`]);
    expect(pdf.code).toBe(0);
    expect(squash(pdfText(fs.readFileSync(path.join(dataDir, `${kind}.pdf`)), 'raw'))).toContain(squash(REPORT_TITLES[kind]));
  });

  it('names bad input and exits non-zero', async () => {
    expect(await pt(['report', 'monthly-return', '--from', '2027-02-30', '--to', '2027-03-01'])).toMatchObject({ code: 2, err: expect.stringMatching(/--from: is not a real date/) });
    expect(await pt(['report', 'yearly', '--from', '2027-02-01', '--to', '2027-03-01'])).toMatchObject({ code: 2, err: expect.stringMatching(/<kind>: must be one of/) });
    expect(await pt(['report', 'monthly-return', '--from', '2027-02-01', '--to', '2027-03-01', '--format', 'pdf'])).toMatchObject({ code: 2, err: expect.stringMatching(/--out/) });
    expect(await pt(['report', 'monthly-return', '--from', '2027-02-01', '--to', '2027-03-01', '--as', 'sam-patel'])).toMatchObject({ code: 3 });
  });
});

describe('pt sar', () => {
  it('exports everything about a person, names marked, and the export is audited', async () => {
    const r = await pt(['sar', 'sam-patel', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { title: string; summary: { label: string; value: unknown }[] };
    expect(doc.title).toBe('Subject access: Sam Patel');
    expect(doc.summary.find((s) => s.label === 'Record versions')!.value).toBe(3);
    expect(r.out).toContain('[REVIEW: Daniel Okafor]');
    expect(r.out.replace(/\[REVIEW: [^\]]*\]/g, '')).not.toContain('Daniel Okafor');
    expect((await pt(['sar', 'nobody'])).code).toBe(1);
    // The export's audit entry, read from the database the command used.
    const db = openDatabase(path.join(dataDir, 'protected-time.sqlite'));
    const rows = db.prepare("SELECT * FROM audit_log WHERE action = 'subject-access-exported'").all() as Record<string, unknown>[];
    db.close();
    expect(rows.map((x) => [x.actor_id, x.subject_id])).toEqual([['cli:tester', 'sam-patel']]);
  });
});
