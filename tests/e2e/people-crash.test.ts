/**
 * Issue #20 crash test: a handover is killed (SIGKILL, via the local-mode fault
 * injection points) after Daniel's sessions left his calendar, and again after
 * Grace's series was booked but before the paperwork and cards; after a restart
 * the job finishes it: one series in Grace's calendar, nothing in Daniel's,
 * each person told once, and the same request again changes nothing.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(180_000);

const file = (app: AppProcess) => path.join(app.dataDir, 'protected-time.sqlite');

async function exited(app: AppProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (app.child.exitCode === null && app.child.signalCode === null) {
    if (Date.now() > deadline) throw new Error('the app did not crash where expected');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function query<T>(app: AppProcess, sql: string, ...args: string[]): T[] {
  const db = new DatabaseSync(file(app), { readOnly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

const handover = (app: AppProcess) =>
  fetch(`${app.url}/api/v1/handovers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pt-local-user': 'priya-shah' },
    body: JSON.stringify({ relationshipIds: ['rel-daniel-sam'], toId: 'grace-whitfield', note: 'E2E crash note', requestKey: 'e2e-crash-handover-1' }),
  });

it.each(['move-after-cancel', 'move-after-book'])('killed at %s and restarted: the handover finishes once', async (point) => {
  const env = { PT_JOB_INTERVAL_SECONDS: '600' };
  const first = await runApp({ playground: false, env: { ...env, PT_TEST_CRASH_AT: point } });
  await handover(first).catch(() => undefined); // the process dies mid-request
  await exited(first);
  expect(first.child.signalCode).toBe('SIGKILL');
  const graceSeries = () => query<{ n: number }>(first, "SELECT COUNT(*) n FROM cal_events WHERE organiser_id = 'grace-whitfield' AND transaction_id LIKE 'move:%' AND cancelled = 0")[0]!.n;
  expect(graceSeries()).toBe(point === 'move-after-book' ? 1 : 0);

  const second = await runApp({ playground: false, env, dataDir: first.dataDir });
  try {
    // The dead worker's leases (two minutes on the app's clock) have to run out: move the test clock on, then run the jobs.
    await fetch(`${second.url}/api/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'PT5M' }) });
    await fetch(`${second.url}/api/dev/jobs/run`, { method: 'POST' });
    const done = query<{ status: string }>(second, "SELECT status FROM outbox WHERE kind = 'people-move'");
    expect(done.map((d) => d.status)).toEqual(['done']);
    expect(graceSeries()).toBe(1);
    const rel = query<{ supervisor_id: string }>(second, "SELECT supervisor_id FROM relationships WHERE id = 'rel-daniel-sam'")[0]!;
    expect(rel.supervisor_id).toBe('grace-whitfield');
    expect(query<{ key: string }>(second, "SELECT key FROM ledger WHERE kind = 'move-told'")).toHaveLength(3);
    // Daniel's calendar holds no future occurrence of Sam's supervision.
    const now = (await (await fetch(`${second.url}/api/dev/clock`)).json()).now as string;
    const me = await (await fetch(`${second.url}/api/v1/me`, { headers: { 'x-pt-local-user': 'daniel-okafor' } })).json();
    expect((me.upcoming as { with: string[] }[]).filter((u) => u.with.includes('Sam Patel'))).toEqual([]);
    const sams = await (await fetch(`${second.url}/api/v1/me`, { headers: { 'x-pt-local-user': 'sam-patel' } })).json();
    expect((sams.upcoming as { start: string; with: string[] }[]).every((u) => u.with.includes('Grace Whitfield') && u.start > now)).toBe(true);
    // The same request again: the same outcome, nothing more booked or told.
    const again = await handover(second);
    expect(again.status).toBe(201);
    expect((await again.json()).handovers[0]).toMatchObject({ outcome: 'moved' });
    expect(graceSeries()).toBe(1);
    expect(query<{ key: string }>(second, "SELECT key FROM ledger WHERE kind = 'move-told'")).toHaveLength(3);
  } finally {
    await second.stop();
  }
});
