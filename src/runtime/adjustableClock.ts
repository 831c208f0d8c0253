/**
 * Local mode's clock: real time plus an offset that tests and demos can move
 * forward (never available in a tenant). The offset is kept in the database so
 * a restarted app carries on at the same simulated time.
 */
import type { Clock } from '../ports/clock';

export interface OffsetStore {
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
}

const KEY = 'test-clock.offset-ms';

export class AdjustableClock implements Clock {
  private offsetMs: number;

  constructor(private readonly store: OffsetStore, private readonly real: () => number = Date.now) {
    this.offsetMs = Number(store.getMeta(KEY) ?? 0) || 0;
  }

  now(): Date {
    return new Date(this.real() + this.offsetMs);
  }

  offset(): number {
    return this.offsetMs;
  }

  /** Moves simulated time to `instant` (never backwards past real time). */
  setNow(instant: Date): void {
    this.offsetMs = Math.max(0, instant.getTime() - this.real());
    this.store.setMeta(KEY, String(this.offsetMs));
  }

  advance(ms: number): void {
    this.setNow(new Date(this.now().getTime() + ms));
  }

  reset(): void {
    this.offsetMs = 0;
    this.store.setMeta(KEY, '0');
  }
}
