/**
 * Graph requests per reconcile cycle: `node scripts/run-ts.js bench/reconcile-requests.bench.ts [--cycles 3]`.
 *
 * 1,000 individual supervision relationships: 1,000 supervisors and 1,000
 * supervisees, 2,000 mailboxes. A cycle is one run of the reconcile job
 * (PT_JOB_INTERVAL_SECONDS, 60 s by default). In each measured cycle a fixed
 * share of the mailboxes (0 %, 2 %, 10 %) has a calendar change, chosen by a
 * seeded shuffle. Every figure is a count of requests the real adapters send
 * to a counting fake Graph (tests/support/fakeGraph.ts over node:http), so
 * the results are the same on every machine and every run; nothing is timed.
 *
 *  (a) polling: the reconciler reads every supervisor's calendarView
 *      (GraphCalendar.listEvents, $top=100, paged), every cycle;
 *  (b) delta for everyone: a calendarView delta round per mailbox every cycle,
 *      20 to a $batch (GraphChangeFeed with sweepEveryMs 0), then listEvents
 *      only for the relationships of the people whose delta changed;
 *  (c) change notifications: Graph posts to the webhook (no Graph request);
 *      a delta round only for the notified people, batched, then listEvents for
 *      their relationships; plus, amortised over the cycles between them, the
 *      hourly delta sweep of everyone and the subscription renewals.
 *
 * Calendars: each mailbox has a steady density of 0.6 to 3 events a day
 * (seeded), so a 98-day reconcile window holds ~60 to ~300 events (1 to 3
 * pages) and the 408-day delta window ~250 to ~1,200. A changed mailbox's
 * delta returns 1 to 3 items. Event bodies are minimal (real ones are larger),
 * so byte counts understate the polling baseline most.
 *
 * "HTTP" counts requests on the wire (a $batch is one); "ops" counts the
 * requests Graph executes (each inner request of a $batch is one, and counts
 * against throttling limits on its own).
 */
import { createLogger } from '../src/logging';
import { staticTokenSource } from '../src/adapters/graph/graphAuth';
import { GraphCalendar, type GraphUserRef } from '../src/adapters/graph/graphCalendar';
import { GraphChangeFeed } from '../src/adapters/graph/graphChangeFeed';
import { GraphHttp } from '../src/adapters/graph/graphHttp';
import { DEFAULT_LIFETIME_MINUTES, DEFAULT_RENEW_WITHIN_MINUTES, GraphSubscriptionManager } from '../src/adapters/graph/subscriptions';
import { InMemorySubscriptionRegistry } from '../src/ports/subscriptions';
import { GraphNotificationReceiver } from '../src/adapters/graph/notificationReceiver';
import { FakeGraph } from '../tests/support/fakeGraph';
import { random } from './random';

const RELATIONSHIPS = 1_000;
const RATES = [0, 0.02, 0.1];
const CYCLE_MS = 60_000;
const SWEEP_EVERY_MS = 3_600_000;
const PAGE = 100;
const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const TENANT = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
const DAY = 86_400_000;
const RECONCILE_WINDOW = { start: new Date(T0 - 8 * DAY).toISOString(), end: new Date(T0 + 90 * DAY).toISOString() };

const args = process.argv.slice(2);
const CYCLES = Number(args[args.indexOf('--cycles') + 1]) || 3;

// ---- the organisation ------------------------------------------------------------------

interface Mailbox {
  personId: string;
  user: GraphUserRef;
  relationship: number;
  perDay: number;
}
const rnd = random(20261123);
const mailboxes: Mailbox[] = [];
for (let i = 0; i < RELATIONSHIPS; i++) {
  for (const [prefix, n] of [['sup', 1], ['see', 2]] as const) {
    const hex = String(i).padStart(8, '0');
    mailboxes.push({
      personId: `${prefix}-${i}`,
      user: { id: `${hex}-000${n}-4000-8000-000000000000`, mail: `${prefix}${i}@contoso.example` },
      relationship: i,
      perDay: 0.6 + rnd() * 2.4,
    });
  }
}
const byPerson = new Map(mailboxes.map((m) => [m.personId, m]));
const byUserId = new Map(mailboxes.map((m) => [m.user.id, m]));
const everyone = mailboxes.map((m) => m.personId);
const resolveUser = async (personId: string) => byPerson.get(personId)!.user;

/** The mailboxes with a change in a cycle: round(rate × 2,000), by a seeded shuffle. */
function changedIn(cycle: number, rate: number): Set<string> {
  const r = random(cycle * 7919 + Math.round(rate * 1000));
  const ids = [...everyone];
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return new Set(ids.slice(0, Math.round(rate * ids.length)));
}

// ---- the fake Graph ----------------------------------------------------------------------

function event(m: Mailbox, k: number, windowStart: number): Record<string, unknown> {
  // Graph's wall-clock form in UTC: "2026-11-24T09:00:00.0000000".
  const start = `${new Date(windowStart + Math.floor(k / m.perDay) * DAY + 9 * 3_600_000).toISOString().slice(0, 19)}.0000000`;
  return {
    id: `AAMk-${m.personId}-${k}=`,
    type: 'singleInstance',
    subject: 'Busy',
    start: { dateTime: start, timeZone: 'UTC' },
    end: { dateTime: start, timeZone: 'UTC' },
    isCancelled: false,
    showAs: 'busy',
    sensitivity: 'normal',
    responseStatus: { response: 'organizer' },
    attendees: [],
  };
}

const countIn = (m: Mailbox, start: string, end: string) => Math.max(1, Math.round((m.perDay * (Date.parse(end) - Date.parse(start))) / DAY));
let changedNow = new Set<string>();
const subscriptionSecrets = new Map<string, string>();
let madeSubscriptions = 0;

function script(fake: FakeGraph): void {
  fake.on('GET', /^\/users\/[^/]+\/calendarView$/, (req) => {
    const m = byUserId.get(req.path.split('/')[2]!)!;
    const { startDateTime, endDateTime } = req.query as Record<string, string>;
    const total = countIn(m, startDateTime!, endDateTime!);
    const skip = Number(req.query.$skip ?? 0);
    const top = Number(req.query.$top ?? 10);
    const value = Array.from({ length: Math.min(top, total - skip) }, (_, k) => event(m, skip + k, Date.parse(startDateTime!)));
    const more = skip + top < total;
    const next = `${fake.baseUrl}/users/${m.user.id}/calendarView?startDateTime=${encodeURIComponent(startDateTime!)}&endDateTime=${encodeURIComponent(endDateTime!)}&$top=${top}&$skip=${skip + top}`;
    return { body: { value, ...(more ? { '@odata.nextLink': next } : {}) } };
  });
  fake.on('GET', /^\/users\/[^/]+\/calendarView\/delta$/, (req) => {
    const m = byUserId.get(req.path.split('/')[2]!)!;
    const link = (q: string) => `${fake.baseUrl}/users/${m.user.id}/calendarView/delta?${q}`;
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(req.headers.prefer ?? '')?.[1] ?? PAGE);
    const { startDateTime, endDateTime, $skiptoken, $deltatoken } = req.query as Record<string, string>;
    if ($deltatoken !== undefined) {
      const value = changedNow.has(m.personId) ? Array.from({ length: 1 + (m.relationship % 3) }, (_, k) => event(m, k, T0)) : [];
      return { body: { value, '@odata.deltaLink': link(`$deltatoken=${m.personId}.${Date.now()}`) } };
    }
    // A first round: everything in the window, paged; the window rides in the skiptoken.
    const [from, to, offset] = $skiptoken ? $skiptoken.split('_') : [startDateTime!, endDateTime!, '0'];
    const total = countIn(m, from!, to!);
    const at = Number(offset);
    const value = Array.from({ length: Math.min(pageSize, total - at) }, (_, k) => event(m, at + k, Date.parse(from!)));
    const more = at + pageSize < total;
    return { body: { value, ...(more ? { '@odata.nextLink': link(`$skiptoken=${from}_${to}_${at + pageSize}`) } : { '@odata.deltaLink': link('$deltatoken=first') }) } };
  });
  fake.on('POST', '/subscriptions', (req) => {
    const body = req.body as { clientState: string; expirationDateTime: string; resource: string };
    const id = `${String(++madeSubscriptions).padStart(8, '0')}-5ab5-4000-8000-000000000000`;
    subscriptionSecrets.set(id, body.clientState);
    return { status: 201, body: { id, resource: body.resource, changeType: 'created,updated,deleted', expirationDateTime: body.expirationDateTime } };
  });
  fake.on('PATCH', /^\/subscriptions\/[^/]+$/, (req) => ({ body: { id: req.path.split('/')[2], expirationDateTime: (req.body as { expirationDateTime: string }).expirationDateTime } }));
}

// ---- counting ----------------------------------------------------------------------------

interface Count {
  http: number;
  ops: number;
  bytes: number;
}
const wire = { bytes: 0 };
const countingFetch: typeof fetch = async (input, init) => {
  if (typeof init?.body === 'string') wire.bytes += Buffer.byteLength(init.body);
  const res = await fetch(input, init);
  const buf = Buffer.from(await res.arrayBuffer());
  wire.bytes += buf.length;
  return new Response(buf.length > 0 ? buf : null, { status: res.status, headers: res.headers });
};

async function measure(fake: FakeGraph, work: () => Promise<unknown>): Promise<Count> {
  const before = { http: fake.httpRequests.length, ops: fake.requests.length, bytes: wire.bytes };
  await work();
  return { http: fake.httpRequests.length - before.http, ops: fake.requests.length - before.ops, bytes: wire.bytes - before.bytes };
}
const add = (a: Count, b: Count): Count => ({ http: a.http + b.http, ops: a.ops + b.ops, bytes: a.bytes + b.bytes });
const scale = (a: Count, k: number): Count => ({ http: a.http * k, ops: a.ops * k, bytes: a.bytes * k });
const ZERO: Count = { http: 0, ops: 0, bytes: 0 };

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

// ---- the scenarios -----------------------------------------------------------------------

async function main(): Promise<void> {
  const fake = await FakeGraph.start();
  script(fake);
  const http = new GraphHttp({ token: staticTokenSource('bench'), baseUrl: fake.baseUrl, fetch: countingFetch, timeoutMs: 60_000 });
  const calendar = new GraphCalendar({ http, resolveUser, resolvePerson: async () => undefined, pageSize: PAGE });
  const log = createLogger('silent');
  const iso = (ms: number) => new Date(ms).toISOString();

  /** What the reconciler reads for the relationships of these people: one listEvents of each supervisor. */
  const reconcileReads = (people: string[]) => pool([...new Set(people.map((p) => byPerson.get(p)!.relationship))], 16, (i) => calendar.listEvents(`sup-${i}`, RECONCILE_WINDOW));

  // (a) polling every supervisor's calendar.
  const polling = await measure(fake, () => reconcileReads(everyone.filter((p) => p.startsWith('sup-'))));

  // (b) delta for everyone, every cycle.
  const deltaRegistry = new InMemorySubscriptionRegistry();
  const deltaFeed = new GraphChangeFeed({ http, registry: deltaRegistry, resolveUser, scope: async () => everyone, sweepEveryMs: 0 });
  changedNow = new Set();
  const deltaFirstSync = await measure(fake, () => deltaFeed.changedPeople(iso(T0)));

  // (c) notifications: subscriptions, a first sync, then the delta of the notified only.
  const registry = new InMemorySubscriptionRegistry();
  const manager = new GraphSubscriptionManager({ http, registry, resolveUser, publicUrl: 'https://pt.contoso.example' });
  const subscribe = await measure(fake, () => manager.maintain(everyone, iso(T0)));
  const subscriptionOf = new Map((await registry.list()).map((r) => [r.personId, r.id]));
  const clock = { current: T0, now() { return new Date(this.current); } };
  const receiver = new GraphNotificationReceiver({ registry, tenantId: TENANT, clock, log, onLifecycle: (id, ev, now) => manager.handleLifecycle(id, ev, now) });
  const notifyFeed = new GraphChangeFeed({ http, registry, resolveUser, scope: async () => everyone, sweepEveryMs: SWEEP_EVERY_MS });
  // The first round is the same as (b)'s: start (c) from (b)'s cursors rather than read every calendar twice.
  await deltaFeed.acknowledge();
  for (const { notifiedAt: _n, syncRequestedAt: _s, ...cursor } of await deltaRegistry.listDelta()) await registry.saveDelta(cursor);
  let webhookPosts = 0;
  const deliver = async (people: Set<string>, at: number) => {
    clock.current = at;
    const value = [...people].map((p) => {
      const subscriptionId = subscriptionOf.get(p)!;
      return { subscriptionId, clientState: subscriptionSecrets.get(subscriptionId)!, changeType: 'updated', resource: `Users/${byPerson.get(p)!.user.id}/Events/AAMk=`, subscriptionExpirationDateTime: iso(at + DAY), tenantId: TENANT };
    });
    // Graph may batch several notifications in a POST; count one POST per 100 as a conservative guess.
    for (let i = 0; i < value.length; i += 100) {
      const outcome = await receiver.receive({ value: value.slice(i, i + 100) }, 'notifications');
      if (outcome.status !== 202 || outcome.accepted !== Math.min(100, value.length - i)) throw new Error('the webhook refused a valid notification');
      webhookPosts += 1;
    }
  };

  const rows: { rate: number; scenario: string; detect: Count; reconcile: Count; amortised: Count; reported: number }[] = [];
  let t = T0;
  for (const rate of RATES) {
    let deltaDetect = ZERO;
    let deltaReconcile = ZERO;
    let notifyDetect = ZERO;
    let notifyReconcile = ZERO;
    let deltaReported = 0;
    let notifyReported = 0;
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      t += CYCLE_MS;
      changedNow = changedIn(cycle, rate);
      let people: string[] = [];
      deltaDetect = add(deltaDetect, await measure(fake, async () => (people = await deltaFeed.changedPeople(iso(t)))));
      deltaReported += people.length;
      deltaReconcile = add(deltaReconcile, await measure(fake, () => reconcileReads(people)));
      await deliver(changedNow, t);
      notifyDetect = add(notifyDetect, await measure(fake, async () => (people = await notifyFeed.changedPeople(iso(t)))));
      notifyReported += people.length;
      notifyReconcile = add(notifyReconcile, await measure(fake, () => reconcileReads(people)));
    }
    rows.push({ rate, scenario: '(a) poll every calendar', detect: ZERO, reconcile: polling, amortised: ZERO, reported: RELATIONSHIPS * 2 });
    rows.push({ rate, scenario: '(b) delta, everyone, batched', detect: scale(deltaDetect, 1 / CYCLES), reconcile: scale(deltaReconcile, 1 / CYCLES), amortised: ZERO, reported: deltaReported / CYCLES });
    rows.push({ rate, scenario: '(c) notifications + delta of changed', detect: scale(notifyDetect, 1 / CYCLES), reconcile: scale(notifyReconcile, 1 / CYCLES), amortised: ZERO, reported: notifyReported / CYCLES });
  }

  // (c)'s background costs: the hourly sweep of everyone, and renewing every subscription once per lifetime less margin.
  changedNow = new Set();
  t += SWEEP_EVERY_MS + CYCLE_MS;
  const sweep = await measure(fake, () => notifyFeed.changedPeople(iso(t)));
  const renewAt = T0 + (DEFAULT_LIFETIME_MINUTES - DEFAULT_RENEW_WITHIN_MINUTES / 2) * 60_000;
  const renewal = await measure(fake, () => manager.maintain(everyone, iso(renewAt)));
  const cyclesPerSweep = SWEEP_EVERY_MS / CYCLE_MS;
  const cyclesPerRenewal = ((DEFAULT_LIFETIME_MINUTES - DEFAULT_RENEW_WITHIN_MINUTES) * 60_000) / CYCLE_MS;
  const amortised = add(scale(sweep, 1 / cyclesPerSweep), scale(renewal, 1 / cyclesPerRenewal));
  for (const row of rows) if (row.scenario.startsWith('(c)')) row.amortised = amortised;
  await fake.close();

  // ---- the report --------------------------------------------------------------------------
  const f = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const kb = (n: number) => `${f(n / 1024, 0)} KB`;
  const ratio = (n: number, base: number) => (n === 0 ? '0' : `${f((n / base) * 100, n / base < 0.01 ? 2 : 1)} %`);
  const header = ['changes/cycle', 'scenario', 'detect HTTP', 'reconcile HTTP', 'amortised HTTP', 'HTTP/cycle', 'vs (a)', 'ops/cycle', 'vs (a)', 'body bytes', 'vs (a)', 'people reported'];
  const table: string[][] = [header];
  for (const row of rows) {
    const total = add(add(row.detect, row.reconcile), row.amortised);
    table.push([
      `${f(row.rate * 100)} % (${f(row.rate * mailboxes.length)})`,
      row.scenario,
      f(row.detect.http, 1),
      f(row.reconcile.http, 1),
      f(row.amortised.http, 2),
      f(total.http, 1),
      ratio(total.http, polling.http),
      f(total.ops, 1),
      ratio(total.ops, polling.ops),
      kb(total.bytes),
      ratio(total.bytes, polling.bytes),
      row.scenario.startsWith('(a)') ? `all ${f(RELATIONSHIPS)} rel.` : f(row.reported, 1),
    ]);
  }
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const out = [
    `Graph requests per reconcile cycle: ${f(RELATIONSHIPS)} relationships, ${f(mailboxes.length)} mailboxes, page size ${PAGE}, 20 per $batch, ${CYCLES} cycles per rate (mean).`,
    '',
    line(table[0]!),
    `|${widths.map((w, c) => (c < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...table.slice(1).map(line),
    '',
    `(c) amortised per cycle: the hourly sweep (${f(sweep.http)} HTTP / ${f(sweep.ops)} ops, every ${f(cyclesPerSweep)} cycles) + renewing all ${f(mailboxes.length)} subscriptions (${f(renewal.http)} HTTP / ${f(renewal.ops)} ops, every ${f(cyclesPerRenewal)} cycles) = ${f(amortised.http, 2)} HTTP, ${f(amortised.ops, 1)} ops.`,
    `One-off: creating ${f(mailboxes.length)} subscriptions ${f(subscribe.http)} HTTP (${f(subscribe.ops)} ops); first delta round of every mailbox (408-day window) ${f(deltaFirstSync.http)} HTTP (${f(deltaFirstSync.ops)} ops, ${kb(deltaFirstSync.bytes)}), the same in (b) and (c).`,
    `Webhook POSTs received in (c) over all measured cycles: ${f(webhookPosts)} (Graph's, not ours; not Graph requests). Baseline (a): ${f(polling.http)} HTTP, ${f(polling.ops)} ops, ${kb(polling.bytes)} per cycle.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
