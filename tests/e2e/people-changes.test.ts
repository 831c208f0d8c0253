/**
 * Issue #20 end to end (local mode): a safeguarding lead hands Sam over from
 * Daniel to Grace in the tab; Daniel's future sessions leave his calendar,
 * Grace's holds a series keeping Sam within his policy's maximum gap, Sam's
 * open action and draft record follow, the handover note is Grace's (and the
 * lead's) only, and all three get cards in their own Playgrounds. A two-month
 * cover books with the cover and reverts on its end date. Removing a person
 * from the directory flags their arrangement and asks their line manager; a
 * new starter gets an agreement due in their first week.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedCalendar } from '../../src/adapters/embedded/calendar';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { launchBrowser } from '../support/browser';
import { cardWith, openPlayground } from '../support/playground';
import { runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(240_000);

let app: AppProcess;
let browser: Browser;
const pages: Record<string, Page> = {};
const NOTE = 'E2E-NOTE-MARKER: the family at number 4 need a strategy meeting';

const dev = (p: string, body?: unknown) =>
  fetch(`${app.url}/api/dev${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
const asUser = (personId: string, p: string, init: RequestInit = {}) =>
  fetch(`${app.url}/api/v1${p}`, { ...init, headers: { 'content-type': 'application/json', 'x-pt-local-user': personId } });

function open() {
  const db = openDatabase(path.join(app.dataDir, 'protected-time.sqlite'));
  return { db, cal: new EmbeddedCalendar(db, { now: () => new Date() }), store: new EmbeddedStore(db) };
}

async function supervisionWith(organiser: string, supervisee: string, from: string) {
  const { db, cal } = open();
  try {
    const window = { start: from, end: DateTime.fromISO(from).plus({ months: 14 }).toISO()! };
    return (await cal.listEvents(organiser, window)).filter((e) => e.organiserId === organiser && !e.isCancelled && e.attendees.some((a) => a.personId === supervisee) && e.subject.startsWith('Supervision'));
  } finally {
    db.close();
  }
}

async function signInAs(page: Page, personId: string) {
  await page.goto(`${app.url}/tab/`);
  await page.locator('#sign-in-person').selectOption(personId);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ env: { PT_JOB_INTERVAL_SECONDS: '600', PT_PLAYGROUND_AS: 'sam-patel,daniel-okafor,grace-whitfield' } }), launchBrowser()]);
  const names: Record<string, string> = { 'sam-patel': 'Sam', 'daniel-okafor': 'Daniel', 'grace-whitfield': 'Grace' };
  for (const [id, first] of Object.entries(names)) {
    pages[id] = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
    await openPlayground(pages[id]!, app.playgrounds[id]!);
    await pages[id]!.getByText(`Hello ${first}, I'm Protected Time.`).waitFor({ timeout: 30_000 });
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it('a lead hands Sam over from Daniel to Grace from the tab', async () => {
  // Sam's next session happens (its record form starts as a draft), and he has an open action from an earlier one.
  const me = await (await asUser('sam-patel', '/me')).json();
  const [next] = me.upcoming as { id: string; start: string; end: string }[];
  await dev('/clock', { to: new Date(Date.parse(next!.end) + 5 * 60_000).toISOString() });
  expect((await dev('/jobs/run')).status).toBe(200);
  {
    const { db, store } = open();
    try {
      await store.saveActions([{ id: 'act-e2e-1', relationshipId: 'rel-daniel-sam', sessionId: next!.id, recordId: 'rec-seed-rel-daniel-sam-28', text: 'Read the neglect toolkit', ownerId: 'daniel-okafor', dueOn: '2027-03-01', status: 'open' }]);
      expect(await store.listRecords({ relationshipIds: ['rel-daniel-sam'], status: ['draft'] })).toHaveLength(1);
    } finally {
      db.close();
    }
  }
  const lastHeld = next!.start;
  const now = (await (await fetch(`${app.url}/api/dev/clock`)).json()).now as string;
  expect((await supervisionWith('daniel-okafor', 'sam-patel', now)).length).toBeGreaterThan(5);

  const page = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
  await signInAs(page, 'priya-shah');
  await page.getByRole('link', { name: 'Changes', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Choose Sam Patel' }).check();
  await page.getByRole('combobox', { name: /New \(or covering\) supervisor/ }).click();
  await page.getByRole('option', { name: 'Grace Whitfield' }).click();
  await page.getByLabel(/Handover note for the new supervisor/).fill(NOTE);
  await page.getByRole('button', { name: 'Hand over', exact: true }).click();
  await expect(page.getByTestId('change-result').textContent({ timeout: 60_000 })).resolves.toMatch(/Handed over to Grace Whitfield: \d+ sessions booked/);

  // Calendars: nothing left in Daniel's; Grace's series keeps every gap (from the last held session) within three months.
  expect(await supervisionWith('daniel-okafor', 'sam-patel', now)).toHaveLength(0);
  const graces = (await supervisionWith('grace-whitfield', 'sam-patel', now)).map((e) => e.start).sort();
  expect(graces.length).toBeGreaterThan(5);
  const starts = [lastHeld, ...graces];
  for (let i = 1; i < starts.length; i++) expect(DateTime.fromISO(starts[i]!) <= DateTime.fromISO(starts[i - 1]!).plus({ months: 3 })).toBe(true);

  // The open action and the draft record follow Sam to Grace.
  {
    const { db, store } = open();
    try {
      expect(await store.getRelationship('rel-daniel-sam')).toMatchObject({ supervisorId: 'grace-whitfield', active: true });
      expect((await store.listActions({ relationshipIds: ['rel-daniel-sam'], status: ['open'] })).map((a) => a.ownerId)).toEqual(['grace-whitfield']);
      expect(await store.listRecords({ relationshipIds: ['rel-daniel-sam'], status: ['draft'] })).toHaveLength(1);
    } finally {
      db.close();
    }
  }
  const graceRecords = await (await asUser('grace-whitfield', '/records')).json();
  expect(JSON.stringify(graceRecords)).toContain('rel-daniel-sam');

  // The note: Grace and the lead only.
  for (const [who, status] of [['daniel-okafor', 403], ['sam-patel', 403], ['helen-carter', 403], ['priya-shah', 200], ['grace-whitfield', 200]] as const) {
    expect((await asUser(who, '/relationships/rel-daniel-sam/handover-notes')).status).toBe(status);
  }
  await page.close();
  const grace = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
  await signInAs(grace, 'grace-whitfield');
  await grace.getByRole('link', { name: 'Changes', exact: true }).click();
  await grace.getByRole('button', { name: 'Read handover note' }).click();
  await expect(grace.getByTestId('handover-note').textContent()).resolves.toContain('E2E-NOTE-MARKER');
  await grace.close();

  // All three told in their own Teams, without the note.
  for (const id of ['sam-patel', 'daniel-okafor', 'grace-whitfield']) {
    await cardWith(pages[id]!, 'Supervision handed over').waitFor({ timeout: 30_000 });
    await expect(pages[id]!.getByText('E2E-NOTE-MARKER').count()).resolves.toBe(0);
  }
  await cardWith(pages['grace-whitfield']!, 'A handover note is waiting for you').waitFor({ timeout: 5_000 });
});

it('a two-month cover books with the cover and reverts on its end date', async () => {
  const now = (await (await fetch(`${app.url}/api/dev/clock`)).json()).now as string;
  const until = DateTime.fromISO(now, { zone: 'Europe/London' }).plus({ months: 2 }).toISODate()!;
  const res = await asUser('helen-carter', '/covers', { method: 'POST', body: JSON.stringify({ relationshipIds: ['rel-daniel-amira'], coverId: 'grace-whitfield', until, requestKey: 'e2e-cover-amira-1' }) });
  expect(res.status).toBe(201);
  const untilInstant = DateTime.fromISO(until, { zone: 'Europe/London' }).toUTC().toISO()!;
  const covered = await supervisionWith('grace-whitfield', 'amira-hussain', now);
  expect(covered.length).toBeGreaterThanOrEqual(2);
  expect(covered.every((e) => e.start < untilInstant)).toBe(true);
  await cardWith(pages['grace-whitfield']!, 'Supervision cover started').waitFor({ timeout: 30_000 });
  await cardWith(pages['daniel-okafor']!, 'Supervision cover started').waitFor({ timeout: 30_000 });

  await dev('/clock', { to: DateTime.fromISO(untilInstant).plus({ hours: 9 }).toUTC().toISO()! });
  await dev('/jobs/run');
  const covers = await (await asUser('priya-shah', '/covers')).json();
  expect(covers.covers).toEqual([expect.objectContaining({ coverName: 'Grace Whitfield', originalName: 'Daniel Okafor', status: 'ended', until })]);
  const back = await supervisionWith('daniel-okafor', 'amira-hussain', untilInstant);
  expect(back.length).toBeGreaterThan(3);
  expect(await supervisionWith('grace-whitfield', 'amira-hussain', untilInstant)).toHaveLength(0);
  await cardWith(pages['grace-whitfield']!, 'Supervision cover ended').waitFor({ timeout: 30_000 });
  await cardWith(pages['daniel-okafor']!, 'Supervision cover ended').waitFor({ timeout: 30_000 });
});

it('a leaver is flagged to their line manager; a new starter gets an agreement due in the first week', async () => {
  expect((await dev('/directory/people/joe-bennett/leave')).status).toBe(200);
  const now = (await (await fetch(`${app.url}/api/dev/clock`)).json()).now as string;
  const today = DateTime.fromISO(now, { zone: 'Europe/London' }).toISODate()!;
  const added = await dev('/directory/people', {
    id: 'nina-new', displayName: 'Nina Newton', email: 'nina.newton@riverside.example', jobTitle: 'Social Worker', team: "Children's Social Care",
    roles: ['practitioner'], lineManagerId: 'daniel-okafor', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: today,
  });
  expect(added.status).toBe(201);
  expect((await dev('/directory/people', { id: 'x', displayName: 'X', email: 'x@x.example', startedOn: '2027-02-30' })).status).toBe(400);
  await dev('/jobs/run');

  // Daniel (Joe's line manager and supervisor, Nina's line manager) is asked, in Teams and in the tab.
  const daniel = pages['daniel-okafor']!;
  await cardWith(daniel, 'has left the people group').waitFor({ timeout: 30_000 });
  await cardWith(daniel, 'Nina Newton has joined').waitFor({ timeout: 30_000 });
  const flags = (await (await asUser('daniel-okafor', '/people-flags')).json()).flags as { kind: string; personId: string; open: boolean; relationshipIds: string[]; agreementDueOn?: string }[];
  expect(flags).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'leaver-supervisee', personId: 'joe-bennett', open: true, relationshipIds: ['rel-daniel-joe'] }),
      expect.objectContaining({ kind: 'new-starter', personId: 'nina-new', open: true, agreementDueOn: DateTime.fromISO(today).plus({ days: 7 }).toISODate() }),
    ]),
  );
  // Nothing was ended by itself.
  const { db, store } = open();
  try {
    expect(await store.getRelationship('rel-daniel-joe')).toMatchObject({ active: true });
  } finally {
    db.close();
  }
  const page = await browser.newPage();
  await signInAs(page, 'nina-new');
  await page.getByRole('link', { name: 'Changes', exact: true }).click();
  await expect(page.getByTestId('agreement-due').textContent()).resolves.toMatch(/Supervision agreement due by/);
  await page.close();
});

it("a supervisor leaving is flagged to their line manager, who hands their supervisees over from the flag", async () => {
  await dev('/jobs/run'); // the directory as it is now is the baseline (when this test runs alone)
  expect((await dev('/directory/people/daniel-okafor/leave')).status).toBe(200);
  await dev('/jobs/run');
  const page = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
  await signInAs(page, 'helen-carter');
  await page.getByRole('link', { name: 'Changes', exact: true }).click();
  const flag = page.locator('[data-flag="leaver-supervisor"]');
  await expect(flag.textContent()).resolves.toMatch(/Daniel Okafor: Left: hand over their supervisees/);
  expect(await flag.getAttribute('data-open')).toBe('true');
  await flag.getByRole('button', { name: 'Choose to hand over below' }).click();
  await expect(page.getByRole('checkbox', { name: 'Choose Amira Hussain' }).isChecked()).resolves.toBe(true);
  await page.getByRole('combobox', { name: /New \(or covering\) supervisor/ }).click();
  await page.getByRole('option', { name: 'Grace Whitfield' }).click();
  await page.getByRole('button', { name: 'Hand over', exact: true }).click();
  await expect(page.getByTestId('change-result').textContent({ timeout: 60_000 })).resolves.toMatch(/Handed over to Grace Whitfield/);
  await page.locator('[data-flag="leaver-supervisor"][data-open="false"]').waitFor({ timeout: 20_000 });
  await page.close();
  const { db, store } = open();
  try {
    expect(await store.getRelationship('rel-daniel-amira')).toMatchObject({ supervisorId: 'grace-whitfield', active: true });
  } finally {
    db.close();
  }
  await cardWith(pages['grace-whitfield']!, 'Amira Hussain').waitFor({ timeout: 30_000 });
});
