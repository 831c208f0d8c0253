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
import type { TokenSource } from '../adapters/graph/graphAuth';
import { GraphHttp } from '../adapters/graph/graphHttp';
import { provisionSite, ProvisionError, type ProvisionSummary } from '../adapters/sharepoint/provision';
import { createAppTokenProvider } from '../tenant/appToken';
import { CliFailure, type CliIO } from './program';

export interface ProvisionDeps {
  /** The app-only token; default: client credentials (secret or certificate) through msal-node. */
  tokenSource?: (env: TenantEnv) => TokenSource;
  /** Default https://graph.microsoft.com/v1.0; tests point it at a fake Graph. */
  graphBaseUrl?: string;
  fetch?: typeof fetch;
  /** Backoff for retries (tests shorten it). */
  baseDelayMs?: number;
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
      const result = { ok: summary.problems.length === 0, ...summary };
      if (summary.problems.length > 0) {
        throw new CliFailure(`${summary.problems.length} problem${summary.problems.length === 1 ? '' : 's'} need an admin:\n${summary.problems.map((p) => `  - ${p}`).join('\n')}`, result);
      }
      if (json) io.out(JSON.stringify(result, null, 2) + '\n');
    });
}

function normalise(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}
