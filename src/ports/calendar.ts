/**
 * The calendar port: what the app needs from Exchange (Graph) or the embedded
 * calendar. Instants are UTC ISO strings; recurring events carry an RRULE
 * expanded in their own time zone.
 */
import type { Interval } from '../domain/model';
import type { WorkingHours } from '../domain/policy/schema';

export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere';
export type ResponseStatus = 'none' | 'organizer' | 'accepted' | 'tentativelyAccepted' | 'declined' | 'notResponded';

export interface BusyInterval extends Interval {
  showAs: ShowAs;
}

export interface Attendee {
  personId: string;
  response: ResponseStatus;
}

export interface NewEvent {
  organiserId: string;
  attendeeIds: string[];
  /** No case detail: subjects are generic ("Supervision"). */
  subject: string;
  start: string;
  end: string;
  timeZone: string;
  /** RFC 5545 RRULE without DTSTART; absent for a single event. */
  rrule?: string;
  showAs: ShowAs;
  sensitivity: 'normal' | 'private';
  onlineMeeting: boolean;
  reminderMinutes: number;
  /** The app's own id for the session or series, stored on the event (app tag). */
  appTag: string;
  /** Retried creates with the same id never duplicate (Graph transactionId). */
  transactionId: string;
}

export interface CalendarEvent {
  id: string;
  /** For an occurrence of a series, the series master id. */
  seriesMasterId?: string;
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  organiserId: string;
  attendees: Attendee[];
  subject: string;
  start: string;
  end: string;
  /** For occurrences and exceptions: the start the pattern gave it. */
  originalStart?: string;
  showAs: ShowAs;
  sensitivity: 'normal' | 'private';
  isCancelled: boolean;
  joinUrl?: string;
  appTag?: string;
}

export interface CalendarPort {
  /** Busy intervals per person inside the window (Graph getSchedule). */
  getSchedule(personIds: string[], window: Interval): Promise<Map<string, BusyInterval[]>>;
  /** The person's working hours from their mailbox settings, if set. */
  getWorkingHours(personId: string): Promise<(Omit<WorkingHours, 'source'> & { timeZone: string }) | undefined>;
  /** Occurrences and single events in the window, as seen from the person's calendar. */
  listEvents(personId: string, window: Interval): Promise<CalendarEvent[]>;
  /** Creates a single or recurring event on the organiser's calendar, inviting attendees. */
  createEvent(event: NewEvent): Promise<{ id: string; joinUrl?: string; created: boolean }>;
  /** Moves one occurrence of a series (or a single event). */
  moveOccurrence(organiserId: string, eventId: string, occurrenceStart: string | undefined, start: string, end: string): Promise<void>;
  /** Puts the app's tag back on an event that lost it (some clients drop extended properties). */
  repairAppTag(organiserId: string, eventId: string, appTag: string): Promise<void>;
  /** Cancels one occurrence (or a single event), notifying attendees. */
  cancelOccurrence(organiserId: string, eventId: string, occurrenceStart: string | undefined, comment: string): Promise<void>;
}
