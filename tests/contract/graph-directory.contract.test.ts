/**
 * GraphDirectory against a local fake Graph. Requests and the fields read are
 * checked against the v1.0 CSDL; fixtures follow the pages named in their
 * "_source": api-reference/v1.0/api/user-get.md, user-list-manager.md,
 * group-list-transitivemembers.md, and concepts/json-batching.md.
 */
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphDirectory } from '../../src/adapters/graph/graphDirectory';
import { GraphHttp } from '../../src/adapters/graph/graphHttp';
import * as schema from '../../src/adapters/graph/graphSchemas';
import type { Person } from '../../src/domain/model';
import { FakeGraph, fixture, fixtureSource } from '../support/fakeGraph';
import { checkBody, checkResponseFields } from './graphMetadata';
import { checkRequests } from './requestContracts';
import { readFieldPaths } from './zodFields';

const RIA = '11111111-1111-4111-8111-111111111111';
const SAM = '22222222-2222-4222-8222-222222222222';
const OLA = '33333333-3333-4333-8333-333333333333';
const GROUP = '77777777-7777-4777-8777-777777777777';
const notFound = { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: "Resource 'x' does not exist" } } };

const profiles = new Map<string, Partial<Person>>([
  [SAM, { roles: ['practitioner'], policyId: 'childrens-services', staffGroupId: 'social-workers', startedOn: '2025-09-01', displayName: 'Not from the profile' }],
  [RIA, { roles: ['supervisor', 'line-manager'] }],
]);

let fake: FakeGraph;
let directory: GraphDirectory;
let profileCalls: string[];

beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());

beforeEach(() => {
  fake.reset();
  profileCalls = [];
  directory = new GraphDirectory({
    http: new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 5 }),
    peopleGroupId: GROUP,
    profileLookup: async (id) => {
      profileCalls.push(id);
      return profiles.get(id);
    },
  });
});

afterEach(() => {
  expect(checkRequests(fake.requests).violations).toEqual([]);
  expect(fake.unmatched).toEqual([]);
});

const userReply = (id: string) => ({ body: { ...fixture('user'), id } });

describe('the fields the adapter reads exist in Graph v1.0', () => {
  it('user and manager', () => {
    expect(checkResponseFields('user', readFieldPaths(schema.user))).toEqual([]);
    expect(checkResponseFields('directoryObject', readFieldPaths(schema.manager))).toEqual([]);
  });

  it.each([
    ['user', 'user'],
    ['manager', 'directoryObject'],
    ['manager-orgcontact', 'directoryObject'],
    ['transitiveMembers-page1', 'user'],
    ['transitiveMembers-page2', 'user'],
  ])('fixture %s is a valid %s and names its reference page', (name, type) => {
    expect(fixtureSource(name)).toMatch(/\.md/);
    const data = fixture<{ value?: unknown[] }>(name);
    for (const item of data.value ?? [data]) expect(checkBody(type, item)).toEqual([]);
  });
});

describe('getPerson', () => {
  it('reads the user and their manager in one $batch and merges the app profile over Entra', async () => {
    fake.on('GET', `/users/${SAM}`, { body: fixture('user') });
    fake.on('GET', `/users/${SAM}/manager`, { body: fixture('manager') });
    const person = await directory.getPerson(SAM);

    expect(fake.httpRequests.map((r) => r.path)).toEqual(['/$batch']);
    expect(fake.to('GET', `/users/${SAM}`)[0]!.query.$select).toBe('id,displayName,mail,userPrincipalName,jobTitle,department');
    expect(person).toEqual({
      id: SAM,
      aadObjectId: SAM,
      // Entra names people; a profile cannot rename them.
      displayName: 'Sam Okafor',
      email: 'sam.okafor@contoso.example',
      jobTitle: 'Social Worker',
      team: 'Children in Need East',
      roles: ['practitioner'],
      lineManagerId: RIA,
      policyId: 'childrens-services',
      staffGroupId: 'social-workers',
      startedOn: '2025-09-01',
    });
  });

  it('is undefined for a user Entra does not have', async () => {
    fake.on('GET', `/users/${SAM}`, notFound);
    fake.on('GET', `/users/${SAM}/manager`, notFound);
    await expect(directory.getPerson(SAM)).resolves.toBeUndefined();
    await expect(directory.findByAadObjectId(SAM)).resolves.toBeUndefined();
  });

  it('has no line manager when Entra has none, or when the manager is an organisational contact', async () => {
    fake.on('GET', `/users/${SAM}`, { body: fixture('user') });
    fake.on('GET', `/users/${SAM}/manager`, notFound, { body: fixture('manager-orgcontact') });
    expect((await directory.getPerson(SAM))!.lineManagerId).toBeUndefined();
    expect((await directory.getPerson(SAM))!.lineManagerId).toBeUndefined();
  });

  it('fails loudly on anything else, such as missing permission', async () => {
    fake.on('GET', `/users/${SAM}`, { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });
    fake.on('GET', `/users/${SAM}/manager`, notFound);
    await expect(directory.getPerson(SAM)).rejects.toThrow(/getPerson failed \(403 Authorization_RequestDenied\)/);
  });
});

describe('listPeople', () => {
  it('pages the group\'s transitive user members and fetches managers 20 to a $batch', async () => {
    const members = `/groups/${GROUP}/transitiveMembers/microsoft.graph.user`;
    fake.on('GET', members, (req) => ({ body: fixture(req.query.$skiptoken ? 'transitiveMembers-page2' : 'transitiveMembers-page1') }));
    fake.on('GET', `/users/${SAM}/manager`, { body: fixture('manager') });
    fake.on('GET', `/users/${RIA}/manager`, notFound);
    fake.on('GET', `/users/${OLA}/manager`, { body: fixture('manager') });
    const people = await directory.listPeople();

    const first = fake.to('GET', members)[0]!;
    expect(first.headers.consistencylevel).toBe('eventual');
    expect(first.query).toEqual({ $select: 'id,displayName,mail,userPrincipalName,jobTitle,department', $count: 'true', $top: '999' });
    expect(fake.httpRequests.map((r) => r.path)).toEqual([members, members, '/$batch']);
    expect(people.map((p) => [p.displayName, p.email, p.lineManagerId, p.roles])).toEqual([
      ['Ola Nowak', 'ola.nowak@contoso.example', RIA, []],
      ['Ria Shah', 'ria.shah@contoso.example', undefined, ['supervisor', 'line-manager']],
      ['Sam Okafor', 'sam.okafor@contoso.example', RIA, ['practitioner']],
    ]);
    expect(profileCalls.sort()).toEqual([RIA, SAM, OLA].sort());
  });
});

describe('getLineManager', () => {
  it('reads the manager id, then the manager as a person', async () => {
    fake.on('GET', `/users/${SAM}/manager`, { body: fixture('manager') });
    fake.on('GET', `/users/${RIA}`, userReply(RIA));
    fake.on('GET', `/users/${RIA}/manager`, notFound);
    const manager = await directory.getLineManager(SAM);
    expect(manager).toMatchObject({ id: RIA, roles: ['supervisor', 'line-manager'] });
    expect(fake.httpRequests.map((r) => r.path)).toEqual([`/users/${SAM}/manager`, '/$batch']);
  });

  it('is undefined without a manager', async () => {
    fake.on('GET', `/users/${SAM}/manager`, notFound);
    await expect(directory.getLineManager(SAM)).resolves.toBeUndefined();
  });
});
