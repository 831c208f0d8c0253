/** A worker thread that runs the planner (src/adapters/workers/plannerPool.ts sends the work). */
import { parentPort } from 'node:worker_threads';
import { plan } from '../../domain/planning/planner';
import type { PlanInput } from '../../domain/planning/types';

parentPort!.on('message', (msg: { id: number; input: PlanInput }) => {
  try {
    parentPort!.postMessage({ id: msg.id, result: plan(msg.input) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
