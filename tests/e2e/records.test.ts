/**
 * Issue #5 end to end through the Agents Playground: after a seed session ends
 * the record form arrives in Teams chat; the supervisee fills it in and submits;
 * the supervisor countersigns in their own Teams; the record is locked with both
 * signatures, the action and an audit trail. A disagreement reaches the line
 * manager. A forged Action.Execute from a non-party changes nothing.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { cardWith, openPlayground, pickChoice, pickDayNextMonth } from '../support/playground';
import { runApp, type AppProcess } from '../support/runApp';
import { until } from '../support/wait';

jest.setTimeout(180_000);

let app: AppProcess;
let browser: Browser;
const pages: Record<string, Page> = {};

const dev = (p: string, body?: unknown) =>
  fetch(`${app.url}/api/dev${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());

function db() {
  return new DatabaseSync(path.join(app.dataDir, 'protected-time.sqlite'), { readOnly: true });
}

async function upcoming(personId: string) {
  const me = await (await fetch(`${app.url}/api/v1/me`, { headers: { 'x-pt-local-user': personId } })).json();
  return me.upcoming as { id: string; start: string; end: string }[];
}

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ env: { PT_JOB_INTERVAL_SECONDS: '600' } }), launchBrowser()]);
  const names: Record<string, string> = { 'sam-patel': 'Sam', 'daniel-okafor': 'Daniel', 'helen-carter': 'Helen' };
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

it('record form after the session, submitted by the supervisee, countersigned by the supervisor', async () => {
  const [session] = await upcoming('sam-patel');
  await dev('/clock', { to: new Date(Date.parse(session!.end) + 5 * 60_000).toISOString() });
  await dev('/jobs/run');

  const sam = pages['sam-patel']!;
  const form = cardWith(sam, 'Reflective supervision record');
  await form.waitFor({ timeout: 30_000 });
  await form.getByLabel('Experience: what happened? (required)').fill('E2E-CASE-MARKER: discussed the family plan');
  await form.getByLabel('Reflection: what did it feel like, what does it mean? (required)').fill('Worried about drift');
  await form.getByLabel('Analysis: what do we know, what are the risks and strengths? (required)').fill('Risks are rising');
  await form.getByLabel('Action planning: what needs to happen? (required)').fill('Strategy discussion');
  await form.getByLabel('Action 1: what will be done').fill('Book a strategy meeting');
  await pickChoice(sam, form, 'Who', 'Sam Patel');
  await pickDayNextMonth(sam, form, 'By when', 20);
  const submittedAt = Date.now();
  await form.getByRole('button', { name: 'Submit for countersignature' }).click();

  const daniel = pages['daniel-okafor']!;
  const countersign = cardWith(daniel, 'Please countersign');
  await countersign.waitFor({ timeout: 30_000 });
  const countersignShownMs = Date.now() - submittedAt;
  await countersign.getByRole('button', { name: 'Countersign' }).click();
  await cardWith(sam, 'Your signed supervision record').waitFor({ timeout: 30_000 });

  const d = db();
  try {
    const rec = d.prepare('SELECT status, body FROM records').get() as { status: string; body: string };
    const body = JSON.parse(rec.body);
    expect(rec.status).toBe('signed');
    expect(body.signatures.map((s: { personId: string }) => s.personId).sort()).toEqual(['daniel-okafor', 'sam-patel']);
    const actions = (d.prepare('SELECT body FROM actions').all() as { body: string }[]).map((r) => JSON.parse(r.body));
    expect(actions).toEqual([expect.objectContaining({ text: 'Book a strategy meeting', ownerId: 'sam-patel', status: 'open' })]);
    const trail = (d.prepare("SELECT action FROM audit_log WHERE subject_type = 'record' ORDER BY seq").all() as { action: string }[]).map((r) => r.action);
    expect(trail).toEqual(expect.arrayContaining(['record-started', 'record-submit', 'record-countersign']));
  } finally {
    d.close();
  }
  // The chat now shows a summary, not the content.
  await expect(sam.getByText('E2E-CASE-MARKER').count()).resolves.toBe(0);
  process.stdout.write(`records e2e: submit → countersign card shown in the other user's Playground: ${countersignShownMs} ms\n`);
});

it('a disagreement notifies the line manager; a forged action from a non-party changes nothing', async () => {
  // The clock is now past the first session, so the next upcoming one is the second.
  const [next] = await upcoming('sam-patel');
  await dev('/clock', { to: new Date(Date.parse(next!.end) + 5 * 60_000).toISOString() });
  await dev('/jobs/run');

  const daniel = pages['daniel-okafor']!;
  const form = cardWith(daniel, 'Reflective supervision record');
  await form.waitFor({ timeout: 30_000 });
  await form.getByLabel('Experience: what happened? (required)').fill('Second session');
  await form.getByLabel('Reflection: what did it feel like, what does it mean? (required)').fill('r');
  await form.getByLabel('Analysis: what do we know, what are the risks and strengths? (required)').fill('a');
  await form.getByLabel('Action planning: what needs to happen? (required)').fill('p');
  await form.getByRole('button', { name: 'Submit for countersignature' }).click();

  // Before Sam answers: Grace (not a party) forges the countersign click straight at the bot endpoint.
  // The click returns before the bot has saved the submission: wait for the state, not for time.
  const pending = await until('the record to be submitted', () => {
    const d0 = db();
    try {
      return d0.prepare("SELECT id, etag, body FROM records WHERE status = 'submitted'").get() as { id: string; etag: string; body: string } | undefined;
    } finally {
      d0.close();
    }
  });
  const forged = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'invoke', name: 'adaptiveCard/action', id: 'forged-1', channelId: 'msteams', serviceUrl: app.playgrounds['sam-patel'],
      from: { id: 'user-grace-whitfield', aadObjectId: '5a1e0c1e-0003-4a00-8000-000000000003', name: 'Grace Whitfield' },
      recipient: { id: '00000000-0000-0000-0000-00000000b07a' },
      conversation: { id: 'forged-conversation', conversationType: 'personal', tenantId: '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01' },
      value: { action: { type: 'Action.Execute', verb: 'record.countersign', data: { recordId: pending!.id, etag: pending!.etag } } },
    }),
  });
  expect(forged.status).toBe(200);
  expect(JSON.stringify(await forged.json())).toContain('Only the people in this supervision');
  const d1 = db();
  const after = d1.prepare('SELECT etag, body FROM records WHERE id = ?').get(pending!.id) as { etag: string; body: string };
  d1.close();
  expect(after).toEqual({ etag: pending!.etag, body: pending!.body });

  const sam = pages['sam-patel']!;
  const countersign = cardWith(sam, 'Please countersign');
  await countersign.waitFor({ timeout: 30_000 });
  await countersign.getByLabel(/Comment/).fill('I do not agree with the analysis');
  await countersign.getByRole('button', { name: 'Record disagreement' }).click();
  await cardWith(pages['helen-carter']!, 'A supervision record has a recorded disagreement').waitFor({ timeout: 30_000 });
  await expect(pages['helen-carter']!.getByText('I do not agree').count()).resolves.toBe(0);
});
