/**
 * The fields the adapters read from Graph responses, and nothing else: every
 * response passes through one of these, so a renamed or retyped field fails
 * loudly with the call and field named (GraphContractError) instead of
 * becoming an undefined deep in the app. The contract tests check each field
 * named here exists on the Graph type in the v1.0 CSDL.
 *
 * Enumerations are matched without regard to case: Graph's own examples send
 * "Busy" and "busy" (concepts/outlook-get-free-busy-schedule.md vs
 * api/calendar-getschedule.md).
 */
import { z } from 'zod';

function caseInsensitiveEnum<const T extends readonly string[]>(values: T) {
  return z.string().transform((s, ctx): T[number] => {
    const match = values.find((v) => v.toLowerCase() === s.toLowerCase());
    if (match === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected one of ${values.join(', ')}, got "${s}"` });
      return z.NEVER;
    }
    return match;
  });
}

export const FREE_BUSY = ['unknown', 'free', 'tentative', 'busy', 'oof', 'workingElsewhere'] as const;
export const EVENT_TYPES = ['singleInstance', 'occurrence', 'exception', 'seriesMaster'] as const;
export const SENSITIVITIES = ['normal', 'personal', 'private', 'confidential'] as const;
export const RESPONSES = ['none', 'organizer', 'tentativelyAccepted', 'accepted', 'declined', 'notResponded'] as const;
export const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string().nullish() });
const emailAddress = z.object({ address: z.string().nullish() });

/** calendar: getSchedule → Collection(scheduleInformation). */
export const scheduleInformation = z.object({
  scheduleId: z.string(),
  scheduleItems: z.array(z.object({ status: caseInsensitiveEnum(FREE_BUSY), start: dateTimeTimeZone, end: dateTimeTimeZone })).nullish(),
  error: z.object({ message: z.string().nullish(), responseCode: z.string().nullish() }).nullish(),
  /** The person's working hours: what the app reads instead of mailboxSettings (no MailboxSettings.Read). */
  workingHours: z.lazy(() => workingHours).nullish(),
});
export const scheduleResponse = z.object({ value: z.array(scheduleInformation) });

/** scheduleInformation.workingHours (getSchedule). */
export const workingHours = z.object({
  daysOfWeek: z.array(caseInsensitiveEnum(DAYS)),
  startTime: z.string(),
  endTime: z.string(),
  timeZone: z.object({ name: z.string().nullish() }).nullish(),
});

/** An event as calendarView, instances and delta return it (with the $select the adapter sends). */
export const event = z.object({
  id: z.string(),
  type: caseInsensitiveEnum(EVENT_TYPES),
  subject: z.string().nullish(),
  start: dateTimeTimeZone,
  end: dateTimeTimeZone,
  seriesMasterId: z.string().nullish(),
  originalStart: z.string().nullish(),
  isCancelled: z.boolean(),
  showAs: caseInsensitiveEnum(FREE_BUSY),
  sensitivity: caseInsensitiveEnum(SENSITIVITIES),
  responseStatus: z.object({ response: caseInsensitiveEnum(RESPONSES).nullish() }).nullish(),
  organizer: z.object({ emailAddress: emailAddress.nullish() }).nullish(),
  attendees: z.array(z.object({ emailAddress: emailAddress.nullish(), status: z.object({ response: caseInsensitiveEnum(RESPONSES).nullish() }).nullish() })).nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
  singleValueExtendedProperties: z.array(z.object({ id: z.string(), value: z.string().nullish() })).nullish(),
});
export type GraphEvent = z.infer<typeof event>;

/** A delta page item Graph reports as gone (concepts/delta-query-events.md). */
export const removedEvent = z.object({ id: z.string(), '@removed': z.object({ reason: z.string().nullish() }) });

/** An occurrence or exception, as the adapter looks for one to move or cancel. */
export const instance = z.object({
  id: z.string(),
  originalStart: z.string().nullish(),
  originalStartTimeZone: z.string().nullish(),
  start: dateTimeTimeZone,
});

/** A series master with its moved occurrences ($expand=exceptionOccurrences). */
export const seriesExceptions = z.object({
  id: z.string(),
  exceptionOccurrences: z.array(instance).nullish(),
  /** An expanded collection can be paged too. */
  'exceptionOccurrences@odata.nextLink': z.string().nullish(),
});

/** POST /users/{id}/events → event, and the lookup by transaction. */
export const createdEvent = z.object({
  id: z.string(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
});

/** GET /users/{id}/calendar?$select=allowedOnlineMeetingProviders (resources/calendar.md). */
export const calendarProviders = z.object({ allowedOnlineMeetingProviders: z.array(z.string()).nullish() });

/** A user as the directory adapter selects it. */
export const user = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  jobTitle: z.string().nullish(),
  department: z.string().nullish(),
});

/** GET /users/{id}/manager → directoryObject: a user, or an organisational contact. */
export const manager = z.object({ '@odata.type': z.string().nullish(), id: z.string() });
