/**
 * Ramps: a higher frequency for new staff that steps down over time (LGA
 * standards for employers, newly qualified social workers: weekly for the
 * first 6 weeks, fortnightly to 6 months, then the group's monthly target).
 *
 * A relationship carries its ramp as dates (`override`: the first step's
 * interval and last day, then `then` for the later steps), so an older
 * single-step override is simply a ramp of one step.
 */
import { DateTime, Duration } from 'luxon';
import type { Relationship } from './model';
import { rampSteps, type Ramp } from './policy/schema';

export type RelationshipOverride = NonNullable<Relationship['override']>;
export interface DatedStep {
  interval: string;
  /** Last day (YYYY-MM-DD, inclusive) the interval applies. */
  until: string;
}

/** Every step of an override, in order. */
export function overrideSteps(o: Pick<RelationshipOverride, 'interval' | 'until' | 'then'>): DatedStep[] {
  return [{ interval: o.interval, until: o.until }, ...(o.then ?? [])];
}

/** The step that applies on `today` (YYYY-MM-DD), or undefined once the ramp is over. */
export function currentStep(o: Pick<RelationshipOverride, 'interval' | 'until' | 'then'>, today: string): DatedStep | undefined {
  return overrideSteps(o).find((s) => s.until >= today);
}

/** A pack's ramp as a relationship override for someone who started in post on `startedOn`. */
export function rampOverride(ramp: Ramp, startedOn: string): RelationshipOverride {
  const start = DateTime.fromISO(startedOn, { zone: 'UTC' });
  const steps = rampSteps(ramp).map((s) => ({ interval: s.interval, until: start.plus(Duration.fromISO(s.until)).minus({ days: 1 }).toISODate()! }));
  const [first, ...then] = steps;
  return { interval: first!.interval, until: first!.until, ...(then.length ? { then } : {}), reason: ramp.appliesTo };
}
