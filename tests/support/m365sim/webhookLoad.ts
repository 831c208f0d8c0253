/**
 * Load on the Graph webhook, for the tests that time its answers: each occurrence
 * is moved 30 minutes and back in the organiser's calendar (two changes, and the
 * attendees' copies change too), Graph's deliveries are awaited, and the webhook's
 * answers to them returned.
 */
import type { Delivery, M365Sim } from './simulator';

/** The 99th percentile of `xs` (the value at or below which 99 % of them fall). */
export const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.99) - 1)]!;

export async function moveAndBack(sim: M365Sim, organiser: string, occurrences: { id: string; start: string; end: string }[]): Promise<Delivery[]> {
  const from = sim.deliveries.length;
  for (const t of occurrences) {
    for (const shift of [30, 0]) {
      const at = (iso: string) => ({ dateTime: new Date(Date.parse(iso) + shift * 60_000).toISOString().slice(0, 19), timeZone: 'UTC' });
      sim.calendars.update(organiser, t.id, { start: at(t.start), end: at(t.end) });
    }
  }
  await sim.settled();
  return sim.deliveries.slice(from).filter((d) => d.kind === 'notification');
}
