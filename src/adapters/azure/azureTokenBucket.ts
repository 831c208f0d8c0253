/**
 * One Teams send budget shared by every instance: a token bucket kept in an
 * Azure Table entity (tokens left, and when it was last filled), changed only
 * under its ETag. An instance takes a few tokens at a time (a grant) and
 * spends them within a second, so the table sees a few writes a second, not
 * one per message; a grant it does not spend in time lapses.
 *
 * The bucket holds at most `burst` tokens, so in any second at most
 * burst + perSecond messages go out across all instances: keep that under the
 * documented limit (see TEAMS_APP_TENANT_LIMIT_PER_SECOND in
 * src/config/teamsLimits.ts).
 */
import { type AzureStorage, getOrUndefined, lostRace } from './azureStorage';

interface BucketEntity {
  tokens: number;
  /** Epoch ms of the last fill, by the writer's clock. */
  filledAt: number;
}

export interface AzureTokenBucketOptions {
  perSecond: number;
  /** The most tokens the bucket holds (default: a fifth of a second's worth, at least 1). */
  burst?: number;
  /** Which bucket (one per budget; default "teams"). */
  name?: string;
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A grant not spent within this is dropped, so tokens are never hoarded and spent in a later burst. */
const GRANT_LIFETIME_MS = 250;

export class AzureTokenBucket {
  readonly perSecond: number;
  private readonly burst: number;
  private readonly name: string;
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private granted = 0;
  private grantExpires = 0;
  /** Takes queued in this process, served in order. */
  private chain: Promise<void> = Promise.resolve();
  /** Grants this bucket won and lost (for benchmarks and logs). */
  readonly stats = { grants: 0, races: 0, reads: 0 };

  constructor(
    private readonly storage: AzureStorage,
    options: AzureTokenBucketOptions,
  ) {
    this.perSecond = options.perSecond;
    this.burst = Math.max(1, options.burst ?? Math.floor(options.perSecond / 5));
    this.name = options.name ?? 'teams';
    this.nowMs = options.nowMs ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Waits until this instance may send one message. */
  take(): Promise<void> {
    const next = this.chain.then(() => this.takeOne());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async takeOne(): Promise<void> {
    for (;;) {
      if (this.granted > 0 && this.nowMs() < this.grantExpires) {
        this.granted -= 1;
        return;
      }
      this.granted = 0;
      const waitMs = await this.grant();
      if (waitMs > 0) await this.sleep(waitMs);
    }
  }

  /** Tries to take a grant from the shared bucket; returns how long to wait before trying again (0: granted). */
  private async grant(): Promise<number> {
    const table = await this.storage.table('budgets');
    this.stats.reads += 1;
    const e = await getOrUndefined<BucketEntity>(table, 'bucket', this.name);
    const now = this.nowMs();
    const tokens = e ? Math.min(this.burst, e.tokens + (Math.max(0, now - e.filledAt) / 1000) * this.perSecond) : this.burst;
    // Ask for a few at a time (a share of the burst), so instances take turns rather than one draining it.
    const want = Math.max(1, Math.ceil(this.burst / 4));
    if (tokens < 1) return Math.max(5, ((want - tokens) / this.perSecond) * 1000) * (0.8 + Math.random() * 0.4);
    const n = Math.min(want, Math.floor(tokens));
    const entity = { partitionKey: 'bucket', rowKey: this.name, tokens: tokens - n, filledAt: now };
    try {
      if (e) await table.updateEntity(entity, 'Replace', { etag: e.etag });
      else await table.createEntity(entity);
    } catch (err) {
      if (!lostRace(err)) throw err;
      this.stats.races += 1;
      return 2 + Math.random() * 10; // another instance took it first: try again shortly
    }
    this.stats.grants += 1;
    this.granted = n;
    this.grantExpires = now + GRANT_LIFETIME_MS;
    return 0;
  }
}
