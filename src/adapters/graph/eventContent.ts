/**
 * What the app writes into people's calendars, chosen here and nowhere else.
 *
 * Calendars are read by delegates, assistants and anyone shown free/busy
 * details, so an event never carries case detail: the subject is one of a few
 * fixed words and the body is a constant. Whatever text a caller passes as
 * NewEvent.subject only selects among these; it is never sent.
 */

export const GENERIC_SUBJECTS = ['Supervision', 'Group supervision', 'Supervision (rebooked)', 'Busy'] as const;
export type GenericSubject = (typeof GENERIC_SUBJECTS)[number];

export const GENERIC_BODY =
  'Protected supervision time, booked by Protected Time. Details are kept in the app, not in this invitation.';

/** The fixed subject for a requested one: an exact (case-insensitive) match, else "Supervision". */
export function genericSubject(requested: string): GenericSubject {
  const match = GENERIC_SUBJECTS.find((s) => s.toLowerCase() === requested.trim().toLowerCase());
  return match ?? 'Supervision';
}

/**
 * The app's property set for its extended properties (a fixed GUID, so the
 * properties are ours alone). Format from resources/extended-properties-overview.md:
 * "{type} {guid} Name {name}".
 */
export const APP_PROPERTY_SET = '{5b7e2d3c-8f1a-4c69-9d2e-6a4f0b8c1e37}';
/** The app's session or series id on the event (NewEvent.appTag). */
export const APP_TAG_PROPERTY = `String ${APP_PROPERTY_SET} Name ProtectedTimeSessionId`;
/** The create's transactionId, so a retried create can be found by it. */
export const TRANSACTION_PROPERTY = `String ${APP_PROPERTY_SET} Name ProtectedTimeTransactionId`;
