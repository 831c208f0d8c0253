/**
 * The composition root: picks adapters for the mode and hands the rest of the
 * app the same ports either way. Nothing above this file knows which it got.
 */
import path from 'node:path';
import type { AppConfig } from '../config/env';
import { loadPolicies } from '../config/policies';
import type { PolicyPack } from '../domain/policy/schema';
import { openDatabase, type Db } from '../adapters/embedded/db';
import { EmbeddedCalendar } from '../adapters/embedded/calendar';
import { EmbeddedStore } from '../adapters/embedded/store';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import { systemClock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { RecordStore } from '../ports/store';
import type { WorkQueue } from '../ports/workQueue';
import { EmbeddedWorkQueue } from '../adapters/embedded/workQueue';
import type { Logger } from '../logging';
import { AdjustableClock } from './adjustableClock';

export interface Services {
  config: AppConfig;
  log: Logger;
  clock: Clock;
  policies: Map<string, PolicyPack>;
  store: RecordStore;
  directory: DirectoryPort;
  calendar: CalendarPort;
  work: WorkQueue;
  /** Local mode only: the embedded adapters, for seeding and simulation. */
  embedded?: { db: Db; store: EmbeddedStore; calendar: EmbeddedCalendar; clock?: AdjustableClock };
  close(): Promise<void>;
}

export function databaseFile(config: AppConfig): string {
  return path.join(config.dataDir, 'protected-time.sqlite');
}

export async function createServices(config: AppConfig, log: Logger, clock: Clock = systemClock): Promise<Services> {
  const policies = loadPolicies(config.policyDir);
  log.info({ packs: [...policies.keys()] }, 'policy packs loaded');
  if (config.mode === 'tenant') {
    // The Graph calendar, Entra directory and SharePoint store adapters are wired here
    // once built (issues #4, #5, #8). Until then tenant mode refuses to start rather than
    // run half on local adapters.
    throw new Error('Tenant mode is not available in this build yet: the Graph and SharePoint adapters are still being built. Run with PT_MODE=local.');
  }
  const db = openDatabase(databaseFile(config));
  const store = new EmbeddedStore(db);
  // Local mode may run on a movable clock (PT_TEST_CLOCK) so demos and tests can fast-forward.
  const adjustable = clock === systemClock && config.env.PT_MODE === 'local' && config.env.PT_TEST_CLOCK ? new AdjustableClock(store) : undefined;
  if (adjustable) clock = adjustable;
  const calendar = new EmbeddedCalendar(db, clock);
  return {
    config, log, clock, policies, store, directory: store, calendar, work: new EmbeddedWorkQueue(db),
    embedded: { db, store, calendar, clock: adjustable },
    async close() {
      db.close();
    },
  };
}
