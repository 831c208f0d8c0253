/**
 * The one schema for the process environment. Everything the app reads from
 * process.env passes through here, so a bad value stops start-up with a message
 * that names the variable instead of failing later somewhere deep.
 */
import path from 'node:path';
import { z } from 'zod';
import { PLAYGROUND_PEOPLE } from './playgroundPeople';
import { azureStorageEnv } from './azureStorageEnv';
import { TEAMS_APP_TENANT_LIMIT_PER_SECOND, TEAMS_DISPATCH_DEFAULT_PER_SECOND } from './teamsLimits';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** https, or http to this machine only (tests and the simulator on loopback); never plain http across a network. */
const httpsUrl = z
  .url({ protocol: /^https?$/, error: 'must be an https URL' })
  .refine((u) => u.startsWith('https:') || isLoopback(new URL(u).hostname), 'must be an https URL (http only for this machine)')
  .transform((u) => u.replace(/\/+$/, ''));
const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

const common = {
  PT_PORT: port.default(3978),
  /** Address to listen on. Local mode: loopback unless PT_LOCAL_ALLOW_NETWORK=true; tenant mode: all interfaces. */
  PT_HOST: z.string().min(1).max(255).optional(),
  /** Base URL users' browsers reach this server on (the tab and links in cards). */
  PT_PUBLIC_URL: z.url().optional(),
  PT_DATA_DIR: z.string().min(1).default('.data'),
  PT_POLICY_DIR: z.string().min(1).default('policies'),
  PT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seed the demo organisation on start (local mode only; idempotent). */
  PT_SEED: bool.default(true),
  /** How often background jobs run, in seconds. */
  PT_JOB_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Scales every per-person request limit (src/server/rateLimit.ts); e.g. 2 doubles them. */
  PT_RATE_LIMIT_MULTIPLIER: z.coerce.number().min(0.1).max(10_000).default(1),
  /** Proactive Teams messages per second the dispatcher allows itself, across all instances (src/config/teamsLimits.ts). */
  PT_TEAMS_MAX_PER_SECOND: z.coerce.number().min(0.1).max(TEAMS_APP_TENANT_LIMIT_PER_SECOND).default(TEAMS_DISPATCH_DEFAULT_PER_SECOND),
  /**
   * Tenant mode: how often, in minutes, one instance reconciles every active relationship
   * (the full sweep that catches whatever change detection missed). Between sweeps the
   * reconcile job looks only at the people whose calendars changed. Local mode sweeps on
   * every run, whatever this says.
   */
  PT_RECONCILE_SWEEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
};

const localSchema = z.object({
  PT_MODE: z.literal('local'),
  ...common,
  /** Start the Microsoft 365 Agents Playground beside the bot. */
  PT_PLAYGROUND: bool.default(true),
  PT_PLAYGROUND_PORT: port.default(56150),
  /** One Playground per person, signed in as them (seed person ids; ports count up from PT_PLAYGROUND_PORT). */
  PT_PLAYGROUND_AS: z
    .string()
    .default('sam-patel,daniel-okafor,helen-carter')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .refine((ids) => ids.length > 0 && ids.every((id) => PLAYGROUND_PEOPLE.includes(id)), {
      message: `must be a comma-separated list of: ${PLAYGROUND_PEOPLE.join(', ')}`,
    }),
  /** Allow the test clock API (local mode only; never in a tenant). */
  PT_TEST_CLOCK: bool.default(true),
  /**
   * Local mode trusts a header for identity and leaves /api/dev and /api/messages open, so it
   * listens on loopback only. Set this to listen on another address (PT_HOST) anyway.
   */
  PT_LOCAL_ALLOW_NETWORK: bool.default(false),
  /** The crash-and-restart tests: die (as a kill -9 would) on reaching this named crash point. Local mode only. */
  PT_TEST_CRASH_AT: z.string().min(1).optional(),
});

const tenantSchema = z.object({
  PT_MODE: z.literal('tenant'),
  ...common,
  PT_PUBLIC_URL: z.url({ protocol: /^https$/, error: 'must be an https URL in tenant mode' }),
  TENANT_ID: guid,
  /** Entra app (client) id of the bot and tab registration. */
  CLIENT_ID: guid,
  /** Either a client secret or a certificate (PEM private key + thumbprint) is required. */
  CLIENT_SECRET: z.string().min(1).optional(),
  CLIENT_CERTIFICATE_PATH: z.string().min(1).optional(),
  CLIENT_CERTIFICATE_THUMBPRINT: z.string().regex(/^[0-9A-Fa-f]{40}$/, 'must be a 40-hex SHA-1 thumbprint').optional(),
  /** Application ID URI the tab requests tokens for, e.g. api://example.org/<client-id>. */
  APPLICATION_ID_URI: z.string().min(1),
  /** SharePoint site holding the app's lists, e.g. https://contoso.sharepoint.com/sites/protected-time */
  SHAREPOINT_SITE_URL: z.url({ protocol: /^https$/ }),
  /**
   * Object id of the Entra group whose members (nested groups included) are the app's people:
   * the directory lists them, and nobody outside it is read or booked (docs/tenant-setup.md, section 2).
   */
  PEOPLE_GROUP_ID: guid,
  /** Teams app id from the manifest (for deep links to the tab). */
  TEAMS_APP_ID: guid,
  /**
   * The app's id in the tenant's app catalog, when it differs from TEAMS_APP_ID (an org app uploaded in the
   * Teams admin centre gets its own; Manage apps > Protected Time > App ID). Used to install the app for
   * people who never opened it, so reminders reach them.
   */
  PT_TEAMS_CATALOG_APP_ID: guid.optional(),
  /**
   * Where Microsoft's services are. The defaults are the public cloud; a sovereign cloud or the
   * Microsoft 365 simulator (`npm run start:tenant-sim`, tests/support/m365sim) sets its own.
   */
  PT_GRAPH_BASE_URL: httpsUrl.default('https://graph.microsoft.com/v1.0'),
  /**
   * Where SharePoint's own REST API is reached for what Graph cannot do (list item versioning, set by
   * `pt provision` and checked by `pt doctor`); default: SHAREPOINT_SITE_URL's host. Tokens are still for that host.
   */
  PT_SHAREPOINT_REST_BASE_URL: httpsUrl.optional(),
  /** Entra ID's login host: app-only tokens come from `<this>/<TENANT_ID>`, the tab's signing keys from its discovery keys. */
  PT_LOGIN_BASE_URL: httpsUrl.default('https://login.microsoftonline.com'),
  /** Bot Framework service URL for conversations the app starts itself (people who never opened the bot). */
  PT_BOT_SERVICE_URL: httpsUrl.default('https://smba.trafficmanager.net/teams'),
  /** OpenID metadata of the Bot Framework token issuer; its signing keys sit beside it (/keys). */
  PT_BOT_OPENID_METADATA_URL: httpsUrl.default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
  /** The issuer (iss) of the tokens the Bot Framework connector sends to /api/messages. */
  PT_BOT_TOKEN_ISSUER: httpsUrl.default('https://api.botframework.com'),
  /** Hosts an activity's serviceUrl may name: Teams' own (commercial, GCC, GCC High, DoD). */
  PT_BOT_SERVICE_URL_HOSTS: z
    .string()
    .default('smba.trafficmanager.net,smba.infra.gcc.teams.microsoft.com,smba.infra.gov.teams.microsoft.us,smba.infra.dod.teams.microsoft.us')
    .transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))
    .refine((hosts) => hosts.length > 0 && hosts.every((h) => /^[a-z0-9.-]+(:\d{1,5})?$/.test(h)), { message: 'must be a comma-separated list of host names (host:port for a port other than 443)' }),
  /** Durable work on Azure Storage when set (src/config/azureStorageEnv.ts). */
  ...azureStorageEnv,
  /**
   * Tests only: this instance stores Graph's deliveries and answers them but never processes
   * them, so a test can kill it between the two without a race (another instance processes them).
   */
  PT_TEST_GRAPH_INBOX_PAUSED: bool.default(false),
});

const envSchema = z
  .discriminatedUnion('PT_MODE', [localSchema, tenantSchema])
  .superRefine((env, ctx) => {
    if (env.PT_MODE === 'tenant' && !env.CLIENT_SECRET && !env.CLIENT_CERTIFICATE_PATH) {
      ctx.addIssue({ code: 'custom', path: ['CLIENT_SECRET'], message: 'set CLIENT_SECRET or CLIENT_CERTIFICATE_PATH (with CLIENT_CERTIFICATE_THUMBPRINT)' });
    }
    if (env.PT_MODE === 'local' && env.PT_HOST !== undefined && !isLoopback(env.PT_HOST) && !env.PT_LOCAL_ALLOW_NETWORK) {
      ctx.addIssue({
        code: 'custom',
        path: ['PT_HOST'],
        message: 'local mode has no sign-in (identity comes from a header), so it listens on loopback only; set PT_LOCAL_ALLOW_NETWORK=true to listen on another address anyway',
      });
    }
    if (env.PT_MODE === 'tenant' && env.CLIENT_CERTIFICATE_PATH && !env.CLIENT_CERTIFICATE_THUMBPRINT) {
      ctx.addIssue({ code: 'custom', path: ['CLIENT_CERTIFICATE_THUMBPRINT'], message: 'required with CLIENT_CERTIFICATE_PATH' });
    }
  });

export type RawEnv = z.infer<typeof envSchema>;
export type LocalEnv = z.infer<typeof localSchema>;
export type TenantEnv = z.infer<typeof tenantSchema>;

export interface AppConfig {
  env: RawEnv;
  mode: 'local' | 'tenant';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  policyDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const input = { PT_MODE: 'local', ...pickDefined(source) };
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || 'PT_MODE';
        const value = source[name];
        const shown = value === undefined ? 'not set' : isSecretName(name) ? 'value hidden' : JSON.stringify(value);
        return `${name} (${shown}): ${issue.message}`;
      }),
    );
  }
  const env = parsed.data;
  return {
    env,
    mode: env.PT_MODE,
    port: env.PT_PORT,
    host: env.PT_HOST ?? (env.PT_MODE === 'local' ? '127.0.0.1' : '0.0.0.0'),
    publicUrl: (env.PT_PUBLIC_URL ?? `http://localhost:${env.PT_PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(cwd, env.PT_DATA_DIR),
    policyDir: path.resolve(cwd, env.PT_POLICY_DIR),
  };
}

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function isSecretName(name: string): boolean {
  return /SECRET|PASSWORD|KEY|CONNECTION_STRING/i.test(name);
}

/** Empty strings count as unset, so `FOO= npm start` falls back to the default. */
function pickDefined(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
