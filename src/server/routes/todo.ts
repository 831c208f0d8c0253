/** Tab API for the to-do view: what the caller can act on, and marking their actions done. */
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../runtime/services';
import { completeAction } from '../../usecases/actionItems';
import { startRecordInTab } from '../../usecases/recordsInTab';
import { standingFor } from '../../usecases/standing';
import { todoFor } from '../../usecases/todo';
import { wrap } from '../asyncHandler';

const Id = z.string().min(1).max(200);

export function todoRoutes(services: Services): Router {
  const router = Router();
  router.get(
    '/todo',
    wrap(async (req, res) => {
      res.json(await todoFor(services, req.person!));
    }),
  );
  /** People: where each arrangement the caller looks after stands, and why. */
  router.get(
    '/people/standing',
    wrap(async (req, res) => {
      res.json({ standing: await standingFor(services, req.person!) });
    }),
  );
  router.post(
    '/actions/:id/done',
    wrap(async (req, res) => {
      const action = await completeAction(services, req.person!, Id.parse(req.params.id));
      res.json({ action: { id: action.id, status: action.status, completedAt: action.completedAt } });
    }),
  );
  /** "Start the record" in the tab: the same draft the chat card would carry. */
  router.post(
    '/sessions/:id/record',
    wrap(async (req, res) => {
      res.json(await startRecordInTab(services, req.person!, Id.parse(req.params.id)));
    }),
  );
  return router;
}
