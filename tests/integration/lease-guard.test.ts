/**
 * One booking per arrangement at a time across instances (issue 15, "do once"): two
 * instances share one store (two work queues on one database, as two processes on
 * one file would); the in-process mutex cannot see the other instance, the lease can.
 */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import { underLease } from '../../src/usecases/leaseGuard';
import { AppError } from '../../src/usecases/errors';

const clock = { now: () => new Date('2026-12-07T09:00:00.000Z') };
const FAST = { leaseMs: 15_000, waitMs: 5_000, pollMs: 5 };

function twoInstances() {
  const db = openDatabase(':memory:');
  return { a: { clock, work: new EmbeddedWorkQueue(db) }, b: { clock, work: new EmbeddedWorkQueue(db) }, close: () => db.close() };
}

/** A piece of work that reports when it starts and finishes only when told to. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  let started!: () => void;
  const began = new Promise<void>((r) => (started = r));
  return { open, opened, started, began };
}

it('two instances never run the guarded work for one key at the same time; other keys are not held up', async () => {
  const { a, b, close } = twoInstances();
  const order: string[] = [];
  const first = gate();
  const one = underLease(a, 'booking:rel-1', 'busy', async () => {
    order.push('a start');
    first.started();
    await first.opened;
    order.push('a end');
    return 'a';
  }, FAST);
  await first.began;
  const two = underLease(b, 'booking:rel-1', 'busy', async () => {
    order.push('b start');
    return 'b';
  }, FAST);
  // Another arrangement goes ahead while rel-1 is held.
  expect(await underLease(b, 'booking:rel-2', 'busy', async () => 'other', FAST)).toBe('other');
  expect(order).toEqual(['a start']);
  first.open();
  expect(await Promise.all([one, two])).toEqual(['a', 'b']);
  expect(order).toEqual(['a start', 'a end', 'b start']);
  close();
});

it('a holder that died keeps the key only until its lease runs out; a caller that cannot get it in time is told to try again (409)', async () => {
  const { a, b, close } = twoInstances();
  let now = new Date('2026-12-07T09:00:00.000Z');
  const moving = { now: () => now };
  // Instance a took the lease and died (never released).
  expect(await a.work.acquireLease('booking:rel-1', 'dead-instance', now.toISOString(), 15_000)).toBe(true);
  const refused = await underLease({ ...b, clock: moving }, 'booking:rel-1', 'Another booking for this arrangement is being made right now.', async () => 'ran', { ...FAST, waitMs: 50 }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(AppError);
  expect((refused as AppError).status).toBe(409);
  expect((refused as AppError).message).toBe('Another booking for this arrangement is being made right now.');
  // Once the dead holder's lease has run out, the key is free again, and released after use.
  now = new Date(now.getTime() + 16_000);
  expect(await underLease({ ...b, clock: moving }, 'booking:rel-1', 'busy', async () => 'ran', FAST)).toBe('ran');
  expect(await a.work.acquireLease('booking:rel-1', 'someone', now.toISOString(), 15_000)).toBe(true);
  close();
});

it('the lease is released when the work fails, and the failure reaches the caller', async () => {
  const { a, b, close } = twoInstances();
  await expect(underLease(a, 'booking:rel-1', 'busy', async () => { throw new Error('calendar down'); }, FAST)).rejects.toThrow('calendar down');
  expect(await underLease(b, 'booking:rel-1', 'busy', async () => 'next', FAST)).toBe('next');
  close();
});
