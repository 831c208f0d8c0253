/**
 * Graph change notification subscriptions on the calendars of the people in
 * scope (tenant mode): one subscription per person on /users/{id}/events,
 * created, renewed before it expires, recreated when Graph removed it, and
 * deleted when the person leaves scope. Its registry (SubscriptionRegistry) is
 * what the webhook checks incoming notifications against.
 *
 * Pages followed (microsoft-graph-docs-contrib): api-reference/v1.0/api/
 * subscription-post-subscriptions.md (201 + subscription), subscription-update.md
 * (PATCH expirationDateTime, 200 + subscription), subscription-delete.md (204);
 * api-reference/v1.0/resources/subscription.md and
 * resources/subscription.md (maximum
 * lifetime); concepts/change-notifications-delivery-webhooks.md (clientState,
 * renewal); concepts/change-notifications-lifecycle-events.md
 * (reauthorizationRequired: PATCH reauthorizes and renews; subscriptionRemoved:
 * create a new one, then sync with delta; lifecycleNotificationUrl can only be
 * set at creation).
 *
 * Several subscriptions go in one $batch (20 per request, GraphHttp.many).
 * A create is not idempotent: after an ambiguous failure (timeout, 5xx) Graph
 * may hold a subscription the registry does not know. Its notifications are
 * refused as unknown and it lapses at its expiry, so nothing is retried blind.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../logging';
import type { SubscriptionRecord, SubscriptionRegistry } from '../../ports/subscriptions';
import type { GraphUserRef } from './graphCalendar';
import { GraphError } from './graphErrors';
import { type BatchResult, type GraphCall, type GraphHttp, seg } from './graphHttp';

/**
 * Maximum lifetime of a subscription on Outlook events, in minutes: the current table in
 * resources/subscription.md ("Outlook message, event, contact: 10,080 minutes (under 7 days)"
 * for subscriptions without resource data; 1,440 with it; these carry none). Earlier editions
 * gave 4,230 minutes. A longer lifetime means fewer renewals: one PATCH a person a week, not
 * one every two days.
 */
export const OUTLOOK_MAX_SUBSCRIPTION_MINUTES = 10_080;
export const DEFAULT_LIFETIME_MINUTES = OUTLOOK_MAX_SUBSCRIPTION_MINUTES - 30;
/** Renew when less than this remains (a day: a failed renewal has many later chances). */
export const DEFAULT_RENEW_WITHIN_MINUTES = 24 * 60;
export const NOTIFICATION_PATH = '/api/graph/notifications';
export const LIFECYCLE_PATH = '/api/graph/lifecycle';
export const EVENT_CHANGE_TYPES = 'created,updated,deleted';
/** subscription.md: "The maximum length is 128 characters." 32 random bytes in base64url are 43. */
const CLIENT_STATE_BYTES = 32;
const MINUTE_MS = 60_000;

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** The fields read from a subscription Graph returns. */
export const subscriptionSchema = z.object({
  id: z.string().min(1),
  expirationDateTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date and time'),
  resource: z.string().nullish(),
});

export function resourceFor(user: GraphUserRef): string {
  return `/users/${seg(user.id)}/events`;
}

export function hashClientState(clientState: string): string {
  return createHash('sha256').update(clientState, 'utf8').digest('hex');
}

/** Constant-time comparison of a received clientState with the stored hash (both sides hashed to 32 bytes). */
export function clientStateMatches(received: string, storedHash: string): boolean {
  const given = createHash('sha256').update(received, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}

export interface GraphSubscriptionManagerOptions {
  http: GraphHttp;
  registry: SubscriptionRegistry;
  /** Entra object id (and mail) of a person, as the calendar adapter resolves it. */
  resolveUser: (personId: string) => Promise<GraphUserRef>;
  /** The app's public https base URL (PT_PUBLIC_URL); Graph calls it back. */
  publicUrl: string;
  log?: Logger;
  /** Lifetime asked for; at most OUTLOOK_MAX_SUBSCRIPTION_MINUTES. */
  lifetimeMinutes?: number;
  renewWithinMinutes?: number;
  /** The secret per subscription; random by default (tests may fix it). */
  newClientState?: () => string;
}

export interface MaintainOutcome {
  created: string[];
  renewed: string[];
  /** Removed by Graph (lifecycle event or 404 on renewal) and made again. */
  recreated: string[];
  /** People who left scope, whose subscriptions were deleted. */
  deleted: string[];
  failed: { personId: string; subscriptionId?: string; action: 'create' | 'renew' | 'delete'; status: number; code?: string }[];
}

interface Plan {
  create: { personId: string; replaces?: SubscriptionRecord }[];
  renew: SubscriptionRecord[];
  remove: SubscriptionRecord[];
}

export class GraphSubscriptionManager {
  readonly notificationUrl: string;
  readonly lifecycleNotificationUrl: string;
  private readonly http: GraphHttp;
  private readonly registry: SubscriptionRegistry;
  private readonly resolveUser: (personId: string) => Promise<GraphUserRef>;
  private readonly log: Logger | undefined;
  private readonly lifetimeMs: number;
  private readonly renewWithinMs: number;
  private readonly newClientState: () => string;

  constructor(options: GraphSubscriptionManagerOptions) {
    const base = new URL(options.publicUrl);
    if (base.protocol !== 'https:') throw new Error('Graph delivers change notifications only to https URLs: PT_PUBLIC_URL must be https');
    const root = options.publicUrl.replace(/\/+$/, '');
    this.notificationUrl = `${root}${NOTIFICATION_PATH}`;
    this.lifecycleNotificationUrl = `${root}${LIFECYCLE_PATH}`;
    this.http = options.http;
    this.registry = options.registry;
    this.resolveUser = options.resolveUser;
    this.log = options.log;
    const lifetime = options.lifetimeMinutes ?? DEFAULT_LIFETIME_MINUTES;
    if (!(lifetime >= 45 && lifetime <= OUTLOOK_MAX_SUBSCRIPTION_MINUTES)) throw new Error(`lifetimeMinutes must be 45 to ${OUTLOOK_MAX_SUBSCRIPTION_MINUTES}`);
    const within = options.renewWithinMinutes ?? DEFAULT_RENEW_WITHIN_MINUTES;
    if (!(within > 0 && within < lifetime)) throw new Error('renewWithinMinutes must be positive and less than the lifetime');
    this.lifetimeMs = lifetime * MINUTE_MS;
    this.renewWithinMs = within * MINUTE_MS;
    this.newClientState = options.newClientState ?? (() => randomBytes(CLIENT_STATE_BYTES).toString('base64url'));
  }

  /**
   * Brings the subscriptions in line with the people in scope: creates the
   * missing, renews those near expiry or asked to reauthorize, recreates the
   * removed, deletes those of people no longer in scope. Run it periodically
   * (hourly is plenty with a day's renewal margin), under a lease when several
   * instances run, so two do not create a person's subscription at once.
   */
  async maintain(personIds: string[], now: string): Promise<MaintainOutcome> {
    const scope = new Set(personIds);
    const byPerson = new Map<string, SubscriptionRecord[]>();
    for (const r of await this.registry.list()) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
    const plan: Plan = { create: [], renew: [], remove: [] };
    for (const [personId, records] of byPerson) {
      if (!scope.has(personId)) {
        plan.remove.push(...records);
        continue;
      }
      // One per person: keep the live one lasting longest, drop any others (a race, or a crash mid-recreate).
      const live = records.filter((r) => r.status !== 'removed').sort((a, b) => b.expiresAt.localeCompare(a.expiresAt));
      const keep = live[0];
      plan.remove.push(...live.slice(1));
      if (!keep) {
        const [first, ...rest] = records;
        plan.create.push({ personId, ...(first ? { replaces: first } : {}) });
        plan.remove.push(...rest);
      } else if (keep.status === 'renew' || Date.parse(keep.expiresAt) - Date.parse(now) < this.renewWithinMs) {
        plan.renew.push(keep);
      }
    }
    for (const personId of scope) if (!byPerson.has(personId)) plan.create.push({ personId });
    const out = await this.apply(plan, now);
    if (out.created.length || out.renewed.length || out.recreated.length || out.deleted.length || out.failed.length) {
      this.log?.info(
        { event: 'graph-subscriptions', created: out.created.length, renewed: out.renewed.length, recreated: out.recreated.length, deleted: out.deleted.length, failed: out.failed.length },
        'subscriptions maintained',
      );
    }
    return out;
  }

  /** Acts on a lifecycle notification the webhook has already authenticated and recorded. */
  async handleLifecycle(subscriptionId: string, event: LifecycleEvent, now: string): Promise<MaintainOutcome> {
    const record = await this.registry.get(subscriptionId);
    const plan: Plan = { create: [], renew: [], remove: [] };
    if (record && event === 'reauthorizationRequired') plan.renew.push(record);
    if (record && event === 'subscriptionRemoved') plan.create.push({ personId: record.personId, replaces: record });
    // missed: nothing to do to the subscription; the webhook asked for a delta sync.
    return this.apply(plan, now);
  }

  private async apply(plan: Plan, now: string): Promise<MaintainOutcome> {
    const out: MaintainOutcome = { created: [], renewed: [], recreated: [], deleted: [], failed: [] };
    const expirationDateTime = new Date(Date.parse(now) + this.lifetimeMs).toISOString();

    // Renew (PATCH expirationDateTime); one found gone is made again below.
    const renewals = await this.http.many(
      plan.renew.map((r) => this.call('renewSubscription', 'PATCH', `/subscriptions/${seg(r.id)}`, { expirationDateTime }, true)),
      subscriptionSchema,
    );
    for (const [i, result] of renewals.entries()) {
      const record = plan.renew[i]!;
      if (result.ok) {
        await this.registry.save({ ...record, expiresAt: normaliseInstant(result.value.expirationDateTime), status: 'active', updatedAt: now });
        out.renewed.push(record.personId);
      } else if (result.error.notFound) {
        plan.create.push({ personId: record.personId, replaces: record });
      } else {
        out.failed.push(failure(record.personId, 'renew', result, record.id));
      }
    }

    // Create (new people, and those whose subscription Graph removed).
    const creates: { personId: string; replaces?: SubscriptionRecord; clientState: string; resource: string }[] = [];
    for (const c of plan.create) {
      let user: GraphUserRef;
      try {
        user = await this.resolveUser(c.personId);
      } catch (err) {
        out.failed.push({ personId: c.personId, action: 'create', status: err instanceof GraphError ? err.status : 0, ...(err instanceof GraphError && err.code ? { code: err.code } : {}) });
        continue;
      }
      creates.push({ ...c, clientState: this.newClientState(), resource: resourceFor(user) });
    }
    const made = await this.http.many(
      creates.map((c) =>
        this.call(
          'createSubscription',
          'POST',
          '/subscriptions',
          {
            changeType: EVENT_CHANGE_TYPES,
            notificationUrl: this.notificationUrl,
            lifecycleNotificationUrl: this.lifecycleNotificationUrl,
            resource: c.resource,
            expirationDateTime,
            clientState: c.clientState,
          },
          false,
        ),
      ),
      subscriptionSchema,
    );
    for (const [i, result] of made.entries()) {
      const c = creates[i]!;
      if (!result.ok) {
        out.failed.push(failure(c.personId, 'create', result, c.replaces?.id));
        continue;
      }
      await this.registry.save({
        id: result.value.id,
        personId: c.personId,
        resource: c.resource,
        clientStateHash: hashClientState(c.clientState),
        expiresAt: normaliseInstant(result.value.expirationDateTime),
        status: 'active',
        createdAt: now,
        updatedAt: now,
      });
      if (c.replaces) {
        await this.registry.remove(c.replaces.id);
        // Changes between the removal and now were never notified: sync them with delta (lifecycle-events.md).
        await this.registry.requestSync(c.personId, now);
        out.recreated.push(c.personId);
      } else {
        out.created.push(c.personId);
      }
    }

    // Delete (people out of scope, and duplicates). Gone already (404) is as good as deleted.
    const deletions = await this.http.many(
      plan.remove.map((r) => this.call('deleteSubscription', 'DELETE', `/subscriptions/${seg(r.id)}`, undefined, true)),
      z.unknown(),
    );
    for (const [i, result] of deletions.entries()) {
      const record = plan.remove[i]!;
      if (result.ok || result.error.notFound) {
        await this.registry.remove(record.id);
        out.deleted.push(record.personId);
      } else {
        out.failed.push(failure(record.personId, 'delete', result, record.id));
      }
    }
    const stillHeld = new Set((await this.registry.list()).map((r) => r.personId));
    for (const personId of new Set(out.deleted)) if (!stillHeld.has(personId)) await this.registry.removeDelta(personId);
    return out;
  }

  private call(name: string, method: GraphCall['method'], path: string, body: unknown, idempotent: boolean): GraphCall {
    return { call: name, method, path, ...(body !== undefined ? { body } : {}), idempotent };
  }
}

function failure(personId: string, action: 'create' | 'renew' | 'delete', result: BatchResult<unknown>, subscriptionId?: string): MaintainOutcome['failed'][number] {
  const error = result.ok ? undefined : result.error;
  return { personId, action, status: error?.status ?? 0, ...(error?.code ? { code: error.code } : {}), ...(subscriptionId ? { subscriptionId } : {}) };
}

/** Graph writes seven fractional digits ("2016-11-20T18:23:45.9356913Z"); store a plain ISO instant. */
function normaliseInstant(value: string): string {
  return new Date(Date.parse(value)).toISOString();
}
