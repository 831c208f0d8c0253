/**
 * `pt provision` (src/adapters/sharepoint/provision.ts, src/cli/provisionCommand.ts)
 * against the in-memory SharePoint behind the fake Graph. Every request body
 * is checked against the Graph v1.0 CSDL (afterEach, sharePointViolations),
 * the fields the adapter reads are checked to exist, and the fixtures it
 * parses (each naming its reference page in "_source") are checked too.
 *
 * Pages followed (microsoft-graph-docs-contrib, api-reference/v1.0/): api/site-getbypath.md,
 * api/list-list.md, api/list-create.md, api/list-list-columns.md,
 * api/list-post-columns.md, api/columndefinition-update.md,
 * resources/columndefinition.md; concepts/json-batching.md.
 */
import path from 'node:path';
import { Command } from 'commander';
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { LIST_SCHEMA, columnDefinition, listDefinition, listsMissingFromAppLists } from '../../src/adapters/sharepoint/listSchema';
import { ProvisionError, provisionSite } from '../../src/adapters/sharepoint/provision';
import * as schema from '../../src/adapters/sharepoint/sharepointSchemas';
import { sitePathFromUrl } from '../../src/adapters/sharepoint/sharepointSite';
import { registerProvisionCommand } from '../../src/cli/provisionCommand';
import { CliFailure } from '../../src/cli/pt';
import { APP_LISTS } from '../../src/tenant/lists';
import { fixture, fixtureSource } from '../support/fakeGraph';
import { fake, freshSharePoint, http, sp, useSharePointHarness } from '../support/sharePointHarness';
import { checkBody, checkResponseFields } from './graphMetadata';
import { readFieldPaths } from './zodFields';

useSharePointHarness();
beforeEach(() => freshSharePoint({ baseDelayMs: 5 }));

const writes = () => fake.requests.filter((r) => r.method !== 'GET');
const httpCalls = () => fake.httpRequests.map((r) => `${r.method} ${r.path.replace(sp.siteId, '{site}').replace(/lists\/[0-9a-f-]{36}/, 'lists/{list}')}`);

describe('the list schema', () => {
  it('covers every list pt doctor expects, and pt doctor expects every list it covers', () => {
    const names = LIST_SCHEMA.map((l) => l.name);
    expect(APP_LISTS.filter((l) => !names.includes(l))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    // pt doctor (APP_LISTS) checks every list the adapters need.
    expect(listsMissingFromAppLists()).toEqual([]);
  });

  it('indexes every unique column, keeps bodies in plain multi-line text, and case detail only in records, versions, actions, agreements and QA grades (the auditor\'s comment)', () => {
    for (const list of LIST_SCHEMA) {
      const names = list.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const c of list.columns) {
        expect(c.name).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
        if (c.unique) expect(columnDefinition(c)).toMatchObject({ indexed: true, enforceUniqueValues: true });
        if (c.type === 'note') expect(c.indexed ?? false).toBe(false);
      }
      // SharePoint allows 20 indexes per list.
      expect(list.columns.filter((c) => c.indexed || c.unique).length).toBeLessThanOrEqual(20);
      if (list.bodyColumn) expect(list.columns.find((c) => c.name === list.bodyColumn)?.type).toBe('note');
    }
    expect(LIST_SCHEMA.filter((l) => l.holdsCaseDetail).map((l) => l.name).sort()).toEqual(['pt-actions', 'pt-agenda', 'pt-agreements', 'pt-private-notes', 'pt-qa-grades', 'pt-record-versions', 'pt-records']);
    // The audit trail says who did what to which item; its columns hold no free text beyond the action's name.
    expect(LIST_SCHEMA.find((l) => l.name === 'pt-audit')!.columns.map((c) => c.name)).toEqual(['ptKey', 'at', 'actorId', 'action', 'subjectType', 'subjectId', 'ptBody', 'ptWriteId']);
  });

  it.each(LIST_SCHEMA.map((l) => [l.name, l] as const))('%s: the list and column definitions are valid Graph v1.0 bodies', (_name, list) => {
    expect(checkBody('list', listDefinition(list))).toEqual([]);
    for (const c of list.columns) expect(checkBody('columnDefinition', columnDefinition(c))).toEqual([]);
  });

  it('finds the site by hostname and server-relative path', () => {
    expect(sitePathFromUrl('https://contoso.sharepoint.com/sites/protected-time')).toBe('/sites/contoso.sharepoint.com:/sites/protected-time');
    expect(sitePathFromUrl('https://contoso.sharepoint.com/sites/Protected%20Time/')).toBe('/sites/contoso.sharepoint.com:/sites/Protected%20Time');
    expect(sitePathFromUrl('https://contoso.sharepoint.com')).toBe('/sites/contoso.sharepoint.com');
    expect(() => sitePathFromUrl('not a url')).toThrow(/not a site URL/);
    expect(() => sitePathFromUrl('http://contoso.sharepoint.com/sites/x')).toThrow(/https/);
  });
});

describe('the fields the adapter reads exist in Graph v1.0, and the fixtures follow the reference pages', () => {
  it.each([
    ['site', 'site', schema.site],
    ['list', 'list', schema.list],
    ['column', 'columnDefinition', schema.column],
    ['listItem', 'listItem', schema.listItem],
  ] as const)('schema %s reads only properties of %s', (_name, type, zodSchema) => {
    const fields = readFieldPaths(zodSchema);
    expect(fields.length).toBeGreaterThan(0);
    expect(checkResponseFields(type, fields)).toEqual([]);
  });

  it.each([
    ['sharepoint-site', 'site', undefined, schema.site],
    ['sharepoint-lists', 'list', 'value', schema.list],
    ['sharepoint-list-created', 'list', undefined, schema.list],
    ['sharepoint-columns', 'columnDefinition', 'value', schema.column],
    ['sharepoint-column-created', 'columnDefinition', undefined, schema.column],
    ['sharepoint-column-updated', 'columnDefinition', undefined, schema.column],
    ['sharepoint-items', 'listItem', 'value', schema.listItem],
    ['sharepoint-item-created', 'listItem', undefined, schema.listItem],
  ] as const)('fixture %s is a valid %s, parses as the adapter reads it, and names its reference page', (name, type, collection, zodSchema) => {
    expect(fixtureSource(name)).toMatch(/\.md/);
    const data = fixture<Record<string, unknown>>(name);
    const items = collection ? (data[collection] as Record<string, unknown>[]) : [data];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      // fields is a fieldValueSet: an open type, whose keys are the list's columns (checked by the fake).
      const { fields, ...rest } = item;
      expect(checkBody(type, rest)).toEqual([]);
      if (fields !== undefined) expect(typeof fields).toBe('object');
      expect(zodSchema.safeParse(item).success).toBe(true);
    }
  });

  it('fixtures of the update answer and of the errors name their pages', () => {
    expect(fixtureSource('sharepoint-fields-updated')).toMatch(/listitem-update\.md/);
    expect(schema.fieldValueSet.safeParse(fixture('sharepoint-fields-updated')).success).toBe(true);
    for (const name of ['sharepoint-error-precondition', 'sharepoint-error-duplicate', 'sharepoint-error-not-indexed']) {
      expect(fixtureSource(name)).toMatch(/\.md/);
      expect(fixture<{ error: { code: string; message: string } }>(name).error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
    }
  });
});

describe('provisionSite', () => {
  it('on an empty site: creates every list with its columns and indexes, in 3 + one-per-list requests', async () => {
    const lines: string[] = [];
    const summary = await provisionSite(http, sp.siteUrl, { onProgress: (l) => lines.push(l) });

    expect(summary.listsCreated).toBe(LIST_SCHEMA.length);
    expect(summary.problems).toEqual([]);
    expect(summary.lists.every((l) => l.outcome === 'created')).toBe(true);
    expect(httpCalls()).toEqual([
      'GET /sites/contoso.sharepoint.com:/sites/protected-time',
      'GET /sites/{site}/lists',
      ...LIST_SCHEMA.map(() => 'POST /sites/{site}/lists'),
      // The columns of every list, read back in one $batch to check SharePoint applied the indexes.
      'POST /$batch',
    ]);
    expect(writes()).toHaveLength(LIST_SCHEMA.length);
    expect(fake.to('GET', /\/columns$/)).toHaveLength(LIST_SCHEMA.length);

    const records = sp.list('pt-records')!;
    expect(records.template).toBe('genericList');
    const col = (name: string) => records.columns.find((c) => c.name === name);
    expect(col('ptKey')).toMatchObject({ type: 'text', indexed: true, enforceUniqueValues: true });
    expect(col('sessionId')).toMatchObject({ type: 'text', indexed: true, enforceUniqueValues: false });
    expect(col('ptBody')).toMatchObject({ type: 'note', indexed: false });
    expect(col('version')).toMatchObject({ type: 'number' });
    expect(col('updatedAt')).toMatchObject({ type: 'dateTime' });
    expect(sp.list('pt-ledger')!.columns.find((c) => c.name === 'ptKey')).toMatchObject({ enforceUniqueValues: true });
    expect(sp.list('pt-series')!.columns.find((c) => c.name === 'ptRequestKey')).toMatchObject({ indexed: true, enforceUniqueValues: true });
    expect(sp.list('pt-people')!.columns.find((c) => c.name === 'aadObjectId')).toMatchObject({ indexed: true, enforceUniqueValues: true });

    expect(lines[0]).toBe(`site Protected Time (${sp.siteId})`);
    expect(lines).toContain('created list pt-records (ptKey (indexed, unique), sessionId (indexed), relationshipId (indexed), status (indexed), version, updatedAt, ptBody, ptWriteId)');
    expect(lines.at(-1)).toBe(`Created ${LIST_SCHEMA.length} lists, added 0 columns to existing lists, indexed 0 existing columns.`);
    // The site's own lists are left alone.
    expect(sp.list('Documents')).toMatchObject({ name: 'Shared Documents', displayName: 'Documents' });
  });

  it('a second run changes nothing and says so: 3 reads, zero writes', async () => {
    await provisionSite(http, sp.siteUrl);
    fake.requests.length = 0;
    fake.httpRequests.length = 0;
    const lines: string[] = [];
    const summary = await provisionSite(http, sp.siteUrl, { onProgress: (l) => lines.push(l) });

    expect(summary.upToDate).toBe(true);
    expect(writes()).toEqual([]);
    expect(httpCalls()).toEqual(['GET /sites/contoso.sharepoint.com:/sites/protected-time', 'GET /sites/{site}/lists', 'POST /$batch']);
    expect(lines).toContain('pt-audit: up to date');
    expect(lines.at(-1)).toBe(`Nothing to change: all ${LIST_SCHEMA.length} lists are up to date.`);
  });

  it('adds missing columns to an existing list and indexes existing columns, never deleting or retyping anything', async () => {
    await provisionSite(http, sp.siteUrl);
    const records = sp.list('pt-records')!;
    // An older build's list: no status column, sessionId not indexed, an admin's own column.
    records.columns = records.columns.filter((c) => c.name !== 'status');
    records.columns.find((c) => c.name === 'sessionId')!.indexed = false;
    records.columns.push({ id: 'custom-1', name: 'Notes', displayName: 'Notes', description: '', type: 'note', indexed: false, enforceUniqueValues: false, readOnly: false, facet: { text: { allowMultipleLines: true } } });
    fake.requests.length = 0;
    const lines: string[] = [];

    const summary = await provisionSite(http, sp.siteUrl, { onProgress: (l) => lines.push(l) });

    expect(lines).toContain('pt-records: added column status (indexed)');
    expect(lines).toContain('pt-records: column sessionId is now indexed');
    expect(lines.at(-1)).toBe('Created 0 lists, added 1 column to existing lists, indexed 1 existing column.');
    expect(summary.lists.find((l) => l.name === 'pt-records')).toMatchObject({ outcome: 'updated', addedColumns: ['status'], indexedColumns: ['sessionId'] });
    expect(writes().map((r) => `${r.method} ${r.path.split('/').slice(-2).join('/')}`)).toEqual([expect.stringMatching(/^PATCH columns\//), `POST ${records.id}/columns`]);
    expect(fake.to('PATCH', /\/columns\//)[0]!.body).toEqual({ indexed: true });
    expect(records.columns.find((c) => c.name === 'Notes')).toMatchObject({ id: 'custom-1', type: 'note', indexed: false, enforceUniqueValues: false });
    expect(records.columns.find((c) => c.name === 'status')).toMatchObject({ indexed: true });
  });

  it('catches indexes SharePoint did not apply when it created the lists, in the same run', async () => {
    sp.ignoreIndexesOnCreate = true;
    const lines: string[] = [];
    await provisionSite(http, sp.siteUrl, { onProgress: (l) => lines.push(l) });
    expect(lines).toContain('pt-records: column ptKey is now indexed, unique');
    expect(lines).toContain('pt-records: column sessionId is now indexed');
    expect(sp.list('pt-ledger')!.columns.find((c) => c.name === 'ptKey')).toMatchObject({ indexed: true, enforceUniqueValues: true });
    fake.requests.length = 0;
    expect((await provisionSite(http, sp.siteUrl)).upToDate).toBe(true);
    expect(writes()).toEqual([]);
  });

  it('reports a column of the wrong type for an admin instead of changing it', async () => {
    await provisionSite(http, sp.siteUrl);
    const version = sp.list('pt-records')!.columns.find((c) => c.name === 'version')!;
    Object.assign(version, { type: 'text', facet: { text: { allowMultipleLines: false, maxLength: 255 } } });
    fake.requests.length = 0;
    const summary = await provisionSite(http, sp.siteUrl);
    expect(summary.problems).toEqual([expect.stringMatching(/^pt-records: column version is text, expected number; pt provision never changes a column's type/)]);
    expect(summary.lists.find((l) => l.name === 'pt-records')!.outcome).toBe('failed');
    expect(writes()).toEqual([]);
  });

  it('reports a document library squatting on a list name', async () => {
    sp.lists.push({ id: '5d1a4c3b-2e1f-4a0b-9c8d-7e6f5a4b3c2d', name: 'pt-audit', displayName: 'pt-audit', description: '', template: 'documentLibrary', created: '2026-01-01T00:00:00Z', columns: [], items: [], nextItemId: 1 });
    const summary = await provisionSite(http, sp.siteUrl);
    expect(summary.problems).toEqual(['pt-audit exists but is a documentLibrary, not a list (genericList); rename or remove it in SharePoint, then run pt provision again']);
    expect(summary.listsCreated).toBe(LIST_SCHEMA.length - 1);
  });

  it('a dry run says what would be created and writes nothing', async () => {
    const lines: string[] = [];
    const summary = await provisionSite(http, sp.siteUrl, { dryRun: true, onProgress: (l) => lines.push(l) });
    expect(writes()).toEqual([]);
    expect(summary).toMatchObject({ dryRun: true, listsCreated: LIST_SCHEMA.length, upToDate: false });
    expect(lines).toContain('would create list pt-audit (ptKey (indexed, unique), at, actorId (indexed), action, subjectType, subjectId (indexed), ptBody, ptWriteId)');
    expect(lines.at(-1)).toBe(`Would create ${LIST_SCHEMA.length} lists, add 0 columns to existing lists, index 0 existing columns.`);
    expect(sp.list('pt-records')).toBeUndefined();
  });

  it('retries a throttled create and creates each list once', async () => {
    sp.inject('POST', /\/lists$/, { status: 429, headers: { 'Retry-After': '0' }, body: fixture('error-throttled') });
    await provisionSite(http, sp.siteUrl);
    expect(fake.to('POST', /\/lists$/)).toHaveLength(LIST_SCHEMA.length + 1);
    expect(sp.lists.filter((l) => l.name === 'pt-sessions')).toHaveLength(1);
  });

  it('says the grant must be fullcontrol when SharePoint refuses to create lists', async () => {
    sp.denySchemaChanges = true;
    const err = await provisionSite(http, sp.siteUrl).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as Error).message).toMatch(/creating the list pt-relationships: .*403.*"fullcontrol" while pt provision runs/);
  });

  it('says to check the URL when there is no such site', async () => {
    const err = await provisionSite(http, 'https://contoso.sharepoint.com/sites/nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as Error).message).toMatch(/reading the site .*404.*Check the site URL/);
  });
});

describe('pt provision', () => {
  const ROOT = path.resolve(__dirname, '..', '..');
  const TENANT_ENV = {
    PT_MODE: 'tenant',
    PT_PUBLIC_URL: 'https://pt.contoso.example',
    TENANT_ID: '11111111-2222-4333-8444-555555555555',
    CLIENT_ID: '66666666-7777-4888-9999-000000000000',
    CLIENT_SECRET: 'not-a-real-secret',
    APPLICATION_ID_URI: 'api://pt.contoso.example/66666666-7777-4888-9999-000000000000',
    SHAREPOINT_SITE_URL: 'https://contoso.sharepoint.com/sites/protected-time',
    PEOPLE_GROUP_ID: '77777777-7777-4777-8777-777777777777',
    TEAMS_APP_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    PT_LOG_LEVEL: 'silent',
  };

  async function pt(args: string[], env: NodeJS.ProcessEnv = TENANT_ENV) {
    let out = '';
    let err = '';
    const io = { out: (s: string) => (out += s), err: (s: string) => (err += s), env, cwd: ROOT };
    const program = new Command('pt').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    registerProvisionCommand(program, io, { tokenSource: () => staticTokenSource('t'), graphBaseUrl: fake.baseUrl, baseDelayMs: 5 });
    try {
      await program.parseAsync(args, { from: 'user' });
      return { code: 0, out, err };
    } catch (e) {
      if (e instanceof CliFailure) return { code: e.exitCode, out, err: err + e.message, json: e.json };
      throw e;
    }
  }

  it('prints a line per change, then the summary; a second run says nothing needs changing', async () => {
    const first = await pt(['provision', '--site', sp.siteUrl]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^site Protected Time \(/);
    expect(first.out).toContain('created list pt-sessions (ptKey (indexed, unique), relationshipId (indexed), seriesId, startsAt (indexed), endsAt (indexed), status, kind, ptBody, ptWriteId)\n');
    const second = await pt(['provision']);
    expect(second.out).toContain('pt-records: up to date\n');
    expect(second.out.trim().split('\n').at(-1)).toBe(`Nothing to change: all ${LIST_SCHEMA.length} lists are up to date.`);
  });

  it('--json prints one document (progress goes to stderr); --dry-run writes nothing', async () => {
    const dry = await pt(['provision', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.out);
    expect(report).toMatchObject({ ok: true, dryRun: true, listsCreated: LIST_SCHEMA.length, site: { id: sp.siteId } });
    expect(dry.err).toContain('would create list pt-ledger');
    expect(writes()).toEqual([]);
  });

  it('notes when --site is not the site the app is configured with', async () => {
    const r = await pt(['provision', '--site', sp.siteUrl + '/', '--dry-run']);
    expect(r.out).not.toMatch(/^note:/m);
    const other = await pt(['provision', '--site', 'https://contoso.sharepoint.com/sites/other', '--dry-run']);
    expect(other.code).toBe(1);
    expect(other.out).toMatch(/^note: --site https:\/\/contoso\.sharepoint\.com\/sites\/other is not SHAREPOINT_SITE_URL/m);
    expect(other.err).toMatch(/Check the site URL/);
  });

  it('refuses to run without the tenant configuration', async () => {
    const r = await pt(['provision'], { PT_MODE: 'local' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs the tenant configuration/);
    expect(fake.httpRequests).toEqual([]);
  });

  it('exits non-zero, naming each problem, when something needs an admin', async () => {
    await pt(['provision']);
    Object.assign(sp.list('pt-actions')!.columns.find((c) => c.name === 'ownerId')!, { type: 'number', facet: { number: {} } });
    const r = await pt(['provision', '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 problem need an admin:\n {2}- pt-actions: column ownerId is number, expected text/);
    expect(r.json).toMatchObject({ ok: false, problems: [expect.stringMatching(/ownerId/)] });
  });
});
