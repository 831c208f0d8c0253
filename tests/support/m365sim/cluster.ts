/**
 * Several tenant-mode app processes (the compiled app, `node dist/main.js`,
 * PT_MODE=tenant) sharing one simulated Microsoft 365 and one Azurite, behind
 * one https front door that spreads requests over whichever instances are up
 * (a load balancer). Instances can be killed with SIGKILL (`kill -9`: no
 * shutdown hook runs) and started again on their own data directory, as a
 * crashed server would be restarted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type RunningAzurite } from '../azurite';
import { freePort } from '../ports';
import { runApp, type AppProcess } from '../runApp';
import { CLOCK_SHIM, clockFileIn, prepareWorld, type PreparedWorld, type World, type WorldOptions } from './world';

export interface Instance {
  name: string;
  dataDir: string;
  url?: string;
  app?: AppProcess;
  /** Output of every process this instance has been (kept across kills). */
  log: string;
  starts: number;
  kills: number;
  /** This instance's own environment, over the cluster's (kept across restarts). */
  env: Record<string, string>;
}

export interface Cluster extends World {
  instances: Instance[];
  azure: RunningAzurite;
  live(): Instance[];
  /** `kill -9`: the process dies where it stands. */
  kill(instance: Instance): void;
  /** Starts a killed (or stopped) instance again on its own data directory; waits until it serves. */
  restart(instance: Instance): Promise<void>;
  /** The instance the front door last sent a request for a path matching `match` to. */
  lastServed(match: RegExp): Instance | undefined;
  /** Sends every request to `instance` alone (while it is up), or, with undefined, to all again. */
  pin(instance: Instance | undefined): void;
}

export async function startCluster(opts: WorldOptions & { instances: number; instanceEnv?: (index: number) => Record<string, string> }): Promise<Cluster> {
  // Azurite runs on the moved clock too: a wake-up days ahead (a queue visibility timeout) falls due when the app's clock gets there.
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pt-cluster-'));
  fs.writeFileSync(clockFileIn(dataDir), '0');
  const azure = await startAzurite(60_000, { nodeArgs: ['--require', CLOCK_SHIM], env: { PT_SIM_CLOCK_FILE: clockFileIn(dataDir) } });
  const instances: Instance[] = [];
  const served: { instance: Instance; path: string }[] = [];
  let turn = 0;
  let pinned: Instance | undefined;
  const pick = () => {
    const up = instances.filter((i) => i.url && i.app?.child.exitCode === null && i.app.child.signalCode === null && (!pinned || i === pinned));
    if (up.length === 0) return undefined;
    return up[turn++ % up.length]!.url;
  };
  let base: PreparedWorld;
  try {
    base = await prepareWorld(
      { ...opts, dataDir, env: { PT_AZURE_STORAGE_CONNECTION_STRING: azure.connectionString, PT_AZURE_STORAGE_PREFIX: azure.uniqueName('pt'), ...opts.env } },
      (sim) => sim.frontDoor(pick, (target, p) => {
        const instance = instances.find((i) => i.url === target);
        if (instance) served.push({ instance, path: p });
        if (served.length > 1000) served.splice(0, 500);
      }),
    );
  } catch (err) {
    await azure.stop();
    throw err;
  }

  const start = async (instance: Instance) => {
    const port = await freePort();
    const before = instance.log;
    const app = await runApp({ env: { ...base.env, ...instance.env, PT_PORT: String(port), PT_DATA_DIR: instance.dataDir }, dataDir: instance.dataDir, playground: false, timeoutMs: 90_000 });
    instance.app = app;
    instance.url = `http://127.0.0.1:${port}`;
    instance.starts += 1;
    // The log reads through to the live process's output.
    Object.defineProperty(instance, 'log', { configurable: true, enumerable: true, get: () => `${before}${app.output()}` });
  };
  for (let i = 0; i < opts.instances; i++) {
    const dataDir = path.join(base.dataDir, `instance-${i + 1}`);
    fs.mkdirSync(dataDir, { recursive: true });
    instances.push({ name: `instance-${i + 1}`, dataDir, log: '', starts: 0, kills: 0, env: opts.instanceEnv?.(i) ?? {} });
  }
  await Promise.all(instances.map(start));

  const output = () => instances.map((i) => `=== ${i.name} (started ${i.starts}×, killed ${i.kills}×) ===\n${i.log.slice(-6000)}`).join('\n');
  const composite: AppProcess = {
    url: base.publicUrl,
    playgrounds: {},
    dataDir: base.dataDir,
    get child() {
      return instances[0]!.app!.child;
    },
    output,
    async stop() {
      await Promise.all(instances.map((i) => i.app?.stop()));
    },
  };
  return {
    ...base,
    app: composite,
    instances,
    azure,
    live: () => instances.filter((i) => i.app && i.app.child.exitCode === null && i.app.child.signalCode === null),
    kill(instance) {
      if (!instance.app || instance.app.child.exitCode !== null || instance.app.child.signalCode !== null) return;
      instance.app.child.kill('SIGKILL');
      instance.kills += 1;
      instance.url = undefined;
    },
    async restart(instance) {
      const child = instance.app?.child;
      if (child && child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
      await start(instance);
    },
    pin(instance) {
      pinned = instance;
    },
    lastServed(match) {
      for (let k = served.length - 1; k >= 0; k--) if (match.test(served[k]!.path)) return served[k]!.instance;
      return undefined;
    },
    async stop() {
      await composite.stop();
      await base.stop();
      await azure.stop();
    },
  };
}
