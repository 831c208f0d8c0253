/** Row <-> model mapping for the embedded store; JSON columns parsed in one place. */
import type { Person, Relationship, Series, Session } from '../../domain/model';

type Row = Record<string, unknown>;
const str = (v: unknown): string => String(v);
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export function personFromRow(r: Row): Person {
  return {
    id: str(r.id),
    aadObjectId: str(r.aad_object_id),
    displayName: str(r.display_name),
    email: str(r.email),
    jobTitle: str(r.job_title),
    team: str(r.team),
    roles: JSON.parse(str(r.roles)),
    lineManagerId: opt(r.line_manager_id),
    policyId: opt(r.policy_id),
    staffGroupId: opt(r.staff_group_id),
    startedOn: opt(r.started_on),
  };
}

export function relationshipFromRow(r: Row, memberIds: string[]): Relationship {
  return {
    id: str(r.id),
    kind: str(r.kind) as Relationship['kind'],
    supervisorId: str(r.supervisor_id),
    superviseeIds: memberIds,
    policyId: str(r.policy_id),
    staffGroupId: str(r.staff_group_id),
    startedOn: str(r.started_on),
    override: r.override ? JSON.parse(str(r.override)) : undefined,
    unit: opt(r.unit),
    active: Number(r.active) === 1,
  };
}

export function seriesFromRow(r: Row): Series {
  return {
    id: str(r.id),
    relationshipId: str(r.relationship_id),
    organiserId: str(r.organiser_id),
    attendeeIds: JSON.parse(str(r.attendee_ids)),
    rrule: str(r.rrule),
    firstStart: str(r.first_start),
    durationMinutes: Number(r.duration_minutes),
    timeZone: str(r.time_zone),
    calendarEventId: opt(r.calendar_event_id),
    requestKey: str(r.request_key),
    createdAt: str(r.created_at),
    createdBy: str(r.created_by),
  };
}

export function sessionFromRow(r: Row): Session {
  return {
    id: str(r.id),
    relationshipId: str(r.relationship_id),
    seriesId: opt(r.series_id),
    start: str(r.start),
    end: str(r.end),
    status: str(r.status) as Session['status'],
    kind: str(r.kind) as Session['kind'],
    calendarEventId: opt(r.calendar_event_id),
    occurrenceStart: opt(r.occurrence_start),
    replacesSessionId: opt(r.replaces_session_id),
    cancelledAt: opt(r.cancelled_at),
  };
}

/** node:sqlite binds undefined as an error; map it to NULL. */
export function nul<T>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}
