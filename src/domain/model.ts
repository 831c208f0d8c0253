/**
 * The app's core records. Instants are ISO 8601 strings in UTC ("2026-11-23T10:00:00.000Z");
 * wall-clock times are computed from them in the policy's time zone where needed.
 * Nothing here holds case detail: that lives only in supervision records.
 */

export type Role = 'practitioner' | 'supervisor' | 'line-manager' | 'safeguarding-lead' | 'auditor';

export interface Person {
  id: string;
  displayName: string;
  email: string;
  /** Entra object id: how Teams and Graph identify the person. */
  aadObjectId: string;
  jobTitle: string;
  team: string;
  roles: Role[];
  lineManagerId?: string;
  /** The policy pack and staff group this person is supervised under, if supervised. */
  policyId?: string;
  staffGroupId?: string;
  /** Start in post (for agreement deadlines and new-starter ramps), YYYY-MM-DD. */
  startedOn?: string;
}

/** A supervisor and one (individual) or several (group) supervisees under one policy. */
export interface Relationship {
  id: string;
  kind: 'individual' | 'group';
  supervisorId: string;
  superviseeIds: string[];
  policyId: string;
  staffGroupId: string;
  /** YYYY-MM-DD */
  startedOn: string;
  /**
   * A time-limited override (new starter / ASYE ramp): interval until a date (inclusive),
   * then optionally further steps, each until its own date, before the group's cadence (see ramp.ts).
   */
  override?: { interval: string; until: string; then?: { interval: string; until: string }[]; reason: 'new-starter' | 'newly-qualified' | 'new-to-post' };
  /** The school (or other unit) the supervision belongs to, for requirements a policy counts per school (Lingfield). */
  unit?: string;
  active: boolean;
}

export type SessionStatus = 'planned' | 'held' | 'cancelled' | 'missed';

export interface Session {
  id: string;
  relationshipId: string;
  seriesId?: string;
  start: string;
  end: string;
  status: SessionStatus;
  kind: 'planned' | 'urgent' | 'rebooked';
  /** The organiser's calendar event (series master or single event). */
  calendarEventId?: string;
  /** For an occurrence of a series: its original start, which identifies it in the calendar. */
  occurrenceStart?: string;
  /** When this session replaces a cancelled one. */
  replacesSessionId?: string;
  /** When it was found cancelled (or missed): the rebook obligation runs from here ("rebooked immediately"). */
  cancelledAt?: string;
}

export interface Series {
  id: string;
  relationshipId: string;
  organiserId: string;
  attendeeIds: string[];
  /** RFC 5545 RRULE (without DTSTART); expanded in `timeZone`. */
  rrule: string;
  /** First occurrence start, UTC. */
  firstStart: string;
  durationMinutes: number;
  timeZone: string;
  calendarEventId?: string;
  /** Idempotency key: the same booking request twice returns the same series. */
  requestKey: string;
  createdAt: string;
  createdBy: string;
}

/** Where and how to reach a person proactively in Teams. */
export interface ConversationRef {
  aadObjectId: string;
  conversationId: string;
  serviceUrl: string;
  tenantId?: string;
  botId?: string;
  updatedAt: string;
}

/** What happened, by whom, to what: never the content itself. */
export interface AuditEntry {
  at: string;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail?: Record<string, string | number | boolean>;
}

export interface Interval {
  start: string;
  end: string;
}

/** A supervision record: the organisation's template filled in for one session. */
export type RecordStatus = 'draft' | 'submitted' | 'changes-requested' | 'signed' | 'disagreed';

export interface Signature {
  personId: string;
  role: 'supervisor' | 'supervisee';
  at: string;
}

export interface SupervisionRecord {
  id: string;
  sessionId: string;
  relationshipId: string;
  templateId: string;
  /** Amendments to a signed record are new versions; a signed version never changes. */
  version: number;
  status: RecordStatus;
  /** Who writes it (per policy: supervisor, supervisee or either). */
  authorId: string;
  values: Record<string, unknown>;
  submittedAt?: string;
  signatures: Signature[];
  disagreement?: { byId: string; at: string; text: string };
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: changes only apply to the etag they were made against. */
  etag: string;
}

/** An agreed action: its own item, carried forward until done. */
export interface ActionItem {
  id: string;
  relationshipId: string;
  /** The session whose record agreed it. */
  sessionId: string;
  recordId: string;
  text: string;
  ownerId: string;
  /** YYYY-MM-DD */
  dueOn: string;
  outcomeForChild?: string;
  status: 'open' | 'done' | 'dropped';
  completedAt?: string;
}

/** The written supervision agreement for a relationship. */
export interface Agreement {
  id: string;
  relationshipId: string;
  templateId: string;
  values: Record<string, unknown>;
  frequency: string;
  durationMinutes: number;
  venue: string;
  type: 'individual' | 'group';
  /** YYYY-MM-DD */
  reviewOn: string;
  status: 'draft' | 'signed';
  signatures: Signature[];
  createdAt: string;
}
