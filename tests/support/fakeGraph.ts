/**
 * A local fake of Microsoft Graph for contract tests: node:http on a free
 * port, scripted replies per route, every request recorded (method, path,
 * query, headers, parsed body), and $batch unpacked into its inner requests
 * the way Graph does (concepts/json-batching.md): each inner request is routed
 * and recorded like a direct one, dependsOn runs in order and a failed
 * predecessor gives 424.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface RecordedRequest {
  method: string;
  /** Decoded path under the version segment: "/users/u1/calendarView". */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** True for a request that arrived inside a $batch. */
  viaBatch: boolean;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Hold the reply this long (to provoke client timeouts). */
  delayMs?: number;
  /** Drop the connection instead of answering (a request lost in flight); inside a $batch the status stands. */
  destroy?: boolean;
}

export type Responder = Reply | ((req: RecordedRequest) => Reply | Promise<Reply>);

interface Route {
  method: string;
  match: string | RegExp;
  replies: Responder[];
  used: number;
}

const VERSION = '/v1.0';
const GRAPH_ROOT = 'https://graph.microsoft.com/v1.0';

export class FakeGraph {
  /** Every request, direct and inside batches, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Only real HTTP requests (a $batch counts once). */
  readonly httpRequests: RecordedRequest[] = [];
  readonly unmatched: RecordedRequest[] = [];
  private routes: Route[] = [];
  /**
   * Asked first for every request, direct or batched (the M365 simulator's faults and
   * latency): a reply short-circuits the routes, undefined lets them answer.
   */
  readonly interceptors: ((req: RecordedRequest) => Reply | undefined | Promise<Reply | undefined>)[] = [];
  /** Asked after a route answered: may replace the reply (a response lost after the work was done). */
  readonly afterRoute: ((req: RecordedRequest, reply: Reply) => Reply | undefined | Promise<Reply | undefined>)[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
  ) {}

  /** With `tls`, serves https (MSAL refuses an http authority, so the simulator's login endpoint needs it). */
  static async start(options: { tls?: { key: string; cert: string } } = {}): Promise<FakeGraph> {
    let fake: FakeGraph | undefined;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void fake!.handle(req, res);
    const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeGraph(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}${VERSION}`);
    return fake;
  }

  /**
   * Replies for a route, used in order; the last one repeats. A later route
   * for the same request wins, so a test can override a default.
   */
  on(method: string, match: string | RegExp, ...replies: Responder[]): this {
    this.routes.unshift({ method: method.toUpperCase(), match, replies, used: 0 });
    return this;
  }

  /** Requests (direct or batched) for a method and path. */
  to(method: string, match: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && matches(match, r.path));
  }

  reset(): void {
    this.routes = [];
    this.requests.length = 0;
    this.httpRequests.length = 0;
    this.unmatched.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
    const recorded = parseRequest(req.method ?? 'GET', req.url ?? '/', headers, text ? safeJson(text) : undefined, false);
    this.httpRequests.push(recorded);
    const reply = recorded.path === '/$batch' && recorded.method === 'POST' && !this.hasRoute(recorded) ? await this.batch(recorded) : await this.dispatch(recorded);
    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.destroy) {
      req.socket.destroy();
      return;
    }
    // The client gave up (timeout test): nothing to answer. (req itself is destroyed once read.)
    if (res.destroyed || req.socket.destroyed) return;
    const body = reply.body === undefined ? '' : this.rebase(JSON.stringify(reply.body));
    res.writeHead(reply.status ?? 200, {
      'request-id': `fake-${this.httpRequests.length}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...reply.headers,
    });
    res.end(body);
  }

  private hasRoute(req: RecordedRequest): boolean {
    return this.routes.some((r) => r.method === req.method && matches(r.match, req.path));
  }

  private async dispatch(req: RecordedRequest): Promise<Reply> {
    this.requests.push(req);
    for (const intercept of this.interceptors) {
      const reply = await intercept(req);
      if (reply) return reply;
    }
    const route = this.routes.find((r) => r.method === req.method && matches(r.match, req.path));
    if (!route) {
      this.unmatched.push(req);
      return { status: 404, body: { error: { code: 'FakeGraph_NoRoute', message: `no scripted reply for ${req.method} ${req.path}` } } };
    }
    const responder = route.replies[Math.min(route.used, route.replies.length - 1)]!;
    route.used += 1;
    let reply = typeof responder === 'function' ? await responder(req) : responder;
    for (const after of this.afterRoute) reply = (await after(req, reply)) ?? reply;
    return reply;
  }

  private async batch(envelope: RecordedRequest): Promise<Reply> {
    const requests = ((envelope.body as { requests?: unknown[] } | undefined)?.requests ?? []) as {
      id: string;
      method: string;
      url: string;
      headers?: Record<string, string>;
      body?: unknown;
      dependsOn?: string[];
    }[];
    if (requests.length > 20) return { status: 400, body: { error: { code: 'BadRequest', message: 'a batch holds at most 20 requests' } } };
    const statusById = new Map<string, number>();
    const run = async (inner: (typeof requests)[number]) => {
      if (inner.dependsOn?.some((d) => (statusById.get(d) ?? 0) >= 400)) {
        statusById.set(inner.id, 424);
        return { id: inner.id, status: 424, body: { error: { code: 'FailedDependency', message: 'a request this one depends on failed' } } };
      }
      const headers = Object.fromEntries(Object.entries(inner.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const reply = await this.dispatch(parseRequest(inner.method, `${VERSION}${inner.url}`, headers, inner.body, true));
      if (reply.delayMs) await sleep(reply.delayMs);
      statusById.set(inner.id, reply.status ?? 200);
      return { id: inner.id, status: reply.status ?? 200, headers: { 'Content-Type': 'application/json', ...reply.headers }, ...(reply.body !== undefined ? { body: reply.body } : {}) };
    };
    const sequential = requests.some((r) => r.dependsOn?.length);
    const responses = sequential ? [] : await Promise.all(requests.map(run));
    if (sequential) for (const r of requests) responses.push(await run(r));
    return { status: 200, body: { responses } };
  }

  /** Fixtures carry Graph's own links; point them at this server. */
  private rebase(json: string): string {
    return json.split(GRAPH_ROOT).join(this.baseUrl);
  }
}

function parseRequest(method: string, rawUrl: string, headers: Record<string, string>, body: unknown, viaBatch: boolean): RecordedRequest {
  const url = new URL(rawUrl, 'http://fake');
  const pathname = decodeURIComponent(url.pathname);
  return {
    method: method.toUpperCase(),
    path: pathname.startsWith(VERSION) ? pathname.slice(VERSION.length) || '/' : pathname,
    query: Object.fromEntries(url.searchParams.entries()),
    headers,
    body,
    viaBatch,
  };
}

function matches(match: string | RegExp, p: string): boolean {
  return typeof match === 'string' ? match === p : match.test(p);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const FIXTURES = path.resolve(__dirname, '../fixtures/graph');

/** A fixture from tests/fixtures/graph, without its "_source"/"_note" keys (top level and in value items). */
export function fixture<T = Record<string, unknown>>(name: string): T {
  const data = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
  return stripNotes(data) as T;
}

/** The reference page a fixture follows. */
export function fixtureSource(name: string): string {
  return String((JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as { _source?: string })._source ?? '');
}

function stripNotes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNotes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, stripNotes(v)]));
  }
  return value;
}
