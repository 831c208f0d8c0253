/**
 * A digest stays a card people can read and every engine can carry, however much
 * has slipped: a supervisor with thirty overdue arrangements gets one digest that
 * lists DIGEST_MAX_ITEMS of them and counts the rest, and the queued payload stays
 * far below Teams' ~28 KB message limit and a SharePoint-only outbox's 63,999-character
 * field (before, the whole list was queued: a line manager's 120-arrangement digest
 * was 65,551 characters and the sweep threw).
 */
import { DIGEST_MAX_ITEMS } from '../../src/ports/messages';
import { dispatchDigests, planDigests, RateLimiter, REMINDER_KIND, sweepReminders } from '../../src/usecases/reminders';
import { FakeNotifier } from '../support/fakeNotifier';
import { scenario } from '../support/scenario';

const SUPERVISEES = 30;

it('a supervisor with thirty overdue arrangements gets one short digest that counts what it does not list; every item is recorded as told', async () => {
  const ids = Array.from({ length: SUPERVISEES }, (_, i) => `p${i}`);
  const c = await scenario({
    now: '2026-12-03T10:00:00.000Z',
    people: [
      { id: 'daniel', displayName: 'Daniel Okafor', roles: ['supervisor', 'line-manager'] },
      ...ids.map((id, i) => ({ id, displayName: `Practitioner ${i}`, lineManagerId: 'daniel', policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners' })),
    ],
    // Newly qualified, started in September, nothing booked: every arrangement is overdue.
    relationships: ids.map((id) => ({ id: `rel-${id}`, supervisorId: 'daniel', superviseeIds: [id], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2026-09-07' })),
  });
  const planned = (await planDigests(c.services)).digests.find((d) => d.personId === 'daniel')!;
  expect(planned.items.length).toBeGreaterThanOrEqual(SUPERVISEES);

  await sweepReminders(c.services);
  const [queued] = await c.services.work.lease('digest', 'inspect', c.clock.now().toISOString(), 1, 1000).then((items) => items.filter((i) => i.payload.personId === 'daniel'));
  const payload = queued!.payload as { items: unknown[]; more: number };
  expect(payload.items).toHaveLength(DIGEST_MAX_ITEMS);
  expect(payload.more).toBe(planned.items.length - DIGEST_MAX_ITEMS);
  expect(JSON.stringify(payload).length).toBeLessThan(28_000);
  // Counted is told: the next sweep does not list the others again today or this week.
  const told = (await c.store.listClaims(REMINDER_KIND)).filter((k) => k.key.includes('daniel'));
  expect(told).toHaveLength(planned.items.length);

  // Delivered (after the inspection lease above runs out): the card lists twelve and says how many more, the summary counts all.
  c.clock.set('2026-12-03T10:05:00.000Z');
  const notifier = new FakeNotifier();
  await dispatchDigests(c.services, { notifier, tabUrl: 'http://localhost:3978/tab/' }, 'w', new RateLimiter(1000));
  const [digest] = notifier.to(c.people.get('daniel')!.aadObjectId);
  expect(digest!.summary).toBe(`Protected Time: ${planned.items.length} things need your attention`);
  expect(JSON.stringify(digest!.card)).toContain(`…and ${planned.items.length - DIGEST_MAX_ITEMS} more in Protected Time.`);
  expect(JSON.stringify(digest!.card).length).toBeLessThan(28_000);
});
