/**
 * Steady-state Graph and SharePoint requests per hour in a tenant of 20,000
 * staff (10,000 supervision relationships) with 1 % of relationships changing
 * a day: today's design (durable work in SharePoint lists, the reminder sweep
 * over everyone every job run) beside issue #16's (durable work on Azure
 * Storage, relationship timelines), in the same run:
 * `node scripts/run-ts.js bench/tenant-budget.bench.ts`.
 *
 * How the figures are made (counts, not timings, so they are the same on every machine):
 * 1. Per-run costs are COUNTED: the real adapters (SharePointStore,
 *    SharePointWorkQueue, SharePointSubscriptionRegistry; the Azure adapters on
 *    Azurite) send their requests to the project's fake Graph with its in-memory
 *    SharePoint, which counts every request (each inner request of a $batch
 *    counts, as SharePoint counts them). The jobs' own code runs: the reminder
 *    sweep or the timeline driver, the digest dispatcher, the record-form job
 *    (its work queue every run, its catch-up under the job's daily lease), the
 *    rebook outbox, the change feed's read of the registry. Directory
 *    lookups go to a counting directory: each getPerson is two Graph requests
 *    (GraphDirectory.getPerson: the user and their manager in one $batch).
 *    Calendar reconciliation (Graph calendars, delta, subscriptions) is the same
 *    in both designs and is counted by bench/reconcile-requests.bench.ts.
 * 2. Counted at two organisation sizes (SIZES) and extrapolated linearly to
 *    10,000 relationships (today's sweep is linear in the organisation: 4N+4
 *    list queries per run, issue #16). A listing of sessions by end time (the
 *    record forms' catch-up) is one page at the small sizes: each one counted
 *    in a run is taken at the target size as the pages it would read there.
 * 3. How often relationships wake (due times: due soon, due, ladder steps, the
 *    weekly repeat) is MEASURED by running the timelines for a simulated week
 *    over SIM_RELATIONSHIPS relationships in SQLite, hour by hour, and scaled.
 * The budget: SHAREPOINT_BUDGET below.
 */
import { AzureDurableParts, withAzureDurableWork } from '../src/adapters/azure/azureDurableStore';
import { AzureStorage } from '../src/adapters/azure/azureStorage';
import { AzureSubscriptionRegistry } from '../src/adapters/azure/azureSubscriptionRegistry';
import { AzureTimeline } from '../src/adapters/azure/azureTimeline';
import { AzureWorkQueue } from '../src/adapters/azure/azureWorkQueue';
import { openDatabase } from '../src/adapters/embedded/db';
import { EmbeddedCalendar } from '../src/adapters/embedded/calendar';
import { EmbeddedLedgerPruning } from '../src/adapters/embedded/ledgerPruning';
import { EmbeddedStore } from '../src/adapters/embedded/store';
import { EmbeddedTimeline } from '../src/adapters/embedded/timeline';
import { EmbeddedUnitOfWork } from '../src/adapters/embedded/unitOfWork';
import { EmbeddedWorkQueue } from '../src/adapters/embedded/workQueue';
import { staticTokenSource } from '../src/adapters/graph/graphAuth';
import { GraphHttp } from '../src/adapters/graph/graphHttp';
import { provisionSite } from '../src/adapters/sharepoint/provision';
import { SharePointStore } from '../src/adapters/sharepoint/sharepointStore';
import { SharePointSubscriptionRegistry } from '../src/adapters/sharepoint/sharepointSubscriptionRegistry';
import { SharePointWorkQueue } from '../src/adapters/sharepoint/sharepointWorkQueue';
import { loadConfig } from '../src/config/env';
import { loadPolicies } from '../src/config/policies';
import type { Person, Relationship, Session, SupervisionRecord } from '../src/domain/model';
import { createLogger } from '../src/logging';
import type { DirectoryPort } from '../src/ports/directory';
import type { RecordStore } from '../src/ports/store';
import type { SubscriptionRegistry } from '../src/ports/subscriptions';
import type { Timeline } from '../src/ports/timeline';
import type { Services } from '../src/runtime/services';
import { processRebooks } from '../src/usecases/rebooking';
import { recordFormsRun } from '../src/jobs';
import { queueMissingRecordForms, recordIdFor } from '../src/usecases/records';
import { dispatchDigests, RateLimiter, sweepReminders } from '../src/usecases/reminders';
import { consistencySweep, runWakeCycle, TimelineDriver } from '../src/usecases/timelines';
import { FakeGraph } from '../tests/support/fakeGraph';
import { FakeNotifier } from '../tests/support/fakeNotifier';
import { FakeSharePoint } from '../tests/support/fakeSharePoint';
import { startAzurite } from '../tests/support/azurite';
import { random } from './random';
import path from 'node:path';

/**
 * SharePoint's per-app budget for this tenant size. Source: Microsoft Learn,
 * "Avoid getting throttled or blocked in SharePoint Online"
 * (https://learn.microsoft.com/en-us/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online),
 * "Application throttling": for a tenant of 15,001–50,000 licences (20,000 staff),
 * 5,000 resource units per app per minute and 4,800,000 per app per 24 hours.
 * Graph costs there: 1 RU a single-item read, 2 RU a multi-item query and every
 * create, update or delete; $batch inner requests count one by one. The sustained
 * budget is the 24-hour one: 200,000 RU an hour.
 */
const SHAREPOINT_BUDGET = { licences: '15,001–50,000', ruPerMinute: 5_000, ruPer24Hours: 4_800_000 };
const RU_PER_HOUR = SHAREPOINT_BUDGET.ruPer24Hours / 24;

const STAFF = 20_000;
const TARGET = 10_000;
const CHANGES_PER_DAY = TARGET * 0.01;
const SIZES = [60, 120];
const SIM_RELATIONSHIPS = 2_000;
/** Items per page of a SharePoint list query (SharePointStore's $top). */
const LIST_PAGE = 500;
const NOW = Date.parse('2026-12-03T10:00:00.000Z');
const DAY = 86_400_000;
const MIN = 60_000;
const ROOT = path.join(__dirname, '..');
const log = createLogger('silent');
const policies = loadPolicies(path.join(ROOT, 'policies'));
const config = loadConfig({ PT_MODE: 'local', PT_DATA_DIR: '/nonexistent' }, ROOT);

// ---- the organisation (the reminders benchmark's shape: supervisors of 10, their managers) ----
interface Org {
  people: Person[];
  relationships: Relationship[];
  sessions: Session[];
  records: SupervisionRecord[];
}

function organisation(n: number, seed = 7): Org {
  const rnd = random(seed);
  const packs = ['westmorland-furness-scp', 'staffordshire-stoke-icb', 'south-gloucestershire-scb', 'leicestershire-cfs'];
  const groups: Record<string, string> = { 'westmorland-furness-scp': 'practitioners', 'staffordshire-stoke-icb': 'clinical', 'south-gloucestershire-scb': 'management', 'leicestershire-cfs': 'casework' };
  const people: Person[] = [];
  const relationships: Relationship[] = [];
  const sessions: Session[] = [];
  const records: SupervisionRecord[] = [];
  const supervisors = Math.ceil(n / 10);
  for (let m = 0; m < Math.ceil(supervisors / 20); m++) people.push({ id: `m${m}`, aadObjectId: `aad-m${m}`, displayName: `Manager ${m}`, email: `m${m}@x.example`, jobTitle: 'Manager', team: `Area ${m}`, roles: ['line-manager'] });
  for (let s = 0; s < supervisors; s++) people.push({ id: `s${s}`, aadObjectId: `aad-s${s}`, displayName: `Supervisor ${s}`, email: `s${s}@x.example`, jobTitle: 'Team Manager', team: `Area ${Math.floor(s / 20)}`, roles: ['supervisor'], lineManagerId: `m${Math.floor(s / 20)}` });
  for (let p = 0; p < n; p++) {
    const sup = `s${Math.floor(p / 10)}`;
    const policyId = packs[p % packs.length]!;
    people.push({ id: `p${p}`, aadObjectId: `aad-p${p}`, displayName: `Practitioner ${p}`, email: `p${p}@x.example`, jobTitle: 'Social Worker', team: `Area ${Math.floor(p / 200)}`, roles: ['practitioner'], lineManagerId: sup, policyId, staffGroupId: groups[policyId] });
    const rel: Relationship = { id: `r${p}`, kind: 'individual', supervisorId: sup, superviseeIds: [`p${p}`], policyId, staffGroupId: groups[policyId]!, startedOn: '2025-01-06', active: true };
    relationships.push(rel);
    const last = NOW - (5 + Math.floor(rnd() * 55)) * DAY;
    for (let k = 0; k < 4; k++) {
      const start = new Date(last - (2 - k) * 30 * DAY).toISOString();
      const future = Date.parse(start) > NOW;
      const id = `r${p}-s${k}`;
      sessions.push({ id, relationshipId: rel.id, start, end: new Date(Date.parse(start) + 3_600_000).toISOString(), status: future ? 'planned' : 'held', kind: 'planned' });
      if (!future && (k < 2 || rnd() < 0.8)) {
        records.push({ id: `rec-${id}`, sessionId: id, relationshipId: rel.id, templateId: 't', version: 1, status: 'signed', authorId: sup, values: {}, signatures: [{ personId: sup, role: 'supervisor', at: start }, { personId: `p${p}`, role: 'supervisee', at: start }], createdAt: start, updatedAt: start, etag: '' });
      }
    }
  }
  return { people, relationships, sessions, records };
}

/** The directory, counting Graph requests as GraphDirectory would send them. */
function countingDirectory(people: Person[], counter: { graph: number }): DirectoryPort {
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    async getPerson(id) {
      counter.graph += 2;
      return byId.get(id);
    },
    async findByAadObjectId(aad) {
      counter.graph += 2;
      return people.find((p) => p.aadObjectId === aad);
    },
    async listPeople() {
      counter.graph += Math.ceil(people.length / 100) + Math.ceil(people.length / 20);
      return people;
    },
  } as DirectoryPort;
}

// ---- counting SharePoint requests and their resource units ----
let fake: FakeGraph;
function spCounts(): { requests: number; ru: number } {
  const sp = fake.requests.filter((r) => r.path.startsWith('/sites/'));
  let ru = 0;
  for (const r of sp) ru += r.method === 'GET' && !r.path.endsWith('/items') && !r.path.endsWith('/lists') ? 1 : 2;
  return { requests: sp.length, ru };
}
const resetCounts = () => {
  fake.requests.length = 0;
  fake.httpRequests.length = 0;
};

async function tenantWorld(org: Org, azure?: AzureStorage) {
  fake.reset();
  const sp = new FakeSharePoint(fake);
  const http = new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 1 });
  await provisionSite(http, sp.siteUrl);
  const site = { siteUrl: sp.siteUrl };
  const sharePointStore = new SharePointStore({ http, site });
  for (const r of org.relationships) await sharePointStore.saveRelationship(r);
  await sharePointStore.saveSessions(org.sessions);
  for (const r of org.records) await sharePointStore.saveRecord(r);
  // Steady state: every recent session's record form went out long ago (the record-form job's ledger says so).
  for (const s of org.sessions) if (s.status === 'held') await (azure ? new AzureDurableParts(azure) : sharePointStore).claim('record-card-posted', recordIdFor(s.id), new Date(Date.parse(s.end)).toISOString());
  const counter = { graph: 0 };
  let t = NOW;
  const clock = { now: () => new Date(t) };
  const store: RecordStore = azure ? withAzureDurableWork(sharePointStore, new AzureDurableParts(azure)) : sharePointStore;
  const registry: SubscriptionRegistry = azure ? new AzureSubscriptionRegistry(azure) : new SharePointSubscriptionRegistry({ http, site });
  const timeline: Timeline | undefined = azure ? new AzureTimeline(azure) : undefined;
  const services: Services = {
    config, log, clock, policies, store, directory: countingDirectory(org.people, counter), calendar: undefined as never,
    // Not the outbox body's real limit (63,999 characters): at 120 relationships the reminder sweep queues a line
    // manager's digest longer than that, which would stop this run. The bench counts requests, and the write is one either way.
    work: azure ? new AzureWorkQueue(azure) : new SharePointWorkQueue({ http, site, maxBodyChars: 10_000_000 }),
    ...(timeline ? { timeline, pruning: new AzureDurableParts(azure!) } : {}),
    async close() {},
  };
  const notify = { notifier: new FakeNotifier(), tabUrl: 'https://pt.example/tab/' };
  const driver = timeline ? new TimelineDriver(services, timeline, 'w1') : undefined;
  // The record-form step as a tenant's reconcile job runs it: the queue every run, the catch-up once a day.
  const recordForms = recordFormsRun(services, notify, 'w1', true);
  /** One job run (a minute): what the reminders and reconcile jobs do besides reading calendars. */
  const minute = async () => {
    await registry.listDelta(); // the change feed's read of the marks
    await processRebooks(services, notify, 'w1');
    await recordForms(new Date(t));
    if (driver) await driver.run();
    else await sweepReminders(services);
    await dispatchDigests(services, notify, 'w1', new RateLimiter(1e9));
  };
  const sessionsList = sp.list('pt-sessions')!.id;
  /** Listings of sessions by end time (across every arrangement) among the requests counted since the last reset. */
  const sessionListings = () => fake.requests.filter((r) => r.method === 'GET' && r.path.includes(`/lists/${sessionsList}/items`) && (r.query.$filter ?? '').includes('endsAt')).length;
  return { services, counter, minute, timeline, sessionListings, advance: (ms: number) => (t += ms), now: () => t };
}

/** Counted costs at organisation size n. */
async function measure(n: number, azurite: Awaited<ReturnType<typeof startAzurite>>) {
  const org = organisation(n);
  // Today's design.
  const today = await tenantWorld(org);
  await today.minute(); // the first run sends the day's digests and record forms
  today.advance(MIN);
  resetCounts();
  today.counter.graph = 0;
  await today.minute();
  const todayMinute = { ...spCounts(), graph: today.counter.graph, sessionListings: today.sessionListings() };

  // Issue #16's design.
  const azure = new AzureStorage({ connectionString: azurite.connectionString, prefix: azurite.uniqueName('b') });
  const next = await tenantWorld(org, azure);
  await next.minute(); // cold start: the consistency sweep wakes everyone, the cycle judges them all
  next.advance(MIN);
  resetCounts();
  next.counter.graph = 0;
  await next.minute();
  const idleMinute = { ...spCounts(), graph: next.counter.graph, sessionListings: next.sessionListings() };
  // A cycle that wakes a tenth of the relationships (changes or due times): the cost of one wake.
  const woken = Math.max(1, Math.round(n / 10));
  const nowIso = new Date(next.now()).toISOString();
  for (let i = 0; i < woken; i++) await next.timeline!.wake(org.relationships[i * 10]!.id, nowIso, 'changed', nowIso);
  resetCounts();
  next.counter.graph = 0;
  const cycle = await runWakeCycle(next.services, next.timeline!, 'w1');
  const wakeCost = { ...spCounts(), graph: next.counter.graph, woken: cycle.woken };
  // The daily consistency sweep.
  resetCounts();
  await consistencySweep(next.services, next.timeline!);
  const sweepCost = spCounts();
  // The record forms' catch-up (a tenant runs it once a day): it lists the sessions ending in the last 14 days or later.
  resetCounts();
  await queueMissingRecordForms(next.services);
  const catchUpCost = { ...spCounts(), sessionListings: next.sessionListings() };
  // What that listing returns (SharePoint filters on the end time only): pages of LIST_PAGE at the target size.
  const listedRecent = org.sessions.filter((x) => Date.parse(x.end) > NOW - 14 * DAY).length;
  return { n, todayMinute, idleMinute, wakeCost, sweepCost, catchUpCost, listedRecent };
}

/** Wake-ups per relationship per day from due times, measured over a simulated week in SQLite. */
async function dueWakesPerRelationshipDay(): Promise<{ perDay: number; days: number }> {
  const org = organisation(SIM_RELATIONSHIPS, 11);
  const db = openDatabase(':memory:');
  const store = new EmbeddedStore(db);
  db.exec('BEGIN');
  for (const p of org.people) store.upsertPerson(p);
  db.exec('COMMIT');
  for (const r of org.relationships) await store.saveRelationship(r);
  await store.saveSessions(org.sessions);
  for (const r of org.records) await store.saveRecord(r);
  let t = NOW;
  const clock = { now: () => new Date(t) };
  const timeline = new EmbeddedTimeline(db);
  const services: Services = { config, log, clock, policies, store, directory: store, calendar: new EmbeddedCalendar(db, clock), work: new EmbeddedWorkQueue(db), timeline, pruning: new EmbeddedLedgerPruning(db), unitOfWork: new EmbeddedUnitOfWork(db), async close() {} };
  const driver = new TimelineDriver(services, timeline, 'sim');
  await driver.run(); // cold start
  let woken = 0;
  const days = 7;
  for (let h = 1; h <= days * 24; h++) {
    t = NOW + h * 3_600_000;
    woken += (await driver.run()).cycle.woken;
  }
  db.close();
  return { perDay: woken / days / SIM_RELATIONSHIPS, days };
}

const fit = (xs: number[], ys: number[], x: number) => {
  const slope = (ys[1]! - ys[0]!) / (xs[1]! - xs[0]!);
  return ys[0]! + slope * (x - xs[0]!);
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-GB');

async function main() {
  fake = await FakeGraph.start();
  const azurite = await startAzurite();
  try {
    const m: Awaited<ReturnType<typeof measure>>[] = [];
    for (const n of SIZES) m.push(await measure(n, azurite));
    const wakes = await dueWakesPerRelationshipDay();
    const at = (pick: (x: (typeof m)[number]) => number) => fit(SIZES, m.map(pick), TARGET);

    // Today: every job run (a minute) sweeps everyone.
    const today = { sp: at((x) => x.todayMinute.requests) * 60, ru: at((x) => x.todayMinute.ru) * 60, graph: at((x) => x.todayMinute.graph) * 60 };
    // #16: idle runs, plus the wake-ups (due times and changes), plus the daily sweep spread over the day.
    const wakesPerHour = (wakes.perDay * TARGET + CHANGES_PER_DAY) / 24;
    const perWake = (pick: (x: (typeof m)[number]) => number) => m.map((x) => pick(x) / x.wakeCost.woken).reduce((a, b) => a + b, 0) / m.length;
    // The idle run's and the daily sweep's reads are list queries: at the target size they take more pages
    // (LIST_PAGE items each), which the two small sizes (one page each) cannot show: counted per page here.
    const last = m[m.length - 1]!;
    const listedAtTarget = (last.listedRecent * TARGET) / last.n;
    const listingPages = Math.ceil(listedAtTarget / LIST_PAGE);
    // Each listing of sessions counted (one page at these sizes) reads listingPages at the target size.
    const atTargetPages = (c: { requests: number; sessionListings: number }) => c.requests - c.sessionListings + c.sessionListings * listingPages;
    const idleAtTarget = atTargetPages(last.idleMinute);
    const sweepAtTarget = last.sweepCost.requests * Math.ceil(TARGET / LIST_PAGE);
    const catchUpAtTarget = atTargetPages(last.catchUpCost);
    const next = {
      sp: idleAtTarget * 60 + wakesPerHour * perWake((x) => x.wakeCost.requests) + (sweepAtTarget + catchUpAtTarget) / 24,
      ru: idleAtTarget * 2 * 60 + wakesPerHour * perWake((x) => x.wakeCost.ru) + ((sweepAtTarget + catchUpAtTarget) * 2) / 24,
      graph: at((x) => x.idleMinute.graph) * 60 + wakesPerHour * perWake((x) => x.wakeCost.graph),
    };
    const lines = [
      `Tenant budget: ${STAFF.toLocaleString('en-GB')} staff, ${TARGET.toLocaleString('en-GB')} relationships, ${CHANGES_PER_DAY} relationships changing a day; job runs every minute`,
      `SharePoint budget (per app, ${SHAREPOINT_BUDGET.licences} licences): ${SHAREPOINT_BUDGET.ruPerMinute.toLocaleString('en-GB')} RU/minute, ${SHAREPOINT_BUDGET.ruPer24Hours.toLocaleString('en-GB')} RU/24 h = ${fmt(RU_PER_HOUR)} RU/hour sustained`,
      '',
      `Counted per job run (real adapters over the fake Graph/SharePoint; Azure on Azurite):`,
      ...m.map((x) => `  ${String(x.n).padStart(4)} relationships: today ${x.todayMinute.requests} SharePoint requests (${x.todayMinute.ru} RU), ${x.todayMinute.graph} Graph | #16 idle run ${x.idleMinute.requests} SharePoint (${x.idleMinute.ru} RU; ${x.idleMinute.sessionListings} listings of sessions), ${x.idleMinute.graph} Graph; per wake-up ${(x.wakeCost.requests / x.wakeCost.woken).toFixed(1)} SharePoint, ${(x.wakeCost.graph / x.wakeCost.woken).toFixed(1)} Graph; daily sweep ${x.sweepCost.requests} SharePoint; daily record-form catch-up ${x.catchUpCost.requests} SharePoint (${x.catchUpCost.sessionListings} listings of sessions)`),
      `Wake-ups from due times (measured: ${SIM_RELATIONSHIPS.toLocaleString('en-GB')} relationships, ${wakes.days} simulated days, hourly): ${wakes.perDay.toFixed(3)} per relationship per day → ${fmt(wakes.perDay * TARGET)} a day at ${TARGET.toLocaleString('en-GB')}, plus ${CHANGES_PER_DAY} changes = ${wakesPerHour.toFixed(1)} an hour`,
      '',
      `At ${TARGET.toLocaleString('en-GB')}: an idle #16 run makes ${fmt(idleAtTarget)} SharePoint requests (${last.idleMinute.sessionListings} listings of sessions, measured); the daily sweep reads ${sweepAtTarget} pages; the daily record-form catch-up lists ${fmt(listedAtTarget)} sessions (${listingPages} pages of ${LIST_PAGE}), ${fmt(catchUpAtTarget)} SharePoint requests`,
      `Steady state, per hour, at ${TARGET.toLocaleString('en-GB')} relationships (linear from the two sizes):`,
      `  ${'design'.padEnd(44)} ${'SharePoint req/h'.padStart(16)} ${'RU/h'.padStart(12)} ${'% budget'.padStart(9)} ${'Graph req/h'.padStart(12)}`,
      `  ${"today (SharePoint durable work, sweep every run)".padEnd(44)} ${fmt(today.sp).padStart(16)} ${fmt(today.ru).padStart(12)} ${((today.ru / RU_PER_HOUR) * 100).toFixed(1).padStart(8)}% ${fmt(today.graph).padStart(12)}`,
      `  ${'#16 (Azure durable work, relationship timelines)'.padEnd(44)} ${fmt(next.sp).padStart(16)} ${fmt(next.ru).padStart(12)} ${((next.ru / RU_PER_HOUR) * 100).toFixed(1).padStart(8)}% ${fmt(next.graph).padStart(12)}`,
      `  (calendar reconciliation's Graph requests are the same in both: bench/reconcile-requests.bench.ts)`,
      '',
      `SharePoint requests/hour: ${fmt(next.sp)} (${((next.ru / RU_PER_HOUR) * 100).toFixed(1)} % of budget)`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await azurite.stop();
    fake.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
