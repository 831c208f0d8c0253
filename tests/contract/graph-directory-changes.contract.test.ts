/**
 * Directory changes in tenant mode (issue #20): GraphDirectoryChangeFeed against
 * the local fake Graph, following group-delta.md and user-delta.md. Every
 * request is checked against the Graph v1.0 metadata (the $select names on
 * group and user); the fields read are checked too. Then the same changes,
 * noticed through Graph, flag arrangements and ask the right person (the use
 * case over the embedded seed organisation, whose ids the fake's users carry).
 */
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphDirectoryChangeFeed, GROUP_CURSOR, MANAGER_CURSOR, groupDeltaItem, userDeltaItem, type CursorStore } from '../../src/adapters/graph/graphDirectoryChanges';
import { GraphHttp } from '../../src/adapters/graph/graphHttp';
import type { Person } from '../../src/domain/model';
import { listFlags, noticeDirectoryChanges } from '../../src/usecases/directoryChanges';
import type { PeopleNotice } from '../../src/usecases/transfer';
import { FakeGraph, fixture } from '../support/fakeGraph';
import { testServices } from '../support/services';
import { checkResponseFields } from './graphMetadata';
import { checkRequests } from './requestContracts';

const GROUP = '77777777-7777-4777-8777-777777777777';
let fake: FakeGraph;

class MemoryCursors implements CursorStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
}

beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(() => {
  const { violations } = checkRequests(fake.requests);
  expect(violations).toEqual([]);
  expect(fake.unmatched).toEqual([]);
});

function script() {
  // Baseline round: two pages for the group (nextLink then deltaLink), one for users.
  fake.on('GET', '/groups/delta', {
    body: { '@odata.nextLink': `https://graph.microsoft.com/v1.0/groups/delta?$skiptoken=g-page-2`, value: [{ id: GROUP, 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'sam-patel' }] }] },
  });
  fake.on('GET', '/users/delta', { body: { '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=users-round-1', value: [{ id: 'sam-patel', 'manager@delta': [{ id: 'daniel-okafor' }] }] } });
  fake.on('GET', /^\/groups\/delta$/, (req) =>
    req.query.$skiptoken === 'g-page-2'
      ? { body: { '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=group-round-1', value: [{ id: GROUP, 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'joe-bennett' }] }] } }
      : req.query.$deltatoken === 'group-round-1'
        ? { body: fixture('group-delta-members') }
        : req.query.$deltatoken === 'group-round-2'
          ? { body: { '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=group-round-2', value: [] } }
          : { body: { '@odata.nextLink': `https://graph.microsoft.com/v1.0/groups/delta?$skiptoken=g-page-2`, value: [{ id: GROUP, 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'sam-patel' }] }] } },
  );
  fake.on('GET', /^\/users\/delta$/, (req) =>
    req.query.$deltatoken === 'users-round-1'
      ? { body: fixture('user-delta-manager') }
      : req.query.$deltatoken === 'users-round-2'
        ? { body: { '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=users-round-2', value: [] } }
        : { body: { '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=users-round-1', value: [{ id: 'sam-patel', 'manager@delta': [{ id: 'daniel-okafor' }] }] } },
  );
}

function feed(cursors: CursorStore) {
  return new GraphDirectoryChangeFeed({ http: new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 5 }), peopleGroupId: GROUP, cursors });
}

it('the fields the feed reads exist in Graph v1.0', () => {
  // "members@delta" / "manager@delta" are the navigation properties in a delta response (readFieldPaths skips
  // every annotation, so they are listed from the schemas' keys here); "@removed" and "@odata.type" are annotations.
  const fields = (shape: Record<string, unknown>) =>
    Object.keys(shape)
      .filter((k) => !k.startsWith('@'))
      .flatMap((k) => (k.endsWith('@delta') ? [k.replace('@delta', ''), `${k.replace('@delta', '')}.id`] : [k]));
  const group = fields(groupDeltaItem.shape);
  const user = fields(userDeltaItem.shape);
  expect(group).toEqual(['id', 'members', 'members.id']);
  expect(user).toEqual(['id', 'manager', 'manager.id']);
  expect(checkResponseFields('group', group)).toEqual([]);
  expect(checkResponseFields('user', user)).toEqual([]);
  // And a property that is not there would be caught.
  expect(checkResponseFields('user', ['managers'])).not.toEqual([]);
});

it('a baseline round reports nothing; the next reports joiners, leavers and a new manager; nothing again until committed', async () => {
  script();
  const cursors = new MemoryCursors();
  const f = feed(cursors);
  const baseline = await f.read();
  expect(baseline.changes).toEqual([]);
  await baseline.commit();
  expect(cursors.values.get(GROUP_CURSOR)).toContain('group-round-1');
  expect(cursors.values.get(MANAGER_CURSOR)).toContain('users-round-1');
  // The first request says which group and which property: one group, its members; users, their manager.
  const first = fake.to('GET', '/groups/delta')[0]!;
  expect(first.query).toMatchObject({ $filter: `id eq '${GROUP}'`, $select: 'members' });
  expect(fake.to('GET', '/users/delta')[0]!.query).toMatchObject({ $select: 'manager' });

  const round = await f.read();
  expect(round.changes.map(({ kind, personId, ...rest }) => ({ kind, personId, managerId: (rest as { managerId?: string }).managerId }))).toEqual([
    { kind: 'joined', personId: 'nina-new', managerId: undefined },
    { kind: 'left', personId: 'joe-bennett', managerId: undefined },
    { kind: 'manager-changed', personId: 'sam-patel', managerId: 'grace-whitfield' },
  ]);
  // Not committed: the same round again gives the same ids (so acting on it twice is harmless).
  const again = await f.read();
  expect(again.changes.map((c) => c.id)).toEqual(round.changes.map((c) => c.id));
  await again.commit();
  expect((await f.read()).changes).toEqual([]);
  // A quiet round costs one request per query.
  const before = fake.httpRequests.length;
  await f.read();
  expect(fake.httpRequests.length - before).toBe(2);
});

it('changes noticed through Graph flag arrangements and ask the right people; nothing moves by itself', async () => {
  script();
  const { services, store } = await testServices({ now: '2026-11-23T09:00:00.000Z' });
  const told: { to: string; notice: PeopleNotice }[] = [];
  const tell = async (p: Person, notice: PeopleNotice) => void told.push({ to: p.id, notice });
  const f = feed(new MemoryCursors());
  expect(await noticeDirectoryChanges(services, f, tell)).toMatchObject({ changes: 0 });
  // Nina is in Entra (and has a profile in the app) before she reaches the group.
  store.upsertPerson({ id: 'nina-new', displayName: 'Nina New', email: 'nina@x.example', aadObjectId: '5a1e0c1e-0009-4a00-8000-000000000009', jobTitle: 'Social Worker', team: 'CFS', roles: ['practitioner'], lineManagerId: 'helen-carter', policyId: 'leicestershire-cfs', staffGroupId: 'casework', startedOn: '2026-11-23' });
  const run = await noticeDirectoryChanges(services, f, tell);
  expect(run).toMatchObject({ changes: 3, failed: 0, flagsRaised: 3 });
  const kinds = (await listFlags(services, (await services.directory.getPerson('priya-shah'))!)).map((x) => `${x.kind}:${x.personId}:${x.askIds.join('+')}`).sort();
  expect(kinds).toEqual(['leaver-supervisee:joe-bennett:daniel-okafor', 'manager-changed:sam-patel:grace-whitfield+daniel-okafor', 'new-starter:nina-new:helen-carter']);
  expect(told.map((t) => t.to).sort()).toEqual(['daniel-okafor', 'daniel-okafor', 'grace-whitfield', 'helen-carter']);
  expect(await store.getRelationship('rel-daniel-joe')).toMatchObject({ active: true, supervisorId: 'daniel-okafor' });
  expect(await store.getRelationship('rel-daniel-sam')).toMatchObject({ active: true, supervisorId: 'daniel-okafor' });
});
