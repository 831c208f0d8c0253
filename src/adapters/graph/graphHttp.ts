/**
 * The thin HTTP layer every Graph adapter goes through: token, base URL,
 * retries, timeouts, JSON batching, paging and response validation.
 *
 * Why plain fetch and not @microsoft/microsoft-graph-client's RetryHandler:
 * - RetryHandler retries 503/504 for POST as well (it only skips streamed
 *   bodies), and an event create that timed out at the gateway may have been
 *   made: creates must look before they retry, which needs the decision here.
 * - It does not retry requests that failed inside a $batch (the batch itself
 *   answers 200), nor timeouts or dropped connections.
 * - Its delays are whole seconds plus up to a second of jitter, which makes the
 *   fault tests slow, and pointing it at a local fake needs customHosts plumbing.
 * The policy below is RetryHandler's (429/503/504, Retry-After first,
 * exponential backoff otherwise, a cap), written where the adapters can see it.
 *
 * Docs followed: concepts/throttling.md (Retry-After), concepts/json-batching.md
 * (20 requests per batch, per-request status, dependsOn).
 */
import { z } from 'zod';
import { GraphContractError, GraphError, GraphTimeoutError } from './graphErrors';
import type { TokenSource } from './graphAuth';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface GraphCall {
  /** Names the operation in errors and logs. */
  call: string;
  method: HttpMethod;
  /** Path under the base URL ("/users/{id}/events"), or an absolute @odata.nextLink/deltaLink under it. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Safe to send again after a timeout or 5xx? Default: GET yes, anything else no. */
  idempotent?: boolean;
  /** The mailbox the request works on: Outlook allows only 4 concurrent requests per mailbox. */
  mailbox?: string;
}

export interface GraphHttpOptions {
  token: TokenSource;
  /** Default https://graph.microsoft.com/v1.0; tests point it at a local fake. */
  baseUrl?: string;
  /** Per attempt, headers and body included. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** First backoff step when Graph gives no Retry-After. */
  baseDelayMs?: number;
  /** No single wait is longer; a Retry-After beyond it fails the call instead of stalling the app. */
  maxDelayMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type BatchResult<T> = { ok: true; value: T } | { ok: false; error: GraphError };

/** Documented limit of a JSON batch (concepts/json-batching.md). */
export const MAX_BATCH_REQUESTS = 20;
/** Outlook's documented per-mailbox concurrency limit; more in one parallel batch gets 429s. */
const MAX_CONCURRENT_PER_MAILBOX = 4;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GraphHttp {
  readonly baseUrl: string;
  private readonly token: TokenSource;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: GraphHttpOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 120_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Waits as the retry policy would (callers that look before retrying use it to honour Retry-After). */
  async wait(ms: number): Promise<void> {
    if (ms > 0) await this.sleep(Math.min(ms, this.maxDelayMs));
  }

  /** Sends with retries; resolves with any 2xx, throws GraphError otherwise. */
  async send(call: GraphCall): Promise<GraphResponse> {
    const idempotent = isIdempotent(call);
    const url = this.absoluteUrl(call);
    for (let attempt = 0; ; attempt++) {
      let res: GraphResponse;
      try {
        res = await this.once(call, url);
      } catch (err) {
        const error = err instanceof GraphError ? err : new GraphError(call.call, 0, undefined, String(err), { ambiguous: true });
        if (idempotent && attempt < this.maxRetries) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw error;
      }
      if (res.status >= 200 && res.status < 300) return res;
      const error = errorFromResponse(call.call, res);
      if (isRetryable(res.status, idempotent) && attempt < this.maxRetries) {
        const delay = error.options.retryAfterMs ?? this.backoff(attempt);
        if (delay > this.maxDelayMs) throw error;
        await this.sleep(delay);
        continue;
      }
      throw error;
    }
  }

  /** Sends and validates the JSON body against the fields the adapter reads. */
  async json<T>(call: GraphCall, schema: z.ZodType<T>): Promise<T> {
    const res = await this.send(call);
    return validate(call.call, schema, res.body);
  }

  /** Follows @odata.nextLink to the end; returns every item and the final @odata.deltaLink, if any. */
  async pages<T>(call: GraphCall, itemSchema: z.ZodType<T>): Promise<{ items: T[]; deltaLink?: string }> {
    const items: T[] = [];
    let next: GraphCall | undefined = call;
    for (let page = 0; next; page++) {
      const res = await this.send(next);
      const body = validate(call.call, pageEnvelope, res.body);
      body.value.forEach((item, i) => items.push(validate(call.call, itemSchema, item, `page ${page} value[${i}]`)));
      const deltaLink = body['@odata.deltaLink'];
      if (deltaLink) return { items, deltaLink };
      const nextLink = body['@odata.nextLink'];
      next = nextLink ? { ...call, path: nextLink, query: undefined } : undefined;
    }
    return { items };
  }

  /**
   * Runs several calls in as few HTTP requests as JSON batching allows (20 per
   * $batch). A failure of one inner request is that request's result; inner
   * 429/503/504 (and 424 from a failed predecessor) are sent again, only those,
   * after the longest Retry-After among them.
   */
  async many<T>(calls: GraphCall[], schema: z.ZodType<T>): Promise<BatchResult<T>[]> {
    const results = new Array<BatchResult<T>>(calls.length);
    const indices = calls.map((_, i) => i);
    for (let from = 0; from < indices.length; from += MAX_BATCH_REQUESTS) {
      await this.runBatch(calls, indices.slice(from, from + MAX_BATCH_REQUESTS), schema, results);
    }
    return results;
  }

  private async runBatch<T>(calls: GraphCall[], chunk: number[], schema: z.ZodType<T>, results: BatchResult<T>[]): Promise<void> {
    let pending = chunk;
    for (let round = 0; pending.length > 0; round++) {
      if (pending.length === 1) {
        // One request needs no envelope, and send() applies the same retry policy.
        const i = pending[0]!;
        results[i] = await this.single(calls[i]!, schema);
        return;
      }
      const sequential = exceedsMailboxConcurrency(pending.map((i) => calls[i]!));
      const batchBody = {
        requests: pending.map((i, k) => batchRequest(calls[i]!, i, sequential && k > 0 ? pending[k - 1] : undefined)),
      };
      const names = [...new Set(pending.map((i) => calls[i]!.call))].join(',');
      const res = await this.json(
        { call: `$batch(${names})`, method: 'POST', path: '/$batch', body: batchBody, idempotent: pending.every((i) => isIdempotent(calls[i]!)) },
        batchEnvelope,
      );
      const byId = new Map(res.responses.map((r) => [r.id, r]));
      const retry: number[] = [];
      let wait = 0;
      for (const i of pending) {
        const call = calls[i]!;
        const inner = byId.get(String(i));
        if (!inner) {
          results[i] = { ok: false, error: new GraphError(call.call, 0, undefined, 'missing from the $batch response', { ambiguous: true }) };
          continue;
        }
        const response: GraphResponse = { status: inner.status, headers: lowerCaseKeys(inner.headers ?? {}), body: inner.body };
        if (inner.status >= 200 && inner.status < 300) {
          results[i] = { ok: true, value: validate(call.call, schema, inner.body) };
          continue;
        }
        const error = errorFromResponse(call.call, response);
        const again = (isRetryable(inner.status, isIdempotent(call)) || inner.status === 424) && round < this.maxRetries;
        if (again) {
          retry.push(i);
          wait = Math.max(wait, error.options.retryAfterMs ?? this.backoff(round));
        }
        results[i] = { ok: false, error };
      }
      if (retry.length > 0 && wait > this.maxDelayMs) return;
      if (retry.length > 0) await this.sleep(wait);
      pending = retry;
    }
  }

  private async single<T>(call: GraphCall, schema: z.ZodType<T>): Promise<BatchResult<T>> {
    try {
      return { ok: true, value: await this.json(call, schema) };
    } catch (err) {
      if (err instanceof GraphError) return { ok: false, error: err };
      throw err;
    }
  }

  private async once(call: GraphCall, url: string): Promise<GraphResponse> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.token.getToken()}`,
      Accept: 'application/json',
      ...call.headers,
    };
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['Content-Type'] = 'application/json';
    }
    try {
      const res = await this.fetchImpl(url, { method: call.method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      const text = await res.text();
      const resHeaders: Record<string, string> = {};
      res.headers.forEach((value, key) => (resHeaders[key.toLowerCase()] = value));
      return { status: res.status, headers: resHeaders, body: parseBody(text) };
    } catch (err) {
      // Not `instanceof Error`: the abort is a DOMException, which may come from another realm.
      const { name, message, cause } = (err ?? {}) as { name?: string; message?: string; cause?: unknown };
      if (name === 'TimeoutError' || name === 'AbortError') throw new GraphTimeoutError(call.call, this.timeoutMs);
      throw new GraphError(call.call, 0, undefined, `${message ?? String(err)}${cause ? ` (${String(cause)})` : ''}`, { ambiguous: true });
    }
  }

  private absoluteUrl(call: GraphCall): string {
    if (/^https?:\/\//i.test(call.path)) {
      // nextLink/deltaLink come from the response; never send the token anywhere else.
      if (!call.path.startsWith(`${this.baseUrl}/`)) throw new Error(`Graph ${call.call}: refusing to follow a link outside ${this.baseUrl}`);
      return call.path;
    }
    return this.baseUrl + relativeUrl(call);
  }

  /** Exponential backoff with jitter, capped. */
  private backoff(attempt: number): number {
    const step = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
    return Math.round(step * (0.5 + Math.random() / 2));
  }
}

/** Path and query of a call, as a $batch inner request wants it. */
export function relativeUrl(call: Pick<GraphCall, 'path' | 'query'>): string {
  const query = Object.entries(call.query ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return query ? `${call.path}?${query}` : call.path;
}

/** A path segment from an id (event ids contain '/', '+' and '='). */
export function seg(id: string): string {
  return encodeURIComponent(id);
}

/** An OData string literal: single quotes are doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function isIdempotent(call: GraphCall): boolean {
  return call.idempotent ?? call.method === 'GET';
}

/** 429 means Graph refused the request, so any method may retry it; 503/504 only if repeating is harmless. */
function isRetryable(status: number, idempotent: boolean): boolean {
  return status === 429 || (idempotent && (status === 503 || status === 504));
}

function exceedsMailboxConcurrency(calls: GraphCall[]): boolean {
  const counts = new Map<string, number>();
  for (const c of calls) if (c.mailbox) counts.set(c.mailbox, (counts.get(c.mailbox) ?? 0) + 1);
  return [...counts.values()].some((n) => n > MAX_CONCURRENT_PER_MAILBOX);
}

function batchRequest(call: GraphCall, id: number, dependsOn: number | undefined) {
  const headers: Record<string, string> = { ...call.headers };
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  return {
    id: String(id),
    method: call.method,
    url: relativeUrl(call),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(call.body !== undefined ? { body: call.body } : {}),
    ...(dependsOn !== undefined ? { dependsOn: [String(dependsOn)] } : {}),
  };
}

function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function errorFromResponse(call: string, res: GraphResponse): GraphError {
  const err = (res.body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined)?.error;
  const code = typeof err?.code === 'string' && err.code ? err.code : undefined;
  const message = typeof err?.message === 'string' && err.message ? err.message : typeof res.body === 'string' ? res.body.slice(0, 200) : 'no error message';
  const requestId = res.headers['request-id'] ?? (typeof err?.innerError?.['request-id'] === 'string' ? (err.innerError['request-id'] as string) : undefined);
  return new GraphError(call, res.status, code, message, { requestId, retryAfterMs: retryAfterMs(res.headers['retry-after']) });
}

/** Parses with the schema; a mismatch names the call and the field. */
export function validate<T>(call: string, schema: z.ZodType<T>, body: unknown, prefix = ''): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new GraphContractError(
    call,
    parsed.error.issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'), message: issue.message })),
  );
}

const pageEnvelope = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});

const batchEnvelope = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});
