/**
 * Local mode only: a stand-in for Entra ID admin changes, so the directory
 * change feed can be shown and tested. Never mounted in tenant mode (there,
 * people join or leave the people group, and managers change, in Entra ID).
 *   POST /api/dev/directory/people               add (or bring back) a person
 *   POST /api/dev/directory/people/:id/leave     take them out of the people group
 *   POST /api/dev/directory/people/:id/manager   change their line manager
 */
import { Router } from 'express';
import { z } from 'zod';
import type { EmbeddedStore } from '../../adapters/embedded/store';
import type { Db } from '../../adapters/embedded/db';
import type { Clock } from '../../ports/clock';
import type { Policies } from '../../ports/policies';
import { badRequest, notFound } from '../../usecases/errors';
import { wrap } from '../asyncHandler';

/** The local directory stand-in works on the embedded store itself (local mode only). */
export interface DevDirectoryDeps {
  clock: Clock;
  policies: Policies;
  embedded?: { db: Db; store: EmbeddedStore };
}

const PersonId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens').max(100);
const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'is not a real date');
const NewPerson = z
  .object({
    id: PersonId,
    displayName: z.string().trim().min(1).max(200),
    email: z.email().max(200),
    aadObjectId: z.uuid().optional(),
    jobTitle: z.string().max(200).default(''),
    team: z.string().max(200).default(''),
    roles: z.array(z.enum(['practitioner', 'supervisor', 'line-manager', 'safeguarding-lead', 'auditor'])).max(5).default(['practitioner']),
    lineManagerId: PersonId.optional(),
    policyId: z.string().max(100).optional(),
    staffGroupId: z.string().max(100).optional(),
    startedOn: LocalDate.optional(),
  })
  .strict();
const ManagerBody = z.object({ lineManagerId: PersonId.nullable() }).strict();

export function devDirectoryRoutes(services: DevDirectoryDeps): Router {
  const router = Router();
  const store = (): EmbeddedStore => {
    if (!services.embedded) throw badRequest('The directory stand-in needs the embedded directory (local mode)');
    return services.embedded.store;
  };
  const workingHours = (id: string) => {
    const row = services.embedded!.db.prepare('SELECT working_hours FROM people WHERE id = ?').get(id) as { working_hours: string | null } | undefined;
    return row?.working_hours ? JSON.parse(row.working_hours) : undefined;
  };

  router.post(
    '/directory/people',
    wrap(async (req, res) => {
      const p = NewPerson.parse(req.body);
      if (p.lineManagerId && !(await store().getPerson(p.lineManagerId))) throw badRequest('lineManagerId: no such person');
      if (p.policyId && !services.policies.get(p.policyId)) throw badRequest('policyId: no such policy pack');
      if (p.policyId && p.staffGroupId && !services.policies.get(p.policyId)!.staffGroups.some((g) => g.id === p.staffGroupId)) throw badRequest('staffGroupId: not in that policy pack');
      const existing = await store().getPerson(p.id);
      const aadObjectId = p.aadObjectId ?? existing?.aadObjectId ?? crypto.randomUUID();
      store().upsertPerson({ ...p, aadObjectId }, existing ? workingHours(p.id) : undefined);
      store().setLeft(p.id, undefined);
      res.status(existing ? 200 : 201).json({ id: p.id });
    }),
  );
  router.post(
    '/directory/people/:id/leave',
    wrap(async (req, res) => {
      const id = String(req.params.id);
      if (!(await store().getPerson(id))) throw notFound('No such person');
      store().setLeft(id, services.clock.now().toISOString().slice(0, 10));
      res.json({ id, left: true });
    }),
  );
  router.post(
    '/directory/people/:id/manager',
    wrap(async (req, res) => {
      const id = String(req.params.id);
      const { lineManagerId } = ManagerBody.parse(req.body);
      const person = await store().getPerson(id);
      if (!person) throw notFound('No such person');
      if (lineManagerId && !(await store().getPerson(lineManagerId))) throw badRequest('lineManagerId: no such person');
      if (lineManagerId === id) throw badRequest('lineManagerId: a person cannot manage themselves');
      store().upsertPerson({ ...person, lineManagerId: lineManagerId ?? undefined }, workingHours(id));
      res.json({ id, lineManagerId });
    }),
  );
  return router;
}
