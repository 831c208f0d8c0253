/**
 * Issue 18 end to end (local mode): moves that ask first. Under a pack in
 * `propose` mode a cancelled session's best slot is held as tentative in both
 * calendars and the supervisee is asked; it is booked only when Sam accepts
 * (in his Playground), or, when nobody answers, at the deadline. Both
 * calendars end with exactly one busy event for the replacement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openDatabase, type Db } from '../../src/adapters/embedded/db';
import { EmbeddedCalendar } from '../../src/adapters/embedded/calendar';
import { launchBrowser } from '../support/browser';
import { cardWith, openPlayground } from '../support/playground';
import { ROOT, runApp, type AppProcess } from '../support/runApp';
import { until } from '../support/wait';

jest.setTimeout(240_000);

let app: AppProcess;
let browser: Browser;
let db: Db;
let calendar: EmbeddedCalendar;
const pages: Record<string, Page> = {};

interface Row { id: string; start: string; end: string; status: string; kind: string; calendar_event_id: string; occurrence_start: string | null }
const sessions = () => db.prepare("SELECT * FROM sessions WHERE relationship_id = 'rel-daniel-sam' ORDER BY start").all() as unknown as Row[];
const dev = (p: string, body?: unknown) =>
  fetch(`${app.url}/api/dev${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
const now = async () => Date.parse(((await (await fetch(`${app.url}/api/dev/clock`)).json()) as { now: string }).now);

/** What each person's calendar shows for an app tag: start, and how it shows (tentative or busy). */
async function shown(tag: string, around: string) {
  const window = { start: new Date(Date.parse(around) - 40 * 86_400_000).toISOString(), end: new Date(Date.parse(around) + 40 * 86_400_000).toISOString() };
  const out: Record<string, { start: string; showAs: string }[]> = {};
  for (const person of ['daniel-okafor', 'sam-patel']) out[person] = (await calendar.listEvents(person, window)).filter((e) => e.appTag === tag).map((e) => ({ start: e.start, showAs: e.showAs }));
  return out;
}

beforeAll(async () => {
  // The seed's packs, with Westmorland (Sam's) moved to propose mode: a day to answer, never within 24 hours of the start.
  const policyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-propose-packs-'));
  for (const f of fs.readdirSync(path.join(ROOT, 'policies')).filter((n) => n.endsWith('.json') && n !== 'policy-pack.schema.json')) {
    const pack = JSON.parse(fs.readFileSync(path.join(ROOT, 'policies', f), 'utf8'));
    if (pack.id === 'westmorland-furness-scp') pack.rebooking.moves = { mode: 'propose', answerWithin: 'P1D', noMoveWithin: 'PT24H', source: 'test: ask the supervisee first' };
    fs.writeFileSync(path.join(policyDir, f), JSON.stringify(pack));
  }
  [app, browser] = await Promise.all([runApp({ env: { PT_JOB_INTERVAL_SECONDS: '3600', PT_POLICY_DIR: policyDir, PT_PLAYGROUND_AS: 'sam-patel,daniel-okafor' } }), launchBrowser()]);
  db = openDatabase(path.join(app.dataDir, 'protected-time.sqlite'));
  calendar = new EmbeddedCalendar(db, { now: () => new Date() });
  for (const [id, first] of [['sam-patel', 'Sam'], ['daniel-okafor', 'Daniel']] as const) {
    pages[id] = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
    await openPlayground(pages[id]!, app.playgrounds[id]!);
    await pages[id]!.getByText(`Hello ${first}, I'm Protected Time.`).waitFor({ timeout: 30_000 });
  }
});

afterAll(async () => {
  db?.close();
  await browser?.close();
  await app?.stop();
});

it('a cancellation is held as tentative and rebooked only once the supervisee accepts', async () => {
  const target = sessions().filter((s) => s.status === 'planned')[1]!;
  await calendar.cancelOccurrence('daniel-okafor', target.calendar_event_id, target.occurrence_start ?? undefined, 'Off sick');
  await dev('/jobs/run');

  const samCard = cardWith(pages['sam-patel']!, 'A new supervision time to agree');
  await samCard.waitFor({ timeout: 30_000 });
  await expect(samCard.innerText()).resolves.toMatch(/was (cancelled|removed from the calendar)\. Supervision is protected time under .*, so I am holding a new time/);
  await cardWith(pages['daniel-okafor']!, 'Supervision time held').waitFor({ timeout: 30_000 });
  // Held, not booked: tentative in both calendars, no replacement session yet, even after the jobs run again.
  const tag = (db.prepare("SELECT app_tag FROM cal_events WHERE transaction_id = ?").get(`rebook:${target.id}`) as { app_tag: string }).app_tag;
  const held = await shown(tag, target.start);
  expect(held['daniel-okafor']).toEqual([{ start: expect.any(String), showAs: 'tentative' }]);
  expect(held['sam-patel']).toEqual(held['daniel-okafor']);
  await dev('/jobs/run');
  expect(sessions().filter((s) => s.kind === 'rebooked')).toEqual([]);

  await samCard.getByRole('button', { name: 'Accept the held time' }).click();
  await cardWith(pages['sam-patel']!, 'Supervision rebooked').waitFor({ timeout: 30_000 });
  await cardWith(pages['daniel-okafor']!, 'Supervision rebooked').waitFor({ timeout: 30_000 });
  const booked = await until('the replacement session', () => sessions().find((s) => s.kind === 'rebooked' && s.id === tag));
  expect(booked.start).toBe(held['daniel-okafor']![0]!.start);
  // Both calendars: one event, busy, at the accepted time (the tentative hold is gone).
  expect(await shown(tag, target.start)).toEqual({ 'daniel-okafor': [{ start: booked.start, showAs: 'busy' }], 'sam-patel': [{ start: booked.start, showAs: 'busy' }] });
  await expect(cardWith(pages['daniel-okafor']!, 'Supervision rebooked').innerText()).resolves.toContain('accepted the held time');
});

it('with no answer by the deadline, the held time is booked', async () => {
  const target = sessions().filter((s) => s.status === 'planned' && s.kind === 'planned')[2]!;
  await calendar.cancelOccurrence('daniel-okafor', target.calendar_event_id, target.occurrence_start ?? undefined, 'Leave');
  await dev('/jobs/run');
  const tag = await until('the hold', () => (db.prepare('SELECT app_tag FROM cal_events WHERE transaction_id = ?').get(`rebook:${target.id}`) as { app_tag: string } | undefined)?.app_tag);
  const held = await shown(tag, target.start);
  expect(held['sam-patel']).toEqual([{ start: expect.any(String), showAs: 'tentative' }]);
  // Just before the deadline (a day): still only held.
  await dev('/clock', { to: new Date((await now()) + 23 * 3600_000).toISOString() });
  await dev('/jobs/run');
  expect(sessions().find((s) => s.id === tag)).toBeUndefined();
  await dev('/clock', { to: new Date((await now()) + 2 * 3600_000).toISOString() });
  await dev('/jobs/run');
  const booked = await until('the replacement session', () => sessions().find((s) => s.id === tag));
  expect(booked).toMatchObject({ status: 'planned', kind: 'rebooked', start: held['sam-patel']![0]!.start });
  expect(await shown(tag, target.start)).toEqual({ 'daniel-okafor': [{ start: booked.start, showAs: 'busy' }], 'sam-patel': [{ start: booked.start, showAs: 'busy' }] });
  const card = cardWith(pages['sam-patel']!, 'Nobody answered');
  await card.waitFor({ timeout: 30_000 });
  await expect(card.innerText()).resolves.toContain('as the policy says, I booked the held time in both calendars');
  // Answering after the deadline says what happened instead of booking twice.
  const late = cardWith(pages['sam-patel']!, 'A new supervision time to agree');
  await late.getByRole('button', { name: 'Accept the held time' }).click();
  await pages['sam-patel']!.getByText(/No answer came in time, so the held time was booked/).first().waitFor({ timeout: 30_000 });
  expect(sessions().filter((s) => s.id === tag)).toHaveLength(1);
});
