/**
 * The compliance API over the seed organisation plus a hand-made history
 * (now = Mon 23 Nov 2026; default period 23 Aug – 23 Nov 2026): who may see
 * which relationships, the CSV being the same figures as the JSON, every read
 * audited without content, and QA grading by auditors only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FIGURES, type FigureKey } from '../../src/domain/compliance';
import type { Session, SupervisionRecord } from '../../src/domain/model';
import { createHttpApp } from '../../src/server/http';
import { parseCsv } from '../support/csv';
import { testServices } from '../support/services';
import { aSession } from '../support/builders';

let server: http.Server;
let url: string;
let ctx: Awaited<ReturnType<typeof testServices>>;

const CSC = "Children's Social Care";
const HEALTH = 'Health Safeguarding';

function signed(id: string, s: Session, signedAt: string, supervisorId: string, superviseeId: string, templateId: string, status: SupervisionRecord['status'] = 'signed'): SupervisionRecord {
  const done = status === 'signed';
  return {
    id, sessionId: s.id, relationshipId: s.relationshipId, templateId, version: 1, status, authorId: superviseeId,
    values: { experience: 'CASE-DETAIL-MARKER' }, submittedAt: s.end,
    signatures: done ? [{ personId: superviseeId, role: 'supervisee', at: s.end }, { personId: supervisorId, role: 'supervisor', at: signedAt }] : [],
    createdAt: s.end, updatedAt: signedAt, etag: '',
  };
}

beforeAll(async () => {
  ctx = await testServices({ now: '2026-11-23T09:00:00.000Z' });
  const { store } = ctx;
  // Two more people and an arrangement outside Helen's line: Mo manages Ned directly; Ava (auditor and supervisor) supervises Ned.
  const basics = { jobTitle: 'x', startedOn: '2024-01-01' };
  store.upsertPerson({ ...basics, id: 'mo-manager', aadObjectId: 'aad-mo', displayName: 'Mo Manager', email: 'mo@x.example', team: 'Early Help', roles: ['line-manager'] });
  store.upsertPerson({ ...basics, id: 'ava-auditor', aadObjectId: 'aad-ava', displayName: 'Ava Auditor', email: 'ava@x.example', team: 'Quality', roles: ['supervisor', 'auditor'] });
  store.upsertPerson({
    ...basics, id: 'ned-nolan', aadObjectId: 'aad-ned', displayName: 'Ned Nolan', email: 'ned@x.example', team: 'Early Help', roles: ['practitioner'],
    lineManagerId: 'mo-manager', policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners',
  });
  await store.saveRelationship({ id: 'rel-ava-ned', kind: 'individual', supervisorId: 'ava-auditor', superviseeIds: ['ned-nolan'], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2025-01-01', active: true });

  const WF = 'westmorland-4x4x4-record';
  const cancelled = aSession({ id: 'h-cancel', relationshipId: 'rel-daniel-sam', start: '2026-09-09T13:00:00.000Z', status: 'cancelled' });
  const rebooked = aSession({ id: 'h-rebook', relationshipId: 'rel-daniel-sam', start: '2026-09-16T13:00:00.000Z', status: 'held', kind: 'rebooked', replacesSessionId: 'h-cancel' });
  const onTime = aSession({ id: 'h-ontime', relationshipId: 'rel-daniel-sam', start: '2026-10-14T13:00:00.000Z', status: 'held' });
  const tom = aSession({ id: 'h-tom', relationshipId: 'rel-grace-tom', start: '2026-10-06T13:00:00.000Z', status: 'held' });
  const amira = aSession({ id: 'h-amira', relationshipId: 'rel-daniel-amira', start: '2026-11-18T10:00:00.000Z', status: 'held' });
  const ned = aSession({ id: 'h-ned', relationshipId: 'rel-ava-ned', start: '2026-10-07T10:00:00.000Z', status: 'held' });
  await store.saveSessions([cancelled, rebooked, onTime, tom, amira, ned]);
  await store.saveRecord(signed('rec-late', rebooked, '2026-09-25T10:00:00.000Z', 'daniel-okafor', 'sam-patel', WF));
  await store.saveRecord(signed('rec-ontime', onTime, '2026-10-15T10:00:00.000Z', 'daniel-okafor', 'sam-patel', WF));
  await store.saveRecord(signed('rec-draft', amira, '2026-11-18T12:00:00.000Z', 'daniel-okafor', 'amira-hussain', WF, 'draft'));
  await store.saveRecord(signed('rec-ned', ned, '2026-10-08T10:00:00.000Z', 'ava-auditor', 'ned-nolan', WF));
  await store.saveAgreement({
    id: 'agr-sam', relationshipId: 'rel-daniel-sam', templateId: 'generic-agreement', values: {}, frequency: 'monthly', durationMinutes: 90, venue: 'Office',
    type: 'individual', reviewOn: '2027-10-01', status: 'signed', signatures: [{ personId: 'daniel-okafor', role: 'supervisor', at: '2026-10-01T10:00:00.000Z' }, { personId: 'sam-patel', role: 'supervisee', at: '2026-10-01T10:00:00.000Z' }], createdAt: '2026-10-01T10:00:00.000Z',
  });

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

interface Row { relationshipId: string; team: string; [k: string]: unknown }
interface Report { from: string; to: string; scope: string; teams: ({ team: string } & Record<FigureKey, number>)[]; relationships: (Row & Record<FigureKey, number>)[]; organisation: Record<FigureKey, number>; teamsAvailable: string[]; figures: { key: string; label: string; definition: string }[] }
const report = async (user: string, query = '') => {
  const res = await get(`/api/v1/compliance${query}`, user);
  expect(res.status).toBe(200);
  return (await res.json()) as Report;
};
const relIds = (r: Report) => r.relationships.map((x) => x.relationshipId).sort();

describe('who may see what', () => {
  it.each([
    ['sam-patel'],
    ['tom-reynolds'],
    ['ned-nolan'],
  ])('refuses a practitioner (%s) and audits the refusal', async (user) => {
    const res = await get('/api/v1/compliance', user);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/supervisors, line managers, safeguarding leads and auditors/);
    expect((await get('/api/v1/compliance.csv', user)).status).toBe(403);
    expect((await ctx.store.listAudit({ actorId: user, limit: 1 }))[0]).toMatchObject({ action: 'compliance-access-refused', subjectType: 'compliance-report' });
  });

  it.each<[string, string[], string]>([
    ['grace-whitfield', ['rel-grace-tom'], 'managed'], // a supervisor: her own
    ['daniel-okafor', ['rel-daniel-amira', 'rel-daniel-joe', 'rel-daniel-sam'], 'managed'], // supervisor and line manager of his team
    ['helen-carter', ['rel-daniel-amira', 'rel-daniel-joe', 'rel-daniel-sam', 'rel-grace-tom'], 'managed'], // manages the supervisors (and Tom)
    ['mo-manager', ['rel-ava-ned'], 'managed'], // manages the supervisee directly
    ['priya-shah', ['rel-ava-ned', 'rel-daniel-amira', 'rel-daniel-joe', 'rel-daniel-sam', 'rel-grace-tom'], 'all'], // safeguarding lead
    ['ava-auditor', ['rel-ava-ned', 'rel-daniel-amira', 'rel-daniel-joe', 'rel-daniel-sam', 'rel-grace-tom'], 'all'], // auditor
  ])('%s sees %j', async (user, expected, scope) => {
    const r = await report(user);
    expect(relIds(r)).toEqual(expected);
    expect(r.scope).toBe(scope);
    expect((await get('/api/v1/compliance.csv', user)).status).toBe(200);
  });

  it('defaults to the last three months up to today (Europe/London)', async () => {
    const r = await report('priya-shah');
    expect([r.from, r.to]).toEqual(['2026-08-23', '2026-11-23']);
  });
});

describe('the figures', () => {
  it("shows the seed organisation's history by team", async () => {
    const r = await report('priya-shah');
    const team = (name: string) => r.teams.find((t) => t.team === name)!;
    expect(r.teams.map((t) => t.team)).toEqual([CSC, 'Early Help', HEALTH]);
    expect(team(CSC)).toMatchObject({
      // The seed's three held sessions with Sam (84, 56 and 28 days ago, signed the next day) plus this file's history.
      relationships: 3, sessionsDue: 6, held: 6, cancelled: 1, rebooked: 1, missed: 0,
      recordsDue: 6, recordsOnTime: 4, recordsLate: 1, recordsOutstanding: 1, recordsOverdue: 1, agreementsInDate: 1, agreementsTotal: 3, rolling12MonthHeld: 6,
    });
    // Tom's seed session (112 days ago) is before the period but within 12 months; his seed agreement is in date.
    // This file's session with Tom has no record and no attendance: unconfirmed, not held (it still owes its record).
    expect(team(HEALTH)).toMatchObject({ relationships: 1, held: 0, unconfirmed: 1, recordsDue: 1, recordsOutstanding: 1, recordsOverdue: 1, agreementsInDate: 1, agreementsTotal: 1, rolling12MonthHeld: 1 });
    expect(team('Early Help')).toMatchObject({ relationships: 1, held: 1, recordsOnTime: 1, agreementsInDate: 0, agreementsTotal: 1 });
    expect(r.organisation.held).toBe(7);
    expect(r.organisation.overdueObligations).toBeGreaterThan(0);
    expect(r.figures.map((f) => f.key)).toEqual(FIGURES.map((f) => f.key));
  });

  it('filters by period and team', async () => {
    const october = await report('priya-shah', '?from=2026-10-01&to=2026-10-31&team=' + encodeURIComponent(CSC));
    expect(october.teams.map((t) => t.team)).toEqual([CSC]);
    expect(october.teamsAvailable).toEqual([CSC, 'Early Help', HEALTH]);
    expect(october.organisation).toMatchObject({ held: 2, cancelled: 0, rebooked: 0, recordsOnTime: 2 });
  });

  it('explains bad queries', async () => {
    const bad = await get('/api/v1/compliance?from=2026-13-01', 'priya-shah');
    expect(bad.status).toBe(400);
    expect((await bad.json()).details).toEqual(['from: must be a real date YYYY-MM-DD between 2000 and 2100']);
    const backwards = await get('/api/v1/compliance.csv?from=2026-10-10&to=2026-10-01', 'priya-shah');
    expect(backwards.status).toBe(400);
    expect((await backwards.json()).details).toEqual(['to: must be on or after from']);
    const long = await get('/api/v1/compliance?from=2010-01-01&to=2026-01-01', 'priya-shah');
    expect((await long.json()).details).toEqual(['to: the period can be at most five years long']);
  });
});

describe('the CSV export', () => {
  it.each([['priya-shah', ''], ['helen-carter', '?from=2026-09-01&to=2026-11-23'], ['priya-shah', '?team=' + encodeURIComponent(HEALTH)]])('as %s%s: the same figures as the JSON', async (user, query) => {
    const json = await report(user, query);
    const res = await get(`/api/v1/compliance.csv${query}`, user);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="protected-time-compliance-${json.from}-to-${json.to}(-[a-z-]+)?\\.csv"$`));
    const [header, ...rows] = parseCsv(await res.text());
    expect(header!.slice(0, 9)).toEqual(['Level', 'Team', 'Arrangement', 'Supervisor', 'Supervisee(s)', 'Policy', 'Period from', 'Period to', 'As at']);
    const figuresOf = (row: string[]) => Object.fromEntries(FIGURES.map((f) => [f.key, Number(row[header!.indexOf(f.label)])]));
    const pick = (o: Record<string, unknown>) => Object.fromEntries(FIGURES.map((f) => [f.key, o[f.key]]));

    const org = rows.filter((r) => r[0] === 'organisation');
    expect(org).toHaveLength(1);
    expect(figuresOf(org[0]!)).toEqual(json.organisation);
    const teams = rows.filter((r) => r[0] === 'team');
    expect(teams.map((r) => r[1])).toEqual(json.teams.map((t) => t.team));
    teams.forEach((r, i) => expect(figuresOf(r)).toEqual(pick(json.teams[i]!)));
    const rels = rows.filter((r) => r[0] === 'relationship');
    expect(rels.map((r) => r[2])).toEqual(json.relationships.map((x) => x.relationshipId));
    rels.forEach((r, i) => expect(figuresOf(r)).toEqual(pick(json.relationships[i]!)));
    expect(rows.every((r) => r[6] === json.from && r[7] === json.to)).toBe(true);
    expect(rows).toHaveLength(1 + json.teams.length + json.relationships.length);
  });
});

describe('auditing reads', () => {
  it('audits every report read (JSON and CSV) with no figures or content', async () => {
    const before = (await ctx.store.listAudit({ actorId: 'helen-carter', limit: 1000 })).length;
    await report('helen-carter');
    await get('/api/v1/compliance.csv?from=2026-09-01&to=2026-09-30', 'helen-carter');
    const entries = await ctx.store.listAudit({ actorId: 'helen-carter', limit: 2 });
    expect((await ctx.store.listAudit({ actorId: 'helen-carter', limit: 1000 })).length).toBe(before + 2);
    expect(entries.map((e) => [e.action, e.subjectType, e.detail?.format])).toEqual([
      ['read', 'compliance-report', 'csv'],
      ['read', 'compliance-report', 'json'],
    ]);
    expect(entries[0]!.detail).toEqual({ format: 'csv', from: '2026-09-01', to: '2026-09-30', team: 'all', scope: 'managed', relationships: 4 });
  });
});

describe('quality-assurance grading', () => {
  it('offers an auditor a sample of signed records they are not party to, and audits the read', async () => {
    const res = await get('/api/v1/audit/sample', 'priya-shah');
    expect(res.status).toBe(200);
    const sample = await res.json();
    // Signed records: five with Sam (three seed, two here), Tom's seed record, Ned's. Up to three per team.
    expect(sample.items.map((i: { team: string }) => i.team)).toEqual([CSC, CSC, CSC, 'Early Help', HEALTH]);
    expect(sample.eligible).toBe(7);
    expect(sample.items.every((i: { status: string }) => i.status === 'signed')).toBe(true);
    expect(sample.items[0]).toMatchObject({ supervisor: 'Daniel Okafor', supervisees: ['Sam Patel'], relationshipId: 'rel-daniel-sam' });
    expect(sample.items.map((i: { recordId: string }) => i.recordId)).not.toContain('rec-draft');
    expect(JSON.stringify(sample)).not.toContain('CASE-DETAIL-MARKER');
    expect((await ctx.store.listAudit({ actorId: 'priya-shah', limit: 1 }))[0]).toMatchObject({ action: 'read', subjectType: 'audit-sample', detail: { count: 5, eligible: 7 } });
    // Ava supervises Ned: his record is not in her sample. One per team gives one record per team.
    const ava = await (await get('/api/v1/audit/sample?perTeam=1', 'ava-auditor')).json();
    expect(ava.items.map((i: { team: string }) => i.team)).toEqual([CSC, HEALTH]);
    expect(ava.eligible).toBe(6);
    // The sample is the same each time.
    expect(await (await get('/api/v1/audit/sample?perTeam=1', 'ava-auditor')).json()).toEqual(ava);
  });

  it('refuses the sample and grading to anyone but an auditor, whatever they send', async () => {
    expect((await get('/api/v1/audit/sample', 'helen-carter')).status).toBe(403);
    for (const body of [{ recordId: 'rec-ontime', category: 'maintain', comment: 'x' }, { category: 'nonsense' }]) {
      const res = await post('/api/v1/audit/grades', 'helen-carter', body);
      expect(res.status).toBe(403);
      expect((await res.json()).error).toBe('Only an auditor can grade supervision records');
    }
    expect((await post('/api/v1/audit/grades', 'sam-patel', { recordId: 'rec-ontime', category: 'promote' })).status).toBe(403);
    expect((await ctx.store.listAudit({ actorId: 'sam-patel', limit: 1 }))[0]).toMatchObject({ action: 'qa-grade-refused', subjectId: 'rec-ontime' });
    expect(await ctx.services.quality!.listGrades({})).toEqual([]);
  });

  it.each<[string, unknown, number, RegExp | string[]]>([
    ['an unknown category', { recordId: 'rec-ontime', category: 'excellent' }, 400, ['category: must be one of challenge, support, maintain, promote']],
    ['no record', { category: 'support' }, 400, [expect.stringMatching(/^recordId: /) as unknown as string]],
    ['a comment over 2000 characters', { recordId: 'rec-ontime', category: 'support', comment: 'x'.repeat(2001) }, 400, ['comment: must be at most 2000 characters']],
    ['an unknown field', { recordId: 'rec-ontime', category: 'support', score: 3 }, 400, [expect.stringMatching(/score/) as unknown as string]],
    ['a record that is not signed yet', { recordId: 'rec-draft', category: 'support' }, 400, ['recordId: the record is draft, not signed']],
    ['a record that does not exist', { recordId: 'rec-nope', category: 'support' }, 404, /No such record/],
  ])('explains %s', async (_name, body, status, expected) => {
    const res = await post('/api/v1/audit/grades', 'priya-shah', body);
    expect(res.status).toBe(status);
    const json = await res.json();
    if (expected instanceof RegExp) expect(json.error).toMatch(expected);
    else expect(json.details).toEqual(expected);
  });

  it("refuses an auditor grading their own supervision's record", async () => {
    const res = await post('/api/v1/audit/grades', 'ava-auditor', { recordId: 'rec-ned', category: 'promote' });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/own supervision/);
  });

  it('stores a grade, audits it without the comment, drops it from the sample and rolls it up', async () => {
    const res = await post('/api/v1/audit/grades', 'priya-shah', { recordId: 'rec-ontime', category: 'maintain', comment: 'QA-COMMENT-MARKER: clear analysis' });
    expect(res.status).toBe(201);
    const { grade } = await res.json();
    expect(grade).toMatchObject({ recordId: 'rec-ontime', relationshipId: 'rel-daniel-sam', category: 'maintain', at: '2026-11-23T09:00:00.000Z' });
    expect(await ctx.services.quality!.listGrades({ recordId: 'rec-ontime' })).toEqual([expect.objectContaining({ auditorId: 'priya-shah', comment: 'QA-COMMENT-MARKER: clear analysis' })]);
    const entry = (await ctx.store.listAudit({ actorId: 'priya-shah', limit: 1 }))[0]!;
    expect(entry).toMatchObject({ action: 'qa-graded', subjectType: 'record', subjectId: 'rec-ontime', detail: { category: 'maintain', version: 1 } });
    expect(JSON.stringify(entry)).not.toContain('QA-COMMENT-MARKER');

    const sample = await (await get('/api/v1/audit/sample', 'priya-shah')).json();
    expect(sample.eligible).toBe(6);
    expect(sample.items.map((i: { recordId: string }) => i.recordId)).not.toContain('rec-ontime');

    const r = await report('priya-shah');
    expect(r.teams.find((t) => t.team === CSC)).toMatchObject({ qaMaintain: 1, qaChallenge: 0, qaSupport: 0, qaPromote: 0 });
    expect(r.organisation.qaMaintain).toBe(1);
    expect(JSON.stringify(r)).not.toContain('QA-COMMENT-MARKER');
    // The roll-up is visible to whoever may see the team (counts only).
    expect((await report('daniel-okafor')).organisation.qaMaintain).toBe(1);
    expect((await report('grace-whitfield')).organisation.qaMaintain).toBe(0);
  });

  it('lets the auditor read a sampled record through the audited record view', async () => {
    const res = await get('/api/v1/records/rec-late', 'priya-shah');
    expect(res.status).toBe(200);
    expect((await ctx.store.listAudit({ actorId: 'priya-shah', limit: 1 }))[0]).toMatchObject({ action: 'record-read', subjectId: 'rec-late' });
  });
});
