/**
 * Where Graph's change and lifecycle notifications wait between the webhook's
 * answer and their processing (tenant mode).
 *
 * Why: Graph wants a 2xx within 3 s and never resends a delivery it got a 202
 * for, while processing one means store reads and writes that can take seconds.
 * So the webhook stores the delivery here, answers, and processes it after. The
 * instance that stored an entry holds it and processes it at once; if it dies
 * first, the entry becomes takeable again and whichever instance polls next
 * processes it. Processing is idempotent (the marks it leaves collapse), so an
 * entry processed twice does no harm.
 *
 * Implementations: GraphInbox (a local directory: PT_DATA_DIR/graph-inbox, for
 * one instance on a persistent disk) and AzureNotificationInbox (an Azure
 * Storage queue shared by every instance).
 */

/** A delivery's body as the webhook checked it: one or more notifications. */
export interface NotificationBatch {
  value: Record<string, unknown>[];
  validationTokens?: string[] | null;
}

export interface InboxEntry {
  /** Stable across takes (a retake of the same entry has the same id). */
  id: string;
  endpoint: 'notifications' | 'lifecycle';
  body: NotificationBatch;
  /** How many times it has been held, this time included (the instance that stored it counts 1). */
  attempts: number;
  /** Opaque to callers: what done() needs to find this hold again. */
  receipt: string;
}

/** An entry taken too many times without being done: set aside, described without its body. */
export interface PoisonedEntry {
  id: string;
  endpoint: 'notifications' | 'lifecycle';
  attempts: number;
}

export interface NotificationInbox {
  /**
   * Stores a delivery durably before the webhook answers. The entries (a body may
   * be stored as several) come back held by the caller, who processes them; undefined
   * when the inbox is full (the webhook answers 503 and Graph delivers again later).
   */
  put(endpoint: InboxEntry['endpoint'], body: NotificationBatch): Promise<InboxEntry[] | undefined>;
  /**
   * Up to `limit` entries nobody holds: stored by an instance that died before
   * processing them, or whose processing failed. Each is held by the caller for
   * the inbox's hold time; not done by then, it can be taken again. Entries taken
   * more than the inbox's maximum are set aside and reported in `poisoned` instead.
   */
  take(limit: number): Promise<{ entries: InboxEntry[]; poisoned: PoisonedEntry[] }>;
  /** Processed: gone for good. Harmless when already gone or held again by someone else. */
  done(entry: InboxEntry): Promise<void>;
}
