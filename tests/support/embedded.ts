/** An in-memory embedded store and calendar with a settable clock, for tests. */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedCalendar } from '../../src/adapters/embedded/calendar';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import type { Clock } from '../../src/ports/clock';

export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function embedded(now = '2026-11-23T09:00:00.000Z', file = ':memory:') {
  const db = openDatabase(file);
  const clock = new TestClock(new Date(now));
  return { db, clock, store: new EmbeddedStore(db), calendar: new EmbeddedCalendar(db, clock) };
}
