/**
 * `pt provision --site <url> [--json] [--dry-run]`: creates the SharePoint lists
 * and columns the app needs on its site (src/adapters/sharepoint/provision.ts),
 * idempotently, printing a line per change. Credentials come from the tenant
 * configuration (src/config/env.ts); the token is an app-only Graph token
 * (src/adapters/graph/graphAuth.ts). Wired into `pt` by
 * registerProvisionCommand(program, io) in src/cli/pt.ts.
 */
import type { Command } from 'commander';
import { loadConfig, type TenantEnv } from '../config/env';
import { msalTokenSource, type TokenSource } from '../adapters/graph/graphAuth';
import { GraphHttp } from '../adapters/graph/graphHttp';
import { provisionSite, ProvisionError, type ProvisionSummary } from '../adapters/sharepoint/provision';
import { applyListVersioning, ListVersioningClient } from '../adapters/sharepoint/listVersioning';
import { appCredential, createAppTokenProvider } from '../tenant/appToken';
import { CliFailure, type CliIO } from './program';

export interface ProvisionDeps {
  /** The app-only token; default: client credentials (secret or certificate) through msal-node. */
  tokenSource?: (env: TenantEnv) => TokenSource;
  /** Default https://graph.microsoft.com/v1.0; tests point it at a fake Graph. */
  graphBaseUrl?: string;
  fetch?: typeof fetch;
  /** Backoff for retries (tests shorten it). */
  baseDelayMs?: number;
  /**
   * An app-only token for the SharePoint host (list versioning, through SharePoint's REST API); default:
   * msal-node for that host, unless `tokenSource` is given (then versioning is left to `pt doctor`).
   */
  sharePointTokenSource?: (env: TenantEnv) => TokenSource;
}

export function registerProvisionCommand(program: Command, io: CliIO, deps: ProvisionDeps = {}): Command {
  return program
    .command('provision')
    .description("create the SharePoint lists and columns the app needs on its site (safe to run again; never deletes anything)")
    .option('--site <url>', 'the SharePoint site, e.g. https://contoso.sharepoint.com/sites/protected-time (default: SHAREPOINT_SITE_URL)')
    .option('--dry-run', 'say what would be created, without writing anything')
    .option('--json', 'print JSON')
    .action(async (opts: { site?: string; dryRun?: boolean; json?: boolean }) => {
      const config = loadConfig(io.env, io.cwd);
      if (config.env.PT_MODE !== 'tenant') {
        throw new CliFailure('pt provision needs the tenant configuration (PT_MODE=tenant, TENANT_ID, CLIENT_ID and a credential; docs/tenant-setup.md, section 6)');
      }
      const env = config.env;
      const siteUrl = opts.site ?? env.SHAREPOINT_SITE_URL;
      const json = Boolean(opts.json);
      // With --json, stdout is one JSON document: the progress goes to stderr.
      const progress = (line: string) => (json ? io.err(line + '\n') : io.out(line + '\n'));
      if (opts.site && normalise(opts.site) !== normalise(env.SHAREPOINT_SITE_URL)) {
        progress(`note: --site ${opts.site} is not SHAREPOINT_SITE_URL (${env.SHAREPOINT_SITE_URL}); the app uses SHAREPOINT_SITE_URL`);
      }
      const http = new GraphHttp({
        token: (deps.tokenSource ?? createAppTokenProvider)(env),
        baseUrl: deps.graphBaseUrl ?? env.PT_GRAPH_BASE_URL,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.baseDelayMs !== undefined ? { baseDelayMs: deps.baseDelayMs } : {}),
      });
      let summary: ProvisionSummary;
      try {
        summary = await provisionSite(http, siteUrl, { onProgress: progress, dryRun: Boolean(opts.dryRun) });
      } catch (err) {
        if (err instanceof ProvisionError) throw new CliFailure(`pt provision: ${err.message}`, { ok: false, error: err.message });
        throw err;
      }
      // Item versioning per list (Graph cannot set it): set here when SharePoint's REST API lets the app;
      // a refusal (a client secret: SharePoint takes app-only tokens from certificates only) is reported, not fatal.
      const spToken = deps.sharePointTokenSource?.(env) ?? (deps.tokenSource ? undefined : msalTokenSource(appCredential(env), { authorityHost: env.PT_LOGIN_BASE_URL, defaultScope: ListVersioningClient.scopeFor(env.SHAREPOINT_SITE_URL) }));
      const versioning = spToken
        ? await applyListVersioning(new ListVersioningClient({ siteUrl: env.SHAREPOINT_SITE_URL, ...(env.PT_SHAREPOINT_REST_BASE_URL ? { restBaseUrl: env.PT_SHAREPOINT_REST_BASE_URL } : {}), token: () => spToken.getToken(), ...(deps.fetch ? { fetch: deps.fetch } : {}) }), { dryRun: Boolean(opts.dryRun), onProgress: progress })
        : [];
      if (versioning.some((v) => v.outcome === 'failed')) progress('item versioning could not be set on every list: set it by hand (docs/tenant-setup.md, "List versioning"); pt doctor checks it');
      const result = { ok: summary.problems.length === 0, ...summary, versioning };
      if (summary.problems.length > 0) {
        throw new CliFailure(`${summary.problems.length} problem${summary.problems.length === 1 ? '' : 's'} need an admin:\n${summary.problems.map((p) => `  - ${p}`).join('\n')}`, result);
      }
      if (json) io.out(JSON.stringify(result, null, 2) + '\n');
    });
}

function normalise(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}
