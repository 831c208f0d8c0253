/**
 * A Graph event as the port's CalendarEvent, with the embedded calendar's
 * conventions: UTC instants, people as the app's person ids, only the app's
 * people as attendees, sensitivity folded to normal/private.
 */
import type { Attendee, CalendarEvent } from '../../ports/calendar';
import { APP_TAG_PROPERTY } from './eventContent';
import type { GraphEvent } from './graphSchemas';
import { fromGraphDateTime, normaliseInstant } from './timeZones';

/** From what an event says about someone back to the app's person id; undefined for people outside the app. */
export type ResolvePerson = (ref: { email?: string; aadObjectId?: string }) => Promise<string | undefined>;

export async function toCalendarEvent(e: GraphEvent, resolve: ResolvePerson): Promise<CalendarEvent> {
  const organiserMail = e.organizer?.emailAddress?.address ?? undefined;
  // Organisers outside the app keep their address as id, so the event still says who owns it.
  const organiserId = organiserMail ? ((await resolve({ email: organiserMail })) ?? organiserMail.toLowerCase()) : '';
  const attendees: Attendee[] = [];
  for (const a of e.attendees ?? []) {
    const address = a.emailAddress?.address;
    const personId = address ? await resolve({ email: address }) : undefined;
    // Only the app's people, as in the embedded calendar; rooms and guests are not Attendees.
    if (personId && personId !== organiserId) attendees.push({ personId, response: a.status?.response ?? 'none' });
  }
  const appTag = e.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === APP_TAG_PROPERTY.toLowerCase())?.value ?? undefined;
  return {
    id: e.id,
    ...(e.seriesMasterId ? { seriesMasterId: e.seriesMasterId } : {}),
    type: e.type,
    organiserId,
    attendees,
    subject: e.subject ?? '',
    start: fromGraphDateTime(e.start),
    end: fromGraphDateTime(e.end),
    ...(e.originalStart ? { originalStart: normaliseInstant(e.originalStart) } : {}),
    showAs: e.showAs === 'unknown' ? 'busy' : e.showAs,
    // The port knows normal and private; Graph's personal/confidential fold into them.
    sensitivity: e.sensitivity === 'private' || e.sensitivity === 'confidential' ? 'private' : 'normal',
    isCancelled: e.isCancelled,
    ...(e.onlineMeeting?.joinUrl ? { joinUrl: e.onlineMeeting.joinUrl } : {}),
    ...(appTag ? { appTag } : {}),
  };
}

/** One lookup per address within a call: events repeat the same people. */
export function memoise(resolve: ResolvePerson): ResolvePerson {
  const seen = new Map<string, Promise<string | undefined>>();
  return (ref) => {
    const key = `${ref.email?.toLowerCase() ?? ''}|${ref.aadObjectId ?? ''}`;
    let hit = seen.get(key);
    if (!hit) seen.set(key, (hit = resolve(ref)));
    return hit;
  };
}
