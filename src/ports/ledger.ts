/**
 * Keeping durable work bounded. A claim only has to outlive the period in
 * which it prevents a repeat (a reminder's week, a digest's day), a finished
 * work item only the period in which its key could be enqueued again or its
 * result asked for, a lease only until it runs out; after that each is dead
 * weight that every reader pays for. What is kept how long, and why, is one
 * table (usecases/retention.ts). Engines that can delete implement these
 * (SQLite, Azure Tables); SharePoint lists are never deleted from, which is one
 * reason durable work moves to Azure at scale.
 */
export interface LedgerPruning {
  /**
   * Deletes the claims of `kind` made before `before`, except the one keyed
   * `exceptKey` when given (the one still in force, however old); returns how many went.
   */
  pruneClaims(kind: string, before: string, exceptKey?: string): Promise<number>;
}

/** The outbox and leases' side of the same: only finished items and run-out leases ever go. */
export interface WorkPruning {
  /** Deletes the done items of `kind` enqueued before `before` (pending ones always stay); returns how many went. */
  pruneDoneWork(kind: string, before: string): Promise<number>;
  /** Deletes leases that ran out before `before` (to acquireLease one is the same as none); returns how many went. */
  pruneExpiredLeases(before: string): Promise<number>;
}
