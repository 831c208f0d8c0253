import { CardActionRouter } from '../../src/bot/cardActions';
import { registerRecordActions } from '../../src/bot/actions/records';
import type { AdaptiveCard } from '../support/fakeNotifier';
import { reconcile } from '../../src/usecases/reconcile';
import { recordFormsRun } from '../../src/jobs';
import { deliverRecordForms, recordIdFor } from '../../src/usecases/records';
import { FakeNotifier } from '../support/fakeNotifier';
import { scenario } from '../support/scenario';

/** Cards are addressed by Entra object id; the scenario's people have their id as that. */
const aad = (id: string) => id;
const W = 'worker-test';

/** Every Action.Execute in a card, by verb. */
function executes(card: AdaptiveCard): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.set(o.verb, (o.data ?? {}) as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
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

/** Clicking a button: the card's inputs plus what the person typed, merged with the button's data. */
function press(card: AdaptiveCard, verb: string, typed: Record<string, unknown> = {}) {
  const data = executes(card).get(verb);
  if (!data) throw new Error(`no ${verb} button on that card`);
  return { ...inputsOf(card), ...typed, ...data };
}

/**
 * Daniel supervises Sam monthly under the Westmorland & Furness guidance (either party may record; the
 * agreement is signed); Helen manages Daniel. Grace and Tom are in the organisation but not in this supervision.
 */
async function setup() {
  const c = await scenario({
    now: '2026-11-23T09:00:00.000Z',
    people: [
      { id: 'helen-carter', displayName: 'Helen Carter', roles: ['line-manager'] },
      { id: 'daniel-okafor', displayName: 'Daniel Okafor', roles: ['supervisor', 'line-manager'], lineManagerId: 'helen-carter' },
      { id: 'sam-patel', displayName: 'Sam Patel', lineManagerId: 'daniel-okafor', policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners' },
      { id: 'grace-whitfield', displayName: 'Grace Whitfield', roles: ['supervisor'], lineManagerId: 'helen-carter' },
      { id: 'tom-reynolds', displayName: 'Tom Reynolds', lineManagerId: 'helen-carter' },
    ],
    relationships: [{ id: 'rel-daniel-sam', supervisorId: 'daniel-okafor', superviseeIds: ['sam-patel'], policyId: 'westmorland-furness-scp', staffGroupId: 'practitioners', startedOn: '2023-09-04' }],
    series: [{ relationshipId: 'rel-daniel-sam', rrule: 'FREQ=MONTHLY;BYDAY=+2WE', firstStart: '2026-12-09T14:00:00.000Z', minutes: 90 }],
    agreements: [{ relationshipId: 'rel-daniel-sam', createdAt: '2026-03-02T10:00:00.000Z', reviewOn: '2027-03-02' }],
  });
  const relationshipId = 'rel-daniel-sam';
  const notifier = new FakeNotifier();
  const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
  const router = new CardActionRouter();
  registerRecordActions(router);
  const session = (await c.store.listSessions({ relationshipIds: [relationshipId], status: ['planned'] }))[0]!;
  // The session ends: the reconciler marks it held and queues its form; the worker posts it.
  c.clock.set(new Date(Date.parse(session.end) + 5 * 60_000).toISOString());
  await reconcile(c.services, W);
  await deliverRecordForms(c.services, notify, W);
  const click = async (personId: string, verb: string, data: Record<string, unknown>) => {
    const actor = (await c.services.directory.getPerson(personId))!;
    return router.dispatch(verb, { services: c.services, notify, actor }, data);
  };
  return { ...c, notifier, notify, session, click };
}

describe('record cards, end to end in the use case', () => {
  it('posts one form per recorder per held session, once, even when the job runs again', async () => {
    const { services, notifier, notify, session, store } = await setup();
    // Westmorland & Furness: "either" party may record, so both get the form.
    expect(notifier.to(aad('daniel-okafor'))).toHaveLength(1);
    expect(notifier.to(aad('sam-patel'))).toHaveLength(1);
    // The job's record-form step (locally: the catch-up listing, then the queue), run twice more.
    const recordForms = recordFormsRun(services, notify, W, false);
    await recordForms(services.clock.now());
    await recordForms(services.clock.now());
    expect(notifier.sent).toHaveLength(2);
    expect((await store.getRecordForSession(session.id))!.status).toBe('draft');
    expect(notifier.sent.every((s) => s.summary === 'Your supervision record is ready to write')).toBe(true);
  });

  it('draft, submit, countersign: locked record with both signatures, actions, copy and audit', async () => {
    const { notifier, click, session, store } = await setup();
    const recordId = recordIdFor(session.id);
    const form = notifier.to(aad('sam-patel'))[0]!.card;
    const save = executes(form).get('record.save')!;
    expect(save).toMatchObject({ recordId });

    const values = { experience: 'MARKER-CASE-DETAIL what happened', reflection: 'thinking', analysis: 'analysis', actionPlanning: 'plan' };
    const drafted = await click('sam-patel', 'record.save', press(form, 'record.save', values));
    expect(JSON.stringify(drafted.card)).toContain('Draft saved');
    const afterDraft = await store.getRecord(recordId);
    expect(afterDraft!.status).toBe('draft');

    // A stale card (old etag) is answered with the latest instead of acting.
    const stale = await click('sam-patel', 'record.submit', press(form, 'record.submit', values));
    expect(JSON.stringify(stale.card)).toContain('changed since that card was shown');

    const submitted = await click('sam-patel', 'record.submit', press(drafted.card, 'record.submit', {
      action_0_text: 'Book a strategy meeting', action_0_owner: 'supervisee', action_0_due: '2026-12-20',
    }));
    expect(submitted.ok).toBe(true);
    expect((await store.getRecord(recordId))!.status).toBe('submitted');

    const countersign = notifier.to(aad('daniel-okafor')).find((s) => s.summary === 'A supervision record is waiting for your countersignature')!;
    const signData = executes(countersign.card).get('record.countersign')!;
    // Sam cannot countersign their own record.
    expect(JSON.stringify((await click('sam-patel', 'record.countersign', signData)).card)).not.toContain('signed by');
    await click('daniel-okafor', 'record.countersign', signData);
    const signed = (await store.getRecord(recordId))!;
    expect(signed.status).toBe('signed');
    expect(signed.signatures.map((s) => s.personId).sort()).toEqual(['daniel-okafor', 'sam-patel']);
    const actions = await store.listActions({ recordId });
    expect(actions).toEqual([expect.objectContaining({ ownerId: 'sam-patel', dueOn: '2026-12-20', status: 'open', text: 'Book a strategy meeting' })]);
    expect(notifier.to(aad('sam-patel')).some((s) => s.summary === 'Your signed supervision record is ready')).toBe(true);
    // Cards in chat replaced by the summary: no case detail left there.
    expect(notifier.updated.length).toBeGreaterThanOrEqual(2);
    for (const u of notifier.updated) expect(JSON.stringify(u.card)).not.toContain('MARKER-CASE-DETAIL');
    const trail = (await store.listAudit({ subjectId: recordId, limit: 50 })).map((a) => a.action);
    expect(trail).toEqual(expect.arrayContaining(['record-started', 'record-save-draft', 'record-submit', 'record-countersign']));
    // Locked: a further edit is refused.
    const locked = await click('sam-patel', 'record.save', { ...press(drafted.card, 'record.save', values), etag: signed.etag });
    expect((await store.getRecord(recordId))!.version).toBe(1);
    expect(JSON.stringify(locked.card)).toContain('This record is signed and can no longer change');
    // The action is carried forward onto the next session's form.
    expect(actions[0]!.relationshipId).toBe('rel-daniel-sam');
  });

  it('a disagreement notifies the line manager without case detail', async () => {
    const { notifier, click, session, store } = await setup();
    const recordId = recordIdFor(session.id);
    const form = notifier.to(aad('daniel-okafor'))[0]!.card;
    await click('daniel-okafor', 'record.submit', press(form, 'record.submit', { experience: 'MARKER-2', reflection: 'r', analysis: 'a', actionPlanning: 'p' }));
    const card = notifier.to(aad('sam-patel')).find((s) => s.summary.includes('countersignature'))!;
    await click('sam-patel', 'record.disagree', press(card.card, 'record.disagree', { comment: 'I do not agree with the analysis' }));
    expect((await store.getRecord(recordId))!.status).toBe('disagreed');
    const helen = notifier.to(aad('helen-carter'));
    expect(helen).toHaveLength(1);
    expect(helen[0]!.summary).toBe('A supervision record has a recorded disagreement');
    expect(JSON.stringify(helen[0]!.card)).not.toMatch(/MARKER-2|do not agree/);
  });

  it('a forged action from someone who is not a party is refused and changes nothing', async () => {
    const { notifier, click, session, store } = await setup();
    const recordId = recordIdFor(session.id);
    const before = await store.getRecord(recordId);
    const form = notifier.to(aad('daniel-okafor'))[0]!.card;
    for (const intruder of ['grace-whitfield', 'helen-carter', 'tom-reynolds']) {
      const r = await click(intruder, 'record.submit', press(form, 'record.submit', { experience: 'forged', reflection: 'x', analysis: 'x', actionPlanning: 'x' }));
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r.card)).toContain('Only the people in this supervision');
    }
    expect(await store.getRecord(recordId)).toEqual(before);
    expect((await store.listAudit({ subjectId: recordId })).filter((a) => a.action === 'record-access-refused')).toHaveLength(3);
  });
});
