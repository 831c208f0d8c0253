/**
 * What the bot's typed commands answer, as view models (bot/ renders them):
 * "what I owe", "my next session", "open my record form".
 */
import type { Person } from '../domain/model';
import { zoneOf } from '../domain/time/zones';
import { isLocked, partiesOf, recorderIds } from '../domain/records/workflow';
import { dayWords, timeWords } from '../domain/text/plainWords';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import { startRecordInTab } from './recordsInTab';
import { TAB_ROUTES } from './tabLinks';
import { todoFor, type TodoItem } from './todo';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface ChatCommandsDeps {
  clock: Clock;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
}

export type ChatCommand = 'owe' | 'next' | 'record';

/** Loose matching of what people type ("What do I owe?", "next session", "record form"). */
export function parseCommand(text: string): ChatCommand | undefined {
  const t = text.trim().toLowerCase().replace(/[?!.]+$/, '');
  if (/\b(owe|to ?do|todo)\b/.test(t)) return 'owe';
  if (/\bnext\b/.test(t) && /\b(session|supervision|meeting)\b|^next$/.test(t)) return 'next';
  if (/\brecord\b/.test(t)) return 'record';
  return undefined;
}

export interface OweView {
  kind: 'owe';
  items: Pick<TodoItem, 'title' | 'dueWords' | 'state' | 'role' | 'link'>[];
  more: number;
  todoRoute: string;
}
export interface NextView {
  kind: 'next';
  session?: { dayWords: string; timeWords: string; with: string[]; route: string };
}
export interface RecordFormView {
  kind: 'record';
  /** The record to show the form of, when there is one the person can write. */
  recordId?: string;
  message: string;
  route: string;
}

const MAX_ITEMS = 8;

export async function whatIOwe(services: ChatCommandsDeps, me: Person): Promise<OweView> {
  const { items } = await todoFor(services, me);
  const shown = items.slice(0, MAX_ITEMS).map(({ title, dueWords: due, state, role, link }) => ({ title, dueWords: due, state, role, link }));
  return { kind: 'owe', items: shown, more: items.length - shown.length, todoRoute: TAB_ROUTES.todo() };
}

export async function myNextSession(services: ChatCommandsDeps, me: Person): Promise<NextView> {
  const rels = (await services.store.listRelationships({ personId: me.id, activeOnly: true })).filter((r) => partiesOf(r).includes(me.id));
  const now = services.clock.now().toISOString();
  const [next] = await services.store.listSessions({ relationshipIds: rels.map((r) => r.id), from: now, status: ['planned'] });
  if (!next) return { kind: 'next' };
  const rel = rels.find((r) => r.id === next.relationshipId)!;
  const zone = zoneOf(services.policies.get(rel.policyId));
  const names = await Promise.all(partiesOf(rel).filter((id) => id !== me.id).map(async (id) => (await services.directory.getPerson(id))?.displayName ?? 'a colleague'));
  await services.store.appendAudit({ at: now, actorId: me.id, action: 'read', subjectType: 'upcoming-sessions', subjectId: me.id, detail: { via: 'chat', count: 1 } });
  return { kind: 'next', session: { dayWords: dayWords(next.start, zone), timeWords: `${timeWords(next.start, zone)}–${timeWords(next.end, zone)}`, with: names, route: TAB_ROUTES.session(next.id) } };
}

/** The record form this person should be writing: an open draft of theirs, else the latest held session without a record. */
export async function myRecordForm(services: ChatCommandsDeps, me: Person): Promise<RecordFormView> {
  const rels = (await services.store.listRelationships({ personId: me.id })).filter((r) => partiesOf(r).includes(me.id));
  const records = await services.store.listRecords({ relationshipIds: rels.map((r) => r.id), status: ['draft', 'changes-requested', 'submitted'] });
  const mine = records.filter((r) => {
    const rel = rels.find((x) => x.id === r.relationshipId);
    const policy = rel && services.policies.get(rel.policyId);
    if (!rel || !policy || isLocked(r)) return false;
    if (r.status === 'submitted') return !r.signatures.some((s) => s.personId === me.id);
    return r.authorId === me.id || recorderIds(policy, rel).includes(me.id);
  });
  const latest = mine.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  if (latest) return { kind: 'record', recordId: latest.id, message: latest.status === 'submitted' ? 'This record is waiting for your countersignature.' : 'Here is your record form.', route: TAB_ROUTES.record(latest.id) };
  const now = services.clock.now().toISOString();
  const held = (await services.store.listSessions({ relationshipIds: rels.map((r) => r.id), status: ['held'], to: now })).reverse();
  for (const s of held) {
    if (await services.store.getRecordForSession(s.id)) continue;
    const rel = rels.find((r) => r.id === s.relationshipId);
    const policy = rel && services.policies.get(rel.policyId);
    if (!rel || !policy || !recorderIds(policy, rel).includes(me.id)) continue;
    const { id } = await startRecordInTab(services, me, s.id);
    return { kind: 'record', recordId: id, message: 'Here is the record form for your last session.', route: TAB_ROUTES.record(id) };
  }
  return { kind: 'record', message: 'You have no record to write just now.', route: '/records' };
}
