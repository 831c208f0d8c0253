/**
 * The webhook Graph calls (tenant mode), mounted at /api/graph outside /api/v1
 * and without user authentication: Graph authenticates itself with the
 * clientState secret of each subscription (checked by the receiver,
 * src/adapters/graph/notificationReceiver.ts; this file is only the HTTP).
 *
 *   POST /api/graph/notifications   change notifications (notificationUrl)
 *   POST /api/graph/lifecycle       lifecycle notifications (lifecycleNotificationUrl)
 *
 * Validation (concepts/includes/change-notifications-delivery-notificationurl-validation.md):
 * POST ?validationToken=... is answered 200 text/plain with the decoded token within 10 s,
 * and nothing else happens. A body that is not JSON or too large → 400 (413 when too large).
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { GraphNotificationReceiver } from '../../adapters/graph/notificationReceiver';
import { safeJsonReviver } from '../jsonBody';

const MAX_VALIDATION_TOKEN_CHARS = 4096;

/** The router for /api/graph. Mount it with the app (see src/server/http.ts). */
export function graphNotificationRoutes(receiver: GraphNotificationReceiver): Router {
  const router = Router();
  // Prototype keys (__proto__, constructor) are refused like any other malformed body.
  const json = express.json({ limit: receiver.maxBodyBytes, strict: true, reviver: safeJsonReviver });

  // Graph validates both URLs when a subscription is created: echo the token, do nothing else.
  const handshake = (req: Request, res: Response, next: NextFunction) => {
    if (!('validationToken' in req.query)) return next();
    const token = req.query.validationToken;
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_VALIDATION_TOKEN_CHARS) {
      return void res.status(400).json({ error: 'Bad validation request' });
    }
    receiver.noteValidation();
    // text/plain and nosniff (set app-wide): the token is never interpreted as HTML.
    res.status(200).type('text/plain').send(token);
  };

  const deliver = (endpoint: 'notifications' | 'lifecycle') => async (req: Request, res: Response) => {
    if (receiver.queued) {
      const status = await receiver.enqueue(req.body, endpoint);
      if (status === 400) return void res.status(400).json({ error: 'Not a change notification collection' });
      return void res.status(status).end();
    }
    const outcome = await receiver.receive(req.body, endpoint);
    if (outcome.status === 400) return void res.status(400).json({ error: 'Not a change notification collection' });
    res.status(202).end();
    receiver.start(outcome.followUps);
  };

  router.post('/notifications', handshake, json, deliver('notifications'));
  router.post('/lifecycle', handshake, json, deliver('lifecycle'));
  router.use((_req, res) => void res.status(404).json({ error: 'Not found' }));

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = (err ?? {}) as { type?: string; status?: number };
    if (e.type === 'entity.too.large') return void res.status(413).json({ error: 'Notification body too large' });
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return void res.status(400).json({ error: 'Not a change notification collection' });
    // A store failure: 5xx makes Graph deliver again, which the idempotent marks allow.
    receiver.logFailure(err);
    res.status(500).json({ error: 'Something went wrong' });
  });
  return router;
}
