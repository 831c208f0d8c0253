/**
 * Where planning runs. The planner is pure and CPU-bound (~90 ms for a year of
 * a busy pair): run on the event loop, a burst of /plan requests stalls every
 * other request, /healthz included. The app hands it to worker threads.
 */
import type { PlanInput, PlanResult } from '../domain/planning/types';

export interface PlannerPort {
  plan(input: PlanInput): Promise<PlanResult>;
}
