/**
 * Durable work: an outbox of jobs that must happen exactly once in effect
 * (rebook this cancelled session), and leases so one worker at a time handles
 * a given key (a relationship) even with several instances running.
 */
export interface WorkItem<P = Record<string, unknown>> {
  id: string;
  kind: string;
  /** Unique per kind: enqueueing the same key twice is a no-op. */
  key: string;
  payload: P;
  attempts: number;
  createdAt: string;
}

export interface WorkQueue {
  /** Adds work once per (kind, key); returns false if it was already there. */
  enqueue(kind: string, key: string, payload: Record<string, unknown>, now: string): Promise<boolean>;
  /** Takes up to `limit` due items of a kind for `leaseMs`; expired leases (a crashed worker) are taken again. */
  lease(kind: string, owner: string, now: string, leaseMs: number, limit: number): Promise<WorkItem[]>;
  complete(id: string, owner: string, result: Record<string, unknown>, now: string): Promise<void>;
  /** Gives the item back to be tried again from `availableAt`. */
  retry(id: string, owner: string, error: string, availableAt: string): Promise<void>;
  /** The finished result of (kind, key), if done. */
  result(kind: string, key: string): Promise<Record<string, unknown> | undefined>;

  /** Mutual exclusion per key across instances; true when this owner now holds it. */
  acquireLease(key: string, owner: string, now: string, leaseMs: number): Promise<boolean>;
  releaseLease(key: string, owner: string): Promise<void>;
}
