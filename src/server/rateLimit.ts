/**
 * Per-caller rate limits (token buckets, in memory, per instance): one person
 * looping an expensive request slows only themselves. The key is the person
 * once known (tab API after sign-in, bot after its token is checked), the
 * remote address before that. Over the limit: 429 JSON with Retry-After.
 */
import type { NextFunction, Request, Response } from 'express';

export interface BucketSettings {
  /** Requests allowed at once. */
  burst: number;
  /** Requests added back per second. */
  perSecond: number;
}

export interface RateLimitSettings {
  /** Every /api/v1 request, per person. */
  api: BucketSettings;
  /** Planning and booking (/plan, /series, /urgent): CPU and calendar heavy, per person. */
  planning: BucketSettings;
  /** /api/messages, per Teams user (the sender's Entra object id). */
  bot: BucketSettings;
  /** /api/graph, per source address (Graph itself sends bursts). */
  graph: BucketSettings;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  api: { burst: 60, perSecond: 10 },
  planning: { burst: 6, perSecond: 0.5 },
  bot: { burst: 30, perSecond: 5 },
  graph: { burst: 500, perSecond: 100 },
};

/** Every limit multiplied by `factor` (PT_RATE_LIMIT_MULTIPLIER). */
export function scaledLimits(factor: number, base: RateLimitSettings = DEFAULT_RATE_LIMITS): RateLimitSettings {
  const scale = (b: BucketSettings): BucketSettings => ({ burst: Math.max(1, Math.round(b.burst * factor)), perSecond: b.perSecond * factor });
  return { api: scale(base.api), planning: scale(base.planning), bot: scale(base.bot), graph: scale(base.graph) };
}

const MAX_KEYS = 50_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly settings: BucketSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; returns 0 when allowed, else the seconds until one is free. */
  take(key: string): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: this.settings.burst, at: t };
    } else {
      this.buckets.delete(key); // re-inserted below: the map's order is least recently used first
    }
    b.tokens = Math.min(this.settings.burst, b.tokens + ((t - b.at) / 1000) * this.settings.perSecond);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.settings.perSecond);
  }
}

export function rateLimit(settings: BucketSettings, keyOf: (req: Request) => string | undefined) {
  const buckets = new TokenBuckets(settings);
  return (req: Request, res: Response, next: NextFunction) => {
    const key = keyOf(req) ?? `ip:${req.socket.remoteAddress ?? 'unknown'}`;
    const wait = buckets.take(key);
    if (wait === 0) return next();
    res.setHeader('Retry-After', String(wait));
    res.status(429).json({ error: 'Too many requests: slow down and try again shortly', retryAfterSeconds: wait });
  };
}

/** The Teams user a (checked) activity is from. */
export function botSenderKey(req: Request): string | undefined {
  const from = (req.body as { from?: { aadObjectId?: unknown; id?: unknown } } | undefined)?.from;
  const id = typeof from?.aadObjectId === 'string' ? from.aadObjectId : typeof from?.id === 'string' ? from.id : undefined;
  return id ? `bot:${id}` : undefined;
}
