/**
 * Issue #17 end to end: every path ends where the person can act.
 * - A card error keeps the card and what was typed ("Keep it cancelled" with no reason).
 * - The line manager opens the disputed record from her card's link (and the read is audited).
 * - Every digest item names its person, in plain words (no ISO dates or durations).
 * - After one snooze, the rest stay visible in the to-do view.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { cardWith, openPlayground } from '../support/playground';
import { runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(240_000);

let app: AppProcess;
let browser: Browser;
const pages: Record<string, Page> = {};
const SEED_NAMES = ['Sam Patel', 'Daniel Okafor', 'Amira Hussain', 'Joe Bennett', 'Tom Reynolds', 'Grace Whitfield', 'Helen Carter', 'Priya Shah'];

const dev = (p: string, body?: unknown) =>
  fetch(`${app.url}/api/dev${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
const apiAs = (personId: string, p: string) => fetch(`${app.url}/api/v1${p}`, { headers: { 'x-pt-local-user': personId } });

function query<T>(sql: string, ...args: string[]): T[] {
  const d = new DatabaseSync(path.join(app.dataDir, 'protected-time.sqlite'), { readOnly: true });
  try {
    return d.prepare(sql).all(...args) as T[];
  } finally {
    d.close();
  }
}

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Signs in to the tab (local picker) on the page's own origin, keeping the URL's fragment. */
async function signInTab(page: Page, personId: string) {
  const picker = page.getByRole('heading', { name: 'Sign in as' });
  const signedIn = page.getByRole('navigation', { name: 'Protected Time' });
  await Promise.race([picker.waitFor({ timeout: 20_000 }), signedIn.waitFor({ timeout: 20_000 })]);
  if (await picker.isVisible()) {
    await page.locator('#sign-in-person').selectOption(personId);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
}

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ env: { PT_JOB_INTERVAL_SECONDS: '3600', PT_PLAYGROUND_AS: 'sam-patel,daniel-okafor,helen-carter' } }), launchBrowser()]);
  for (const [id, first] of [['sam-patel', 'Sam'], ['daniel-okafor', 'Daniel'], ['helen-carter', 'Helen']] as const) {
    pages[id] = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
    await openPlayground(pages[id]!, app.playgrounds[id]!);
    await pages[id]!.getByText(`Hello ${first}, I'm Protected Time.`).waitFor({ timeout: 30_000 });
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it('a card error keeps the card and its inputs: "Keep it cancelled" without a reason, then with one', async () => {
  const me = await (await apiAs('sam-patel', '/me')).json();
  const target = (me.upcoming as { id: string }[])[1]!;
  await dev('/calendar/cancel', { sessionId: target.id });
  await dev('/jobs/run');
  const daniel = pages['daniel-okafor']!;
  const rebooked = cardWith(daniel, 'Supervision rebooked');
  await rebooked.waitFor({ timeout: 30_000 });
  await rebooked.getByRole('button', { name: 'Keep it cancelled' }).click();
  await daniel.getByText('Please give a reason for keeping it cancelled').waitFor({ timeout: 30_000 });
  // Still the same card, with its input and buttons.
  const input = rebooked.getByLabel(/Or keep it cancelled: reason/);
  await input.fill('Both on leave that week');
  await rebooked.getByRole('button', { name: 'Keep it cancelled' }).click();
  await cardWith(daniel, 'Supervision cancelled').waitFor({ timeout: 30_000 });
  // The pack says who is told: the supervisor's line manager hears of it too.
  await cardWith(pages['helen-carter']!, 'Supervision kept cancelled').waitFor({ timeout: 30_000 });
});

it('the line manager opens the disputed record from her card’s link; the read is audited', async () => {
  const [session] = (await (await apiAs('sam-patel', '/me')).json()).upcoming as { id: string; end: string }[];
  await dev('/clock', { to: new Date(Date.parse(session!.end) + 5 * 60_000).toISOString() });
  await dev('/jobs/run');
  const sam = pages['sam-patel']!;
  const form = cardWith(sam, 'Reflective supervision record');
  await form.waitFor({ timeout: 30_000 });
  await form.getByLabel('Experience: what happened? (required)').fill('Session for the disagreement path');
  await form.getByLabel('Reflection: what did it feel like, what does it mean? (required)').fill('r');
  await form.getByLabel('Analysis: what do we know, what are the risks and strengths? (required)').fill('a');
  await form.getByLabel('Action planning: what needs to happen? (required)').fill('p');
  await form.getByRole('button', { name: 'Submit for countersignature' }).click();
  const daniel = pages['daniel-okafor']!;
  const countersign = cardWith(daniel, 'Please countersign');
  await countersign.waitFor({ timeout: 30_000 });
  await countersign.getByLabel(/Comment/).fill('DISPUTE-MARKER: the analysis misses the school’s concerns');
  await countersign.getByRole('button', { name: 'Record disagreement' }).click();

  const helen = pages['helen-carter']!;
  const notice = cardWith(helen, 'A supervision record has a recorded disagreement');
  await notice.waitFor({ timeout: 30_000 });
  // The Playground opens a card's link with window.open: catch the URL it is given, as Teams would follow it.
  await helen.evaluate(() => {
    (window as unknown as { open: (u: string) => null }).open = (u: string) => {
      (window as unknown as { __opened: string }).__opened = String(u);
      return null;
    };
  });
  await notice.getByRole('link', { name: 'Open in Protected Time' }).click();
  const link = await until('the card link', () => helen.evaluate(() => (window as unknown as { __opened?: string }).__opened));
  expect(new URL(link).hash).toMatch(/^#\/records\/rec-/);
  const popup = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
  await popup.goto(link);
  await signInTab(popup, 'helen-carter');
  await popup.getByTestId('disagreement-text').waitFor({ timeout: 20_000 });
  await expect(popup.getByTestId('disagreement-text').textContent()).resolves.toContain('DISPUTE-MARKER');
  // A reload keeps the page.
  await popup.reload();
  await popup.getByTestId('disagreement-text').waitFor({ timeout: 20_000 });
  const recordId = decodeURIComponent(new URL(popup.url()).hash.split('/')[2]!);
  const reads = query<{ actor_id: string; detail: string }>("SELECT actor_id, detail FROM audit_log WHERE subject_id = ? AND action = 'record-read'", recordId);
  expect(reads.some((r) => r.actor_id === 'helen-carter' && r.detail.includes('asked-to-resolve'))).toBe(true);
  // Her records list has it too; someone the policy does not ask still cannot read it.
  const list = await (await apiAs('helen-carter', '/records')).json();
  expect(list.records.map((r: { id: string }) => r.id)).toContain(recordId);
  expect([403, 404]).toContain((await apiAs('grace-whitfield', `/records/${recordId}`)).status);
  await popup.close();
});

it('every digest item names its person in plain words; after one snooze the rest stay in the to-do view', async () => {
  // A working morning a few weeks on: Daniel owes records, agreements and bookings for several people.
  const now = new Date((await (await fetch(`${app.url}/api/dev/clock`)).json()).now);
  const later = new Date(now.getTime() + 21 * 86_400_000);
  while ([0, 6].includes(later.getUTCDay())) later.setUTCDate(later.getUTCDate() + 1);
  later.setUTCHours(10, 0, 0, 0);
  await dev('/clock', { to: later.toISOString() });
  await dev('/jobs/run');
  await dev('/jobs/run');
  const daniel = pages['daniel-okafor']!;
  const digest = cardWith(daniel, 'your supervision digest');
  await digest.waitFor({ timeout: 30_000 });
  const items = digest.locator('.ac-container').filter({ has: daniel.getByRole('button', { name: 'Snooze a week' }) });
  const texts = await until('digest items', async () => {
    const all = await digest.locator('.ac-textBlock').allTextContents();
    return all.length > 2 ? all : undefined;
  });
  const body = texts.join('\n');
  expect(body).not.toMatch(/\bP\d+[DWMY]\b/);
  expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  const snoozeButtons = digest.getByRole('button', { name: 'Snooze a week' });
  const count = await snoozeButtons.count();
  expect(count).toBeGreaterThan(1);
  // Each item's title (bold line) names someone.
  const titles = (await digest.locator('.ac-textBlock strong, .ac-textBlock b, .ac-textBlock p strong').allTextContents()).filter((t) => t.trim());
  const itemTitles = titles.length >= count ? titles.slice(-count) : titles;
  expect(itemTitles.length).toBeGreaterThan(1);
  for (const t of itemTitles) expect(SEED_NAMES.some((n) => t.includes(n))).toBe(true);
  void items;

  const before = await (await apiAs('daniel-okafor', '/todo')).json();
  await snoozeButtons.first().click();
  await cardWith(daniel, 'Snoozed').waitFor({ timeout: 30_000 });

  const tab = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
  await tab.goto(`${app.url}/tab/#/todo`);
  await signInTab(tab, 'daniel-okafor');
  await tab.getByRole('heading', { name: 'To do', exact: true }).waitFor({ timeout: 20_000 });
  const rows = tab.getByTestId('todo-item');
  await rows.first().waitFor({ timeout: 20_000 });
  expect(await rows.count()).toBe(before.items.length);
  await tab.getByText(/Reminders snoozed until/).first().waitFor();
  for (const t of await rows.allTextContents()) expect(SEED_NAMES.some((n) => t.includes(n))).toBe(true);
  await tab.close();
});
