/**
 * The embedded quality store (SQLite) against the shared QualityStore behaviour
 * suite: the semantics the SharePoint quality store is held to
 * (sharepoint-quality-store.contract.test.ts). The peer is a second store on
 * the same database, as a second process on the same file would be.
 */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedQualityStore } from '../../src/adapters/embedded/qualityStore';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { qualityStoreBehaviour } from './qualityStoreBehaviour';

qualityStoreBehaviour('embedded (SQLite)', async (relationshipIds) => {
  const db = openDatabase(':memory:');
  // qa_grades.relationship_id references relationships(id).
  const store = new EmbeddedStore(db);
  store.upsertPerson({ id: 'p-sup', displayName: 'p-sup', email: 'p-sup@contoso.example', aadObjectId: 'aad-p-sup', jobTitle: '', team: '', roles: ['supervisor'] });
  for (const id of relationshipIds) {
    await store.saveRelationship({ id, kind: 'individual', supervisorId: 'p-sup', superviseeIds: [], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true });
  }
  return { quality: new EmbeddedQualityStore(db), peer: new EmbeddedQualityStore(db), close: () => db.close() };
});
