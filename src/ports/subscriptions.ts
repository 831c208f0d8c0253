/**
 * The registry behind Graph change detection (tenant mode): the change
 * notification subscriptions the app holds, one per person in scope, and each
 * person's calendarView delta cursor. The webhook checks incoming
 * notifications against it; the subscription manager keeps it in step with
 * Graph; the change feed keeps the delta cursors.
 *
 * Implementations: InMemorySubscriptionRegistry (below, for tests and the
 * benchmark) and EmbeddedSubscriptionRegistry (SQLite, migration 6).
 *
 * Why valid notifications become a mark on the person here rather than an
 * outbox item: a mark per person is bounded (one row per person, however many
 * notifications arrive), collapses duplicates until the change feed takes
 * them, and is cleared only up to the time it was taken, so a notification
 * that arrives while a cycle runs is kept for the next one. The outbox keeps
 * every finished item, which at 2,000 mailboxes would be tens of thousands of
 * rows a day.
 */

/**
 * active: as created or last renewed.
 * renew: Graph asked for reauthorization (reauthorizationRequired); renew at the next chance.
 * removed: Graph removed it (subscriptionRemoved) or a renewal found it gone (404); create a new one.
 */
export type SubscriptionStatus = 'active' | 'renew' | 'removed';

export interface SubscriptionRecord {
  /** Graph's subscription id (a GUID). */
  id: string;
  personId: string;
  /** "/users/{entra object id}/events". */
  resource: string;
  /**
   * SHA-256 (hex) of the clientState sent when the subscription was created.
   * The secret itself is kept nowhere: the webhook hashes what it receives and
   * compares the hashes in constant time.
   */
  clientStateHash: string;
  /** expirationDateTime as Graph last answered it. */
  expiresAt: string;
  status: SubscriptionStatus;
  createdAt: string;
  updatedAt: string;
}

export interface DeltaState {
  personId: string;
  /** The @odata.deltaLink of the last finished round; absent until the first round ends. */
  deltaLink?: string;
  /** The calendarView window the delta rounds follow (fixed by the first request of a round). */
  windowStart?: string;
  windowEnd?: string;
  /** When the last round finished (the periodic sweep goes by this). */
  syncedAt?: string;
  /** Latest valid change notification not yet taken by the change feed. */
  notifiedAt?: string;
  /** Set when notifications may have been lost (missed, subscriptionRemoved): sync this person soon. */
  syncRequestedAt?: string;
}

/** The cursor fields of DeltaState (what a finished delta round writes). */
export type DeltaCursor = Omit<DeltaState, 'notifiedAt' | 'syncRequestedAt'>;

export interface SubscriptionRegistry {
  save(record: SubscriptionRecord): Promise<void>;
  get(id: string): Promise<SubscriptionRecord | undefined>;
  list(): Promise<SubscriptionRecord[]>;
  /** False when there is no such subscription. */
  setStatus(id: string, status: SubscriptionStatus, now: string): Promise<boolean>;
  remove(id: string): Promise<void>;

  getDelta(personId: string): Promise<DeltaState | undefined>;
  listDelta(): Promise<DeltaState[]>;
  /** Stores the cursor fields; leaves the marks alone. */
  saveDelta(cursor: DeltaCursor): Promise<void>;
  removeDelta(personId: string): Promise<void>;
  /** A valid change notification arrived for this person; a later mark replaces an earlier one. */
  markNotified(personId: string, now: string): Promise<void>;
  /** Asks for a delta sync of this person; a later request replaces an earlier one. */
  requestSync(personId: string, now: string): Promise<void>;
  /** Clears both marks where made at or before `upTo` (a mark made since stays). */
  clearMarks(personId: string, upTo: string): Promise<void>;
}

/** The registry in memory: for tests and the benchmark. */
export class InMemorySubscriptionRegistry implements SubscriptionRegistry {
  private readonly subs = new Map<string, SubscriptionRecord>();
  private readonly deltas = new Map<string, DeltaState>();

  async save(record: SubscriptionRecord): Promise<void> {
    this.subs.set(record.id, { ...record });
  }

  async get(id: string): Promise<SubscriptionRecord | undefined> {
    const r = this.subs.get(id);
    return r && { ...r };
  }

  async list(): Promise<SubscriptionRecord[]> {
    return [...this.subs.values()].map((r) => ({ ...r })).sort((a, b) => a.personId.localeCompare(b.personId) || a.createdAt.localeCompare(b.createdAt));
  }

  async setStatus(id: string, status: SubscriptionStatus, now: string): Promise<boolean> {
    const r = this.subs.get(id);
    if (!r) return false;
    this.subs.set(id, { ...r, status, updatedAt: now });
    return true;
  }

  async remove(id: string): Promise<void> {
    this.subs.delete(id);
  }

  async getDelta(personId: string): Promise<DeltaState | undefined> {
    const d = this.deltas.get(personId);
    return d && { ...d };
  }

  async listDelta(): Promise<DeltaState[]> {
    return [...this.deltas.values()].map((d) => ({ ...d })).sort((a, b) => a.personId.localeCompare(b.personId));
  }

  async saveDelta(cursor: DeltaCursor): Promise<void> {
    const old = this.deltas.get(cursor.personId);
    const { personId, deltaLink, windowStart, windowEnd, syncedAt } = cursor;
    this.deltas.set(personId, {
      personId,
      ...(deltaLink ? { deltaLink } : {}),
      ...(windowStart ? { windowStart } : {}),
      ...(windowEnd ? { windowEnd } : {}),
      ...(syncedAt ? { syncedAt } : {}),
      ...(old?.notifiedAt ? { notifiedAt: old.notifiedAt } : {}),
      ...(old?.syncRequestedAt ? { syncRequestedAt: old.syncRequestedAt } : {}),
    });
  }

  async removeDelta(personId: string): Promise<void> {
    this.deltas.delete(personId);
  }

  async markNotified(personId: string, now: string): Promise<void> {
    const d = this.deltas.get(personId) ?? { personId };
    this.deltas.set(personId, { ...d, notifiedAt: latest(d.notifiedAt, now) });
  }

  async requestSync(personId: string, now: string): Promise<void> {
    const d = this.deltas.get(personId) ?? { personId };
    this.deltas.set(personId, { ...d, syncRequestedAt: latest(d.syncRequestedAt, now) });
  }

  async clearMarks(personId: string, upTo: string): Promise<void> {
    const d = this.deltas.get(personId);
    if (!d) return;
    const next = { ...d };
    if (next.notifiedAt && next.notifiedAt <= upTo) delete next.notifiedAt;
    if (next.syncRequestedAt && next.syncRequestedAt <= upTo) delete next.syncRequestedAt;
    this.deltas.set(personId, next);
  }
}

function latest(a: string | undefined, b: string): string {
  return a && a > b ? a : b;
}

/**
 * Keeping change-notification subscriptions on the calendars in scope (tenant mode:
 * Graph subscriptions, created, renewed and deleted to match `personIds`).
 */
export interface SubscriptionMaintenance {
  maintain(personIds: string[], now: string): Promise<{ failed: { personId: string; action: string; status: number }[] }>;
}
