/**
 * What stands in front of the Teams SDK at /api/messages: a JSON body of
 * bounded size shaped like an activity, and (tenant mode) a verified Bot
 * Framework channel token for it. Everything else is refused here with a JSON
 * error, so the SDK only ever sees activities Teams sent. Local mode (the Agents
 * Playground, unauthenticated by design) still gets the body checks, and a
 * serviceUrl must be on this machine.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../usecases/errors';
import { BotAuthError, serviceUrlAllowed, verifyBotFrameworkRequest, type BotTokenOptions } from './auth/botFrameworkToken';
import { safeJsonReviver } from './jsonBody';

export const BOT_BODY_LIMIT = '256kb';

const ActivityShape = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().max(64).optional(),
  serviceUrl: z.string().max(2048).optional(),
  from: z.looseObject({ id: z.string().max(512).optional(), aadObjectId: z.string().max(128).nullish() }).optional(),
  conversation: z.looseObject({ id: z.string().max(1024) }).optional(),
  text: z.string().max(28_000).optional(),
});

export function botEndpointGuard(opts: { auth?: BotTokenOptions; onRefused?: (reason: string, status: number) => void }): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.method !== 'POST') return next(new AppError(405, 'Only POST is accepted here'));
    if (!req.is('application/json')) return next(new AppError(415, 'Send the activity as application/json'));
    next();
  };
  const parse = express.json({ limit: BOT_BODY_LIMIT, strict: true, reviver: safeJsonReviver });
  const check = async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const shape = ActivityShape.safeParse(req.body);
      if (!shape.success) throw new AppError(400, 'This is not an activity', shape.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      if (opts.auth) {
        await verifyBotFrameworkRequest(req.header('authorization'), req.body, opts.auth);
      } else if (shape.data.serviceUrl !== undefined && !serviceUrlAllowed(shape.data.serviceUrl, [], true)) {
        // Local mode: replies may only go to the Playground on this machine.
        throw new AppError(403, 'The activity serviceUrl is not on this machine');
      }
      next();
    } catch (err) {
      if (err instanceof BotAuthError) {
        opts.onRefused?.(err.message, err.status);
        return next(new AppError(err.status, err.status === 401 ? 'Bot Framework authentication required' : 'Refused'));
      }
      next(err);
    }
  };
  return [requireJson, parse, check];
}
