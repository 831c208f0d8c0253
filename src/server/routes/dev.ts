/**
 * Local mode only: stand-ins for things that happen outside the app in a real
 * tenant, for demos and end-to-end tests. Never mounted in tenant mode.
 *   /api/dev/clock         read or move the simulated clock (PT_TEST_CLOCK)
 *   /api/dev/jobs/run      run the background jobs now instead of waiting
 *   /api/dev/calendar/...  act on a session as its organiser or attendee would in Outlook
 */
import { Router } from 'express';
import { Duration } from 'luxon';
import { z } from 'zod';
import type { CalendarPort } from '../../ports/calendar';
import type { Clock } from '../../ports/clock';
import type { Log } from '../../ports/log';
import type { LocalStandIns } from '../../ports/standIns';
import type { RecordStore } from '../../ports/store';
import { badRequest, notFound } from '../../usecases/errors';
import { wrap } from '../asyncHandler';
import { isRealInstant, RealInstant } from '../../domain/time/dates';

/** The test clock moves at most this far in one step (further makes every date computation overflow). */
const MAX_ADVANCE_MS = 5 * 366 * 86_400_000;
const ClockBody = z.union([
  z
    .object({
      advance: z
        .string()
        .max(40)
        .refine((d) => Duration.fromISO(d).isValid, 'must be an ISO 8601 duration such as P1D')
        .refine((d) => {
          const ms = Duration.fromISO(d).toMillis();
          return Number.isFinite(ms) && ms >= 0 && ms <= MAX_ADVANCE_MS;
        }, 'must move the clock forward by at most five years'),
    })
    .strict(),
  z.object({ to: RealInstant }).strict(),
  z.object({ reset: z.literal(true) }).strict(),
]);
const SessionAction = z.object({ sessionId: z.string().min(1).max(200), personId: z.string().min(1).max(200).optional() }).strict();

export interface DevDeps {
  clock: Clock;
  log: Log;
  store: RecordStore;
  calendar: CalendarPort;
}

export function devRoutes(services: DevDeps, standIns: LocalStandIns, runJobs: () => Promise<void>): Router {
  const router = Router();
  const clock = standIns.clock;

  router.get('/clock', (_req, res) => {
    res.json({ now: services.clock.now().toISOString(), offsetMs: clock?.offset() ?? 0, adjustable: Boolean(clock) });
  });
  router.post(
    '/clock',
    wrap(async (req, res) => {
      if (!clock) throw badRequest('The test clock is off (PT_TEST_CLOCK=false)');
      const body = ClockBody.parse(req.body);
      if ('advance' in body) {
        const to = clock.now().getTime() + Duration.fromISO(body.advance).toMillis();
        if (!isRealInstant(new Date(to).toISOString())) throw badRequest('advance: would move the clock past the years this app can mean', ['advance: too far']);
        clock.advance(Duration.fromISO(body.advance).toMillis());
      }
      else if ('to' in body) clock.setNow(new Date(body.to));
      else clock.reset();
      services.log.info({ event: 'test-clock', now: clock.now().toISOString() }, 'test clock moved');
      res.json({ now: services.clock.now().toISOString(), offsetMs: clock.offset() });
    }),
  );
  router.post(
    '/jobs/run',
    wrap(async (_req, res) => {
      await runJobs();
      res.json({ ok: true, now: services.clock.now().toISOString() });
    }),
  );

  async function sessionFor(sessionId: string) {
    const s = await services.store.getSession(sessionId);
    const rel = s && (await services.store.getRelationship(s.relationshipId));
    if (!s || !rel) throw notFound('No such session');
    return { s, rel };
  }
  router.post(
    '/calendar/cancel',
    wrap(async (req, res) => {
      const { sessionId } = SessionAction.parse(req.body);
      const { s, rel } = await sessionFor(sessionId);
      await services.calendar.cancelOccurrence(rel.supervisorId, s.calendarEventId!, s.seriesId ? s.occurrenceStart : undefined, 'Cancelled');
      res.json({ ok: true });
    }),
  );
  router.post(
    '/calendar/decline',
    wrap(async (req, res) => {
      const { sessionId, personId } = SessionAction.parse(req.body);
      const { s, rel } = await sessionFor(sessionId);
      await standIns.attendees.respond(personId ?? rel.superviseeIds[0]!, s.calendarEventId!, 'declined');
      res.json({ ok: true });
    }),
  );
  return router;
}
