/**
 * The record form a held session is owed, as durable work: one work item per
 * session (kind RECORD_FORM_KIND, keyed by the session id), queued where a
 * session turns held and posted by records.deliverRecordForms. The job then
 * costs what changed (the sessions that became held), not a listing of every
 * recently held session on every run.
 *
 * Its own module (only ports): the reconciler and the people moves queue the
 * work without importing the record use cases.
 */
import type { WorkQueue } from '../ports/workQueue';

export const RECORD_FORM_KIND = 'record-form';

/**
 * Queues the record form of each session that just turned held. Call it after
 * the sessions are saved: the worker reads the stored session, and a crash
 * between the save and this is caught by records.queueMissingRecordForms.
 * Once per session (the queue keeps one item per key). Returns how many were new.
 */
export async function queueRecordForms(work: Pick<WorkQueue, 'enqueue'>, sessionIds: string[], now: string): Promise<number> {
  let queued = 0;
  for (const sessionId of sessionIds) if (await work.enqueue(RECORD_FORM_KIND, sessionId, { sessionId }, now)) queued += 1;
  return queued;
}
