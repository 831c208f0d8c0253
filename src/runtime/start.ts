/**
 * Starts the whole app: services, seed (local), HTTP server with the bot and
 * tab, background jobs and, in local mode, the Agents Playground.
 */
import http from 'node:http';
import { App, ExpressAdapter } from '@microsoft/teams.apps';
import type { AppConfig } from '../config/env';
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

/**
 * The Playground accepts any bearer token, but the Teams SDK decodes the one it
 * sends, so it must have a JWT's shape. Unsigned: it never leaves this machine.
 */
function localPlaygroundToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: PLAYGROUND_BOT_ID, iat: now, exp: now + 3600 })}.local`;
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
  const expressApp = createHttpApp(services, { startedAt, tokenOptions: env.PT_MODE === 'tenant' ? tabTokenOptions(env) : undefined, runJobs: () => runJobs() });
  const server = http.createServer(expressApp);
  const local = env.PT_MODE === 'local';
  const playgroundUrl = local ? `http://localhost:${env.PT_PLAYGROUND_PORT}` : undefined;

  const teams = new App({
    httpServerAdapter: new ExpressAdapter(expressApp, { logger: teamsLogger(log) }),
    logger: teamsLogger(log),
    ...(local
      ? {
          // The Playground needs no credentials; a fixed id and token let proactive sends work offline.
          clientId: PLAYGROUND_BOT_ID,
          token: () => localPlaygroundToken(),
          dangerouslyAllowUnauthenticatedRequests: true,
          serviceUrl: `${playgroundUrl}/_connector`,
        }
      : {
          clientId: env.CLIENT_ID,
          clientSecret: env.CLIENT_SECRET,
          tenantId: env.TENANT_ID,
          dangerouslyAllowUnauthenticatedRequests: false,
        }),
  });
  const notifier = new TeamsNotifier(teams, services.store, log);
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
