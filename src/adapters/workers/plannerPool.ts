/**
 * The planner on a small pool of worker threads, so planning never holds the
 * event loop: /healthz, the bot and everyone else's requests keep answering
 * while supervisors plan. Work waits in a bounded queue (a flood is refused,
 * not buffered without end); a worker that dies is replaced and its task fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PlanInput, PlanResult } from '../../domain/planning/types';
import type { PlannerPort } from '../../ports/planner';

interface Task {
  id: number;
  input: PlanInput;
  resolve: (r: PlanResult) => void;
  reject: (e: Error) => void;
}

export class PlannerQueueFullError extends Error {
  constructor() {
    super('The planner is busy: try again in a moment');
    this.name = 'PlannerQueueFullError';
  }
}

export class PlannerPool implements PlannerPort {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly script: string,
    size: number,
    private readonly maxQueue: number,
  ) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  /**
   * A pool over the compiled worker next to this file; undefined when running
   * from TypeScript sources (tests under jest), where planning stays inline.
   */
  static start(opts: { size?: number; maxQueue?: number } = {}): PlannerPool | undefined {
    const script = path.join(__dirname, 'plannerWorker.js');
    if (!fs.existsSync(script)) return undefined;
    const size = opts.size ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
    return new PlannerPool(script, size, opts.maxQueue ?? 200);
  }

  plan(input: PlanInput): Promise<PlanResult> {
    if (this.closed) return Promise.reject(new Error('the planner pool is closed'));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new PlannerQueueFullError());
    return new Promise<PlanResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('the planner pool is closed'));
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(this.script);
    worker.unref();
    worker.on('message', (msg: { id: number; result?: PlanResult; error?: string }) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (task) {
        if (msg.error !== undefined) task.reject(new Error(msg.error));
        else task.resolve(msg.result!);
      }
      this.pump();
    });
    worker.on('error', (err) => this.replace(worker, err instanceof Error ? err : new Error(String(err))));
    worker.on('exit', (code) => {
      if (!this.closed) this.replace(worker, new Error(`planner worker exited (${code})`));
    });
    return worker;
  }

  private replace(worker: Worker, err: Error): void {
    const task = this.busy.get(worker);
    this.busy.delete(worker);
    const i = this.idle.indexOf(worker);
    if (i >= 0) this.idle.splice(i, 1);
    task?.reject(err);
    if (!this.closed) {
      this.idle.push(this.spawn());
      this.pump();
    }
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      worker.postMessage({ id: task.id, input: task.input });
    }
  }
}
