/**
 * The background jobs, all level-triggered: each run compares what should be
 * with what is, so a missed, repeated or concurrent run does no harm.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../runtime/services';
import { processRebooks, type NotifyContext } from '../usecases/rebooking';
import { reconcile } from '../usecases/reconcile';
import { startRecordsForHeldSessions } from '../usecases/records';
import { dispatchDigests, RateLimiter, sweepReminders } from '../usecases/reminders';
import { EmbeddedChangeFeed } from './calendarChanges';
import type { Job } from './scheduler';

export const WORKER_ID = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;

export function createJobs(services: Services, notify: NotifyContext): Job[] {
  const jobs: Job[] = [];
  const feed = services.embedded ? new EmbeddedChangeFeed(services.embedded.db) : undefined;
  jobs.push({
    name: 'reconcile',
    async run() {
      // Changed calendars first (fast path), then everyone (the periodic sweep that catches anything missed).
      if (feed) {
        const changed = feed.poll();
        if (changed.length) await reconcile(services, WORKER_ID, changed);
      }
      await reconcile(services, WORKER_ID);
      await processRebooks(services, notify, WORKER_ID);
      // Sessions the reconciler found held get their record form.
      await startRecordsForHeldSessions(services, notify, WORKER_ID);
    },
  });
  const limiter = new RateLimiter(services.config.env.PT_TEAMS_MAX_PER_SECOND);
  jobs.push({
    name: 'reminders',
    async run() {
      await sweepReminders(services);
      await dispatchDigests(services, notify, WORKER_ID, limiter);
    },
  });
  return jobs;
}
