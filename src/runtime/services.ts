/**
 * The composition root: picks adapters for the mode and hands the rest of the
 * app the same ports either way. Nothing above this file knows which it got.
 */
import path from 'node:path';
import type { AppConfig } from '../config/env';
import { BriefPeopleCache } from '../adapters/briefPeopleCache';
import { loadPolicies } from '../config/policies';
import type { PolicyPack } from '../domain/policy/schema';
import { openDatabase, type Db } from '../adapters/embedded/db';
import { EmbeddedCalendar } from '../adapters/embedded/calendar';
import { EmbeddedStore } from '../adapters/embedded/store';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { CrashPoint } from '../ports/crashPoints';
import type { LocalStandIns } from '../ports/standIns';
import { systemClock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { QualityStore } from '../ports/quality';
import type { RecordStore } from '../ports/store';
import type { WorkQueue } from '../ports/workQueue';
import { EmbeddedWorkQueue } from '../adapters/embedded/workQueue';
import { EmbeddedQualityStore } from '../adapters/embedded/qualityStore';
import type { Logger } from '../logging';
import { AdjustableClock } from './adjustableClock';
import type { TenantEnv } from '../config/env';
import type { TokenSource } from '../adapters/graph/graphAuth';
import { GraphHttp } from '../adapters/graph/graphHttp';
import { GraphCalendar, type GraphUserRef } from '../adapters/graph/graphCalendar';
import { DirectoryAddresses } from '../adapters/graph/directoryAddresses';
import { GraphDirectory } from '../adapters/graph/graphDirectory';
import { MembershipGatedDirectory, PeopleGroupMembership } from '../adapters/graph/peopleGroupMembership';
import { GraphDirectoryChangeFeed } from '../adapters/graph/graphDirectoryChanges';
import { SharePointStore } from '../adapters/sharepoint/sharepointStore';
import { SharePointWorkQueue } from '../adapters/sharepoint/sharepointWorkQueue';
import { SharePointQualityStore } from '../adapters/sharepoint/sharepointQualityStore';
import { SharePointSubscriptionRegistry } from '../adapters/sharepoint/sharepointSubscriptionRegistry';
import { GraphChangeFeed } from '../adapters/graph/graphChangeFeed';
import { GraphSubscriptionManager } from '../adapters/graph/subscriptions';
import { EmbeddedChangeFeed } from '../adapters/embedded/changeFeed';
import type { CalendarChangeFeed } from '../ports/changeFeed';
import type { DirectoryChangeFeed } from '../ports/directoryChanges';
import { EmbeddedDirectoryChangeFeed } from '../adapters/embedded/directoryChangeFeed';
import type { SubscriptionMaintenance, SubscriptionRegistry } from '../ports/subscriptions';
import { DIRECTORY_EVERY_MS, type JobSchedule } from '../jobs';
import { GraphNotificationReceiver } from '../adapters/graph/notificationReceiver';
import { GraphInbox } from '../adapters/graph/graphInbox';
import { type AppTokenProvider, createAppTokenProvider } from '../tenant/appToken';
import type { PlannerPort } from '../ports/planner';
import { azureDurableWork } from './azureComposition';
import type { AzureStorage } from '../adapters/azure/azureStorage';
import type { LedgerPruning, WorkPruning } from '../ports/ledger';
import { EmbeddedLedgerPruning } from '../adapters/embedded/ledgerPruning';
import { EmbeddedTimeline } from '../adapters/embedded/timeline';
import { EmbeddedUnitOfWork } from '../adapters/embedded/unitOfWork';
import type { UnitOfWork } from '../ports/unitOfWork';
import type { Timeline } from '../ports/timeline';
import { signalChanges } from '../adapters/signallingStore';
import { AzureTokenBucket } from '../adapters/azure/azureTokenBucket';
import { TeamsAppInstaller } from '../adapters/teams/appInstaller';
import type { AgendaStore } from '../ports/agendaStore';
import { EmbeddedAgendaStore } from '../adapters/embedded/agendaStore';
import { SharePointAgendaStore } from '../adapters/sharepoint/sharepointAgendaStore';

export interface Services {
  config: AppConfig;
  log: Logger;
  clock: Clock;
  policies: Map<string, PolicyPack>;
  store: RecordStore;
  /** Session agendas and private notes (issue 18); absent (some tests): the agenda is not offered. */
  agenda?: AgendaStore;
  directory: DirectoryPort;
  calendar: CalendarPort;
  work: WorkQueue;
  /** Where planning runs (worker threads in the running app); absent: inline. */
  planner?: PlannerPort;
  /** Quality-assurance grades (optional: a deployment without it reports no grades and refuses grading). */
  quality?: QualityStore;
  /**
   * Which people's calendars changed since the reconcile job last asked: the
   * embedded calendar's change table (local), Graph change notifications and
   * delta queries (tenant). Absent: the reconcile job relies on its full sweep.
   */
  changeFeed?: CalendarChangeFeed;
  /**
   * Tenant mode only: Graph change notification subscriptions on the calendars
   * in scope (kept by the 'graph-subscriptions' job), the webhook that receives
   * their notifications (mounted at /api/graph), and the registry both use.
   */
  graph?: { subscriptions: GraphSubscriptionManager; notifications: GraphNotificationReceiver; registry: SubscriptionRegistry; installer: TeamsAppInstaller };
  /**
   * Tenant mode only, when the app's own credentials are in use: app-only tokens
   * for any audience from the same MSAL client the Graph requests use (the bot
   * takes its Bot Framework tokens from it when the app has a certificate rather
   * than a secret).
   */
  appToken?: AppTokenProvider;
  /**
   * Who joined or left the people group, and whose manager changed: the
   * embedded directory's snapshot (local), Graph delta queries (tenant).
   * Absent: directory changes go unnoticed.
   */
  directoryChanges?: DirectoryChangeFeed;
  /**
   * Relationship timelines (local mode: SQLite; tenant mode with Azure Storage):
   * reminders judge only relationships that changed or fell due. Absent (tenant
   * mode on SharePoint alone): the reminders job sweeps everyone.
   */
  timeline?: Timeline;
  /** Groups a wake-up cycle's writes (embedded: one SQLite transaction); absent: each write on its own. */
  unitOfWork?: UnitOfWork;
  /** Deletes claims past their repeat period (absent where the ledger cannot delete: SharePoint lists). */
  pruning?: LedgerPruning;
  /** Deletes finished work items past their retention and run-out leases (absent on SharePoint lists, likewise). */
  workPruning?: WorkPruning;
  /** The Teams send budget shared by every instance (tenant mode with Azure Storage); absent: each process limits itself. */
  sendBudget?: { take(): Promise<void> };
  /** Tenant mode with PT_AZURE_STORAGE_CONNECTION_STRING: the account durable work lives in. */
  azure?: AzureStorage;
  /** Tenant mode: the Graph subscriptions the 'graph-subscriptions' job keeps (the same manager as graph.subscriptions). */
  calendarSubscriptions?: SubscriptionMaintenance;
  /** Tenant mode: how often the costly periodic jobs run, one instance per period (absent: every run). */
  schedule?: JobSchedule;
  /** Local mode with PT_TEST_CRASH_AT: what reaching a named crash point does (absent: nothing). */
  crashPoint?: CrashPoint;
  /** Local mode only: stand-ins for Outlook and the passing of time (/api/dev). */
  standIns?: LocalStandIns;
  /** Local mode only: the embedded adapters, for seeding and simulation. */
  embedded?: { db: Db; store: EmbeddedStore; calendar: EmbeddedCalendar; clock?: AdjustableClock };
  close(): Promise<void>;
}

/** The crash tests' fault: on reaching `point`, die at once, as a kill -9 would (no cleanup, no flush). */
function dieAt(point: string): CrashPoint {
  return (reached) => {
    if (reached === point) process.kill(process.pid, 'SIGKILL');
  };
}

const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function databaseFile(config: AppConfig): string {
  return path.join(config.dataDir, 'protected-time.sqlite');
}

/**
 * What tenant mode reaches the outside world through, for tests to replace
 * (a fake Graph, a fixed token). Production passes none; local mode ignores them.
 */
export interface ServiceDeps {
  /** Graph's base URL (default https://graph.microsoft.com/v1.0). */
  graphBaseUrl?: string;
  /** App-only Graph tokens (default: client credentials from the environment through msal-node). */
  tokenSource?: TokenSource;
  fetch?: typeof fetch;
  /** First backoff step of Graph retries, in ms (default 1 s). */
  graphBaseDelayMs?: number;
  /** How long the directory listing behind calendar address lookups is reused, in ms (default 10 minutes). */
  peopleCacheMs?: number;
  /** How long a person looked up by id (Entra and the app's profile) is reused, in ms (default 1 minute; 0: not kept). */
  personCacheMs?: number;
  /** The clientState secret of each new Graph subscription (default: random). */
  newClientState?: () => string;
}

export async function createServices(config: AppConfig, log: Logger, clock: Clock = systemClock, deps: ServiceDeps = {}): Promise<Services> {
  const policies = loadPolicies(config.policyDir);
  log.info({ packs: [...policies.keys()] }, 'policy packs loaded');
  if (config.env.PT_MODE === 'tenant') return tenantServices(config, config.env, log, clock, policies, deps);
  const db = openDatabase(databaseFile(config));
  const store = new EmbeddedStore(db);
  // Local mode may run on a movable clock (PT_TEST_CLOCK) so demos and tests can fast-forward.
  const adjustable = clock === systemClock && config.env.PT_MODE === 'local' && config.env.PT_TEST_CLOCK ? new AdjustableClock(store) : undefined;
  if (adjustable) clock = adjustable;
  const calendar = new EmbeddedCalendar(db, clock);
  const timeline = new EmbeddedTimeline(db);
  const work = new EmbeddedWorkQueue(db);
  return {
    config, log, clock, policies, store: signalChanges(store, timeline, clock, log), agenda: new EmbeddedAgendaStore(db), directory: store, calendar, work,
    timeline,
    quality: new EmbeddedQualityStore(db),
    changeFeed: new EmbeddedChangeFeed(db),
    directoryChanges: new EmbeddedDirectoryChangeFeed(store),
    pruning: new EmbeddedLedgerPruning(db),
    workPruning: work,
    unitOfWork: new EmbeddedUnitOfWork(db),
    embedded: { db, store, calendar, clock: adjustable },
    standIns: { attendees: calendar, ...(adjustable ? { clock: adjustable } : {}) },
    ...(config.env.PT_MODE === 'local' && config.env.PT_TEST_CRASH_AT ? { crashPoint: dieAt(config.env.PT_TEST_CRASH_AT) } : {}),
    async close() {
      db.close();
    },
  };
}

/**
 * Tenant mode: Microsoft Graph for people (Entra ID) and calendars (Exchange),
 * SharePoint lists for records and durable work. Nothing here calls the network:
 * the token is fetched on the first Graph request (and cached by MSAL), the site
 * and list ids on the first SharePoint one. A person's id is their Entra object id.
 */
function tenantServices(config: AppConfig, env: TenantEnv, log: Logger, clock: Clock, policies: Map<string, PolicyPack>, deps: ServiceDeps): Services {
  // Reads CLIENT_CERTIFICATE_PATH now (a bad certificate stops start-up, naming the variable); asks Entra later.
  const appToken = deps.tokenSource ? undefined : createAppTokenProvider(env);
  const token = deps.tokenSource ?? appToken!;
  const http = new GraphHttp({
    token,
    baseUrl: deps.graphBaseUrl ?? env.PT_GRAPH_BASE_URL,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.graphBaseDelayMs !== undefined ? { baseDelayMs: deps.graphBaseDelayMs } : {}),
  });
  const site = { siteUrl: env.SHAREPOINT_SITE_URL };
  // With an Azure Storage account, durable work lives there and SharePoint keeps what people own.
  const azure = azureDurableWork(env);
  const sharePointStore = new SharePointStore({ http, site });
  const store = azure ? azure.wrap(sharePointStore) : sharePointStore;
  const work = azure?.work ?? new SharePointWorkQueue({ http, site });
  // People looked up by id are kept a minute: card actions must not spend their budget re-reading them.
  const entraDirectory = new BriefPeopleCache(new GraphDirectory({ http, peopleGroupId: env.PEOPLE_GROUP_ID, profileLookup: (aadObjectId) => store.profileFor(aadObjectId) }), deps.personCacheMs ?? 60_000);
  // Sign-in and roles follow the people group (src/adapters/graph/peopleGroupMembership.ts).
  const directory = new MembershipGatedDirectory(entraDirectory, new PeopleGroupMembership(http, env.PEOPLE_GROUP_ID));
  const addresses = new DirectoryAddresses(entraDirectory, deps.peopleCacheMs ?? 10 * 60_000);
  const calendar = new GraphCalendar({ http, resolveUser: (personId) => addresses.user(personId), resolvePerson: (ref) => addresses.personId(ref) });
  const quality = new SharePointQualityStore({ http, site });

  // Change detection: subscriptions on the calendars in scope (the 'graph-subscriptions' job decides the
  // scope and keeps them), their webhook, and the feed that turns marks and delta rounds into changed people.
  const registry = azure?.registry ?? new SharePointSubscriptionRegistry({ http, site });
  // Subscriptions and delta rounds name a mailbox by its Entra object id alone, which in a tenant is the
  // person id: no directory lookup per person (the hourly delta sweep of 2,000 people would otherwise cost
  // thousands of requests an hour). Someone without a mailbox fails at Graph, is logged, and is tried again.
  const resolveUser = async (personId: string): Promise<GraphUserRef> => {
    if (!ENTRA_OBJECT_ID.test(personId)) throw new Error(`person ${personId} is not an Entra object id`);
    return { id: personId, mail: '' };
  };
  const subscriptions = new GraphSubscriptionManager({ http, registry, resolveUser, publicUrl: config.publicUrl, log, ...(deps.newClientState ? { newClientState: deps.newClientState } : {}) });
  // A test hook: said loudly, since an instance started with it never processes the change notifications it answers.
  if (env.PT_TEST_GRAPH_INBOX_PAUSED) log.warn({ event: 'graph-notifications' }, 'PT_TEST_GRAPH_INBOX_PAUSED is set: this instance stores and answers change notifications but never processes them (tests only)');
  const notifications = new GraphNotificationReceiver({
    registry,
    tenantId: env.TENANT_ID,
    clock,
    log,
    onLifecycle: (subscriptionId, event, now) => subscriptions.handleLifecycle(subscriptionId, event, now),
    // Answer Graph within its 3 s whatever the store's latency: store the delivery, answer, then process.
    // With Azure Storage on a queue every instance takes from (one dying after its answer loses nothing);
    // without, in PT_DATA_DIR (one instance, on a persistent disk).
    inbox: azure?.inbox ?? new GraphInbox(path.join(config.dataDir, 'graph-inbox')),
    paused: env.PT_TEST_GRAPH_INBOX_PAUSED,
  });
  const changeFeed = new GraphChangeFeed({
    http,
    registry,
    resolveUser,
    // The feed sweeps whoever has a subscription: the scope the subscription job keeps.
    scope: async () => [...new Set((await registry.list()).map((r) => r.personId))],
    // First rounds read a person's whole window: at most this many a run, so a cold start spreads over a few runs.
    maxSweepPerCall: 200,
    log,
  });
  // Directory changes (joiners, leavers, new managers) by delta queries; their links kept beside the calendar cursors.
  const directoryChanges = new GraphDirectoryChangeFeed({
    http,
    peopleGroupId: env.PEOPLE_GROUP_ID,
    cursors: {
      get: async (key) => (await registry.getDelta(key))?.deltaLink,
      set: (key, deltaLink) => registry.saveDelta({ personId: key, deltaLink }),
    },
  });
  log.info({ site: env.SHAREPOINT_SITE_URL, peopleGroupId: env.PEOPLE_GROUP_ID, durableWork: azure ? `Azure Storage (${azure.storage.prefix}*)` : 'SharePoint lists' }, 'tenant mode: Entra directory and Exchange calendars through Graph, records in SharePoint');
  return {
    config, log, clock, policies, store, directory, calendar, work, quality, changeFeed, directoryChanges,
    agenda: new SharePointAgendaStore({ http, site }),
    calendarSubscriptions: subscriptions,
    schedule: { reconcileSweepMs: env.PT_RECONCILE_SWEEP_MINUTES * 60_000, directoryChangesMs: DIRECTORY_EVERY_MS },
    graph: { subscriptions, notifications, registry, installer: new TeamsAppInstaller({ http, catalogAppId: env.PT_TEAMS_CATALOG_APP_ID ?? env.TEAMS_APP_ID, manifestAppId: env.TEAMS_APP_ID }) },
    ...(appToken ? { appToken } : {}),
    ...(azure ? { azure: azure.storage, pruning: azure.pruning, workPruning: azure.workPruning, timeline: azure.timeline, store: signalChanges(store, azure.timeline, clock, log), sendBudget: new AzureTokenBucket(azure.storage, { perSecond: env.PT_TEAMS_MAX_PER_SECOND }) } : {}),
    async close() {
      // Lifecycle actions started after answering Graph, and deliveries being processed, finish first;
      // nothing else is held open (HTTP connections close themselves, MSAL's cache is in memory).
      notifications.stop();
      await notifications.drain();
    },
  };
}
