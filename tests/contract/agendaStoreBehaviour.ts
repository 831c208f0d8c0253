/**
 * The AgendaStore's behaviour, as the embedded store defines it, for any
 * adapter: run against SQLite (embedded-agenda-store.behaviour.test.ts) and
 * SharePoint over the fake Graph (sharepoint-agenda-store.contract.test.ts).
 * Each test gets a fresh, empty store and a peer on the same storage (another
 * process of the app).
 */
import type { AgendaItem, PrivateNote } from '../../src/domain/agenda';
import type { AgendaStore } from '../../src/ports/agendaStore';

export interface AgendaStoreUnderTest {
  agenda: AgendaStore;
  peer: AgendaStore;
  close?: () => void | Promise<void>;
}

const T0 = '2026-12-01T09:00:00.000Z';
const item = (id: string, o: Partial<AgendaItem> = {}): AgendaItem => ({ id, relationshipId: 'r1', sessionId: 's1', kind: 'added', text: `Discuss ${id}: the child's plan`, addedBy: 'p-sam', addedAt: T0, ...o });
const note = (o: Partial<PrivateNote> = {}): PrivateNote => ({ sessionId: 's1', relationshipId: 'r1', authorId: 'p-sam', text: 'Ask about the core group', updatedAt: T0, ...o });

export function agendaStoreBehaviour(name: string, makeStore: () => Promise<AgendaStoreUnderTest>): void {
  describe(`AgendaStore behaviour: ${name}`, () => {
    let sut: AgendaStoreUnderTest;
    beforeEach(async () => {
      sut = await makeStore();
    });
    afterEach(async () => {
      await sut.close?.();
    });

    it('is empty to begin with', async () => {
      expect(await sut.agenda.listAgendaItems('r1')).toEqual([]);
      expect(await sut.agenda.getPrivateNote('s1', 'p-sam')).toBeUndefined();
      expect(await sut.agenda.listPrivateNotes('p-sam')).toEqual([]);
    });

    it('adds an item once; the peer reads exactly what was written; other arrangements see nothing', async () => {
      expect(await sut.agenda.addAgendaItem(item('a1'))).toBe(true);
      expect(await sut.peer.addAgendaItem(item('a1', { text: 'changed' }))).toBe(false);
      await sut.agenda.addAgendaItem(item('a2', { relationshipId: 'R1', addedBy: 'p-dan' }));
      await sut.agenda.addAgendaItem(item('std:s1:wellbeing', { kind: 'standing', standingId: 'wellbeing', text: '' }));
      expect(await sut.peer.listAgendaItems('r1')).toEqual([item('a1'), item('std:s1:wellbeing', { kind: 'standing', standingId: 'wellbeing', text: '' })]);
      expect(await sut.peer.listAgendaItems('R1')).toEqual([item('a2', { relationshipId: 'R1', addedBy: 'p-dan' })]);
    });

    it('marks an item discussed and back, without touching its text; marking or removing a missing item is false', async () => {
      await sut.agenda.addAgendaItem(item('a1'));
      expect(await sut.agenda.markAgendaItem('r1', 'a1', { sessionId: 's2', at: T0, by: 'p-dan' })).toBe(true);
      expect(await sut.peer.listAgendaItems('r1')).toEqual([{ ...item('a1'), discussedInSessionId: 's2', discussedAt: T0, discussedBy: 'p-dan' }]);
      expect(await sut.agenda.markAgendaItem('r1', 'a1', null)).toBe(true);
      expect(await sut.peer.listAgendaItems('r1')).toEqual([item('a1')]);
      expect(await sut.agenda.markAgendaItem('r1', 'nope', null)).toBe(false);
      // Another arrangement's id does not reach this one's item.
      expect(await sut.agenda.markAgendaItem('R1', 'a1', { sessionId: 's2', at: T0, by: 'p-dan' })).toBe(false);
      expect(await sut.agenda.removeAgendaItem('R1', 'a1')).toBe(false);
      expect(await sut.agenda.removeAgendaItem('r1', 'a1')).toBe(true);
      expect(await sut.agenda.removeAgendaItem('r1', 'a1')).toBe(false);
      expect(await sut.peer.listAgendaItems('r1')).toEqual([]);
    });

    it('keeps one note per author and session, replaced whole; empty text removes it; authors never see each other\'s', async () => {
      await sut.agenda.savePrivateNote(note());
      await sut.agenda.savePrivateNote(note({ authorId: 'p-dan', text: 'Daniel only' }));
      await sut.agenda.savePrivateNote(note({ text: 'Second thoughts', updatedAt: '2026-12-01T10:00:00.000Z' }));
      await sut.agenda.savePrivateNote(note({ sessionId: 's2', text: 'Next time', updatedAt: '2026-12-02T10:00:00.000Z' }));
      expect(await sut.peer.getPrivateNote('s1', 'p-sam')).toEqual(note({ text: 'Second thoughts', updatedAt: '2026-12-01T10:00:00.000Z' }));
      expect((await sut.peer.listPrivateNotes('p-sam')).map((n) => n.text)).toEqual(['Second thoughts', 'Next time']);
      expect((await sut.peer.listPrivateNotes('p-dan')).map((n) => n.text)).toEqual(['Daniel only']);
      expect(await sut.peer.listPrivateNotes('P-SAM')).toEqual([]);
      await sut.agenda.savePrivateNote(note({ text: '', updatedAt: '2026-12-01T11:00:00.000Z' }));
      expect(await sut.peer.getPrivateNote('s1', 'p-sam')).toBeUndefined();
      expect((await sut.peer.listPrivateNotes('p-sam')).map((n) => n.text)).toEqual(['Next time']);
    });
  });
}
