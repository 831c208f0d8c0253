/**
 * People change: handover to a new supervisor, cover for a period, and what a
 * directory change asks of whom. Pure decisions: who may do what, which
 * sessions move, when a cover starts and ends, and what to flag. The use cases
 * (src/usecases/handover.ts, directoryChanges.ts) do the I/O.
 */
import type { Person, Relationship, Session } from './model';

/**
 * Who may move an arrangement to another supervisor (or arrange cover, or end
 * it): its supervisor, a line manager of anyone in it, or a safeguarding lead.
 */
export function mayManageArrangement(actor: Person, rel: Relationship, members: Map<string, Person>): boolean {
  if (rel.supervisorId === actor.id) return true;
  if (actor.roles.includes('safeguarding-lead')) return true;
  return [rel.supervisorId, ...rel.superviseeIds].some((id) => members.get(id)?.lineManagerId === actor.id);
}

/**
 * Who may read a handover note (case detail): the supervisor it was written for,
 * and safeguarding leads. Not the old supervisor, not the supervisee, not a line manager.
 */
export function mayReadHandoverNote(actor: Person, note: { forId: string }): boolean {
  return actor.id === note.forId || actor.roles.includes('safeguarding-lead');
}

/** Someone who can supervise: a different person from the supervisees, with a supervisor role. */
export function supervisorProblem(candidate: Person | undefined, rel: Relationship): string | undefined {
  if (!candidate) return 'is not in the directory';
  if (rel.superviseeIds.includes(candidate.id)) return 'is one of the supervisees';
  if (candidate.id === rel.supervisorId) return 'already supervises this arrangement';
  if (!candidate.roles.includes('supervisor')) return 'is not a supervisor';
  return undefined;
}

/** The planned sessions that move: those starting at or after the move takes effect. */
export function sessionsToMove(sessions: Session[], effectiveFrom: string): Session[] {
  return sessions.filter((s) => s.status === 'planned' && s.start >= effectiveFrom);
}

/**
 * The session the new series must keep within the hard maximum of: the latest
 * one before the move that happened or will still happen (held, or planned and
 * staying put). Cancelled and missed sessions do not count: they were not supervision.
 */
export function previousSessionStart(sessions: Session[], effectiveFrom: string): string | undefined {
  let latest: string | undefined;
  for (const s of sessions) {
    if (s.start >= effectiveFrom) continue;
    if (s.status !== 'held' && s.status !== 'planned') continue;
    if (!latest || s.start > latest) latest = s.start;
  }
  return latest;
}

/** A cover period (dates in the policy's zone, YYYY-MM-DD; `until` is the first day back). */
export interface CoverPeriod {
  id: string;
  relationshipId: string;
  originalSupervisorId: string;
  coverId: string;
  from: string;
  until: string;
  byId: string;
}

/** What a cover needs now: to start (today has reached `from`), to end (today has reached `until`), or nothing. */
export function coverSteps(cover: CoverPeriod, today: string, done: { started: boolean; ended: boolean }): ('start' | 'end')[] {
  const steps: ('start' | 'end')[] = [];
  if (!done.started && today >= cover.from) steps.push('start');
  if (!done.ended && today >= cover.until) steps.push('end');
  return steps;
}

export function coverProblem(from: string, until: string, today: string): string | undefined {
  if (until <= from) return 'until: the cover must end after it starts';
  if (until <= today) return 'until: the end date has already passed';
  return undefined;
}

/** A change seen in the directory. */
export type DirectoryChange =
  | { id: string; kind: 'joined'; personId: string }
  | { id: string; kind: 'left'; personId: string }
  | { id: string; kind: 'manager-changed'; personId: string; managerId?: string };

export type FlagKind = 'new-starter' | 'leaver-supervisor' | 'leaver-supervisee' | 'manager-changed';

/** What a change asks of whom: a flag on arrangements (or a person with none), never an action taken. */
export interface Flag {
  id: string;
  kind: FlagKind;
  personId: string;
  relationshipIds: string[];
  /** The people asked to act. */
  askIds: string[];
  /** New starter: the agreement is due by this date (start + the policy's dueWithin). */
  agreementDueOn?: string;
  /** Manager change: the new line manager. */
  managerId?: string;
}

/**
 * The flags a directory change raises. `rels` are the person's active
 * arrangements; `lineManagerId` their line manager (who is asked); for a new
 * starter `agreementDueOn` is worked out by the caller from the pack.
 */
export function flagsFor(change: DirectoryChange, person: Person | undefined, rels: Relationship[], opts: { lineManagerId?: string; agreementDueOn?: string }): Flag[] {
  const ask = (ids: (string | undefined)[]) => [...new Set(ids.filter((x): x is string => Boolean(x)))];
  const flags: Flag[] = [];
  if (change.kind === 'joined') {
    // Only someone the app supervises needs an arrangement; a returning person who still has one needs nothing.
    if (!person?.policyId || rels.some((r) => r.superviseeIds.includes(change.personId))) return [];
    const askIds = ask([opts.lineManagerId]);
    flags.push({ id: change.id, kind: 'new-starter', personId: change.personId, relationshipIds: [], askIds, ...(opts.agreementDueOn ? { agreementDueOn: opts.agreementDueOn } : {}) });
    return flags;
  }
  if (change.kind === 'left') {
    const supervising = rels.filter((r) => r.supervisorId === change.personId);
    const supervised = rels.filter((r) => r.superviseeIds.includes(change.personId));
    if (supervising.length) flags.push({ id: `${change.id}:supervisor`, kind: 'leaver-supervisor', personId: change.personId, relationshipIds: supervising.map((r) => r.id), askIds: ask([opts.lineManagerId]) });
    if (supervised.length) {
      // Ending is for the supervisor (or the leaver's line manager) to choose.
      flags.push({ id: `${change.id}:supervisee`, kind: 'leaver-supervisee', personId: change.personId, relationshipIds: supervised.map((r) => r.id), askIds: ask([opts.lineManagerId, ...supervised.map((r) => r.supervisorId)]) });
    }
    return flags;
  }
  const supervised = rels.filter((r) => r.superviseeIds.includes(change.personId) && r.supervisorId !== change.managerId);
  if (!supervised.length) return [];
  return [
    {
      id: change.id, kind: 'manager-changed', personId: change.personId, relationshipIds: supervised.map((r) => r.id),
      askIds: ask([change.managerId, ...supervised.map((r) => r.supervisorId)]), ...(change.managerId ? { managerId: change.managerId } : {}),
    },
  ];
}

/**
 * Whether a flag still needs someone: level-computed from how things are now,
 * so acting by any route (handover, ending, booking) settles it.
 */
export function flagOpen(flag: Flag, rels: Map<string, Relationship>, dismissed: boolean): boolean {
  if (dismissed) return false;
  if (flag.kind === 'new-starter') return ![...rels.values()].some((r) => r.active && r.superviseeIds.includes(flag.personId));
  if (flag.kind === 'leaver-supervisor') return flag.relationshipIds.some((id) => rels.get(id)?.active && rels.get(id)?.supervisorId === flag.personId);
  // Handed over to the new line manager, ended, or dismissed as needing no handover.
  if (flag.kind === 'manager-changed') return flag.relationshipIds.some((id) => rels.get(id)?.active && rels.get(id)?.supervisorId !== flag.managerId);
  return flag.relationshipIds.some((id) => rels.get(id)?.active);
}
