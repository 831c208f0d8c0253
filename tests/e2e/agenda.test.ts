/**
 * Issue 18 end to end (local mode, the built app, headless Chromium, the
 * Agents Playground): Sam and Daniel each add to the shared agenda of Sam's
 * next session and see each other's; Sam keeps a private note Daniel never
 * sees; the pre-session card arrives once, with no agenda text; the tab under
 * a Teams meeting side panel host context finds the session from the meeting
 * and shows its agenda and record form (which starts from the agenda); what
 * was not reached and the action agreed appear on the next session's agenda;
 * and no agenda text is in any calendar item, card preview or log line.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { openInFakeHost } from '../support/fakeTeamsHost';
import { cardWith, openPlayground } from '../support/playground';
import { runApp, type AppProcess } from '../support/runApp';
import { until } from '../support/wait';

jest.setTimeout(300_000);

let app: AppProcess;
let browser: Browser;
const pages: Record<string, Page> = {};
const frames: string[] = [];
const TAG = Math.random().toString(36).slice(2, 8).toUpperCase();
const TEXT = {
  sam: `SAMITEM-${TAG} caseload pressure since the Jones referral`,
  daniel: `DANITEM-${TAG} the Smith family core group`,
  note: `SAMNOTE-${TAG} ask about the training budget`,
  action: `ACTION-${TAG} chase the school nurse`,
};

const dev = (p: string, body?: unknown) =>
  fetch(`${app.url}/api/dev${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
const api = async (as: string, p: string, init: RequestInit = {}) => {
  const res = await fetch(`${app.url}/api/v1${p}`, { ...init, headers: { 'x-pt-local-user': as, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  return { status: res.status, body: (await res.json()) as any };
};

function db<T>(fn: (d: DatabaseSync) => T): T {
  const d = new DatabaseSync(path.join(app.dataDir, 'protected-time.sqlite'), { readOnly: true });
  try {
    return fn(d);
  } finally {
    d.close();
  }
}

async function openTab(personId: string, route: string): Promise<Page> {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  await tab.addInitScript((id) => window.localStorage.setItem('pt.localUser', id), personId);
  await tab.goto(`${app.url}/tab/#${route}`);
  return tab;
}

const line = (scope: Page | FrameLocator | Locator, text: string) => scope.getByTestId('agenda-line').filter({ hasText: text });

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ env: { PT_JOB_INTERVAL_SECONDS: '3600', PT_PLAYGROUND_AS: 'sam-patel,daniel-okafor' } }), launchBrowser()]);
  for (const [id, first] of [['sam-patel', 'Sam'], ['daniel-okafor', 'Daniel']] as const) {
    pages[id] = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
    // Everything the Playground's page receives (its web socket carries the activities the app sends).
    pages[id]!.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await openPlayground(pages[id]!, app.playgrounds[id]!);
    await pages[id]!.getByText(`Hello ${first}, I'm Protected Time.`).waitFor({ timeout: 30_000 });
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

let first: { id: string; start: string; end: string };
let second: { id: string; start: string; end: string };

it('supervisor and supervisee each add agenda items and see the other\'s; a private note stays private', async () => {
  const me = (await api('sam-patel', '/me')).body;
  [first, second] = me.upcoming.filter((s: { relationshipId: string }) => s.relationshipId === 'rel-daniel-sam');
  const sam = await openTab('sam-patel', `/agenda/${first.id}`);
  const agenda = sam.getByTestId('agenda');
  await agenda.waitFor({ timeout: 20_000 });
  // The pack's standing items, and the agreement check.
  await line(sam, 'Support and wellbeing').waitFor();
  await expect(sam.getByTestId('agreement-check').getAttribute('data-finding')).resolves.toBe('in-date');
  await sam.getByTestId('agenda-new').fill(TEXT.sam);
  await sam.getByRole('button', { name: 'Add to the agenda' }).click();
  await line(sam, TEXT.sam).waitFor();

  const daniel = await openTab('daniel-okafor', `/agenda/${first.id}`);
  await line(daniel, TEXT.sam).waitFor({ timeout: 20_000 });
  await daniel.getByTestId('agenda-new').fill(TEXT.daniel);
  await daniel.getByRole('button', { name: 'Add to the agenda' }).click();
  await line(daniel, TEXT.daniel).waitFor();
  // Only the author may take an item off.
  await expect(line(daniel, TEXT.sam).getByRole('button', { name: /Take .* off the agenda/ }).count()).resolves.toBe(0);

  await sam.reload();
  await line(sam, TEXT.daniel).waitFor({ timeout: 20_000 });

  // Sam's private note: saved, read back, and never Daniel's to see.
  await sam.getByRole('textbox', { name: 'My private note' }).fill(TEXT.note);
  await sam.getByRole('button', { name: 'Save my note' }).click();
  await sam.getByTestId('note-saved').waitFor();
  expect((await api('sam-patel', `/sessions/${first.id}/note`)).body.text).toBe(TEXT.note);
  expect((await api('daniel-okafor', `/sessions/${first.id}/note`)).body.text).toBe('');
  await daniel.reload();
  await line(daniel, TEXT.daniel).waitFor({ timeout: 20_000 });
  await expect(daniel.locator('body').innerText()).resolves.not.toContain(TEXT.note);
  // Someone outside the arrangement is told it does not exist.
  expect((await api('helen-carter', `/sessions/${first.id}/agenda`)).status).toBe(404);
  // Every read is audited, by session, without the text.
  const audits = db((d) => d.prepare("SELECT action, detail FROM audit_log WHERE subject_id = ? AND action LIKE 'agenda%'").all(first.id) as { action: string; detail: string | null }[]);
  expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['agenda-read', 'agenda-item-added']));
  expect(JSON.stringify(audits)).not.toContain(TAG);
  await sam.close();
  await daniel.close();
});

it('the pre-session card arrives once, the day before, with a link to the agenda and no agenda text', async () => {
  await dev('/clock', { to: new Date(Date.parse(first.start) - 12 * 3600_000).toISOString() });
  await dev('/jobs/run');
  await dev('/jobs/run');
  for (const id of ['sam-patel', 'daniel-okafor']) {
    const card = cardWith(pages[id]!, 'Supervision coming up');
    await card.waitFor({ timeout: 30_000 });
    const text = await card.innerText();
    for (const t of Object.values(TEXT)) expect(text).not.toContain(t.slice(0, 12));
    expect(text).toContain('Open the agenda');
    await expect(pages[id]!.locator('.ac-adaptiveCard').filter({ hasText: 'Supervision coming up' }).count()).resolves.toBe(1);
  }
});

it('beside the meeting: the side panel finds the session and shows its agenda and the record form, which starts from the agenda', async () => {
  await dev('/clock', { to: new Date(Date.parse(first.start) + 5 * 60_000).toISOString() });
  const joinUrl = db((d) => (d.prepare('SELECT e.join_url FROM sessions s JOIN cal_events e ON e.id = s.calendar_event_id WHERE s.id = ?').get(first.id) as { join_url: string }).join_url);
  const chatId = /19:meeting_[^/]+@thread\.v2/.exec(decodeURIComponent(joinUrl))![0];
  const page = await browser.newPage({ viewport: { width: 420, height: 1400 } });
  await page.addInitScript(() => window.localStorage.setItem('pt.localUser', 'sam-patel'));
  const host = await openInFakeHost(page, app.url, { hostName: 'Teams', frameContext: 'sidePanel', meeting: { id: Buffer.from(`0#${chatId}#0`).toString('base64'), chatId } });
  const panel = host.frame.getByTestId('side-panel');
  await panel.waitFor({ timeout: 30_000 });
  await line(panel, TEXT.sam).waitFor({ timeout: 20_000 });
  await line(panel, TEXT.daniel).waitFor();
  expect(await host.received()).toEqual(expect.arrayContaining(['initialize', 'getContext']));
  // The record form, with the agenda at its top.
  const form = panel.getByTestId('record-card');
  const experience = form.getByLabel(/^Experience: what happened\?/);
  await experience.waitFor({ timeout: 30_000 });
  await expect(form.innerText()).resolves.toContain(TEXT.daniel);

  // Sam's item is discussed; Daniel's is not reached.
  await line(panel, TEXT.sam).getByRole('checkbox').click();
  await until('the tick saved', () => db((d) => (d.prepare("SELECT discussed_in FROM agenda_items WHERE body LIKE ?").get(`%SAMITEM-${TAG}%`) as { discussed_in: string | null }).discussed_in ?? undefined));

  // The record, written beside the meeting, agrees an action; Daniel countersigns.
  const recordId = await until('the draft record', () => db((d) => (d.prepare('SELECT id FROM records WHERE session_id = ?').get(first.id) as { id: string } | undefined)?.id));
  await experience.fill('Discussed caseload');
  await form.getByLabel(/^Reflection/).fill('Tired but coping');
  await form.getByLabel(/^Analysis/).fill('Manageable');
  await form.getByLabel(/^Action planning/).fill('See actions');
  await form.getByLabel(/^Action 1: what will be done/).fill(TEXT.action);
  await form.getByLabel(/^Who/).selectOption('supervisee');
  await form.getByLabel(/^By when/).fill('2030-01-31');
  await form.getByRole('button', { name: 'Submit for countersignature' }).click();
  await until('submitted', () => (db((d) => (d.prepare('SELECT status FROM records WHERE id = ?').get(recordId) as { status: string }).status) === 'submitted' ? true : undefined));
  const card = (await api('daniel-okafor', `/records/${recordId}/card`)).body.card;
  const countersign = JSON.stringify(card).includes('record.countersign') ? findAction(card, 'record.countersign') : undefined;
  expect(countersign).toBeDefined();
  const signed = await api('daniel-okafor', `/records/${recordId}/card`, { method: 'POST', body: JSON.stringify({ verb: 'record.countersign', data: countersign }) });
  expect(signed.status).toBe(200);
  await until('the action saved', () => db((d) => (d.prepare("SELECT id FROM actions WHERE record_id = ? AND status = 'open'").get(recordId) as { id: string } | undefined)?.id));
  await page.close();
});

it('an unfinished topic and an open action appear on the next session\'s agenda', async () => {
  await dev('/clock', { to: new Date(Date.parse(first.end) + 3600_000).toISOString() });
  const sam = await openTab('sam-patel', `/agenda/${second.id}`);
  await line(sam, TEXT.daniel).waitFor({ timeout: 20_000 });
  await expect(line(sam, TEXT.daniel).getAttribute('data-kind')).resolves.toBe('carried-topic');
  await expect(line(sam, TEXT.action).getAttribute('data-kind')).resolves.toBe('open-action');
  // What was discussed last time is not carried.
  await expect(line(sam, TEXT.sam).count()).resolves.toBe(0);
  await sam.close();
});

it('no agenda text is in any calendar item, card preview or log line', async () => {
  const secrets = [TEXT.sam, TEXT.daniel, TEXT.note].map((t) => t.slice(0, 14));
  // Calendars: every column of every event and attendee row.
  const calendar = db((d) => JSON.stringify([d.prepare('SELECT * FROM cal_events').all(), d.prepare('SELECT * FROM cal_attendees').all()]));
  expect(calendar.length).toBeGreaterThan(1000);
  // Card previews: the summary of every activity the app sent, as the Playgrounds' pages received them.
  const summaries = frames.flatMap((f) => [...f.matchAll(/"summary"\s*:\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!));
  expect(summaries).toEqual(expect.arrayContaining(['Supervision coming up']));
  // The app's own log lines.
  const appLog = app.output();
  expect(appLog.split('\n').length).toBeGreaterThan(10);
  for (const s of secrets) {
    expect(calendar).not.toContain(s);
    for (const summary of summaries) expect(summary).not.toContain(s);
    expect(appLog).not.toContain(s);
  }
  process.stdout.write(`agenda e2e scan: ${summaries.length} card previews, ${appLog.split('\n').length} log lines, ${calendar.length} characters of calendar rows: no agenda text\n`);
});

function findAction(node: unknown, verb: string): Record<string, unknown> | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const o = node as Record<string, unknown>;
  if (o.type === 'Action.Execute' && o.verb === verb) return o.data as Record<string, unknown>;
  for (const v of Object.values(o)) {
    const found = Array.isArray(v) ? v.map((x) => findAction(x, verb)).find(Boolean) : findAction(v, verb);
    if (found) return found;
  }
  return undefined;
}
