/**
 * The pre-session card (issue 18): at the time the pack sets (for example the
 * day before), each party of a planned session is sent a card with the time,
 * who it is with and a link to the shared agenda: never the agenda's text.
 *
 * Sent once per session and person: the ledger claim (kind PRE_SESSION_KIND)
 * is taken before sending, so a repeated, concurrent or restarted run sends
 * nothing twice. A run reads the planned sessions starting within the longest
 * lead time of any pack (one indexed range read); the caller's memo remembers
 * which it has already claimed (or found claimed), so a run claims only the
 * sessions that came into the window since the last one: work costs what
 * changed, not the organisation (after a restart, one claim per session in the
 * window, each refused at once by the ledger when already sent).
 */
import { Duration } from 'luxon';
import type { Person, Relationship, Session } from '../domain/model';
import type { PolicyPack } from '../domain/policy/schema';
import { partiesOf } from '../domain/records/workflow';
import type { Clock } from '../ports/clock';
import type { PreSessionNotice } from '../ports/messages';
import type { DirectoryPort } from '../ports/directory';
import type { RecordStore } from '../ports/store';

export const PRE_SESSION_KIND = 'pre-session-card';

export interface PreSessionDeps {
  store: Pick<RecordStore, 'listSessions' | 'getRelationship' | 'claim'>;
  directory: Pick<DirectoryPort, 'getPerson'>;
  policies: ReadonlyMap<string, PolicyPack>;
  clock: Clock;
}

/** The notice lives with the other messages (ports/messages); named here too for existing callers. */
export type { PreSessionNotice };

export type PreSessionTeller = (person: Person, notice: PreSessionNotice) => Promise<void>;

export interface PreSessionOutcome {
  sent: number;
  failed: number;
}

/** What this process already knows is claimed: key → the session's start (forgotten once it has started). */
export type PreSessionMemo = Map<string, number>;

export async function sendPreSessionCards(deps: PreSessionDeps, tell: PreSessionTeller, log?: { warn(o: object, m: string): void }, memo: PreSessionMemo = new Map()): Promise<PreSessionOutcome> {
  const leads = [...deps.policies.values()].map((p) => p.agenda?.preSessionCard?.before).filter((b): b is string => Boolean(b)).map((b) => Duration.fromISO(b).toMillis());
  const out: PreSessionOutcome = { sent: 0, failed: 0 };
  if (!leads.length) return out;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const horizon = new Date(now.getTime() + Math.max(...leads)).toISOString();
  const sessions = (await deps.store.listSessions({ from: nowIso, to: horizon, status: ['planned'] })).filter((s) => s.start > nowIso && s.start <= horizon);
  for (const [key, start] of memo) if (start <= now.getTime()) memo.delete(key);
  if (!sessions.length) return out;
  const rels = new Map<string, Relationship | undefined>();
  for (const s of sessions) {
    // Every party of it already claimed: nothing to read.
    if (memo.has(`${s.id}|*`)) continue;
    try {
      if (!rels.has(s.relationshipId)) rels.set(s.relationshipId, await deps.store.getRelationship(s.relationshipId));
      const rel = rels.get(s.relationshipId);
      const policy = rel?.active ? deps.policies.get(rel.policyId) : undefined;
      const before = policy?.agenda?.preSessionCard?.before;
      if (!rel || !before || Date.parse(s.start) - now.getTime() > Duration.fromISO(before).toMillis()) continue;
      const people = (await Promise.all(partiesOf(rel).map((id) => deps.directory.getPerson(id)))).filter((p): p is Person => Boolean(p));
      for (const p of people) {
        const key = `${s.id}|${p.id}`;
        if (memo.has(key)) continue;
        // Claimed first: at most once, whatever happens to the send.
        const mine = await deps.store.claim(PRE_SESSION_KIND, key, nowIso, { sessionId: s.id });
        memo.set(key, Date.parse(s.start));
        if (!mine) continue;
        await tell(p, notice(s, people.filter((x) => x.id !== p.id), policy!.timeZone));
        out.sent += 1;
      }
      memo.set(`${s.id}|*`, Date.parse(s.start));
    } catch (err) {
      // One session's failure never stops the others; ids only in the log.
      out.failed += 1;
      log?.warn({ event: 'pre-session-card.failed', session: s.id, err: err instanceof Error ? err.message : String(err) }, 'could not send a pre-session card');
    }
  }
  return out;
}

function notice(s: Session, others: Person[], timeZone: string): PreSessionNotice {
  return { sessionId: s.id, start: s.start, end: s.end, withNames: others.map((o) => o.displayName), timeZone };
}
