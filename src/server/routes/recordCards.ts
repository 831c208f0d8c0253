/**
 * Records in the tab, on the same Adaptive Card templates and the same workflow
 * as in chat: GET gives the card this person would see now; POST runs one of
 * the card's verbs for them. Only record verbs, only for the record in the URL,
 * and the caller is the signed-in person (never anything in the body).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { RecordsDeps } from '../../usecases/records';
import type { RebookingDeps } from '../../usecases/rebooking';
import type { NotifyContext } from '../../usecases/rebooking';
import { recordCardAction } from '../../bot/recordCards';
import { AppError } from '../../usecases/errors';
import { wrap } from '../asyncHandler';

/** The ports of the use cases these routes call. */
export type RecordCardRoutesDeps = RecordsDeps & RebookingDeps;

const VERBS = ['record.save', 'record.submit', 'record.addAction', 'record.removeAction', 'record.countersign', 'record.requestChanges', 'record.disagree'] as const;
const Body = z.object({ verb: z.enum(VERBS), data: z.record(z.string().max(200), z.unknown()).default({}) }).strict();

export function recordCardRoutes(services: RecordCardRoutesDeps, notify: () => NotifyContext | undefined): Router {
  const router = Router();
  const ctx = () => {
    const n = notify();
    if (!n) throw new AppError(503, 'Protected Time is still starting: try again in a moment.');
    return n;
  };
  router.get(
    '/records/:id/card',
    wrap(async (req, res) => {
      const card = await recordCardAction(services, ctx(), req.person!, 'record.refresh', { recordId: String(req.params.id) });
      res.json({ card });
    }),
  );
  router.post(
    '/records/:id/card',
    wrap(async (req, res) => {
      const { verb, data } = Body.parse(req.body);
      const card = await recordCardAction(services, ctx(), req.person!, verb, { ...data, recordId: String(req.params.id) });
      res.json({ card });
    }),
  );
  return router;
}
