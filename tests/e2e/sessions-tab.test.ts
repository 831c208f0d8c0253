/**
 * Issue #17: a session rescheduled from the tab. One occurrence of a series
 * moves to a common free time; both calendars show it there; the series stays
 * one series (its other occurrences untouched); the reconciler leaves it be.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { openDatabase, type Db } from '../../src/adapters/embedded/db';
import { EmbeddedCalendar } from '../../src/adapters/embedded/calendar';
import { launchBrowser } from '../support/browser';
import { runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(180_000);

let app: AppProcess;
let browser: Browser;
let db: Db;
let calendar: EmbeddedCalendar;

interface Row { id: string; start: string; end: string; status: string; series_id: string | null; calendar_event_id: string }
const sessions = (rel: string) => db.prepare('SELECT * FROM sessions WHERE relationship_id = ? ORDER BY start').all(rel) as unknown as Row[];

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ playground: false, env: { PT_JOB_INTERVAL_SECONDS: '3600' } }), launchBrowser()]);
  db = openDatabase(path.join(app.dataDir, 'protected-time.sqlite'));
  calendar = new EmbeddedCalendar(db, { now: () => new Date() });
});

afterAll(async () => {
  db?.close();
  await browser?.close();
  await app?.stop();
});

it('Daniel moves one occurrence of Sam’s series from the tab: both calendars updated, the series intact', async () => {
  const all = sessions('rel-daniel-sam');
  const before = all.filter((s) => s.status === 'planned');
  const target = before[1]!;
  expect(target.series_id).toBeTruthy();
  const page = await browser.newPage({ viewport: { width: 375, height: 900 } });
  await page.addInitScript(() => window.localStorage.setItem('pt.localUser', 'daniel-okafor'));
  await page.goto(`${app.url}/tab/#/sessions/${encodeURIComponent(target.id)}`);
  await page.getByRole('heading', { name: 'Supervision session' }).waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Find common free times' }).click();
  const slots = page.getByTestId('slots').getByRole('radio');
  await slots.first().waitFor({ timeout: 20_000 });
  // Both people's busy times are shown while choosing.
  await page.getByText('Busy times (both calendars)').click();
  await expect(page.getByText('Sam Patel', { exact: true }).count()).resolves.toBeGreaterThan(0);
  await slots.first().check();
  await page.getByRole('button', { name: 'Move to this time' }).click();
  await page.getByTestId('session-notice').waitFor({ timeout: 20_000 });
  // Nothing scrolls sideways at 375 px on this page either.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

  const after = sessions('rel-daniel-sam');
  const moved = after.find((s) => s.id === target.id)!;
  expect(moved.status).toBe('planned');
  expect(moved.start).not.toBe(target.start);
  expect(moved.series_id).toBe(target.series_id);
  // The other occurrences are unchanged: same ids, same times, still one series.
  const others = (rows: Row[]) => rows.filter((s) => s.id !== target.id && s.series_id === target.series_id).map((s) => `${s.id}|${s.start}|${s.status}`);
  expect(others(after)).toEqual(others(all));
  for (const person of ['daniel-okafor', 'sam-patel']) {
    const atNew = await calendar.listEvents(person, { start: moved.start, end: moved.end });
    expect(atNew.filter((e) => e.appTag === target.series_id || e.appTag === target.id).map((e) => e.start)).toEqual([moved.start]);
    const atOld = await calendar.listEvents(person, { start: target.start, end: target.end });
    expect(atOld.filter((e) => e.appTag === target.series_id || e.appTag === target.id)).toHaveLength(0);
  }
  // The reconciler sees the move as ours: nothing cancelled, nothing rebooked.
  await fetch(`${app.url}/api/dev/jobs/run`, { method: 'POST' });
  const reconciled = sessions('rel-daniel-sam');
  expect(reconciled.find((s) => s.id === target.id)).toMatchObject({ status: 'planned', start: moved.start });
  expect(reconciled.filter((s) => s.id.startsWith('rb-'))).toHaveLength(0);

  // The month view lists it.
  const month = moved.start.slice(0, 7);
  await page.goto(`${app.url}/tab/#/sessions?month=${month}`);
  await page.reload();
  await page.locator(`[data-session="${target.id}"]`).waitFor({ timeout: 20_000 });
  await page.close();
});
