/**
 * Item versioning of the app's SharePoint lists, set deliberately (#21).
 *
 * SharePoint keeps a version of a list item each time it is written. For the
 * lists holding case detail that would keep every earlier wording of a record
 * beyond the record's own versions (which the app keeps, signed, in
 * pt-record-versions); for work state rewritten every minute it only piles up.
 * Who changed an arrangement or a session, and when, is worth keeping.
 *
 * Microsoft Graph v1.0 cannot read or set a list's versioning (the `list`
 * resource has no such property), so this uses SharePoint's own REST API on
 * the site: GET/MERGE `_api/web/lists/getbytitle('<list>')` with
 * `EnableVersioning` and `MajorVersionLimit` (SP.List). It needs an app-only
 * token for the SharePoint host (`https://<tenant>.sharepoint.com/.default`);
 * SharePoint accepts app-only tokens from a certificate credential, not a
 * client secret (docs/tenant-setup.md says so).
 */
import { z } from 'zod';
import { LIST_SCHEMA, type ListSpec } from './listSchema';

export interface VersioningSetting {
  enabled: boolean;
  /** Major versions kept, when enabled. */
  majorVersionLimit?: number;
}

/** Lists rewritten as work goes on (leases, outbox, delta tokens, ledger, references): versions only pile up. */
const WORK_STATE = new Set(['pt-leases', 'pt-outbox', 'pt-calendar-delta', 'pt-subscriptions', 'pt-conversations', 'pt-ledger', 'pt-reminders', 'pt-card-messages']);
/** History kept where it is worth having and holds no case detail. */
export const KEPT_VERSIONS = 50;

/** The versioning each list should have: none where case detail or work state lives, else 50 major versions. */
export function versioningFor(list: Pick<ListSpec, 'name' | 'holdsCaseDetail'>): VersioningSetting {
  if (list.holdsCaseDetail || WORK_STATE.has(list.name)) return { enabled: false };
  return { enabled: true, majorVersionLimit: KEPT_VERSIONS };
}

export const LIST_VERSIONING: readonly { name: string; want: VersioningSetting }[] = LIST_SCHEMA.map((l) => ({ name: l.name, want: versioningFor(l) }));

export function versioningMatches(have: VersioningSetting, want: VersioningSetting): boolean {
  if (have.enabled !== want.enabled) return false;
  return !want.enabled || want.majorVersionLimit === undefined || have.majorVersionLimit === want.majorVersionLimit;
}

export function describeVersioning(v: VersioningSetting): string {
  return v.enabled ? `on${v.majorVersionLimit !== undefined ? `, ${v.majorVersionLimit} major versions` : ''}` : 'off';
}

const SpList = z.object({ EnableVersioning: z.boolean(), MajorVersionLimit: z.number().int().nonnegative() });

export interface SharePointRestOptions {
  /** The site's URL (SHAREPOINT_SITE_URL). */
  siteUrl: string;
  /** Where SharePoint's REST API is reached (default: the site URL's origin; the simulator sets its own). */
  restBaseUrl?: string;
  /** An app-only token for the SharePoint host. */
  token: () => Promise<string>;
  fetch?: typeof fetch;
}

export class SharePointRestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The two SharePoint REST calls versioning needs, on the app's site. */
export class ListVersioningClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: SharePointRestOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The scope of the token this needs: the SharePoint host's .default. */
  static scopeFor(siteUrl: string): string {
    return `${new URL(siteUrl).origin}/.default`;
  }

  private listUrl(name: string): string {
    const site = new URL(this.options.siteUrl);
    const base = (this.options.restBaseUrl ?? site.origin).replace(/\/+$/, '');
    // getbytitle takes the list's title; ours are the same as their URL names. Quotes double in OData strings.
    return `${base}${site.pathname.replace(/\/+$/, '')}/_api/web/lists/getbytitle('${encodeURIComponent(name.replace(/'/g, "''"))}')`;
  }

  /**
   * One request, tried again when SharePoint throttles (429, 503: after its Retry-After, at most 10 s)
   * or the connection fails, as Microsoft's throttling guidance asks; up to `attempts` in all.
   * Both calls are safe to repeat (a read, and a MERGE of fixed values).
   */
  private async send(url: string, init: () => Promise<RequestInit>, attempts = 5): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let res: Response | undefined;
      try {
        res = await this.fetch(url, { ...(await init()), signal: AbortSignal.timeout(15_000) });
      } catch (err) {
        if (attempt >= attempts) throw err;
      }
      if (res && !(res.status === 429 || res.status === 503 || res.status === 504)) return res;
      if (res && attempt >= attempts) return res;
      const retryAfter = Number(res?.headers.get('retry-after'));
      await res?.arrayBuffer().catch(() => undefined);
      const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 10_000) : Math.min(250 * 2 ** attempt, 5_000);
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }

  async get(name: string): Promise<VersioningSetting> {
    const res = await this.send(`${this.listUrl(name)}?$select=EnableVersioning,MajorVersionLimit`, async () => ({
      headers: { authorization: `Bearer ${await this.options.token()}`, accept: 'application/json;odata=nometadata' },
    }));
    if (!res.ok) throw new SharePointRestError(`GET list ${name}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`, res.status);
    const body = SpList.parse(await res.json());
    return { enabled: body.EnableVersioning, ...(body.EnableVersioning ? { majorVersionLimit: body.MajorVersionLimit } : {}) };
  }

  async set(name: string, want: VersioningSetting): Promise<void> {
    const res = await this.send(this.listUrl(name), async () => ({
      method: 'POST',
      headers: {
        authorization: `Bearer ${await this.options.token()}`,
        accept: 'application/json;odata=nometadata',
        'content-type': 'application/json;odata=nometadata',
        'x-http-method': 'MERGE',
        'if-match': '*',
      },
      body: JSON.stringify({ EnableVersioning: want.enabled, ...(want.enabled && want.majorVersionLimit !== undefined ? { MajorVersionLimit: want.majorVersionLimit } : {}) }),
    }));
    if (!res.ok) throw new SharePointRestError(`MERGE list ${name}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`, res.status);
  }
}

export interface VersioningReport {
  name: string;
  want: VersioningSetting;
  have?: VersioningSetting;
  outcome: 'up to date' | 'set' | 'would set' | 'failed';
  problem?: string;
}

/** Reads each app list's versioning and sets what differs (unless `dryRun`). One failure never stops the rest. */
export async function applyListVersioning(client: ListVersioningClient, options: { dryRun?: boolean; onProgress?: (line: string) => void; lists?: readonly { name: string; want: VersioningSetting }[] } = {}): Promise<VersioningReport[]> {
  const out: VersioningReport[] = [];
  for (const { name, want } of options.lists ?? LIST_VERSIONING) {
    try {
      const have = await client.get(name);
      if (versioningMatches(have, want)) {
        out.push({ name, want, have, outcome: 'up to date' });
        continue;
      }
      if (!options.dryRun) await client.set(name, want);
      out.push({ name, want, have, outcome: options.dryRun ? 'would set' : 'set' });
      options.onProgress?.(`${name}: item versioning ${describeVersioning(have)} -> ${describeVersioning(want)}${options.dryRun ? ' (dry run)' : ''}`);
    } catch (err) {
      const problem = err instanceof Error ? err.message : String(err);
      out.push({ name, want, outcome: 'failed', problem });
      options.onProgress?.(`${name}: item versioning not checked (${problem})`);
    }
  }
  return out;
}
