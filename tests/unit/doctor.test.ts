/**
 * pt doctor against a fake tenant: Graph, the token endpoint and the app's
 * public URL are all stand-ins, so each failure an admin can meet is staged
 * and the advice checked.
 */
import { LIST_VERSIONING } from '../../src/adapters/sharepoint/listVersioning';
import path from 'node:path';
import { Command } from 'commander';
import { CliFailure, type CliIO } from '../../src/cli/pt';
import { registerDoctorCommand } from '../../src/cli/doctorCommand';
import { explainTokenError, formatDoctorReport, graphSitePath, runDoctor, type DoctorDeps, type DoctorReport } from '../../src/tenant/doctor';
import { APP_LISTS } from '../../src/tenant/lists';
import { permissionsOfType } from '../../src/tenant/permissions';
import type { TenantEnv } from '../../src/config/env';

const ROOT = path.resolve(__dirname, '..', '..');
const TENANT = '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01';
const CLIENT_ID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';
const SITE_ID = 'riverside.sharepoint.com,1111,2222';

const ENV: NodeJS.ProcessEnv = {
  PT_MODE: 'tenant',
  PT_PUBLIC_URL: 'https://pt.riverside.example',
  TENANT_ID: TENANT,
  CLIENT_ID,
  CLIENT_SECRET: 'secret-value',
  APPLICATION_ID_URI: `api://pt.riverside.example/${CLIENT_ID}`,
  SHAREPOINT_SITE_URL: 'https://riverside.sharepoint.com/sites/protected-time',
  PEOPLE_GROUP_ID: '77777777-7777-4777-8777-777777777777',
  TEAMS_APP_ID: '2b0c3a4e-9f6d-4c1e-8a7b-5d4c3b2a1f00',
};

const ALL_ROLES = permissionsOfType('Application').map((p) => p.permission);

/** An app-only token as Entra shapes it (doctor decodes it; it does not verify it). */
function appToken(claims: Record<string, unknown> = {}): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ aud: 'https://graph.microsoft.com', tid: TENANT, appid: CLIENT_ID, roles: ALL_ROLES, ...claims })}.sig`;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

interface Tenant {
  site?: Response | (() => Response);
  lists?: string[][];
  health?: Response | Error;
  messages?: Response | Error;
  /** The answer to /api/messages carrying an Entra token for the app itself. */
  entraMessages?: Response;
  /** The answer to GET /users/{outsider}/calendar (403 when an access policy scopes the app). */
  outsiderCalendar?: Response;
  /** SharePoint REST: a list's versioning (default: as LIST_VERSIONING wants), or the answer to give. */
  versioning?: (list: string) => Response | { EnableVersioning: boolean; MajorVersionLimit: number };
}

function fakeFetch(t: Tenant = {}): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const pages = t.lists ?? [[...APP_LISTS]];
  const f = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    if (url.startsWith('https://graph.microsoft.com/v1.0/sites/riverside.sharepoint.com:/sites/protected-time?')) {
      expect(new Headers(init?.headers).get('authorization')).toMatch(/^Bearer /);
      const site = t.site ?? json(200, { id: SITE_ID, displayName: 'Protected Time', webUrl: ENV.SHAREPOINT_SITE_URL });
      return typeof site === 'function' ? site() : site;
    }
    const listPage = /\/sites\/([^/]+)\/lists\?.*page=(\d+)|\/sites\/([^/]+)\/lists\?/.exec(url);
    if (listPage) {
      const page = Number(/page=(\d+)/.exec(url)?.[1] ?? 0);
      const value = (pages[page] ?? []).map((name, i) => ({ id: `${page}-${i}`, name, displayName: name }));
      const next = page + 1 < pages.length ? `https://graph.microsoft.com/v1.0/sites/${SITE_ID}/lists?$skiptoken=x&page=${page + 1}` : undefined;
      return json(200, { value, ...(next ? { '@odata.nextLink': next } : {}) });
    }
    const rest = /^https:\/\/riverside\.sharepoint\.com\/sites\/protected-time\/_api\/web\/lists\/getbytitle\('([^']+)'\)\?\$select=EnableVersioning,MajorVersionLimit$/.exec(url);
    if (rest) {
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer sharepoint-token');
      const want = LIST_VERSIONING.find((l) => l.name === rest[1])!.want;
      const v = t.versioning?.(rest[1]!) ?? { EnableVersioning: want.enabled, MajorVersionLimit: want.majorVersionLimit ?? 500 };
      return v instanceof Response ? v : json(200, v);
    }
    if (url === 'https://pt.riverside.example/healthz') {
      const h = t.health ?? json(200, { status: 'ok', mode: 'tenant' });
      if (h instanceof Error) throw h;
      return h;
    }
    if (url.startsWith(`https://graph.microsoft.com/v1.0/groups/${ENV.PEOPLE_GROUP_ID}/transitiveMembers/microsoft.graph.user?`)) return json(200, { value: [{ id: 'member-1' }] });
    if (url.startsWith('https://graph.microsoft.com/v1.0/users?')) return json(200, { value: [{ id: 'member-1', mail: 'm@riverside.example' }, { id: 'outsider-1', mail: 'o@riverside.example' }] });
    if (url.startsWith('https://graph.microsoft.com/v1.0/users/outsider-1/calendar?')) {
      return t.outsiderCalendar ?? json(403, { error: { code: 'ErrorAccessDenied', message: 'Access to OData is disabled: blocked by tenant configured AppOnly AccessPolicy settings.' } });
    }
    if (url === 'https://pt.riverside.example/api/messages' && new Headers(init?.headers).get('authorization')) {
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer entra-token-for-the-app');
      return t.entraMessages ?? json(401, { error: 'Bot Framework authentication required' });
    }
    if (url === 'https://pt.riverside.example/api/messages') {
      expect(new Headers(init?.headers).get('authorization')).toBeNull();
      const m = t.messages ?? json(401, { error: 'unauthorized' });
      if (m instanceof Error) throw m;
      return m;
    }
    throw new Error(`unexpected request ${url}`);
  };
  return { fetch: f as typeof fetch, calls };
}

function deps(t: Tenant = {}, token: string | Error = appToken()): DoctorDeps & { calls: string[]; tokenCalls: TenantEnv[] } {
  const { fetch, calls } = fakeFetch(t);
  const tokenCalls: TenantEnv[] = [];
  return {
    fetch,
    calls,
    tokenCalls,
    cwd: ROOT,
    acquireToken: async (env) => {
      tokenCalls.push(env);
      if (token instanceof Error) throw token;
      return token;
    },
    acquireTokenFor: async (_env, scope) => {
      if (scope === 'https://riverside.sharepoint.com/.default') return 'sharepoint-token';
      expect(scope).toBe(`${ENV.APPLICATION_ID_URI}/.default`);
      return 'entra-token-for-the-app';
    },
  };
}

const byId = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id);

describe('pt doctor: list item versioning (#21)', () => {
  it('warns, naming the list, when a case-detail list keeps item versions', async () => {
    const report = await runDoctor(ENV, deps({ versioning: (l) => ({ EnableVersioning: l === 'pt-records' || l === 'pt-sessions', MajorVersionLimit: l === 'pt-sessions' ? 50 : 500 }) }));
    expect(byId(report, 'lists:versioning')).toMatchObject({ status: 'warn', detail: expect.stringContaining('pt-records is on, 500 major versions, should be off') });
    expect(byId(report, 'lists:versioning')!.detail).not.toContain('pt-sessions');
    expect(byId(report, 'lists:versioning')!.detail).toContain('pt-audit is off, should be on, 50 major versions');
  });

  it('throttling (429 with Retry-After) is waited out and asked again, not reported', async () => {
    let throttled = 0;
    const report = await runDoctor(ENV, deps({
      versioning: (l) => {
        if (l !== 'pt-records' || throttled++ > 0) return { EnableVersioning: false, MajorVersionLimit: 500 };
        return new Response(JSON.stringify({ error: { code: 'TooManyRequests' } }), { status: 429, headers: { 'retry-after': '1' } });
      },
    }));
    expect(throttled).toBe(2);
    expect(byId(report, 'lists:versioning')).toMatchObject({ status: expect.stringMatching(/ok|warn/) });
    expect(byId(report, 'lists:versioning')!.detail).not.toContain('429');
  });

  it('a SharePoint refusal (app-only token from a client secret) is a warning with the fix', async () => {
    const report = await runDoctor(ENV, deps({ versioning: () => json(401, { error_description: 'Unsupported app only token.' }) }));
    expect(byId(report, 'lists:versioning')).toMatchObject({ status: 'warn', fix: expect.stringContaining('certificate') });
    expect(report.ok).toBe(true);
  });

  it('the intended settings: off for case detail and work state, on elsewhere', () => {
    const want = Object.fromEntries(LIST_VERSIONING.map((l) => [l.name, l.want.enabled]));
    for (const off of ['pt-records', 'pt-agreements', 'pt-actions', 'pt-record-versions', 'pt-leases', 'pt-outbox', 'pt-ledger', 'pt-calendar-delta']) expect([off, want[off]]).toEqual([off, false]);
    for (const on of ['pt-sessions', 'pt-series', 'pt-relationships', 'pt-people', 'pt-audit']) expect([on, want[on]]).toEqual([on, true]);
  });
});

describe('pt doctor', () => {
  it('passes a correctly set-up tenant, checking everything in order', async () => {
    const d = deps();
    const report = await runDoctor(ENV, d);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      'config',
      'token',
      ...ALL_ROLES.map((p) => `permission:${p}`),
      'permission:User.Read',
      'permissions:calendar-scope',
      'site',
      'lists',
      'teams:reachability',
      'lists:versioning',
      'bot:health',
      'bot:messages',
      'bot:entra-token',
    ]);
    expect(byId(report, 'permissions:calendar-scope')?.status).toBe('ok');
    expect(byId(report, 'bot:entra-token')?.status).toBe('ok');
    expect(byId(report, 'permission:User.Read')?.status).toBe('skip');
    expect(d.tokenCalls[0]).toMatchObject({ TENANT_ID: TENANT, CLIENT_ID });
    expect(formatDoctorReport(report)).toMatch(/Everything pt doctor can check is in order\.$/);
  });

  it('warns when Calendars.ReadWrite reaches a mailbox outside the people group (no access policy)', async () => {
    const report = await runDoctor(ENV, deps({ outsiderCalendar: json(200, { id: 'cal-1' }) }));
    expect(byId(report, 'permissions:calendar-scope')).toMatchObject({ status: 'warn', fix: expect.stringContaining('New-ApplicationAccessPolicy') });
  });

  it('fails when the bot endpoint takes an Entra token for the app (the tab could act as anyone)', async () => {
    const report = await runDoctor(ENV, deps({ entraMessages: json(200, {}) }));
    expect(byId(report, 'bot:entra-token')).toMatchObject({ status: 'fail' });
    expect(report.ok).toBe(false);
  });

  it('stops at a bad configuration and names the variables', async () => {
    const { TENANT_ID: _t, SHAREPOINT_SITE_URL: _s, ...env } = ENV;
    const d = deps();
    const report = await runDoctor(env, d);
    expect(report.ok).toBe(false);
    const config = byId(report, 'config')!;
    expect(config.status).toBe('fail');
    expect(config.detail).toMatch(/TENANT_ID \(not set\)/);
    expect(config.detail).toMatch(/SHAREPOINT_SITE_URL \(not set\)/);
    expect(report.checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
    expect(d.tokenCalls).toEqual([]);
    expect(d.calls).toEqual([]);
  });

  it('says so when the app is configured for local mode', async () => {
    const report = await runDoctor({ PT_MODE: 'local' }, deps());
    expect(byId(report, 'config')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/PT_MODE=tenant/) });
  });

  it('turns a wrong client secret into the steps to make a new one', async () => {
    const err = new Error('invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\nTrace ID: x');
    const report = await runDoctor(ENV, deps({}, err));
    const token = byId(report, 'token')!;
    expect(token.status).toBe('fail');
    expect(token.detail).not.toMatch(/Trace ID/);
    expect(token.fix).toMatch(/Certificates & secrets.*CLIENT_SECRET/);
    expect(byId(report, 'site')?.status).toBe('skip');
  });

  it('names each missing permission and where to grant it, and flags broader ones', async () => {
    const roles = ALL_ROLES.filter((r) => r !== 'Sites.Selected' && r !== 'User.Read.All').concat('Sites.ReadWrite.All');
    const report = await runDoctor(ENV, deps({}, appToken({ roles })));
    expect(report.ok).toBe(false);
    for (const missing of ['Sites.Selected', 'User.Read.All']) {
      const c = byId(report, `permission:${missing}`)!;
      expect(c.status).toBe('fail');
      expect(c.fix).toMatch(new RegExp(`Application permissions > ${missing.replace('.', '\\.')}, then "Grant admin consent"`));
    }
    expect(byId(report, 'permission:Calendars.ReadWrite')?.status).toBe('ok');
    expect(byId(report, 'permission:extra')).toMatchObject({ status: 'warn', detail: expect.stringContaining('Sites.ReadWrite.All') });
  });

  it('notices a token from another app or tenant', async () => {
    const report = await runDoctor(ENV, deps({}, appToken({ tid: '11111111-2222-4333-8444-555555555555' })));
    expect(byId(report, 'token')).toMatchObject({ status: 'fail', detail: expect.stringContaining('issued by tenant 11111111') });
  });

  it('explains a missing Sites.Selected grant with the exact request to make', async () => {
    const report = await runDoctor(ENV, deps({ site: json(403, { error: { code: 'accessDenied', message: 'Access denied' } }) }));
    const site = byId(report, 'site')!;
    expect(site.status).toBe('fail');
    expect(site.detail).toMatch(/HTTP 403 accessDenied/);
    expect(site.fix).toContain('POST https://graph.microsoft.com/v1.0/sites/{site-id}/permissions');
    expect(site.fix).toContain(`"application":{"id":"${CLIENT_ID}"`);
    expect(byId(report, 'lists')?.status).toBe('skip');
  });

  it('tells a wrong site address apart from a missing grant', async () => {
    const report = await runDoctor(ENV, deps({ site: json(404, { error: { code: 'itemNotFound', message: 'Requested site could not be found' } }) }));
    expect(byId(report, 'site')?.fix).toMatch(/No site at https:\/\/riverside\.sharepoint\.com\/sites\/protected-time/);
  });

  it('lists the missing lists (across pages) and says to run pt provision', async () => {
    const present = APP_LISTS.filter((l) => l !== 'pt-audit' && l !== 'pt-outbox');
    const report = await runDoctor(ENV, deps({ lists: [present.slice(0, 4), ['Documents', ...present.slice(4)]] }));
    const lists = byId(report, 'lists')!;
    expect(lists.status).toBe('fail');
    expect(lists.detail).toBe(`${APP_LISTS.length - 2} of ${APP_LISTS.length} present; missing pt-audit, pt-outbox`);
    expect(lists.fix).toMatch(/pt provision --site https:\/\/riverside\.sharepoint\.com\/sites\/protected-time/);
  });

  it('checks the bot endpoint is up and refuses unsigned requests', async () => {
    const down = await runDoctor(ENV, deps({ health: new Error('getaddrinfo ENOTFOUND pt.riverside.example'), messages: new Error('getaddrinfo ENOTFOUND pt.riverside.example') }));
    expect(byId(down, 'bot:health')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/PT_PUBLIC_URL/) });
    expect(byId(down, 'bot:messages')?.status).toBe('fail');

    const open = await runDoctor(ENV, deps({ messages: json(200, {}) }));
    expect(byId(open, 'bot:messages')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/accepted a request with no Bot Framework token/) });

    const local = await runDoctor(ENV, deps({ health: json(200, { status: 'ok', mode: 'local' }) }));
    expect(byId(local, 'bot:health')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/PT_MODE=tenant/) });
  });

  it('prints each check with ok / FAIL and a fix under each problem', async () => {
    const report = await runDoctor(ENV, deps({ site: json(403, { error: { code: 'accessDenied' } }) }));
    const text = formatDoctorReport(report);
    expect(text).toMatch(/^ok {4}Configuration: tenant 7d2c1a52/m);
    expect(text).toMatch(/^FAIL {2}SharePoint site: GET \/sites\/riverside\.sharepoint\.com:\/sites\/protected-time: HTTP 403 accessDenied\n {6}Fix: The app has no grant on this site/m);
    expect(text).toMatch(/^skip {2}SharePoint lists: needs the site/m);
    expect(text).toMatch(/1 problem to fix/);
  });
});

describe('doctor helpers', () => {
  it('addresses sites the way Graph does', () => {
    expect(graphSitePath('https://riverside.sharepoint.com/sites/protected-time/')).toBe('/sites/riverside.sharepoint.com:/sites/protected-time');
    expect(graphSitePath('https://riverside.sharepoint.com/')).toBe('/sites/riverside.sharepoint.com');
    expect(graphSitePath('https://riverside.sharepoint.com/sites/Protected Time')).toBe('/sites/riverside.sharepoint.com:/sites/Protected%20Time');
  });

  it('explains the common Entra errors', () => {
    const env = { ...ENV, PT_MODE: 'tenant' } as unknown as TenantEnv;
    expect(explainTokenError('AADSTS700016: Application not found', env)).toMatch(/no app registration/);
    expect(explainTokenError('AADSTS90002: Tenant not found', env)).toMatch(/TENANT_ID/);
    expect(explainTokenError('AADSTS7000222: expired', env)).toMatch(/expired/);
    expect(explainTokenError('AADSTS700027: Client assertion failed', env)).toMatch(/certificate/);
    expect(explainTokenError('ECONNREFUSED', env)).toMatch(/login\.microsoftonline\.com/);
  });
});

describe('pt doctor command', () => {
  function io(): CliIO & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { out: (s) => stdout.push(s), err: (s) => stderr.push(s), env: ENV, cwd: ROOT, stdout, stderr };
  }

  it('prints the report and succeeds when all is well', async () => {
    const o = io();
    const program = new Command('pt').exitOverride();
    registerDoctorCommand(program, o, deps());
    await program.parseAsync(['doctor'], { from: 'user' });
    expect(o.stdout.join('')).toMatch(/Everything pt doctor can check is in order/);

    const j = io();
    const p2 = new Command('pt').exitOverride();
    registerDoctorCommand(p2, j, deps());
    await p2.parseAsync(['doctor', '--json'], { from: 'user' });
    expect(JSON.parse(j.stdout.join(''))).toMatchObject({ ok: true });
  });

  it('fails (non-zero through runCli) with the report when something is wrong', async () => {
    const o = io();
    const program = new Command('pt').exitOverride();
    registerDoctorCommand(program, o, deps({ site: json(403, { error: { code: 'accessDenied' } }) }));
    const failure = await program.parseAsync(['doctor'], { from: 'user' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(CliFailure);
    expect((failure as CliFailure).message).toMatch(/FAIL {2}SharePoint site/);
    expect((failure as CliFailure).json).toMatchObject({ ok: false });
  });
});
