/**
 * Starts the Microsoft 365 Agents Playground (Microsoft's Teams emulator) as a
 * child process pointed at our bot, and waits until it answers. Its config file
 * (.m365agentsplayground.yml) makes the seed organisation's people its users.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const PLAYGROUND_CONFIG = path.resolve(__dirname, '..', '..', '.m365agentsplayground.yml');
/** The bot id in .m365agentsplayground.yml; local mode uses it as the app id. */
export const PLAYGROUND_BOT_ID = '00000000-0000-0000-0000-00000000b07a';

export interface PlaygroundHandle {
  url: string;
  connectorUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startPlayground(opts: { port: number; botEndpoint: string; logFile: string; timeoutMs?: number }): Promise<PlaygroundHandle> {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(
    process.execPath,
    [cli, '--app-endpoint', opts.botEndpoint, '--channel-id', 'msteams', '--port', String(opts.port), '--disable-telemetry'],
    {
      env: {
        ...process.env,
        // It would otherwise try to open a desktop browser (and exit when there is none).
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: opts.logFile,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: PLAYGROUND_CONFIG,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = `http://localhost:${opts.port}`;
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const state = await Promise.race([exited.then((code) => ({ exited: code })), sleep(250).then(() => undefined)]);
    if (state) throw new Error(`The Agents Playground exited (code ${state.exited}) before it was ready. Log: ${opts.logFile}\n${output}`);
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`The Agents Playground did not answer on ${url} within ${(opts.timeoutMs ?? 30_000) / 1000}s. Log: ${opts.logFile}`);
    }
  }
  return {
    url,
    connectorUrl: `${url}/_connector`,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
