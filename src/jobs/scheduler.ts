/**
 * Runs background jobs on an interval, one run of a job at a time, and never
 * lets a failing job stop the others. Jobs are level-triggered (they compare
 * what should be with what is), so a missed or repeated run is harmless.
 */
import type { Logger } from '../logging';

export interface Job {
  name: string;
  run(now: Date): Promise<void>;
}

export class Scheduler {
  private timer?: NodeJS.Timeout;
  private running = new Map<string, Promise<void>>();

  constructor(
    private readonly jobs: Job[],
    private readonly intervalMs: number,
    private readonly now: () => Date,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer || this.jobs.length === 0) return;
    this.timer = setInterval(() => void this.tick(false), this.intervalMs);
    this.timer.unref();
  }

  /**
   * Runs every job once, in order. A timer tick skips a job that is still running; an
   * explicit tick (wait = true) waits for it and then runs it again, so the
   * caller knows a full run started after it asked.
   */
  async tick(wait = true): Promise<void> {
    // In order: later jobs (reminders) read what earlier ones (reconcile) just wrote.
    for (const job of this.jobs) await this.runOne(job, wait);
  }

  private async runOne(job: Job, wait: boolean): Promise<void> {
    const current = this.running.get(job.name);
    if (current) {
      if (!wait) return;
      await current.catch(() => undefined);
      return this.runOne(job, wait);
    }
    const run = this.execute(job);
    this.running.set(job.name, run);
    try {
      await run;
    } finally {
      this.running.delete(job.name);
    }
  }

  private async execute(job: Job): Promise<void> {
    const started = Date.now();
    try {
      await job.run(this.now());
      this.log.debug({ job: job.name, ms: Date.now() - started }, 'job ran');
    } catch (err) {
      this.log.error({ job: job.name, err: err instanceof Error ? err.message : String(err) }, 'job failed');
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
