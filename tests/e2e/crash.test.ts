/**
 * Issue #6 crash test: the app is killed (SIGKILL, via a local-mode fault
 * injection point) after it has detected a cancellation, and again after it has
 * created the new calendar event but before recording it; after each restart
 * exactly one rebooked event exists.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedCalendar } from '../../src/adapters/embedded/calendar';
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

async function cancelSecondSession(app: AppProcess): Promise<string> {
  const db = openDatabase(file(app));
  try {
    const s = db.prepare("SELECT * FROM sessions WHERE relationship_id = 'rel-daniel-sam' AND status = 'planned' ORDER BY start").all()[1] as Record<string, string>;
    await new EmbeddedCalendar(db, { now: () => new Date() }).cancelOccurrence('daniel-okafor', s.calendar_event_id!, s.occurrence_start!, '');
    return s.id!;
  } finally {
    db.close();
  }
}

function rebookedEvents(app: AppProcess, sessionId: string): number {
  const db = new DatabaseSync(file(app), { readOnly: true });
  try {
    return (db.prepare('SELECT COUNT(*) n FROM cal_events WHERE transaction_id = ? AND cancelled = 0').get(`rebook:${sessionId}`) as { n: number }).n;
  } finally {
    db.close();
  }
}

it.each(['rebook-after-detect', 'rebook-after-create'])('killed at %s and restarted: exactly one rebooked event', async (point) => {
  const env = { PT_JOB_INTERVAL_SECONDS: '1' };
  const first = await runApp({ playground: false, env: { ...env, PT_TEST_CRASH_AT: point } });
  const sessionId = await cancelSecondSession(first);
  await exited(first);
  expect(first.child.signalCode).toBe('SIGKILL');
  expect(rebookedEvents(first, sessionId)).toBe(point === 'rebook-after-detect' ? 0 : 1);

  const second = await runApp({ playground: false, env, dataDir: first.dataDir });
  try {
    // The dead worker's lease on the rebook (20 s) has to run out first.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const db = new DatabaseSync(file(second), { readOnly: true });
      const done = db.prepare("SELECT status FROM outbox WHERE kind = 'rebook' AND key = ?").get(sessionId) as { status: string } | undefined;
      db.close();
      if (done?.status === 'done') break;
      if (Date.now() > deadline) throw new Error('the rebook was not finished after the restart');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(rebookedEvents(second, sessionId)).toBe(1);
    const db = new DatabaseSync(file(second), { readOnly: true });
    const replacements = db.prepare("SELECT COUNT(*) n FROM sessions WHERE replaces_session_id = ?").get(sessionId) as { n: number };
    db.close();
    expect(replacements.n).toBe(1);
  } finally {
    await second.stop();
  }
});
