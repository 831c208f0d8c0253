/**
 * The zone on a message is the zone of the arrangement's pack, set by the use
 * case: with the Westmorland pack moved to New York, a cancelled session's
 * rebooking (or the escalation when nothing fits) is told in New York time.
 */
import { PolicyPack } from '../../src/domain/policy/schema';
import { processRebooks } from '../../src/usecases/rebooking';
import { reconcile } from '../../src/usecases/reconcile';
import { DateTime } from 'luxon';
import { FakeNotifier } from '../support/fakeNotifier';
import { testServices } from '../support/services';

it('a rebooking under a pack in New York carries and shows New York time', async () => {
  const c = await testServices({ now: '2026-11-23T09:00:00.000Z' });
  const pack = c.services.policies.get('westmorland-furness-scp')!;
  c.services.policies.set(pack.id, PolicyPack.parse({ ...pack, timeZone: 'America/New_York' }));
  const [target] = (await c.store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'] })).slice(1);
  await c.calendar.cancelOccurrence('daniel-okafor', target!.calendarEventId!, target!.occurrenceStart, 'Off sick');
  await reconcile(c.services, 'w');
  const notifier = new FakeNotifier();
  expect(await processRebooks(c.services, { notifier, tabUrl: 'http://localhost:3978/tab/' }, 'w')).toBe(1);
  const told = notifier.sent.filter((s) => s.message.kind === 'rebooked' || s.message.kind === 'rebook-escalation');
  expect(told.length).toBeGreaterThan(0);
  const ny = DateTime.fromISO(target!.start, { zone: 'America/New_York' }).setLocale('en-GB').toFormat('ccc d LLL, HH:mm');
  const london = DateTime.fromISO(target!.start, { zone: 'Europe/London' }).setLocale('en-GB').toFormat('ccc d LLL, HH:mm');
  expect(ny).not.toBe(london);
  for (const s of told) {
    const m = s.message as Extract<typeof s.message, { kind: 'rebooked' | 'rebook-escalation' }>;
    expect(m.view.timeZone).toBe('America/New_York');
    expect(JSON.stringify(s.card)).toContain(ny);
    expect(JSON.stringify(s.card)).not.toContain(london);
  }
  await c.services.close();
});
