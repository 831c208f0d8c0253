import { chooseAlternative, keepCancelled, processRebooks, replacementId } from '../../src/usecases/rebooking';
import { reconcile } from '../../src/usecases/reconcile';
import { FakeNotifier } from '../support/fakeNotifier';
import { scenario } from '../support/scenario';

/** Cards are addressed by Entra object id; the scenario's people have their id as that. */
const aad = (id: string) => id;
const W = 'worker-test';

const WF = { policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners' };

/**
 * Daniel supervises Sam under Westmorland & Furness (a cancelled session is rebooked within two weeks),
 * monthly on the second Wednesday at 14:00 for 90 minutes from 9 December; Helen manages Daniel;
 * Grace is a supervisor with no part in it.
 */
async function setup() {
  const c = await scenario({
    now: '2026-11-23T09:00:00.000Z',
    people: [
      { id: 'helen-carter', displayName: 'Helen Carter', roles: ['line-manager'] },
      { id: 'daniel-okafor', displayName: 'Daniel Okafor', roles: ['supervisor', 'line-manager'], lineManagerId: 'helen-carter' },
      { id: 'grace-whitfield', displayName: 'Grace Whitfield', roles: ['supervisor'], lineManagerId: 'helen-carter' },
      { id: 'sam-patel', displayName: 'Sam Patel', lineManagerId: 'daniel-okafor', ...WF },
    ],
    relationships: [{ id: 'rel-daniel-sam', supervisorId: 'daniel-okafor', superviseeIds: ['sam-patel'], ...WF, startedOn: '2023-09-04' }],
    series: [{ relationshipId: 'rel-daniel-sam', rrule: 'FREQ=MONTHLY;BYDAY=+2WE', firstStart: '2026-12-09T14:00:00.000Z', minutes: 90 }],
  });
  const notifier = new FakeNotifier();
  const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
  const samSessions = await c.store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'] });
  const person = async (id: string) => (await c.services.directory.getPerson(id))!;
  return { ...c, notifier, notify, samSessions, person };
}

describe('reconciler and rebooking', () => {
  it('a cancelled occurrence is detected, rebooked near the original date in both calendars, and both people are told', async () => {
    const { services, calendar, store, notifier, notify, samSessions } = await setup();
    const target = samSessions[1]!; // the second monthly session
    await calendar.cancelOccurrence('daniel-okafor', target.calendarEventId!, target.occurrenceStart, 'Off sick');

    const [first] = (await reconcile(services, W)).filter((o) => o.relationshipId === 'rel-daniel-sam');
    expect(first).toMatchObject({ cancelled: [target.id], rebooksQueued: [target.id] });
    // Running it again changes nothing and queues nothing new.
    const [again] = (await reconcile(services, W)).filter((o) => o.relationshipId === 'rel-daniel-sam');
    expect(again).toMatchObject({ cancelled: [], rebooksQueued: [] });

    expect(await processRebooks(services, notify, W)).toBe(1);
    expect(await processRebooks(services, notify, W)).toBe(0);
    const replacement = (await store.listSessions({ relationshipIds: ['rel-daniel-sam'] })).find((s) => s.id === replacementId(target.id))!;
    expect(replacement).toMatchObject({ status: 'planned', kind: 'rebooked', replacesSessionId: target.id });
    const days = Math.abs(Date.parse(replacement.start) - Date.parse(target.start)) / 86_400_000;
    expect(days).toBeLessThanOrEqual(14); // Westmorland & Furness pack: within two weeks of the original date
    for (const person of ['daniel-okafor', 'sam-patel']) {
      const events = await calendar.listEvents(person, { start: replacement.start, end: replacement.end });
      expect(events.filter((e) => e.appTag === replacement.id)).toHaveLength(1);
      const cards = notifier.to(aad(person));
      expect(cards).toHaveLength(1);
      expect(cards[0]!.summary).toBe('Supervision rebooked');
      expect(JSON.stringify(cards[0]!.card)).toContain('rebook.choose');
    }
  });

  it('a supervisee declining counts as a cancellation', async () => {
    const { services, calendar, samSessions } = await setup();
    await calendar.respond('sam-patel', samSessions[0]!.calendarEventId!, 'declined');
    const [o] = (await reconcile(services, W)).filter((x) => x.relationshipId === 'rel-daniel-sam');
    // Declining the series declines every occurrence.
    expect(o!.cancelled.length).toBe(samSessions.length);
  });

  it('an occurrence moved by hand is respected, not undone or rebooked', async () => {
    const { services, calendar, store, samSessions } = await setup();
    const s = samSessions[2]!;
    const start = new Date(Date.parse(s.start) + 86_400_000).toISOString();
    const end = new Date(Date.parse(s.end) + 86_400_000).toISOString();
    await calendar.moveOccurrence('daniel-okafor', s.calendarEventId!, s.occurrenceStart, start, end);
    const [o] = (await reconcile(services, W)).filter((x) => x.relationshipId === 'rel-daniel-sam');
    expect(o).toMatchObject({ moved: [s.id], cancelled: [], rebooksQueued: [] });
    const after = (await store.listSessions({ relationshipIds: ['rel-daniel-sam'] })).find((x) => x.id === s.id)!;
    expect(after).toMatchObject({ start, end, status: 'planned' });
  });

  it('repairs a lost app tag and marks ended sessions held', async () => {
    const { services, calendar, store, samSessions, clock } = await setup();
    services.embedded!.calendar.stripAppTag(samSessions[0]!.calendarEventId!);
    clock.set(new Date(Date.parse(samSessions[0]!.end) + 60_000).toISOString());
    const [o] = (await reconcile(services, W)).filter((x) => x.relationshipId === 'rel-daniel-sam');
    expect(o!.repaired.length).toBeGreaterThan(0);
    expect(o!.held).toEqual([samSessions[0]!.id]);
    const events = await calendar.listEvents('sam-patel', { start: samSessions[1]!.start, end: samSessions[1]!.end });
    expect(events[0]!.appTag).toBe(samSessions[0]!.seriesId);
    const held = (await store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['held'] })).map((s) => s.id);
    expect(held).toEqual([samSessions[0]!.id]);
  });

  it('escalates to the line manager when nothing fits the window', async () => {
    const { services, calendar, notifier, notify, samSessions } = await setup();
    const target = samSessions[0]!;
    // Daniel is fully booked for a month around the session.
    await calendar.createEvent({
      organiserId: 'daniel-okafor', attendeeIds: [], subject: 'Court', start: new Date(Date.parse(target.start) - 20 * 86_400_000).toISOString(),
      end: new Date(Date.parse(target.start) + 20 * 86_400_000).toISOString(), timeZone: 'Europe/London', showAs: 'busy', sensitivity: 'normal',
      onlineMeeting: false, reminderMinutes: 0, appTag: '', transactionId: 'court-block',
    });
    await calendar.cancelOccurrence('daniel-okafor', target.calendarEventId!, target.occurrenceStart, '');
    await reconcile(services, W);
    await processRebooks(services, notify, W);
    const helen = notifier.to(aad('helen-carter'));
    expect(helen).toHaveLength(1);
    expect(helen[0]!.summary).toBe('Supervision could not be rebooked');
    expect(notifier.to(aad('daniel-okafor'))[0]!.summary).toBe('Supervision could not be rebooked');
    const audit = await services.store.listAudit({ subjectId: target.id });
    expect(audit.map((a) => a.action)).toContain('rebook-escalated');
  });

  it('choosing an offered alternative moves the event; other times and other people are refused', async () => {
    const { services, calendar, store, notify, samSessions, person, notifier } = await setup();
    const target = samSessions[1]!;
    await calendar.cancelOccurrence('daniel-okafor', target.calendarEventId!, target.occurrenceStart, '');
    await reconcile(services, W);
    await processRebooks(services, notify, W);
    const id = replacementId(target.id);
    const result = (await services.work.result('rebook', target.id)) as { alternatives: { start: string; end: string }[] };
    expect(result.alternatives.length).toBeGreaterThan(0);
    const alt = result.alternatives[0]!;

    // Someone else's session answers as a missing one.
    await expect(chooseAlternative(services, notify, await person('grace-whitfield'), { sessionId: id, relationshipId: 'rel-daniel-sam', ...alt })).rejects.toMatchObject({ status: 404 });
    await expect(chooseAlternative(services, notify, await person('sam-patel'), { sessionId: id, relationshipId: 'rel-daniel-sam', start: '2027-01-01T10:00:00.000Z', end: '2027-01-01T11:00:00.000Z' })).rejects.toMatchObject({ status: 400 });

    await chooseAlternative(services, notify, await person('sam-patel'), { sessionId: id, relationshipId: 'rel-daniel-sam', ...alt });
    const moved = (await store.listSessions({ relationshipIds: ['rel-daniel-sam'] })).find((s) => s.id === id)!;
    expect(moved).toMatchObject({ start: alt.start, end: alt.end });
    const events = await calendar.listEvents('daniel-okafor', { start: alt.start, end: alt.end });
    expect(events.filter((e) => e.appTag === id)).toHaveLength(1);
    expect(notifier.updated.length).toBe(2); // both people's rebook cards replaced
    // The reconciler agrees with the move.
    const [o] = (await reconcile(services, W)).filter((x) => x.relationshipId === 'rel-daniel-sam');
    expect(o).toMatchObject({ cancelled: [], moved: [] });
  });

  it('"keep it cancelled" cancels the rebooked event and is not rebooked again', async () => {
    const { services, calendar, store, notify, samSessions, person } = await setup();
    const target = samSessions[1]!;
    await calendar.cancelOccurrence('daniel-okafor', target.calendarEventId!, target.occurrenceStart, '');
    await reconcile(services, W);
    // The history keeps when the cancellation was found (the rebook obligation runs from it).
    const found = (await store.listSessions({ relationshipIds: ['rel-daniel-sam'] })).find((s) => s.id === target.id)!;
    expect(found).toMatchObject({ status: 'cancelled', cancelledAt: services.clock.now().toISOString() });
    await processRebooks(services, notify, W);
    const id = replacementId(target.id);
    await expect(keepCancelled(services, notify, await person('daniel-okafor'), { sessionId: id, relationshipId: 'rel-daniel-sam', reason: '' })).rejects.toMatchObject({ status: 400 });
    await keepCancelled(services, notify, await person('daniel-okafor'), { sessionId: id, relationshipId: 'rel-daniel-sam', reason: 'Leaving the service' });
    expect((await store.listSessions({ relationshipIds: ['rel-daniel-sam'] })).find((s) => s.id === id)).toMatchObject({ status: 'cancelled', cancelledAt: services.clock.now().toISOString() });
    const [o] = (await reconcile(services, W)).filter((x) => x.relationshipId === 'rel-daniel-sam');
    expect(o!.rebooksQueued).toEqual([]);
    expect(await processRebooks(services, notify, W)).toBe(0);
    expect(JSON.stringify(await services.store.listAudit({ subjectId: id }))).not.toContain('Leaving the service');
  });
});
