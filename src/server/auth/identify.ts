/**
 * Works out who is calling the tab API. Local mode: the "sign in as" picker
 * sends the chosen seed person's id in a header (never accepted in a tenant).
 * Tenant mode: an Entra access token, validated, mapped to a person by object id.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Person } from '../../domain/model';
import type { AppConfig } from '../../config/env';
import type { DirectoryPort } from '../../ports/directory';
import { AppError as HttpError } from '../../usecases/errors';
import { TokenError, verifyEntraToken, type EntraTokenOptions } from './entraToken';

/** What identifying a caller reads: the mode (local trusts a header) and the directory. */
export interface IdentifyDeps {
  config: Pick<AppConfig, 'mode'>;
  directory: DirectoryPort;
}

export const LOCAL_USER_HEADER = 'x-pt-local-user';

declare module 'express-serve-static-core' {
  interface Request {
    person?: Person;
  }
}

export { AppError as HttpError } from '../../usecases/errors';

export function identify(services: IdentifyDeps, tokenOptions?: EntraTokenOptions) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    // Already identified earlier on this request (the planning routes' rate limit needs the person first).
    if (req.person) return next();
    try {
      if (services.config.mode === 'local') {
        const id = req.header(LOCAL_USER_HEADER);
        if (!id) throw new HttpError(401, 'Choose who to sign in as');
        const person = await services.directory.getPerson(id);
        if (!person) throw new HttpError(401, 'Unknown person');
        req.person = person;
        return next();
      }
      const auth = req.header('authorization') ?? '';
      const match = /^Bearer (.+)$/.exec(auth);
      if (!match || !tokenOptions) throw new HttpError(401, 'Sign-in required');
      const user = await verifyEntraToken(match[1]!, tokenOptions);
      const person = await services.directory.findByAadObjectId(user.aadObjectId);
      if (!person) throw new HttpError(403, 'Your account is not set up in Protected Time');
      req.person = person;
      next();
    } catch (err) {
      next(err instanceof TokenError ? new HttpError(401, 'Sign-in expired or invalid') : err);
    }
  };
}
