/**
 * The layer every Graph adapter goes through: GraphCall in, validated JSON out.
 * The transport is @microsoft/microsoft-graph-client: requests go through its
 * middleware chain (the app's retry, auth and timeout policy, graphMiddleware.ts),
 * $batch through BatchRequestContent/BatchResponseContent, paging through
 * PageIterator. What is left here is the app's contract with its adapters:
 * which calls are safe to repeat, errors that name the call (graphErrors.ts),
 * zod validation of every answer, and JSON batching that retries only the
 * inner requests Graph throttled.
 *
 * Docs followed: concepts/throttling.md (Retry-After), concepts/json-batching.md
 * (20 requests per batch, per-request status, dependsOn), paging.md.
 */
import {
  BatchRequestContent,
  BatchResponseContent,
  type BatchRequestStep,
  Client,
  GraphError as SdkGraphError,
  type GraphRequest,
  type Middleware,
  PageIterator,
  ResponseType,
} from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { GraphContractError, GraphError } from './graphErrors';
import type { TokenSource } from './graphAuth';
import { backoff, GraphAuth, GraphCallOptions, GraphRetry, GraphTimeout, GraphTransport, isRetryable, pageEnvelope, parseBody, retryAfterMs, type RetryPolicy } from './graphMiddleware';

export { retryAfterMs };

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
  private readonly client: Client;
  private readonly policy: RetryPolicy;

  constructor(options: GraphHttpOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');
    this.policy = {
      maxRetries: options.maxRetries ?? 4,
      baseDelayMs: options.baseDelayMs ?? 1_000,
      maxDelayMs: options.maxDelayMs ?? 120_000,
      sleep: options.sleep ?? defaultSleep,
    };
    this.client = graphClient(this.baseUrl, [
      new GraphRetry(this.policy),
      new GraphAuth(options.token, this.baseUrl),
      new GraphTimeout(options.timeoutMs ?? 30_000),
      new GraphTransport(options.fetch ?? ((input, init) => fetch(input, init))),
    ]);
  }

  /** Waits as the retry policy would (callers that look before retrying use it to honour Retry-After). */
  async wait(ms: number): Promise<void> {
    if (ms > 0) await this.policy.sleep(Math.min(ms, this.policy.maxDelayMs));
  }

  /** Sends with retries; resolves with any 2xx, throws GraphError otherwise. */
  async send(call: GraphCall): Promise<GraphResponse> {
    return this.sendWith(call, new GraphCallOptions(call.call, isIdempotent(call)));
  }

  /** Sends and validates the JSON body against the fields the adapter reads. */
  async json<T>(call: GraphCall, schema: z.ZodType<T>): Promise<T> {
    const res = await this.send(call);
    return validate(call.call, schema, res.body);
  }

  /** Follows @odata.nextLink to the end (PageIterator); returns every item and the final @odata.deltaLink, if any. */
  async pages<T>(call: GraphCall, itemSchema: z.ZodType<T>): Promise<{ items: T[]; deltaLink?: string }> {
    const options = new GraphCallOptions(call.call, isIdempotent(call), true);
    const first = validate(call.call, pageEnvelope, (await this.sendWith(call, options)).body);
    const items: T[] = [];
    let page = -1;
    let index = 0;
    const iterator = new PageIterator(
      this.client,
      first,
      (item: unknown) => {
        if (options.pagesRead - 1 !== page) [page, index] = [options.pagesRead - 1, 0];
        items.push(validate(call.call, itemSchema, item, `page ${page} value[${index++}]`));
        return true;
      },
      { middlewareOptions: [options], ...(call.headers ? { headers: call.headers } : {}) },
    );
    try {
      await iterator.iterate();
    } catch (err) {
      throw this.failure(call.call, options, err);
    }
    const deltaLink = iterator.getDeltaLink();
    return deltaLink ? { items, deltaLink } : { items };
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
      const content = new BatchRequestContent(
        pending.map((i, k): BatchRequestStep => ({
          id: String(i),
          request: this.batchStep(calls[i]!),
          ...(sequential && k > 0 ? { dependsOn: [String(pending[k - 1])] } : {}),
        })),
      );
      const names = [...new Set(pending.map((i) => calls[i]!.call))].join(',');
      const envelope = await this.json(
        { call: `$batch(${names})`, method: 'POST', path: '/$batch', body: await content.getContent(), idempotent: pending.every((i) => isIdempotent(calls[i]!)) },
        batchEnvelope,
      );
      const answers = new BatchResponseContent(asResponseContent(envelope));
      const retry: number[] = [];
      let wait = 0;
      for (const i of pending) {
        const call = calls[i]!;
        const inner = answers.getResponseById(String(i));
        if (!inner) {
          results[i] = { ok: false, error: new GraphError(call.call, 0, undefined, 'missing from the $batch response', { ambiguous: true }) };
          continue;
        }
        const response: GraphResponse = { status: inner.status, headers: headerRecord(inner.headers), body: parseBody(await inner.text()) };
        if (inner.status >= 200 && inner.status < 300) {
          results[i] = { ok: true, value: validate(call.call, schema, response.body) };
          continue;
        }
        const error = errorFromResponse(call.call, response);
        const again = (isRetryable(inner.status, isIdempotent(call)) || inner.status === 424) && round < this.policy.maxRetries;
        if (again) {
          retry.push(i);
          wait = Math.max(wait, error.options.retryAfterMs ?? backoff(this.policy, round));
        }
        results[i] = { ok: false, error };
      }
      if (retry.length > 0 && wait > this.policy.maxDelayMs) return;
      if (retry.length > 0) await this.policy.sleep(wait);
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

  private async sendWith(call: GraphCall, options: GraphCallOptions): Promise<GraphResponse> {
    let request = this.client
      .api(/^https?:\/\//i.test(call.path) ? call.path : relativeUrl(call))
      .middlewareOptions([options])
      .responseType(ResponseType.RAW)
      .header('Accept', 'application/json');
    if (call.headers) request = request.headers(call.headers);
    let res: Response;
    try {
      res = await dispatch(request, call);
    } catch (err) {
      throw this.failure(call.call, options, err);
    }
    const response: GraphResponse = { status: res.status, headers: headerRecord(res.headers), body: parseBody(await res.text()) };
    if (res.status >= 200 && res.status < 300) return response;
    throw errorFromResponse(call.call, response);
  }

  /** The app's error for what the client threw: the chain's own failure, or an HTTP error the SDK read (later pages). */
  private failure(call: string, options: GraphCallOptions, err: unknown): Error {
    if (options.failure) return options.failure;
    if (err instanceof SdkGraphError && err.statusCode > 0) {
      return new GraphError(call, err.statusCode, err.code ?? undefined, err.message || 'no error message', {
        requestId: err.headers?.get('request-id') ?? err.requestId ?? undefined,
        retryAfterMs: retryAfterMs(err.headers?.get('retry-after')),
      });
    }
    return err instanceof Error ? err : new Error(String(err));
  }

  /** An inner request of a $batch, as BatchRequestContent reads it: its URL relative to the version root. */
  private batchStep(call: GraphCall): Request {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    return new Request(new URL(this.baseUrl).origin + relativeUrl(call), {
      method: call.method,
      headers: { ...call.headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
  }
}

/**
 * A Graph client on the base URL, whose api() also takes the absolute
 * @odata.nextLink/deltaLink Graph returns (PageIterator passes them on as they
 * are). The SDK reads an absolute URL only as https://host/version/..., which a
 * test fake (http) or a base URL with a path prefix is not; so a link is taken
 * back to a path under the base URL, and a link anywhere else is refused: the
 * token goes nowhere else.
 */
function graphClient(baseUrl: string, middleware: Middleware[]): Client {
  const cut = baseUrl.lastIndexOf('/');
  const hasVersion = cut > baseUrl.indexOf('//') + 1;
  const client = Client.initWithMiddleware({
    middleware,
    baseUrl: hasVersion ? baseUrl.slice(0, cut) : baseUrl,
    defaultVersion: hasVersion ? baseUrl.slice(cut + 1) : '',
  });
  const api = client.api.bind(client);
  client.api = (path: string) => {
    if (!/^https?:\/\//i.test(path)) return api(path);
    if (!path.startsWith(`${baseUrl}/`)) throw new Error(`Graph: refusing to follow a link outside ${baseUrl}`);
    return api(path.slice(baseUrl.length));
  };
  return client;
}

function dispatch(request: GraphRequest, call: GraphCall): Promise<Response> {
  const byMethod = { GET: () => request.get(), POST: () => request.post(call.body), PATCH: () => request.patch(call.body), DELETE: () => request.delete() };
  return byMethod[call.method]();
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

function exceedsMailboxConcurrency(calls: GraphCall[]): boolean {
  const counts = new Map<string, number>();
  for (const c of calls) if (c.mailbox) counts.set(c.mailbox, (counts.get(c.mailbox) ?? 0) + 1);
  return [...counts.values()].some((n) => n > MAX_CONCURRENT_PER_MAILBOX);
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

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => (out[key.toLowerCase()] = value));
  return out;
}

/**
 * The $batch answer as BatchResponseContent wants it: it re-serialises an inner
 * JSON body only under "Content-Type: application/json" spelt in exactly that
 * case (any other spelling turns the body into "[object Object]").
 */
function asResponseContent(envelope: z.infer<typeof batchEnvelope>) {
  return {
    responses: envelope.responses.map((r) => {
      if (r.body === undefined || r.body === null || typeof r.body === 'string') return r;
      const headers = Object.fromEntries(Object.entries(r.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'content-type'));
      return { ...r, headers: { ...headers, 'Content-Type': 'application/json' } };
    }),
  };
}
