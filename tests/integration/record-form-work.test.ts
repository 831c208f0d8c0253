/**
 * The record form as durable work: a session turning held queues one work
 * item, and the worker posts its form, without listing every recently held
 * session; a post that fails is retried and goes out once; two workers never
 * post the same form twice; the catch-up finds held sessions nobody queued, and
 * an idle local run posts nothing again.
 */
import { recordFormsRun } from '../../src/jobs';
import type { Message } from '../../src/ports/messages';
import type { RecordStore } from '../../src/ports/store';
import { reconcile } from '../../src/usecases/reconcile';
import { RECORD_FORM_KIND } from '../../src/usecases/recordFormWork';
import { deliverRecordForms, queueMissingRecordForms, recordIdFor } from '../../src/usecases/records';
import { FakeNotifier } from '../support/fakeNotifier';
import { scenario } from '../support/scenario';

const W = 'worker-test';
const WF = { policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners' };
const FORM = 'Your supervision record is ready to write';

/** A notifier that refuses cards to the people in `down` (Teams throttling or unavailable for them). */
class FlakyNotifier extends FakeNotifier {
  down = new Set<string>();
  override async send(aadObjectId: string, message: Message) {
    if (this.down.has(aadObjectId)) throw new Error('Teams is unavailable (503)');
    return super.send(aadObjectId, message);
  }
}

/**
 * Daniel supervises Sam and Joe (Westmorland & Furness: either party records, so both get the form),
 * one session each, ending at 15:00 and 16:00 on 9 December. People's ids are their Entra ids.
 */
async function world() {
  const c = await scenario({
    now: '2026-11-23T09:00:00.000Z',
    people: [
      { id: 'daniel-okafor', displayName: 'Daniel Okafor', roles: ['supervisor'] },
      { id: 'sam-patel', displayName: 'Sam Patel', lineManagerId: 'daniel-okafor', ...WF },
      { id: 'joe-bennett', displayName: 'Joe Bennett', lineManagerId: 'daniel-okafor', ...WF },
    ],
    relationships: [
      { id: 'rel-daniel-sam', supervisorId: 'daniel-okafor', superviseeIds: ['sam-patel'], ...WF, startedOn: '2023-09-04' },
      { id: 'rel-daniel-joe', supervisorId: 'daniel-okafor', superviseeIds: ['joe-bennett'], ...WF, startedOn: '2023-09-04' },
    ],
    sessions: [
      { id: 's-sam', relationshipId: 'rel-daniel-sam', start: '2026-12-09T14:00:00.000Z', minutes: 60, inCalendar: true },
      { id: 's-joe', relationshipId: 'rel-daniel-joe', start: '2026-12-09T15:00:00.000Z', minutes: 60, inCalendar: true },
    ],
  });
  const notifier = new FlakyNotifier();
  const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
  const forms = (to?: string) => notifier.sent.filter((s) => s.summary === FORM && (!to || s.aadObjectId === to));
  const at = (iso: string) => c.clock.set(new Date(Date.parse(iso)).toISOString());
  const later = (ms: number) => c.clock.set(new Date(c.clock.now().getTime() + ms).toISOString());
  return { ...c, notifier, notify, forms, at, later };
}

/** The store, with every listing of held sessions across all arrangements (the catch-up's read) written down. */
function watchingHeldListings(store: RecordStore): { store: RecordStore; listings: unknown[] } {
  const listings: unknown[] = [];
  const watched = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'listSessions') {
        return (filter: Parameters<RecordStore['listSessions']>[0]) => {
          if (!filter.relationshipIds && filter.status?.includes('held')) listings.push(filter);
          return target.listSessions(filter);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: watched, listings };
}

describe('record forms as durable work', () => {
  it('a session the reconciler finds held gets its form on the next run, with no listing of held sessions', async () => {
    const c = await world();
    const { store, listings } = watchingHeldListings(c.store);
    const services = { ...c.services, store };
    // Only Sam's session has ended.
    c.at('2026-12-09T15:05:00.000Z');
    const [outcome] = (await reconcile(services, W)).filter((o) => o.relationshipId === 'rel-daniel-sam');
    expect(outcome!.held).toEqual(['s-sam']);
    expect(c.forms()).toHaveLength(0);

    expect(await deliverRecordForms(services, c.notify, W)).toBe(1);
    expect(c.forms('daniel-okafor')).toHaveLength(1);
    expect(c.forms('sam-patel')).toHaveLength(1);
    expect(c.forms('joe-bennett')).toHaveLength(0);
    expect((await c.store.getRecord(recordIdFor('s-sam')))!.status).toBe('draft');
    expect(await c.services.work.result(RECORD_FORM_KIND, 's-sam')).toEqual({ outcome: 'posted' });
    expect(listings).toEqual([]);

    // Nothing new: the worker finds nothing to do and posts nothing.
    c.later(60_000);
    expect(await deliverRecordForms(services, c.notify, W)).toBe(0);
    expect(c.forms()).toHaveLength(2);
    expect(listings).toEqual([]);
    await c.services.close();
  });

  it('a form whose post fails is retried with backoff, never holds up the others, and reaches each recorder once', async () => {
    const c = await world();
    c.at('2026-12-09T16:05:00.000Z');
    await reconcile(c.services, W);
    // Teams refuses Sam's cards for now: Sam's form fails part-way (Daniel, the first recorder, has his copy); Joe's goes out.
    c.notifier.down.add('sam-patel');
    expect(await deliverRecordForms(c.services, c.notify, W)).toBe(1);
    expect(c.forms('joe-bennett')).toHaveLength(1);
    expect(c.forms('daniel-okafor')).toHaveLength(2);
    expect(c.forms('sam-patel')).toHaveLength(0);
    expect(await c.services.work.result(RECORD_FORM_KIND, 's-sam')).toBeUndefined();

    // Not before its backoff: a run a moment later leaves it alone, even with Teams back.
    c.notifier.down.clear();
    c.later(1_000);
    expect(await deliverRecordForms(c.services, c.notify, W)).toBe(0);
    expect(c.forms('sam-patel')).toHaveLength(0);

    // After it: Sam's copy goes out, and Daniel's is not sent again.
    c.later(10_000);
    expect(await deliverRecordForms(c.services, c.notify, W)).toBe(1);
    expect(c.forms('sam-patel')).toHaveLength(1);
    expect(c.forms('daniel-okafor')).toHaveLength(2);
    expect(c.forms('joe-bennett')).toHaveLength(1);
    expect(await c.services.work.result(RECORD_FORM_KIND, 's-sam')).toEqual({ outcome: 'posted' });
    c.later(60 * 60_000);
    expect(await deliverRecordForms(c.services, c.notify, W)).toBe(0);
    expect(c.forms()).toHaveLength(4);
    await c.services.close();
  });

  it('two workers at once never post a form twice, and a worker waits while another holds the session', async () => {
    const c = await world();
    c.at('2026-12-09T16:05:00.000Z');
    await reconcile(c.services, W);
    // Another instance (perhaps one still listing held sessions) is posting Sam's form right now.
    expect(await c.services.work.acquireLease('record-card:s-sam', 'instance-old', c.clock.now().toISOString(), 60_000)).toBe(true);
    const posted = await Promise.all([deliverRecordForms(c.services, c.notify, 'instance-1'), deliverRecordForms(c.services, c.notify, 'instance-2')]);
    expect(posted.reduce((a, b) => a + b, 0)).toBe(1);
    expect(c.forms('joe-bennett')).toHaveLength(1);
    expect(c.forms('daniel-okafor')).toHaveLength(1);
    expect(c.forms('sam-patel')).toHaveLength(0);

    // That instance died holding it: once its lease has run out, Sam's form goes out, once, though both workers run.
    c.later(61_000);
    const again = await Promise.all([deliverRecordForms(c.services, c.notify, 'instance-2'), deliverRecordForms(c.services, c.notify, 'instance-1')]);
    expect(again.reduce((a, b) => a + b, 0)).toBe(1);
    c.later(61_000);
    await Promise.all([deliverRecordForms(c.services, c.notify, 'instance-1'), deliverRecordForms(c.services, c.notify, 'instance-2')]);
    expect(c.forms('sam-patel')).toHaveLength(1);
    expect(c.forms('daniel-okafor')).toHaveLength(2);
    expect(c.forms('joe-bennett')).toHaveLength(1);
    await c.services.close();
  });

  it('the catch-up queues held sessions nobody queued (stored held, or a crash before the enqueue); an idle local run posts nothing again', async () => {
    const c = await world();
    c.at('2026-12-09T16:05:00.000Z');
    // Stored held directly, as an import or a crash between the save and the enqueue would leave them: no work item.
    const sessions = await c.store.listSessions({ relationshipIds: ['rel-daniel-sam', 'rel-daniel-joe'] });
    await c.store.saveSessions(sessions.map((s) => ({ ...s, status: 'held' as const })));
    expect(await deliverRecordForms(c.services, c.notify, W)).toBe(0);

    const run = recordFormsRun(c.services, c.notify, W, false);
    await run(c.clock.now());
    expect(c.forms()).toHaveLength(4);
    for (const id of ['sam-patel', 'joe-bennett']) expect(c.forms(id)).toHaveLength(1);

    // Idle runs: nothing queued, nothing posted again (a fresh process too, which has not seen the forms posted).
    for (let i = 0; i < 3; i++) {
      c.later(60_000);
      await run(c.clock.now());
    }
    expect(await queueMissingRecordForms({ ...c.services, store: new Proxy(c.store, {}) })).toBe(0);
    expect(c.forms()).toHaveLength(4);
    await c.services.close();
  });
});
