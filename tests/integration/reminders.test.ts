import { registerDigestActions } from '../../src/bot/actions/digest';
import { CardActionRouter } from '../../src/bot/cardActions';
import { reconcile } from '../../src/usecases/reconcile';
import { dispatchDigests, planDigests, RateLimiter, sweepReminders } from '../../src/usecases/reminders';
import { FakeNotifier } from '../support/fakeNotifier';
import { scenario } from '../support/scenario';

const W = 'worker-test';
const fast = () => new RateLimiter(1000);

/**
 * Grace supervises Tom (a part-time health visitor) under the Staffordshire policy: every 16 weeks, the next on
 * Tuesday 1 December, the last held in August with a signed record, the agreement in date. Helen is Tom's line
 * manager. Daniel's arrangement with Amira (newly qualified, nothing booked) is overdue, so Daniel and Helen have
 * other things in their digests too.
 */
async function setup() {
  const c = await scenario({
    now: '2026-11-23T09:00:00.000Z',
    people: [
      { id: 'helen', displayName: 'Helen Carter', roles: ['line-manager'] },
      { id: 'grace', displayName: 'Grace Whitfield', roles: ['supervisor'], lineManagerId: 'helen', workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:30', end: '16:30', timeZone: 'Europe/London' } },
      { id: 'tom', displayName: 'Tom Reynolds', lineManagerId: 'helen', policyId: 'staffordshire-stoke-icb', staffGroupId: 'clinical', workingHours: { days: ['mon', 'tue', 'wed'], start: '09:00', end: '17:00', timeZone: 'Europe/London' } },
      { id: 'daniel', displayName: 'Daniel Okafor', roles: ['supervisor', 'line-manager'], lineManagerId: 'helen' },
      { id: 'amira', displayName: 'Amira Hussain', lineManagerId: 'daniel', policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners' },
    ],
    relationships: [
      { id: 'rel-grace-tom', supervisorId: 'grace', superviseeIds: ['tom'], policyId: 'staffordshire-stoke-icb', staffGroupId: 'clinical', startedOn: '2022-02-14' },
      { id: 'rel-daniel-amira', supervisorId: 'daniel', superviseeIds: ['amira'], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2026-09-07' },
    ],
    series: [{ relationshipId: 'rel-grace-tom', rrule: 'FREQ=WEEKLY;INTERVAL=16;BYDAY=TU', firstStart: '2026-12-01T14:00:00.000Z' }],
    sessions: [{ id: 'tom-august', relationshipId: 'rel-grace-tom', start: '2026-08-17T13:00:00.000Z', status: 'held' }],
    records: [{ sessionId: 'tom-august', relationshipId: 'rel-grace-tom', templateId: 'staffordshire-record', status: 'signed', authorId: 'tom', signers: ['tom', 'grace'], submittedAt: '2026-08-18T13:00:00.000Z', values: { date: '2026-08-17', supervisor: 'Grace Whitfield', supervisee: 'Tom Reynolds', concerns: 'None.' } }],
    agreements: [{ relationshipId: 'rel-grace-tom', templateId: 'staffordshire-agreement', frequency: 'Every 16 weeks', durationMinutes: 60, createdAt: '2026-02-16T10:00:00.000Z', reviewOn: '2027-02-16' }],
  });
  const aad = (id: string) => c.people.get(id)!.aadObjectId;
  const notifier = new FakeNotifier();
  const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
  const tomSession = (await c.store.listSessions({ relationshipIds: ['rel-grace-tom'], status: ['planned'] }))[0]!;
  const at = async (iso: string) => {
    c.clock.set(iso);
    await reconcile(c.services, W);
    await sweepReminders(c.services);
    return dispatchDigests(c.services, notify, W, fast());
  };
  return { ...c, notifier, notify, tomSession, at, digestsTo: (n: FakeNotifier, id: string) => n.to(aad(id)).filter((s) => s.summary.startsWith('Protected Time:')) };
}

const text = (card: unknown) => JSON.stringify(card);

describe('reminders and escalation (Staffordshire: the supervisee writes the record within 1 working day)', () => {
  it('climbs the ladder: supervisee, then supervisor after a week, then the line manager after two; one digest a day', async () => {
    const { notifier, tomSession, at, digestsTo } = await setup();
    expect(tomSession.start).toBe('2026-12-01T14:00:00.000Z');
    await at('2026-12-03T10:00:00.000Z'); // Thursday: record overdue since Wednesday 17:00
    expect(digestsTo(notifier, 'tom')).toHaveLength(1);
    expect(text(digestsTo(notifier, 'tom')[0]!.card)).toContain('Write the record of your session with Grace Whitfield');
    expect(digestsTo(notifier, 'grace')).toHaveLength(0);
    // The sweep runs all day: still one digest.
    await at('2026-12-03T11:00:00.000Z');
    await at('2026-12-03T15:00:00.000Z');
    expect(digestsTo(notifier, 'tom')).toHaveLength(1);

    await at('2026-12-10T10:00:00.000Z'); // a week late: the supervisor is told
    const grace = digestsTo(notifier, 'grace');
    expect(grace).toHaveLength(1);
    expect(text(grace[0]!.card)).toContain('Escalated to you');
    expect(text(grace[0]!.card)).toContain('Record of the session with Tom Reynolds on Tue 1 Dec (Tom Reynolds to write)');
    // Helen manages other people with things overdue, but Tom's record has not reached her step yet.
    const aboutTom = (id: string) => digestsTo(notifier, id).filter((d) => text(d.card).includes('record-due:rel-grace-tom'));
    expect(aboutTom('helen')).toHaveLength(0);

    await at('2026-12-17T10:00:00.000Z'); // two weeks late: the supervisee's line manager
    expect(aboutTom('helen')).toHaveLength(1);
    // Never more than one digest a day to anyone.
    for (const p of ['tom', 'grace', 'helen', 'daniel']) {
      const days = digestsTo(notifier, p).map((d) => d.posted.activityId);
      expect(new Set(days).size).toBe(days.length);
    }
  });

  it('keeps quiet hours and non-working days', async () => {
    const { notifier, at, digestsTo } = await setup();
    await at('2026-12-03T19:30:00.000Z'); // Thursday evening
    await at('2026-12-05T10:00:00.000Z'); // Saturday
    expect(digestsTo(notifier, 'tom')).toHaveLength(0);
    await at('2026-12-07T09:30:00.000Z'); // Monday morning
    expect(digestsTo(notifier, 'tom')).toHaveLength(1);
  });

  it('the dry-run plan says who and why, and changes nothing', async () => {
    const { services, clock } = await setup();
    clock.set('2026-12-03T10:00:00.000Z');
    await reconcile(services, W);
    const first = await planDigests(services);
    const tom = first.digests.find((d) => d.personId === 'tom')!;
    expect(tom.items[0]).toMatchObject({ kind: 'record-due', state: 'overdue', role: 'owe' });
    expect(tom.items[0]!.why).toMatch(/owes it/);
    const second = await planDigests(services);
    expect(second.digests.map((d) => d.personId)).toEqual(first.digests.map((d) => d.personId));
  });

  it('snooze keeps an item out of the next digests; only its recipient may snooze it', async () => {
    const { services, notifier, at, digestsTo } = await setup();
    await at('2026-12-03T10:00:00.000Z');
    const card = digestsTo(notifier, 'tom')[0]!.card;
    const m = /"obligationId":"([^"]+)"/.exec(text(card))!;
    const router = new CardActionRouter();
    registerDigestActions(router);
    const tom = (await services.directory.getPerson('tom'))!;
    const amira = (await services.directory.getPerson('amira'))!;
    const notify = { notifier, tabUrl: 'x' };
    expect((await router.dispatch('digest.snooze', { services, notify, actor: amira }, { obligationId: m[1], days: 7 })).ok).toBe(false);
    expect((await router.dispatch('digest.snooze', { services, notify, actor: tom }, { obligationId: m[1], days: 7 })).ok).toBe(true);
    await at('2026-12-04T10:00:00.000Z');
    await at('2026-12-08T10:00:00.000Z');
    const later = digestsTo(notifier, 'tom').slice(1).map((d) => text(d.card));
    expect(later.every((t) => !t.includes(m[1]!))).toBe(true);
  });

  it('a throttled send is retried later, never dropped', async () => {
    const { services, notifier, notify, clock, digestsTo } = await setup();
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
    expect(digestsTo(notifier, 'tom')).toHaveLength(1);
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
