/**
 * The RecordStore's behaviour, as the embedded store (src/adapters/embedded/store.ts)
 * defines it, for any adapter: run against the embedded store
 * (embedded-store.behaviour.test.ts) and the SharePoint store over the fake Graph
 * (sharepoint-store.contract.test.ts), so the two are proven to behave the same.
 *
 * Each test gets a fresh, empty store with the people below known to it (the
 * embedded store's foreign keys need them).
 */
import type { ActionItem, Agreement, AuditEntry, Person, Relationship, Series, SupervisionRecord } from '../../src/domain/model';
import { ConcurrencyError, type CardMessage, type RecordStore } from '../../src/ports/store';
import { aSession } from '../support/builders';

export interface StoreUnderTest {
  store: RecordStore;
  close?: () => void | Promise<void>;
  /** Whether the store's own bytes (files, list items and their versions) still hold `text` anywhere. */
  holdsText?: (text: string) => Promise<boolean>;
}

const person = (id: string, roles: Person['roles']): Person => ({
  id,
  displayName: id,
  email: `${id}@contoso.example`,
  aadObjectId: `aad-${id}`,
  jobTitle: 'Social Worker',
  team: 'Children in Need East',
  roles,
});

export const BEHAVIOUR_PEOPLE: Person[] = [
  person('p-sup', ['supervisor']),
  person('p-dee', ['supervisor', 'line-manager']),
  person('p-ria', ['practitioner']),
  person('p-sam', ['practitioner']),
  person('p-ola', ['practitioner']),
];

const r1: Relationship = {
  id: 'r1',
  kind: 'individual',
  supervisorId: 'p-sup',
  superviseeIds: ['p-ria'],
  policyId: 'leicestershire-cfs',
  staffGroupId: 'social-workers',
  startedOn: '2026-01-05',
  override: { interval: 'P2W', until: '2026-07-05', reason: 'newly-qualified' },
  active: true,
};
const r2: Relationship = { id: 'r2', kind: 'group', supervisorId: 'p-dee', superviseeIds: ['p-sam', 'p-ola'], policyId: 'leicestershire-cfs', staffGroupId: 'social-workers', startedOn: '2026-02-01', active: true };
const r3: Relationship = { id: 'r3', kind: 'individual', supervisorId: 'p-sup', superviseeIds: ['p-sam'], policyId: 'leicestershire-cfs', staffGroupId: 'social-workers', startedOn: '2025-02-01', active: false };

const series = (id: string, firstStart: string, requestKey: string, relationshipId = 'r1'): Series => ({
  id,
  relationshipId,
  organiserId: 'p-sup',
  attendeeIds: ['p-ria'],
  rrule: 'FREQ=WEEKLY;INTERVAL=4',
  firstStart,
  durationMinutes: 60,
  timeZone: 'Europe/London',
  requestKey,
  createdAt: '2026-11-20T09:00:00.000Z',
  createdBy: 'p-sup',
});

const agreement = (id: string, relationshipId: string, createdAt: string, extra: Partial<Agreement> = {}): Agreement => ({
  id,
  relationshipId,
  templateId: 'standard-agreement',
  values: { expectations: 'Come prepared with cases to discuss.' },
  frequency: 'P4W',
  durationMinutes: 90,
  venue: 'Teams',
  type: 'individual',
  reviewOn: '2027-01-01',
  status: 'draft',
  signatures: [],
  createdAt,
  ...extra,
});

const record = (id: string, sessionId: string, relationshipId: string, updatedAt: string, extra: Partial<SupervisionRecord> = {}): SupervisionRecord => ({
  id,
  sessionId,
  relationshipId,
  templateId: 'standard-record',
  version: 1,
  status: 'draft',
  authorId: 'p-sup',
  values: { discussion: 'Child A: risk reviewed; plan agreed.', wellbeing: 3 },
  signatures: [],
  createdAt: updatedAt,
  updatedAt,
  etag: '',
  ...extra,
});

const action = (id: string, relationshipId: string, recordId: string, ownerId: string, dueOn: string, status: ActionItem['status']): ActionItem => ({
  id,
  relationshipId,
  sessionId: 's1',
  recordId,
  text: `Action ${id}`,
  ownerId,
  dueOn,
  outcomeForChild: 'Safer at home',
  status,
});

const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

export function recordStoreBehaviour(name: string, makeStore: (people: Person[]) => Promise<StoreUnderTest>): void {
  describe(`RecordStore behaviour: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: RecordStore;

    beforeEach(async () => {
      sut = await makeStore(BEHAVIOUR_PEOPLE);
      store = sut.store;
    });
    afterEach(async () => {
      await sut.close?.();
    });

    const withRelationships = async () => {
      for (const r of [r2, r1, r3]) await store.saveRelationship(r);
    };

    it('relationships round-trip with their members (sorted), filtered by person and by activity', async () => {
      await withRelationships();
      expect(await store.getRelationship('r1')).toEqual(r1);
      expect(await store.getRelationship('r2')).toEqual({ ...r2, superviseeIds: ['p-ola', 'p-sam'], override: undefined });
      expect(await store.getRelationship('nope')).toBeUndefined();
      expect(ids(await store.listRelationships())).toEqual(['r1', 'r2', 'r3']);
      expect(ids(await store.listRelationships({ personId: 'p-sup' }))).toEqual(['r1', 'r3']);
      expect(ids(await store.listRelationships({ personId: 'p-sam' }))).toEqual(['r2', 'r3']);
      expect(ids(await store.listRelationships({ personId: 'p-sam', activeOnly: true }))).toEqual(['r2']);
      expect(ids(await store.listRelationships({ activeOnly: true }))).toEqual(['r1', 'r2']);
      expect(await store.listRelationships({ personId: 'nobody' })).toEqual([]);

      // Saving again replaces the members and the rest.
      await store.saveRelationship({ ...r2, superviseeIds: ['p-ola'], active: false, staffGroupId: 'senior-practitioners' });
      expect(await store.getRelationship('r2')).toEqual({ ...r2, superviseeIds: ['p-ola'], active: false, staffGroupId: 'senior-practitioners', override: undefined });
      expect(ids(await store.listRelationships({ personId: 'p-sam' }))).toEqual(['r3']);
      expect(ids(await store.listRelationships())).toEqual(['r1', 'r2', 'r3']);
    });

    it('relationships keep their school (unit) and a stepped ramp override', async () => {
      await withRelationships();
      const ramp = { interval: 'P1W', until: '2026-10-18', then: [{ interval: 'P2W', until: '2027-03-06' }], reason: 'newly-qualified' as const };
      await store.saveRelationship({ ...r1, unit: 'st-marys-primary', override: ramp });
      expect(await store.getRelationship('r1')).toEqual({ ...r1, unit: 'st-marys-primary', override: ramp });
      await store.saveRelationship({ ...r1, unit: undefined, override: undefined });
      expect(await store.getRelationship('r1')).toEqual({ ...r1, unit: undefined, override: undefined });
    });

    it('series: found by request key, listed by first start; a second save changes only event id, rule and attendees', async () => {
      await withRelationships();
      const s1 = series('ser-1', '2026-12-01T10:00:00.000Z', 'book:r1:2026-11-20');
      const s2 = series('ser-2', '2027-01-05T10:00:00.000Z', 'book:r1:2026-12-20');
      await store.saveSeries(s2);
      await store.saveSeries(s1);
      expect(await store.getSeriesByRequestKey('book:r1:2026-11-20')).toEqual({ ...s1, calendarEventId: undefined });
      expect(await store.getSeriesByRequestKey('BOOK:R1:2026-11-20')).toBeUndefined();
      expect(await store.getSeriesByRequestKey('unknown')).toBeUndefined();
      expect(ids(await store.listSeries('r1'))).toEqual(['ser-1', 'ser-2']);
      expect(await store.listSeries('r2')).toEqual([]);

      await store.saveSeries({ ...s1, calendarEventId: 'evt-1', rrule: 'FREQ=WEEKLY;INTERVAL=2', attendeeIds: ['p-ria', 'p-dee'], durationMinutes: 90, timeZone: 'Europe/Paris' });
      expect(await store.getSeriesByRequestKey('book:r1:2026-11-20')).toEqual({ ...s1, calendarEventId: 'evt-1', rrule: 'FREQ=WEEKLY;INTERVAL=2', attendeeIds: ['p-ria', 'p-dee'] });
    });

    it('sessions: filtered by relationships, window and status, ordered by start; a second save keeps relationship and series', async () => {
      await withRelationships();
      await store.saveSeries(series('ser-1', '2026-12-01T10:00:00.000Z', 'k1'));
      const a = aSession({ id: 's-a', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T11:00:00.000Z', status: 'planned', seriesId: 'ser-1', occurrenceStart: '2026-12-01T10:00:00.000Z', calendarEventId: 'evt-1' });
      const b = aSession({ id: 's-b', relationshipId: 'r1', start: '2026-12-08T10:00:00.000Z', end: '2026-12-08T11:00:00.000Z', status: 'held' });
      const c = aSession({ id: 's-c', relationshipId: 'r2', start: '2026-12-03T09:00:00.000Z', end: '2026-12-03T10:00:00.000Z', status: 'cancelled' });
      const d = aSession({ id: 's-d', relationshipId: 'r2', start: '2026-11-30T14:00:00.000Z', end: '2026-11-30T15:00:00.000Z', status: 'planned', kind: 'rebooked', replacesSessionId: 's-c' });
      await store.saveSessions([a, b, c, d]);

      expect(await store.listSessions({})).toEqual([
        { ...d, seriesId: undefined, calendarEventId: undefined, occurrenceStart: undefined },
        { ...a, replacesSessionId: undefined },
        { ...c, seriesId: undefined, calendarEventId: undefined, occurrenceStart: undefined, replacesSessionId: undefined },
        { ...b, seriesId: undefined, calendarEventId: undefined, occurrenceStart: undefined, replacesSessionId: undefined },
      ]);
      expect(ids(await store.listSessions({ relationshipIds: ['r1'] }))).toEqual(['s-a', 's-b']);
      expect(ids(await store.listSessions({ relationshipIds: ['r1', 'r2'] }))).toEqual(['s-d', 's-a', 's-c', 's-b']);
      expect(await store.listSessions({ relationshipIds: [] })).toEqual([]);
      // end > from, start < to: touching the window's edge is outside it.
      expect(ids(await store.listSessions({ from: '2026-12-01T11:00:00.000Z' }))).toEqual(['s-c', 's-b']);
      expect(ids(await store.listSessions({ to: '2026-12-01T10:00:00.000Z' }))).toEqual(['s-d']);
      expect(ids(await store.listSessions({ from: '2026-11-30T14:30:00.000Z', to: '2026-12-03T09:00:00.000Z' }))).toEqual(['s-d', 's-a']);
      expect(ids(await store.listSessions({ status: ['planned', 'held'] }))).toEqual(['s-d', 's-a', 's-b']);
      expect(ids(await store.listSessions({ relationshipIds: ['r2'], status: ['cancelled'] }))).toEqual(['s-c']);

      // Instants are compared exactly, to the millisecond.
      const e = aSession({ id: 's-e', relationshipId: 'r1', start: '2026-12-10T10:00:00.500Z', end: '2026-12-10T10:30:00.500Z', status: 'planned' });
      await store.saveSessions([e]);
      expect(ids(await store.listSessions({ from: '2026-12-10T10:30:00.400Z' }))).toEqual(['s-e']);
      expect(ids(await store.listSessions({ from: '2026-12-10T10:30:00.500Z' }))).toEqual([]);
      expect(ids(await store.listSessions({ to: '2026-12-10T10:00:00.501Z', from: '2026-12-09T00:00:00.000Z' }))).toEqual(['s-e']);
      expect(ids(await store.listSessions({ to: '2026-12-10T10:00:00.500Z', from: '2026-12-09T00:00:00.000Z' }))).toEqual([]);

      // A second save updates times, status, kind and event, not the relationship or series.
      await store.saveSessions([{ ...a, relationshipId: 'r2', seriesId: undefined, status: 'cancelled', calendarEventId: 'evt-9', start: '2026-12-01T12:00:00.000Z', end: '2026-12-01T13:00:00.000Z' }]);
      expect((await store.listSessions({ relationshipIds: ['r1'] })).find((s) => s.id === 's-a')).toEqual({
        ...a,
        status: 'cancelled',
        calendarEventId: 'evt-9',
        start: '2026-12-01T12:00:00.000Z',
        end: '2026-12-01T13:00:00.000Z',
        replacesSessionId: undefined,
      });
      expect(ids(await store.listSessions({ relationshipIds: ['r2'] }))).toEqual(['s-d', 's-c']);
    });

    it('sessions: one by id, whatever its relationship, as listSessions has it; undefined when there is none', async () => {
      await withRelationships();
      await store.saveSeries(series('ser-1', '2026-12-01T10:00:00.000Z', 'k1'));
      const a = aSession({ id: 's-a', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T11:00:00.000Z', status: 'planned', seriesId: 'ser-1', occurrenceStart: '2026-12-01T10:00:00.000Z', calendarEventId: 'evt-1' });
      const d = aSession({ id: 's-d', relationshipId: 'r2', start: '2026-11-30T14:00:00.000Z', end: '2026-11-30T15:00:00.000Z', status: 'planned', kind: 'rebooked', replacesSessionId: 's-c' });
      expect(await store.getSession('s-a')).toBeUndefined();
      await store.saveSessions([a, d]);
      expect(await store.getSession('s-a')).toEqual((await store.listSessions({ relationshipIds: ['r1'] }))[0]);
      expect(await store.getSession('s-a')).toEqual({ ...a, replacesSessionId: undefined });
      expect(await store.getSession('s-d')).toEqual({ ...d, seriesId: undefined, calendarEventId: undefined, occurrenceStart: undefined });
      expect(await store.getSession('s-')).toBeUndefined();
      expect(await store.getSession('nope')).toBeUndefined();
      // After a second save: the new times and status, the first relationship and series.
      await store.saveSessions([{ ...a, relationshipId: 'r2', status: 'cancelled', cancelledAt: '2026-11-29T08:00:00.000Z', start: '2026-12-01T12:00:00.000Z', end: '2026-12-01T13:00:00.000Z' }]);
      expect(await store.getSession('s-a')).toEqual({ ...a, status: 'cancelled', cancelledAt: '2026-11-29T08:00:00.000Z', start: '2026-12-01T12:00:00.000Z', end: '2026-12-01T13:00:00.000Z', replacesSessionId: undefined });
    });

    it('sessions: keep when they were cancelled (the first time seen), and drop it once no longer cancelled', async () => {
      await withRelationships();
      const s = aSession({ id: 's-x', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T11:00:00.000Z', status: 'planned' });
      await store.saveSessions([s]);
      expect((await store.listSessions({ relationshipIds: ['r1'] }))[0]!.cancelledAt).toBeUndefined();
      await store.saveSessions([{ ...s, status: 'cancelled', cancelledAt: '2026-11-20T08:15:00.000Z' }]);
      expect((await store.listSessions({ relationshipIds: ['r1'] }))[0]).toEqual({ ...s, status: 'cancelled', cancelledAt: '2026-11-20T08:15:00.000Z' });
      // Saved again (a later sweep, another writer): the first cancellation time stands.
      await store.saveSessions([{ ...s, status: 'cancelled', cancelledAt: '2026-11-21T09:00:00.000Z' }]);
      await store.saveSessions([{ ...s, status: 'cancelled' }]);
      expect((await store.listSessions({ relationshipIds: ['r1'] }))[0]!.cancelledAt).toBe('2026-11-20T08:15:00.000Z');
      // A missed session records when it was found missed, the same way.
      await store.saveSessions([{ ...aSession({ id: 's-y', relationshipId: 'r1', start: '2026-12-02T10:00:00.000Z', end: '2026-12-02T11:00:00.000Z', status: 'missed' }), cancelledAt: '2026-12-02T12:00:00.000Z' }]);
      expect((await store.listSessions({ relationshipIds: ['r1'], status: ['missed'] }))[0]!.cancelledAt).toBe('2026-12-02T12:00:00.000Z');
      // Back to planned (a cancellation undone): no cancellation time.
      await store.saveSessions([{ ...s, status: 'planned', cancelledAt: '2026-11-20T08:15:00.000Z' }]);
      expect((await store.listSessions({ relationshipIds: ['r1'], status: ['planned'] }))[0]!.cancelledAt).toBeUndefined();
    });

    it('agreements: the latest of each relationship', async () => {
      await withRelationships();
      const a1 = agreement('a1', 'r1', '2026-01-01T09:00:00.000Z', { status: 'signed' });
      const a2 = agreement('a2', 'r1', '2026-06-01T09:00:00.000Z');
      const a3 = agreement('a3', 'r2', '2026-03-01T09:00:00.000Z', { type: 'group' });
      for (const a of [a2, a3, a1]) await store.saveAgreement(a);
      const sorted = (xs: Agreement[]) => [...xs].sort((x, y) => x.id.localeCompare(y.id));
      expect(sorted(await store.listAgreements(['r1', 'r2']))).toEqual([a2, a3]);
      expect(await store.listAgreements(['r1'])).toEqual([a2]);
      expect(await store.listAgreements(['r3'])).toEqual([]);
      expect(await store.listAgreements([])).toEqual([]);
      const signed = { ...a2, status: 'signed' as const, signatures: [{ personId: 'p-ria', role: 'supervisee' as const, at: '2026-06-02T09:00:00.000Z' }], reviewOn: '2027-06-01' };
      await store.saveAgreement(signed);
      expect(await store.listAgreements(['r1'])).toEqual([signed]);
    });

    it('records: created once, saved only against the current etag, new versions kept as history', async () => {
      await withRelationships();
      const draft = record('rec-1', 's-1', 'r1', '2026-12-01T12:00:00.000Z');
      const v1 = await store.saveRecord(draft);
      expect(v1).toEqual({ ...draft, etag: expect.any(String) });
      expect(v1.etag).not.toBe('');
      expect(await store.getRecord('rec-1')).toEqual(v1);

      // Without an etag, only if new.
      const again = await store.saveRecord(draft).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(ConcurrencyError);
      expect((again as ConcurrencyError).current).toEqual(v1);

      // A stale etag: refused, with the current record to merge with.
      const stale = await store.saveRecord({ ...v1, status: 'submitted' }, 'not-the-etag').catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(ConcurrencyError);
      expect((stale as ConcurrencyError).current).toEqual(v1);

      const submitted = await store.saveRecord({ ...v1, status: 'submitted', submittedAt: '2026-12-01T13:00:00.000Z', updatedAt: '2026-12-01T13:00:00.000Z' }, v1.etag);
      expect(submitted.etag).not.toBe(v1.etag);
      expect(await store.getRecord('rec-1')).toEqual(submitted);
      const late = await store.saveRecord({ ...v1, values: { discussion: 'late edit' } }, v1.etag).catch((e: unknown) => e);
      expect((late as ConcurrencyError).current).toEqual(submitted);
      expect(await store.listRecordVersions('rec-1')).toEqual([submitted]);

      const signed = await store.saveRecord({ ...submitted, status: 'signed', signatures: [{ personId: 'p-sup', role: 'supervisor', at: '2026-12-02T09:00:00.000Z' }], updatedAt: '2026-12-02T09:00:00.000Z' }, submitted.etag);
      expect(await store.listRecordVersions('rec-1')).toEqual([signed]);

      // An amendment starts version 2: version 1, as signed, is kept unchanged.
      const amended = await store.saveRecord({ ...signed, version: 2, status: 'draft', signatures: [], values: { discussion: 'Child A: risk reviewed; plan amended.' }, updatedAt: '2026-12-03T09:00:00.000Z' }, signed.etag);
      expect(await store.listRecordVersions('rec-1')).toEqual([signed, amended]);
      const resubmitted = await store.saveRecord({ ...amended, status: 'submitted', updatedAt: '2026-12-03T10:00:00.000Z' }, amended.etag);
      expect(await store.listRecordVersions('rec-1')).toEqual([signed, resubmitted]);
      expect(await store.getRecordForSession('s-1')).toEqual(resubmitted);

      await expect(store.saveRecord(record('rec-none', 's-9', 'r1', '2026-12-01T12:00:00.000Z'), 'some-etag')).rejects.toThrow(/does not exist/);
      expect(await store.getRecord('rec-none')).toBeUndefined();
      expect(await store.getRecordForSession('s-none')).toBeUndefined();
      expect(await store.listRecordVersions('rec-none')).toEqual([]);
    });

    it('disposal: the record, every version and its actions go, leaving no copy; other records stay; twice is harmless', async () => {
      await withRelationships();
      const marker = 'Disposal marker 7f3c: child Z at risk';
      const v1 = await store.saveRecord(record('rec-1', 's-1', 'r1', '2026-12-01T12:00:00.000Z', { values: { discussion: marker } }));
      const submitted = await store.saveRecord({ ...v1, status: 'submitted', values: { discussion: `${marker} (edited)` }, updatedAt: '2026-12-01T13:00:00.000Z' }, v1.etag);
      const signed = await store.saveRecord({ ...submitted, status: 'signed', updatedAt: '2026-12-02T09:00:00.000Z' }, submitted.etag);
      await store.saveRecord({ ...signed, version: 2, status: 'draft', values: { discussion: `${marker} v2` }, updatedAt: '2026-12-03T09:00:00.000Z' }, signed.etag);
      const keep = await store.saveRecord(record('rec-2', 's-2', 'r1', '2026-12-01T12:00:00.000Z'));
      await store.saveActions([action('act-1', 'r1', 'rec-1', 'p-ria', '2026-12-10', 'open'), action('act-2', 'r1', 'rec-2', 'p-ria', '2026-12-10', 'open')]);
      if (sut.holdsText) expect(await sut.holdsText(marker)).toBe(true);

      expect(await store.disposeRecord('rec-1')).toEqual({ records: 1, versions: 1, actions: 1 });
      expect(await store.getRecord('rec-1')).toBeUndefined();
      expect(await store.getRecordForSession('s-1')).toBeUndefined();
      expect(await store.listRecordVersions('rec-1')).toEqual([]);
      expect(ids(await store.listActions({ relationshipIds: ['r1'] }))).toEqual(['act-2']);
      expect(await store.listRecords({})).toEqual([keep]);
      if (sut.holdsText) expect(await sut.holdsText(marker)).toBe(false);
      expect(await store.disposeRecord('rec-1')).toEqual({ records: 0, versions: 0, actions: 0 });
    });

    it('records: two writers from the same etag, exactly one wins', async () => {
      await withRelationships();
      const v1 = await store.saveRecord(record('rec-1', 's-1', 'r1', '2026-12-01T12:00:00.000Z'));
      const results = await Promise.allSettled([
        store.saveRecord({ ...v1, values: { discussion: 'writer A' } }, v1.etag),
        store.saveRecord({ ...v1, values: { discussion: 'writer B' } }, v1.etag),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(ConcurrencyError);
      const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<SupervisionRecord>).value;
      expect(await store.getRecord('rec-1')).toEqual(winner);
    });

    it('records: listed by relationship and status, ordered by last change', async () => {
      await withRelationships();
      const a = await store.saveRecord(record('rec-a', 's-1', 'r1', '2026-12-05T12:00:00.000Z'));
      const b = await store.saveRecord(record('rec-b', 's-2', 'r2', '2026-12-01T12:00:00.000Z', { status: 'submitted' }));
      const c = await store.saveRecord(record('rec-c', 's-3', 'r1', '2026-12-03T12:00:00.000Z', { status: 'signed' }));
      expect(await store.listRecords({})).toEqual([b, c, a]);
      expect(await store.listRecords({ relationshipIds: ['r1'] })).toEqual([c, a]);
      expect(await store.listRecords({ status: ['submitted', 'signed'] })).toEqual([b, c]);
      expect(await store.listRecords({ relationshipIds: ['r1', 'r2'], status: ['draft'] })).toEqual([a]);
      expect(await store.listRecords({ relationshipIds: [] })).toEqual([]);
      const a2 = await store.saveRecord({ ...a, status: 'submitted', updatedAt: '2026-11-30T12:00:00.000Z' }, a.etag);
      expect(await store.listRecords({ status: ['submitted'] })).toEqual([a2, b]);
    });

    it('actions: filtered by relationship, owner, status and record, ordered by due date then id', async () => {
      await withRelationships();
      const act1 = action('act-1', 'r1', 'rec-1', 'p-ria', '2026-12-10', 'open');
      const act2 = action('act-2', 'r1', 'rec-1', 'p-sup', '2026-12-05', 'done');
      const act3 = action('act-3', 'r2', 'rec-2', 'p-ria', '2026-12-05', 'open');
      await store.saveActions([act3, act1, act2]);
      expect(await store.listActions({})).toEqual([act2, act3, act1]);
      expect(ids(await store.listActions({ relationshipIds: ['r1'] }))).toEqual(['act-2', 'act-1']);
      expect(ids(await store.listActions({ ownerId: 'p-ria' }))).toEqual(['act-3', 'act-1']);
      expect(ids(await store.listActions({ status: ['open'] }))).toEqual(['act-3', 'act-1']);
      expect(ids(await store.listActions({ recordId: 'rec-2' }))).toEqual(['act-3']);
      expect(ids(await store.listActions({ relationshipIds: ['r1'], ownerId: 'p-sup', status: ['done'] }))).toEqual(['act-2']);
      expect(await store.listActions({ relationshipIds: [] })).toEqual([]);
      expect(await store.listActions({ ownerId: 'P-RIA' })).toEqual([]);

      const done = { ...act1, status: 'done' as const, completedAt: '2026-12-01T09:00:00.000Z', dueOn: '2026-12-01', ownerId: 'p-sup' };
      await store.saveActions([done]);
      expect(await store.listActions({ relationshipIds: ['r1'] })).toEqual([done, act2]);
      expect(ids(await store.listActions({ ownerId: 'p-ria' }))).toEqual(['act-3']);
      expect(ids(await store.listActions({ status: ['done'] }))).toEqual(['act-1', 'act-2']);
    });

    it('card messages: one per card and person, listed by key prefix in the order posted', async () => {
      const m = (key: string, aadObjectId: string, postedAt: string, activityId = 'a1'): CardMessage => ({ key, aadObjectId, conversationId: `conv-${aadObjectId}`, activityId, postedAt });
      const ria = m('record:rec-1:p-ria', 'aad-p-ria', '2026-12-01T10:00:00.000Z');
      const sup = m('record:rec-1:p-sup', 'aad-p-sup', '2026-12-01T09:00:00.000Z');
      const other = m('record:rec-2:p-ria', 'aad-p-ria', '2026-12-01T11:00:00.000Z');
      const rebook = m('rebook:s-1', 'aad-p-ria', '2026-12-01T08:00:00.000Z');
      for (const x of [ria, sup, other, rebook]) await store.saveCardMessage(x);
      expect(await store.listCardMessages('record:rec-1:')).toEqual([sup, ria]);

      const reposted = { ...ria, activityId: 'a2', postedAt: '2026-12-01T12:00:00.000Z' };
      await store.saveCardMessage(reposted);
      const samePersonElsewhere = m('record:rec-1:p-ria', 'aad-p-dee', '2026-12-01T13:00:00.000Z');
      await store.saveCardMessage(samePersonElsewhere);
      expect(await store.listCardMessages('record:rec-1:')).toEqual([sup, reposted, samePersonElsewhere]);
      expect(await store.listCardMessages('record:')).toEqual([sup, other, reposted, samePersonElsewhere]);
      expect((await store.listCardMessages('')).map((x) => x.key)).toEqual(['rebook:s-1', 'record:rec-1:p-sup', 'record:rec-2:p-ria', 'record:rec-1:p-ria', 'record:rec-1:p-ria']);
      expect(await store.listCardMessages('RECORD:')).toEqual([]);
      expect(await store.listCardMessages('nothing')).toEqual([]);
    });

    it('claim: true once per kind and key (exactly, case included), listed by kind and key prefix', async () => {
      expect(await store.claim('record-card', 'rec-1:p-ria', '2026-12-01T10:00:00.000Z', { activityId: 'a1' })).toBe(true);
      expect(await store.claim('record-card', 'rec-1:p-ria', '2026-12-01T10:05:00.000Z')).toBe(false);
      expect(await store.claim('reminder', 'rec-1:p-ria', '2026-12-01T09:00:00.000Z')).toBe(true);
      expect(await store.claim('record-card', 'REC-1:p-ria', '2026-12-01T09:30:00.000Z')).toBe(true);
      expect(await store.claim('record-card', 'rec-2:p-sup', '2026-12-01T08:00:00.000Z', {})).toBe(true);

      expect(await store.listClaims('record-card')).toEqual([
        { key: 'rec-2:p-sup', at: '2026-12-01T08:00:00.000Z', detail: {} },
        { key: 'REC-1:p-ria', at: '2026-12-01T09:30:00.000Z', detail: undefined },
        { key: 'rec-1:p-ria', at: '2026-12-01T10:00:00.000Z', detail: { activityId: 'a1' } },
      ]);
      expect(await store.listClaims('record-card', 'rec-1')).toEqual([{ key: 'rec-1:p-ria', at: '2026-12-01T10:00:00.000Z', detail: { activityId: 'a1' } }]);
      expect(await store.listClaims('reminder')).toEqual([{ key: 'rec-1:p-ria', at: '2026-12-01T09:00:00.000Z', detail: undefined }]);
      expect(await store.listClaims('nothing')).toEqual([]);

      // Racing callers: exactly one wins.
      const racers = await Promise.all(Array.from({ length: 5 }, (_, i) => store.claim('digest', '2026-W49', `2026-12-01T10:00:0${i}.000Z`)));
      expect(racers.filter(Boolean)).toHaveLength(1);
    });

    it('conversation references: one per person, the latest kept', async () => {
      await store.saveConversationRef({ aadObjectId: 'aad-p-ria', conversationId: 'c1', serviceUrl: 'https://smba.trafficmanager.net/uk/', tenantId: 't1', botId: 'b1', updatedAt: '2026-11-23T00:00:00.000Z' });
      await store.saveConversationRef({ aadObjectId: 'aad-p-ria', conversationId: 'c2', serviceUrl: 'https://smba.trafficmanager.net/emea/', updatedAt: '2026-11-24T00:00:00.000Z' });
      await store.saveConversationRef({ aadObjectId: 'aad-p-sam', conversationId: 'c3', serviceUrl: 'https://smba.trafficmanager.net/uk/', tenantId: 't1', updatedAt: '2026-11-24T00:00:00.000Z' });
      expect(await store.getConversationRef('aad-p-ria')).toEqual({ aadObjectId: 'aad-p-ria', conversationId: 'c2', serviceUrl: 'https://smba.trafficmanager.net/emea/', tenantId: undefined, botId: undefined, updatedAt: '2026-11-24T00:00:00.000Z' });
      expect(await store.getConversationRef('aad-p-sam')).toEqual({ aadObjectId: 'aad-p-sam', conversationId: 'c3', serviceUrl: 'https://smba.trafficmanager.net/uk/', tenantId: 't1', botId: undefined, updatedAt: '2026-11-24T00:00:00.000Z' });
      // The person's Teams user id (29:…), for card refresh.userIds, round-trips.
      await store.saveConversationRef({ aadObjectId: 'aad-p-sam', conversationId: 'c3', serviceUrl: 'https://smba.trafficmanager.net/uk/', teamsUserId: '29:1abc', updatedAt: '2026-11-25T00:00:00.000Z' });
      expect((await store.getConversationRef('aad-p-sam'))?.teamsUserId).toBe('29:1abc');
      expect(await store.getConversationRef('aad-nobody')).toBeUndefined();
    });

    it('audit: append-only, newest first, filtered by subject and actor, limited', async () => {
      const e = (n: number, subjectId: string, actorId: string, detail?: AuditEntry['detail']): AuditEntry => ({ at: '2026-12-01T10:00:00.000Z', actorId, action: `action-${n}`, subjectType: 'record', subjectId, ...(detail ? { detail } : {}) });
      const e1 = e(1, 'rec-1', 'p-ria');
      const e2 = e(2, 'rec-1', 'p-sup', { version: 2, signed: true });
      const e3 = e(3, 'rec-2', 'p-ria', { count: 3 });
      for (const x of [e1, e2, e3]) await store.appendAudit(x);
      const full = (x: AuditEntry) => ({ ...x, detail: x.detail ?? undefined });
      expect(await store.listAudit({})).toEqual([e3, e2, e1].map(full));
      expect(await store.listAudit({ subjectId: 'rec-1' })).toEqual([e2, e1].map(full));
      expect(await store.listAudit({ actorId: 'p-ria' })).toEqual([e3, e1].map(full));
      expect(await store.listAudit({ subjectId: 'rec-1', actorId: 'p-sup' })).toEqual([full(e2)]);
      expect(await store.listAudit({ limit: 2 })).toEqual([e3, e2].map(full));
      expect(await store.listAudit({ subjectId: 'REC-1' })).toEqual([]);
      // The same entry twice is two entries.
      await store.appendAudit(e1);
      expect(await store.listAudit({ subjectId: 'rec-1' })).toEqual([e1, e2, e1].map(full));
    });
  });
}
