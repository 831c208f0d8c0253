/**
 * Lingfield's two record forms (Appendix 2: the child / family safeguarding
 * record and the staff member / incident form): the form card posted after a
 * session offers the other form; the supervisor (the recorder) switches the
 * draft to it and gets that form; the supervisee cannot; a submitted record
 * cannot change form. Cards stay valid Adaptive Cards.
 */
import { CardActionRouter } from '../../src/bot/cardActions';
import { registerRecordActions } from '../../src/bot/actions/records';
import type { AdaptiveCard } from '../support/fakeNotifier';
import { SEED_PEOPLE } from '../../src/seed/organisation';
import { reconcile } from '../../src/usecases/reconcile';
import { recordIdFor, startRecordsForHeldSessions } from '../../src/usecases/records';
import { cardProblems } from '../support/adaptiveCards';
import { FakeNotifier } from '../support/fakeNotifier';
import { testServices } from '../support/services';

const aad = (id: string) => SEED_PEOPLE.find((p) => p.id === id)!.aadObjectId;
const W = 'worker-test';

function useFormButtons(card: AdaptiveCard): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.verb === 'record.useForm') out.push(o.data as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('choosing the record form (Lingfield)', () => {
  it('the supervisor switches the draft to the staff/incident form; nobody else, and not after submission', async () => {
    const c = await testServices({ now: '2026-11-23T09:00:00.000Z' });
    // Daniel supervises Sam under the Lingfield policy for this test (a DSL and a headteacher).
    const rel = (await c.store.getRelationship('rel-daniel-sam'))!;
    await c.store.saveRelationship({ ...rel, policyId: 'lingfield-education-trust', staffGroupId: 'dsl-deputies', unit: 'st-marys' });
    const notifier = new FakeNotifier();
    const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
    const router = new CardActionRouter();
    registerRecordActions(router);
    const session = (await c.store.listSessions({ relationshipIds: [rel.id], status: ['planned'] }))[0]!;
    c.clock.set(new Date(Date.parse(session.end) + 5 * 60_000).toISOString());
    await reconcile(c.services, W);
    await startRecordsForHeldSessions(c.services, notify, W);
    const click = async (personId: string, verb: string, data: Record<string, unknown>) =>
      router.dispatch(verb, { services: c.services, notify, actor: (await c.services.directory.getPerson(personId))! }, data);

    const recordId = recordIdFor(session.id);
    expect((await c.store.getRecord(recordId))!.templateId).toBe('lingfield-safeguarding-record');
    // Lingfield: the supervisor records, so only Daniel gets the form, with the other form offered.
    const form = notifier.to(aad('daniel-okafor'))[0]!.card;
    expect(notifier.to(aad('sam-patel'))).toHaveLength(0);
    expect(cardProblems(form)).toEqual([]);
    const [button] = useFormButtons(form);
    expect(button).toMatchObject({ recordId, templateId: 'lingfield-staff-incident-record' });

    // The supervisee cannot choose the form.
    const refused = await click('sam-patel', 'record.useForm', button!);
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused.card)).toContain('Only the person who writes the record can choose its form');
    const switched = await click('daniel-okafor', 'record.useForm', button!);
    expect(switched.ok).toBe(true);
    const record = (await c.store.getRecord(recordId))!;
    expect(record).toMatchObject({ templateId: 'lingfield-staff-incident-record', status: 'draft' });
    const card = switched.card as AdaptiveCard;
    expect(JSON.stringify(card)).toContain('Staff member');
    expect(cardProblems(card)).toEqual([]);
    // ...and it offers the way back.
    expect(useFormButtons(card)).toEqual([expect.objectContaining({ templateId: 'lingfield-safeguarding-record' })]);
    expect(JSON.stringify(await c.store.listAudit({ subjectId: recordId }))).toContain('record-form-chosen');

    // Submitted: the form is fixed.
    await c.store.saveRecord({ ...record, status: 'submitted', submittedAt: c.clock.now().toISOString() }, record.etag);
    const after = (await c.store.getRecord(recordId))!;
    const late = await click('daniel-okafor', 'record.useForm', { recordId, etag: after.etag, templateId: 'lingfield-safeguarding-record' });
    expect(late.ok).toBe(false);
    expect(JSON.stringify(late.card)).toContain('The form can only be changed while the record is being written');
    expect((await c.store.getRecord(recordId))!.templateId).toBe('lingfield-staff-incident-record');
    await c.services.close();
  });
});
