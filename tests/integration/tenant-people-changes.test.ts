/**
 * Issue #20 in tenant mode over the fakes: the 'people-changes' job of a
 * tenant instance reads Graph delta on the people group's members and on
 * users' managers, keeps its delta links in the SharePoint registry (so a new
 * instance carries on where the last stopped), and a supervisor leaving the
 * group flags their arrangements to their line manager, who gets a card.
 * Every SharePoint request is checked against the provisioned lists; every
 * Graph request against the v1.0 metadata.
 */
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GROUP_CURSOR, MANAGER_CURSOR } from '../../src/adapters/graph/graphDirectoryChanges';
import { loadConfig } from '../../src/config/env';
import type { Relationship } from '../../src/domain/model';
import { createJobs } from '../../src/jobs';
import { createLogger } from '../../src/logging';
import { createServices, type Services } from '../../src/runtime/services';
import { listFlags } from '../../src/usecases/directoryChanges';
import { checkRequests } from '../contract/requestContracts';
import { FakeGraph, fixture } from '../support/fakeGraph';
import { FakeNotifier } from '../support/fakeNotifier';
import { type FakeSharePoint, sharePointViolations } from '../support/fakeSharePoint';
import { PEOPLE_GROUP, provisionedTenantSite, tenantEnvFor } from '../support/tenantServices';
import { ROOT } from '../support/services';

const DANIEL = '22222222-2222-4222-8222-222222222222';
const SAM = '33333333-3333-4333-8333-333333333333';
const HELEN = '44444444-4444-4444-8444-444444444444';
const MANAGER_OF: Record<string, string | undefined> = { [DANIEL]: HELEN, [SAM]: DANIEL, [HELEN]: undefined };
const NAMES: Record<string, string> = { [DANIEL]: 'Daniel Okafor', [SAM]: 'Sam Patel', [HELEN]: 'Helen Carter' };

let fake: FakeGraph;
let sp: FakeSharePoint;
let dataDir: string;
let t = Date.parse('2026-12-01T09:00:00.000Z');
const clock = { now: () => new Date(t) };

beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());

beforeEach(async () => {
  ({ sp, dataDir } = await provisionedTenantSite(fake, 'pt-tenant-people'));
  // Entra: the three people and their managers (getPerson batches both).
  fake.on('GET', /^\/users\/[0-9a-f-]{36}$/, (req) => {
    const id = req.path.split('/')[2]!;
    return NAMES[id] ? { body: { ...fixture<Record<string, unknown>>('user'), id, displayName: NAMES[id], mail: `${id}@contoso.example` } } : { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'no' } } };
  });
  fake.on('GET', /^\/users\/[0-9a-f-]{36}\/manager$/, (req) => {
    const manager = MANAGER_OF[req.path.split('/')[2]!];
    return manager ? { body: { '@odata.type': '#microsoft.graph.user', id: manager } } : { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'no manager' } } };
  });
  // Delta: the baseline round, then Daniel removed from the group; no manager changes.
  fake.on('GET', '/groups/delta', (req) =>
    req.query.$deltatoken === 'g1'
      ? { body: { '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g2', value: [{ id: PEOPLE_GROUP, 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: DANIEL, '@removed': { reason: 'deleted' } }] }] } }
      : req.query.$deltatoken === 'g2'
        ? { body: { '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g2', value: [] } }
        : { body: { '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g1', value: [{ id: PEOPLE_GROUP, 'members@delta': [DANIEL, SAM, HELEN].map((id) => ({ '@odata.type': '#microsoft.graph.user', id })) }] } },
  );
  fake.on('GET', '/users/delta', (req) => ({ body: { '@odata.deltaLink': `https://graph.microsoft.com/v1.0/users/delta?$deltatoken=${req.query.$deltatoken ? 'u2' : 'u1'}`, value: [] } }));
});

afterEach(() => {
  expect(sharePointViolations(fake.requests.filter((r) => r.path.startsWith('/sites/')), sp)).toEqual([]);
  expect(checkRequests(fake.requests.filter((r) => !r.path.startsWith('/sites/'))).violations).toEqual([]);
  expect(fake.unmatched).toEqual([]);
});

async function tenant(): Promise<Services> {
  return createServices(loadConfig(tenantEnvFor({ sp, dataDir }), ROOT), createLogger('silent'), clock, { graphBaseUrl: fake.baseUrl, tokenSource: staticTokenSource('fake-app-token'), graphBaseDelayMs: 1 });
}

it('a supervisor leaving the people group is noticed through Graph delta and flagged to their line manager', async () => {
  const first = await tenant();
  const rel: Relationship = { id: 'rel-daniel-sam', kind: 'individual', supervisorId: DANIEL, superviseeIds: [SAM], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2024-01-01', active: true };
  await first.store.saveRelationship(rel);
  const notifier = new FakeNotifier();
  let instances = 0;
  // Each call is another instance (or a restart): its own worker id.
  const run = (s: Services) => createJobs(s, { notifier, tabUrl: 'https://pt.contoso.example/tab/' }, { workerId: `instance-${++instances}` }).find((j) => j.name === 'people-changes')!.run(clock.now());

  await run(first); // the baseline
  expect(notifier.sent).toEqual([]);
  expect((await first.graph!.registry.getDelta(GROUP_CURSOR))?.deltaLink).toContain('deltatoken=g1');
  expect((await first.graph!.registry.getDelta(MANAGER_CURSOR))?.deltaLink).toContain('deltatoken=u1');

  // Within the period nobody asks Graph again (one instance per 15 minutes, durably).
  const asked = fake.to('GET', '/groups/delta').length;
  await run(await tenant());
  expect(fake.to('GET', '/groups/delta')).toHaveLength(asked);

  // Another instance (or a restart) carries on from the links in SharePoint once the period is up.
  t += 16 * 60_000;
  const second = await tenant();
  await run(second);
  expect(fake.to('GET', '/groups/delta').map((r) => r.query.$deltatoken ?? 'first')).toEqual(['first', 'g1']);
  expect(notifier.sent.map((s) => s.aadObjectId)).toEqual([HELEN]);
  expect(notifier.sent[0]!.summary).toBe('A change in the team needs you');
  expect(JSON.stringify(notifier.sent[0]!.card)).toContain('Daniel Okafor has left the people group');
  const helen = (await second.directory.getPerson(HELEN))!;
  const flags = await listFlags(second, { ...helen, roles: ['line-manager'] });
  expect(flags).toEqual([expect.objectContaining({ kind: 'leaver-supervisor', personId: DANIEL, relationshipIds: ['rel-daniel-sam'], askIds: [HELEN], open: true })]);
  // Nothing moved by itself.
  expect(await second.store.getRelationship('rel-daniel-sam')).toMatchObject({ supervisorId: DANIEL, active: true });

  // A quiet round: nothing more said.
  t += 16 * 60_000;
  await run(second);
  expect(notifier.sent).toHaveLength(1);
});
