/**
 * Retention (pure): which supervision records are past their pack's retention
 * and so due for disposal review, and which legal holds stop disposal.
 *
 * Nothing here deletes anything: records past retention are listed for a
 * person to review, and disposal (usecases/inspection) refuses any record a
 * hold covers. The class for a record is the pack's retention class covering
 * "supervision-record", else the pack's `retention`. Anchors:
 *   - record-signed: when the record (its first signed version) was completed;
 *     records never signed are not due (they are still in progress);
 *   - session-date: the session's start;
 *   - leaving-organisation: the date the last of its supervisees left, when
 *     every one of them is recorded as having left; otherwise not due.
 */
import { DateTime, Duration } from 'luxon';
import { completedAt } from '../compliance';
import type { Relationship, Session, SupervisionRecord } from '../model';
import type { PolicyPack, RetainedKind } from '../policy/schema';

export interface LegalHold {
  id: string;
  /** What it covers: everything about a person, an arrangement, or one record. */
  scope: { kind: 'person' | 'relationship' | 'record'; id: string };
  reason: string;
  placedBy: string;
  placedAt: string;
  liftedAt?: string;
  liftedBy?: string;
}

export interface RetentionRule {
  id: string;
  name: string;
  period: string;
  from: 'record-signed' | 'leaving-organisation' | 'session-date';
  source: string;
}

export function retentionRuleFor(policy: PolicyPack, kind: RetainedKind): RetentionRule {
  const c = policy.retentionClasses?.find((x) => x.covers.includes(kind));
  if (c) return { id: c.id, name: c.name, period: c.period, from: c.from, source: c.source };
  return { id: 'retention', name: 'Retention (the pack default)', period: policy.retention.period, from: policy.retention.from, source: policy.retention.source };
}

/** The holds in force (not lifted) that cover a record of `rel`. */
export function holdsCovering(recordId: string, rel: Pick<Relationship, 'id' | 'supervisorId' | 'superviseeIds'>, holds: readonly LegalHold[]): LegalHold[] {
  const people = new Set([rel.supervisorId, ...rel.superviseeIds]);
  return holds.filter(
    (h) =>
      !h.liftedAt &&
      ((h.scope.kind === 'record' && h.scope.id === recordId) || (h.scope.kind === 'relationship' && h.scope.id === rel.id) || (h.scope.kind === 'person' && people.has(h.scope.id))),
  );
}

export interface RetentionInput {
  now: string;
  policies: Map<string, PolicyPack>;
  relationships: Relationship[];
  sessions: Session[];
  /** Current versions and any earlier ones (the earliest completion anchors "record-signed"). */
  records: SupervisionRecord[];
  holds: LegalHold[];
  /** People recorded as having left the organisation, and when (YYYY-MM-DD). */
  leftOn: Record<string, string>;
}

export interface DisposalCandidate {
  recordId: string;
  relationshipId: string;
  sessionId: string;
  sessionStart?: string;
  rule: RetentionRule;
  /** When the retention period started (ISO instant or date). */
  anchor: string;
  /** The first day it could be disposed of (YYYY-MM-DD). */
  dueSince: string;
  /** Holds in force over it (disposal is refused while any is). */
  heldBy: string[];
}

export interface RetentionReview {
  now: string;
  /** Past retention: to review for disposal (held ones included, marked). */
  due: DisposalCandidate[];
  /** Records not yet past retention, or with no anchor yet (not signed, supervisee still here). */
  retained: number;
}

export function retentionReview(input: RetentionInput): RetentionReview {
  const now = DateTime.fromISO(input.now, { zone: 'utc' });
  if (!now.isValid) throw new Error(`now: must be an ISO instant (got ${JSON.stringify(input.now)})`);
  const rels = new Map(input.relationships.map((r) => [r.id, r]));
  const sessions = new Map(input.sessions.map((s) => [s.id, s]));
  const current = new Map<string, SupervisionRecord>();
  const firstDone = new Map<string, number>();
  for (const r of input.records) {
    const cur = current.get(r.id);
    if (!cur || r.version > cur.version) current.set(r.id, r);
    const done = completedAt(r);
    if (done !== undefined && Number.isFinite(done) && (firstDone.get(r.id) ?? Infinity) > done) firstDone.set(r.id, done);
  }
  const due: DisposalCandidate[] = [];
  let retained = 0;
  for (const record of current.values()) {
    const rel = rels.get(record.relationshipId);
    const policy = rel && input.policies.get(rel.policyId);
    if (!rel || !policy) {
      retained += 1;
      continue;
    }
    const rule = retentionRuleFor(policy, 'supervision-record');
    const session = sessions.get(record.sessionId);
    let anchor: DateTime | undefined;
    if (rule.from === 'record-signed') {
      const done = firstDone.get(record.id);
      if (done !== undefined) anchor = DateTime.fromMillis(done, { zone: policy.timeZone });
    } else if (rule.from === 'session-date') {
      if (session) anchor = DateTime.fromISO(session.start, { zone: policy.timeZone });
    } else {
      const left = rel.superviseeIds.map((id) => input.leftOn[id]);
      if (left.length && left.every((d): d is string => typeof d === 'string')) anchor = DateTime.fromISO(left.sort().at(-1)!, { zone: policy.timeZone });
    }
    if (!anchor?.isValid) {
      retained += 1;
      continue;
    }
    const until = anchor.plus(Duration.fromISO(rule.period)).startOf('day');
    if (until > now) {
      retained += 1;
      continue;
    }
    due.push({
      recordId: record.id,
      relationshipId: rel.id,
      sessionId: record.sessionId,
      ...(session ? { sessionStart: session.start } : {}),
      rule,
      anchor: anchor.toISO()!,
      dueSince: until.toISODate()!,
      heldBy: holdsCovering(record.id, rel, input.holds).map((h) => h.id),
    });
  }
  due.sort((a, b) => a.dueSince.localeCompare(b.dueSince) || a.recordId.localeCompare(b.recordId));
  return { now: now.toISO()!, due, retained };
}
