/**
 * A stateful Microsoft 365 for tenant mode to run against whole: one https
 * server on 127.0.0.1 (a free port) serving
 *
 *   /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/oauth2/v2.0/token,
 *   /{tenant}/discovery/v2.0/keys        Entra ID (client credentials, signing keys)
 *   /botframework/v1/.well-known/...     the Bot Framework token issuer's metadata and keys
 *   /v1.0/...                            Microsoft Graph: directory, calendars, getSchedule,
 *                                        delta, subscriptions, Teams app installation, $batch,
 *                                        and SharePoint lists (tests/support/fakeSharePoint.ts)
 *   /teams/v3/conversations/...          the Bot Framework connector (proactive messages)
 *
 * and, going the other way, the Bot Framework connector's and Graph's calls
 * into the app: activities with signed Bot Framework tokens to /api/messages,
 * change and lifecycle notifications to the webhook (validation handshake
 * first, each answer timed against Graph's 3-second rule).
 *
 * Faults can be switched on per surface (graph, sharepoint, teams, login):
 * 429 with Retry-After, 503, dropped connections, added latency.
 * Every request is counted by surface, so a test can say what a step cost.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { FakeGraph, type RecordedRequest, type Reply } from '../fakeGraph';
import { FakeSharePoint, versioningOf } from '../fakeSharePoint';
import { CalendarError, SimCalendars, eventJson, type EventView, type SimUserRef } from './calendar';
import { makeLocalCertificate, type SimTls } from './tls';
import { SimTokens } from './tokens';

export type Surface = 'graph' | 'sharepoint' | 'teams' | 'login';

export interface Fault {
  surface: Surface;
  method?: string;
  match?: RegExp;
  kind: '429' | '503' | 'drop' | 'latency';
  /** How many requests it hits (default: unlimited). */
  times?: number;
  /** Hit one request in `every` (default 1: all). */
  every?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
  /** Carry the request out, then fail the answer (the work is done; the caller cannot know). */
  afterApplying?: boolean;
}

export interface SimUser extends SimUserRef {
  userPrincipalName: string;
  jobTitle?: string;
  department?: string;
  managerId?: string;
  workingHours?: { daysOfWeek: string[]; startTime: string; endTime: string; timeZone: string };
}

export interface Delivery {
  kind: 'validation' | 'notification' | 'lifecycle';
  url: string;
  status: number;
  ms: number;
  slow: boolean;
}

interface Subscription {
  id: string;
  resource: string;
  mailbox: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationDateTime: string;
}

interface DeltaToken {
  mailbox: string;
  start: string;
  end: string;
  seen: Map<string, string>;
  expired?: 410 | 400 | 404;
}

export interface SimActivity {
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
  /** Replaced later by PUT (a card update). */
  updates: Record<string, unknown>[];
}

export interface SimOptions {
  tenantId: string;
  clientId: string;
  teamsAppId: string;
  /** Application permissions the admin consented to (the token's roles). */
  roles: string[];
  /** The simulator's clock (the journey moves it with the app's). */
  now?: () => number;
}

const BOT_CONNECTOR_AUDIENCE = 'https://api.botframework.com';
const SLOW_MS = 3_000;

export class M365Sim {
  readonly users = new Map<string, SimUser>();
  readonly groups = new Map<string, string[]>();
  readonly calendars: SimCalendars;
  readonly subscriptions = new Map<string, Subscription>();
  readonly deliveries: Delivery[] = [];
  /** Notifications not delivered because the endpoint was marked slow and then dropped. */
  dropped = 0;
  delayed = 0;
  /** Graph's delay for endpoints marked slow (documented as about 10 s; tests shorten it). */
  slowDelayMs = 10_000;
  readonly activities: SimActivity[] = [];
  /** Teams app installations per user (personal scope) and their chat ids. */
  readonly installed = new Map<string, { installId: string; chatId: string }>();
  /** Users whose Teams refuses the app installation (a policy blocks it): stays unreachable. */
  readonly installBlocked = new Set<string>();
  readonly faults: Fault[] = [];
  readonly faultHits: Record<string, number> = {};
  private readonly deltaTokens = new Map<string, DeltaToken>();
  /** Every delta round asked for: a first round (window), a saved token, or an expired token refused. */
  readonly deltaLog: { mailbox: string; kind: 'initial' | 'token' | 'page' | 'expired'; status: number }[] = [];
  private readonly pendingDeliveries = new Set<Promise<unknown>>();
  private readonly counts = new Map<Surface, number>();
  private frontDoors: https.Server[] = [];
  private faultSeen = new WeakMap<Fault, number>();

  private constructor(
    readonly graph: FakeGraph,
    readonly sp: FakeSharePoint,
    readonly tokens: SimTokens,
    readonly tlsFiles: SimTls,
    readonly options: Required<SimOptions>,
  ) {
    this.calendars = new SimCalendars((k) => this.findUser(k));
    this.calendars.onChange = (changes) => this.notify(changes);
  }

  static async start(options: SimOptions): Promise<M365Sim> {
    const tlsFiles = makeLocalCertificate();
    // This process talks to the simulator too (seeding, the front door): trust its certificate.
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), tlsFiles.cert]);
    const now = options.now ?? Date.now;
    const graph = await FakeGraph.start({ tls: tlsFiles });
    const sp = new FakeSharePoint(graph);
    const tokens = await SimTokens.create(now);
    const sim = new M365Sim(graph, sp, tokens, tlsFiles, { ...options, now });
    sim.install();
    return sim;
  }

  /** https://127.0.0.1:port */
  get origin(): string {
    return this.graph.baseUrl.replace(/\/v1\.0$/, '');
  }
  get graphBaseUrl(): string {
    return this.graph.baseUrl;
  }
  get loginBaseUrl(): string {
    return this.origin;
  }
  get botServiceUrl(): string {
    return `${this.origin}/teams`;
  }
  get botOpenIdMetadataUrl(): string {
    return `${this.origin}/botframework/v1/.well-known/openidconfiguration`;
  }

  /** The environment a tenant-mode app needs to reach this simulator (add PT_PUBLIC_URL, SHAREPOINT_SITE_URL, PEOPLE_GROUP_ID). */
  appEnv(): Record<string, string> {
    return {
      PT_GRAPH_BASE_URL: this.graphBaseUrl,
      PT_LOGIN_BASE_URL: this.loginBaseUrl,
      PT_BOT_SERVICE_URL: this.botServiceUrl,
      // The simulated connector's serviceUrl is on this machine, at its own port.
      PT_BOT_SERVICE_URL_HOSTS: new URL(this.botServiceUrl).host,
      PT_BOT_OPENID_METADATA_URL: this.botOpenIdMetadataUrl,
      PT_BOT_TOKEN_ISSUER: 'https://api.botframework.com',
      // SharePoint's REST API (list versioning), as if at the site's host.
      PT_SHAREPOINT_REST_BASE_URL: `${this.origin}/sp`,
      NODE_EXTRA_CA_CERTS: this.tlsFiles.certFile,
      TENANT_ID: this.options.tenantId,
      CLIENT_ID: this.options.clientId,
      TEAMS_APP_ID: this.options.teamsAppId,
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pendingDeliveries]);
    for (const s of this.frontDoors) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    await this.graph.close();
    fs.rmSync(this.tlsFiles.dir, { recursive: true, force: true });
  }

  // ---- directory --------------------------------------------------------------------------

  addUser(user: Omit<SimUser, 'userPrincipalName'> & { userPrincipalName?: string }): SimUser {
    const u: SimUser = { userPrincipalName: user.mail, ...user };
    this.users.set(u.id, u);
    return u;
  }

  addGroup(id: string, members: string[]): void {
    this.groups.set(id, members);
  }

  findUser(idOrMail: string): SimUser | undefined {
    const k = idOrMail.toLowerCase();
    return this.users.get(idOrMail) ?? [...this.users.values()].find((u) => u.id.toLowerCase() === k || u.mail.toLowerCase() === k || u.userPrincipalName.toLowerCase() === k);
  }

  private transitiveUsers(groupId: string, seen = new Set<string>()): SimUser[] {
    if (seen.has(groupId)) return [];
    seen.add(groupId);
    const out: SimUser[] = [];
    for (const m of this.groups.get(groupId) ?? []) {
      if (this.groups.has(m)) out.push(...this.transitiveUsers(m, seen));
      else if (this.users.has(m)) out.push(this.users.get(m)!);
    }
    return [...new Map(out.map((u) => [u.id, u])).values()];
  }

  // ---- request counting -------------------------------------------------------------------

  /** Requests per surface since the last call (a $batch counts once, as an HTTP request). */
  takeCounts(): Record<Surface, number> {
    const out = { graph: 0, sharepoint: 0, teams: 0, login: 0 } as Record<Surface, number>;
    for (const [k, v] of this.counts) out[k] = v;
    this.counts.clear();
    return out;
  }

  private surfaceOf(path: string): Surface {
    if (path.startsWith('/sites/') || path.startsWith('/sp/')) return 'sharepoint';
    if (path.startsWith('/teams/')) return 'teams';
    if (/^\/[^/]+\/(oauth2|v2\.0|discovery)\//.test(path) || path.startsWith('/botframework/')) return 'login';
    return 'graph';
  }

  // ---- faults -----------------------------------------------------------------------------

  fault(f: Fault): Fault {
    this.faults.push(f);
    return f;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private async applyFaults(req: RecordedRequest, after: boolean): Promise<Reply | undefined> {
    const surface = this.surfaceOf(req.path);
    for (const f of this.faults) {
      if (Boolean(f.afterApplying) !== after) continue;
      if (f.surface !== surface || (f.method && f.method !== req.method) || (f.match && !f.match.test(req.path))) continue;
      if (f.times !== undefined && f.times <= 0) continue;
      const n = (this.faultSeen.get(f) ?? 0) + 1;
      this.faultSeen.set(f, n);
      if (n % (f.every ?? 1) !== 0) continue;
      if (f.times !== undefined) f.times -= 1;
      this.faultHits[`${surface}:${f.kind}`] = (this.faultHits[`${surface}:${f.kind}`] ?? 0) + 1;
      if (f.kind === 'latency') {
        await new Promise((r) => setTimeout(r, f.latencyMs ?? 1000));
        continue;
      }
      if (f.kind === '429') return { status: 429, headers: { 'Retry-After': String(f.retryAfterSeconds ?? 1) }, body: { error: { code: 'TooManyRequests', message: 'Application is over its MailboxConcurrency limit.' } } };
      if (f.kind === '503') return { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Service unavailable.' } } };
      if (f.kind === 'drop') return { status: 504, destroy: true, body: { error: { code: 'GatewayTimeout', message: 'The request timed out.' } } };
    }
    return undefined;
  }

  // ---- routes -----------------------------------------------------------------------------

  private install(): void {
    const g = this.graph;
    g.interceptors.push((req) => {
      if (!req.viaBatch || req.path === '/$batch') this.counts.set(this.surfaceOf(req.path), (this.counts.get(this.surfaceOf(req.path)) ?? 0) + 1);
      return undefined;
    });
    g.interceptors.push((req) => this.applyFaults(req, false));
    g.afterRoute.push((req) => this.applyFaults(req, true));
    g.interceptors.push((req) => this.authorise(req));
    const T = this.options.tenantId;
    const on = (method: string, match: RegExp, fn: (req: RecordedRequest, m: RegExpExecArray) => Reply | Promise<Reply>) =>
      g.on(method, match, async (req) => {
        try {
          return await fn(req, match.exec(req.path)!);
        } catch (err) {
          if (err instanceof CalendarError) return graphError(err.status, err.code, err.message);
          throw err;
        }
      });

    // Entra ID
    on('GET', /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, (_r, m) => ({
      body: {
        issuer: `https://login.microsoftonline.com/${m[1]}/v2.0`,
        authorization_endpoint: `${this.origin}/${m[1]}/oauth2/v2.0/authorize`,
        token_endpoint: `${this.origin}/${m[1]}/oauth2/v2.0/token`,
        end_session_endpoint: `${this.origin}/${m[1]}/oauth2/v2.0/logout`,
        jwks_uri: `${this.origin}/${m[1]}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      },
    }));
    on('GET', /^\/([^/]+)\/discovery\/v2\.0\/keys$/, () => ({ body: { keys: [this.tokens.jwk] } }));
    on('POST', /^\/([^/]+)\/oauth2\/v2\.0\/token$/, async (req, m) => {
      const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
      if (m[1] !== T) return { status: 400, body: { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${m[1]}' not found.` } };
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== this.options.clientId) {
        return { status: 400, body: { error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found in the directory.' } };
      }
      const scope = form.get('scope') ?? '';
      const audience = scope.split(' ').find((s) => s.endsWith('/.default'))?.replace(/\/\.default$/, '') ?? '';
      if (!audience) return { status: 400, body: { error: 'invalid_scope', error_description: 'AADSTS1002012: The provided value for scope is not valid.' } };
      const token = await this.tokens.appToken(T, this.options.clientId, audience, audience === 'https://graph.microsoft.com' ? this.options.roles : []);
      return { body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
    });
    // The Bot Framework token issuer
    on('GET', /^\/botframework\/v1\/\.well-known\/openidconfiguration$/, () => ({
      body: { issuer: 'https://api.botframework.com', jwks_uri: `${this.origin}/botframework/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] },
    }));
    on('GET', /^\/botframework\/v1\/\.well-known\/keys$/, () => ({ body: this.tokens.jwks }));

    // Directory
    on('GET', /^\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/, (req, m) => {
      if (!this.groups.has(m[1]!)) return graphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
      const all = this.transitiveUsers(m[1]!).map((u) => userJson(u));
      return { body: page(all, req, `${this.graphBaseUrl}/groups/${m[1]}/transitiveMembers/microsoft.graph.user`, 100) };
    });
    on('GET', /^\/users\/([^/]+)$/, (_req, m) => {
      const u = this.findUser(m[1]!);
      return u ? { body: userJson(u) } : graphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
    });
    // directoryobject-checkmembergroups.md: the asked groups (1 to 20) the user is in, transitively.
    on('POST', /^\/users\/([^/]+)\/checkMemberGroups$/, (req, m) => {
      const u = this.findUser(m[1]!);
      if (!u) return graphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
      const asked = ((req.body ?? {}) as { groupIds?: unknown }).groupIds;
      if (!Array.isArray(asked) || asked.length === 0 || asked.length > 20) return graphError(400, 'Request_BadRequest', 'groupIds must list 1 to 20 group ids.');
      const value = asked.filter((g): g is string => typeof g === 'string' && this.groups.has(g) && this.transitiveUsers(g).some((x) => x.id === u.id));
      return { body: { value } };
    });
    on('GET', /^\/users\/([^/]+)\/manager$/, (_req, m) => {
      const u = this.findUser(m[1]!);
      const manager = u?.managerId ? this.users.get(u.managerId) : undefined;
      return manager ? { body: { '@odata.type': '#microsoft.graph.user', id: manager.id } } : graphError(404, 'Request_ResourceNotFound', `Resource 'manager' does not exist or one of its queried reference-property objects are not present.`);
    });
    on('GET', /^\/users\/([^/]+)\/mailboxSettings\/workingHours$/, (_req, m) => {
      const u = this.calendars.user(m[1]!) as SimUser;
      const wh = this.users.get(u.id)?.workingHours;
      return { body: { daysOfWeek: wh?.daysOfWeek ?? ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: `${wh?.startTime ?? '08:00'}:00.0000000`, endTime: `${wh?.endTime ?? '17:00'}:00.0000000`, timeZone: { name: wh?.timeZone ?? 'GMT Standard Time' } } };
    });
    on('GET', /^\/users\/([^/]+)\/calendar$/, (_req, m) => {
      const u = this.calendars.user(m[1]!);
      const allowed = this.calendars.allowedProviders.get(u.id) ?? ['teamsForBusiness'];
      return { body: { id: `calendar-${u.id}`, name: 'Calendar', defaultOnlineMeetingProvider: allowed[0] ?? 'none', allowedOnlineMeetingProviders: allowed, canEdit: true, isDefaultCalendar: true } };
    });

    // Calendars
    on('POST', /^\/users\/([^/]+)\/calendar\/getSchedule$/, (req) => this.getSchedule(req));
    on('POST', /^\/users\/([^/]+)\/events$/, (req, m) => {
      const { view } = this.calendars.create(m[1]!, (req.body ?? {}) as Record<string, unknown>);
      return { status: 201, body: this.eventJson(view) };
    });
    on('GET', /^\/users\/([^/]+)\/events$/, (req, m) => {
      const filter = req.query.$filter ?? '';
      const f = /ep\/id eq '((?:[^']|'')+)' and ep\/value eq '((?:[^']|'')+)'/.exec(filter);
      if (!f) return graphError(400, 'ErrorInvalidUrlQueryFilter', 'the simulator filters events by one extended property');
      const found = this.calendars.byProperty(m[1]!, f[1]!.replace(/''/g, "'"), f[2]!.replace(/''/g, "'"));
      return { body: { value: found.slice(0, Number(req.query.$top ?? 10)).map((v) => this.eventJson(v)) } };
    });
    on('GET', /^\/users\/([^/]+)\/calendarView$/, (req, m) => {
      const { startDateTime, endDateTime } = req.query;
      if (!startDateTime || !endDateTime) return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
      const views = this.calendars.view(m[1]!, new Date(startDateTime).toISOString(), new Date(endDateTime).toISOString());
      const expand = /id eq '((?:[^']|'')+)'/.exec(req.query.$expand ?? '')?.[1]?.replace(/''/g, "'");
      return { body: page(views.map((v) => this.eventJson(v, expand)), req, `${this.graphBaseUrl}/users/${m[1]}/calendarView`, Number(req.query.$top ?? 10)) };
    });
    on('GET', /^\/users\/([^/]+)\/calendarView\/delta$/, (req, m) => this.delta(req, m[1]!));
    on('GET', /^\/users\/([^/]+)\/events\/([^/]+)\/instances$/, (req, m) => {
      const views = this.calendars.instances(m[1]!, m[2]!, new Date(req.query.startDateTime!).toISOString(), new Date(req.query.endDateTime!).toISOString());
      return { body: page(views.map((v) => this.eventJson(v)), req, `${this.graphBaseUrl}/users/${m[1]}/events/${m[2]}/instances`, 10) };
    });
    on('GET', /^\/users\/([^/]+)\/events\/([^/]+)$/, (req, m) => {
      const v = this.calendars.get(m[1]!, m[2]!);
      const body = this.eventJson(v);
      if ((req.query.$expand ?? '').startsWith('exceptionOccurrences')) body.exceptionOccurrences = this.calendars.exceptionsOf(m[1]!, m[2]!).map((e) => this.eventJson(e));
      return { body };
    });
    on('PATCH', /^\/users\/([^/]+)\/events\/([^/]+)$/, (req, m) => ({ body: this.eventJson(this.calendars.update(m[1]!, m[2]!, (req.body ?? {}) as Record<string, unknown>)) }));
    on('POST', /^\/users\/([^/]+)\/events\/([^/]+)\/cancel$/, (_req, m) => {
      this.calendars.cancel(m[1]!, m[2]!);
      return { status: 202 };
    });
    on('POST', /^\/users\/([^/]+)\/events\/([^/]+)\/decline$/, (_req, m) => {
      this.calendars.decline(m[1]!, m[2]!);
      return { status: 202 };
    });
    on('DELETE', /^\/users\/([^/]+)\/events\/([^/]+)$/, (_req, m) => {
      this.calendars.delete(m[1]!, m[2]!);
      return { status: 204 };
    });

    // Change notifications
    on('POST', /^\/subscriptions$/, (req) => this.createSubscription(req));
    on('PATCH', /^\/subscriptions\/([^/]+)$/, (req, m) => {
      const s = this.subscriptions.get(m[1]!);
      if (!s) return graphError(404, 'ResourceNotFound', 'The object was not found.');
      const exp = String((req.body as { expirationDateTime?: string }).expirationDateTime ?? '');
      const problem = this.checkExpiry(exp);
      if (problem) return problem;
      s.expirationDateTime = new Date(exp).toISOString();
      return { body: subscriptionJson(s) };
    });
    on('DELETE', /^\/subscriptions\/([^/]+)$/, (_req, m) => (this.subscriptions.delete(m[1]!) ? { status: 204 } : graphError(404, 'ResourceNotFound', 'The object was not found.')));
    on('GET', /^\/subscriptions\/([^/]+)$/, (_req, m) => {
      const s = this.subscriptions.get(m[1]!);
      return s ? { body: subscriptionJson(s) } : graphError(404, 'ResourceNotFound', 'The object was not found.');
    });

    // SharePoint's REST API on the site, for what Graph cannot do: a list's item versioning (SP.List
    // EnableVersioning, MajorVersionLimit), read with GET and changed with POST + X-HTTP-Method: MERGE.
    const spList = /^\/sp(\/sites\/[^/]+)\/_api\/web\/lists\/getbytitle\((?:'|%27)([^'%]+)(?:'|%27)\)$/;
    const listOf = (m: RegExpExecArray) => (m[1]!.toLowerCase() === this.sp.sitePath.toLowerCase() ? this.sp.list(decodeURIComponent(m[2]!)) : undefined);
    const spNotFound = (name: string): Reply => ({ status: 404, body: { 'odata.error': { code: '-1, System.ArgumentException', message: { lang: 'en-US', value: `List '${name}' does not exist at site with URL '${this.sp.siteUrl}'.` } } } });
    on('GET', spList, (_req, m) => {
      const list = listOf(m);
      if (!list) return spNotFound(m[2]!);
      const v = versioningOf(list);
      return { body: { EnableVersioning: v.enabled, MajorVersionLimit: v.majorVersionLimit } };
    });
    on('POST', spList, (req, m) => {
      const list = listOf(m);
      if (!list) return spNotFound(m[2]!);
      if ((req.headers['x-http-method'] ?? '').toUpperCase() !== 'MERGE') return { status: 400, body: { 'odata.error': { code: '-1, Microsoft.SharePoint.Client.InvalidClientQueryException', message: { lang: 'en-US', value: 'The list can only be changed with MERGE.' } } } };
      const b = (req.body ?? {}) as { EnableVersioning?: unknown; MajorVersionLimit?: unknown };
      const now = versioningOf(list);
      if (b.EnableVersioning !== undefined && typeof b.EnableVersioning !== 'boolean') return { status: 400, body: { 'odata.error': { code: '-1, Microsoft.SharePoint.Client.InvalidClientQueryException', message: { lang: 'en-US', value: 'EnableVersioning must be a boolean.' } } } };
      const limit = b.MajorVersionLimit === undefined ? now.majorVersionLimit : Number(b.MajorVersionLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 50_000) return { status: 400, body: { 'odata.error': { code: '-2146232832, Microsoft.SharePoint.SPException', message: { lang: 'en-US', value: 'The major version limit must be between 1 and 50000.' } } } };
      list.versioning = { enabled: (b.EnableVersioning as boolean | undefined) ?? now.enabled, majorVersionLimit: limit };
      return { status: 204 };
    });

    // Teams: the app installed for a user (personal scope), and its chat with them
    on('POST', /^\/users\/([^/]+)\/teamwork\/installedApps$/, (req, m) => {
      const u = this.findUser(m[1]!);
      if (!u) return graphError(404, 'NotFound', 'User not found');
      const bind = String((req.body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'] ?? '');
      if (!bind.endsWith(`/appCatalogs/teamsApps/${this.options.teamsAppId}`)) return graphError(400, 'BadRequest', 'teamsApp@odata.bind must name the app in the tenant catalog');
      if (this.installBlocked.has(u.id)) return graphError(403, 'Forbidden', 'The app is blocked for this user by a Teams app permission policy.');
      if (this.installed.has(u.id)) return graphError(409, 'Conflict', 'App is already installed.');
      this.installed.set(u.id, { installId: Buffer.from(`${u.id}##${this.options.teamsAppId}`).toString('base64url'), chatId: `19:${u.id}_${this.options.clientId}@unq.gbl.spaces` });
      return { status: 201 };
    });
    on('GET', /^\/users\/([^/]+)\/teamwork\/installedApps$/, (req, m) => {
      const u = this.findUser(m[1]!);
      const i = u && this.installed.get(u.id);
      const filter = req.query.$filter ?? '';
      const wanted = !filter || filter.includes(this.options.teamsAppId);
      return { body: { value: i && wanted ? [{ id: i.installId, teamsApp: { id: this.options.teamsAppId, externalId: this.options.teamsAppId, displayName: 'Protected Time' }, teamsAppDefinition: { id: 'def', teamsAppId: this.options.teamsAppId } }] : [] } };
    });
    on('GET', /^\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)\/chat$/, (_req, m) => {
      const u = this.findUser(m[1]!);
      const i = u && this.installed.get(u.id);
      return i && i.installId === m[2] ? { body: { id: i.chatId, chatType: 'oneOnOne', tenantId: this.options.tenantId } } : graphError(404, 'NotFound', 'App installation not found');
    });

    // The Bot Framework connector: proactive messages and card updates
    on('POST', /^\/teams\/v3\/conversations\/([^/]+)\/activities$/, (req, m) => {
      const id = `1:${randomUUID()}`;
      this.activities.push({ conversationId: m[1]!, activityId: id, activity: req.body as Record<string, unknown>, updates: [] });
      return { status: 201, body: { id } };
    });
    on('PUT', /^\/teams\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/, (req, m) => {
      const a = this.activities.find((x) => x.conversationId === m[1] && x.activityId === m[2]);
      if (!a) return graphError(404, 'ActivityNotFound', 'The activity was not found.');
      a.updates.push(req.body as Record<string, unknown>);
      return { body: { id: a.activityId } };
    });
    on('POST', /^\/teams\/v3\/conversations$/, (req) => {
      const b = req.body as { members?: { id?: string }[]; tenantId?: string } | undefined;
      const member = b?.members?.[0]?.id ?? '';
      const user = [...this.users.values()].find((u) => teamsUserId(u.id) === member || u.id === member);
      if (!user || !this.installed.has(user.id)) return graphError(403, 'Forbidden', 'The bot is not installed for this user.');
      return { status: 201, body: { id: this.installed.get(user.id)!.chatId } };
    });
  }

  /** Graph and the connector want a token the simulator issued, for them. */
  private async authorise(req: RecordedRequest): Promise<Reply | undefined> {
    const surface = this.surfaceOf(req.path);
    if (surface === 'login' || req.viaBatch) return undefined;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    // SharePoint's own REST API (under /sp) takes tokens for the SharePoint host, not Graph's.
    const audience = surface === 'teams' ? BOT_CONNECTOR_AUDIENCE : req.path.startsWith('/sp/') ? `https://${this.sp.hostname}` : 'https://graph.microsoft.com';
    const claims = token ? await this.tokens.verify(token, audience) : undefined;
    if (!claims) return { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' } } };
    // The permission each surface needs (only what the app is expected to do without): a missing role is 403, as Graph answers.
    const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
    if (/\/mailboxSettings/.test(req.path) && !roles.some((r) => r.startsWith('MailboxSettings.'))) {
      return { status: 403, body: { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } } };
    }
    return undefined;
  }

  private eventJson(v: EventView, expandProperty?: string): Record<string, unknown> {
    return eventJson(v, (id) => this.findUser(id), expandProperty ? { expandProperty } : {});
  }

  // ---- getSchedule -----------------------------------------------------------------------

  private getSchedule(req: RecordedRequest): Reply {
    const b = req.body as { schedules?: string[]; startTime?: { dateTime: string; timeZone: string }; endTime?: { dateTime: string; timeZone: string } } | undefined;
    const schedules = b?.schedules ?? [];
    if (schedules.length === 0) return graphError(400, 'ErrorInvalidParameter', 'schedules is required');
    if (schedules.length > 20) return graphError(400, 'ErrorInvalidParameter', 'A maximum of 20 schedules can be requested at a time.');
    const start = zoned(b!.startTime!);
    const end = zoned(b!.endTime!);
    const days = Math.ceil((Date.parse(end) - Date.parse(start)) / 86_400_000);
    const limit = Math.min(62, this.calendars.availabilityMaxDays);
    if (days >= limit) {
      return graphError(400, 'ErrorTimeIntervalTooBig', `The requested time duration specified for FreeBusyViewOptions.TimeWindow is too long. The allowed limit = ${limit} days; the actual limit = ${days} days.`);
    }
    const wall = (iso: string) => ({ dateTime: iso.replace(/\.\d{3}Z$/, '.0000000').replace(/Z$/, ''), timeZone: 'UTC' });
    return {
      body: {
        value: this.calendars.schedule(schedules, start, end).map((s) => {
          if (!s.items) return { scheduleId: s.scheduleId, availabilityView: '', error: { message: 'The requested user is not found', responseCode: 'ErrorMailRecipientNotFound' } };
          const u = this.findUser(s.scheduleId)!;
          const wh = u.workingHours;
          return {
            scheduleId: s.scheduleId,
            availabilityView: '',
            scheduleItems: s.items.map((i) => ({ isPrivate: false, status: i.status, start: wall(i.start), end: wall(i.end) })),
            workingHours: { daysOfWeek: wh?.daysOfWeek ?? ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: `${wh?.startTime ?? '08:00'}:00.0000000`, endTime: `${wh?.endTime ?? '17:00'}:00.0000000`, timeZone: { name: wh?.timeZone ?? 'GMT Standard Time' } },
          };
        }),
      },
    };
  }

  // ---- delta -----------------------------------------------------------------------------

  /** Expire a mailbox's delta tokens: Graph answers the next round with 410, or 400/404 syncStateNotFound. */
  expireDeltaTokens(mailbox: string, status: 410 | 400 | 404): number {
    let n = 0;
    const u = this.findUser(mailbox)!;
    for (const t of this.deltaTokens.values()) if (t.mailbox === u.id && !t.expired) (t.expired = status), n++;
    return n;
  }

  private delta(req: RecordedRequest, mailbox: string): Reply {
    const u = this.calendars.user(mailbox);
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(req.headers.prefer ?? '')?.[1] ?? 50);
    let state: DeltaToken;
    let pendingItems: Record<string, unknown>[];
    if (req.query.$skiptoken) {
      const pending = this.deltaPages.get(req.query.$skiptoken);
      if (!pending) return graphError(400, 'SyncStateNotFound', 'The sync state was not found.');
      this.deltaPages.delete(req.query.$skiptoken);
      state = pending.state;
      pendingItems = pending.items;
    } else {
      if (req.query.$deltatoken) {
        const prior = this.deltaTokens.get(req.query.$deltatoken);
        if (!prior || prior.expired) {
          const status = prior?.expired ?? 410;
          this.deltaLog.push({ mailbox: u.id, kind: 'expired', status });
          if (status === 410) return { status: 410, body: { error: { code: 'SyncStateInvalid', message: 'Sync state generation is invalid. Resync required.' } } };
          return graphError(status, 'syncStateNotFound', 'The sync state is not found or has expired. Please re-sync.');
        }
        this.deltaLog.push({ mailbox: u.id, kind: 'token', status: 200 });
        state = { mailbox: u.id, start: prior.start, end: prior.end, seen: new Map() };
        const now = this.calendars.view(u.id, prior.start, prior.end);
        pendingItems = [];
        for (const v of now) {
          state.seen.set(v.id, v.version);
          if (prior.seen.get(v.id) !== v.version) pendingItems.push(this.eventJson(v));
        }
        for (const id of prior.seen.keys()) if (!state.seen.has(id)) pendingItems.push({ '@odata.type': '#microsoft.graph.event', id, '@removed': { reason: 'deleted' } });
      } else {
        const { startDateTime, endDateTime } = req.query;
        if (!startDateTime || !endDateTime) return graphError(400, 'ErrorInvalidParameter', 'calendarView/delta needs startDateTime and endDateTime');
        this.deltaLog.push({ mailbox: u.id, kind: 'initial', status: 200 });
        state = { mailbox: u.id, start: new Date(startDateTime).toISOString(), end: new Date(endDateTime).toISOString(), seen: new Map() };
        const now = this.calendars.view(u.id, state.start, state.end);
        for (const v of now) state.seen.set(v.id, v.version);
        pendingItems = now.map((v) => this.eventJson(v));
      }
    }
    const base = `${this.graphBaseUrl}/users/${mailbox}/calendarView/delta`;
    if (pendingItems.length > pageSize) {
      const skip = randomUUID();
      this.deltaPages.set(skip, { state, items: pendingItems.slice(pageSize) });
      return { body: { '@odata.context': `${this.graphBaseUrl}/$metadata#Collection(event)`, '@odata.nextLink': `${base}?$skiptoken=${skip}`, value: pendingItems.slice(0, pageSize) } };
    }
    const token = randomUUID();
    this.deltaTokens.set(token, state);
    return { body: { '@odata.context': `${this.graphBaseUrl}/$metadata#Collection(event)`, '@odata.deltaLink': `${base}?$deltatoken=${token}`, value: pendingItems } };
  }
  private readonly deltaPages = new Map<string, { state: DeltaToken; items: Record<string, unknown>[] }>();

  // ---- subscriptions and notifications ---------------------------------------------------

  /** Outlook event subscriptions: at most 10,080 minutes (resources/subscription.md, basic notifications). */
  static readonly MAX_EVENT_SUBSCRIPTION_MINUTES = 10_080;

  private checkExpiry(exp: string): Reply | undefined {
    const at = Date.parse(exp);
    if (Number.isNaN(at)) return graphError(400, 'ExtensionError', 'expirationDateTime is not a date and time');
    const now = this.options.now();
    if (at > now + M365Sim.MAX_EVENT_SUBSCRIPTION_MINUTES * 60_000) {
      return graphError(400, 'ExtensionError', `Subscription expiration can only be ${M365Sim.MAX_EVENT_SUBSCRIPTION_MINUTES} minutes in the future.`);
    }
    if (at < now + 45 * 60_000 - 60_000) return graphError(400, 'ExtensionError', 'Subscription expiration must be at least 45 minutes in the future.');
    return undefined;
  }

  private async createSubscription(req: RecordedRequest): Promise<Reply> {
    const b = (req.body ?? {}) as Record<string, string>;
    const resource = /^\/?users\/([^/]+)\/events$/i.exec(b.resource ?? '');
    if (!resource) return graphError(400, 'InvalidRequest', `the simulator models subscriptions on /users/{id}/events, not ${b.resource}`);
    const user = this.findUser(decodeURIComponent(resource[1]!));
    if (!user) return graphError(404, 'ResourceNotFound', 'The user does not exist.');
    if (!b.notificationUrl?.startsWith('https://')) return graphError(400, 'InvalidRequest', 'Subscription validation request failed. Notification endpoint must be an https URL.');
    const problem = this.checkExpiry(b.expirationDateTime ?? '');
    if (problem) return problem;
    // The validation handshake, before answering (change-notifications-delivery-webhooks.md): 200, the token as text/plain, within 10 s.
    for (const url of [b.notificationUrl, b.lifecycleNotificationUrl].filter((u): u is string => !!u)) {
      const ok = await this.validate(url);
      if (!ok) return graphError(400, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
    }
    const s: Subscription = {
      id: randomUUID(),
      resource: b.resource!,
      mailbox: user.id,
      changeType: b.changeType ?? 'created,updated,deleted',
      notificationUrl: b.notificationUrl,
      ...(b.lifecycleNotificationUrl ? { lifecycleNotificationUrl: b.lifecycleNotificationUrl } : {}),
      ...(b.clientState !== undefined ? { clientState: b.clientState } : {}),
      expirationDateTime: new Date(b.expirationDateTime!).toISOString(),
    };
    this.subscriptions.set(s.id, s);
    return { status: 201, body: subscriptionJson(s) };
  }

  private async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const started = performance.now();
    try {
      const res = await fetch(`${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      const ms = performance.now() - started;
      this.deliveries.push({ kind: 'validation', url, status: res.status, ms, slow: ms > SLOW_MS });
      return res.status === 200 && text === token && (res.headers.get('content-type') ?? '').startsWith('text/plain');
    } catch {
      this.deliveries.push({ kind: 'validation', url, status: 0, ms: performance.now() - started, slow: true });
      return false;
    }
  }

  /** Posts change notifications for the mailboxes a change touched (after the Graph request that made it has been answered). */
  private notify(changes: { mailbox: string; eventId: string; changeType: 'created' | 'updated' | 'deleted' }[]): void {
    for (const c of changes) {
      for (const s of this.subscriptions.values()) {
        if (s.mailbox !== c.mailbox || !s.changeType.split(',').includes(c.changeType) || Date.parse(s.expirationDateTime) < this.options.now()) continue;
        const body = {
          value: [
            {
              subscriptionId: s.id,
              subscriptionExpirationDateTime: s.expirationDateTime,
              changeType: c.changeType,
              resource: `Users/${s.mailbox}/Events/${c.eventId}`,
              resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': `Users/${s.mailbox}/Events/${c.eventId}`, id: c.eventId },
              clientState: s.clientState ?? null,
              tenantId: this.options.tenantId,
            },
          ],
        };
        this.track(this.deliver(s, s.notificationUrl, body, 'notification'));
      }
    }
  }

  /** Sends a lifecycle event for a subscription (reauthorizationRequired, subscriptionRemoved, missed). */
  async lifecycle(subscriptionId: string, lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): Promise<void> {
    const s = this.subscriptions.get(subscriptionId);
    if (!s) throw new Error(`no subscription ${subscriptionId}`);
    if (lifecycleEvent === 'subscriptionRemoved') this.subscriptions.delete(subscriptionId);
    await this.deliver(s, s.lifecycleNotificationUrl ?? s.notificationUrl, {
      value: [{ subscriptionId: s.id, subscriptionExpirationDateTime: s.expirationDateTime, tenantId: this.options.tenantId, clientState: s.clientState ?? null, lifecycleEvent }],
    }, 'lifecycle');
  }

  private track(p: Promise<unknown>): void {
    this.pendingDeliveries.add(p);
    void p.finally(() => this.pendingDeliveries.delete(p));
  }

  /** Waits for the notifications in flight (tests call it before counting). */
  async settled(): Promise<void> {
    while (this.pendingDeliveries.size) await Promise.allSettled([...this.pendingDeliveries]);
  }

  /**
   * Microsoft's rule for slow endpoints (change-notifications-delivery-webhooks.md): answers over
   * 3 s count as slow; when over 10% of the last ones were slow the endpoint's notifications are
   * delayed, over 15% they are dropped (and a `missed` lifecycle event says so).
   */
  private slowShare(url: string): number {
    const last = this.deliveries.filter((d) => d.url === url && d.kind !== 'validation').slice(-20);
    return last.length < 5 ? 0 : last.filter((d) => d.slow).length / last.length;
  }

  private async deliver(s: Subscription, url: string, body: unknown, kind: 'notification' | 'lifecycle'): Promise<void> {
    const share = this.slowShare(url);
    if (kind === 'notification' && share > 0.15) {
      this.dropped += 1;
      if (s.lifecycleNotificationUrl) this.track(this.lifecycle(s.id, 'missed').catch(() => undefined));
      return;
    }
    if (kind === 'notification' && share > 0.1) {
      this.delayed += 1;
      await new Promise((r) => setTimeout(r, this.slowDelayMs));
    }
    for (let attempt = 0; attempt < 4; attempt++) {
      const started = performance.now();
      let status = 0;
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      const ms = performance.now() - started;
      this.deliveries.push({ kind, url, status, ms, slow: ms > SLOW_MS });
      if (status >= 200 && status < 300) return;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }

  /** Acknowledge times of change notifications, in ms. */
  ackTimes(): number[] {
    return this.deliveries.filter((d) => d.kind === 'notification').map((d) => d.ms);
  }

  // ---- Teams: the connector calling the bot ----------------------------------------------

  /**
   * An https front door for the app (TLS ends here, as at a reverse proxy), forwarding to its http port.
   * With several instances `target` picks one per request (a load balancer); a refused connection
   * (an instance that is down) is tried on the next pick, as a balancer's health check would, while
   * an instance dying mid-request answers 502 to that caller.
   */
  async frontDoor(target: string | (() => string | undefined), onForward?: (target: string, path: string) => void): Promise<string> {
    const pick = typeof target === 'string' ? () => target : target;
    const server = https.createServer({ key: this.tlsFiles.key, cert: this.tlsFiles.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const attempt = (left: number) => {
          const chosen = pick();
          if (!chosen) {
            res.writeHead(503).end();
            return;
          }
          const t = new URL(chosen);
          let connected = false;
          // A fresh connection each time (agent: false), so 'connect' tells a live instance from a dead one.
          const up = http.request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: { ...req.headers, host: t.host }, agent: false }, (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
            r.on('error', () => res.destroy());
          });
          up.on('socket', (sock) => sock.once('connect', () => {
            connected = true;
            onForward?.(chosen, req.url ?? '');
          }));
          up.on('error', () => {
            if (!connected && left > 0) return attempt(left - 1);
            if (!res.headersSent) res.writeHead(502);
            res.end();
          });
          up.end(body);
        };
        attempt(5);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.frontDoors.push(server);
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Posts an activity to the bot as the Bot Framework connector does (signed token); returns the HTTP answer. */
  async toBot(appUrl: string, activity: Record<string, unknown>): Promise<{ status: number; body: unknown; ms: number }> {
    const serviceUrl = `${this.botServiceUrl}/`;
    const token = await this.tokens.botActivityToken(this.options.clientId, serviceUrl);
    const started = performance.now();
    const res = await fetch(`${appUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ serviceUrl, channelId: 'msteams', timestamp: new Date(this.options.now()).toISOString(), ...activity }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? safeJson(text) : undefined, ms: performance.now() - started };
  }

  /** The activity fields Teams sends for a person in their personal chat with the bot. */
  personal(userId: string): Record<string, unknown> {
    const u = this.users.get(userId)!;
    const chat = this.installed.get(userId)?.chatId ?? `a:1sim-${userId}`;
    return {
      id: `f:${randomUUID()}`,
      from: { id: teamsUserId(userId), aadObjectId: userId, name: u.displayName },
      recipient: { id: `28:${this.options.clientId}`, name: 'Protected Time' },
      conversation: { id: chat, conversationType: 'personal', tenantId: this.options.tenantId },
      channelData: { tenant: { id: this.options.tenantId } },
      locale: 'en-GB',
    };
  }

  /** The person installs the app themselves (Teams sends installationUpdate). */
  async userInstalls(appUrl: string, userId: string): Promise<{ status: number }> {
    if (!this.installed.has(userId)) this.installed.set(userId, { installId: Buffer.from(`${userId}##${this.options.teamsAppId}`).toString('base64url'), chatId: `19:${userId}_${this.options.clientId}@unq.gbl.spaces` });
    return this.toBot(appUrl, { ...this.personal(userId), type: 'installationUpdate', action: 'add' });
  }

  /** Cards the connector has received for a person (by their chat), in order: as sent, and as last updated. */
  cardsFor(userId: string): { activityId: string; card: Record<string, unknown> | undefined; summary: unknown; latestCard: Record<string, unknown> | undefined; latestSummary: unknown; updates: number }[] {
    const chat = this.installed.get(userId)?.chatId;
    const cardOf = (a: Record<string, unknown>) => (a.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined)?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
    return this.activities
      .filter((a) => a.conversationId === chat)
      .map((a) => {
        const latest = a.updates.at(-1) ?? a.activity;
        return { activityId: a.activityId, card: cardOf(a.activity), summary: a.activity.summary ?? a.activity.text, latestCard: cardOf(latest), latestSummary: latest.summary ?? latest.text, updates: a.updates.length };
      });
  }
}

export function teamsUserId(userId: string): string {
  return `29:1sim${Buffer.from(userId).toString('base64url')}`;
}

function zoned(v: { dateTime: string; timeZone: string }): string {
  const iso = /Z|[+-]\d\d:\d\d$/.test(v.dateTime) ? v.dateTime : `${v.dateTime}Z`;
  return new Date(iso).toISOString();
}

function userJson(u: SimUser): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.user', id: u.id, displayName: u.displayName, mail: u.mail, userPrincipalName: u.userPrincipalName, jobTitle: u.jobTitle ?? null, department: u.department ?? null };
}

function subscriptionJson(s: Subscription): Record<string, unknown> {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
    id: s.id,
    resource: s.resource,
    applicationId: '00000000-0000-0000-0000-000000000000',
    changeType: s.changeType,
    clientState: s.clientState ?? null,
    notificationUrl: s.notificationUrl,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
    expirationDateTime: s.expirationDateTime,
    creatorId: '00000000-0000-0000-0000-000000000000',
    latestSupportedTlsVersion: 'v1_2',
    notificationContentType: null,
  };
}

function graphError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } } };
}

function page(all: unknown[], req: RecordedRequest, base: string, defaultSize: number): Record<string, unknown> {
  const top = Number(req.query.$top ?? defaultSize);
  const skip = Number(req.query.$skip ?? 0);
  const value = all.slice(skip, skip + top);
  const params = new URLSearchParams({ ...req.query, $skip: String(skip + top) });
  return { value, ...(skip + top < all.length ? { '@odata.nextLink': `${base}?${params.toString()}` } : {}) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
