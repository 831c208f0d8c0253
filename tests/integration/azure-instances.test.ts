/**
 * Three instances on one Azure Storage account (Azurite) and one record store:
 * their timeline drivers and dispatchers run at the same time over the seed
 * organisation. Every person due a digest gets exactly one (none twice, none
 * lost), the same people today's single-instance sweep would tell, and the
 * consistency sweep runs on one instance only.
 */
import { AzureDurableParts, withAzureDurableWork } from '../../src/adapters/azure/azureDurableStore';
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { AzureTimeline } from '../../src/adapters/azure/azureTimeline';
import { AzureTokenBucket } from '../../src/adapters/azure/azureTokenBucket';
import { AzureWorkQueue } from '../../src/adapters/azure/azureWorkQueue';
import type { Services } from '../../src/runtime/services';
import { dispatchDigests, RateLimiter, sweepReminders } from '../../src/usecases/reminders';
import { signalChanges } from '../../src/adapters/signallingStore';
import { TimelineDriver } from '../../src/usecases/timelines';
import { useAzurite } from '../support/azurite';
import { FakeNotifier } from '../support/fakeNotifier';
import { testServices } from '../support/services';

const azurite = useAzurite();
jest.setTimeout(90_000);

const NOW = '2026-11-23T10:00:00.000Z';
const digestRecipients = (n: FakeNotifier) => n.sent.filter((s) => s.summary.startsWith('Protected Time:')).map((s) => s.aadObjectId);

it('three instances wake, judge and dispatch together: each digest once, none lost, as one instance would', async () => {
  // What today's single instance sends.
  const single = await testServices({ now: NOW });
  const singleNotifier = new FakeNotifier();
  await sweepReminders(single.services);
  await dispatchDigests(single.services, { notifier: singleNotifier, tabUrl: 'https://pt.example/tab/' }, 'solo', new RateLimiter(1000));
  const expected = digestRecipients(singleNotifier).sort();
  expect(expected.length).toBeGreaterThan(2);

  // Three instances: one record store (SQLite here), one Azure account for everything durable.
  const shared = await testServices({ now: NOW });
  const prefix = azurite().uniqueName('i');
  const notifier = new FakeNotifier();
  const instances = [0, 1, 2].map((k) => {
    const storage = new AzureStorage({ connectionString: azurite().connectionString, prefix });
    const timeline = new AzureTimeline(storage);
    const parts = new AzureDurableParts(storage);
    const services: Services = {
      ...shared.services,
      store: signalChanges(withAzureDurableWork(shared.store, parts), timeline, shared.clock, shared.services.log),
      work: new AzureWorkQueue(storage),
      timeline,
      pruning: parts,
      sendBudget: new AzureTokenBucket(storage, { perSecond: 20 }),
    };
    return { k, services, driver: new TimelineDriver(services, timeline, `instance-${k}`) };
  });
  const runs = await Promise.all(instances.map((x) => x.driver.run()));
  // One consistency sweep across the three (the lease), which woke everyone; the cycles shared the work.
  expect(runs.filter((r) => r.sweep).length).toBe(1);
  const relationships = (await shared.store.listRelationships({ activeOnly: true })).length;
  const judged = runs.reduce((a, r) => a + r.cycle.woken, 0);
  expect(judged).toBeGreaterThanOrEqual(relationships);
  // Everyone was judged; nothing is left due.
  for (const x of instances) expect((await x.driver.run()).cycle.woken).toBe(0);
  await Promise.all(instances.map((x) => dispatchDigests(x.services, { notifier, tabUrl: 'https://pt.example/tab/' }, `instance-${x.k}`, x.services.sendBudget!, 200, 4)));
  const got = digestRecipients(notifier).sort();
  expect(got).toEqual(expected);
  expect(new Set(got).size).toBe(got.length);
  // Running again (same day) sends nothing more.
  await Promise.all(instances.map((x) => x.driver.run()));
  await Promise.all(instances.map((x) => dispatchDigests(x.services, { notifier, tabUrl: 'https://pt.example/tab/' }, `instance-${x.k}`, x.services.sendBudget!, 200, 4)));
  expect(digestRecipients(notifier).sort()).toEqual(expected);
});
