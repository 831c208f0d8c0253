/**
 * Where each person stands, for People: on track, due soon or overdue, and why
 * (the most pressing obligation, in words). Judged by the due engine over the
 * arrangements the caller looks after, not by whether anything is booked.
 */
import { viewpointOn } from '../domain/access';
import { dueObligations, type Obligation } from '../domain/due/dueEngine';
import type { Person } from '../domain/model';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Policies } from '../ports/policies';
import type { RelationshipStore, SessionStore, SupervisionRecordStore, ActionStore, AgreementStore } from '../ports/store';
import { describeObligation } from './obligationWords';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface StandingDeps {
  clock: Clock;
  policies: Policies;
  store: RelationshipStore & SessionStore & SupervisionRecordStore & ActionStore & AgreementStore;
  directory: DirectoryPort;
}

export interface Standing {
  state: 'on-track' | 'due-soon' | 'overdue';
  /** Each reason naming the thing ("No signed supervision agreement…"). */
  reasons: string[];
}

const RANK: Record<Obligation['state'], number> = { overdue: 2, 'due-soon': 1, upcoming: 0 };

export async function standingFor(services: StandingDeps, me: Person): Promise<Record<string, Standing>> {
  const { store, policies, clock, directory } = services;
  const people = new Map((await directory.listPeople()).map((p) => [p.id, p]));
  const rels = (await store.listRelationships({ activeOnly: true })).filter((r) => {
    const v = viewpointOn(me, r, people);
    return v !== undefined && v !== 'supervisee';
  });
  const ids = rels.map((r) => r.id);
  const [sessions, records, actions, agreements] = await Promise.all([
    store.listSessions({ relationshipIds: ids }),
    store.listRecords({ relationshipIds: ids }),
    store.listActions({ relationshipIds: ids }),
    store.listAgreements(ids),
  ]);
  const obligations = dueObligations({ now: clock.now().toISOString(), policies, relationships: rels, sessions, records, actions, agreements });
  const names = new Map([...people.values()].map((p) => [p.id, p.displayName]));
  const relById = new Map(rels.map((r) => [r.id, r]));
  const out: Record<string, Standing> = {};
  for (const r of rels) out[r.id] = { state: 'on-track', reasons: [] };
  for (const o of obligations) {
    if (o.state === 'upcoming') continue;
    const rel = relById.get(o.relationshipId)!;
    const s = out[rel.id]!;
    const words = describeObligation(o, { rel, names, viewerId: me.id, zone: policies.get(o.policyId)?.timeZone });
    if (RANK[o.state] > RANK[s.state === 'on-track' ? 'upcoming' : s.state]) s.state = o.state as Standing['state'];
    s.reasons.push(`${o.state === 'overdue' ? 'Overdue' : 'Due soon'}: ${words.detail}`);
  }
  return out;
}
