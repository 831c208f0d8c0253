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
  private running = new Set<string>();

  constructor(
    private readonly jobs: Job[],
    private readonly intervalMs: number,
    private readonly now: () => Date,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer || this.jobs.length === 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async tick(): Promise<void> {
    await Promise.all(this.jobs.map((job) => this.runOne(job)));
  }

  private async runOne(job: Job): Promise<void> {
    if (this.running.has(job.name)) return;
    this.running.add(job.name);
    const started = Date.now();
    try {
      await job.run(this.now());
      this.log.debug({ job: job.name, ms: Date.now() - started }, 'job ran');
    } catch (err) {
      this.log.error({ job: job.name, err: err instanceof Error ? err.message : String(err) }, 'job failed');
    } finally {
      this.running.delete(job.name);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
