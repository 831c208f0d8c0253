/**
 * When failed durable work (a rebook, a handover move, record messages, a digest)
 * is tried again: exponential backoff from a first step, capped so nothing waits
 * longer than a quarter of an hour (the work is about people's week, and a longer
 * outage is retried by every later job run anyway).
 */
export const RETRY_CAP_MS = 15 * 60_000;

/** Delay before the next try, after `attempts` failed ones (0 for the first failure). */
export function retryDelayMs(attempts: number, firstStepMs = 5_000): number {
  return Math.min(RETRY_CAP_MS, firstStepMs * 2 ** attempts);
}
