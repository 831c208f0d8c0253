import { registerDigestActions } from '../../src/bot/actions/digest';
import { CardActionRouter } from '../../src/bot/cardActions';
import { SEED_PEOPLE } from '../../src/seed/organisation';
import { reconcile } from '../../src/usecases/reconcile';
import { dispatchDigests, planDigests, RateLimiter, sweepReminders } from '../../src/usecases/reminders';
import { FakeNotifier } from '../support/fakeNotifier';
import { testServices } from '../support/services';

const aad = (id: string) => SEED_PEOPLE.find((p) => p.id === id)!.aadObjectId;
const W = 'worker-test';
const fast = () => new RateLimiter(1000);

async function setup() {
  const c = await testServices({ now: '2026-11-23T09:00:00.000Z' });
  const notifier = new FakeNotifier();
  const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
  const tomSession = (await c.store.listSessions({ relationshipIds: ['rel-grace-tom'], status: ['planned'] }))[0]!;
  const at = async (iso: string) => {
    c.clock.set(iso);
    await reconcile(c.services, W);
    await sweepReminders(c.services);
    return dispatchDigests(c.services, notify, W, fast());
  };
  return { ...c, notifier, notify, tomSession, at };
}

const digestsTo = (n: FakeNotifier, id: string) => n.to(aad(id)).filter((s) => s.summary.startsWith('Protected Time:'));
const text = (card: unknown) => JSON.stringify(card);

describe('reminders and escalation (Staffordshire: the supervisee writes the record within 1 working day)', () => {
  it('climbs the ladder: supervisee, then supervisor after a week, then the line manager after two; one digest a day', async () => {
    const { notifier, tomSession, at } = await setup();
    expect(tomSession.start).toBe('2026-12-01T14:00:00.000Z');
    await at('2026-12-03T10:00:00.000Z'); // Thursday: record overdue since Wednesday 17:00
    expect(digestsTo(notifier, 'tom-reynolds')).toHaveLength(1);
    expect(text(digestsTo(notifier, 'tom-reynolds')[0]!.card)).toContain('Write the record of your session with Grace Whitfield');
    expect(digestsTo(notifier, 'grace-whitfield')).toHaveLength(0);
    // The sweep runs all day: still one digest.
    await at('2026-12-03T11:00:00.000Z');
    await at('2026-12-03T15:00:00.000Z');
    expect(digestsTo(notifier, 'tom-reynolds')).toHaveLength(1);

    await at('2026-12-10T10:00:00.000Z'); // a week late: the supervisor is told
    const grace = digestsTo(notifier, 'grace-whitfield');
    expect(grace).toHaveLength(1);
    expect(text(grace[0]!.card)).toContain('Escalated to you');
    expect(text(grace[0]!.card)).toContain('Record of the session with Tom Reynolds on Tue 1 Dec (Tom Reynolds to write)');
    // Helen manages other people with things overdue, but Tom's record has not reached her step yet.
    const aboutTom = (id: string) => digestsTo(notifier, id).filter((d) => text(d.card).includes('record-due:rel-grace-tom'));
    expect(aboutTom('helen-carter')).toHaveLength(0);

    await at('2026-12-17T10:00:00.000Z'); // two weeks late: the supervisee's line manager
    expect(aboutTom('helen-carter')).toHaveLength(1);
    // Never more than one digest a day to anyone.
    for (const p of ['tom-reynolds', 'grace-whitfield', 'helen-carter', 'daniel-okafor']) {
      const days = digestsTo(notifier, p).map((d) => d.posted.activityId);
      expect(new Set(days).size).toBe(days.length);
    }
  });

  it('keeps quiet hours and non-working days', async () => {
    const { notifier, at } = await setup();
    await at('2026-12-03T19:30:00.000Z'); // Thursday evening
    await at('2026-12-05T10:00:00.000Z'); // Saturday
    expect(digestsTo(notifier, 'tom-reynolds')).toHaveLength(0);
    await at('2026-12-07T09:30:00.000Z'); // Monday morning
    expect(digestsTo(notifier, 'tom-reynolds')).toHaveLength(1);
  });

  it('the dry-run plan says who and why, and changes nothing', async () => {
    const { services, clock } = await setup();
    clock.set('2026-12-03T10:00:00.000Z');
    await reconcile(services, W);
    const first = await planDigests(services);
    const tom = first.digests.find((d) => d.personId === 'tom-reynolds')!;
    expect(tom.items[0]).toMatchObject({ kind: 'record-due', state: 'overdue', role: 'owe' });
    expect(tom.items[0]!.why).toMatch(/owes it/);
    const second = await planDigests(services);
    expect(second.digests.map((d) => d.personId)).toEqual(first.digests.map((d) => d.personId));
  });

  it('snooze keeps an item out of the next digests; only its recipient may snooze it', async () => {
    const { services, notifier, at } = await setup();
    await at('2026-12-03T10:00:00.000Z');
    const card = digestsTo(notifier, 'tom-reynolds')[0]!.card;
    const m = /"obligationId":"([^"]+)"/.exec(text(card))!;
    const router = new CardActionRouter();
    registerDigestActions(router);
    const tom = (await services.directory.getPerson('tom-reynolds'))!;
    const sam = (await services.directory.getPerson('sam-patel'))!;
    const notify = { notifier, tabUrl: 'x' };
    expect((await router.dispatch('digest.snooze', { services, notify, actor: sam }, { obligationId: m[1], days: 7 })).ok).toBe(false);
    expect((await router.dispatch('digest.snooze', { services, notify, actor: tom }, { obligationId: m[1], days: 7 })).ok).toBe(true);
    await at('2026-12-04T10:00:00.000Z');
    await at('2026-12-08T10:00:00.000Z');
    const later = digestsTo(notifier, 'tom-reynolds').slice(1).map((d) => text(d.card));
    expect(later.every((t) => !t.includes(m[1]!))).toBe(true);
  });

  it('a throttled send is retried later, never dropped', async () => {
    const { services, notifier, notify, clock } = await setup();
    clock.set('2026-12-03T10:00:00.000Z');
    await reconcile(services, W);
    await sweepReminders(services);
    const realSend = notifier.send.bind(notifier);
    let throttled = 0;
    notifier.send = async (...args: Parameters<typeof realSend>) => {
      if (throttled++ === 0) throw Object.assign(new Error('Too Many Requests'), { response: { status: 429, headers: { 'retry-after': '0' } } });
      return realSend(...args);
    };
    const first = await dispatchDigests(services, notify, W, fast());
    expect(first.retried).toBe(1);
    const second = await dispatchDigests(services, notify, W, fast());
    expect(first.sent + second.sent).toBeGreaterThanOrEqual(1);
    expect(digestsTo(notifier, 'tom-reynolds')).toHaveLength(1);
  });

  it('the rate limiter holds the configured rate', async () => {
    let t = 0;
    const limiter = new RateLimiter(10, () => t, async (ms) => void (t += ms));
    for (let i = 0; i < 50; i++) await limiter.take();
    // 10 in the first instant (the bucket), then 40 at 10 per second.
    expect(t).toBeGreaterThanOrEqual(3999);
    expect(t).toBeLessThan(4100);
  });
});
