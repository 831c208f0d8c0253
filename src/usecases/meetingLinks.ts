/**
 * A booked series or session that came back without a Teams meeting (the
 * organiser's calendar does not allow teamsForBusiness): the booking stands,
 * the series or session is flagged in the claim ledger (kind NO_MEETING_LINK,
 * keyed by its id, detail naming the relationship) for the tab and compliance
 * view to show, and the organiser is told once per relationship, without
 * case detail.
 */
import type { Relationship, Session } from '../domain/model';
import type { DirectoryPort } from '../ports/directory';
import type { Log } from '../ports/log';
import type { RecordStore } from '../ports/store';
import type { NotifyContext } from '../ports/notifier';
import { TAB_ROUTES, tabLink } from './tabLinks';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface MeetingLinksDeps {
  log: Log;
  store: RecordStore;
  directory: DirectoryPort;
}

export const NO_MEETING_LINK = 'no-meeting-link';
const TOLD_KIND = 'no-meeting-link-told';

export async function flagMissingMeeting(services: MeetingLinksDeps, ctx: NotifyContext | undefined, relationship: Relationship, subjectId: string, now: string): Promise<void> {
  const { store, directory, log } = services;
  await store.claim(NO_MEETING_LINK, subjectId, now, { relationshipId: relationship.id });
  log.warn({ event: 'booking.no-meeting-link', relationship: relationship.id, subject: subjectId }, 'booked without a Teams meeting link');
  if (!ctx) return;
  // Claimed before sending: the organiser hears this once, not at every booking or retry.
  if (!(await store.claim(TOLD_KIND, `${relationship.supervisorId}|${relationship.id}`, now))) return;
  const organiser = await directory.getPerson(relationship.supervisorId);
  if (!organiser) return;
  const others = (await Promise.all(relationship.superviseeIds.map((id) => directory.getPerson(id)))).map((p) => p?.displayName ?? 'your supervisee');
  try {
    await ctx.notifier.send(organiser.aadObjectId, {
      kind: 'session-notice',
      notice: { kind: 'no-meeting-link', withNames: others, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.sessionsOf(relationship.id)) },
    });
  } catch (err) {
    // The booking stands and the flag is kept; the notice is best effort.
    log.warn({ event: 'booking.no-meeting-link.notify-failed', relationship: relationship.id, err: String(err) }, 'could not tell the organiser');
  }
}

/** Whether a session, or the series it belongs to, was booked without a Teams meeting link (the tab shows it). */
export async function missingMeetingLink(store: Pick<RecordStore, 'listClaims'>, session: Pick<Session, 'id' | 'seriesId'>): Promise<boolean> {
  const subjects = [session.id, ...(session.seriesId ? [session.seriesId] : [])];
  const found = await Promise.all(subjects.map((id) => store.listClaims(NO_MEETING_LINK, id)));
  return found.some((claims, i) => claims.some((c) => c.key === subjects[i]));
}
