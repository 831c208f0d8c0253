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
import { reconcile } from '../../src/usecases/reconcile';
import { deliverRecordForms, recordIdFor } from '../../src/usecases/records';
import { cardProblems } from '../support/adaptiveCards';
import { FakeNotifier } from '../support/fakeNotifier';
import { scenario } from '../support/scenario';

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
    // A headteacher supervises the school's designated safeguarding lead under the Lingfield policy; one session is booked.
    const c = await scenario({
      now: '2026-11-23T09:00:00.000Z',
      people: [
        { id: 'head', displayName: 'Headteacher', roles: ['supervisor'] },
        { id: 'dsl', displayName: 'Designated Safeguarding Lead', lineManagerId: 'head' },
      ],
      relationships: [{ id: 'r-head-dsl', supervisorId: 'head', superviseeIds: ['dsl'], policyId: 'lingfield-education-trust', staffGroupId: 'dsl-deputies', unit: 'st-marys' }],
      sessions: [{ id: 's-dec', relationshipId: 'r-head-dsl', start: '2026-12-09T14:00:00.000Z', minutes: 90, inCalendar: true }],
    });
    const aad = (id: string) => c.people.get(id)!.aadObjectId;
    const rel = (await c.store.getRelationship('r-head-dsl'))!;
    const notifier = new FakeNotifier();
    const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
    const router = new CardActionRouter();
    registerRecordActions(router);
    const [session] = await c.store.listSessions({ relationshipIds: [rel.id], status: ['planned'] });
    if (session?.id !== 's-dec') throw new Error('the booked session is not planned');
    c.clock.set(new Date(Date.parse(session.end) + 5 * 60_000).toISOString());
    // Marked held by the reconciler, which queues its form; the worker posts it.
    await reconcile(c.services, W);
    await deliverRecordForms(c.services, notify, W);
    const click = async (personId: string, verb: string, data: Record<string, unknown>) =>
      router.dispatch(verb, { services: c.services, notify, actor: (await c.services.directory.getPerson(personId))! }, data);

    const recordId = recordIdFor(session.id);
    expect((await c.store.getRecord(recordId))!.templateId).toBe('lingfield-safeguarding-record');
    // Lingfield: the supervisor records, so only the head gets the form, with the other form offered.
    const form = notifier.to(aad('head'))[0]!.card;
    expect(notifier.to(aad('dsl'))).toHaveLength(0);
    expect(cardProblems(form)).toEqual([]);
    const [button] = useFormButtons(form);
    expect(button).toMatchObject({ recordId, templateId: 'lingfield-staff-incident-record' });

    // The supervisee cannot choose the form.
    const refused = await click('dsl', 'record.useForm', button!);
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused.card)).toContain('Only the person who writes the record can choose its form');
    const switched = await click('head', 'record.useForm', button!);
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
    const late = await click('head', 'record.useForm', { recordId, etag: after.etag, templateId: 'lingfield-safeguarding-record' });
    expect(late.ok).toBe(false);
    expect(JSON.stringify(late.card)).toContain('The form can only be changed while the record is being written');
    expect((await c.store.getRecord(recordId))!.templateId).toBe('lingfield-staff-incident-record');
    await c.services.close();
  });
});
