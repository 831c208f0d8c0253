/**
 * Handover, cover and ending an arrangement, as people ask for them from the
 * tab. Each request is authorised here, written durably (the move outbox, the
 * ledger) and then carried out by src/usecases/transfer.ts, at once and again
 * by the job if anything failed.
 *
 * The handover note is case detail: kept in the app's own store (the ledger's
 * detail, like a kept-cancelled reason), never in the audit trail, logs,
 * calendars or notification text; read only by the new supervisor and
 * safeguarding leads, and every read is audited.
 */
import { DateTime } from 'luxon';
import { localDate, startOfLocalDate, zoneOf } from '../domain/time/zones';
import type { Person, Relationship } from '../domain/model';
import { coverProblem, coverSteps, mayManageArrangement, mayReadHandoverNote, supervisorProblem, type CoverPeriod } from '../domain/peopleChanges';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Log } from '../ports/log';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import type { WorkQueue } from '../ports/workQueue';
import { ids } from './ids';
import { badRequest, forbidden, notFound } from './errors';
import { clearSeriesFrom, enqueueMove, MOVE_KIND, movedRelationshipId, processMoves, type MovePayload, type Teller } from './transfer';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface HandoverDeps {
  clock: Clock;
  log: Log;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  calendar: CalendarPort;
  work: WorkQueue;
}

export const NOTE_MAX = 4000;
const NOTE_KIND = 'handover-note';
const COVER_KIND = 'cover';
const ENDED_KIND = 'arrangement-ended';

async function membersOf(services: HandoverDeps, rel: Relationship): Promise<Map<string, Person>> {
  const out = new Map<string, Person>();
  for (const id of [rel.supervisorId, ...rel.superviseeIds]) {
    const p = await services.directory.getPerson(id);
    if (p) out.set(id, p);
  }
  return out;
}

async function loadManaged(services: HandoverDeps, actor: Person, relationshipId: string): Promise<{ rel: Relationship; members: Map<string, Person> }> {
  const rel = await services.store.getRelationship(relationshipId);
  if (!rel || !rel.active) throw notFound(`No active supervision arrangement ${relationshipId}`);
  const members = await membersOf(services, rel);
  if (!mayManageArrangement(actor, rel, members)) {
    await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId: actor.id, action: 'arrangement-change-refused', subjectType: 'relationship', subjectId: rel.id });
    throw forbidden('Only the supervisor, a line manager of someone in the arrangement, or a safeguarding lead can change who supervises it.');
  }
  return { rel, members };
}

function today(services: HandoverDeps, rel: Relationship): string {
  return localDate(services.clock.now(), zoneOf(services.policies.get(rel.policyId)));
}

function startOfDay(services: HandoverDeps, rel: Relationship, date: string): string {
  return startOfLocalDate(date, zoneOf(services.policies.get(rel.policyId)));
}

export interface HandoverRequest {
  relationshipIds: string[];
  toId: string;
  note?: string;
  requestKey: string;
}

export interface HandoverOutcome {
  handovers: { moveId: string; relationshipId: string; outcome: 'moved' | 'queued' | 'nothing-to-do'; booked: number; firstSession?: { start: string; end: string }; notBookedReason?: string }[];
}

/** Moves one or more arrangements (one supervisee, or several) to a new supervisor, now. */
export async function requestHandover(services: HandoverDeps, tell: Teller, workerId: string, actor: Person, req: HandoverRequest): Promise<HandoverOutcome> {
  const now = services.clock.now().toISOString();
  const note = req.note?.trim();
  if (note && note.length > NOTE_MAX) throw badRequest(`note: at most ${NOTE_MAX} characters`);
  const to = await services.directory.getPerson(req.toId);
  const payloads: MovePayload[] = [];
  const fresh: MovePayload[] = [];
  for (const relationshipId of [...new Set(req.relationshipIds)]) {
    const moveId = ids.handover(req.requestKey, relationshipId);
    const requested = (await services.store.listClaims('move-requested', moveId)).find((c) => c.key === moveId);
    if (requested) {
      // The same request again (a double click, a retry after a crash): make sure it is queued, and report on it.
      const payload = requested.detail as unknown as MovePayload;
      await enqueueMove(services, payload, now);
      payloads.push(payload);
      continue;
    }
    const { rel: managed } = await loadManaged(services, actor, relationshipId);
    const problem = supervisorProblem(to, managed);
    if (problem) throw badRequest(`toId: ${to?.displayName ?? req.toId} ${problem}`);
    const payload: MovePayload = { moveId, kind: 'handover', relationshipId, fromId: managed.supervisorId, toId: req.toId, effectiveFrom: now, byId: actor.id, hasNote: Boolean(note) };
    payloads.push(payload);
    fresh.push(payload);
  }
  // Everything validated before anything is written: a bad item stores nothing.
  for (const p of fresh) {
    if (note) await services.store.claim(NOTE_KIND, p.moveId, now, { relationshipId: p.relationshipId, forId: p.toId, byId: actor.id, fromId: p.fromId, text: note });
    // The request is durable before it is queued: a repeat re-queues it from here.
    await services.store.claim('move-requested', p.moveId, now, { ...p });
    await enqueueMove(services, p, now);
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'handover-requested', subjectType: 'relationship', subjectId: p.relationshipId, detail: { from: p.fromId, to: p.toId, moveId: p.moveId, note: Boolean(note) } });
  }
  // Carry it out now; anything that fails is retried by the job.
  await processMoves(services, tell, workerId);
  const handovers: HandoverOutcome['handovers'] = [];
  for (const p of payloads) {
    const result = (await services.work.result('people-move', p.moveId)) as { outcome?: 'moved' | 'nothing-to-do'; booked?: number; firstSession?: { start: string; end: string }; notBookedReason?: string } | undefined;
    handovers.push({
      moveId: p.moveId, relationshipId: p.relationshipId, outcome: result?.outcome ?? 'queued', booked: result?.booked ?? 0,
      ...(result?.firstSession ? { firstSession: result.firstSession } : {}), ...(result?.notBookedReason ? { notBookedReason: result.notBookedReason } : {}),
    });
  }
  return { handovers };
}

export interface HandoverNoteView {
  moveId: string;
  relationshipId: string;
  text: string;
  writtenBy: string;
  at: string;
}

/** Handover notes the actor may read (for the new supervisor and leads); every read audited. */
export async function readHandoverNotes(services: HandoverDeps, actor: Person, relationshipId: string): Promise<HandoverNoteView[]> {
  const now = services.clock.now().toISOString();
  const notes = (await services.store.listClaims(NOTE_KIND)).filter((c) => (c.detail as { relationshipId?: string } | undefined)?.relationshipId === relationshipId);
  const readable = notes.filter((c) => mayReadHandoverNote(actor, { forId: String((c.detail as { forId?: string }).forId) }));
  if (notes.length && !readable.length) {
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'handover-note-read-refused', subjectType: 'relationship', subjectId: relationshipId });
    throw forbidden('Handover notes are for the new supervisor and safeguarding leads only.');
  }
  const out: HandoverNoteView[] = [];
  for (const c of readable) {
    const d = c.detail as { text: string; byId: string };
    const by = await services.directory.getPerson(d.byId);
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'handover-note-read', subjectType: 'handover-note', subjectId: c.key });
    out.push({ moveId: c.key, relationshipId, text: d.text, writtenBy: by?.displayName ?? 'a colleague', at: c.at });
  }
  return out;
}

export interface CoverRequest {
  relationshipIds: string[];
  coverId: string;
  /** YYYY-MM-DD, default today. */
  from?: string;
  /** YYYY-MM-DD: the first day the usual supervisor is back. */
  until: string;
  requestKey: string;
}

/** Arranges cover for a period; starts now if the period has begun (else the job starts it). */
export async function requestCover(services: HandoverDeps, tell: Teller, workerId: string, actor: Person, req: CoverRequest): Promise<{ covers: CoverPeriod[] }> {
  const now = services.clock.now().toISOString();
  const cover = await services.directory.getPerson(req.coverId);
  const covers: CoverPeriod[] = [];
  const fresh: CoverPeriod[] = [];
  const active = (await activeCovers(services)).covers;
  for (const relationshipId of [...new Set(req.relationshipIds)]) {
    const id = ids.cover(req.requestKey, relationshipId);
    const existing = (await services.store.listClaims(COVER_KIND, id)).find((c) => c.key === id);
    if (existing) {
      covers.push(existing.detail as unknown as CoverPeriod);
      continue;
    }
    const { rel } = await loadManaged(services, actor, relationshipId);
    const problem = supervisorProblem(cover, rel);
    if (problem) throw badRequest(`coverId: ${cover?.displayName ?? req.coverId} ${problem}`);
    const from = req.from ?? today(services, rel);
    if (from < today(services, rel)) throw badRequest('from: the cover cannot start in the past');
    const bad = coverProblem(from, req.until, today(services, rel));
    if (bad) throw badRequest(bad);
    if (active.some((c) => c.relationshipId === rel.id)) throw badRequest('This arrangement is already covered; let that cover end first.');
    const period: CoverPeriod = { id, relationshipId: rel.id, originalSupervisorId: rel.supervisorId, coverId: req.coverId, from, until: req.until, byId: actor.id };
    covers.push(period);
    fresh.push(period);
  }
  // Everything validated before anything is written: a bad item stores nothing.
  for (const period of fresh) {
    await services.store.claim(COVER_KIND, period.id, now, { ...period });
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'cover-arranged', subjectType: 'relationship', subjectId: period.relationshipId, detail: { cover: period.coverId, from: period.from, until: period.until, coverPeriod: period.id } });
  }
  await runCovers(services, tell, workerId);
  return { covers };
}

/** Which steps of which covers have been set going: one read of the ledger, however many covers. */
async function coverSteps_(services: HandoverDeps): Promise<Set<string>> {
  return new Set((await services.store.listClaims('cover-step')).map((r) => r.key));
}

function stateOf(cover: CoverPeriod, steps: Set<string>): { started: boolean; ended: boolean } {
  // Enqueued once per step: the ledger key is the durable "set going" mark, whatever became of the move.
  return { started: steps.has(`${cover.id}:start`), ended: steps.has(`${cover.id}:end`) };
}

async function activeCovers(services: HandoverDeps): Promise<{ covers: CoverPeriod[]; steps: Set<string> }> {
  const steps = await coverSteps_(services);
  const covers = (await services.store.listClaims(COVER_KIND)).map((c) => c.detail as unknown as CoverPeriod).filter((c) => !stateOf(c, steps).ended);
  return { covers, steps };
}

/**
 * Level-triggered: for every cover not yet ended, start it once its first day
 * has come and end it (revert to the usual supervisor) once the first day back
 * has; then run the moves. A missed or repeated run does no harm.
 */
export async function runCovers(services: HandoverDeps, tell: Teller, workerId: string): Promise<void> {
  // Two passes: a cover whose whole period passed unseen starts, and only once that move is done does it end.
  for (let pass = 0; pass < 2; pass++) {
    let started = 0;
    const now = services.clock.now().toISOString();
    const { covers, steps } = await activeCovers(services);
    // Usual supervisors who have left the people group since: their supervisees stay with the cover (no revert).
    const left = covers.length ? new Set((await services.store.listClaims('people-flag')).map((c) => c.detail as { kind?: string; personId?: string }).filter((f) => f.kind === 'leaver-supervisor').map((f) => f.personId)) : new Set<string | undefined>();
    for (const cover of covers) {
      try {
        const rel = await services.store.getRelationship(cover.relationshipId);
        if (!rel) continue;
        const state = stateOf(cover, steps);
        for (const step of coverSteps(cover, today(services, rel), state)) {
          if (step === 'end' && !(await services.work.result(MOVE_KIND, `${cover.id}-start`))) continue;
          if (step === 'end' && left.has(cover.originalSupervisorId)) {
            await services.store.claim('cover-step', `${cover.id}:end`, now, { reverted: false });
            await services.store.appendAudit({ at: now, actorId: 'system:people-changes', action: 'cover-ended-without-revert', subjectType: 'relationship', subjectId: rel.id, detail: { coverPeriod: cover.id, reason: 'usual supervisor left' } });
            continue;
          }
          const payload: MovePayload =
            step === 'start'
              ? { moveId: `${cover.id}-start`, kind: 'cover-start', relationshipId: rel.id, fromId: cover.originalSupervisorId, toId: cover.coverId, effectiveFrom: maxIso(now, startOfDay(services, rel, cover.from)), bookUntil: startOfDay(services, rel, cover.until), byId: cover.byId, coverId: cover.id }
              : { moveId: `${cover.id}-end`, kind: 'cover-end', relationshipId: rel.id, fromId: cover.coverId, toId: cover.originalSupervisorId, effectiveFrom: maxIso(now, startOfDay(services, rel, cover.until)), byId: cover.byId, coverId: cover.id };
          await enqueueMove(services, payload, now);
          await services.store.claim('cover-step', `${cover.id}:${step}`, now);
          if (step === 'start') started += 1;
          await services.store.appendAudit({ at: now, actorId: 'system:people-changes', action: `cover-${step}`, subjectType: 'relationship', subjectId: rel.id, detail: { coverPeriod: cover.id } });
        }
      } catch (err) {
        // One bad cover never stops the others.
        services.log.error({ event: 'cover.failed', cover: cover.id, err: err instanceof Error ? err.message : String(err) }, 'cover step failed');
      }
    }
    await processMoves(services, tell, workerId);
    // A second pass only matters when a cover just started (its end may be due too).
    if (started === 0) break;
  }
}

function maxIso(a: string, b: string): string {
  return a > b ? a : b;
}

export interface CoverView extends CoverPeriod {
  coverName: string;
  originalName: string;
  superviseeNames: string[];
  status: 'arranged' | 'covering' | 'ended';
  /** Sessions held in the period: what the cover covered. */
  heldInPeriod: number;
  bookedInPeriod: number;
}

/** Cover periods the actor may see (in them, managing someone in them, or a lead), with what was covered. */
export async function listCovers(services: HandoverDeps, actor: Person): Promise<CoverView[]> {
  const out: CoverView[] = [];
  const steps = await coverSteps_(services);
  for (const c of await services.store.listClaims(COVER_KIND)) {
    const cover = c.detail as unknown as CoverPeriod;
    const rel = await services.store.getRelationship(cover.relationshipId);
    if (!rel) continue;
    const members = await membersOf(services, rel);
    const involved = [cover.coverId, cover.originalSupervisorId].includes(actor.id) || mayManageArrangement(actor, { ...rel, supervisorId: cover.originalSupervisorId }, members);
    if (!involved) continue;
    const state = stateOf(cover, steps);
    const from = startOfDay(services, rel, cover.from);
    const until = startOfDay(services, rel, cover.until);
    const sessions = (await services.store.listSessions({ relationshipIds: [rel.id], from, to: until })).filter((s) => s.start >= from && s.start < until);
    const name = async (id: string) => (await services.directory.getPerson(id))?.displayName ?? 'a colleague';
    out.push({
      ...cover,
      coverName: await name(cover.coverId),
      originalName: await name(cover.originalSupervisorId),
      superviseeNames: await Promise.all(rel.superviseeIds.map(name)),
      status: state.ended ? 'ended' : state.started ? 'covering' : 'arranged',
      heldInPeriod: sessions.filter((s) => s.status === 'held').length,
      bookedInPeriod: sessions.filter((s) => s.status === 'planned' || s.status === 'held').length,
    });
  }
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId: actor.id, action: 'read', subjectType: 'cover-list', subjectId: actor.id, detail: { count: out.length } });
  return out;
}

/**
 * Ends an arrangement by a person's choice: it stops (no reminders, no
 * reconciling), its future sessions leave both calendars, and its records,
 * actions and history stay as they are, under the pack's retention.
 */
export async function endArrangement(services: HandoverDeps, tell: Teller, actor: Person, relationshipId: string, reason: string): Promise<{ relationshipId: string; cancelled: number }> {
  const now = services.clock.now().toISOString();
  const why = reason.trim();
  if (!why) throw badRequest('reason: say why the arrangement ends (kept in the app, not in calendars or notifications)');
  const { rel, members } = await loadManaged(services, actor, relationshipId);
  const future = (await services.store.listSessions({ relationshipIds: [rel.id], from: now, status: ['planned'] })).filter((s) => s.start >= now);
  // Stop first, so nothing rebooks the occurrences we are about to cancel.
  await services.store.saveRelationship({ ...rel, active: false });
  await services.store.claim(ENDED_KIND, rel.id, now, { by: actor.id, reason: why });
  await services.store.saveSessions(future.map((s) => ({ ...s, relationshipId: movedRelationshipId(rel.id), status: 'cancelled' as const })));
  for (const s of future) {
    try {
      await services.calendar.cancelOccurrence(rel.supervisorId, s.calendarEventId!, s.seriesId ? s.occurrenceStart : undefined, 'Supervision arrangement ended');
    } catch (err) {
      services.log.warn({ event: 'end.cancel-failed', relationship: rel.id, err: err instanceof Error ? err.message : String(err) }, 'could not cancel an occurrence of an ended arrangement');
    }
  }
  await clearSeriesFrom(services, rel.supervisorId, future.map((s) => s.calendarEventId ?? ''), now);
  await services.store.appendAudit({ at: now, actorId: actor.id, action: 'arrangement-ended', subjectType: 'relationship', subjectId: rel.id, detail: { cancelled: future.length } });
  const name = (id: string) => members.get(id)?.displayName ?? 'a colleague';
  for (const person of members.values()) {
    if (!(await services.store.claim('end-told', `${rel.id}:${person.id}`, now))) continue;
    await tell(person, { kind: 'ended', superviseeNames: rel.superviseeIds.map(name), supervisorName: name(rel.supervisorId), byName: actor.displayName, cancelled: future.length }).catch((err: unknown) =>
      services.log.warn({ event: 'end.tell-failed', err: err instanceof Error ? err.message : String(err) }, 'could not tell a person an arrangement ended'),
    );
  }
  return { relationshipId: rel.id, cancelled: future.length };
}

export interface ArrangementRow {
  id: string;
  kind: Relationship['kind'];
  supervisorId: string;
  supervisor: string;
  supervisees: { id: string; name: string }[];
  policyId: string;
  hasNotes: boolean;
}

/** The arrangements the actor may hand over, cover or end, and the supervisors they could move to. */
export async function manageableArrangements(services: HandoverDeps, actor: Person): Promise<{ arrangements: ArrangementRow[]; supervisors: { id: string; name: string }[] }> {
  const people = await services.directory.listPeople();
  const byId = new Map(people.map((p) => [p.id, p]));
  const noteRels = new Set((await services.store.listClaims(NOTE_KIND)).filter((c) => mayReadHandoverNote(actor, { forId: String((c.detail as { forId?: string }).forId) })).map((c) => String((c.detail as { relationshipId?: string }).relationshipId)));
  const arrangements: ArrangementRow[] = [];
  for (const rel of await services.store.listRelationships({ activeOnly: true })) {
    const members = new Map<string, Person>();
    for (const id of [rel.supervisorId, ...rel.superviseeIds]) {
      const p = byId.get(id) ?? (await services.directory.getPerson(id));
      if (p) members.set(id, p);
    }
    const visibleNote = noteRels.has(rel.id);
    if (!mayManageArrangement(actor, rel, members) && !visibleNote) continue;
    const name = (id: string) => members.get(id)?.displayName ?? 'Unknown';
    arrangements.push({ id: rel.id, kind: rel.kind, supervisorId: rel.supervisorId, supervisor: name(rel.supervisorId), supervisees: rel.superviseeIds.map((id) => ({ id, name: name(id) })), policyId: rel.policyId, hasNotes: visibleNote });
  }
  const supervisors = people.filter((p) => p.roles.includes('supervisor')).map((p) => ({ id: p.id, name: p.displayName }));
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId: actor.id, action: 'read', subjectType: 'manageable-arrangements', subjectId: actor.id, detail: { count: arrangements.length } });
  return { arrangements, supervisors };
}
