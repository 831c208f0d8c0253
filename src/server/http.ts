/**
 * One HTTP server for everything: the bot endpoint (/api/messages, owned by the
 * Teams SDK), the tab (static files under /tab), its JSON API (/api/v1) and
 * /healthz. Errors become JSON with a clear message; nothing sensitive is logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { formatZodError } from '../domain/policy/validate';
import type { Services } from '../runtime/services';
import { AppError } from '../usecases/errors';
import { identify } from './auth/identify';
import type { EntraTokenOptions } from './auth/entraToken';
import { privateApi, publicApi } from './api';
import { agreementRoutes, bookingRoutes } from './routes/booking';
import { complianceRoutes } from './routes/compliance';
import { devRoutes } from './routes/dev';
import { type GraphNotificationReceiver, graphNotificationRoutes } from './routes/graphNotifications';
import { recordRoutes } from './routes/records';
import { todoRoutes } from './routes/todo';
import { staticTab } from './staticTab';
import { recordCardRoutes } from './routes/recordCards';
import type { NotifyContext } from '../usecases/rebooking';

export const TAB_DIR = path.resolve(__dirname, '..', 'tab');

export function createHttpApp(services: Services, opts: { tokenOptions?: EntraTokenOptions; startedAt: Date; runJobs?: () => Promise<void>; graphNotifications?: GraphNotificationReceiver; notify?: () => NotifyContext | undefined }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // The tab is framed by Teams, Outlook and the Microsoft 365 app; nothing else.
    res.setHeader(
      'Content-Security-Policy',
      "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://outlook.office.com https://outlook.office365.com https://*.office.com https://*.microsoft365.com http://localhost:*",
    );
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', mode: services.config.mode, uptimeSeconds: Math.round((Date.now() - opts.startedAt.getTime()) / 1000), policies: services.policies.size });
  });

  app.get('/', (_req, res) => res.redirect('/tab/'));
  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  if (fs.existsSync(TAB_DIR)) {
    app.use('/tab', staticTab(TAB_DIR));
  } else {
    app.use('/tab', (_req, res) => res.status(503).type('text').send('The tab has not been built: run `npm run build`.'));
  }

  // Graph change notifications (tenant mode): outside /api/v1, no user auth; Graph proves itself with clientState.
  if (opts.graphNotifications) app.use('/api/graph', graphNotificationRoutes(opts.graphNotifications));
  if (services.config.mode === 'local') {
    app.use('/api/dev', express.json({ limit: '16kb' }), devRoutes(services, opts.runJobs ?? (async () => undefined)));
  }
  app.use('/api/v1', express.json({ limit: '256kb' }), publicApi(services));
  app.use('/api/v1', identify(services, opts.tokenOptions), privateApi(services), bookingRoutes(services), agreementRoutes(services), recordRoutes(services), complianceRoutes(services), todoRoutes(services, opts.notify), recordCardRoutes(services, opts.notify ?? (() => undefined)));
  app.use('/api/v1', (_req, res) => res.status(404).json({ error: 'Not found' }));

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError) return void res.status(err.status).json({ error: err.message, details: err.details });
    if (err instanceof ZodError) {
      // Field by field, so the tab can show each reason next to its input.
      const fields = err.issues.map((i) => ({ field: i.path.map(String).join('.'), rule: i.code, message: i.message }));
      const first = fields[0];
      return void res.status(400).json({ error: first ? `Please check ${first.field || 'the form'}: ${first.message}` : 'Invalid request', details: formatZodError(err), fields });
    }
    if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.parse.failed') {
      return void res.status(400).json({ error: 'Body is not valid JSON' });
    }
    services.log.error({ err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err), path: req.path }, 'request failed');
    res.status(500).json({ error: 'Something went wrong' });
  });
  return app;
}
