/**
 * Issue #7 end to end (local mode): with the test clock advanced, a seed
 * supervisee whose record is overdue gets exactly one digest in their Agents
 * Playground; a week later the supervisor gets the escalation (the policy's
 * second step); after a restart nothing is sent again.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { cardWith, openPlayground } from '../support/playground';
import { runApp, type AppProcess } from '../support/runApp';
import { until } from '../support/wait';

jest.setTimeout(180_000);

const ENV = { PT_PLAYGROUND_AS: 'tom-reynolds,grace-whitfield', PT_JOB_INTERVAL_SECONDS: '3600' };
let app: AppProcess;
let browser: Browser;
const pages: Record<string, Page> = {};

const dev = (a: AppProcess, p: string, body?: unknown) =>
  fetch(`${a.url}/api/dev${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());

async function openAll(a: AppProcess) {
  for (const [id, first] of [['tom-reynolds', 'Tom'], ['grace-whitfield', 'Grace']] as const) {
    pages[id] = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
    await openPlayground(pages[id]!, a.playgrounds[id]!);
    await pages[id]!.getByText(`Hello ${first}, I'm Protected Time.`).waitFor({ timeout: 30_000 });
  }
}

/**
 * The digests in the outbox, each 'done' (sent) or 'waiting' (not in flight: seed people without a
 * Playground have no chat with the bot, so their digests wait to be retried, never marked done).
 */
function digestsQueued(a: AppProcess): { key: string; status: 'done' | 'waiting' | 'in-flight' }[] {
  const db = new DatabaseSync(path.join(a.dataDir, 'protected-time.sqlite'), { readOnly: true });
  try {
    const rows = db.prepare("SELECT key, status, last_error, lease_owner FROM outbox WHERE kind = 'digest' ORDER BY key").all() as { key: string; status: string; last_error: string | null; lease_owner: string | null }[];
    return rows.map((r) => ({ key: r.key, status: r.status === 'done' ? 'done' : r.lease_owner === null && (r.last_error ?? '').startsWith('unreachable') ? 'waiting' : 'in-flight' }));
  } finally {
    db.close();
  }
}
const settled = (d: { status: string }) => d.status !== 'in-flight';

const digestCards = (page: Page) => page.locator('.ac-adaptiveCard').filter({ hasText: 'your supervision digest' });

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ env: ENV }), launchBrowser()]);
  await openAll(app);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it('one digest to the supervisee when the record is overdue; the supervisor at the escalation step; nothing again after a restart', async () => {
  const me = await (await fetch(`${app.url}/api/v1/me`, { headers: { 'x-pt-local-user': 'tom-reynolds' } })).json();
  const session = me.upcoming[0] as { start: string; end: string };
  // Staffordshire: the supervisee records within 1 working day. Two days later, 10:00 London, the record is overdue.
  const twoDaysLater = new Date(Date.parse(session.end) + 2 * 86_400_000);
  twoDaysLater.setUTCHours(10, 0, 0, 0);
  await dev(app, '/clock', { to: twoDaysLater.toISOString() });
  for (let i = 0; i < 3; i++) await dev(app, '/jobs/run');

  const tom = pages['tom-reynolds']!;
  const digest = cardWith(tom, 'your supervision digest');
  await digest.waitFor({ timeout: 30_000 });
  await expect(digest.textContent()).resolves.toContain('Write the record of your session with Grace Whitfield');
  // State, not time: every digest queued so far has been sent, so no second one is on its way.
  await until('the queued digests to be sent', () => (digestsQueued(app).every(settled) ? true : undefined));
  expect(digestsQueued(app).filter((d) => d.key.startsWith('tom-reynolds|'))).toEqual([expect.objectContaining({ status: 'done' })]);
  expect(await digestCards(tom).count()).toBe(1);
  expect(await digestCards(pages['grace-whitfield']!).count()).toBe(0);

  // A week later: the policy's second step tells the supervisor.
  await dev(app, '/clock', { to: new Date(twoDaysLater.getTime() + 7 * 86_400_000).toISOString() });
  await dev(app, '/jobs/run');
  const graceDigest = cardWith(pages['grace-whitfield']!, 'your supervision digest');
  await graceDigest.waitFor({ timeout: 30_000 });
  await expect(graceDigest.textContent()).resolves.toMatch(/Escalated to you[\s\S]*Record of the session with Tom Reynolds on .* \(Tom Reynolds to write\)/);

  // Restart at the same simulated time: nothing new is queued or sent.
  const before = digestsQueued(app);
  expect(before.every(settled)).toBe(true);
  await app.stop();
  app = await runApp({ env: ENV, dataDir: app.dataDir });
  await openAll(app);
  for (let i = 0; i < 3; i++) await dev(app, '/jobs/run');
  // /jobs/run answers after the jobs (and their sends) finish: nothing new was queued, so nothing was sent.
  expect(digestsQueued(app)).toEqual(before);
  expect(await digestCards(pages['tom-reynolds']!).count()).toBe(0);
  expect(await digestCards(pages['grace-whitfield']!).count()).toBe(0);
});
