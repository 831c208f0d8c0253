/**
 * Relationship timelines: each relationship has one next wake-up. A change
 * (booked, cancelled, held, submitted, signed, action done, agreement signed,
 * person or policy changed) wakes it now; otherwise it sleeps until the next
 * time something about it can change (a due date, an escalation step, a record
 * deadline, the end of quiet hours). Work then costs what changed, not what
 * exists: a cycle reads the relationships that are due, not the organisation.
 *
 * Implementations: EmbeddedTimeline (SQLite, local mode: same file as
 * everything else) and AzureTimeline (Tables hold the state, Queue messages
 * with visibility timeouts are the scheduled wake-ups).
 */
export interface Wakeup {
  relationshipId: string;
  /** When it is to be woken (ISO instant). */
  at: string;
  /** Why, for logs and the consistency report: "changed", "due", "sweep"... */
  reason: string;
}

/** A wake-up this instance holds (leased) while it handles the relationship. */
export interface TakenWakeup extends Wakeup {
  /** Opaque to callers: what settle() needs to find this take again. */
  handle: string;
}

export interface Timeline {
  /**
   * Wake the relationship no later than `at` (an earlier wake-up already set stays).
   * `resend`: the consistency sweep found it overdue and never taken (a lost or
   * poisoned message): schedule it afresh even though its time is already set.
   */
  wake(relationshipId: string, at: string, reason: string, now: string, options?: { resend?: boolean }): Promise<void>;
  /**
   * Takes up to `limit` wake-ups due at `now`, each leased to `owner` for
   * `leaseMs`: nobody else takes that relationship until it is settled or the
   * lease runs out (a crashed instance's work is taken again then).
   */
  take(now: string, owner: string, leaseMs: number, limit: number): Promise<TakenWakeup[]>;
  /**
   * Done with a wake-up: the relationship sleeps until `next.at`; if it was
   * woken again while being handled, the earlier of the two stays.
   */
  settle(taken: TakenWakeup, owner: string, next: { at: string; reason: string }, now: string): Promise<void>;
  /** Every relationship's next wake-up (for the daily consistency sweep). */
  list(): Promise<Wakeup[]>;
  /** The relationship ended: no more wake-ups. */
  forget(relationshipId: string): Promise<void>;
}
