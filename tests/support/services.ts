/** Services wired to in-memory embedded adapters, for integration tests. */
import path from 'node:path';
import { loadConfig } from '../../src/config/env';
import { loadPolicies } from '../../src/config/policies';
import { createLogger } from '../../src/logging';
import type { Services } from '../../src/runtime/services';
import { seedOrganisation } from '../../src/seed/seed';
import { embedded } from './embedded';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import { EmbeddedQualityStore } from '../../src/adapters/embedded/qualityStore';
import { EmbeddedAgendaStore } from '../../src/adapters/embedded/agendaStore';

export const ROOT = path.resolve(__dirname, '..', '..');

export async function testServices(opts: { now?: string; seed?: boolean } = {}) {
  const e = embedded(opts.now);
  const config = loadConfig({ PT_MODE: 'local', PT_DATA_DIR: '/nonexistent' }, ROOT);
  const services: Services = {
    config,
    log: createLogger('silent'),
    clock: e.clock,
    policies: loadPolicies(path.join(ROOT, 'policies')),
    store: e.store,
    directory: e.store,
    calendar: e.calendar,
    work: new EmbeddedWorkQueue(e.db),
    quality: new EmbeddedQualityStore(e.db),
    agenda: new EmbeddedAgendaStore(e.db),
    embedded: { db: e.db, store: e.store, calendar: e.calendar },
    standIns: { attendees: e.calendar },
    async close() {
      e.db.close();
    },
  };
  if (opts.seed !== false) await seedOrganisation(e.store, e.calendar, e.clock);
  return { services, ...e };
}
