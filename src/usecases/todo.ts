/**
 * The to-do view: everything a person can act on, each item naming the person
 * and the thing and pointing at the page where it is done. Computed from the
 * due engine over the relationships this person is connected to (not the
 * whole organisation, unless they are a safeguarding lead who is told of
 * every slip). Snoozed reminders stay listed, marked snoozed: snoozing quiets
 * the digest, it does not hide the work.
 */
import { targetIds } from '../domain/access';
import { zoneOf } from '../domain/time/zones';
import { dueObligations, type Obligation } from '../domain/due/dueEngine';
import type { Person, Relationship } from '../domain/model';
import { dayWords } from '../domain/text/plainWords';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import { describeObligation } from './obligationWords';
import { ledgerKeys } from './ids';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface TodoDeps {
  clock: Clock;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
}

export interface TodoItem {
  id: string;
  kind: Obligation['kind'] | 'rebooked-session';
  /** 'owe': yours to do; 'escalated': you are told because it slipped. */
  role: 'owe' | 'escalated';
  title: string;
  about: string[];
  detail: string;
  dueAt: string;
  dueWords: string;
  state: Obligation['state'];
  /** Where in the tab it is done (a hash route, e.g. "/records/rec-…"). */
  link: string;
  linkLabel: string;
  /** An action item its owner can mark done from the list. */
  actionId?: string;
  snoozedUntil?: string;
  /** The zone of the item's pack: its dates are read in it. */
  timeZone: string;
}

export interface TodoView {
  items: TodoItem[];
  /** For the heading: "3 things for you, 1 escalated to you". */
  counts: { owe: number; escalated: number; overdue: number };
}

const SNOOZE_KIND = 'snooze';

function linkFor(o: Obligation, recordIds: Map<string, string>): [string, string] {
  switch (o.kind) {
    case 'record-due': {
      const rec = recordIds.get(o.subjectId);
      return rec ? [`/records/${rec}`, 'Open the record'] : [`/records/session/${o.subjectId}`, 'Start the record'];
    }
    case 'countersign-due':
      return [`/records/${o.subjectId}`, 'Read and countersign'];
    case 'action-due':
      return [`/todo`, 'Mark done'];
    case 'agreement-missing':
    case 'agreement-review':
      return [`/agreements/${o.relationshipId}`, 'Open the agreement'];
    case 'rebook-needed':
      return [`/sessions?rel=${encodeURIComponent(o.relationshipId)}`, 'Choose a new time'];
    default:
      return [`/book/${o.relationshipId}`, 'Book supervision'];
  }
}

export async function todoFor(services: TodoDeps, me: Person): Promise<TodoView> {
  const { store, policies, clock, directory } = services;
  const now = clock.now();
  const nowIso = now.toISOString();
  const people = new Map((await directory.listPeople()).map((p) => [p.id, p]));
  const all = await store.listRelationships({ activeOnly: true });
  // Only the arrangements this person can be asked about: their own, their reports', or all for a lead.
  const isLead = me.roles.includes('safeguarding-lead');
  const rels = isLead
    ? all
    : all.filter((r) => [r.supervisorId, ...r.superviseeIds].some((id) => id === me.id || people.get(id)?.lineManagerId === me.id));
  const ids = rels.map((r) => r.id);
  const [sessions, records, actions, agreements, snoozes] = await Promise.all([
    store.listSessions({ relationshipIds: ids }),
    store.listRecords({ relationshipIds: ids }),
    store.listActions({ relationshipIds: ids }),
    store.listAgreements(ids),
    store.listClaims(SNOOZE_KIND),
  ]);
  const obligations = dueObligations({ now: nowIso, policies, relationships: rels, sessions, records, actions, agreements });
  const relById = new Map(rels.map((r) => [r.id, r]));
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const recordBySession = new Map(records.map((r) => [r.sessionId, r.id]));
  const recordById = new Map(records.map((r) => [r.id, r]));
  const actionById = new Map(actions.map((a) => [a.id, a]));
  const names = new Map([...people.values()].map((p) => [p.id, p.displayName]));
  const snoozedUntil = new Map<string, string>();
  for (const c of snoozes) {
    const key = ledgerKeys.snooze.parse(c.key);
    const until = String(c.detail?.until ?? '');
    if (key?.personId === me.id && until > nowIso) snoozedUntil.set(key.obligationId, until);
  }

  const items: TodoItem[] = [];
  for (const o of obligations) {
    const rel = relById.get(o.relationshipId);
    if (!rel) continue;
    const owes = o.owedBy.includes(me.id);
    const escalated = !owes && o.escalationStep > 0 && o.state === 'overdue' && targetIds(rel, o.notify, people).includes(me.id);
    if (!owes && !escalated) continue;
    // Your own upcoming frequency items are the calendar's job; paperwork shows as soon as it exists.
    if (o.state === 'upcoming' && !['record-due', 'countersign-due', 'action-due', 'agreement-missing', 'agreement-review'].includes(o.kind)) continue;
    const policy = policies.get(o.policyId);
    const sessionId = o.kind === 'countersign-due' ? recordById.get(o.subjectId)?.sessionId : o.subjectId;
    const words = describeObligation(o, {
      rel,
      names,
      viewerId: me.id,
      actionText: o.kind === 'action-due' ? actionById.get(o.subjectId)?.text : undefined,
      sessionStart: sessionId ? sessionById.get(sessionId)?.start : undefined,
      zone: policy?.timeZone,
    });
    const [link, linkLabel] = linkFor(o, recordBySession);
    items.push({
      id: o.id,
      kind: o.kind,
      role: owes ? 'owe' : 'escalated',
      ...words,
      dueAt: o.dueAt,
      state: o.state,
      link,
      linkLabel,
      actionId: o.kind === 'action-due' && owes ? o.subjectId : undefined,
      snoozedUntil: snoozedUntil.get(o.id),
      timeZone: zoneOf(policy),
    });
  }

  // Sessions rebooked for you: confirm the new time or choose another.
  for (const s of sessions) {
    if (s.kind !== 'rebooked' || s.status !== 'planned' || s.start < nowIso) continue;
    const rel = relById.get(s.relationshipId);
    if (!rel || ![rel.supervisorId, ...rel.superviseeIds].includes(me.id)) continue;
    const others = [rel.supervisorId, ...rel.superviseeIds].filter((id) => id !== me.id).map((id) => names.get(id) ?? 'a colleague');
    const zone = zoneOf(policies.get(rel.policyId));
    // Kept by this person ("Keep this time" on the session page): no longer theirs to do.
    const mine = ledgerKeys.rebookConfirmed.format({ sessionId: s.id, personId: me.id });
    const confirmed = (await store.listClaims(ledgerKeys.rebookConfirmed.kind, mine)).some((c) => c.key === mine);
    if (confirmed) continue;
    items.push({
      id: `rebooked:${s.id}`,
      kind: 'rebooked-session',
      role: 'owe',
      title: `Confirm the rebooked session with ${others.join(', ')} on ${dayWords(s.start, zone)}`,
      about: others,
      detail: 'A cancelled session was rebooked into both calendars. Keep the new time, choose another, or keep it cancelled with a reason.',
      dueAt: s.start,
      dueWords: dayWords(s.start, zone),
      state: 'due-soon',
      link: `/sessions/${s.id}`,
      linkLabel: 'Confirm or change',
      timeZone: zone,
    });
  }

  items.sort((a, b) => (a.role !== b.role ? (a.role === 'owe' ? -1 : 1) : a.dueAt.localeCompare(b.dueAt)));
  await store.appendAudit({ at: nowIso, actorId: me.id, action: 'read', subjectType: 'todo', subjectId: me.id, detail: { count: items.length } });
  return {
    items,
    counts: {
      owe: items.filter((i) => i.role === 'owe').length,
      escalated: items.filter((i) => i.role === 'escalated').length,
      overdue: items.filter((i) => i.state === 'overdue').length,
    },
  };
}
