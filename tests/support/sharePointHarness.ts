/**
 * The SharePoint contract tests' common set-up: the fake Graph with the
 * in-memory SharePoint behind it (fakeSharePoint.ts), a GraphHttp to it, and,
 * after every test, every request the adapter sent checked against the Graph
 * v1.0 metadata and the lists' columns (sharePointViolations), with no request
 * left unanswered.
 *
 * Call useSharePointHarness() once at the top of a test file. `fake`, `sp` and
 * `http` are live bindings: they are (re)set by the hooks, freshSharePoint()
 * and provisionedSite(), and an import always sees the current ones.
 */
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphHttp, type GraphHttpOptions } from '../../src/adapters/graph/graphHttp';
import { provisionSite } from '../../src/adapters/sharepoint/provision';
import { FakeGraph } from './fakeGraph';
import { FakeSharePoint, sharePointViolations } from './fakeSharePoint';

/** The fake Graph, started once per test file. */
export let fake: FakeGraph;
/** The current test's SharePoint (undefined until freshSharePoint or provisionedSite runs). */
export let sp: FakeSharePoint;
/** A GraphHttp to the fake (token 't', 1 ms backoff, 2 s timeout). */
export let http: GraphHttp;

/** Starts the fake Graph for the file's tests, and checks every test's SharePoint requests after it. */
export function useSharePointHarness(): void {
  beforeAll(async () => {
    fake = await FakeGraph.start();
  });
  afterAll(() => fake.close());

  afterEach(() => {
    if (!sp) return;
    expect(sharePointViolations(fake.requests, sp)).toEqual([]);
    expect(fake.unmatched).toEqual([]);
  });
}

/** A GraphHttp to the fake, as `http` is unless `options` say otherwise. */
export function graphHttp(options: Partial<GraphHttpOptions> = {}): GraphHttp {
  return new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 1, timeoutMs: 2_000, ...options });
}

/** A new, unprovisioned SharePoint (the fake's routes and records cleared) and a new `http`. */
export function freshSharePoint(options: Partial<GraphHttpOptions> = {}): void {
  fake.reset();
  sp = new FakeSharePoint(fake);
  http = graphHttp(options);
}

/** A new SharePoint, provisioned (`pt provision`), with what `make` builds on its site; the set-up's requests are forgotten. */
export async function provisionedSite<T>(make: (where: { http: GraphHttp; site: { siteUrl: string } }) => T): Promise<T> {
  freshSharePoint();
  await provisionSite(http, sp.siteUrl);
  const made = make({ http, site: { siteUrl: sp.siteUrl } });
  fake.requests.length = 0;
  fake.httpRequests.length = 0;
  return made;
}

/** HTTP requests since the last call, as "METHOD /path" with the site and list ids shortened. */
export function takeCalls(): string[] {
  const names = new Map(sp.lists.map((l) => [l.id, l.name]));
  const calls = fake.httpRequests.map((r) => `${r.method} ${r.path.replace(sp.siteId, '{site}').replace(/lists\/([0-9a-f-]{36})/, (_, id: string) => `lists/${names.get(id) ?? id}`)}`);
  fake.httpRequests.length = 0;
  return calls;
}

/** A list's id on the current site. */
export const listId = (name: string): string => sp.list(name)!.id;
