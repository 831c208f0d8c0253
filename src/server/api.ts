/** The tab's JSON API. Every route is authenticated; every read is authorised here. */
import { Router } from 'express';
import { DateTime } from 'luxon';
import { viewpointOn } from '../domain/access';
import type { Person, Relationship } from '../domain/model';
import type { AppConfig } from '../config/env';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import { HttpError } from './auth/identify';
import { zoneOf } from '../domain/time/zones';
import { wrap } from './asyncHandler';

/** What the session and people endpoints read. */
export interface ApiDeps {
  config: AppConfig;
  clock: Clock;
  directory: DirectoryPort;
  policies: Policies;
  store: RecordStore;
}

export const UPCOMING_DAYS = 90;

export function publicApi(services: ApiDeps): Router {
  const router = Router();
  /** The "sign in as" picker (local mode only: a tenant signs in with Entra ID). */
  router.get(
    '/sign-in-options',
    wrap(async (_req, res) => {
      if (services.config.mode !== 'local') throw new HttpError(404, 'Not available in tenant mode');
      const people = await services.directory.listPeople();
      res.json({ people: people.map((p) => ({ id: p.id, displayName: p.displayName, jobTitle: p.jobTitle, roles: p.roles })) });
    }),
  );
  /** What the tab needs before sign-in: the mode and, in a tenant, which app to ask Entra ID for a token. */
  router.get('/config', (_req, res) => {
    const env = services.config.env;
    res.json(
      env.PT_MODE === 'tenant'
        ? { mode: 'tenant', tenantId: env.TENANT_ID, clientId: env.CLIENT_ID, applicationIdUri: env.APPLICATION_ID_URI }
        : { mode: services.config.mode },
    );
  });
  return router;
}

export function privateApi(services: ApiDeps): Router {
  const router = Router();
  const { store, directory, policies, clock } = services;

  router.get(
    '/me',
    wrap(async (req, res) => {
      const me = req.person!;
      const people = new Map((await directory.listPeople()).map((p) => [p.id, p]));
      const name = (id: string) => people.get(id)?.displayName ?? 'Unknown';
      const relationships = (await store.listRelationships({ activeOnly: true }))
        .map((rel) => ({ rel, view: viewpointOn(me, rel, people) }))
        .filter((x): x is { rel: Relationship; view: NonNullable<typeof x.view> } => x.view !== undefined);
      const now = clock.now();
      const to = DateTime.fromJSDate(now).plus({ days: UPCOMING_DAYS }).toJSDate().toISOString();
      const mine = relationships.filter((r) => r.view === 'supervisor' || r.view === 'supervisee');
      const sessions = await store.listSessions({ relationshipIds: mine.map((r) => r.rel.id), from: now.toISOString(), to, status: ['planned'] });
      const relById = new Map(mine.map((r) => [r.rel.id, r]));
      await store.appendAudit({ at: now.toISOString(), actorId: me.id, action: 'read', subjectType: 'upcoming-sessions', subjectId: me.id, detail: { count: sessions.length } });
      res.json({
        person: publicPerson(me),
        /** The zone of the viewer's own pack: for what belongs to no one arrangement (this month, today). */
        timeZone: zoneOf(me.policyId ? policies.get(me.policyId) : undefined),
        lineManager: me.lineManagerId ? name(me.lineManagerId) : null,
        relationships: relationships.map(({ rel, view }) => ({
          id: rel.id,
          kind: rel.kind,
          viewpoint: view,
          supervisor: name(rel.supervisorId),
          supervisees: rel.superviseeIds.map(name),
          policy: policies.get(rel.policyId)?.name ?? rel.policyId,
          staffGroup: policies.get(rel.policyId)?.staffGroups.find((g) => g.id === rel.staffGroupId)?.name ?? rel.staffGroupId,
        })),
        upcoming: sessions.map((s) => {
          const r = relById.get(s.relationshipId)!;
          const others = [r.rel.supervisorId, ...r.rel.superviseeIds].filter((id) => id !== me.id).map(name);
          return { id: s.id, start: s.start, end: s.end, kind: s.kind, with: others, viewpoint: r.view, relationshipId: s.relationshipId, timeZone: zoneOf(policies.get(r.rel.policyId)) };
        }),
      });
    }),
  );
  return router;
}

function publicPerson(p: Person) {
  return { id: p.id, displayName: p.displayName, jobTitle: p.jobTitle, team: p.team, roles: p.roles };
}
