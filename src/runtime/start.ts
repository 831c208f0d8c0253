/**
 * Starts the whole app: services, seed (local), HTTP server with the bot and
 * tab, background jobs and, in local mode, the Agents Playground.
 */
import http from 'node:http';
import { PUBLIC, withOverrides, type TokenProviderFn } from '@microsoft/teams.api';
import { App, ExpressAdapter } from '@microsoft/teams.apps';
import type { AppConfig, TenantEnv } from '../config/env';
import { registerBot } from '../bot/bot';
import { Scheduler } from '../jobs/scheduler';
import { createJobs } from '../jobs';
import { CardActionRouter } from '../bot/cardActions';
import { registerRebookActions } from '../bot/actions/rebook';
import { registerRecordActions } from '../bot/actions/records';
import { registerDigestActions } from '../bot/actions/digest';
import { createLogger, type Logger } from '../logging';
import type { Clock } from '../ports/clock';
import { seedOrganisation } from '../seed/seed';
import { createHttpApp } from '../server/http';
import { createServices, type Services } from './services';
import { PLAYGROUND_BOT_ID, startPlayground, type PlaygroundHandle } from './playground';
import { teamsLogger } from './teamsLogger';
import { tabTokenOptions } from '../tenant/tabTokens';
import { TeamsNotifier } from '../adapters/teams/notifier';
import { connectorRetry } from '../adapters/teams/connectorRetry';

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
 * The bot's credentials in a tenant. With a client secret, the Teams SDK gets
 * its Bot Framework tokens itself (as it always has). With a certificate only,
 * the SDK cannot use it, so it is given a token provider over the same MSAL
 * client the Graph requests use (src/tenant/appToken.ts), which asks for
 * whatever scope the SDK names. The client's authority is TENANT_ID: the bot is
 * single-tenant, so the SDK's tenant argument is always that tenant.
 */
export function tenantBotCredentials(
  env: Pick<TenantEnv, 'CLIENT_ID' | 'CLIENT_SECRET' | 'CLIENT_CERTIFICATE_PATH' | 'TENANT_ID'> & Partial<Pick<TenantEnv, 'PT_LOGIN_BASE_URL'>>,
  services: Pick<Services, 'appToken'>,
): { clientId: string; tenantId: string; clientSecret?: string; token?: TokenProviderFn } {
  // Another login host than Entra's (a sovereign cloud, the Microsoft 365 simulator) needs the app's own MSAL
  // client, which trusts that host; the SDK's would ask Entra's instance discovery about it.
  const otherLogin = env.PT_LOGIN_BASE_URL !== undefined && env.PT_LOGIN_BASE_URL !== 'https://login.microsoftonline.com';
  if ((env.CLIENT_SECRET || !env.CLIENT_CERTIFICATE_PATH) && !(otherLogin && services.appToken)) return { clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, tenantId: env.TENANT_ID };
  const appToken = services.appToken;
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
  const env = config.env;

  if (env.PT_MODE === 'local' && env.PT_SEED && services.embedded) {
    const seeded = await seedOrganisation(services.embedded.store, services.embedded.calendar, services.clock);
    log.info({ ...seeded }, 'seed organisation ready');
  }

  const tabUrl = `${config.publicUrl}/tab/`;
  let runJobs = async () => undefined as void;
  const expressApp = createHttpApp(services, {
    startedAt,
    tokenOptions: env.PT_MODE === 'tenant' ? tabTokenOptions(env) : undefined,
    runJobs: () => runJobs(),
    // Tenant mode: Graph's change notifications arrive at /api/graph.
    ...(env.PT_MODE === 'tenant' && services.graph ? { graphNotifications: services.graph.notifications } : {}),
  });
  const server = http.createServer(expressApp);
  const local = env.PT_MODE === 'local';
  const playgroundUrl = local ? `http://localhost:${env.PT_PLAYGROUND_PORT}` : undefined;

  const teams = new App({
    httpServerAdapter: new ExpressAdapter(expressApp, { logger: teamsLogger(log) }),
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
    env.PT_MODE === 'tenant' && services.graph
      ? { installer: services.graph.installer, serviceUrl: env.PT_BOT_SERVICE_URL, tenantId: env.TENANT_ID, botId: `28:${env.CLIENT_ID}`, now: () => services.clock.now() }
      : undefined,
  );
  const notify = { notifier, tabUrl };
  const actions = new CardActionRouter();
  registerRebookActions(actions);
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
  log.info({ port: config.port, mode: config.mode }, 'server listening');

  const scheduler = new Scheduler(createJobs(services, notify), env.PT_JOB_INTERVAL_SECONDS * 1000, () => services.clock.now(), log);
  runJobs = () => scheduler.tick();
  scheduler.start();

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
      await services.close();
    },
  };
}
