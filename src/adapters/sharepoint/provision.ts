/**
 * `pt provision`: creates the app's SharePoint lists and columns (listSchema.ts)
 * on its site, idempotently. It never deletes or retypes anything: columns the
 * schema does not know are left alone, and a column of the wrong type is
 * reported for an admin to resolve.
 *
 * Steps (reference pages in microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 *   1. the site by URL            GET /sites/{hostname}:/{path}            site-getbypath.md
 *   2. its lists                  GET /sites/{site-id}/lists               list-list.md
 *   3. each missing list          POST /sites/{site-id}/lists              list-create.md
 *      (displayName, columns, list: { template: genericList })
 *   4. every app list's columns   GET .../lists/{list-id}/columns          list-list-columns.md
 *      (one $batch for up to 20 lists; newly created lists included, so an
 *      index SharePoint did not apply at creation is still caught)
 *   5. each missing column        POST .../lists/{list-id}/columns         list-post-columns.md
 *   6. each column not indexed    PATCH .../columns/{column-id}            columndefinition-update.md
 *      (or not unique) as the schema wants
 *
 * So an empty site takes 3 + one POST per list requests, and a provisioned one
 * 3 reads and no writes. Creating lists needs the app's Sites.Selected grant on
 * the site to be "fullcontrol" (docs/tenant-setup.md, section 4); "write" is
 * enough for the app day to day.
 */
import { z } from 'zod';
import { GraphError } from '../graph/graphErrors';
import { type GraphHttp, seg, validate } from '../graph/graphHttp';
import { type ColumnSpec, type ColumnType, LIST_SCHEMA, type ListSpec, columnDefinition, listDefinition } from './listSchema';
import * as schema from './sharepointSchemas';
import { type ListInfo, type SiteInfo, findList, getLists, getSite, listPath, listsPath } from './sharepointSite';

export interface ProvisionOptions {
  /** One line per change (or per list that needs none), as it happens. */
  onProgress?: (line: string) => void;
  /** Look and say what would change, without writing anything. */
  dryRun?: boolean;
  /** The lists to provision (default: all of listSchema.ts). */
  lists?: readonly ListSpec[];
}

export type ListOutcome = 'created' | 'updated' | 'up to date' | 'would create' | 'would update' | 'failed';

export interface ListReport {
  name: string;
  id?: string;
  outcome: ListOutcome;
  /** Columns added (or, in a dry run, that would be). */
  addedColumns: string[];
  /** Existing columns made indexed or unique (or that would be). */
  indexedColumns: string[];
  problems: string[];
}

export interface ProvisionSummary {
  site: SiteInfo;
  siteUrl: string;
  dryRun: boolean;
  lists: ListReport[];
  listsCreated: number;
  columnsAdded: number;
  columnsIndexed: number;
  /** Everything that needs an admin (a column of the wrong type, a refused write). */
  problems: string[];
  /** True when nothing was (or, in a dry run, would be) changed. */
  upToDate: boolean;
}

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
}

const columnsPage = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

export async function provisionSite(http: GraphHttp, siteUrl: string, options: ProvisionOptions = {}): Promise<ProvisionSummary> {
  const say = options.onProgress ?? (() => undefined);
  const dryRun = options.dryRun ?? false;
  const specs = options.lists ?? LIST_SCHEMA;

  let site: SiteInfo;
  try {
    site = await getSite(http, siteUrl);
  } catch (err) {
    throw explain(err, `reading the site ${siteUrl}`);
  }
  say(`site ${site.displayName ?? siteUrl} (${site.id})`);
  let existing: ListInfo[];
  try {
    existing = await getLists(http, site.id);
  } catch (err) {
    throw explain(err, `listing the lists of ${siteUrl}`);
  }

  const reports = new Map<string, ListReport>(specs.map((s) => [s.name, { name: s.name, outcome: 'up to date', addedColumns: [], indexedColumns: [], problems: [] }]));

  // 3. missing lists
  for (const spec of specs) {
    const report = reports.get(spec.name)!;
    const found = findList(existing, spec.name);
    if (found) {
      if (found.template && found.template !== 'genericList') {
        report.outcome = 'failed';
        report.problems.push(`${spec.name} exists but is a ${found.template}, not a list (genericList); rename or remove it in SharePoint, then run pt provision again`);
        say(`problem: ${report.problems[0]}`);
      } else {
        report.id = found.id;
      }
      continue;
    }
    if (dryRun) {
      report.outcome = 'would create';
      report.addedColumns = spec.columns.map((c) => c.name);
      say(`would create list ${spec.name} (${spec.columns.map(describeColumn).join(', ')})`);
      continue;
    }
    try {
      const created = await http.json({ call: 'createList', method: 'POST', path: listsPath(site.id), body: listDefinition(spec) }, schema.list);
      report.id = created.id;
      report.outcome = 'created';
      report.addedColumns = spec.columns.map((c) => c.name);
      say(`created list ${spec.name} (${spec.columns.map(describeColumn).join(', ')})`);
    } catch (err) {
      if (err instanceof GraphError && err.status === 409) {
        // Created by someone else since we looked (another pt provision): use theirs.
        const again = findList(await getLists(http, site.id), spec.name);
        if (again) {
          report.id = again.id;
          continue;
        }
      }
      if (err instanceof GraphError && err.ambiguous) {
        // It may have been created: look before anything else is done.
        const again = findList(await getLists(http, site.id), spec.name);
        if (again) {
          report.id = again.id;
          report.outcome = 'created';
          report.addedColumns = spec.columns.map((c) => c.name);
          say(`created list ${spec.name}`);
          continue;
        }
      }
      throw explain(err, `creating the list ${spec.name}`);
    }
  }

  // 4. the columns of every app list that exists, in as few requests as $batch allows
  const withIds = specs.filter((s) => reports.get(s.name)!.id);
  const pages = await http.many(
    withIds.map((s) => ({ call: 'listColumns', method: 'GET' as const, path: `${listPath(site.id, reports.get(s.name)!.id!)}/columns` })),
    columnsPage,
  );
  const columnsByList = new Map<string, schema.GraphColumn[]>();
  for (let i = 0; i < withIds.length; i++) {
    const spec = withIds[i]!;
    const result = pages[i]!;
    if (!result.ok) throw explain(result.error, `reading the columns of ${spec.name}`);
    const columns = result.value.value.map((c, k) => validate('listColumns', schema.column, c, `value[${k}]`));
    const next = result.value['@odata.nextLink'];
    if (next) columns.push(...(await http.pages({ call: 'listColumns', method: 'GET', path: next }, schema.column)).items);
    columnsByList.set(spec.name, columns);
  }

  // 5 and 6. missing columns, missing indexes
  for (const spec of withIds) {
    const report = reports.get(spec.name)!;
    const listId = report.id!;
    const columns = columnsByList.get(spec.name) ?? [];
    let changed = false;
    for (const want of spec.columns) {
      const have = columns.find((c) => c.name === want.name) ?? columns.find((c) => c.name.toLowerCase() === want.name.toLowerCase());
      if (!have) {
        // Missing from an existing list, or asked for at creation and not there: add it.
        changed = true;
        if (dryRun) {
          report.addedColumns.push(want.name);
          say(`${spec.name}: would add column ${describeColumn(want)}`);
          continue;
        }
        try {
          await http.json({ call: 'createColumn', method: 'POST', path: `${listPath(site.id, listId)}/columns`, body: columnDefinition(want) }, schema.column);
          if (!report.addedColumns.includes(want.name)) report.addedColumns.push(want.name);
          say(`${spec.name}: added column ${describeColumn(want)}`);
        } catch (err) {
          report.problems.push(`${spec.name}: could not add column ${want.name}: ${messageOf(err)}`);
        }
        continue;
      }
      if (have.name !== want.name) {
        report.problems.push(`${spec.name}: column ${have.name} should be named ${want.name} (names are case-sensitive in filters); rename it in SharePoint`);
        continue;
      }
      const type = columnTypeOf(have);
      if (type !== want.type) {
        report.problems.push(`${spec.name}: column ${want.name} is ${type ?? 'of another type'}, expected ${want.type}; pt provision never changes a column's type: fix it in SharePoint (list settings), then run pt provision again`);
        continue;
      }
      const wantsIndex = Boolean(want.indexed || want.unique);
      const patch: Record<string, unknown> = {};
      if (wantsIndex && !have.indexed) patch.indexed = true;
      if (want.unique && !have.enforceUniqueValues) patch.enforceUniqueValues = true;
      if (Object.keys(patch).length === 0) continue;
      changed = true;
      const what = patch.enforceUniqueValues ? 'indexed, unique' : 'indexed';
      if (dryRun) {
        report.indexedColumns.push(want.name);
        say(`${spec.name}: would make column ${want.name} ${what}`);
        continue;
      }
      try {
        await http.json({ call: 'updateColumn', method: 'PATCH', path: `${listPath(site.id, listId)}/columns/${seg(have.id)}`, body: patch, idempotent: true }, schema.column);
        report.indexedColumns.push(want.name);
        say(`${spec.name}: column ${want.name} is now ${what}`);
      } catch (err) {
        const hint = patch.enforceUniqueValues ? ' (SharePoint refuses to make a column unique while two items share a value)' : '';
        report.problems.push(`${spec.name}: could not make column ${want.name} ${what}: ${messageOf(err)}${hint}`);
      }
    }
    if (report.outcome === 'up to date' && changed) report.outcome = dryRun ? 'would update' : 'updated';
    if (report.outcome === 'up to date' && report.problems.length > 0) report.outcome = 'failed';
    if (report.outcome === 'up to date') say(`${spec.name}: up to date`);
    for (const p of report.problems) say(`problem: ${p}`);
  }

  const lists = specs.map((s) => reports.get(s.name)!);
  const listsCreated = lists.filter((l) => l.outcome === 'created' || l.outcome === 'would create').length;
  const columnsAdded = lists.filter((l) => l.outcome !== 'created' && l.outcome !== 'would create').reduce((n, l) => n + l.addedColumns.length, 0);
  const columnsIndexed = lists.reduce((n, l) => n + l.indexedColumns.length, 0);
  const problems = lists.flatMap((l) => l.problems);
  const upToDate = listsCreated === 0 && columnsAdded === 0 && columnsIndexed === 0;
  const summary: ProvisionSummary = { site, siteUrl, dryRun, lists, listsCreated, columnsAdded, columnsIndexed, problems, upToDate };
  say(summaryLine(summary));
  return summary;
}

/** The last progress line: what changed, or that nothing needed to. */
export function summaryLine(s: ProvisionSummary): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  const problems = s.problems.length > 0 ? `; ${n(s.problems.length, 'problem')} to fix` : '';
  if (s.upToDate) return `Nothing to change: all ${n(s.lists.length, 'list')} are up to date${problems}.`;
  const verb = s.dryRun ? 'Would create' : 'Created';
  return `${verb} ${n(s.listsCreated, 'list')}, ${s.dryRun ? 'add' : 'added'} ${n(s.columnsAdded, 'column')} to existing lists, ${s.dryRun ? 'index' : 'indexed'} ${n(s.columnsIndexed, 'existing column')}${problems}.`;
}

function describeColumn(c: ColumnSpec): string {
  const flags = [c.indexed || c.unique ? 'indexed' : undefined, c.unique ? 'unique' : undefined].filter(Boolean);
  return flags.length > 0 ? `${c.name} (${flags.join(', ')})` : c.name;
}

/** Which of the schema's types an existing column is (undefined: none of them). */
export function columnTypeOf(c: schema.GraphColumn): ColumnType | undefined {
  if (c.text) return c.text.allowMultipleLines ? 'note' : 'text';
  if (c.number) return 'number';
  if (c.dateTime) return 'dateTime';
  if (c.boolean) return 'boolean';
  return undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A Graph failure as an admin can act on it. */
function explain(err: unknown, doing: string): Error {
  if (!(err instanceof GraphError)) return err instanceof Error ? err : new Error(String(err));
  if (err.status === 403 || err.status === 401) {
    return new ProvisionError(
      `${doing}: ${err.message}. The app's Sites.Selected grant on this site must be "fullcontrol" while pt provision runs (docs/tenant-setup.md, section 4: PATCH /sites/{site-id}/permissions/{grant-id} with {"roles":["fullcontrol"]}); set it back to "write" afterwards.`,
    );
  }
  if (err.status === 404 || err.status === 400) {
    return new ProvisionError(`${doing}: ${err.message}. Check the site URL (e.g. https://contoso.sharepoint.com/sites/protected-time) and that the app has been granted that site.`);
  }
  return new ProvisionError(`${doing}: ${err.message}`);
}
