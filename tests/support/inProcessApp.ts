/**
 * The whole app (Teams SDK bot, tab API, jobs) in this process, local mode,
 * without Playgrounds: for tests that drive every HTTP route and card verb.
 * The data directory is new and seeded; rate limits are scaled up so a test's
 * hundreds of requests are not refused for their number.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { loadConfig } from '../../src/config/env';
import { createLogger } from '../../src/logging';
import { startApp, type RunningApp } from '../../src/runtime/start';
import { freePort } from './ports';
import { ROOT } from './services';

export interface InProcessApp {
  app: RunningApp;
  base: string;
  db: DatabaseSync;
  stop(): Promise<void>;
}

export async function startInProcess(env: Record<string, string> = {}): Promise<InProcessApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-inproc-'));
  const port = await freePort();
  const config = loadConfig(
    { PT_MODE: 'local', PT_PLAYGROUND: 'false', PT_PORT: String(port), PT_HOST: '127.0.0.1', PT_DATA_DIR: dataDir, PT_LOG_LEVEL: 'silent', PT_JOB_INTERVAL_SECONDS: '3600', PT_RATE_LIMIT_MULTIPLIER: '1000', ...env },
    ROOT,
  );
  const app = await startApp(config, { log: createLogger('silent') });
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    db: app.services.embedded!.db,
    async stop() {
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Everything stored except the audit trail (refusals are audited on purpose),
 * leases, and the bot's conversation references (the bot remembers the chat
 * address of whoever writes to it, whatever they ask): one string to compare.
 */
export function storedState(db: DatabaseSync): string {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((t) => t.name)
    .filter((t) => !/audit|lease|migration|conversation_refs/i.test(t));
  return tables.map((t) => `${t}:${JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())}`).join('\n');
}
