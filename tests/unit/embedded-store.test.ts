import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDatabase, schemaVersion } from '../../src/adapters/embedded/db';
import { MIGRATIONS } from '../../src/adapters/embedded/migrations';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { aPerson } from '../support/builders';
import { seedOrganisation } from '../../src/seed/seed';
import { embedded } from '../support/embedded';

describe('embedded store', () => {
  it('creates one WAL database file and migrates it to the latest schema, once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-db-'));
    const file = path.join(dir, 'nested', 'pt.sqlite');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    expect(migrate(db)).toBe(MIGRATIONS.length); // re-running is a no-op
    db.close();
    const again = openDatabase(file);
    expect(schemaVersion(again)).toBe(MIGRATIONS.length);
    again.close();
  });

  it('refuses a database from a newer build', () => {
    const db = openDatabase(':memory:');
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this build/);
  });

  it('round-trips people, relationships, sessions, conversation refs and audit', async () => {
    const { store } = embedded();
    const daniel = aPerson({ id: 'daniel-okafor', aadObjectId: 'aad-daniel', roles: ['supervisor', 'line-manager'] });
    const sam = aPerson({ id: 'sam-patel', aadObjectId: 'aad-sam', lineManagerId: 'daniel-okafor' });
    store.upsertPerson(daniel);
    store.upsertPerson(sam);
    expect(await store.getLineManager('sam-patel')).toMatchObject({ id: 'daniel-okafor' });
    expect(await store.findByAadObjectId(sam.aadObjectId)).toMatchObject({ id: 'sam-patel', roles: ['practitioner'] });

    await store.saveRelationship({ id: 'r1', kind: 'individual', supervisorId: 'daniel-okafor', superviseeIds: ['sam-patel'], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true });
    expect(await store.listRelationships({ personId: 'sam-patel' })).toHaveLength(1);
    expect(await store.listRelationships({ personId: 'daniel-okafor' })).toHaveLength(1);
    expect(await store.listRelationships({ personId: 'nobody' })).toHaveLength(0);

    await store.saveSessions([{ id: 's1', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T11:00:00.000Z', status: 'planned', kind: 'planned' }]);
    await store.saveSessions([{ id: 's1', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T11:00:00.000Z', status: 'cancelled', kind: 'planned' }]);
    expect(await store.listSessions({ relationshipIds: ['r1'] })).toEqual([expect.objectContaining({ id: 's1', status: 'cancelled' })]);
    expect(await store.listSessions({ relationshipIds: ['r1'], status: ['planned'] })).toEqual([]);
    expect(await store.listSessions({ relationshipIds: [] })).toEqual([]);

    await store.saveConversationRef({ aadObjectId: 'a', conversationId: 'c1', serviceUrl: 'http://x', updatedAt: '2026-11-23T00:00:00Z' });
    await store.saveConversationRef({ aadObjectId: 'a', conversationId: 'c2', serviceUrl: 'http://x', updatedAt: '2026-11-24T00:00:00Z' });
    expect(await store.getConversationRef('a')).toMatchObject({ conversationId: 'c2' });

    await store.appendAudit({ at: '2026-11-23T00:00:00Z', actorId: 'sam-patel', action: 'read', subjectType: 'record', subjectId: 'rec1', detail: { version: 1 } });
    expect(await store.listAudit({ subjectId: 'rec1' })).toEqual([expect.objectContaining({ actorId: 'sam-patel', detail: { version: 1 } })]);
  });
});

describe('seed organisation', () => {
  it('is idempotent: a second run creates nothing new', async () => {
    const { store, calendar, clock, db } = embedded('2026-11-23T09:00:00.000Z');
    const first = await seedOrganisation(store, calendar, clock);
    expect(first).toMatchObject({ people: 8, relationships: 4, eventsCreated: 5, seriesCreated: 2 });
    const count = (t: string) => (db.prepare(`SELECT COUNT(*) n FROM ${t}`).get() as { n: number }).n;
    const before = ['people', 'relationships', 'cal_events', 'series', 'sessions'].map(count);
    clock.advance(3 * 86_400_000); // even on a later day
    const second = await seedOrganisation(store, calendar, clock);
    expect(second).toMatchObject({ eventsCreated: 0, seriesCreated: 0, sessions: 0 });
    expect(['people', 'relationships', 'cal_events', 'series', 'sessions'].map(count)).toEqual(before);
  });

  it('books seed supervision clear of everyone\'s other commitments', async () => {
    const { store, calendar, clock } = embedded('2026-11-23T09:00:00.000Z');
    await seedOrganisation(store, calendar, clock);
    const sessions = await store.listSessions({});
    expect(sessions.length).toBeGreaterThan(10);
    const window = { start: '2026-11-23T00:00:00.000Z', end: '2027-11-23T00:00:00.000Z' };
    for (const rel of await store.listRelationships({})) {
      for (const person of [rel.supervisorId, ...rel.superviseeIds]) {
        const others = (await calendar.listEvents(person, window)).filter((e) => e.subject !== 'Supervision');
        for (const s of sessions.filter((x) => x.relationshipId === rel.id)) {
          expect(others.filter((o) => o.start < s.end && o.end > s.start)).toEqual([]);
        }
      }
    }
  });

  it('EmbeddedStore is both the directory and the record store', () => {
    const { store } = embedded();
    expect(store).toBeInstanceOf(EmbeddedStore);
  });
});
