/**
 * Tab API for people changing: hand over, cover, end an arrangement, read a
 * handover note (new supervisor and leads only, audited), directory flags and
 * setting up a new starter's arrangement.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { DirectoryChangesDeps } from '../../usecases/directoryChanges';
import type { HandoverDeps } from '../../usecases/handover';
import type { TransferDeps } from '../../usecases/transfer';
import { dismissFlag, listFlags, setUpArrangement } from '../../usecases/directoryChanges';
import { endArrangement, listCovers, manageableArrangements, NOTE_MAX, readHandoverNotes, requestCover, requestHandover } from '../../usecases/handover';
import type { Teller } from '../../usecases/transfer';
import { wrap } from '../asyncHandler';
import { zoneOf } from '../../domain/time/zones';

/** The ports of the use cases these routes call. */
export type PeopleChangeRoutesDeps = DirectoryChangesDeps & HandoverDeps & TransferDeps;

const Id = z.string().min(1).max(200);
const RequestKey = z.string().min(8).max(100);
/** A real calendar date (2027-02-30 is refused, not rolled over). */
const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'is not a real date');

const HandoverBody = z.object({ relationshipIds: z.array(Id).min(1).max(30), toId: Id, note: z.string().max(NOTE_MAX).optional(), requestKey: RequestKey }).strict();
const CoverBody = z.object({ relationshipIds: z.array(Id).min(1).max(30), coverId: Id, from: LocalDate.optional(), until: LocalDate, requestKey: RequestKey }).strict();
const EndBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();
const ArrangementBody = z.object({ superviseeId: Id, supervisorId: Id }).strict();

export function peopleChangeRoutes(services: PeopleChangeRoutesDeps, opts: { tell: Teller; workerId: string }): Router {
  const router = Router();
  router.get(
    '/arrangements/manageable',
    wrap(async (req, res) => {
      res.json(await manageableArrangements(services, req.person!));
    }),
  );
  router.post(
    '/handovers',
    wrap(async (req, res) => {
      const body = HandoverBody.parse(req.body);
      res.status(201).json(await requestHandover(services, opts.tell, opts.workerId, req.person!, body));
    }),
  );
  router.get(
    '/relationships/:id/handover-notes',
    wrap(async (req, res) => {
      const notes = await readHandoverNotes(services, req.person!, String(req.params.id));
      // The arrangement's pack's zone, for when each note was written (read after the notes: they authorise).
      const rel = await services.store.getRelationship(String(req.params.id));
      res.json({ notes, timeZone: zoneOf(rel ? services.policies.get(rel.policyId) : undefined) });
    }),
  );
  router.post(
    '/covers',
    wrap(async (req, res) => {
      const body = CoverBody.parse(req.body);
      res.status(201).json(await requestCover(services, opts.tell, opts.workerId, req.person!, body));
    }),
  );
  router.get(
    '/covers',
    wrap(async (req, res) => {
      res.json({ covers: await listCovers(services, req.person!) });
    }),
  );
  router.post(
    '/relationships/:id/end',
    wrap(async (req, res) => {
      const body = EndBody.parse(req.body);
      res.json(await endArrangement(services, opts.tell, req.person!, String(req.params.id), body.reason));
    }),
  );
  router.get(
    '/people-flags',
    wrap(async (req, res) => {
      res.json({ flags: await listFlags(services, req.person!) });
    }),
  );
  router.post(
    '/people-flags/:id/dismiss',
    wrap(async (req, res) => {
      await dismissFlag(services, req.person!, String(req.params.id));
      res.json({ ok: true });
    }),
  );
  router.post(
    '/arrangements',
    wrap(async (req, res) => {
      const rel = await setUpArrangement(services, req.person!, ArrangementBody.parse(req.body));
      res.status(201).json({ relationship: { id: rel.id, supervisorId: rel.supervisorId, superviseeIds: rel.superviseeIds, startedOn: rel.startedOn } });
    }),
  );
  return router;
}
