/**
 * Local mode's stand-ins for what happens outside the app in a tenant (Outlook,
 * the passing of time), for demos and end-to-end tests under /api/dev. A tenant
 * has none.
 */
import type { Clock } from './clock';
import type { ResponseStatus } from './calendar';

/** A clock tests and demos can move forward (PT_TEST_CLOCK). */
export interface MovableClock extends Clock {
  offset(): number;
  advance(ms: number): void;
  setNow(instant: Date): void;
  reset(): void;
}

/** Answering an invitation as the attendee would in Outlook. */
export interface AttendeeResponses {
  respond(personId: string, eventId: string, response: Exclude<ResponseStatus, 'organizer' | 'none'>): Promise<void>;
}

export interface LocalStandIns {
  /** Absent when the test clock is off. */
  clock?: MovableClock;
  attendees: AttendeeResponses;
}
