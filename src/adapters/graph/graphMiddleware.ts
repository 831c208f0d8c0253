/**
 * The Graph client's middleware chain (Client.initWithMiddleware), outermost first:
 *
 *   GraphRetry → GraphAuth → GraphTimeout → GraphTransport
 *
 * The SDK's own RetryHandler, AuthenticationHandler and HTTPMessageHandler are
 * not used, because:
 * - RetryHandler retries 503/504 for POST as well (it only skips streamed
 *   bodies), and an event create that timed out at the gateway may have been
 *   made: creates must look before they retry, so a write that failed
 *   ambiguously is handed back to the adapter, not sent again.
 * - It does not retry timeouts or dropped connections, and its delays are whole
 *   seconds plus up to a second of jitter (slow fault tests).
 * - AuthenticationHandler sends the token only to hosts it knows as Graph's,
 *   which a configurable base URL (PT_GRAPH_BASE_URL, a local simulator) is
 *   not; and neither handler retries a 401 with a fresh token.
 * The retry policy is RetryHandler's (429/503/504, Retry-After first,
 * exponential backoff otherwise, a cap). Docs followed: concepts/throttling.md.
 *
 * Each request carries a GraphCallOptions (a per-request middleware option):
 * the call's name and whether repeating it is harmless in, and any failure
 * that is not an HTTP answer (timeout, lost connection, a page that does not
 * validate) out, so GraphHttp can throw the app's own error rather than the
 * SDK's wrapping of it.
 */
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { TokenSource } from './graphAuth';
import { GraphContractError, GraphError, GraphTimeoutError } from './graphErrors';

export class GraphCallOptions implements MiddlewareOptions {
  /** What went wrong without an HTTP answer, or with one that did not validate; thrown as is by GraphHttp. */
  failure?: Error;
  /** Pages read so far by a paged call (validated envelopes). */
  pagesRead = 0;
  constructor(
    /** Names the operation in errors and logs. */
    readonly call: string,
    /** Safe to send again after a timeout or a 503/504? */
    readonly idempotent: boolean,
    /** Each 2xx answer must be a page: { value: [...], @odata.nextLink?, @odata.deltaLink? }. */
    readonly paged = false,
  ) {}
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff step when Graph gives no Retry-After. */
  baseDelayMs: number;
  /** No single wait is longer; a Retry-After beyond it fails the call instead of stalling the app. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const pageEnvelope = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});

function callOptions(context: Context): GraphCallOptions {
  const options = context.middlewareControl?.getMiddlewareOptions(GraphCallOptions);
  return options instanceof GraphCallOptions ? options : new GraphCallOptions('graph', false);
}

abstract class Link implements Middleware {
  protected next?: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  protected async forward(context: Context): Promise<void> {
    if (!this.next) throw new Error(`${this.constructor.name} must not end the Graph middleware chain`);
    await this.next.execute(context);
  }
  abstract execute(context: Context): Promise<void>;
}

/** 429 means Graph refused the request, so any method may retry it; 503/504 only if repeating is harmless. */
export function isRetryable(status: number, idempotent: boolean): boolean {
  return status === 429 || (idempotent && (status === 503 || status === 504));
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with jitter, capped. */
export function backoff(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step * (0.5 + Math.random() / 2));
}

/**
 * Throttling, unavailable services and lost answers. What is not retried is
 * left as the response (or the thrown failure) for GraphHttp to report.
 */
export class GraphRetry extends Link {
  constructor(private readonly policy: RetryPolicy) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const options = callOptions(context);
    for (let attempt = 0; ; attempt++) {
      options.failure = undefined;
      try {
        await this.forward(context);
      } catch (err) {
        // No answer: a read is sent again; a write may have been carried out, so its caller decides.
        const noAnswer = err instanceof GraphError && err.status === 0;
        if (noAnswer && options.idempotent && attempt < this.policy.maxRetries) {
          await this.policy.sleep(backoff(this.policy, attempt));
          continue;
        }
        throw err;
      }
      const status = context.response?.status ?? 0;
      if (!isRetryable(status, options.idempotent) || attempt >= this.policy.maxRetries) return;
      const delay = retryAfterMs(context.response?.headers.get('retry-after')) ?? backoff(this.policy, attempt);
      if (delay > this.policy.maxDelayMs) return;
      await this.policy.sleep(delay);
    }
  }
}

/**
 * The app-only token on every request, and only to the base URL. A 401 (the
 * token was revoked or rotated before it expired) is sent once more with a
 * token fetched past MSAL's cache: Graph refused it unread, so any method may.
 */
export class GraphAuth extends Link {
  constructor(
    private readonly token: TokenSource,
    private readonly baseUrl: string,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (!url.startsWith(`${this.baseUrl}/`)) throw new Error(`Graph ${callOptions(context).call}: refusing to send the token outside ${this.baseUrl}`);
    this.authorize(context, await this.token.getToken());
    await this.forward(context);
    if (context.response?.status !== 401) return;
    this.authorize(context, await this.token.getToken(undefined, { forceRefresh: true }));
    await this.forward(context);
  }

  private authorize(context: Context, token: string): void {
    const headers = new Headers(context.options?.headers);
    headers.set('Authorization', `Bearer ${token}`);
    context.options = { ...context.options, headers };
  }
}

/**
 * A time limit per attempt, headers and body included (the transport reads the
 * body under the same signal), so a stalled answer is a timeout the retry sees.
 */
export class GraphTimeout extends Link {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
    try {
      await this.forward(context);
    } catch (err) {
      // Not `instanceof Error`: the abort is a DOMException, which may come from another realm.
      const name = (err as { name?: string } | undefined)?.name;
      if (name !== 'TimeoutError' && name !== 'AbortError') throw err;
      const options = callOptions(context);
      throw (options.failure = new GraphTimeoutError(options.call, this.timeoutMs));
    }
  }
}

/** The end of the chain: fetch, read the whole body, and check the envelope of a paged call. */
export class GraphTransport implements Middleware {
  constructor(private readonly fetchImpl: typeof fetch) {}

  async execute(context: Context): Promise<void> {
    const options = callOptions(context);
    let status: number;
    let text: string;
    let headers: Headers;
    try {
      const res = await this.fetchImpl(context.request, context.options);
      text = await res.text();
      ({ status, headers } = res);
    } catch (err) {
      const { name, message, cause } = (err ?? {}) as { name?: string; message?: string; cause?: unknown };
      if (name === 'TimeoutError' || name === 'AbortError') throw err;
      throw (options.failure = new GraphError(options.call, 0, undefined, `${message ?? String(err)}${cause ? ` (${String(cause)})` : ''}`, { ambiguous: true }));
    }
    // A null-body status must not be given a body, or Response refuses it.
    context.response = new Response(text === '' || status === 204 || status === 205 || status === 304 ? null : text, { status, headers });
    if (options.paged && status >= 200 && status < 300) {
      const parsed = pageEnvelope.safeParse(parseBody(text));
      if (!parsed.success) {
        options.failure = new GraphContractError(options.call, parsed.error.issues.map((i) => ({ path: [`page ${options.pagesRead}`, ...i.path.map(String)].join('.'), message: i.message })));
        throw options.failure;
      }
      options.pagesRead++;
    }
  }
}

export function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
