/**
 * Issue #6 end to end (local mode): a session cancelled in the embedded calendar
 * (as the organiser would in Outlook) is noticed within the reconcile interval,
 * rebooked into both calendars inside the policy's window, both people get the
 * card in their Agents Playground, and choosing an alternative moves it. When
 * nothing fits, the line manager is told.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openDatabase, type Db } from '../../src/adapters/embedded/db';
import { EmbeddedCalendar } from '../../src/adapters/embedded/calendar';
import { launchBrowser } from '../support/browser';
import { cardWith, openPlayground } from '../support/playground';
import { runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(180_000);
const INTERVAL_SECONDS = 2;

let app: AppProcess;
let browser: Browser;
let db: Db;
let calendar: EmbeddedCalendar;
const pages: Record<string, Page> = {};

interface Row { id: string; start: string; end: string; status: string; calendar_event_id: string; occurrence_start: string | null }

const sessions = (rel: string) => db.prepare('SELECT * FROM sessions WHERE relationship_id = ? ORDER BY start').all(rel) as unknown as Row[];

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ env: { PT_JOB_INTERVAL_SECONDS: String(INTERVAL_SECONDS) } }), launchBrowser()]);
  db = openDatabase(path.join(app.dataDir, 'protected-time.sqlite'));
  calendar = new EmbeddedCalendar(db, { now: () => new Date() });
  for (const [id, first] of [['sam-patel', 'Sam'], ['daniel-okafor', 'Daniel'], ['helen-carter', 'Helen']] as const) {
    pages[id] = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
    await openPlayground(pages[id]!, app.playgrounds[id]!);
    await pages[id]!.getByText(`Hello ${first}, I'm Protected Time.`).waitFor({ timeout: 30_000 });
  }
});

afterAll(async () => {
  db?.close();
  await browser?.close();
  await app?.stop();
});

it('a cancelled occurrence is rebooked in both calendars within the reconcile interval; an alternative can be chosen', async () => {
  const planned = sessions('rel-daniel-sam').filter((s) => s.status === 'planned');
  const target = planned[1]!;
  const cancelledAt = Date.now();
  await calendar.cancelOccurrence('daniel-okafor', target.calendar_event_id, target.occurrence_start ?? undefined, 'Off sick');

  const replacement = await until('the rebooked session', () => sessions('rel-daniel-sam').find((s) => s.id.startsWith('rb-') && s.status === 'planned'));
  const rebookedMs = Date.now() - cancelledAt;
  expect(rebookedMs).toBeLessThan((INTERVAL_SECONDS * 2 + 5) * 1000);
  expect(Math.abs(Date.parse(replacement.start) - Date.parse(target.start)) / 86_400_000).toBeLessThanOrEqual(14);
  for (const person of ['daniel-okafor', 'sam-patel']) {
    const events = await calendar.listEvents(person, { start: replacement.start, end: replacement.end });
    expect(events.filter((e) => e.appTag === replacement.id)).toHaveLength(1);
  }
  const samCard = cardWith(pages['sam-patel']!, 'Supervision rebooked');
  await samCard.waitFor({ timeout: 30_000 });
  await cardWith(pages['daniel-okafor']!, 'Supervision rebooked').waitFor({ timeout: 30_000 });
  process.stdout.write(`rebooking e2e: cancellation → rebooked session in ${rebookedMs} ms (job interval ${INTERVAL_SECONDS} s)\n`);

  // Choose the first alternative offered.
  const alternatives = samCard.locator('button').filter({ hasText: /\d{2}:\d{2}–\d{2}:\d{2}/ });
  expect(await alternatives.count()).toBeGreaterThan(0);
  await alternatives.first().click();
  await cardWith(pages['sam-patel']!, 'Supervision moved').waitFor({ timeout: 30_000 });
  const moved = await until('the session to move', () => sessions('rel-daniel-sam').find((s) => s.id === replacement.id && s.start !== replacement.start));
  const events = await calendar.listEvents('sam-patel', { start: moved.start, end: moved.end });
  expect(events.filter((e) => e.appTag === replacement.id).map((e) => e.start)).toEqual([moved.start]);
});

it('when nothing fits the window, the line manager is told', async () => {
  const planned = sessions('rel-daniel-sam').filter((s) => s.status === 'planned' && !s.id.startsWith('rb-'));
  const target = planned[2]!;
  // Daniel is in court for six weeks around it.
  await calendar.createEvent({
    organiserId: 'daniel-okafor', attendeeIds: [], subject: 'Court', timeZone: 'Europe/London', showAs: 'oof', sensitivity: 'normal',
    start: new Date(Date.parse(target.start) - 21 * 86_400_000).toISOString(), end: new Date(Date.parse(target.start) + 21 * 86_400_000).toISOString(),
    onlineMeeting: false, reminderMinutes: 0, appTag: '', transactionId: 'e2e-court',
  });
  await calendar.cancelOccurrence('daniel-okafor', target.calendar_event_id, target.occurrence_start ?? undefined, '');
  await cardWith(pages['helen-carter']!, 'Supervision could not be rebooked').waitFor({ timeout: 30_000 });
});
