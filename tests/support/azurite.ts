/**
 * Azurite (Microsoft's Azure Storage emulator, the npm package) for tests and
 * benchmarks: a child process on free ports, in memory, nothing written to disk.
 * It is never a mock: the Azure adapters talk to it with the real SDKs over HTTP.
 * If it cannot start, the caller fails loudly (no test is skipped).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/** Azurite's well-known development account (documented; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  connectionString: string;
  queuePort: number;
  tablePort: number;
  /** A name unique to this run, for tables and queues a test may create (lowercase letters and digits). */
  uniqueName(prefix: string): string;
  stop(): Promise<void>;
}

/**
 * `options.env` and `options.nodeArgs` reach Azurite's node process: the tenant tests preload their
 * clock shim there too, so queue visibility timeouts (wake-ups days ahead) run on the moved clock.
 */
export async function startAzurite(timeoutMs = 30_000, options: { env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<RunningAzurite> {
  const entry = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), entry, '--inMemoryPersistence', '--blobPort', '0', '--queuePort', '0', '--tablePort', '0', '--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1', '--skipApiVersionCheck', '--disableProductStyleUrl', '--disableTelemetry', '--silent'],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) },
  );
  let out = '';
  const ports = await new Promise<{ queue: number; table: number }>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const look = (chunk: Buffer) => {
      out += chunk.toString();
      const queue = /Queue service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      const table = /Table service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (queue && table) {
        clearTimeout(timer);
        resolve({ queue: Number(queue[1]), table: Number(table[1]) });
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`Azurite exited (code ${code}) before it was ready:\n${out}`)));
  });
  child.removeAllListeners('exit');
  const connectionString = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT}`,
    `AccountKey=${KEY}`,
    `QueueEndpoint=http://127.0.0.1:${ports.queue}/${ACCOUNT}`,
    `TableEndpoint=http://127.0.0.1:${ports.table}/${ACCOUNT}`,
  ].join(';');
  return {
    connectionString,
    queuePort: ports.queue,
    tablePort: ports.table,
    uniqueName: (prefix) => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** One Azurite for a test file: started before its tests, stopped after. */
export function useAzurite(): () => RunningAzurite {
  let azurite: RunningAzurite | undefined;
  beforeAll(async () => {
    azurite = await startAzurite();
  }, 60_000);
  afterAll(async () => {
    await azurite?.stop();
  });
  return () => {
    if (!azurite) throw new Error('Azurite is not running (useAzurite() must be called at the top of the test file)');
    return azurite;
  };
}
