/**
 * The QualityStore's behaviour, as the embedded store (src/adapters/embedded/qualityStore.ts)
 * defines it, for any adapter: run against the embedded store
 * (embedded-quality-store.behaviour.test.ts) and the SharePoint one over the
 * fake Graph (sharepoint-quality-store.contract.test.ts), so the two are proven
 * to behave the same.
 *
 * Each test gets a fresh, empty store that knows the relationships below (the
 * embedded store's foreign key needs them), and a peer: a second instance on
 * the same storage, as another process of the app would have.
 */
import type { QaGrade } from '../../src/domain/compliance';
import type { QualityStore } from '../../src/ports/quality';

export interface QualityStoreUnderTest {
  quality: QualityStore;
  /** Another instance on the same storage (another process). */
  peer: QualityStore;
  close?: () => void | Promise<void>;
}

/** Relationships the grades below belong to (the store under test must accept grades of them). */
export const QA_BEHAVIOUR_RELATIONSHIPS = ['r1', 'r2', 'R1', 'r3', ...Array.from({ length: 45 }, (_, i) => `rel-${String(i).padStart(2, '0')}`)];

const T0 = '2026-12-01T09:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const MIN = 60_000;

const grade = (id: string, overrides: Partial<QaGrade> = {}): QaGrade => ({
  id,
  recordId: 'rec-1',
  relationshipId: 'r1',
  auditorId: 'p-aud',
  category: 'support',
  comment: 'Clear analysis of risk; next time record the voice of the child.',
  at: T0,
  ...overrides,
});
const ids = (grades: QaGrade[]) => grades.map((g) => g.id);

export function qualityStoreBehaviour(name: string, makeStore: (relationshipIds: string[]) => Promise<QualityStoreUnderTest>): void {
  describe(`QualityStore behaviour: ${name}`, () => {
    let sut: QualityStoreUnderTest;
    let quality: QualityStore;
    let peer: QualityStore;

    beforeEach(async () => {
      sut = await makeStore(QA_BEHAVIOUR_RELATIONSHIPS);
      quality = sut.quality;
      peer = sut.peer;
    });
    afterEach(async () => {
      await sut.close?.();
    });

    it('is empty to begin with', async () => {
      expect(await quality.listGrades()).toEqual([]);
      expect(await quality.listGrades({ recordId: 'rec-1' })).toEqual([]);
    });

    it('keeps a grade exactly as saved, comment and instant included, and another instance reads it', async () => {
      const g = grade('qa-1', { comment: 'Line one\nLine two: "quoted", émigré, 👍 <b>&amp;</b>', at: '2026-12-01T09:00:00.123Z', category: 'challenge' });
      await quality.saveGrade(g);
      expect(await quality.listGrades()).toEqual([g]);
      expect(await peer.listGrades({ recordId: 'rec-1' })).toEqual([g]);
    });

    it('disposal of a record removes its grades (comments included) and no others', async () => {
      await quality.saveGrade(grade('qa-1'));
      await quality.saveGrade(grade('qa-2', { at: at(MIN) }));
      await quality.saveGrade(grade('qa-3', { recordId: 'rec-2', at: at(2 * MIN) }));
      expect(await quality.deleteGradesForRecord('rec-1')).toBe(2);
      expect(ids(await peer.listGrades())).toEqual(['qa-3']);
      expect(await quality.deleteGradesForRecord('rec-1')).toBe(0);
    });

    it('saving the same grade id again changes nothing: the first one stays', async () => {
      const first = grade('qa-1', { category: 'support', comment: 'first' });
      await quality.saveGrade(first);
      await quality.saveGrade({ ...first, category: 'promote', comment: 'second' });
      await peer.saveGrade({ ...first, category: 'challenge', comment: 'third' });
      expect(await quality.listGrades()).toEqual([first]);
    });

    it('is append-only: a second grade of the same record by the same auditor is a new grade, and both are listed', async () => {
      await quality.saveGrade(grade('qa-1', { category: 'challenge', at: T0 }));
      await peer.saveGrade(grade('qa-2', { category: 'maintain', at: at(MIN) }));
      expect((await quality.listGrades({ recordId: 'rec-1', auditorId: 'p-aud' })).map((g) => [g.id, g.category])).toEqual([
        ['qa-1', 'challenge'],
        ['qa-2', 'maintain'],
      ]);
    });

    it('lists oldest first, then by id', async () => {
      await quality.saveGrade(grade('qa-c', { at: at(2 * MIN) }));
      await quality.saveGrade(grade('qa-b', { at: at(MIN) }));
      await quality.saveGrade(grade('qa-z', { at: T0 }));
      await quality.saveGrade(grade('qa-a', { at: at(MIN) }));
      expect(ids(await quality.listGrades())).toEqual(['qa-z', 'qa-a', 'qa-b', 'qa-c']);
    });

    it('filters by relationship, record, auditor and category, each exactly (case included), all together', async () => {
      await quality.saveGrade(grade('g1', { relationshipId: 'r1', recordId: 'rec-1', auditorId: 'p-aud', category: 'support', at: at(1) }));
      await quality.saveGrade(grade('g2', { relationshipId: 'r1', recordId: 'rec-2', auditorId: 'p-aud', category: 'challenge', at: at(2) }));
      await quality.saveGrade(grade('g3', { relationshipId: 'r2', recordId: 'rec-3', auditorId: 'p-lead', category: 'support', at: at(3) }));
      await quality.saveGrade(grade('g4', { relationshipId: 'R1', recordId: 'REC-1', auditorId: 'P-AUD', category: 'promote', at: at(4) }));
      await quality.saveGrade(grade('g5', { relationshipId: 'r3', recordId: 'rec-5', auditorId: 'p-lead', category: 'maintain', at: at(5) }));

      expect(ids(await quality.listGrades({ relationshipIds: ['r1'] }))).toEqual(['g1', 'g2']);
      expect(ids(await quality.listGrades({ relationshipIds: ['r1', 'r2'] }))).toEqual(['g1', 'g2', 'g3']);
      expect(ids(await quality.listGrades({ relationshipIds: ['R1', 'r3', 'nobody'] }))).toEqual(['g4', 'g5']);
      expect(ids(await quality.listGrades({ relationshipIds: ['r1', 'r1'] }))).toEqual(['g1', 'g2']);
      expect(await quality.listGrades({ relationshipIds: [] })).toEqual([]);
      expect(ids(await quality.listGrades({ recordId: 'rec-1' }))).toEqual(['g1']);
      expect(ids(await quality.listGrades({ recordId: 'REC-1' }))).toEqual(['g4']);
      expect(ids(await quality.listGrades({ auditorId: 'p-aud' }))).toEqual(['g1', 'g2']);
      expect(ids(await quality.listGrades({ auditorId: 'p-lead' }))).toEqual(['g3', 'g5']);
      expect(ids(await quality.listGrades({ category: 'support' }))).toEqual(['g1', 'g3']);
      expect(ids(await quality.listGrades({ relationshipIds: ['r1', 'r2'], category: 'support' }))).toEqual(['g1', 'g3']);
      expect(ids(await quality.listGrades({ auditorId: 'p-aud', category: 'challenge', relationshipIds: ['r1'] }))).toEqual(['g2']);
      expect(ids(await quality.listGrades({ recordId: 'rec-1', auditorId: 'p-lead' }))).toEqual([]);
      expect(ids(await quality.listGrades({ recordId: 'rec-3', relationshipIds: ['r1'] }))).toEqual([]);
    });

    it('filters by time to the millisecond: from is inclusive, to exclusive', async () => {
      await quality.saveGrade(grade('early', { at: '2026-12-01T09:00:00.499Z' }));
      await quality.saveGrade(grade('on', { at: '2026-12-01T09:00:00.500Z' }));
      await quality.saveGrade(grade('late', { at: '2026-12-01T09:00:00.501Z' }));
      await quality.saveGrade(grade('next-second', { at: '2026-12-01T09:00:01.000Z' }));
      await quality.saveGrade(grade('day-before', { at: '2026-11-30T09:00:00.000Z' }));
      expect(ids(await quality.listGrades({ from: '2026-12-01T09:00:00.500Z' }))).toEqual(['on', 'late', 'next-second']);
      expect(ids(await quality.listGrades({ to: '2026-12-01T09:00:00.500Z' }))).toEqual(['day-before', 'early']);
      expect(ids(await quality.listGrades({ from: '2026-12-01T09:00:00.500Z', to: '2026-12-01T09:00:01.000Z' }))).toEqual(['on', 'late']);
      expect(ids(await quality.listGrades({ from: '2026-12-01T00:00:00.000Z', relationshipIds: ['r1'], category: 'support' }))).toEqual(['early', 'on', 'late', 'next-second']);
      expect(ids(await quality.listGrades({ auditorId: 'p-aud', to: '2026-12-01T00:00:00.000Z' }))).toEqual(['day-before']);
    });

    it('takes many relationships at once', async () => {
      const rels = QA_BEHAVIOUR_RELATIONSHIPS.filter((r) => r.startsWith('rel-'));
      for (const [i, r] of rels.entries()) await quality.saveGrade(grade(`qa-${String(i).padStart(2, '0')}`, { relationshipId: r, recordId: `rec-${r}`, at: at(i * 1000) }));
      expect(await quality.listGrades({ relationshipIds: rels })).toHaveLength(rels.length);
      expect(ids(await quality.listGrades({ relationshipIds: [...rels.slice(40), 'r1'] }))).toEqual(['qa-40', 'qa-41', 'qa-42', 'qa-43', 'qa-44']);
      expect(ids(await peer.listGrades({ relationshipIds: rels.slice(0, 25), from: at(20_000) }))).toEqual(['qa-20', 'qa-21', 'qa-22', 'qa-23', 'qa-24']);
    });

    it('keeps ids longer than a text column exact', async () => {
      const longRecord = `rec-${'x'.repeat(300)}`;
      await quality.saveGrade(grade('qa-long-1', { recordId: longRecord }));
      await quality.saveGrade(grade('qa-long-2', { recordId: `${longRecord}y` }));
      expect(ids(await quality.listGrades({ recordId: longRecord }))).toEqual(['qa-long-1']);
      expect(ids(await quality.listGrades({ recordId: `${longRecord}y` }))).toEqual(['qa-long-2']);
      expect((await quality.listGrades({ recordId: longRecord }))[0]!.recordId).toBe(longRecord);
    });
  });
}
