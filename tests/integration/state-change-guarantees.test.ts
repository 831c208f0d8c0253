/**
 * What a person is told, and what is kept, around a state change:
 * - a message that fails after a record is signed is kept in the outbox and
 *   sent later; the signer is told their signature stands (item 5);
 * - request keys are scoped by arrangement and caller (item 6);
 * - signing names the agreement that was shown (item 7);
 * - a /plan preview stores nothing, even for a new group (item 9).
 */
import { CardActionRouter } from '../../src/bot/cardActions';
import { registerRecordActions } from '../../src/bot/actions/records';
import type { Message } from '../../src/ports/messages';
import type { AdaptiveCard } from '../support/fakeNotifier';
import { recordAgreement, signAgreement } from '../../src/usecases/agreements';
import { bookUrgent, proposeSeries } from '../../src/usecases/booking';
import { reconcile } from '../../src/usecases/reconcile';
import { deliverRecordForms, deliverRecordMessages, RECORD_MESSAGES_KIND, recordIdFor } from '../../src/usecases/records';
import { FakeNotifier } from '../support/fakeNotifier';
import { scenario } from '../support/scenario';

/** Cards are addressed by Entra object id; the scenario's people have their id as that. */
const aad = (id: string) => id;

const WF = { policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners' };
/**
 * Daniel supervises Sam monthly under Westmorland & Furness (either party records; the copy goes to the
 * supervisee), Grace supervises Tom under Staffordshire; Priya is the safeguarding lead. Daniel also supervises
 * Joe and Amira, with nothing booked (a group needs each member's own arrangement first).
 */
const world = () =>
  scenario({
    now: '2026-11-23T09:00:00.000Z',
    people: [
      { id: 'helen-carter', displayName: 'Helen Carter', roles: ['line-manager'] },
      { id: 'priya-shah', displayName: 'Priya Shah', roles: ['safeguarding-lead', 'auditor'], lineManagerId: 'helen-carter' },
      { id: 'daniel-okafor', displayName: 'Daniel Okafor', roles: ['supervisor', 'line-manager'], lineManagerId: 'helen-carter' },
      { id: 'grace-whitfield', displayName: 'Grace Whitfield', roles: ['supervisor'], lineManagerId: 'helen-carter' },
      { id: 'sam-patel', displayName: 'Sam Patel', lineManagerId: 'daniel-okafor', ...WF },
      { id: 'joe-bennett', displayName: 'Joe Bennett', lineManagerId: 'daniel-okafor', ...WF },
      { id: 'amira-hussain', displayName: 'Amira Hussain', lineManagerId: 'daniel-okafor', ...WF },
      { id: 'tom-reynolds', displayName: 'Tom Reynolds', lineManagerId: 'helen-carter', policyId: 'staffordshire-stoke-icb', staffGroupId: 'clinical' },
    ],
    relationships: [
      { id: 'rel-daniel-sam', supervisorId: 'daniel-okafor', superviseeIds: ['sam-patel'], ...WF, startedOn: '2023-09-04' },
      { id: 'rel-daniel-joe', supervisorId: 'daniel-okafor', superviseeIds: ['joe-bennett'], ...WF, startedOn: '2026-11-02' },
      { id: 'rel-daniel-amira', supervisorId: 'daniel-okafor', superviseeIds: ['amira-hussain'], ...WF, startedOn: '2026-09-07' },
      { id: 'rel-grace-tom', supervisorId: 'grace-whitfield', superviseeIds: ['tom-reynolds'], policyId: 'staffordshire-stoke-icb', staffGroupId: 'clinical', startedOn: '2022-02-14' },
    ],
    series: [{ relationshipId: 'rel-daniel-sam', rrule: 'FREQ=MONTHLY;BYDAY=+2WE', firstStart: '2026-12-09T14:00:00.000Z', minutes: 90 }],
    agreements: [{ relationshipId: 'rel-daniel-sam', createdAt: '2026-03-02T10:00:00.000Z', reviewOn: '2027-03-02' }],
  });
const W = 'worker-test';

function dataOf(card: AdaptiveCard, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (n: unknown) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Execute' && o.verb === verb) found = o.data as Record<string, unknown>;
    Object.values(o).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error(`no ${verb} on the card`);
  return found;
}

/** What Teams sends for a card's inputs when nobody changes them: their current values. */
function inputsOf(card: AdaptiveCard): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string' && o.value !== undefined) out[o.id] = o.value;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** A notifier that fails while `down` is set (Teams unavailable). */
class FlakyNotifier extends FakeNotifier {
  down = false;
  override async send(aadObjectId: string, message: Message) {
    if (this.down) throw new Error('Teams is unavailable (503)');
    return super.send(aadObjectId, message);
  }
}

describe('a message that fails after a state change', () => {
  it('is kept and sent later; the signer is told their change stands, not that nothing changed', async () => {
    const c = await world();
    const notifier = new FlakyNotifier();
    const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
    const router = new CardActionRouter();
    registerRecordActions(router);
    const session = (await c.store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'] }))[0]!;
    c.clock.set(new Date(Date.parse(session.end) + 5 * 60_000).toISOString());
    // Marked held by the reconciler, which queues its form; the worker posts it.
    await reconcile(c.services, W);
    await deliverRecordForms(c.services, notify, W);
    const click = async (who: string, verb: string, data: Record<string, unknown>) => router.dispatch(verb, { services: c.services, notify, actor: (await c.services.directory.getPerson(who))! }, data);

    const form = notifier.to(aad('daniel-okafor'))[0]!.card;
    const submitted = await click('daniel-okafor', 'record.submit', { ...inputsOf(form), experience: 'e', reflection: 'r', analysis: 'a', actionPlanning: 'p', ...dataOf(form, 'record.submit') });
    expect(submitted.ok).toBe(true);
    const countersign = notifier.to(aad('sam-patel')).find((s) => s.summary.includes('countersignature'))!.card;

    notifier.down = true;
    const answer = await click('sam-patel', 'record.countersign', dataOf(countersign, 'record.countersign'));
    const text = JSON.stringify(answer.card);
    expect(text).not.toContain('Nothing was changed');
    expect(text).toContain('Your change is saved');
    const recordId = recordIdFor(session.id);
    expect((await c.store.getRecord(recordId))!.status).toBe('signed');
    const copies = () => notifier.sent.filter((s) => s.summary === 'Your signed supervision record is ready');
    expect(copies()).toHaveLength(0);

    // Teams is back; the jobs deliver what the outbox holds, once.
    notifier.down = false;
    c.clock.set(new Date(c.clock.now().getTime() + 60 * 60_000).toISOString());
    const done = await deliverRecordMessages(c.services, notify, W);
    expect(done.size).toBe(1);
    // The signed copy goes to whom the policy says (here the supervisee), once: a second run sends nothing again.
    expect(copies().map((s) => s.aadObjectId)).toEqual([aad('sam-patel')]);
    await deliverRecordMessages(c.services, notify, W);
    expect(copies()).toHaveLength(1);
    expect(await c.services.work.result(RECORD_MESSAGES_KIND, [...done][0]!)).toEqual({ sent: true });
    await c.services.close();
  });
});

describe('request keys', () => {
  it('are scoped by arrangement and caller: the same key never returns or moves another booking', async () => {
    const c = await world();
    const daniel = (await c.services.directory.getPerson('daniel-okafor'))!;
    const grace = (await c.services.directory.getPerson('grace-whitfield'))!;
    const priya = (await c.services.directory.getPerson('priya-shah'))!;
    const a = await bookUrgent(c.services, daniel, { relationshipId: 'rel-daniel-sam', requestKey: 'same-key-0001' });
    const b = await bookUrgent(c.services, grace, { relationshipId: 'rel-grace-tom', requestKey: 'same-key-0001' });
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(false);
    expect(b.session.id).not.toBe(a.session.id);
    expect(b.session.relationshipId).toBe('rel-grace-tom');
    // The same caller and arrangement again: the same booking.
    expect(await bookUrgent(c.services, daniel, { relationshipId: 'rel-daniel-sam', requestKey: 'same-key-0001' })).toMatchObject({ duplicate: true, session: { id: a.session.id } });
    // Another caller on the same arrangement with the same key: their own request, not Daniel's booking handed back.
    const c2 = await bookUrgent(c.services, priya, { relationshipId: 'rel-daniel-sam', requestKey: 'same-key-0001' }).catch((e: { status: number }) => e);
    expect('session' in c2 ? c2.session.id : undefined).not.toBe(a.session.id);
    await c.services.close();
  });
});

describe('agreement signing', () => {
  it('signs the agreement that was shown, and refuses when a newer one was recorded meanwhile', async () => {
    const c = await world();
    const daniel = (await c.services.directory.getPerson('daniel-okafor'))!;
    const sam = (await c.services.directory.getPerson('sam-patel'))!;
    const shown = await recordAgreement(c.services, daniel, 'rel-daniel-sam', { frequency: 'Monthly', durationMinutes: 90, venue: 'Room 2', type: 'individual' });
    c.clock.set(new Date(c.clock.now().getTime() + 60_000).toISOString());
    const newer = await recordAgreement(c.services, daniel, 'rel-daniel-sam', { frequency: 'Weekly', durationMinutes: 60, venue: 'Room 9', type: 'individual' });
    await expect(signAgreement(c.services, sam, 'rel-daniel-sam', shown.id)).rejects.toMatchObject({ status: 409 });
    const [latest] = await c.store.listAgreements(['rel-daniel-sam']);
    expect(latest!.id).toBe(newer.id);
    expect(latest!.signatures.map((s) => s.personId)).toEqual(['daniel-okafor']);
    const signed = await signAgreement(c.services, sam, 'rel-daniel-sam', newer.id);
    expect(signed.signatures.map((s) => s.personId).sort()).toEqual(['daniel-okafor', 'sam-patel']);
    await c.services.close();
  });
});

describe('a /plan preview', () => {
  it('stores nothing, even for a group that does not exist yet', async () => {
    const c = await world();
    const daniel = (await c.services.directory.getPerson('daniel-okafor'))!;
    const before = await c.store.listRelationships({});
    const { target } = await proposeSeries(c.services, daniel, { superviseeIds: ['joe-bennett', 'amira-hussain'] });
    expect(target.relationship.kind).toBe('group');
    expect(await c.store.listRelationships({})).toEqual(before);
    await c.services.close();
  });
});
