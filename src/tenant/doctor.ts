/**
 * `pt doctor`: checks a tenant's configuration end to end and says, for each
 * thing that is wrong, what an admin should do about it. In order:
 *
 *   1. configuration    the environment parses in tenant mode (src/config/env.ts)
 *   2. credentials      an app-only Graph token can be had (msal-node, secret or certificate)
 *   3. permissions      each Application permission in src/tenant/permissions.ts is in the
 *                       token's roles claim (and nothing broader is); RSC ones are declared
 *                       in the Teams manifest; delegated ones are listed for the admin
 *   4. SharePoint site  GET /sites/{hostname}:/{path} works (the Sites.Selected grant)
 *   5. lists            every list in src/tenant/lists.ts exists on that site
 *   6. bot endpoint     PT_PUBLIC_URL/healthz answers, and /api/messages refuses unsigned requests
 *                       and an Entra token for the app itself (only Bot Framework tokens reach the bot)
 *   (3b) calendar scope a calendar outside the people group is refused (an Exchange application
 *                       access policy or RBAC for Applications scopes Calendars.ReadWrite)
 *
 * Everything it talks to is injected (fetch, token acquisition, files), so tests run it offline.
 */
import { describeVersioning, LIST_VERSIONING, ListVersioningClient, versioningMatches } from '../adapters/sharepoint/listVersioning';
import { checkAzureStorage } from './azureStorageCheck';
import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { ConfigError, loadConfig, type TenantEnv } from '../config/env';
import { createAppTokenProvider } from './appToken';
import { APP_LISTS } from './lists';
import { PERMISSIONS, permissionsOfType } from './permissions';

export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to do about it, in words an admin can act on (fail and warn). */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export interface DoctorDeps {
  fetch: typeof fetch;
  /** An app-only Microsoft Graph token; default: client credentials through msal-node. */
  acquireToken?: (env: TenantEnv) => Promise<string>;
  /**
   * An app-only token for another scope (the app's own API, to check the bot refuses Entra tokens);
   * default: the same msal-node client.
   */
  acquireTokenFor?: (env: TenantEnv, scope: string) => Promise<string>;
  /** Where manifest/manifest.template.json is looked for (RSC declaration); default process.cwd(). */
  cwd?: string;
  readFile?: (file: string) => string | undefined;
  /** Per-request timeout in milliseconds (default 15000). */
  timeoutMs?: number;
}

export const GRAPH = 'https://graph.microsoft.com/v1.0';
const SETUP_GUIDE = 'docs/tenant-setup.md';

/** Graph's address for a site from its URL: /sites/{hostname}:/{server-relative path}. */
export function graphSitePath(siteUrl: string): string {
  const u = new URL(siteUrl);
  const rel = u.pathname.replace(/\/+$/, '');
  return rel ? `/sites/${u.hostname}:${rel.split('/').map((s) => encodeURIComponent(decodeURIComponent(s))).join('/')}` : `/sites/${u.hostname}`;
}

/** Turns Entra's AADSTS codes into a sentence an admin can act on. */
export function explainTokenError(message: string, env: TenantEnv): string {
  const code = /AADSTS(\d+)/.exec(message)?.[1];
  const credential = env.CLIENT_CERTIFICATE_PATH ? 'certificate' : 'client secret';
  switch (code) {
    case '7000215':
      return `The client secret is wrong: in Entra admin centre > App registrations > ${env.CLIENT_ID} > Certificates & secrets, create a new secret and put its Value (not its ID) in CLIENT_SECRET.`;
    case '7000222':
      return 'The client secret has expired: create a new one under Certificates & secrets and update CLIENT_SECRET.';
    case '700016':
      return `There is no app registration ${env.CLIENT_ID} in tenant ${env.TENANT_ID}: check CLIENT_ID (the Application (client) ID) and TENANT_ID (the Directory (tenant) ID) on the app's Overview page.`;
    case '90002':
    case '900023':
      return `Tenant ${env.TENANT_ID} does not exist: set TENANT_ID to the Directory (tenant) ID from Entra admin centre > Overview.`;
    case '700027':
    case '700024':
      return 'Entra does not recognise the certificate: upload the public certificate (.cer/.pem) under the app registration\'s Certificates & secrets, and set CLIENT_CERTIFICATE_THUMBPRINT to its thumbprint.';
    case '7000112':
      return 'The app registration is disabled in this tenant: enable it (Enterprise applications > Properties > Enabled for users to sign in).';
    case '53003':
      return 'A Conditional Access policy blocks this app\'s sign-in: exclude the workload identity or allow the server\'s network location.';
    default:
      return `Check TENANT_ID, CLIENT_ID and the ${credential} against the app registration (${SETUP_GUIDE}, "Register the app"), and that this machine can reach login.microsoftonline.com.`;
  }
}

interface GraphError {
  status: number;
  code?: string;
  message?: string;
}

type GraphResult<T> = { ok: true; body: T } | { ok: false; error: GraphError };
type ListsPage = { value?: { name?: string; displayName?: string }[]; '@odata.nextLink'?: string };

/** Graph's base URL for this run (PT_GRAPH_BASE_URL), set once the configuration is read. */
let graphBase = GRAPH;

async function graphGet<T>(deps: DoctorDeps, token: string, url: string): Promise<GraphResult<T>> {
  let res: Response;
  try {
    res = await deps.fetch(url.startsWith('https://') ? url : `${graphBase}${url}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
  } catch (err) {
    return { ok: false, error: { status: 0, message: err instanceof Error ? err.message : String(err) } };
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  if (!res.ok) return { ok: false, error: { status: res.status, code: body?.error?.code, message: body?.error?.message } };
  return { ok: true, body: body as T };
}

/** Every item of a list (fields as asked), following nextLink. */
async function listAll(deps: DoctorDeps, token: string, siteId: string, list: string, fields: string): Promise<GraphResult<Record<string, unknown>[]>> {
  const out: Record<string, unknown>[] = [];
  let next: string | undefined = `/sites/${siteId}/lists/${list}/items?$expand=fields($select=${fields})&$top=999`;
  while (next) {
    const page: GraphResult<{ value?: { fields?: Record<string, unknown> }[]; '@odata.nextLink'?: string }> = await graphGet(deps, token, next);
    if (!page.ok) return page;
    for (const i of page.body.value ?? []) out.push(i.fields ?? {});
    next = page.body['@odata.nextLink'];
  }
  return { ok: true, body: out };
}

/**
 * People in active supervision arrangements the bot has no chat with: they never opened it and
 * the app has not (yet) installed it for them, or Teams refused. Their reminders and record forms
 * wait and are retried; a warning, not a failure, since the app installs it when it first writes.
 */
async function teamsReachability(deps: DoctorDeps, token: string, siteId: string): Promise<DoctorCheck> {
  const rels = await listAll(deps, token, siteId, 'pt-relationships', 'active,ptBody');
  const convs = await listAll(deps, token, siteId, 'pt-conversations', 'aadObjectId');
  if (!rels.ok || !convs.ok) {
    const e = (!rels.ok ? rels.error : !convs.ok ? convs.error : undefined)!;
    return { id: 'teams:reachability', title: 'People the bot can reach', status: 'warn', detail: `could not read the arrangements or conversations: ${describeGraphError(e)}`, fix: 'Run pt doctor again.' };
  }
  const people = new Set<string>();
  for (const f of rels.body) {
    if (f.active === false) continue;
    try {
      const r = JSON.parse(String(f.ptBody ?? '{}')) as { supervisorId?: string; superviseeIds?: string[]; active?: boolean };
      if (r.active === false) continue;
      for (const id of [r.supervisorId, ...(r.superviseeIds ?? [])]) if (id) people.add(id.toLowerCase());
    } catch {
      // An unreadable arrangement is the store's problem, reported there.
    }
  }
  const reached = new Set(convs.body.map((f) => String(f.aadObjectId ?? '').toLowerCase()));
  const unreachable = [...people].filter((p) => !reached.has(p)).sort();
  return unreachable.length
    ? {
        id: 'teams:reachability',
        title: 'People the bot can reach',
        status: 'warn',
        detail: `${unreachable.length} of ${people.size} people in supervision have no chat with the bot yet (Entra object ids: ${unreachable.slice(0, 20).join(', ')}${unreachable.length > 20 ? ', …' : ''})`,
        fix: 'The app installs itself for them when it first has something to send; if they stay listed, a Teams app permission policy may block Protected Time for them (Teams admin centre > Teams apps > Permission policies).',
      }
    : { id: 'teams:reachability', title: 'People the bot can reach', status: 'ok', detail: `all ${people.size} people in supervision have a chat with the bot` };
}

function describeGraphError(e: GraphError): string {
  if (e.status === 0) return `no answer from Microsoft Graph (${e.message})`;
  return `HTTP ${e.status}${e.code ? ` ${e.code}` : ''}${e.message ? `: ${e.message}` : ''}`;
}

export async function runDoctor(source: NodeJS.ProcessEnv, deps: DoctorDeps): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const report = (): DoctorReport => ({ ok: checks.every((c) => c.status !== 'fail'), checks });
  const skipRest = (why: string) => {
    for (const [id, title] of [
      ['token', 'App-only token'],
      ['permissions', 'Graph permissions'],
      ['site', 'SharePoint site'],
      ['lists', 'SharePoint lists'],
      ['bot', 'Bot endpoint'],
    ] as const) {
      if (!checks.some((c) => c.id === id || c.id.startsWith(`${id}:`))) checks.push({ id, title, status: 'skip', detail: why });
    }
  };

  // 1. configuration
  let env: TenantEnv;
  try {
    const config = loadConfig(source, deps.cwd ?? process.cwd());
    if (config.env.PT_MODE !== 'tenant') {
      checks.push({
        id: 'config',
        title: 'Configuration',
        status: 'fail',
        detail: 'PT_MODE is not "tenant": the app would run in local mode with the demo organisation.',
        fix: `Set PT_MODE=tenant and the tenant variables (${SETUP_GUIDE}, "Environment variables").`,
      });
      skipRest('needs a tenant-mode configuration');
      return report();
    }
    env = config.env;
    graphBase = env.PT_GRAPH_BASE_URL;
    checks.push({
      id: 'config',
      title: 'Configuration',
      status: 'ok',
      detail: `tenant ${env.TENANT_ID}, app ${env.CLIENT_ID}, ${env.CLIENT_CERTIFICATE_PATH ? 'certificate' : 'client secret'}, site ${env.SHAREPOINT_SITE_URL}, public URL ${env.PT_PUBLIC_URL}`,
    });
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems : [err instanceof Error ? err.message : String(err)];
    checks.push({
      id: 'config',
      title: 'Configuration',
      status: 'fail',
      detail: problems.join('; '),
      fix: `Set the variables named above in the app's environment (${SETUP_GUIDE}, "Environment variables").`,
    });
    skipRest('needs a valid configuration');
    return report();
  }

  // 1b. Azure Storage for durable work, when configured (independent of Entra)
  if (env.PT_AZURE_STORAGE_CONNECTION_STRING) checks.push(await checkAzureStorage(env));

  // 2. an app-only token
  let token: string;
  try {
    token = await (deps.acquireToken ?? ((e: TenantEnv) => createAppTokenProvider(e).getToken()))(env);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    checks.push({ id: 'token', title: 'App-only token', status: 'fail', detail: firstLine(message), fix: explainTokenError(message, env) });
    skipRest('needs an app-only token');
    return report();
  }
  let claims: { roles?: unknown; tid?: unknown; appid?: unknown; azp?: unknown };
  try {
    claims = decodeJwt(token);
  } catch {
    checks.push({ id: 'token', title: 'App-only token', status: 'fail', detail: 'the token Entra returned is not a JWT', fix: 'Make sure the token is requested for https://graph.microsoft.com/.default.' });
    skipRest('needs a readable token');
    return report();
  }
  const appId = String(claims.appid ?? claims.azp ?? '');
  const tokenProblems = [
    typeof claims.tid === 'string' && claims.tid.toLowerCase() !== env.TENANT_ID.toLowerCase() ? `it was issued by tenant ${claims.tid}, not ${env.TENANT_ID}` : undefined,
    appId && appId.toLowerCase() !== env.CLIENT_ID.toLowerCase() ? `it belongs to app ${appId}, not ${env.CLIENT_ID}` : undefined,
  ].filter((p): p is string => !!p);
  if (tokenProblems.length) {
    checks.push({ id: 'token', title: 'App-only token', status: 'fail', detail: tokenProblems.join('; '), fix: 'TENANT_ID and CLIENT_ID must name the same app registration the credential belongs to.' });
  } else {
    checks.push({ id: 'token', title: 'App-only token', status: 'ok', detail: `acquired for app ${env.CLIENT_ID} in tenant ${env.TENANT_ID}` });
  }

  // 3. permissions
  const roles = new Set(Array.isArray(claims.roles) ? claims.roles.map(String) : []);
  for (const p of permissionsOfType('Application')) {
    const granted = roles.has(p.permission);
    checks.push({
      id: `permission:${p.permission}`,
      title: `${p.permission} (Application)`,
      status: granted ? 'ok' : 'fail',
      detail: granted ? `granted: ${p.feature}` : `not granted, so "${p.feature}" cannot work`,
      fix: granted
        ? undefined
        : `In Entra admin centre > App registrations > ${env.CLIENT_ID} > API permissions, add Microsoft Graph > Application permissions > ${p.permission}, then "Grant admin consent". (Consent can take a few minutes to reach new tokens.)`,
    });
  }
  const wanted = new Set(PERMISSIONS.map((p) => p.permission));
  const extra = [...roles].filter((r) => !wanted.has(r)).sort();
  if (extra.length) {
    checks.push({
      id: 'permission:extra',
      title: 'Least privilege',
      status: 'warn',
      detail: `the app also holds ${extra.join(', ')}, which Protected Time never uses`,
      fix: `Remove ${extra.length === 1 ? 'it' : 'them'} under API permissions (and revoke admin consent) so the app holds only what ${SETUP_GUIDE} lists.`,
    });
  }
  for (const p of permissionsOfType('Delegated')) {
    checks.push({
      id: `permission:${p.permission}`,
      title: `${p.permission} (Delegated)`,
      status: 'skip',
      detail: `${p.feature}: cannot be tested without a signed-in user; confirm it shows "Granted" under API permissions`,
      fix: `Confirm in API permissions that ${p.permission} shows "Granted for <your organisation>".`,
    });
  }
  const declaredRsc = readDeclaredRsc(deps);
  for (const p of permissionsOfType('RSC')) {
    if (declaredRsc === undefined) {
      checks.push({ id: `permission:${p.permission}`, title: `${p.permission} (RSC)`, status: 'skip', detail: 'manifest/manifest.template.json not found here; it is consented per meeting chat when the app is added' });
    } else {
      const ok = declaredRsc.includes(p.permission);
      checks.push({
        id: `permission:${p.permission}`,
        title: `${p.permission} (RSC)`,
        status: ok ? 'ok' : 'fail',
        detail: ok ? `declared in the Teams app manifest; consented per meeting chat (${p.feature})` : 'not declared in manifest/manifest.template.json',
        fix: ok ? undefined : `Add {"name": "${p.permission}", "type": "Application"} to authorization.permissions.resourceSpecific, rebuild with npm run package and upload the new package.`,
      });
    }
  }

  // 3b. the calendar permission is scoped (Exchange application access policy or RBAC for Applications)
  checks.push(await checkCalendarScope(deps, token, env));

  // 4. the SharePoint site
  const sitePath = graphSitePath(env.SHAREPOINT_SITE_URL);
  const site = await graphGet<{ id: string; webUrl?: string; displayName?: string }>(deps, token, `${sitePath}?$select=id,webUrl,displayName`);
  let siteId: string | undefined;
  if (site.ok) {
    siteId = site.body.id;
    checks.push({ id: 'site', title: 'SharePoint site', status: 'ok', detail: `${site.body.displayName ?? env.SHAREPOINT_SITE_URL} (${siteId})` });
  } else {
    const e = site.error;
    const fix =
      e.status === 403
        ? `The app has no grant on this site. A SharePoint or Global admin grants it once: POST ${GRAPH}/sites/{site-id}/permissions with {"roles":["write"],"grantedToIdentities":[{"application":{"id":"${env.CLIENT_ID}","displayName":"Protected Time"}}]} (${SETUP_GUIDE}, "Grant the app its site"). Also check Sites.Selected has admin consent.`
        : e.status === 404 || e.status === 400
          ? `No site at ${env.SHAREPOINT_SITE_URL}: create it (a team or communication site) or correct SHAREPOINT_SITE_URL to the site's address, e.g. https://contoso.sharepoint.com/sites/protected-time.`
          : e.status === 401
            ? 'Graph refused the token: wait a few minutes after granting consent, then run pt doctor again.'
            : 'Check this machine can reach graph.microsoft.com, then run pt doctor again.';
    checks.push({ id: 'site', title: 'SharePoint site', status: 'fail', detail: `GET ${sitePath}: ${describeGraphError(e)}`, fix });
  }

  // 5. the app's lists
  if (!siteId) {
    checks.push({ id: 'lists', title: 'SharePoint lists', status: 'skip', detail: 'needs the site' });
  } else {
    const names = new Set<string>();
    let next: string | undefined = `/sites/${siteId}/lists?$select=id,name,displayName&$top=200`;
    let failure: GraphError | undefined;
    while (next) {
      const page: GraphResult<ListsPage> = await graphGet<ListsPage>(deps, token, next);
      if (!page.ok) {
        failure = page.error;
        break;
      }
      for (const l of page.body.value ?? []) {
        if (l.name) names.add(l.name.toLowerCase());
        if (l.displayName) names.add(l.displayName.toLowerCase());
      }
      next = page.body['@odata.nextLink'];
    }
    if (failure) {
      checks.push({
        id: 'lists',
        title: 'SharePoint lists',
        status: 'fail',
        detail: `listing the site's lists failed: ${describeGraphError(failure)}`,
        fix: failure.status === 403 ? 'The site grant must be "write" (or "fullcontrol" while provisioning), not "read".' : 'Run pt doctor again; if it persists, check the site in SharePoint.',
      });
    } else {
      const missing = APP_LISTS.filter((l) => !names.has(l));
      checks.push(
        missing.length
          ? {
              id: 'lists',
              title: 'SharePoint lists',
              status: 'fail',
              detail: `${APP_LISTS.length - missing.length} of ${APP_LISTS.length} present; missing ${missing.join(', ')}`,
              fix: `Run \`pt provision --site ${env.SHAREPOINT_SITE_URL}\` to create them (the app's site grant must be "fullcontrol" while it runs; set it back to "write" afterwards).`,
            }
          : { id: 'lists', title: 'SharePoint lists', status: 'ok', detail: `all ${APP_LISTS.length} present (${APP_LISTS.join(', ')})` },
      );
      if (!missing.length) checks.push(await teamsReachability(deps, token, siteId));
      if (!missing.length) checks.push(await listVersioningCheck(deps, env));
    }
  }

  // 6. the bot endpoint
  const base = env.PT_PUBLIC_URL.replace(/\/+$/, '');
  try {
    const res = await deps.fetch(`${base}/healthz`, { signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000) });
    const body = (await res.json().catch(() => undefined)) as { status?: string; mode?: string } | undefined;
    if (!res.ok || body?.status !== 'ok') {
      checks.push({ id: 'bot:health', title: 'App health', status: 'fail', detail: `GET ${base}/healthz answered HTTP ${res.status}`, fix: `Make sure Protected Time is running and ${base} reaches it (reverse proxy, DNS, TLS certificate).` });
    } else if (body.mode !== 'tenant') {
      checks.push({ id: 'bot:health', title: 'App health', status: 'fail', detail: `the app at ${base} is running in ${body.mode ?? 'an unknown'} mode`, fix: 'Restart it with PT_MODE=tenant and the tenant variables.' });
    } else {
      checks.push({ id: 'bot:health', title: 'App health', status: 'ok', detail: `${base}/healthz: running in tenant mode` });
    }
  } catch (err) {
    checks.push({
      id: 'bot:health',
      title: 'App health',
      status: 'fail',
      detail: `${base}/healthz could not be reached (${err instanceof Error ? err.message : String(err)})`,
      fix: `Start Protected Time and make ${base} (PT_PUBLIC_URL) reach it over https from the internet: Teams calls the bot there.`,
    });
  }
  try {
    const res = await deps.fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'pt doctor' }),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
    if (res.status === 401 || res.status === 403) {
      checks.push({ id: 'bot:messages', title: 'Bot endpoint', status: 'ok', detail: `${base}/api/messages refuses unsigned requests (HTTP ${res.status}), as it must` });
    } else if (res.status === 404) {
      checks.push({ id: 'bot:messages', title: 'Bot endpoint', status: 'fail', detail: `${base}/api/messages is not found (HTTP 404)`, fix: 'PT_PUBLIC_URL must point at Protected Time itself; if a proxy sits in front, forward /api/messages to it.' });
    } else if (res.ok) {
      checks.push({ id: 'bot:messages', title: 'Bot endpoint', status: 'fail', detail: `${base}/api/messages accepted a request with no Bot Framework token`, fix: 'The bot must validate tokens: run the app with PT_MODE=tenant (never local mode) on a public address.' });
    } else {
      checks.push({ id: 'bot:messages', title: 'Bot endpoint', status: 'warn', detail: `${base}/api/messages answered HTTP ${res.status} to an unsigned request`, fix: 'Expected 401; check the app log for errors.' });
    }
  } catch (err) {
    checks.push({ id: 'bot:messages', title: 'Bot endpoint', status: 'fail', detail: `${base}/api/messages could not be reached (${err instanceof Error ? err.message : String(err)})`, fix: `Teams must reach ${base}/api/messages over https; it is also the messaging endpoint of the bot registration.` });
  }
  checks.push(await checkBotRefusesEntraTokens(deps, env, base));
  return report();
}

/**
 * Calendars.ReadWrite (application) reaches every mailbox unless an Exchange
 * application access policy (or RBAC for Applications) scopes it. Graph cannot
 * read those policies, so this probes: the calendar of someone outside the
 * people group must be refused (403). Reached means not scoped.
 */
async function checkCalendarScope(deps: DoctorDeps, token: string, env: TenantEnv): Promise<DoctorCheck> {
  const title = 'Calendar access scoped';
  const fix = `Scope it in Exchange Online PowerShell to a mail-enabled security group holding the supervision staff: New-ApplicationAccessPolicy -AppId ${env.CLIENT_ID} -PolicyScopeGroupId <group-mail> -AccessRight RestrictAccess -Description "Protected Time", then check with Test-ApplicationAccessPolicy (${SETUP_GUIDE}, "Narrow the calendar permissions").`;
  const members = await graphGet<{ value?: { id: string }[] }>(deps, token, `/groups/${encodeURIComponent(env.PEOPLE_GROUP_ID)}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`);
  const users = await graphGet<{ value?: { id: string; mail?: string | null }[] }>(deps, token, '/users?$select=id,mail&$top=50');
  if (!members.ok || !users.ok) {
    return { id: 'permissions:calendar-scope', title, status: 'skip', detail: `could not list people to probe with (${describeGraphError(!members.ok ? members.error : (users as { ok: false; error: GraphError }).error)})` };
  }
  const inGroup = new Set((members.body.value ?? []).map((u) => u.id.toLowerCase()));
  const outsiders = (users.body.value ?? []).filter((u) => u.mail && !inGroup.has(u.id.toLowerCase())).slice(0, 3);
  if (outsiders.length === 0) return { id: 'permissions:calendar-scope', title, status: 'skip', detail: 'no one with a mailbox outside the people group to probe with' };
  for (const u of outsiders) {
    const cal = await graphGet<{ id: string }>(deps, token, `/users/${encodeURIComponent(u.id)}/calendar?$select=id`);
    if (cal.ok) {
      return { id: 'permissions:calendar-scope', title, status: 'warn', detail: `the app can open the calendar of ${u.id}, who is outside PEOPLE_GROUP_ID: Calendars.ReadWrite reaches every mailbox`, fix };
    }
    if (cal.error.status === 403) return { id: 'permissions:calendar-scope', title, status: 'ok', detail: `a calendar outside the people group is refused (${describeGraphError(cal.error)}): an access policy scopes the app` };
  }
  return { id: 'permissions:calendar-scope', title, status: 'skip', detail: 'the probe could not tell (no mailbox answered 200 or 403)' };
}

/**
 * The tab and the bot share one app registration, so an Entra token for the
 * app must never be taken at /api/messages: only Bot Framework channel tokens.
 * The doctor asks Entra for an app-only token for the app itself and sends it.
 */
async function checkBotRefusesEntraTokens(deps: DoctorDeps, env: TenantEnv, base: string): Promise<DoctorCheck> {
  const title = 'Bot refuses Entra tokens';
  let entraToken: string;
  try {
    const scope = `${env.APPLICATION_ID_URI.replace(/\/+$/, '')}/.default`;
    entraToken = await (deps.acquireTokenFor ?? ((e: TenantEnv, s: string) => createAppTokenProvider(e).getToken(s)))(env, scope);
  } catch (err) {
    return { id: 'bot:entra-token', title, status: 'skip', detail: `could not get a token for the app itself (${firstLine(err instanceof Error ? err.message : String(err))})` };
  }
  try {
    const res = await deps.fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${entraToken}` },
      body: JSON.stringify({ type: 'message', channelId: 'msteams', text: 'pt doctor', serviceUrl: 'https://smba.trafficmanager.net/emea/', conversation: { id: 'pt-doctor', tenantId: env.TENANT_ID }, from: { id: 'pt-doctor' } }),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
    if (res.status === 401 || res.status === 403) return { id: 'bot:entra-token', title, status: 'ok', detail: `${base}/api/messages refuses an Entra token for the app (HTTP ${res.status}): only Bot Framework tokens reach the bot` };
    return {
      id: 'bot:entra-token',
      title,
      status: 'fail',
      detail: `${base}/api/messages answered HTTP ${res.status} to an Entra token for the app: anyone signed in to the tab could act as someone else through the bot`,
      fix: 'Run a version of Protected Time that checks Bot Framework tokens before the Teams SDK (src/server/botGuard.ts), and make sure no proxy rewrites /api/messages to another service.',
    };
  } catch (err) {
    return { id: 'bot:entra-token', title, status: 'skip', detail: `${base}/api/messages could not be reached (${err instanceof Error ? err.message : String(err)})` };
  }
}

function readDeclaredRsc(deps: DoctorDeps): string[] | undefined {
  const file = path.join(deps.cwd ?? process.cwd(), 'manifest', 'manifest.template.json');
  const text = deps.readFile ? deps.readFile(file) : fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as { authorization?: { permissions?: { resourceSpecific?: { name: string }[] } } };
    return (m.authorization?.permissions?.resourceSpecific ?? []).map((r) => r.name);
  } catch {
    return [];
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}

const LABEL: Record<CheckStatus, string> = { ok: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' };

/** The report as an admin reads it: one line per check, and what to do under each problem. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = report.checks.flatMap((c) => {
    const head = `${LABEL[c.status]}  ${c.title}: ${c.detail}`;
    return c.fix && (c.status === 'fail' || c.status === 'warn') ? [head, `      Fix: ${c.fix}`] : [head];
  });
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  lines.push('', failed ? `${failed} problem${failed === 1 ? '' : 's'} to fix (see ${SETUP_GUIDE}).` : 'Everything pt doctor can check is in order.');
  return lines.join('\n');
}

/**
 * Item versioning per list (#21): off where case detail or work state lives, on with 50 versions
 * elsewhere (src/adapters/sharepoint/listVersioning.ts). Read through SharePoint's REST API, which
 * takes app-only tokens from a certificate credential only: a refusal is a warning with the fix.
 */
async function listVersioningCheck(deps: DoctorDeps, env: TenantEnv): Promise<DoctorCheck> {
  const id = 'lists:versioning';
  const title = 'List item versioning';
  const byHand = `set it per list in SharePoint (List settings > Versioning settings) as ${SETUP_GUIDE}, "List versioning", says`;
  try {
    const scope = ListVersioningClient.scopeFor(env.SHAREPOINT_SITE_URL);
    const spToken = await (deps.acquireTokenFor ?? ((e: TenantEnv, s: string) => createAppTokenProvider(e).getToken(s)))(env, scope);
    const client = new ListVersioningClient({ siteUrl: env.SHAREPOINT_SITE_URL, ...(env.PT_SHAREPOINT_REST_BASE_URL ? { restBaseUrl: env.PT_SHAREPOINT_REST_BASE_URL } : {}), token: async () => spToken, fetch: deps.fetch });
    const wrong: string[] = [];
    for (const { name, want } of LIST_VERSIONING) {
      const have = await client.get(name);
      if (!versioningMatches(have, want)) wrong.push(`${name} is ${describeVersioning(have)}, should be ${describeVersioning(want)}`);
    }
    return wrong.length
      ? { id, title, status: 'warn', detail: `${wrong.length} of ${LIST_VERSIONING.length} lists: ${wrong.join('; ')}`, fix: `Run \`pt provision\` with a certificate credential (CLIENT_CERTIFICATE_PATH), or ${byHand}. Case text must not survive in item versions.` }
      : { id, title, status: 'ok', detail: `as intended on all ${LIST_VERSIONING.length} lists (off where case detail or work state lives)` };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { id, title, status: 'warn', detail: `could not read it through SharePoint's REST API (${firstLine(message)})`, fix: `SharePoint accepts app-only tokens from a certificate credential only (CLIENT_CERTIFICATE_PATH); with a client secret, ${byHand}.` };
  }
}
