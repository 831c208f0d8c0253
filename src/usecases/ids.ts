/**
 * Ids and idempotency keys: every scheme the app uses, in one place.
 *
 * Most ids are derived, not random: the same inputs always give the same id, so
 * a step retried after a crash, or run by two instances at once, finds (or
 * collides with) its own earlier write instead of making a second one. The
 * formats are stored (SQLite rows, SharePoint items, calendar app tags, ledger
 * claims): changing one orphans what is already written, so each is pinned by a
 * test (tests/unit/ids.test.ts).
 */
import { createHash, randomUUID } from 'node:crypto';

/** The first `length` hex digits of SHA-256 of the parts joined with '|'. */
export function shortHash(s: string, length = 16): string {
  return createHash('sha256').update(s).digest('hex').slice(0, length);
}

const derived = (prefix: string, parts: readonly string[], length = 16) => `${prefix}-${shortHash(parts.join('|'), length)}`;

/** Derived ids of the things the app writes. */
export const ids = {
  /** A supervisor's group arrangement with these supervisees (in any order). */
  groupRelationship: (supervisorId: string, superviseeIds: readonly string[]) => derived('rel-group', [supervisorId, [...superviseeIds].sort().join(',')]),
  /** The arrangement a directory change starts for a supervisee under a supervisor from a date. */
  relationship: (supervisorId: string, superviseeId: string, startedOn: string) => derived('rel', [supervisorId, superviseeId, startedOn]),
  /** One booked series: a segment of a booking (`segmentKey`). */
  series: (segmentKey: string) => derived('ser', [segmentKey]),
  /** The session an urgent booking makes, for a scoped request key. */
  urgentSession: (scopedRequestKey: string) => derived('urgent', [scopedRequestKey]),
  /** The session that replaces a cancelled one (one replacement per cancelled session). */
  replacementSession: (cancelledSessionId: string) => derived('rb', [cancelledSessionId], 20),
  /** The record of a session (one per session). */
  record: (sessionId: string) => derived('rec', [sessionId], 20),
  /** An agreement recorded for a relationship at an instant. */
  agreement: (relationshipId: string, at: string) => derived('agr', [relationshipId, at]),
  /** The agreement a handover carries over to the new arrangement. */
  movedAgreement: (moveId: string, relationshipId: string) => derived('agr', [moveId, relationshipId]),
  /** A handover of one relationship, for a request key. */
  handover: (requestKey: string, relationshipId: string) => derived('ho', [requestKey, relationshipId]),
  /** A cover arrangement of one relationship, for a request key. */
  cover: (requestKey: string, relationshipId: string) => derived('cov', [requestKey, relationshipId]),
  /** Things made once by a person's deliberate act, never retried under the same id (grades, holds). */
  random: (prefix: 'qa' | 'hold') => `${prefix}-${randomUUID()}`,
} as const;

/** Idempotency keys: what a retried request or step is recognised by. */
export const requestKeys = {
  /**
   * A client's request key, scoped by the arrangement and the caller: two people
   * (or two arrangements) that happen to send the same key never share a booking.
   */
  scoped: (scope: string, actorId: string, requestKey: string) => `${shortHash(`${scope}|${actorId}`)}:${requestKey}`,
  /** The key of the i-th segment (series) of one booking. */
  segment: (requestKey: string, i: number) => `${requestKey}#${i}`,
  /** The calendar create of a rebook (Graph's transactionId): one event per cancelled session. */
  rebook: (cancelledSessionId: string) => `rebook:${cancelledSessionId}`,
} as const;

/*
 * Ledger keys (claims): a claim's key names what was done once. They are
 * '|'-joined; a part never holds '|' (obligation ids are "kind:relationship:subject",
 * person ids are slugs or Entra object ids, days and instants are ISO 8601).
 * Each key has its format and its reading here, so no caller splits strings.
 */

/** "This person was told about this obligation at this step, in this period" (kind 'reminder'). */
export interface ReminderKey {
  obligationId: string;
  step: number;
  personId: string;
  /** The obligation's state, or for overdue ones the repeat period ("w0", "w1"...). */
  bucket: string;
}

/** "This person snoozed this obligation until then" (kind 'snooze'). */
export interface SnoozeKey {
  obligationId: string;
  personId: string;
  until: string;
}

/** "This person had their digest on this day" (kind 'digest-day'; also the digest's work-queue key). */
export interface DigestDayKey {
  personId: string;
  day: string;
}

/** "This party kept the rebooked time" (kind 'rebook-confirmed'): the rebooked session leaves their to-do list. */
export interface RebookConfirmedKey {
  sessionId: string;
  personId: string;
}

export const ledgerKeys = {
  rebookConfirmed: {
    kind: 'rebook-confirmed',
    format: (k: RebookConfirmedKey) => `${k.sessionId}|${k.personId}`,
  },
  reminder: {
    format: (k: ReminderKey) => `${k.obligationId}|s${k.step}|${k.personId}|${k.bucket}`,
    parse(key: string): ReminderKey | undefined {
      const [obligationId, step, personId, bucket] = key.split('|');
      if (!obligationId || !step?.startsWith('s') || !personId || bucket === undefined) return undefined;
      return { obligationId, step: Number(step.slice(1)), personId, bucket };
    },
    /** Every reminder key of one obligation starts with this. */
    prefixOf: (obligationId: string) => `${obligationId}|`,
  },
  snooze: {
    format: (k: SnoozeKey) => `${k.obligationId}|${k.personId}|${k.until}`,
    parse(key: string): SnoozeKey | undefined {
      const [obligationId, personId, until] = key.split('|');
      if (!obligationId || !personId || until === undefined) return undefined;
      return { obligationId, personId, until };
    },
    prefixOf: (obligationId: string) => `${obligationId}|`,
  },
  digestDay: {
    format: (k: DigestDayKey) => `${k.personId}|${k.day}`,
    parse(key: string): DigestDayKey | undefined {
      const [personId, day] = key.split('|');
      if (!personId || !day) return undefined;
      return { personId, day };
    },
  },
} as const;
