/**
 * Gathers what the pure planner needs about people from the ports: each
 * person's working hours (their mailbox settings, else the policy's) and busy
 * intervals (one free/busy call for everyone).
 */
import type { Interval } from '../domain/model';
import type { Participant } from '../domain/planning/types';
import type { PolicyPack } from '../domain/policy/schema';
import type { CalendarPort } from '../ports/calendar';

export async function gatherParticipants(calendar: CalendarPort, policy: PolicyPack, personIds: string[], window: Interval, ignoreAppTag?: (tag: string) => boolean): Promise<Participant[]> {
  const schedule = await calendar.getSchedule(personIds, window);
  // When re-planning a relationship's own series, its events must not count as busy.
  const ownEvents = ignoreAppTag ? await ownEventIntervals(calendar, personIds[0]!, window, ignoreAppTag) : [];
  return Promise.all(
    personIds.map(async (id) => {
      const hours = await calendar.getWorkingHours(id);
      const busy = (schedule.get(id) ?? []).filter((b) => !ownEvents.some((o) => o.start === b.start && o.end === b.end));
      return {
        id,
        workingHours: hours ?? { days: policy.workingHours.days, start: policy.workingHours.start, end: policy.workingHours.end, timeZone: policy.timeZone },
        busy: busy.map(({ start, end }) => ({ start, end })),
      };
    }),
  );
}

async function ownEventIntervals(calendar: CalendarPort, personId: string, window: Interval, match: (tag: string) => boolean): Promise<Interval[]> {
  const events = await calendar.listEvents(personId, window);
  return events.filter((e) => e.appTag && match(e.appTag)).map((e) => ({ start: e.start, end: e.end }));
}
