/**
 * "One at a time" across instances. The in-process KeyedMutex queues callers of
 * one process; instances that share a store (tenant mode, several app
 * processes) take a work-queue lease per key as well, so two different
 * requests for one arrangement made on two instances at once do not both pass
 * the checks that only hold one at a time ("no planned sessions yet").
 *
 * A holder that dies keeps the key only until its lease runs out; a caller that
 * cannot get the key within `waitMs` is told to try again (409), never queued
 * for ever. Repeats of the same request are harmless either way: they carry the
 * same request key, so they find what the first one made.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock';
import type { WorkQueue } from '../ports/workQueue';
import { conflict } from './errors';

export interface LeaseGuardDeps {
  clock: Clock;
  /** Absent (some tests): the in-process lock alone. */
  work?: Pick<WorkQueue, 'acquireLease' | 'releaseLease'>;
}

export interface LeaseTiming {
  leaseMs: number;
  waitMs: number;
  pollMs: number;
}

const DEFAULT_TIMING: LeaseTiming = { leaseMs: 15_000, waitMs: 20_000, pollMs: 250 };

export async function underLease<T>(deps: LeaseGuardDeps, key: string, busyMessage: string, fn: () => Promise<T>, timing: LeaseTiming = DEFAULT_TIMING): Promise<T> {
  const work = deps.work;
  if (!work) return fn();
  const owner = `lease-${randomUUID()}`;
  // Waiting is measured in elapsed time, not the business clock (which tests may hold still).
  const started = performance.now();
  while (!(await work.acquireLease(key, owner, deps.clock.now().toISOString(), timing.leaseMs))) {
    if (performance.now() - started > timing.waitMs) throw conflict(busyMessage);
    await new Promise((resolve) => setTimeout(resolve, timing.pollMs));
  }
  try {
    return await fn();
  } finally {
    // Not releasing (the store is away) only delays the next caller until the lease runs out.
    await work.releaseLease(key, owner).catch(() => undefined);
  }
}
