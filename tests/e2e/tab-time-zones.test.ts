/**
 * The tab shows every date in the zone of the pack it concerns, whatever the
 * browser's own zone: with the Westmorland pack (Sam and Daniel's) moved to
 * Kolkata (UTC+5:30, so no hour of it matches London's), and Chromium itself
 * in Los Angeles, the home page and a session's page show Kolkata times.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { ROOT, runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(180_000);

const PACK_ZONE = 'Asia/Kolkata';
let app: AppProcess;
let browser: Browser;
let policyDir: string;

beforeAll(async () => {
  // A copy of the shipped packs, the Westmorland one in another zone.
  policyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-packs-'));
  for (const f of fs.readdirSync(path.join(ROOT, 'policies'))) fs.copyFileSync(path.join(ROOT, 'policies', f), path.join(policyDir, f));
  const file = path.join(policyDir, 'westmorland-furness-scp.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), timeZone: PACK_ZONE }, null, 2));
  [app, browser] = await Promise.all([runApp({ playground: false, env: { PT_JOB_INTERVAL_SECONDS: '3600', PT_POLICY_DIR: policyDir } }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  fs.rmSync(policyDir, { recursive: true, force: true });
});

const words = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).setLocale('en-GB');
const day = (iso: string, zone: string) => words(iso, zone).toFormat('ccc d LLL yyyy');
const time = (iso: string, zone: string) => words(iso, zone).toFormat('HH:mm');

it('the home page and a session page show the pack’s local times, not London’s or the browser’s', async () => {
  const me = (await (await fetch(`${app.url}/api/v1/me`, { headers: { 'x-pt-local-user': 'daniel-okafor' } })).json()) as {
    upcoming: { id: string; start: string; end: string; relationshipId: string; timeZone: string }[];
  };
  const session = me.upcoming.find((s) => s.relationshipId === 'rel-daniel-sam')!;
  expect(session.timeZone).toBe(PACK_ZONE);
  const expected = `${day(session.start, PACK_ZONE)}, ${time(session.start, PACK_ZONE)}–${time(session.end, PACK_ZONE)}`;
  expect(time(session.start, PACK_ZONE)).not.toBe(time(session.start, 'Europe/London'));

  const context = await browser.newContext({ timezoneId: 'America/Los_Angeles', viewport: { width: 1024, height: 900 } });
  const page = await context.newPage();
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/Los_Angeles');
  await page.addInitScript(() => window.localStorage.setItem('pt.localUser', 'daniel-okafor'));

  await page.goto(`${app.url}/tab/#/sessions/${encodeURIComponent(session.id)}`);
  const when = page.getByTestId('session-when');
  await when.waitFor({ timeout: 20_000 });
  // Chromium's ICU writes "Wed, 9 Dec" where Node's writes "Wed 9 Dec": the comma is not what is tested.
  expect((await when.textContent())?.replace(/^(\w{3}),/, '$1')).toBe(expected);

  await page.goto(`${app.url}/tab/#/mine`);
  const row = page.getByTestId('upcoming').getByRole('row').filter({ hasText: time(session.start, PACK_ZONE) }).first();
  await row.waitFor({ timeout: 20_000 });
  expect((await row.textContent())?.replace(/(\w{3}),/g, '$1')).toContain(day(session.start, PACK_ZONE));
  expect(await row.textContent()).toContain(`${time(session.start, PACK_ZONE)}–${time(session.end, PACK_ZONE)}`);
  await context.close();
});
