/**
 * Starts the Microsoft 365 Agents Playground (Microsoft's Teams emulator) as a
 * child process pointed at our bot, and waits until it answers. Its config file
 * (.m365agentsplayground.yml) makes the seed organisation's people its users.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import fs from 'node:fs';
import { playgroundYaml } from './playgroundConfig';

export { PLAYGROUND_BOT_ID } from './playgroundConfig';

export interface PlaygroundHandle {
  /** The seed person this Playground is signed in as. */
  personId: string;
  url: string;
  connectorUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startPlayground(opts: { personId: string; port: number; botEndpoint: string; dataDir: string; timeoutMs?: number }): Promise<PlaygroundHandle> {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const dir = path.join(opts.dataDir, 'playground');
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, `${opts.personId}.yml`);
  fs.writeFileSync(configFile, playgroundYaml(opts.personId));
  const logFile = path.join(dir, `${opts.personId}.log`);
  const child = spawn(
    process.execPath,
    [cli, '--app-endpoint', opts.botEndpoint, '--channel-id', 'msteams', '--port', String(opts.port), '--disable-telemetry'],
    {
      env: {
        ...process.env,
        // It would otherwise try to open a desktop browser (and exit when there is none).
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const state = await Promise.race([exited.then((code) => ({ exited: code })), sleep(250).then(() => undefined)]);
    if (state) throw new Error(`The Agents Playground exited (code ${state.exited}) before it was ready. Log: ${logFile}\n${output}`);
    // It falls back to a random port when ours is taken, so read the one it chose.
    const port = /Listening on (\d+)/.exec(output)?.[1];
    if (port && (await answers(`http://localhost:${port}`))) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`The Agents Playground did not start within ${(opts.timeoutMs ?? 30_000) / 1000}s. Log: ${logFile}`);
    }
  }
  const url = `http://localhost:${/Listening on (\d+)/.exec(output)![1]}`;
  return {
    personId: opts.personId,
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
