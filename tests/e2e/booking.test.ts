/**
 * Issue #4 end to end (local mode): a supervisor books a monthly series from the
 * tab in headless Chromium; both embedded calendars hold every occurrence, clear of
 * existing events and bank holidays; a double submit books once; a supervisee
 * cannot book for anyone.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedCalendar } from '../../src/adapters/embedded/calendar';
import { loadPolicies } from '../../src/config/policies';
import { isWorkingDay } from '../../src/domain/time/workingDays';
import { launchBrowser } from '../support/browser';
import { runApp, ROOT, type AppProcess } from '../support/runApp';

jest.setTimeout(120_000);

let app: AppProcess;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ playground: false }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signInAs(page: Page, personId: string) {
  await page.goto(`${app.url}/tab/`);
  await page.locator('#sign-in-person').selectOption(personId);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function calendar() {
  const db = openDatabase(path.join(app.dataDir, 'protected-time.sqlite'));
  return { db, cal: new EmbeddedCalendar(db, { now: () => new Date() }) };
}

it('a supervisor books a monthly series that lands in both calendars, once', async () => {
  const page = await browser.newPage();
  await signInAs(page, 'daniel-okafor');
  await page.getByRole('link', { name: 'People', exact: true }).click();
  await page.getByRole('button', { name: 'Book supervision for Joe Bennett' }).click();
  await expect(page.getByTestId('policy-summary').textContent()).resolves.toMatch(/every month, never more than 3 months apart/);
  await page.getByRole('button', { name: 'Find times' }).click();
  const proposals = page.getByTestId('proposals').getByRole('radio');
  await proposals.first().waitFor();
  // Choose a monthly pattern ("Monthly on the ..."), if offered, else the first.
  const labels = await page.getByTestId('proposals').locator('label').allTextContents();
  const monthly = labels.findIndex((l) => l.startsWith('Monthly'));
  await proposals.nth(monthly >= 0 ? monthly : 0).check();
  const planned = await page.getByTestId('occurrences').locator('li').count();
  expect(planned).toBeGreaterThanOrEqual(11);

  // A double click must not book twice.
  await page.getByRole('button', { name: 'Book this series' }).dblclick();
  await expect(page.getByTestId('booked').textContent()).resolves.toMatch(new RegExp(`(Booked|Already booked): ${planned} sessions`));

  const { db, cal } = calendar();
  try {
    const window = { start: new Date().toISOString(), end: DateTime.now().plus({ months: 13 }).toISO()! };
    const policy = loadPolicies(path.join(ROOT, 'policies')).get('westmorland-furness-scp')!;
    const series = (await cal.listEvents('daniel-okafor', window)).filter((e) => e.attendees.some((a) => a.personId === 'joe-bennett'));
    expect(series).toHaveLength(planned);
    expect(new Set(series.map((e) => e.seriesMasterId)).size).toBe(1);
    for (const e of series) {
      expect(e).toMatchObject({ subject: 'Supervision', sensitivity: 'private', showAs: 'busy' });
      expect(e.joinUrl).toBeTruthy();
      const day = DateTime.fromISO(e.start).setZone('Europe/London').toISODate()!;
      expect(isWorkingDay(day, policy)).toBe(true);
    }
    // Joe sees the same occurrences; neither person has anything else at those times.
    const joes = await cal.listEvents('joe-bennett', window);
    for (const person of ['daniel-okafor', 'joe-bennett']) {
      const others = (await cal.listEvents(person, window)).filter((e) => e.seriesMasterId !== series[0]!.seriesMasterId);
      for (const s of series) expect(others.filter((o) => o.start < s.end && o.end > s.start).map((o) => o.subject)).toEqual([]);
    }
    expect(joes.filter((e) => e.seriesMasterId === series[0]!.seriesMasterId)).toHaveLength(planned);
  } finally {
    db.close();
  }

  // The tab shows the series on the supervisor's own page.
  await page.getByRole('link', { name: 'My supervision', exact: true }).click();
  // The page reloads its data when shown: wait for the table rather than read it at once.
  await page.getByTestId('upcoming').locator('tbody tr', { hasText: 'Joe Bennett' }).first().waitFor({ timeout: 20_000 });
  await page.close();
});

it('the same booking request sent again returns the existing series', async () => {
  const body = { relationshipId: 'rel-daniel-amira', requestKey: 'e2e-repeat-0001' };
  const send = () =>
    fetch(`${app.url}/api/v1/series`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pt-local-user': 'daniel-okafor' }, body: JSON.stringify(body) });
  const [a, b] = await Promise.all([send(), send()]).then((r) => Promise.all(r.map((x) => x.json())));
  const c = await (await send()).json();
  const ids = (x: { sessions: { id: string }[] }) => x.sessions.map((s) => s.id).join();
  expect(ids(a)).toBe(ids(c));
  expect(ids(b)).toBe(ids(c));
  expect(c.duplicate).toBe(true);
});

it('a supervisee cannot book for someone else', async () => {
  const page = await browser.newPage();
  await signInAs(page, 'sam-patel');
  await page.getByRole('link', { name: 'Book', exact: true }).click();
  await page.getByText('There is nobody you can book supervision for.').waitFor();
  const res = await fetch(`${app.url}/api/v1/series`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pt-local-user': 'sam-patel' },
    body: JSON.stringify({ relationshipId: 'rel-daniel-joe', requestKey: 'e2e-sam-tries-1' }),
  });
  // Sam has no view of Joe's arrangement: it answers as a missing one (a party who may not book gets 403).
  expect(res.status).toBe(404);
  await page.close();
});
