/**
 * Retries of Bot Framework connector calls (proactive sends, card updates,
 * replies) that the connector refused: 429 with Retry-After is "not now",
 * never "done", so any call may be sent again; 502/503/504 only for calls
 * that are safe to repeat (GET, PUT: an update sets the same card again),
 * never for a POST that may have posted the message. Teams throttles bots per
 * conversation and per app (teams/platform/bots/how-to/rate-limit.md), and the
 * Teams SDK's HTTP client does not retry by itself.
 */
import type { Middleware } from '@microsoft/teams.common';

export interface ConnectorRetryOptions {
  retries?: number;
  /** First backoff step when no Retry-After is given. */
  baseDelayMs?: number;
  /** A longer Retry-After fails the call rather than holding a job or an invoke. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function connectorRetry(options: ConnectorRetryOptions = {}): Middleware {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async invoke(context, next) {
      const method = String(context.config.method ?? 'get').toUpperCase();
      for (let attempt = 0; ; attempt++) {
        try {
          return await next();
        } catch (err) {
          const res = (err as { response?: { status?: number; headers?: Record<string, unknown> } }).response;
          const status = res?.status ?? 0;
          const again = status === 429 || ((status === 502 || status === 503 || status === 504) && (method === 'GET' || method === 'PUT'));
          if (!again || attempt >= retries) throw err;
          const header = res?.headers?.['retry-after'];
          const seconds = typeof header === 'string' && /^\d+$/.test(header.trim()) ? Number(header) * 1000 : undefined;
          const wait = seconds ?? Math.round(base * 2 ** attempt * (0.5 + Math.random() / 2));
          if (wait > max) throw err;
          await sleep(wait);
        }
      }
    },
  };
}
