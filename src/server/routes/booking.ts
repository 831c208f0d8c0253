/** Tab API for booking: the people a supervisor looks after, proposals, booking, urgent. */
import { Router } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { viewpointOn } from '../../domain/access';
import type { Person, Relationship } from '../../domain/model';
import { describeGroup } from '../../domain/policy/describe';
import { Weekday } from '../../domain/policy/schema';
import { findStaffGroup } from '../../domain/policy/validate';
import type { BookingDeps } from '../../usecases/booking';
import type { AgreementsDeps } from '../../usecases/agreements';
import type { RebookingDeps } from '../../usecases/rebooking';
import { getAgreement, recordAgreement, signAgreement } from '../../usecases/agreements';
import { bookSeries, bookUrgent, previewUrgent, proposeSeries, resolveTarget, summariseProposal } from '../../usecases/booking';
import { wrap } from '../asyncHandler';
import type { NotifyContext } from '../../usecases/rebooking';
import { isRealDate, isRealInstant, REAL_DATE_MESSAGE, RealDate } from '../../domain/time/dates';
import { zoneOf } from '../../domain/time/zones';

/** The ports of the use cases these routes call. */
export type BookingRoutesDeps = BookingDeps & AgreementsDeps & RebookingDeps;

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');
const Choice = z
  .object({
    relationshipId: z.string().min(1).max(200).optional(),
    superviseeIds: z.array(z.string().min(1).max(200)).min(1).max(30).optional(),
    startDate: z.string().max(40).refine((s) => isRealDate(s) || isRealInstant(s), `${REAL_DATE_MESSAGE} (or a date and time with a zone)`).optional(),
    durationMinutes: z.number().int().min(15).max(480).optional(),
    weekdays: z.array(Weekday).max(7).optional(),
    times: z.array(Time).max(24).optional(),
  })
  .strict()
  .refine((c) => Boolean(c.relationshipId) !== Boolean(c.superviseeIds), { message: 'give relationshipId or superviseeIds (one of them)', path: ['relationshipId'] });
const BookBody = Choice.and(z.object({ requestKey: z.string().min(8).max(100), proposalId: z.string().max(200).optional() }));
const UrgentBody = z.object({ relationshipId: z.string().min(1).max(200), requestKey: z.string().min(8).max(100), durationMinutes: z.number().int().min(15).max(480).optional(), start: z.iso.datetime({ offset: true }).optional() }).strict();
const UrgentPreview = z.object({ relationshipId: z.string().min(1).max(200), durationMinutes: z.number().int().min(15).max(480).optional() }).strict();

export function bookingRoutes(services: BookingRoutesDeps, notify: () => NotifyContext | undefined = () => undefined): Router {
  const router = Router();
  const { store, directory, policies, clock } = services;

  /** Relationships the caller supervises or oversees, with last and next session. */
  router.get(
    '/people',
    wrap(async (req, res) => {
      const me = req.person!;
      const people = new Map((await directory.listPeople()).map((p) => [p.id, p]));
      const visible = (await store.listRelationships({ activeOnly: true }))
        .map((rel) => ({ rel, view: viewpointOn(me, rel, people) }))
        .filter((x) => x.view && x.view !== 'supervisee') as { rel: Relationship; view: string }[];
      const now = clock.now().toISOString();
      const sessions = await store.listSessions({ relationshipIds: visible.map((v) => v.rel.id) });
      const rows = visible.map(({ rel, view }) => {
        const mine = sessions.filter((s) => s.relationshipId === rel.id);
        const last = [...mine].reverse().find((s) => s.status === 'held' || (s.status === 'planned' && s.end <= now));
        const next = mine.find((s) => s.status === 'planned' && s.start > now);
        const policy = policies.get(rel.policyId);
        const group = policy && findStaffGroup(policy, rel.staffGroupId);
        return {
          id: rel.id,
          kind: rel.kind,
          viewpoint: view,
          supervisor: nameOf(people, rel.supervisorId),
          supervisorId: rel.supervisorId,
          supervisees: rel.superviseeIds.map((id) => ({ id, name: nameOf(people, id), jobTitle: people.get(id)?.jobTitle ?? '' })),
          policy: policy && group ? describeGroup(policy, group) : undefined,
          override: rel.override,
          lastSession: last ? { start: last.start, status: last.status } : null,
          nextSession: next ? { start: next.start, end: next.end } : null,
          plannedCount: mine.filter((s) => s.status === 'planned' && s.start > now).length,
          canBook: view === 'supervisor' || me.roles.includes('safeguarding-lead'),
          /** The pack's zone (also when the pack is not loaded): the row's dates are read in it. */
          timeZone: zoneOf(policy),
        };
      });
      await store.appendAudit({ at: now, actorId: me.id, action: 'read', subjectType: 'people-list', subjectId: me.id, detail: { count: rows.length } });
      res.json({ relationships: rows });
    }),
  );

  router.post(
    '/plan',
    wrap(async (req, res) => {
      const choice = Choice.parse(req.body);
      const { target, result, durationMinutes } = await proposeSeries(services, req.person!, choice);
      res.json({
        relationshipId: target.relationship.id,
        policy: describeGroup(target.policy, target.group),
        durationMinutes,
        proposals: result.proposals.map(summariseProposal),
        rejected: result.rejected.slice(0, 20),
        rejectedTotal: result.rejectedTotal,
        notes: result.notes,
      });
    }),
  );

  router.post(
    '/series',
    wrap(async (req, res) => {
      const body = BookBody.parse(req.body);
      const booked = await bookSeries(services, req.person!, body, notify());
      res.status(booked.duplicate ? 200 : 201).json({
        relationshipId: booked.relationshipId,
        duplicate: booked.duplicate,
        description: booked.description,
        sessions: booked.sessions.map((s) => ({ id: s.id, start: s.start, end: s.end, moved: s.occurrenceStart !== undefined && s.occurrenceStart !== s.start })),
      });
    }),
  );

  router.post(
    '/urgent/preview',
    wrap(async (req, res) => {
      res.json({ slot: await previewUrgent(services, req.person!, UrgentPreview.parse(req.body)) });
    }),
  );
  router.post(
    '/urgent',
    wrap(async (req, res) => {
      const body = UrgentBody.parse(req.body);
      const { session, duplicate } = await bookUrgent(services, req.person!, body, notify());
      res.status(duplicate ? 200 : 201).json({ duplicate, session: { id: session.id, start: session.start, end: session.end } });
    }),
  );

  router.get(
    '/relationships/:id/policy',
    wrap(async (req, res) => {
      const target = await resolveTarget(services, req.person!, { relationshipId: String(req.params.id) });
      res.json(describeGroup(target.policy, target.group));
    }),
  );
  return router;
}

function nameOf(people: Map<string, Person>, id: string): string {
  return people.get(id)?.displayName ?? 'Unknown';
}

const AgreementBody = z
  .object({
    frequency: z.string().trim().min(1).max(200),
    durationMinutes: z.number().int().min(15).max(480),
    venue: z.string().trim().min(1).max(200),
    type: z.enum(['individual', 'group']),
    reviewOn: RealDate.optional(),
    values: z.record(z.string().max(60), z.string().max(4000)).optional(),
  })
  .strict();

/** Signing names the agreement that was shown (its id), never "whatever is newest". */
const SignBody = z.object({ agreementId: z.string().min(1).max(200) }).strict();

export function agreementRoutes(services: BookingRoutesDeps): Router {
  const router = Router();
  router.get(
    '/relationships/:id/agreement',
    wrap(async (req, res) => {
      res.json(await getAgreement(services, req.person!, String(req.params.id)));
    }),
  );
  router.post(
    '/relationships/:id/agreement',
    wrap(async (req, res) => {
      const agreement = await recordAgreement(services, req.person!, String(req.params.id), AgreementBody.parse(req.body));
      res.status(201).json({ agreement });
    }),
  );
  router.post(
    '/relationships/:id/agreement/sign',
    wrap(async (req, res) => {
      const { agreementId } = SignBody.parse(req.body ?? {});
      res.json({ agreement: await signAgreement(services, req.person!, String(req.params.id), agreementId) });
    }),
  );
  return router;
}
