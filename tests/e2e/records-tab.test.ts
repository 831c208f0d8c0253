/**
 * Issue #17: records in the tab, on the same card templates as the chat.
 * A record started in chat is finished in the tab; one started in the tab is
 * countersigned in chat; the stored content is exactly what was typed, wherever.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { cardWith, openPlayground } from '../support/playground';
import { runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(240_000);

let app: AppProcess;
let browser: Browser;
const pages: Record<string, Page> = {};

const dev = (p: string, body?: unknown) =>
  fetch(`${app.url}/api/dev${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());

function recordRow(sessionId: string): { id: string; status: string; values: Record<string, unknown> } | undefined {
  const d = new DatabaseSync(path.join(app.dataDir, 'protected-time.sqlite'), { readOnly: true });
  try {
    const row = d.prepare('SELECT id, status, body FROM records WHERE session_id = ?').get(sessionId) as { id: string; status: string; body: string } | undefined;
    return row ? { id: row.id, status: row.status, values: JSON.parse(row.body).values } : undefined;
  } finally {
    d.close();
  }
}

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function nextSession(): Promise<{ id: string; end: string }> {
  const me = await (await fetch(`${app.url}/api/v1/me`, { headers: { 'x-pt-local-user': 'sam-patel' } })).json();
  return me.upcoming[0];
}

async function openTab(personId: string, route: string): Promise<Page> {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  await tab.addInitScript((id) => window.localStorage.setItem('pt.localUser', id), personId);
  await tab.goto(`${app.url}/tab/#${route}`);
  return tab;
}

const FIELDS = {
  experience: 'Experience: what happened?',
  reflection: 'Reflection: what did it feel like, what does it mean?',
  analysis: 'Analysis: what do we know, what are the risks and strengths?',
  action: 'Action planning: what needs to happen?',
};
const field = (scope: Locator, label: string) => scope.getByLabel(new RegExp(`^${label.replace(/[?().*+]/g, (c) => `\\${c}`)}`));

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ env: { PT_JOB_INTERVAL_SECONDS: '3600', PT_PLAYGROUND_AS: 'sam-patel,daniel-okafor' } }), launchBrowser()]);
  for (const [id, first] of [['sam-patel', 'Sam'], ['daniel-okafor', 'Daniel']] as const) {
    pages[id] = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
    await openPlayground(pages[id]!, app.playgrounds[id]!);
    await pages[id]!.getByText(`Hello ${first}, I'm Protected Time.`).waitFor({ timeout: 30_000 });
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it('a record started in chat is finished in the tab, with the same content', async () => {
  const session = await nextSession();
  await dev('/clock', { to: new Date(Date.parse(session.end) + 5 * 60_000).toISOString() });
  await dev('/jobs/run');
  const sam = pages['sam-patel']!;
  const form = cardWith(sam, 'Reflective supervision record');
  await form.waitFor({ timeout: 30_000 });
  await field(form, FIELDS.experience).fill('CHAT-PART: started in Teams chat');
  await form.getByRole('button', { name: /Save draft/ }).click();
  await until('the draft saved', () => {
    const r = recordRow(session.id);
    return r && r.values.experience !== undefined ? r : undefined;
  });
  const { id } = recordRow(session.id)!;

  const tab = await openTab('sam-patel', `/records/${id}`);
  const card = tab.getByTestId('record-card');
  await field(card, FIELDS.experience).waitFor({ timeout: 20_000 });
  await expect(field(card, FIELDS.experience).inputValue()).resolves.toBe('CHAT-PART: started in Teams chat');
  await field(card, FIELDS.reflection).fill('TAB-PART: a long reflection finished in the tab');
  await field(card, FIELDS.analysis).fill('Risks understood');
  await field(card, FIELDS.action).fill('Review in a month');
  await card.getByRole('button', { name: 'Submit for countersignature' }).click();
  await until('submitted', () => (recordRow(session.id)?.status === 'submitted' ? true : undefined));

  const daniel = pages['daniel-okafor']!;
  const countersign = cardWith(daniel, 'Please countersign');
  await countersign.waitFor({ timeout: 30_000 });
  await countersign.getByRole('button', { name: 'Countersign' }).click();
  const signed = await until('signed', () => {
    const r = recordRow(session.id);
    return r?.status === 'signed' ? r : undefined;
  });
  expect(signed.values).toMatchObject({
    experience: 'CHAT-PART: started in Teams chat',
    reflection: 'TAB-PART: a long reflection finished in the tab',
    analysis: 'Risks understood',
    actionPlanning: 'Review in a month',
  });
  await tab.close();
});

it('a record started in the tab is countersigned in chat, with the same content', async () => {
  const session = await nextSession();
  // The session has ended and no job has run: no card was posted. Daniel starts the record in the tab.
  await dev('/clock', { to: new Date(Date.parse(session.end) + 5 * 60_000).toISOString() });
  const tab = await openTab('daniel-okafor', `/records/session/${encodeURIComponent(session.id)}`);
  const card = tab.getByTestId('record-card');
  await field(card, FIELDS.experience).waitFor({ timeout: 20_000 });
  expect(new URL(tab.url()).hash).toMatch(/^#\/records\/rec-/);
  const typed = { experience: 'TAB-STARTED: written in the tab', reflection: 'Calm', analysis: 'Stable', action: 'Carry on' };
  // A card error keeps the card and what was typed: submit with one required answer missing first.
  await field(card, FIELDS.experience).fill(typed.experience);
  await field(card, FIELDS.reflection).fill(typed.reflection);
  await field(card, FIELDS.analysis).fill(typed.analysis);
  await card.getByRole('button', { name: 'Submit for countersignature' }).click();
  // Wait for the answer (the card back, naming the missing answer) before typing on: the tab ignores a
  // second click while the first is on its way, and a busy machine can take a while to answer.
  await card.getByText(/ is required/).first().waitFor({ timeout: 30_000 });
  await expect(field(card, FIELDS.experience).inputValue()).resolves.toBe(typed.experience);
  expect(recordRow(session.id)?.status).toBe('draft');
  await field(card, FIELDS.action).fill(typed.action);
  await card.getByRole('button', { name: 'Submit for countersignature' }).click();
  await until('submitted', () => (recordRow(session.id)?.status === 'submitted' ? true : undefined));

  const sam = pages['sam-patel']!;
  const countersign = cardWith(sam, 'Please countersign');
  await countersign.waitFor({ timeout: 30_000 });
  await expect(countersign.textContent()).resolves.toContain(typed.experience);
  await countersign.getByRole('button', { name: 'Countersign' }).click();
  const signed = await until('signed', () => {
    const r = recordRow(session.id);
    return r?.status === 'signed' ? r : undefined;
  });
  expect(signed.values).toMatchObject({ experience: typed.experience, reflection: typed.reflection, analysis: typed.analysis, actionPlanning: typed.action });
  // The jobs running later post no form for a record already submitted and signed.
  await dev('/jobs/run');
  await tab.close();
});
