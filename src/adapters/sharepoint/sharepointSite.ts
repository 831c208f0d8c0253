/**
 * The app's SharePoint site and its lists as Graph addresses them: the site by
 * URL (api/site-getbypath.md: GET /sites/{hostname}:/{server-relative-path}),
 * its lists by name (api/list-list.md), each looked up once per process.
 */
import { type GraphCall, type GraphHttp, seg } from '../graph/graphHttp';
import * as schema from './sharepointSchemas';

export interface SiteInfo {
  id: string;
  displayName?: string;
  webUrl?: string;
}

export interface ListInfo {
  id: string;
  name: string;
  displayName: string;
  template?: string;
}

/** Graph's path for a site from its URL: /sites/{hostname}:/{server-relative path}, or /sites/{hostname} for the root site. */
export function sitePathFromUrl(siteUrl: string): string {
  let u: URL;
  try {
    u = new URL(siteUrl);
  } catch {
    throw new Error(`"${siteUrl}" is not a site URL (expected e.g. https://contoso.sharepoint.com/sites/protected-time)`);
  }
  if (u.protocol !== 'https:') throw new Error(`"${siteUrl}" is not an https URL`);
  const rel = decodeURIComponent(u.pathname).replace(/\/+$/, '');
  return rel ? `/sites/${u.hostname}:${rel.split('/').map((s) => encodeURIComponent(s)).join('/')}` : `/sites/${u.hostname}`;
}

/** A site id ("contoso.sharepoint.com,{guid},{guid}") as a path segment; the commas stay as Graph writes them. */
export function siteSeg(siteId: string): string {
  return seg(siteId).replace(/%2C/gi, ',');
}

export function listsPath(siteId: string): string {
  return `/sites/${siteSeg(siteId)}/lists`;
}

export function listPath(siteId: string, listId: string): string {
  return `${listsPath(siteId)}/${seg(listId)}`;
}

export async function getSite(http: GraphHttp, siteUrl: string): Promise<SiteInfo> {
  const s = await http.json({ call: 'getSite', method: 'GET', path: sitePathFromUrl(siteUrl), query: { $select: 'id,displayName,webUrl' } }, schema.site);
  return { id: s.id, ...(s.displayName ? { displayName: s.displayName } : {}), ...(s.webUrl ? { webUrl: s.webUrl } : {}) };
}

export function listListsCall(siteId: string): GraphCall {
  return { call: 'listLists', method: 'GET', path: listsPath(siteId), query: { $select: 'id,name,displayName,list', $top: 200 } };
}

export async function getLists(http: GraphHttp, siteId: string): Promise<ListInfo[]> {
  const { items } = await http.pages(listListsCall(siteId), schema.list);
  return items.map((l) => ({ id: l.id, name: l.name ?? l.displayName ?? l.id, displayName: l.displayName ?? l.name ?? l.id, ...(l.list?.template ? { template: l.list.template } : {}) }));
}

/** A list by its URL name or display name, as `pt doctor` matches them (without regard to case). */
export function findList(lists: ListInfo[], name: string): ListInfo | undefined {
  const n = name.toLowerCase();
  return lists.find((l) => l.name.toLowerCase() === n) ?? lists.find((l) => l.displayName.toLowerCase() === n);
}

/** The site id and list ids, each fetched once per process (concurrent callers share the one request). */
export class SiteLists {
  private site?: Promise<SiteInfo>;
  private lists?: Promise<ListInfo[]>;

  constructor(
    private readonly http: GraphHttp,
    private readonly where: { siteUrl: string } | { siteId: string },
  ) {}

  siteId(): Promise<string> {
    if ('siteId' in this.where) return Promise.resolve(this.where.siteId);
    const siteUrl = this.where.siteUrl;
    this.site ??= getSite(this.http, siteUrl).catch((err) => {
      this.site = undefined;
      throw err;
    });
    return this.site.then((s) => s.id);
  }

  async listId(name: string): Promise<string> {
    const siteId = await this.siteId();
    this.lists ??= getLists(this.http, siteId).catch((err) => {
      this.lists = undefined;
      throw err;
    });
    const found = findList(await this.lists, name);
    if (!found) {
      // Provisioned since we looked? Look once more before failing.
      this.lists = undefined;
      const again = findList(await (this.lists = getLists(this.http, siteId)), name);
      if (!again) throw new Error(`the SharePoint site has no list ${name}: run \`pt provision --site <site-url>\``);
      return again.id;
    }
    return found.id;
  }
}
