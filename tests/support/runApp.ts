/**
 * Starts the built app exactly as `npm start` does (node dist/main.js) on free
 * ports with a fresh data directory, and waits for its "running" banner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface AppProcess {
  url: string;
  /** The first Playground (signed in as Sam Patel unless PT_PLAYGROUND_AS says otherwise). */
  playgroundUrl?: string;
  /** Playground URL per seed person it is signed in as. */
  playgrounds: Record<string, string>;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function runApp(opts: { env?: Record<string, string>; playground?: boolean; dataDir?: string; timeoutMs?: number } = {}): Promise<AppProcess> {
  const main = path.join(ROOT, 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error('dist/main.js is missing: run `npm run build` first (npm test does).');
  const port = await freePort();
  const playgroundPort = await freePort();
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pt-e2e-'));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', main], {
    cwd: ROOT,
    env: {
      ...process.env,
      PT_MODE: 'local',
      PT_PORT: String(port),
      PT_HOST: '127.0.0.1',
      PT_PLAYGROUND: opts.playground === false ? 'false' : 'true',
      PT_PLAYGROUND_PORT: String(playgroundPort),
      PT_DATA_DIR: dataDir,
      PT_LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const deadline = Date.now() + (opts.timeoutMs ?? 45_000);
  while (!/Protected Time is running/.test(out)) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app did not start in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const playgrounds: Record<string, string> = {};
  for (const m of out.matchAll(/(http:\/\/localhost:\d+)\s+\(Teams emulator, signed in as ([a-z-]+)\)/g)) playgrounds[m[2]!] = m[1]!;
  return {
    url: `http://127.0.0.1:${port}`,
    playgroundUrl: Object.values(playgrounds)[0],
    playgrounds,
    dataDir,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}
