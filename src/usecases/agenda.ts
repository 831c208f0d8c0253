/**
 * The shared agenda of a session and each person's private notes (issue 18).
 * Agenda text is case detail: only the two parties read it, every read is
 * audited (the audit names the session, never the text), and nothing here
 * logs, notifies or writes text anywhere but the agenda store.
 *
 * Takes a small set of ports (AgendaDeps) and returns view models; the tab
 * renders them as a page and the bot renders agenda lines into the record form.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  type AgendaItem, agreementOnDay, agreementWords, buildAgenda, MAX_AGENDA_TEXT, MAX_ITEMS_PER_SESSION, MAX_NOTE_TEXT, standingTickId,
} from '../domain/agenda';
import type { ActionItem, Person, Relationship, Session } from '../domain/model';
import type { PolicyPack } from '../domain/policy/schema';
import { partiesOf } from '../domain/records/workflow';
import type { AgendaStore } from '../ports/agendaStore';
import type { AgendaLineView, AgreementCheckView } from '../ports/messages';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { RecordStore } from '../ports/store';
import { AppError, badRequest, notFound } from './errors';
import { matches } from './reconcile';

export interface AgendaDeps {
  agenda: AgendaStore;
  records: Pick<RecordStore, 'listRelationships' | 'getRelationship' | 'listSessions' | 'listActions' | 'listAgreements' | 'appendAudit' | 'getRecordForSession'>;
  directory: Pick<DirectoryPort, 'getPerson'>;
  policies: ReadonlyMap<string, PolicyPack>;
  clock: Clock;
}

/** The view models the bot renders live with the other messages (ports/messages); named here too for existing callers. */
export type { AgendaLineView, AgreementCheckView };

export interface AgendaView {
  session: { id: string; start: string; end: string; status: Session['status'] };
  relationshipId: string;
  supervisorName: string;
  superviseeNames: string[];
  timeZone: string;
  lines: AgendaLineView[];
  agreement: AgreementCheckView;
  /** Items can still be added (the session is not cancelled or missed). */
  open: boolean;
  /** The session has started (by the app's clock): its record form can be opened. */
  started: boolean;
  /** The session's record, once started. */
  recordId?: string;
}

const NOT_YOURS = 'No such session of yours';

interface Loaded {
  rel: Relationship;
  policy: PolicyPack;
  session: Session;
  sessions: Session[];
}

/** The session, if the actor is one of its two parties; anyone else is told it does not exist. */
async function load(deps: AgendaDeps, actor: Person, sessionId: string): Promise<Loaded> {
  const rels = (await deps.records.listRelationships({ personId: actor.id })).filter((r) => partiesOf(r).includes(actor.id));
  if (!rels.length) throw notFound(NOT_YOURS);
  const all = await deps.records.listSessions({ relationshipIds: rels.map((r) => r.id) });
  const session = all.find((s) => s.id === sessionId);
  const rel = session && rels.find((r) => r.id === session.relationshipId);
  if (!session || !rel) throw notFound(NOT_YOURS);
  const policy = deps.policies.get(rel.policyId);
  if (!policy) throw notFound('Policy not loaded');
  return { rel, policy, session, sessions: all.filter((s) => s.relationshipId === rel.id) };
}

async function audit(deps: AgendaDeps, actorId: string, action: string, sessionId: string, detail?: Record<string, string | number | boolean>) {
  await deps.records.appendAudit({ at: deps.clock.now().toISOString(), actorId, action, subjectType: 'session', subjectId: sessionId, ...(detail ? { detail } : {}) });
}

async function names(deps: AgendaDeps, ids: string[]): Promise<Map<string, string>> {
  const people = await Promise.all([...new Set(ids)].map((id) => deps.directory.getPerson(id)));
  return new Map(people.filter((p): p is Person => Boolean(p)).map((p) => [p.id, p.displayName]));
}

function agreementCheck(l: Loaded, agreements: Awaited<ReturnType<AgendaDeps['records']['listAgreements']>>): AgreementCheckView {
  const day = DateTime.fromISO(l.session.start, { zone: l.policy.timeZone }).toISODate()!;
  const found = agreementOnDay(agreements.filter((a) => a.relationshipId === l.rel.id), day, { reviewEvery: l.policy.agreements.reviewEvery, timeZone: l.policy.timeZone });
  return { ...found, words: agreementWords(found), checkedEachSession: l.policy.agreements.checkedEachSession };
}

/** What a caller has already read (the record form has): not read again. */
interface Known {
  /** The arrangement's open actions (the agenda shows open ones only). */
  openActions?: ActionItem[];
  recordId?: string;
  names?: Map<string, string>;
}

async function view(deps: AgendaDeps, l: Loaded, viewerId: string, known: Known = {}): Promise<AgendaView> {
  const [items, actions, agreements, record] = await Promise.all([
    deps.agenda.listAgendaItems(l.rel.id),
    known.openActions ?? deps.records.listActions({ relationshipIds: [l.rel.id], status: ['open'] }),
    deps.records.listAgreements([l.rel.id]),
    known.recordId ? { id: known.recordId } : deps.records.getRecordForSession(l.session.id),
  ]);
  const lines = buildAgenda({ session: l.session, sessions: l.sessions, items, actions, settings: l.policy.agenda, now: deps.clock.now().toISOString() });
  const ids = [...partiesOf(l.rel), ...lines.flatMap((x) => [x.addedBy, x.ownerId].filter((v): v is string => Boolean(v)))];
  const who = known.names && ids.every((id) => known.names!.has(id)) ? known.names : await names(deps, ids);
  return {
    session: { id: l.session.id, start: l.session.start, end: l.session.end, status: l.session.status },
    relationshipId: l.rel.id,
    supervisorName: who.get(l.rel.supervisorId) ?? 'your supervisor',
    superviseeNames: l.rel.superviseeIds.map((id) => who.get(id) ?? 'a colleague'),
    timeZone: l.policy.timeZone,
    lines: lines.map((x) => ({ ...x, ...(x.addedBy ? { addedByName: who.get(x.addedBy) ?? 'a colleague' } : {}), ...(x.ownerId ? { ownerName: who.get(x.ownerId) ?? 'a colleague' } : {}), mine: x.kind === 'added' && x.addedBy === viewerId })),
    agreement: agreementCheck(l, agreements),
    open: l.session.status === 'planned' || l.session.status === 'held',
    started: l.session.status === 'held' || (l.session.status === 'planned' && l.session.start <= deps.clock.now().toISOString()),
    ...(record ? { recordId: record.id } : {}),
  };
}

/** A session's agenda, for one of its two parties (audited). */
export async function readAgenda(deps: AgendaDeps, actor: Person, sessionId: string): Promise<AgendaView> {
  const l = await load(deps, actor, sessionId);
  const v = await view(deps, l, actor.id);
  await audit(deps, actor.id, 'agenda-read', sessionId, { items: v.lines.length });
  return v;
}

/**
 * The agenda lines and agreement check the record form starts from, for the
 * record's parties (the form goes only to them). Audited as a read by the form.
 */
export async function agendaForRecordForm(
  deps: AgendaDeps,
  rel: Relationship,
  sessionId: string,
  knownSessions?: Session[],
  known: Known = {},
): Promise<Pick<AgendaView, 'lines' | 'agreement'> | undefined> {
  const policy = deps.policies.get(rel.policyId);
  if (!policy) return undefined;
  // The arrangement's sessions, when the caller has just read them (a card action must answer quickly).
  const sessions = knownSessions ?? (await deps.records.listSessions({ relationshipIds: [rel.id] }));
  const session = sessions.find((s) => s.id === sessionId);
  if (!session) return undefined;
  const v = await view(deps, { rel, policy, session, sessions }, '', known);
  await audit(deps, 'system:record-form', 'agenda-read', sessionId, { items: v.lines.length });
  return { lines: v.lines, agreement: v.agreement };
}

function cleanText(raw: unknown, max: number, what: string): string {
  if (typeof raw !== 'string') throw badRequest(`Please check text: ${what} must be text`);
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (!text) throw badRequest(`Please check text: ${what} is empty`);
  if (text.length > max) throw badRequest(`Please check text: ${what} is longer than ${max.toLocaleString('en-GB')} characters`);
  return text;
}

export async function addAgendaItem(deps: AgendaDeps, actor: Person, sessionId: string, rawText: unknown): Promise<AgendaView> {
  const text = cleanText(rawText, MAX_AGENDA_TEXT, 'the agenda item');
  const l = await load(deps, actor, sessionId);
  if (l.session.status === 'cancelled' || l.session.status === 'missed') throw badRequest(`That session was ${l.session.status}: add the item to the next one`);
  const items = await deps.agenda.listAgendaItems(l.rel.id);
  if (items.filter((i) => i.sessionId === sessionId && i.kind === 'added').length >= MAX_ITEMS_PER_SESSION) throw badRequest(`A session's agenda holds at most ${MAX_ITEMS_PER_SESSION} added items`);
  const item: AgendaItem = { id: `ag-${randomUUID()}`, relationshipId: l.rel.id, sessionId, kind: 'added', text, addedBy: actor.id, addedAt: deps.clock.now().toISOString() };
  await deps.agenda.addAgendaItem(item);
  await audit(deps, actor.id, 'agenda-item-added', sessionId, { item: item.id });
  return view(deps, l, actor.id);
}

/** Ticks a line discussed (or not) in this session: a standing item, a carried topic or an added item. */
export async function markAgendaLine(deps: AgendaDeps, actor: Person, sessionId: string, lineId: string, discussed: boolean): Promise<AgendaView> {
  const l = await load(deps, actor, sessionId);
  const now = deps.clock.now().toISOString();
  const tick = discussed ? { sessionId, at: now, by: actor.id } : null;
  if (lineId.startsWith('standing:')) {
    const standingId = lineId.slice('standing:'.length);
    if (!l.policy.agenda?.standingItems.some((s) => s.id === standingId)) throw notFound('No such agenda item');
    const id = standingTickId(sessionId, standingId);
    const added = await deps.agenda.addAgendaItem({ id, relationshipId: l.rel.id, sessionId, kind: 'standing', standingId, text: '', addedBy: actor.id, addedAt: now, ...(tick ? { discussedInSessionId: sessionId, discussedAt: now, discussedBy: actor.id } : {}) });
    if (!added) await deps.agenda.markAgendaItem(l.rel.id, id, tick);
  } else {
    const lines = buildAgenda({ session: l.session, sessions: l.sessions, items: await deps.agenda.listAgendaItems(l.rel.id), actions: [], settings: undefined, now });
    // Only what is on this session's agenda can be ticked in it.
    if (!lines.some((x) => x.id === lineId)) throw notFound('No such agenda item');
    await deps.agenda.markAgendaItem(l.rel.id, lineId, tick);
  }
  await audit(deps, actor.id, discussed ? 'agenda-item-discussed' : 'agenda-item-reopened', sessionId, { item: lineId });
  return view(deps, l, actor.id);
}

/** Takes an item off: only its author, only on the session it was added to. */
export async function removeAgendaItem(deps: AgendaDeps, actor: Person, sessionId: string, itemId: string): Promise<AgendaView> {
  const l = await load(deps, actor, sessionId);
  const item = (await deps.agenda.listAgendaItems(l.rel.id)).find((i) => i.id === itemId && i.sessionId === sessionId && i.kind === 'added');
  if (!item) throw notFound('No such agenda item');
  if (item.addedBy !== actor.id) throw new AppError(403, 'Only the person who added an item can take it off the agenda');
  await deps.agenda.removeAgendaItem(l.rel.id, itemId);
  await audit(deps, actor.id, 'agenda-item-removed', sessionId, { item: itemId });
  return view(deps, l, actor.id);
}

/** The actor's own note on a session (nobody else's is ever read). */
export async function readPrivateNote(deps: AgendaDeps, actor: Person, sessionId: string): Promise<{ text: string; updatedAt?: string }> {
  await load(deps, actor, sessionId);
  const note = await deps.agenda.getPrivateNote(sessionId, actor.id);
  await audit(deps, actor.id, 'private-note-read', sessionId);
  return note ? { text: note.text, updatedAt: note.updatedAt } : { text: '' };
}

export async function savePrivateNote(deps: AgendaDeps, actor: Person, sessionId: string, rawText: unknown): Promise<{ text: string; updatedAt: string }> {
  if (typeof rawText !== 'string') throw badRequest('Please check text: the note must be text');
  const text = rawText.replace(/\r\n?/g, '\n').trim();
  if (text.length > MAX_NOTE_TEXT) throw badRequest(`Please check text: the note is longer than ${MAX_NOTE_TEXT.toLocaleString('en-GB')} characters`);
  const l = await load(deps, actor, sessionId);
  const updatedAt = deps.clock.now().toISOString();
  await deps.agenda.savePrivateNote({ sessionId, relationshipId: l.rel.id, authorId: actor.id, text, updatedAt });
  await audit(deps, actor.id, 'private-note-saved', sessionId);
  return { text, updatedAt };
}

/**
 * The Teams meeting thread a side panel is in: from the chat id
 * ("19:meeting_…@thread.v2"), or from the meeting id, which Teams gives as
 * base64 of "0#<thread id>#0".
 */
export function meetingThreadId(ctx: { chatId?: string; meetingId?: string }): string | undefined {
  if (ctx.chatId && /^19:meeting_[^\s]+@thread\.v2$/.test(ctx.chatId)) return ctx.chatId;
  if (ctx.meetingId) {
    try {
      const decoded = Buffer.from(ctx.meetingId, 'base64').toString('utf8');
      const m = /19:meeting_[^#\s]+@thread\.v2/.exec(decoded);
      if (m) return m[0];
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether a join URL is for the given meeting thread (join URLs carry it percent-encoded). */
export function joinUrlIsFor(joinUrl: string, threadId: string): boolean {
  let decoded = joinUrl;
  try {
    decoded = decodeURIComponent(joinUrl);
  } catch {
    // A join URL that is not valid percent-encoding is compared as it is.
  }
  return decoded.includes(`/${threadId}/`) || decoded.endsWith(`/${threadId}`);
}

/**
 * The session a Teams meeting side panel belongs to: the actor's arrangements'
 * calendar events whose join URL is for the meeting's thread, matched to the
 * session the app booked (by the event id and app tag stored at booking). For
 * a series (one meeting for every occurrence), the occurrence nearest now that
 * has not long ended.
 */
export async function sessionForMeeting(deps: AgendaDeps & { calendar: Pick<CalendarPort, 'listEvents'> }, actor: Person, ctx: { chatId?: string; meetingId?: string }): Promise<{ sessionId: string }> {
  const threadId = meetingThreadId(ctx);
  if (!threadId) throw badRequest('Please check meeting: this is not a Teams meeting the app can read');
  const now = deps.clock.now();
  const window = { start: DateTime.fromJSDate(now).minus({ days: 1 }).toUTC().toISO()!, end: DateTime.fromJSDate(now).plus({ days: 90 }).toUTC().toISO()! };
  const rels = (await deps.records.listRelationships({ personId: actor.id, activeOnly: true })).filter((r) => partiesOf(r).includes(actor.id));
  if (!rels.length) throw notFound('This meeting is not a supervision session of yours');
  const sessions = await deps.records.listSessions({ relationshipIds: rels.map((r) => r.id), from: window.start, to: window.end, status: ['planned', 'held'] });
  const candidates: Session[] = [];
  for (const rel of rels) {
    const mine = sessions.filter((s) => s.relationshipId === rel.id);
    if (!mine.length) continue;
    const events = (await deps.calendar.listEvents(rel.supervisorId, window)).filter((e) => e.joinUrl && joinUrlIsFor(e.joinUrl, threadId));
    for (const s of mine) if (events.some((e) => matches(s, e))) candidates.push(s);
  }
  if (!candidates.length) throw notFound('This meeting is not a supervision session of yours');
  const recent = new Date(now.getTime() - 2 * 3600_000).toISOString();
  const next = candidates.filter((s) => s.end >= recent).sort((a, b) => a.start.localeCompare(b.start))[0] ?? candidates.sort((a, b) => b.start.localeCompare(a.start))[0]!;
  await audit(deps, actor.id, 'meeting-session-found', next.id);
  return { sessionId: next.id };
}
