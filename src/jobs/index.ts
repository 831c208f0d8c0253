/**
 * The background jobs, all level-triggered: each run compares what should be
 * with what is, so a missed, repeated or concurrent run does no harm.
 */
import { randomUUID } from 'node:crypto';
import type { CalendarChangeFeed } from '../ports/changeFeed';
import type { DirectoryChangeFeed } from '../ports/directoryChanges';
import type { Log } from '../ports/log';
import type { RecordStore } from '../ports/store';
import type { SubscriptionMaintenance } from '../ports/subscriptions';
import type { Timeline } from '../ports/timeline';
import type { WorkQueue } from '../ports/workQueue';
import { processRebooks, type NotifyContext, type RebookingDeps } from '../usecases/rebooking';
import { reconcile, settleEndedSessions, type ReconcileDeps } from '../usecases/reconcile';
import { deliverRecordForms, deliverRecordMessages, queueMissingRecordForms, type RecordsDeps } from '../usecases/records';
import { dispatchDigests, RateLimiter, sweepReminders, type RemindersDeps } from '../usecases/reminders';
import { TimelineDriver, type TimelinesDeps } from '../usecases/timelines';
import { settleDueProposals, type MoveDeps } from '../usecases/rebookProposal';
import { type PreSessionDeps, type PreSessionMemo, sendPreSessionCards } from '../usecases/preSession';
import { preSessionTeller } from '../bot/moveNotices';
import type { Job } from './scheduler';
import { peopleTeller } from '../bot/peopleNotices';
import { noticeDirectoryChanges, type DirectoryChangesDeps } from '../usecases/directoryChanges';
import { runCovers, type HandoverDeps } from '../usecases/handover';

export const WORKER_ID = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;

const MINUTE_MS = 60_000;
/** The work-queue lease whose expiry marks when the next full reconcile sweep is due (tenant mode). */
export const SWEEP_LEASE_KEY = 'job:reconcile-sweep';
/** The work-queue lease under which one instance maintains the Graph subscriptions, at most hourly. */
export const SUBSCRIPTIONS_LEASE_KEY = 'job:graph-subscriptions';
export const SUBSCRIPTIONS_EVERY_MS = 60 * MINUTE_MS;
/** The work-queue lease under which one instance reads Graph's directory changes (joiners, leavers, managers). */
export const DIRECTORY_LEASE_KEY = 'job:directory-changes';
export const DIRECTORY_EVERY_MS = 15 * MINUTE_MS;
/** The lease under which one instance sends pre-session cards, every quarter of an hour. */
export const PRE_SESSION_LEASE_KEY = 'job:pre-session-cards';
export const PRE_SESSION_EVERY_MS = 15 * MINUTE_MS;
/** The lease under which one instance looks for held sessions whose record form was never queued, once a day. */
export const RECORD_FORMS_CATCH_UP_LEASE_KEY = 'job:record-forms-catch-up';
export const RECORD_FORMS_CATCH_UP_EVERY_MS = 24 * 60 * MINUTE_MS;
/** After a run that threw, try again this soon rather than a whole period later. */
const RETRY_AFTER_FAILURE_MS = 5 * MINUTE_MS;
/** While another instance holds a periodic lease, ask again at most this often. */
const RECHECK_HELD_MS = 5 * MINUTE_MS;

export interface JobOptions {
  /** Who this instance is to the work queue's leases (default: one id per process). */
  workerId?: string;
}

/**
 * How often the costly periodic work runs, one instance per period. Absent: on every run (local
 * mode: its tests and demos rely on it, and SQLite reads are free). A tenant's composition root
 * sets it: each relationship swept costs Graph and SharePoint requests, and change notifications
 * and delta rounds cover the time between.
 */
export interface JobSchedule {
  /** The full reconcile sweep (PT_RECONCILE_SWEEP_MINUTES). */
  reconcileSweepMs: number;
  /** Reading directory changes (two delta requests when nothing changed). */
  directoryChangesMs: number;
}

/** What the jobs reach the world through: the use cases' ports, and the change sources the composition root found. */
export type JobsDeps = ReconcileDeps & RebookingDeps & RecordsDeps & RemindersDeps & TimelinesDeps & HandoverDeps & DirectoryChangesDeps & MoveDeps & PreSessionDeps & {
  log: Log;
  /** Which people's calendars changed (absent: only the full sweep finds changes). */
  changeFeed?: CalendarChangeFeed;
  /** Joiners, leavers and new managers (absent: directory changes go unnoticed). */
  directoryChanges?: DirectoryChangeFeed;
  /** Relationship timelines (absent: the reminders job sweeps everyone). */
  timeline?: Timeline;
  /** The Teams send budget shared by every instance (absent: this process limits itself to PT_TEAMS_MAX_PER_SECOND). */
  sendBudget?: { take(): Promise<void> };
  config: { env: { PT_TEAMS_MAX_PER_SECOND: number } };
  /** Change-notification subscriptions to keep on the calendars in scope (absent: no such job). */
  calendarSubscriptions?: SubscriptionMaintenance;
  schedule?: JobSchedule;
};

export function createJobs(services: JobsDeps, notify: NotifyContext, options: JobOptions = {}): Job[] {
  const workerId = options.workerId ?? WORKER_ID;
  const jobs: Job[] = [];
  const feed = services.changeFeed;
  const schedule = services.schedule;
  const sweep = schedule ? new Periodic(services.work, SWEEP_LEASE_KEY, workerId, schedule.reconcileSweepMs, services.log) : undefined;
  const recordForms = recordFormsRun(services, notify, workerId, Boolean(schedule));
  jobs.push({
    name: 'reconcile',
    async run(now) {
      // Changed calendars first (the fast path), then, when due, everyone (the sweep that catches anything missed).
      if (feed) {
        let changed: string[] = [];
        try {
          changed = await feed.changedPeople(now.toISOString());
        } catch (err) {
          // Graph or SharePoint unavailable: the feed tries again next run; rebooks and records still go ahead.
          services.log.warn({ event: 'change-feed', error: err instanceof Error ? err.message : String(err) }, 'could not read calendar changes');
        }
        if (changed.length) {
          const outcomes = await reconcile(services, workerId, changed);
          // A relationship another instance held (perhaps one that died holding it) was not reconciled:
          // its people are reported again next run, not acknowledged as dealt with (at least once).
          const skipped = outcomes.filter((o) => o.skipped);
          const again = feed.notDone?.bind(feed);
          if (skipped.length && again) {
            const rels = await Promise.all(skipped.map((o) => services.store.getRelationship(o.relationshipId)));
            again(rels.flatMap((r) => (r ? [r.supervisorId, ...r.superviseeIds] : [])).filter((p) => changed.includes(p)));
          }
        }
      }
      if (!sweep) await reconcile(services, workerId);
      else await sweep.runIfDue(now, () => reconcile(services, workerId));
      // Sessions that have ended, which the timelines asked about (a session ending changes no calendar): held or
      // missed now, not at the next sweep, so their record forms follow within minutes. Without timelines
      // (SharePoint-only durable work) the sweep settles them.
      if (services.timeline) await settleEndedSessions(services, workerId);
      await processRebooks(services, notify, workerId);
      // Proposals (propose mode) past their deadline: the held time is booked.
      await settleDueProposals(services, notify.moves ?? (async () => undefined), workerId, services.log);
      // Sessions the reconciler found held get their record form.
      await recordForms(now);
      // Record messages a failed send left in the outbox.
      await deliverRecordMessages(services, notify, workerId);
    },
  });
  const tell = peopleTeller(notify);
  // A tenant asks Graph for directory changes every DIRECTORY_EVERY_MS, one instance per period (two delta
  // requests when nothing changed); locally the embedded directory is compared on every run.
  const directory = services.directoryChanges;
  const directoryPeriod = schedule ? new Periodic(services.work, DIRECTORY_LEASE_KEY, workerId, schedule.directoryChangesMs, services.log) : undefined;
  jobs.push({
    name: 'people-changes',
    async run(now) {
      // Covers start and end on their dates; moves that failed are retried (both inside runCovers).
      await runCovers(services, tell, workerId);
      if (!directory) return;
      if (directoryPeriod) await directoryPeriod.runIfDue(now, () => noticeDirectoryChanges(services, directory, tell));
      else await noticeDirectoryChanges(services, directory, tell);
    },
  });
  // Instances sharing Azure Storage share one Teams budget (services.sendBudget); one process keeps its own.
  const limiter = services.sendBudget ?? new RateLimiter(services.config.env.PT_TEAMS_MAX_PER_SECOND);
  const timelines = services.timeline ? new TimelineDriver(services, services.timeline, workerId) : undefined;
  jobs.push({
    name: 'reminders',
    async run() {
      // With relationship timelines, only the relationships that changed or fell due are judged; without, everyone.
      if (timelines) await timelines.run();
      else await sweepReminders(services);
      await dispatchDigests(services, notify, workerId, limiter, 200, services.sendBudget ? 8 : 1);
    },
  });
  // Pre-session cards (issue 18): locally on every run; in a tenant every PRE_SESSION_EVERY_MS, one instance per period.
  const preSession = schedule ? new Periodic(services.work, PRE_SESSION_LEASE_KEY, workerId, PRE_SESSION_EVERY_MS, services.log) : undefined;
  const tellPreSession = preSessionTeller(notify);
  const preSessionMemo: PreSessionMemo = new Map();
  jobs.push({
    name: 'pre-session-cards',
    async run(now) {
      const send = () => sendPreSessionCards(services, tellPreSession, services.log, preSessionMemo);
      if (preSession) await preSession.runIfDue(now, send);
      else await send();
    },
  });
  const subscriptions = services.calendarSubscriptions;
  if (subscriptions) {
    // Hourly is plenty: subscriptions last about seven days and are renewed a day before they lapse;
    // the webhook renews or recreates at once when Graph asks. The lease keeps two instances from
    // creating the same person's subscription at once, and its expiry is the durable "next run" mark.
    const maintain = new Periodic(services.work, SUBSCRIPTIONS_LEASE_KEY, workerId, SUBSCRIPTIONS_EVERY_MS, services.log);
    jobs.push({
      name: 'graph-subscriptions',
      async run(now) {
        await maintain.runIfDue(now, async () => {
          const outcome = await subscriptions.maintain(await subscriptionScope(services.store), now.toISOString());
          if (outcome.failed.length) services.log.warn({ event: 'graph-subscriptions', failed: outcome.failed.slice(0, 20) }, 'some subscriptions could not be maintained');
        });
      },
    });
  }
  return jobs;
}

/**
 * One run of the record forms: first the catch-up (held sessions in the lookback
 * whose form was never queued), then the forms waiting in the work queue, which
 * the reconciler and the people moves queue as sessions turn held. The catch-up
 * lists the recent sessions: locally on every run (tests and demos store sessions
 * held directly, and SQLite reads are free); in a tenant (`scheduled`) once a day,
 * one instance per day, and on each process's first run: an instance that died
 * between saving a session held and queueing its form is started again, and its
 * first run queues the form then rather than a day later. An idle run lists no
 * sessions at all. A failed catch-up does not hold up the forms already queued.
 */
export function recordFormsRun(services: RecordsDeps, notify: NotifyContext, workerId: string, scheduled: boolean): (now: Date) => Promise<void> {
  const daily = scheduled ? new Periodic(services.work, RECORD_FORMS_CATCH_UP_LEASE_KEY, workerId, RECORD_FORMS_CATCH_UP_EVERY_MS, services.log) : undefined;
  let started = false;
  const catchUp = async (now: Date) => {
    const queueMissing = () => queueMissingRecordForms(services);
    if (!daily) return queueMissing();
    const first = !started;
    started = true;
    if (!(await daily.runIfDue(now, queueMissing)) && first) await queueMissing();
  };
  return async (now) => {
    await catchUp(now).catch((err: unknown) => {
      services.log.warn({ event: 'record-forms.catch-up', error: err instanceof Error ? err.message : String(err) }, 'could not look for held sessions without a record form');
    });
    await deliverRecordForms(services, notify, workerId);
  };
}

/**
 * The people whose calendars Graph should tell us about: the supervisors of
 * active relationships and their supervisees.
 *
 * - Supervisors: the sessions are their events (they organise them), and the
 *   reconciler reads their calendars. A change there is the change that matters.
 * - Supervisees: reconcile() takes a change in either side's calendar as the
 *   reason to look at a relationship. A supervisee's own copy changes first when
 *   they decline or remove the meeting, before (or without) the organiser's
 *   copy catching up, and a look costs one calendar read (level-triggered).
 * - Nobody else: people in no active relationship have no sessions, so nothing
 *   in their calendars can change what the app does. Leaving them out keeps the
 *   app's reach into mailboxes (and Graph's subscription and delta requests,
 *   which are per person) to those it supervises, not the whole people group.
 */
export async function subscriptionScope(store: RecordStore): Promise<string[]> {
  const people = new Set<string>();
  for (const rel of await store.listRelationships({ activeOnly: true })) {
    people.add(rel.supervisorId);
    for (const id of rel.superviseeIds) people.add(id);
  }
  return [...people].sort();
}

/**
 * Runs work at most once per period across every instance, durably: a
 * work-queue lease held for the period (never released) is the mark. Whoever
 * takes the lease runs; the others are refused until it lapses; a restart
 * (a new worker id) waits for it too. This instance also remembers when it may
 * next ask, so a run between periods costs no request.
 */
class Periodic {
  private nextAskAt = 0;

  constructor(
    private readonly work: WorkQueue,
    private readonly key: string,
    private readonly owner: string,
    private readonly everyMs: number,
    private readonly log: Log,
  ) {}

  /** True when it ran `fn` (which may have thrown: then it is tried again after RETRY_AFTER_FAILURE_MS). */
  async runIfDue(now: Date, fn: () => Promise<unknown>): Promise<boolean> {
    const t = now.getTime();
    if (t < this.nextAskAt) return false;
    const at = now.toISOString();
    // Our own lease is taken again only once the period is up (the check above), so holding it means due.
    if (!(await this.work.acquireLease(this.key, this.owner, at, this.everyMs))) {
      this.nextAskAt = t + Math.min(this.everyMs, RECHECK_HELD_MS);
      return false;
    }
    this.nextAskAt = t + this.everyMs;
    try {
      await fn();
    } catch (err) {
      // Shorten our hold so a failed run is retried soon (by us or another instance), not a period later.
      this.nextAskAt = t + Math.min(this.everyMs, RETRY_AFTER_FAILURE_MS);
      await this.work.acquireLease(this.key, this.owner, at, Math.min(this.everyMs, RETRY_AFTER_FAILURE_MS)).catch((e: unknown) => this.log.warn({ key: this.key, error: e instanceof Error ? e.message : String(e) }, 'could not shorten the lease after a failed run'));
      throw err;
    }
    return true;
  }
}
