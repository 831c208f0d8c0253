/**
 * Starts the whole app: services, seed (local), HTTP server with the bot and
 * tab, background jobs and, in local mode, the Agents Playground.
 */
import http from 'node:http';
import express from 'express';
import { PUBLIC, withOverrides, type TokenProviderFn } from '@microsoft/teams.api';
import { App, ExpressAdapter } from '@microsoft/teams.apps';
import { isLoopback, type AppConfig, type TenantEnv } from '../config/env';
import { registerBot } from '../bot/bot';
import { Scheduler } from '../jobs/scheduler';
import { createJobs, WORKER_ID } from '../jobs';
import { peopleTeller } from '../bot/peopleNotices';
import type { Teller } from '../usecases/transfer';
import { CardActionRouter } from '../bot/cardActions';
import { registerRebookActions } from '../bot/actions/rebook';
import { registerMoveActions } from '../bot/actions/moves';
import { moveTeller } from '../bot/moveNotices';
import { registerRecordActions } from '../bot/actions/records';
import { registerDigestActions } from '../bot/actions/digest';
import { createLogger, type Logger } from '../logging';
import type { Clock } from '../ports/clock';
import { seedOrganisation } from '../seed/seed';
import { createHttpApp } from '../server/http';
import { createServices, type Services } from './services';
import { PLAYGROUND_BOT_ID, startPlayground, type PlaygroundHandle } from './playground';
import { teamsLogger } from './teamsLogger';
import { tabTokenOptions } from '../server/auth/tabTokens';
import { TeamsNotifier } from '../adapters/teams/notifier';
import { renderMessage } from '../bot/messages';
import { botTokenOptions } from './botAuth';
import { PlannerPool } from '../adapters/workers/plannerPool';
import { connectorRetry } from '../adapters/teams/connectorRetry';

/** How often each instance looks in the notification inbox for deliveries nobody is processing (one queue request on Azure). */
const GRAPH_INBOX_POLL_MS = 15_000;

/**
 * The Playground accepts any bearer token, but the Teams SDK decodes the one it
 * sends, so it must have a JWT's shape. Unsigned: it never leaves this machine.
 */
function localPlaygroundToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: PLAYGROUND_BOT_ID, iat: now, exp: now + 3600 })}.local`;
}

/**
 * The bot's credentials in a tenant: one credential (secret or certificate),
 * used the same way by the bot and by Graph. The Teams SDK is given a token
 * provider over the same MSAL client the Graph requests use
 * (src/tenant/appToken.ts), which asks for whatever scope the SDK names; the
 * SDK never holds the secret itself. The client's authority is TENANT_ID: the
 * bot is single-tenant, so the SDK's tenant argument is always that tenant.
 * Only when no provider was built (tests that inject a token source) does a
 * secret go to the SDK directly.
 */
export function tenantBotCredentials(
  env: Pick<TenantEnv, 'CLIENT_ID' | 'CLIENT_SECRET' | 'CLIENT_CERTIFICATE_PATH' | 'TENANT_ID'> & Partial<Pick<TenantEnv, 'PT_LOGIN_BASE_URL'>>,
  services: Pick<Services, 'appToken'>,
): { clientId: string; tenantId: string; clientSecret?: string; token?: TokenProviderFn } {
  const appToken = services.appToken;
  if (!appToken && (env.CLIENT_SECRET || !env.CLIENT_CERTIFICATE_PATH)) return { clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, tenantId: env.TENANT_ID };
  if (!appToken) throw new Error('CLIENT_CERTIFICATE_PATH is set without CLIENT_SECRET, but no app token provider was built: the bot could not send messages');
  return {
    clientId: env.CLIENT_ID,
    tenantId: env.TENANT_ID,
    // Empty, not absent: the SDK falls back to process.env.CLIENT_SECRET (and its own MSAL client) when this is undefined.
    ...(env.CLIENT_SECRET ? { clientSecret: '' } : {}),
    token: (scope) => appToken.getToken(Array.isArray(scope) ? scope[0] : scope),
  };
}

export interface RunningApp {
  services: Services;
  server: http.Server;
  url: string;
  tabUrl: string;
  playgrounds: PlaygroundHandle[];
  /** The notifier for proactive messages (Teams SDK). */
  notifier: TeamsNotifier;
  stop(): Promise<void>;
}

export async function startApp(config: AppConfig, opts: { log?: Logger; clock?: Clock } = {}): Promise<RunningApp> {
  const log = opts.log ?? createLogger(config.env.PT_LOG_LEVEL);
  const startedAt = new Date();
  const services = await createServices(config, log, opts.clock);
  // Planning runs on worker threads (when running the built app), so a burst of /plan requests does not stall the server.
  const planner = PlannerPool.start();
  if (planner) services.planner = planner;
  const env = config.env;

  if (env.PT_MODE === 'local' && env.PT_SEED && services.embedded) {
    const seeded = await seedOrganisation(services.embedded.store, services.embedded.calendar, services.clock);
    log.info({ ...seeded }, 'seed organisation ready');
  }

  const tabUrl = `${config.publicUrl}/tab/`;
  let runJobs = async () => undefined as void;
  // The Teams SDK registers /api/messages on its own app, mounted behind the bot guard and before the JSON error handler.
  const botApp = express();
  // The notifier needs the bot, which needs the HTTP app: people-change cards go through it once it exists.
  let tell: Teller = async () => undefined;
  // Records in the tab post cards to the other party like the chat does: the notifier exists once Teams is composed below.
  let tabNotify: { notifier: TeamsNotifier; tabUrl: string } | undefined;
  const expressApp = createHttpApp(services, {
    tell: (person, notice) => tell(person, notice),
    workerId: WORKER_ID,
    startedAt,
    bot: botApp,
    botAuth: env.PT_MODE === 'tenant' ? botTokenOptions(env) : undefined,
    notify: () => tabNotify,
    tokenOptions: env.PT_MODE === 'tenant' ? tabTokenOptions(env) : undefined,
    runJobs: () => runJobs(),
    // Tenant mode: Graph's change notifications arrive at /api/graph.
    ...(env.PT_MODE === 'tenant' && services.graph ? { graphNotifications: services.graph.notifications } : {}),
  });
  const server = http.createServer(expressApp);
  const local = env.PT_MODE === 'local';
  const playgroundUrl = local ? `http://localhost:${env.PT_PLAYGROUND_PORT}` : undefined;

  const teams = new App({
    httpServerAdapter: new ExpressAdapter(botApp, { logger: teamsLogger(log) }),
    logger: teamsLogger(log),
    // The connector throttles (429 + Retry-After); the SDK's client does not retry by itself.
    client: { middlewares: [connectorRetry()] },
    ...(local
      ? {
          // The Playground needs no credentials; a fixed id and token let proactive sends work offline.
          clientId: PLAYGROUND_BOT_ID,
          token: () => localPlaygroundToken(),
          dangerouslyAllowUnauthenticatedRequests: true,
          serviceUrl: `${playgroundUrl}/_connector`,
        }
      : {
          ...tenantBotCredentials(env, services),
          dangerouslyAllowUnauthenticatedRequests: false,
          // Conversations the app starts itself (after installing it for someone) go to this service URL.
          serviceUrl: env.PT_BOT_SERVICE_URL,
          // Where inbound Bot Framework tokens are checked: issuer and signing keys, configurable for the simulator.
          cloud: withOverrides(PUBLIC, { loginEndpoint: env.PT_LOGIN_BASE_URL, openIdMetadataUrl: env.PT_BOT_OPENID_METADATA_URL, tokenIssuer: env.PT_BOT_TOKEN_ISSUER }),
        }),
  });
  const notifier = new TeamsNotifier(
    teams,
    services.store,
    log,
    renderMessage,
    env.PT_MODE === 'tenant' && services.graph
      ? { installer: services.graph.installer, serviceUrl: env.PT_BOT_SERVICE_URL, tenantId: env.TENANT_ID, botId: `28:${env.CLIENT_ID}`, now: () => services.clock.now() }
      : undefined,
  );
  const notify = { notifier, tabUrl, moves: moveTeller({ notifier, tabUrl }) };
  tell = peopleTeller(notify);
  tabNotify = notify;
  const actions = new CardActionRouter();
  registerRebookActions(actions);
  registerMoveActions(actions);
  registerRecordActions(actions);
  registerDigestActions(actions);
  registerBot(teams, { services, tabUrl, actions, notify });
  await teams.initialize();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  log.info({ port: config.port, host: config.host, mode: config.mode }, 'server listening');
  if (local && !isLoopback(config.host)) {
    log.warn(
      { host: config.host },
      'LOCAL MODE IS LISTENING BEYOND THIS MACHINE (PT_LOCAL_ALLOW_NETWORK=true): anyone who can reach it can act as any person, read every record and move the clock. Use it only on a network you trust.',
    );
  }

  const scheduler = new Scheduler(createJobs(services, notify), env.PT_JOB_INTERVAL_SECONDS * 1000, () => services.clock.now(), log);
  runJobs = () => scheduler.tick();
  scheduler.start();
  // Tenant mode: every instance takes deliveries from the notification inbox that nobody is processing
  // (stored before a restart, or by an instance that died after answering Graph).
  services.graph?.notifications.startPolling(GRAPH_INBOX_POLL_MS);

  const playgrounds: PlaygroundHandle[] = [];
  if (env.PT_MODE === 'local' && env.PT_PLAYGROUND) {
    try {
      const started = await Promise.allSettled(
        env.PT_PLAYGROUND_AS.map((personId, i) =>
          startPlayground({ personId, port: env.PT_PLAYGROUND_PORT + i, botEndpoint: `http://localhost:${config.port}/api/messages`, dataDir: config.dataDir }),
        ),
      );
      for (const r of started) if (r.status === 'fulfilled') playgrounds.push(r.value);
      const failed = started.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      log.info({ playgrounds: playgrounds.map((p) => ({ as: p.personId, url: p.url })) }, 'agents playground ready');
    } catch (err) {
      await Promise.all(playgrounds.map((p) => p.stop()));
      scheduler.stop();
      await new Promise((r) => server.close(r));
      await services.close();
      throw err;
    }
  }

  return {
    services,
    server,
    url: config.publicUrl,
    tabUrl,
    playgrounds,
    notifier,
    async stop() {
      scheduler.stop();
      await Promise.all(playgrounds.map((p) => p.stop()));
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await planner?.close();
      await services.close();
    },
  };
}
