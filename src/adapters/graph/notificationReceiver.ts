/**
 * Receiving Graph's change and lifecycle notifications (tenant mode): the checks
 * each delivery must pass, the marks a valid one leaves, and the inbox that lets
 * the webhook answer before the store is touched. The HTTP edge is
 * src/server/routes/graphNotifications.ts; this is everything behind it.
 *
 * Docs followed (microsoft-graph-docs-contrib): concepts/change-notifications-delivery-webhooks.md
 * (answer notifications with 2xx within 3 s, 202 when the work is persisted for later; check
 * clientState); concepts/change-notifications-lifecycle-events.md (lifecycleEvent
 * reauthorizationRequired / subscriptionRemoved / missed, answer 202);
 * api-reference/v1.0/resources/changenotification.md (the payload fields; the v1.0 CSDL's
 * changeNotification type is checked against the schema below in the contract tests).
 *
 * What it does, and what it refuses:
 * - A validation request (validationToken in the query) is echoed and nothing else happens.
 * - A body that is not JSON, too large, or not a notification collection → 400 (413 when too
 *   large), and nothing changes.
 * - In a well-formed batch, each notification stands alone. One whose subscription is unknown,
 *   whose tenantId is not ours, or whose clientState does not match (constant-time, against the
 *   stored hash) is refused: it changes nothing and is counted and logged by ids. The valid ones
 *   are still taken, and the batch is answered 202 either way. Choice: a 4xx would make Graph
 *   send the valid ones again for up to four hours without ever succeeding, and telling a
 *   forger which subscription ids exist helps nobody but the forger.
 * - A valid change notification marks its person as changed (a durable mark in the registry;
 *   duplicates collapse until the change feed takes it). Valid lifecycle events: reauthorizationRequired
 *   marks the subscription for renewal, subscriptionRemoved marks it removed and asks for a delta
 *   sync of the person, missed asks for a delta sync. Those marks are written before the answer;
 *   the renewal or re-creation itself runs after it (onLifecycle), and the subscription manager's
 *   periodic maintain() picks up any mark a crash left behind.
 */
import { z } from 'zod';
import type { LifecycleEvent } from './subscriptions';
import { clientStateMatches } from './subscriptions';
import type { Log } from '../../ports/log';
import type { Clock } from '../../ports/clock';
import type { SubscriptionRegistry } from '../../ports/subscriptions';
import { isRealInstant } from '../../domain/time/dates';
import type { InboxEntry, NotificationInbox } from '../../ports/notificationInbox';

/** About 1,500 basic notifications; Graph documents no maximum batch size. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = z.string().regex(GUID, 'must be a GUID');
// A real instant in the years the app can mean (Date.parse accepts 2027-02-30 and +275760-09-13).
const instant = z.string().max(64).refine(isRealInstant, 'must be a date and time');
/** subscription.md: clientState is at most 128 characters. */
const clientState = z.string().max(128);

export const changeNotificationSchema = z.object({
  subscriptionId: guid,
  clientState,
  changeType: z.enum(['created', 'updated', 'deleted']),
  resource: z.string().min(1).max(2048),
  resourceData: z.looseObject({}).nullish(),
  subscriptionExpirationDateTime: instant,
  tenantId: guid,
});

export const lifecycleNotificationSchema = z.object({
  subscriptionId: guid,
  clientState,
  /** Known: reauthorizationRequired, subscriptionRemoved, missed. Others are authenticated, then ignored. */
  lifecycleEvent: z.string().min(1).max(64),
  subscriptionExpirationDateTime: instant,
  tenantId: guid,
});

export const notificationCollectionSchema = z.object({
  value: z.array(z.union([lifecycleNotificationSchema, changeNotificationSchema])).min(1),
  /** Present with rich notifications (not used: these subscriptions carry no resource data). */
  validationTokens: z.array(z.string()).nullish(),
});

type Notification = z.infer<typeof notificationCollectionSchema>['value'][number];
type Refusal = 'unknownSubscription' | 'wrongTenant' | 'wrongClientState';

export interface GraphNotificationReceiverOptions {
  registry: SubscriptionRegistry;
  /** TENANT_ID: notifications from any other tenant are refused. */
  tenantId: string;
  clock: Clock;
  log: Log;
  /** Renews or recreates after an authenticated lifecycle event; runs after the answer (GraphSubscriptionManager.handleLifecycle). */
  onLifecycle?: (subscriptionId: string, event: LifecycleEvent, now: string) => Promise<unknown>;
  maxBodyBytes?: number;
  /**
   * Tenant mode: deliveries are stored here and answered at once, then processed
   * (src/ports/notificationInbox.ts), so the answer never waits on the store. Without it
   * (tests of the checks themselves) a delivery is processed before the answer.
   */
  inbox?: NotificationInbox;
  /**
   * Tests only (PT_TEST_GRAPH_INBOX_PAUSED): store and answer, but process nothing, so an
   * instance can be killed between its answer and the processing without racing it.
   */
  paused?: boolean;
}

export interface ReceiveOutcome {
  status: 202 | 400;
  accepted: number;
  refused: Record<Refusal, number>;
  /** Run after answering: the lifecycle actions that call Graph. */
  followUps: (() => Promise<unknown>)[];
}

const KNOWN_LIFECYCLE = new Set<string>(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

export class GraphNotificationReceiver {
  readonly maxBodyBytes: number;
  /** True when deliveries are answered first and processed after (an inbox is configured). */
  get queued(): boolean {
    return this.options.inbox !== undefined;
  }
  /** Running totals since start, for metrics and tests. */
  readonly stats = { validations: 0, batches: 0, malformed: 0, accepted: 0, refused: { unknownSubscription: 0, wrongTenant: 0, wrongClientState: 0 } as Record<Refusal, number> };
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: GraphNotificationReceiverOptions) {
    if (!GUID.test(options.tenantId)) throw new Error('tenantId must be the tenant GUID');
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** Checks and records a delivered body; changes nothing unless it is a valid collection. */
  async receive(body: unknown, endpoint: 'notifications' | 'lifecycle'): Promise<ReceiveOutcome> {
    const refused: Record<Refusal, number> = { unknownSubscription: 0, wrongTenant: 0, wrongClientState: 0 };
    const parsed = notificationCollectionSchema.safeParse(body);
    if (!parsed.success) {
      this.stats.malformed += 1;
      this.options.log.warn({ event: 'graph-notifications', endpoint, malformed: true, issues: parsed.error.issues.length }, 'notification body refused');
      return { status: 400, accepted: 0, refused, followUps: [] };
    }
    const now = this.options.clock.now().toISOString();
    const followUps: (() => Promise<unknown>)[] = [];
    const refusedIds: string[] = [];
    let accepted = 0;
    for (const n of parsed.data.value) {
      const why = await this.authenticate(n);
      if (typeof why === 'string') {
        refused[why] += 1;
        refusedIds.push(n.subscriptionId);
        continue;
      }
      accepted += 1;
      const { personId } = why;
      if (!('lifecycleEvent' in n)) {
        await this.options.registry.markNotified(personId, now);
        continue;
      }
      const event = n.lifecycleEvent;
      if (!KNOWN_LIFECYCLE.has(event)) continue;
      if (event === 'reauthorizationRequired') await this.options.registry.setStatus(n.subscriptionId, 'renew', now);
      if (event === 'subscriptionRemoved') await this.options.registry.setStatus(n.subscriptionId, 'removed', now);
      if (event === 'subscriptionRemoved' || event === 'missed') await this.options.registry.requestSync(personId, now);
      const act = this.options.onLifecycle;
      if (act && event !== 'missed') followUps.push(() => act(n.subscriptionId, event as LifecycleEvent, now));
    }
    const refusedTotal = refused.unknownSubscription + refused.wrongTenant + refused.wrongClientState;
    this.stats.batches += 1;
    this.stats.accepted += accepted;
    for (const k of Object.keys(refused) as Refusal[]) this.stats.refused[k] += refused[k];
    const entry = { event: 'graph-notifications', endpoint, accepted, refused: refusedTotal, ...(refusedTotal ? { refusedReasons: refused, refusedSubscriptionIds: refusedIds.slice(0, 20) } : {}) };
    if (refusedTotal) this.options.log.warn(entry, 'notifications refused');
    else this.options.log.debug(entry, 'notifications received');
    return { status: 202, accepted, refused, followUps };
  }

  /**
   * With an inbox: checks the body's shape, stores it, and resolves with the status to answer
   * (202 stored, 400 malformed, 503 inbox full) without touching the store; the processing
   * runs afterwards, one delivery at a time, and drain() waits for it.
   */
  async enqueue(body: unknown, endpoint: 'notifications' | 'lifecycle'): Promise<202 | 400 | 503> {
    const inbox = this.options.inbox!;
    const parsed = notificationCollectionSchema.safeParse(body);
    if (!parsed.success) {
      this.stats.malformed += 1;
      this.options.log.warn({ event: 'graph-notifications', endpoint, malformed: true }, 'notification body refused');
      return 400;
    }
    // What the schema kept: fields Graph may add later are not stored.
    const entries = await inbox.put(endpoint, parsed.data);
    if (!entries) {
      this.options.log.warn({ event: 'graph-notifications', endpoint }, 'notification inbox full: asking Graph to deliver again later');
      return 503;
    }
    if (!this.options.paused) void this.process(entries);
    return 202;
  }

  /**
   * Takes what nobody holds from the inbox and processes it: deliveries an instance stored
   * and died before processing (this one before a restart, or another), and ones whose
   * processing failed. Resolves with how many it took, once they are processed.
   */
  async pump(limit = 32): Promise<number> {
    const inbox = this.options.inbox;
    if (!inbox || this.options.paused) return 0;
    const { entries, poisoned } = await inbox.take(limit);
    for (const p of poisoned) {
      // Never the body: ids and counts only. The next delta sweep of those mailboxes finds the change.
      this.options.log.error({ event: 'graph-inbox', id: p.id, endpoint: p.endpoint, attempts: p.attempts }, 'notification delivery set aside after failing too often');
    }
    // Already being processed here (a slow one whose hold ran out): that processing finishes it.
    const fresh = entries.filter((e) => !this.inFlight.has(e.id));
    if (fresh.length > 0) this.options.log.info({ event: 'graph-inbox', taken: fresh.length, attempts: Math.max(...fresh.map((e) => e.attempts)) }, 'notification deliveries taken from the inbox');
    await this.process(fresh);
    return fresh.length;
  }

  /** Processes the inbox now and every `everyMs` after, until stop(): every instance does, so no delivery waits on one. */
  startPolling(everyMs: number): void {
    if (!this.options.inbox || this.options.paused || this.polling) return;
    this.polling = true;
    void (async () => {
      while (this.polling) {
        await this.pump().catch((err: unknown) => this.options.log.error({ event: 'graph-inbox', error: err instanceof Error ? err.message : String(err) }, 'could not read the notification inbox'));
        if (!this.polling) break;
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          setTimeout(resolve, everyMs).unref();
        });
      }
    })();
  }

  /** Stops polling (shutdown); what was taken finishes (drain()). */
  stop(): void {
    this.polling = false;
    this.wakeUp?.();
  }

  private polling = false;
  private wakeUp?: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Set<string>();

  /** Processes entries one at a time, in order; resolves when these are done (or failed, and left for a retake). */
  private process(entries: InboxEntry[]): Promise<unknown> {
    const all: Promise<unknown>[] = [];
    for (const entry of entries) {
      this.inFlight.add(entry.id);
      const p: Promise<unknown> = (this.queue = this.queue
        .then(async () => {
          const outcome = await this.receive(entry.body, entry.endpoint);
          await this.options.inbox!.done(entry);
          this.start(outcome.followUps);
        })
        // Left in the inbox: once its hold runs out, the next poll here or on another instance tries again.
        .catch((err: unknown) => this.logFailure(err))
        .finally(() => {
          this.inFlight.delete(entry.id);
          this.pending.delete(p);
        }));
      this.pending.add(p);
      all.push(p);
    }
    return Promise.all(all);
  }

  /** Starts follow-ups without waiting; failures are logged (maintain() retries them). */
  start(followUps: (() => Promise<unknown>)[]): void {
    for (const f of followUps) {
      const p: Promise<unknown> = f()
        .catch((err: unknown) => this.options.log.error({ event: 'graph-lifecycle', error: err instanceof Error ? err.message : String(err) }, 'lifecycle action failed'))
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Resolves when every started follow-up has finished (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  noteValidation(): void {
    this.stats.validations += 1;
  }

  logFailure(err: unknown): void {
    this.options.log.error({ event: 'graph-notifications', error: err instanceof Error ? err.message : String(err) }, 'notification handling failed');
  }

  private async authenticate(n: Notification): Promise<Refusal | { personId: string }> {
    if (n.tenantId.toLowerCase() !== this.options.tenantId.toLowerCase()) return 'wrongTenant';
    const found = await this.options.registry.get(n.subscriptionId);
    if (!found) return 'unknownSubscription';
    if (!clientStateMatches(n.clientState, found.clientStateHash)) return 'wrongClientState';
    return { personId: found.personId };
  }
}
