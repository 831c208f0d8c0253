/** Tab API for the to-do view: what the caller can act on, and marking their actions done. */
import { Router } from 'express';
import { z } from 'zod';
import type { TodoDeps } from '../../usecases/todo';
import type { ActionItemsDeps } from '../../usecases/actionItems';
import type { RecordsInTabDeps } from '../../usecases/recordsInTab';
import type { StandingDeps } from '../../usecases/standing';
import type { SessionsDeps } from '../../usecases/sessions';
import type { RebookingDeps } from '../../usecases/rebooking';
import { completeAction } from '../../usecases/actionItems';
import { startRecordInTab } from '../../usecases/recordsInTab';
import { standingFor } from '../../usecases/standing';
import { cancelOccurrence, endSeriesFrom, keepRebookedTime, rescheduleOccurrence, rescheduleOptions, sessionView } from '../../usecases/sessions';
import type { NotifyContext } from '../../usecases/rebooking';
import { todoFor } from '../../usecases/todo';
import { wrap } from '../asyncHandler';

/** The ports of the use cases these routes call. */
export type TodoRoutesDeps = TodoDeps & ActionItemsDeps & RecordsInTabDeps & StandingDeps & SessionsDeps & RebookingDeps;

const Id = z.string().min(1).max(200);

const Slot = z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }).strict();
const Cancel = z.object({ reason: z.string().max(300) }).strict();

export function todoRoutes(services: TodoRoutesDeps, notify: () => NotifyContext | undefined = () => undefined): Router {
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
  /** One session: what it is and what the caller may do with it. */
  router.get(
    '/sessions/:id',
    wrap(async (req, res) => {
      res.json({ session: await sessionView(services, req.person!, Id.parse(req.params.id)) });
    }),
  );
  router.get(
    '/sessions/:id/reschedule',
    wrap(async (req, res) => {
      res.json(await rescheduleOptions(services, req.person!, Id.parse(req.params.id)));
    }),
  );
  router.post(
    '/sessions/:id/reschedule',
    wrap(async (req, res) => {
      res.json({ session: await rescheduleOccurrence(services, req.person!, Id.parse(req.params.id), Slot.parse(req.body)) });
    }),
  );
  router.post(
    '/sessions/:id/cancel',
    wrap(async (req, res) => {
      res.json({ session: await cancelOccurrence(services, notify(), req.person!, Id.parse(req.params.id), Cancel.parse(req.body).reason) });
    }),
  );
  router.post(
    '/sessions/:id/keep-time',
    wrap(async (req, res) => {
      res.json({ session: await keepRebookedTime(services, req.person!, Id.parse(req.params.id)) });
    }),
  );
  router.post(
    '/sessions/:id/end-series',
    wrap(async (req, res) => {
      res.json(await endSeriesFrom(services, req.person!, Id.parse(req.params.id)));
    }),
  );
  return router;
}
