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
import type { AppConfig } from '../config/env';
import type { Log } from '../ports/log';
import type { LocalStandIns } from '../ports/standIns';
import type { RecordsDeps } from '../usecases/records';
import type { ComplianceDeps } from '../usecases/compliance';
import type { InspectionDeps } from '../usecases/inspection';
import type { IdentifyDeps } from './auth/identify';
import type { ApiDeps } from './api';
import type { BookingRoutesDeps } from './routes/booking';
import type { TodoRoutesDeps } from './routes/todo';
import type { RecordCardRoutesDeps } from './routes/recordCards';
import type { PeopleChangeRoutesDeps } from './routes/peopleChanges';
import type { DevDeps } from './routes/dev';
import type { DevDirectoryDeps } from './routes/devDirectory';
import { AppError } from '../usecases/errors';
import { identify } from './auth/identify';
import type { EntraTokenOptions } from './auth/entraToken';
import { privateApi, publicApi } from './api';
import { agreementRoutes, bookingRoutes } from './routes/booking';
import { complianceRoutes } from './routes/compliance';
import { inspectionRoutes } from './routes/inspection';
import { devRoutes } from './routes/dev';
import { devDirectoryRoutes } from './routes/devDirectory';
import { peopleChangeRoutes } from './routes/peopleChanges';
import type { Teller } from '../usecases/transfer';
import type { GraphNotificationReceiver } from '../adapters/graph/notificationReceiver';
import { graphNotificationRoutes } from './routes/graphNotifications';
import { recordRoutes } from './routes/records';
import { agendaRoutes, type AgendaRoutesDeps } from './routes/agenda';
import { todoRoutes } from './routes/todo';
import { staticTab } from './staticTab';
import { recordCardRoutes } from './routes/recordCards';
import type { NotifyContext } from '../usecases/rebooking';
import type { BotTokenOptions } from './auth/botFrameworkToken';
import { botEndpointGuard } from './botGuard';
import { describeRequestError, jsonBody } from './jsonBody';
import { botSenderKey, rateLimit, scaledLimits, type RateLimitSettings } from './rateLimit';

/** What the HTTP app reaches: the ports of every route it mounts, and its own settings and log. */
export type HttpDeps = IdentifyDeps &
  ApiDeps &
  BookingRoutesDeps &
  RecordsDeps &
  ComplianceDeps &
  InspectionDeps &
  TodoRoutesDeps &
  RecordCardRoutesDeps &
  PeopleChangeRoutesDeps &
  DevDeps &
  DevDirectoryDeps &
  AgendaRoutesDeps & {
    config: AppConfig;
    log: Log;
    /** Local mode: stand-ins for Outlook and the passing of time (/api/dev). */
    standIns?: LocalStandIns;
  };

export const TAB_DIR = path.resolve(__dirname, '..', 'tab');

export interface HttpAppOptions {
  tokenOptions?: EntraTokenOptions;
  startedAt: Date;
  runJobs?: () => Promise<void>;
  graphNotifications?: GraphNotificationReceiver;
  /**
   * Where the Teams SDK registers /api/messages (an express app mounted here,
   * behind the bot guard and before the JSON error handler). Without one, the
   * guard still answers, and a request it lets through gets a JSON 404.
   */
  bot?: express.Express;
  /** Tenant mode: how a Bot Framework token is checked (required in a tenant: without it /api/messages refuses everything). */
  botAuth?: BotTokenOptions;
  /** Per-caller rate limits (defaults: DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<RateLimitSettings>;
  /** How people-change notices reach people (the bot, once it exists). */
  tell?: Teller;
  workerId?: string;
  /** Records in the tab tell the other party in Teams, as the chat does (the notifier, once Teams is composed). */
  notify?: () => NotifyContext | undefined;
}

export function createHttpApp(services: HttpDeps, opts: HttpAppOptions): express.Express {
  const app = express();
  const limits = { ...scaledLimits(services.config.env.PT_RATE_LIMIT_MULTIPLIER), ...opts.rateLimits };
  app.disable('x-powered-by');
  // Express shows stack traces in its own error pages unless told it is in production; we never want that.
  app.set('env', 'production');
  // The tab is framed by Teams, Outlook and the Microsoft 365 app; nothing else (local hosts only in local mode, for the Playground).
  const frameAncestors = `frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://outlook.office.com https://outlook.office365.com https://*.office.com https://*.microsoft365.com${services.config.mode === 'local' ? ' http://localhost:*' : ''}`;
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', frameAncestors);
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
  if (opts.graphNotifications) app.use('/api/graph', rateLimit(limits.graph, () => undefined), graphNotificationRoutes(opts.graphNotifications));
  // Only Bot Framework channel tokens reach the Teams SDK (src/server/botGuard.ts); in a tenant with no botAuth, nothing does.
  const tenant = services.config.mode === 'tenant';
  app.use(
    '/api/messages',
    tenant && !opts.botAuth ? (_req: Request, _res: Response, next: NextFunction) => next(new AppError(401, 'Bot Framework authentication required')) : (_req: Request, _res: Response, next: NextFunction) => next(),
    ...botEndpointGuard({
      auth: opts.botAuth,
      onRefused: (reason, status) => services.log.warn({ event: 'bot.refused', status, reason }, 'bot endpoint refused a request'),
    }),
    rateLimit(limits.bot, botSenderKey),
  );
  if (opts.bot) app.use(opts.bot);
  if (services.config.mode === 'local') {
    const standIns = services.standIns;
    app.use('/api/dev', jsonBody('16kb'), ...(standIns ? [devRoutes(services, standIns, opts.runJobs ?? (async () => undefined))] : []), devDirectoryRoutes(services));
  }
  app.use('/api/v1', jsonBody('256kb'), publicApi(services));
  const personKey = (req: Request) => (req.person ? `person:${req.person.id}` : undefined);
  app.use(['/api/v1/plan', '/api/v1/series', '/api/v1/urgent'], identify(services, opts.tokenOptions), rateLimit(limits.planning, personKey));
  app.use('/api/v1', identify(services, opts.tokenOptions), rateLimit(limits.api, personKey), privateApi(services), bookingRoutes(services, opts.notify), agreementRoutes(services), recordRoutes(services), complianceRoutes(services), inspectionRoutes(services), todoRoutes(services, opts.notify), recordCardRoutes(services, opts.notify ?? (() => undefined)), agendaRoutes(services));
  app.use('/api/v1', peopleChangeRoutes(services, { tell: opts.tell ?? (async () => undefined), workerId: opts.workerId ?? `http-${process.pid}` }));
  app.use('/api/v1', (_req, res) => res.status(404).json({ error: 'Not found' }));
  // Anything else: a JSON 404, never Express's HTML page.
  app.use((_req, res) => res.status(404).json({ error: 'Not found' }));

  // Production error handling: every error is JSON; stacks and paths are logged, never sent.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void res.end();
    if (err instanceof AppError) return void res.status(err.status).json({ error: err.message, details: err.details });
    if (err instanceof ZodError) {
      // Field by field, so the tab can show each reason next to its input.
      const fields = err.issues.map((i) => ({ field: i.path.map(String).join('.'), rule: i.code, message: i.message }));
      const first = fields[0];
      return void res.status(400).json({ error: first ? `Please check ${first.field || 'the form'}: ${first.message}` : 'Invalid request', details: formatZodError(err), fields });
    }
    // The planner's queue is full (src/adapters/workers/plannerPool.ts): busy, not broken.
    if (err instanceof Error && err.name === 'PlannerQueueFullError') return void res.status(503).setHeader('Retry-After', '5').json({ error: err.message });
    const known = describeRequestError(err);
    if (known && known.status < 500) return void res.status(known.status).json({ error: known.error });
    services.log.error({ err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err), path: safePath(req) }, 'request failed');
    res.status(500).json({ error: 'Something went wrong' });
  });
  return app;
}

/** The request path for a log line (a path that is not valid percent-encoding is logged raw, cut short). */
function safePath(req: Request): string {
  try {
    return req.path.slice(0, 200);
  } catch {
    return String(req.url).slice(0, 200);
  }
}
