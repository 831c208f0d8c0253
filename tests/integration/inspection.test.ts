/**
 * Inspection and data rights over the seed organisation (now = Mon 23 Nov 2026):
 * an evidence pack whose PDF text (pdftotext) carries the compliance view's
 * figures; the three organisation reports in every format; a signed record's
 * PDF matching its stored signed version; a subject-access export holding
 * everything about one person and nothing more about anyone else than marked
 * names; the drill-down; retention review, a legal hold blocking disposal,
 * and disposal removing every copy; every export audited.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FIGURES, type FigureKey } from '../../src/domain/compliance';
import { REPORT_KINDS, REPORT_TITLES } from '../../src/domain/inspection/orgReports';
import type { SupervisionRecord } from '../../src/domain/model';
import { createHttpApp } from '../../src/server/http';
import { recordFingerprint } from '../../src/usecases/inspection';
import { planDigests } from '../../src/usecases/reminders';
import { buildComplianceReport } from '../../src/usecases/compliance';
import { FakeNotifier } from '../support/fakeNotifier';
import { parseCsv } from '../support/csv';
import { pdfText, squash, valueAfter } from '../support/pdf';
import { testServices } from '../support/services';

let server: http.Server;
let url: string;
let ctx: Awaited<ReturnType<typeof testServices>>;

const PERIOD = '?from=2026-08-01&to=2026-11-23';
const OTHER_MARKER = 'NED-ONLY-CASE-DETAIL';

beforeAll(async () => {
  ctx = await testServices({ now: '2026-11-23T09:00:00.000Z' });
  const { store } = ctx;
  // Someone outside Sam's supervision, with a record Sam's export must not carry.
  const basics = { jobTitle: 'x', startedOn: '2024-01-01' };
  store.upsertPerson({ ...basics, id: 'ned-nolan', aadObjectId: 'aad-ned', displayName: 'Ned Nolan', email: 'ned@x.example', team: 'Early Help', roles: ['practitioner'], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners' });
  await store.saveRelationship({ id: 'rel-grace-ned', kind: 'individual', supervisorId: 'grace-whitfield', superviseeIds: ['ned-nolan'], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2025-01-01', active: true });
  const start = '2026-10-07T10:00:00.000Z';
  await store.saveSessions([{ id: 'h-ned', relationshipId: 'rel-grace-ned', start, end: '2026-10-07T11:00:00.000Z', status: 'held', kind: 'planned' }]);
  await store.saveRecord({
    id: 'rec-ned', sessionId: 'h-ned', relationshipId: 'rel-grace-ned', templateId: 'westmorland-4x4x4-record', version: 1, status: 'signed', authorId: 'ned-nolan',
    values: { experience: OTHER_MARKER }, submittedAt: start, signatures: [{ personId: 'ned-nolan', role: 'supervisee', at: start }, { personId: 'grace-whitfield', role: 'supervisor', at: start }],
    createdAt: start, updatedAt: start, etag: '',
  });
  // A session of Sam's whose time passed with nothing recorded: unconfirmed, not held.
  await store.saveSessions([{ id: 'h-sam-unconfirmed', relationshipId: 'rel-daniel-sam', start: '2026-11-16T10:00:00.000Z', end: '2026-11-16T11:00:00.000Z', status: 'held', kind: 'planned' }]);

  server = http.createServer(createHttpApp(ctx.services, { startedAt: new Date() }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await ctx.services.close();
});

const get = (path: string, user: string) => fetch(`${url}${path}`, { headers: { 'x-pt-local-user': user } });
const post = (path: string, user: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'x-pt-local-user': user, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const pdfOf = async (res: Response) => {
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/pdf']);
  return Buffer.from(await res.arrayBuffer());
};
const audits = (action: string) => ctx.store.listAudit({}).then((all) => all.filter((a) => a.action === action));

describe('held means confirmed, and the drill-down names the items', () => {
  it('counts the session nobody recorded as unconfirmed, and lists it by name', async () => {
    const report = (await (await get(`/api/v1/compliance${PERIOD}`, 'priya-shah')).json()) as { relationships: ({ relationshipId: string } & Record<FigureKey, number>)[] };
    const sam = report.relationships.find((r) => r.relationshipId === 'rel-daniel-sam')!;
    expect({ held: sam.held, unconfirmed: sam.unconfirmed }).toEqual({ held: 3, unconfirmed: 1 });
    const items = (await (await get(`/api/v1/compliance/items${PERIOD}&figure=unconfirmed&relationshipId=rel-daniel-sam`, 'priya-shah')).json()) as { items: { id: string; supervisees: string[]; supervisor: string }[] };
    expect(items.items).toEqual([expect.objectContaining({ id: 'h-sam-unconfirmed', supervisees: ['Sam Patel'], supervisor: 'Daniel Okafor' })]);
  });

  it('every figure of the organisation opens exactly as many items as it counts', async () => {
    const report = (await (await get(`/api/v1/compliance${PERIOD}`, 'priya-shah')).json()) as { organisation: Record<FigureKey, number> };
    for (const f of FIGURES) {
      const res = (await (await get(`/api/v1/compliance/items${PERIOD}&figure=${f.key}`, 'priya-shah')).json()) as { count: number };
      expect([f.key, res.count]).toEqual([f.key, report.organisation[f.key]]);
    }
  });

  it('refuses a practitioner and names a bad figure', async () => {
    expect((await get(`/api/v1/compliance/items${PERIOD}&figure=held`, 'sam-patel')).status).toBe(403);
    const bad = await get(`/api/v1/compliance/items${PERIOD}&figure=nonsense`, 'priya-shah');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/figure/);
  });
});

describe('attendance confirms a session', () => {
  it('recorded attendance makes the session held in compliance; the end time passing alone leaves it unconfirmed', async () => {
    const c = await testServices({ now: '2026-11-23T09:00:00.000Z' });
    try {
      const priya = (await c.services.directory.getPerson('priya-shah'))!;
      const [first, second] = await c.store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'] });
      const series = (await c.store.listSeries('rel-daniel-sam'))[0]!;
      const event = (await c.calendar.listEvents('daniel-okafor', { start: first!.start, end: first!.end })).find((e) => e.appTag === series.id)!;
      expect(event.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
      c.clock.set(new Date(Date.parse(first!.end) + 60_000).toISOString());
      // Attendance is an 'attendance' claim on the session (the meetingEnd path that wrote it is gone, issue #21;
      // a future attendance-report reader writes the same claim).
      await c.store.saveSessions([{ ...first!, status: 'held' }]);
      await c.store.claim('attendance', first!.id, c.clock.now().toISOString(), { endTime: first!.end });
      // The second one's time passes too, with no meeting event and no record.
      c.clock.set(new Date(Date.parse(second!.end) + 60_000).toISOString());
      const day = (iso: string) => iso.slice(0, 10);
      const r = await buildComplianceReport(c.services, priya, { from: day(first!.start), to: day(second!.start), withItems: true });
      const items = (figure: string) => r.items!.filter((i) => i.figure === figure && i.relationshipId === 'rel-daniel-sam').map((i) => i.id);
      expect(items('held')).toEqual([first!.id]);
      expect(items('unconfirmed')).toEqual([second!.id]);
    } finally {
      await c.services.close();
    }
  });
});

describe('evidence pack', () => {
  it("a seed practitioner's PDF carries the compliance view's figures for the same period", async () => {
    const report = (await (await get(`/api/v1/compliance${PERIOD}`, 'priya-shah')).json()) as { relationships: ({ relationshipId: string } & Record<FigureKey, number>)[] };
    const sam = report.relationships.find((r) => r.relationshipId === 'rel-daniel-sam')!;
    const text = pdfText(await pdfOf(await get(`/api/v1/evidence-pack.pdf${PERIOD}&personId=sam-patel`, 'priya-shah')));
    expect(text).toContain('Supervision evidence pack: Sam Patel');
    for (const f of FIGURES) expect([f.label, valueAfter(text, f.label)]).toEqual([f.label, sam[f.key]]);
    // The lists behind them: who cancelled is a column, records signed by both, the longest gap.
    expect(text).toMatch(/Records signed by both: 3 of 4/);
    expect(text).toMatch(/Longest gap: \d+(\.\d)? days/);
    expect(text).toMatch(/Sessions by month/);
  });

  it('CSV and JSON carry the same figures', async () => {
    const json = (await (await get(`/api/v1/evidence-pack.json${PERIOD}&personId=sam-patel`, 'priya-shah')).json()) as { pack: { figures: { label: string; value: number }[] } };
    const rows = parseCsv(await (await get(`/api/v1/evidence-pack.csv${PERIOD}&personId=sam-patel`, 'priya-shah')).text());
    const csvFigures = rows.filter((r) => r[0] === 'Figures').map((r) => [r[1], Number(r[2])]);
    expect(csvFigures).toEqual(json.pack.figures.map((f) => [f.label, f.value]));
  });

  it('a team pack, and who may make one', async () => {
    const team = encodeURIComponent("Children's Social Care");
    expect((await get(`/api/v1/evidence-pack.pdf${PERIOD}&team=${team}`, 'helen-carter')).status).toBe(200);
    expect((await get(`/api/v1/evidence-pack.pdf${PERIOD}&personId=sam-patel`, 'sam-patel')).status).toBe(200); // their own
    expect((await get(`/api/v1/evidence-pack.pdf${PERIOD}&personId=sam-patel`, 'tom-reynolds')).status).toBe(403);
    expect((await get(`/api/v1/evidence-pack.pdf${PERIOD}`, 'priya-shah')).status).toBe(400);
    const exported = await audits('evidence-pack-exported');
    expect(exported.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(exported)).not.toContain('CASE');
    expect((await audits('evidence-pack-refused')).map((a) => a.actorId)).toContain('tom-reynolds');
  });
});

describe('the organisation reports', () => {
  it.each(REPORT_KINDS)('%s in PDF, CSV and JSON, for the seed data', async (kind) => {
    const json = (await (await get(`/api/v1/reports/${kind}.json${PERIOD}`, 'priya-shah')).json()) as { title: string; tables: { title: string; rows: unknown[][] }[]; summary: { label: string; value: unknown }[] };
    expect(json.title).toBe(REPORT_TITLES[kind]);
    expect(json.tables[0]!.rows.length).toBeGreaterThan(0);
    const csv = parseCsv(await (await get(`/api/v1/reports/${kind}.csv${PERIOD}`, 'priya-shah')).text());
    expect(csv[0]).toEqual(['Section', 'Report', REPORT_TITLES[kind]]);
    expect(csv.filter((r) => r[0] === json.tables[0]!.title)).toHaveLength(json.tables[0]!.rows.length);
    const text = pdfText(await pdfOf(await get(`/api/v1/reports/${kind}.pdf${PERIOD}`, 'priya-shah')), 'raw');
    expect(squash(text)).toContain(squash(REPORT_TITLES[kind]));
    for (const s of json.summary) expect(squash(text)).toContain(squash(`${s.label}: ${String(s.value)}`));
  });

  it('the monthly return names the supervisee and the held dates; the governors\' report lists when supervision took place', async () => {
    const monthly = pdfText(await pdfOf(await get(`/api/v1/reports/monthly-return.pdf${PERIOD}`, 'priya-shah')), 'raw');
    expect(squash(monthly)).toContain('SamPatel');
    const gov = (await (await get(`/api/v1/reports/governors-external.json${PERIOD}`, 'priya-shah')).json()) as { tables: { rows: (string | number)[][] }[] };
    const samRow = gov.tables[0]!.rows.find((r) => r[0] === 'Sam Patel')!;
    expect(samRow[3]).toBe(3);
    expect(String(samRow[4]).split(', ')).toHaveLength(3);
  });

  it('refuses practitioners and audits every export', async () => {
    expect((await get(`/api/v1/reports/monthly-return.pdf${PERIOD}`, 'sam-patel')).status).toBe(403);
    expect((await get(`/api/v1/reports/nonsense.pdf${PERIOD}`, 'priya-shah')).status).toBe(400);
    expect((await audits('report-exported')).length).toBeGreaterThanOrEqual(9);
  });
});

describe('signed record as PDF', () => {
  it("matches the record's signed version: every entry, the signatures and the version's fingerprint", async () => {
    const [record] = await ctx.store.listRecords({ relationshipIds: ['rel-daniel-sam'], status: ['signed'] });
    const versions = await ctx.store.listRecordVersions(record!.id);
    const signed = versions.filter((v) => v.status === 'signed').at(-1) as SupervisionRecord;
    const text = squash(pdfText(await pdfOf(await get(`/api/v1/records/${record!.id}/signed.pdf`, 'sam-patel')), 'raw'));
    expect(text).toContain(squash(recordFingerprint(signed)));
    expect(text).toContain(squash(`Version: ${signed.version}`));
    const strings = Object.values(signed.values).filter((v): v is string => typeof v === 'string' && v.length > 0 && !/^\d{4}-\d{2}-\d{2}$/.test(v));
    expect(strings.length).toBeGreaterThan(0);
    for (const v of strings) expect(text).toContain(squash(v));
    expect(text).toContain(squash('Sam Patel'));
    expect(text).toContain(squash('Daniel Okafor'));
    expect((await get(`/api/v1/records/${record!.id}/signed.pdf`, 'tom-reynolds')).status).toBe(403);
    expect((await audits('record-exported')).map((a) => [a.actorId, a.subjectId])).toContainEqual(['sam-patel', record!.id]);
  });
});

describe('subject access', () => {
  it('holds every item about the person and nothing more about anyone else than marked names', async () => {
    const res = await get('/api/v1/subject-access/sam-patel.json', 'priya-shah');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { tables: { title: string; rows: (string | number)[][] }[]; summary: { label: string; value: unknown }[] };
    const all = JSON.stringify(doc);
    // Every version of every record of Sam's, every entry of each.
    const mine = await ctx.store.listRecords({ relationshipIds: ['rel-daniel-sam'] });
    const versions = (await Promise.all(mine.map((r) => ctx.store.listRecordVersions(r.id)))).flat();
    expect(doc.summary.find((s) => s.label === 'Record versions')!.value).toBe(versions.length);
    for (const v of versions) for (const value of Object.values(v.values)) if (typeof value === 'string' && value.length > 3 && !/^\d{4}-/.test(value)) expect(all).toContain(value.split(/\s+/).slice(0, 3).join(' '));
    // Nothing from anyone else's supervision.
    expect(all).not.toContain(OTHER_MARKER);
    expect(all).not.toContain('rec-ned');
    // Other people appear only as marked names.
    const people = await ctx.services.directory.listPeople();
    const unmarked = all.replace(/\[REVIEW: [^\]]*\]/g, '');
    for (const p of people.filter((x) => x.id !== 'sam-patel')) {
      expect([p.displayName, unmarked.includes(p.displayName)]).toEqual([p.displayName, false]);
      expect([p.id, unmarked.includes(`"${p.id}"`)]).toEqual([p.id, false]);
    }
    expect(all).toContain('[REVIEW: Daniel Okafor]');
    expect(doc.tables.find((t) => t.title === 'Who read their records')).toMatchObject({ columns: ['When', 'Who', 'What', 'Record'], empty: 'No reads recorded.' });
  });

  it('in PDF and CSV too; leads only; the export is audited', async () => {
    expect(pdfText(await pdfOf(await get('/api/v1/subject-access/sam-patel.pdf', 'priya-shah')), 'raw')).toContain('Subject access: Sam Patel');
    expect((await get('/api/v1/subject-access/sam-patel.csv', 'priya-shah')).status).toBe(200);
    expect((await get('/api/v1/subject-access/sam-patel.json', 'helen-carter')).status).toBe(403);
    expect((await get('/api/v1/subject-access/nobody.json', 'priya-shah')).status).toBe(404);
    const exported = (await audits('subject-access-exported')).filter((a) => a.subjectId === 'sam-patel');
    expect(exported).toHaveLength(3);
  });
});

describe('action drift', () => {
  it('an action carried forward through more sessions than the pack allows is escalated to the line managers', async () => {
    const [first] = (await ctx.store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['held'] })).sort((a, b) => a.start.localeCompare(b.start));
    await ctx.store.saveActions([{ id: 'act-drift', relationshipId: 'rel-daniel-sam', sessionId: first!.id, recordId: `rec-x`, text: 'Chase the referral', ownerId: 'sam-patel', dueOn: '2027-06-01', status: 'open' }]);
    const plan = await planDigests(ctx.services);
    // Sam's line manager is Daniel, his supervisor; so Daniel's line manager, Helen, hears too.
    for (const who of ['sam-patel', 'daniel-okafor', 'helen-carter']) {
      const items = plan.digests.find((d) => d.personId === who)?.items.filter((i) => i.kind === 'action-drift') ?? [];
      expect([who, items.map((i) => [i.obligationId, i.role])]).toEqual([who, [['action-drift:rel-daniel-sam:act-drift', who === 'sam-patel' ? 'owe' : 'escalated']]]);
    }
    await ctx.store.saveActions([{ id: 'act-drift', relationshipId: 'rel-daniel-sam', sessionId: first!.id, recordId: `rec-x`, text: 'Chase the referral', ownerId: 'sam-patel', dueOn: '2027-06-01', status: 'done', completedAt: '2026-11-23T09:00:00.000Z' }]);
    expect((await planDigests(ctx.services)).digests.flatMap((d) => d.items).filter((i) => i.kind === 'action-drift')).toEqual([]);
  });
});

// Last: this moves the clock on by years.
describe('retention, legal holds and disposal', () => {
  it('lists records past retention for review, a hold blocks disposal, disposal removes every copy, all audited', async () => {
    const samRecords = (await ctx.store.listRecords({ relationshipIds: ['rel-daniel-sam'] })).map((r) => r.id).sort();
    // Westmorland keeps records 6 years after the supervisee leaves.
    expect((await post('/api/v1/leavers', 'priya-shah', { personId: 'sam-patel', leftOn: '2026-11-30' })).status).toBe(204);
    expect((await post('/api/v1/leavers', 'priya-shah', { personId: 'sam-patel', leftOn: '2027-02-30' })).status).toBe(400);
    let review = (await (await get('/api/v1/retention', 'priya-shah')).json()) as { due: { recordId: string; heldBy: string[] }[] };
    expect(review.due).toEqual([]);
    ctx.clock.set('2032-12-01T09:00:00.000Z');
    review = (await (await get('/api/v1/retention', 'priya-shah')).json()) as typeof review;
    expect(review.due.map((d) => d.recordId).sort()).toEqual(samRecords);
    // Listed, not deleted.
    expect((await ctx.store.listRecords({ relationshipIds: ['rel-daniel-sam'] })).length).toBe(samRecords.length);

    const target = samRecords[0]!;
    const held = (await (await post('/api/v1/legal-holds', 'priya-shah', { scope: { kind: 'person', id: 'sam-patel' }, reason: 'Employment tribunal claim' })).json()) as { hold: { id: string } };
    review = (await (await get('/api/v1/retention', 'priya-shah')).json()) as typeof review;
    expect(review.due.every((d) => d.heldBy.includes(held.hold.id))).toBe(true);
    const refused = await post('/api/v1/retention/dispose', 'priya-shah', { recordId: target });
    expect(refused.status).toBe(409);
    expect(await ctx.store.getRecord(target)).toMatchObject({ id: target, status: 'signed' });
    expect((await audits('disposal-refused')).map((a) => a.subjectId)).toContain(target);

    expect((await post('/api/v1/retention/dispose', 'helen-carter', { recordId: target })).status).toBe(403);
    expect((await post(`/api/v1/legal-holds/${held.hold.id}/lift`, 'priya-shah', {})).status).toBe(204);
    const done = await post('/api/v1/retention/dispose', 'priya-shah', { recordId: target });
    expect(done.status).toBe(200);
    expect(await ctx.store.getRecord(target)).toBeUndefined();
    expect(await ctx.store.listRecordVersions(target)).toEqual([]);
    expect(await ctx.store.listActions({ recordId: target })).toEqual([]);
    expect((await audits('record-disposed')).map((a) => a.subjectId)).toEqual([target]);
    expect((await audits('legal-hold-placed')).length + (await audits('legal-hold-lifted')).length).toBe(2);
    // Not past retention: refused.
    expect((await post('/api/v1/retention/dispose', 'priya-shah', { recordId: 'rec-ned' })).status).toBe(409);
  });
});
