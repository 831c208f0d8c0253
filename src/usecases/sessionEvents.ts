/**
 * What every supervision event the app puts in a calendar looks like: a generic
 * subject (never names or case detail), busy, private, with a Teams meeting and a
 * reminder. Booking a series, booking urgently and rebooking all build their
 * events here, so the three cannot drift apart.
 */
import type { Relationship } from '../domain/model';
import type { NewEvent } from '../ports/calendar';

/** Calendar subjects never carry names or case detail. */
export const SESSION_SUBJECT = { individual: 'Supervision', group: 'Group supervision', urgent: 'Supervision (urgent)' } as const;

/** Minutes before the start that Outlook reminds: an urgent session is booked close in, so sooner. */
const REMINDER_MINUTES = { planned: 15, urgent: 5 } as const;

export interface SessionEventInput {
  relationship: Pick<Relationship, 'kind' | 'supervisorId' | 'superviseeIds'>;
  start: string;
  end: string;
  timeZone: string;
  /** The app's own id for the session or series (the event's app tag). */
  appTag: string;
  /** Retried creates with the same id never duplicate. */
  transactionId: string;
  rrule?: string;
  urgent?: boolean;
}

export function sessionEvent(input: SessionEventInput): NewEvent {
  const { relationship, urgent = false } = input;
  return {
    organiserId: relationship.supervisorId,
    attendeeIds: relationship.superviseeIds,
    subject: urgent ? SESSION_SUBJECT.urgent : relationship.kind === 'group' ? SESSION_SUBJECT.group : SESSION_SUBJECT.individual,
    start: input.start,
    end: input.end,
    timeZone: input.timeZone,
    ...(input.rrule !== undefined ? { rrule: input.rrule } : {}),
    showAs: 'busy',
    sensitivity: 'private',
    onlineMeeting: true,
    reminderMinutes: urgent ? REMINDER_MINUTES.urgent : REMINDER_MINUTES.planned,
    appTag: input.appTag,
    transactionId: input.transactionId,
  };
}
