/**
 * A small organisation in the simulated Microsoft 365, and the compiled app
 * running against it in tenant mode: the setup both `npm run test:tenant` and
 * `npm run start:tenant-sim` use.
 *
 * - Entra ID: the seed organisation's people (Sam, Daniel, Helen, Priya, Joe)
 *   with their managers and working hours, in one people group.
 * - SharePoint: the site, provisioned by `pt provision` (the real command), and
 *   the admin's own entries: pt-people (roles, policy, staff group) and the
 *   supervision arrangements (through the app's SharePoint store, as an import would).
 * - The app: `node dist/main.js` with PT_MODE=tenant behind an https front door
 *   (its PT_PUBLIC_URL), its clock movable through a preloaded shim.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphHttp } from '../../../src/adapters/graph/graphHttp';
import { SharePointStore } from '../../../src/adapters/sharepoint/sharepointStore';
import type { Relationship } from '../../../src/domain/model';
import { SEED_PEOPLE } from '../../../src/seed/organisation';
import { permissionsOfType } from '../../../src/tenant/permissions';
import { freePort } from '../ports';
import { runApp, ROOT, type AppProcess } from '../runApp';
import { M365Sim } from './simulator';

export const TENANT_ID = '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01';
export const CLIENT_ID = '3f0c2a9e-6b1d-4c2e-9f3a-1d2b3c4d5e6f';
export const TEAMS_APP_ID = 'b7e1c2d3-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
export const PEOPLE_GROUP_ID = '9c8b7a65-4321-4fed-8cba-0987654321fe';
const SHIFT = path.join(__dirname, 'timeShift.cjs');

const seed = (id: string) => SEED_PEOPLE.find((p) => p.id === id)!;
export const PEOPLE = {
  sam: seed('sam-patel').aadObjectId,
  daniel: seed('daniel-okafor').aadObjectId,
  helen: seed('helen-carter').aadObjectId,
  priya: seed('priya-shah').aadObjectId,
  joe: seed('joe-bennett').aadObjectId,
};

export const RELATIONSHIPS: Relationship[] = [
  { id: 'rel-daniel-sam', kind: 'individual', supervisorId: PEOPLE.daniel, superviseeIds: [PEOPLE.sam], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2023-09-04', active: true },
  { id: 'rel-daniel-joe', kind: 'individual', supervisorId: PEOPLE.daniel, superviseeIds: [PEOPLE.joe], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2026-11-02', active: true },
];

export interface World {
  sim: M365Sim;
  app: AppProcess;
  /** The app's https address (PT_PUBLIC_URL): what Graph and the connector call. */
  publicUrl: string;
  env: Record<string, string>;
  /** The app's SharePoint data, read as the app reads it (for assertions on stored state). */
  store: SharePointStore;
  /** The app's PT_DATA_DIR (also where the clock offset is written). */
  dataDir: string;
  /** Requests `pt provision` made, per surface. */
  provisionCounts: Record<string, number>;
  /** Moves the app's and the simulator's clocks to `offsetMs` ahead of real time. */
  setClock(offsetMs: number): void;
  now(): number;
  runPt(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** A delegated token for the tab API, as Entra would issue it to `userId`. */
  userToken(userId: string): Promise<string>;
  api(userId: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  port?: number;
  log?: string;
  /** Extra environment for the app (PT_JOB_INTERVAL_SECONDS and the like). */
  env?: Record<string, string>;
  /** Called between provisioning and starting the app (faults, calendar settings). */
  beforeStart?: (sim: M365Sim) => void | Promise<void>;
  /** The data directory (made when not given); its `clock-offset` file holds the moved clock. */
  dataDir?: string;
  /**
   * Where the world's clock starts (an ISO instant; default: now). A test whose outcome depends on the
   * time of day or the day of the week (a digest goes out in working hours, not at night or at the
   * weekend) starts at a fixed instant, so it does not pass at one hour and fail at another.
   */
  startAt?: string;
}

/** The file the clock shim (timeShift.cjs) reads the offset from, in a world's data directory. */
export const clockFileIn = (dataDir: string) => path.join(dataDir, 'clock-offset');
/** Node options that preload the clock shim: the app's processes and Azurite's run on the moved clock. */
export const CLOCK_SHIM = SHIFT;

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const port = opts.port ?? (await freePort());
  const base = await prepareWorld(opts, (sim) => sim.frontDoor(`http://127.0.0.1:${port}`));
  const app = await runApp({ env: { ...base.env, PT_PORT: String(port) }, dataDir: base.dataDir, playground: false, timeoutMs: 60_000 });
  return {
    ...base,
    app,
    async stop() {
      await app.stop();
      await base.stop();
    },
  };
}

/** Everything but the app process: the simulator, its front door, `pt provision`, the admin's entries. */
export type PreparedWorld = Omit<World, 'app'>;

/**
 * The simulated tenant, provisioned and seeded, with the environment an app
 * process needs (add PT_PORT); `frontDoor` makes the https address Graph and
 * the connector call (one app behind it, or several: tests/support/m365sim/cluster.ts).
 */
export async function prepareWorld(opts: WorldOptions, frontDoor: (sim: M365Sim) => Promise<string>): Promise<PreparedWorld> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pt-tenant-'));
  const clockFile = clockFileIn(dataDir);
  let offset = opts.startAt ? Date.parse(opts.startAt) - Date.now() : 0;
  fs.writeFileSync(clockFile, String(offset));
  const now = () => Date.now() + offset;
  const sim = await M365Sim.start({
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    teamsAppId: TEAMS_APP_ID,
    roles: permissionsOfType('Application').map((p) => p.permission),
    now,
  });
  for (const key of Object.keys(PEOPLE) as (keyof typeof PEOPLE)[]) {
    const p = SEED_PEOPLE.find((x) => x.aadObjectId === PEOPLE[key])!;
    const manager = p.lineManagerId ? SEED_PEOPLE.find((x) => x.id === p.lineManagerId)?.aadObjectId : undefined;
    const days = { mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday' } as const;
    sim.addUser({
      id: p.aadObjectId,
      displayName: p.displayName,
      mail: p.email.replace('riverside.example', 'riverside.onmicrosoft.com'),
      jobTitle: p.jobTitle,
      department: p.team,
      ...(manager ? { managerId: manager } : {}),
      workingHours: { daysOfWeek: p.workingHours.days.map((d) => days[d]), startTime: p.workingHours.start, endTime: p.workingHours.end, timeZone: 'GMT Standard Time' },
    });
  }
  sim.addGroup(PEOPLE_GROUP_ID, Object.values(PEOPLE));

  const publicUrl = await frontDoor(sim);
  const env: Record<string, string> = {
    ...sim.appEnv(),
    PT_MODE: 'tenant',
    PT_PUBLIC_URL: publicUrl,
    PT_DATA_DIR: dataDir,
    CLIENT_SECRET: 'simulated-client-secret',
    APPLICATION_ID_URI: `api://127.0.0.1/${CLIENT_ID}`,
    SHAREPOINT_SITE_URL: sim.sp.siteUrl,
    PEOPLE_GROUP_ID,
    PT_JOB_INTERVAL_SECONDS: '1',
    PT_RECONCILE_SWEEP_MINUTES: '1',
    PT_LOG_LEVEL: opts.log ?? 'info',
    PT_SIM_CLOCK_FILE: clockFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${SHIFT}`.trim(),
    ...opts.env,
  };

  const runPt = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'pt.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  // pt provision: the real command, against the simulated site.
  sim.takeCounts();
  const provisioned = await runPt(['provision', '--json']);
  if (provisioned.code !== 0) throw new Error(`pt provision failed:\n${provisioned.stdout}\n${provisioned.stderr}`);
  const provisionCounts = sim.takeCounts();

  // The admin's own entries in SharePoint.
  const http = new GraphHttp({ baseUrl: sim.graphBaseUrl, token: { getToken: () => sim.tokens.appToken(TENANT_ID, CLIENT_ID, 'https://graph.microsoft.com', ['Sites.Selected']) }, baseDelayMs: 10 });
  for (const id of Object.values(PEOPLE)) {
    const p = SEED_PEOPLE.find((x) => x.aadObjectId === id)!;
    const res = await fetch(`${sim.graphBaseUrl}/sites/${sim.sp.siteId}/lists/pt-people/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sim.tokens.appToken(TENANT_ID, CLIENT_ID, 'https://graph.microsoft.com', [])}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { Title: p.displayName, aadObjectId: id, roles: p.roles.join(';'), ...(p.policyId ? { policyId: p.policyId } : {}), ...(p.staffGroupId ? { staffGroupId: p.staffGroupId } : {}), startedOn: p.startedOn } }),
    });
    if (res.status !== 201) throw new Error(`seeding pt-people failed: ${res.status} ${await res.text()}`);
  }
  const store = new SharePointStore({ http, site: { siteUrl: sim.sp.siteUrl } });
  for (const rel of RELATIONSHIPS) await store.saveRelationship(rel);
  await opts.beforeStart?.(sim);
  sim.takeCounts();

  const userToken = (userId: string) => sim.tokens.userToken(TENANT_ID, CLIENT_ID, sim.users.get(userId)!);
  return {
    sim,
    publicUrl,
    env,
    store,
    dataDir,
    provisionCounts,
    now,
    setClock(ms: number) {
      offset = ms;
      fs.writeFileSync(clockFile, String(ms));
    },
    runPt,
    userToken,
    async api(userId, method, p, body) {
      const res = await fetch(`${publicUrl}/api/v1${p}`, {
        method,
        headers: { authorization: `Bearer ${await userToken(userId)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* text */
      }
      return { status: res.status, body: parsed };
    },
    async stop() {
      await sim.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
