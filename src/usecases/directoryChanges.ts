/**
 * Directory changes noticed: a person joins or leaves the people group, or
 * their manager changes. Each change flags the arrangements it touches and asks
 * the right person to act; nothing is moved, ended or deleted here. A flag is
 * settled by what people do (a handover, ending, booking) or dismissed by them.
 *
 * Flags live in the ledger ('people-flag', keyed by the change id), so a change
 * reported twice raises one flag and tells each person once.
 */
import { DateTime, Duration } from 'luxon';
import type { Person, Relationship } from '../domain/model';
import { flagOpen, flagsFor, type Flag } from '../domain/peopleChanges';
import { findStaffGroup } from '../domain/policy/validate';
import { zoneOf } from '../domain/time/zones';
import { rampOverride } from '../domain/ramp';
import type { DirectoryChangeFeed } from '../ports/directoryChanges';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Timeline } from '../ports/timeline';
import type { Log } from '../ports/log';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import { badRequest, forbidden, notFound } from './errors';
import { ids } from './ids';
import type { Teller } from './transfer';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface DirectoryChangesDeps {
  clock: Clock;
  log: Log;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  /** Relationship timelines to wake when a party changes (absent: the sweep finds it). */
  timeline?: Pick<Timeline, 'wake'>;
}

const FLAG_KIND = 'people-flag';
const DISMISSED_KIND = 'people-flag-dismissed';

export interface DirectoryRunOutcome {
  changes: number;
  flagsRaised: number;
  failed: number;
}

/** One run of the job: read the feed, flag, tell, then move the cursor on. */
export async function noticeDirectoryChanges(services: DirectoryChangesDeps, feed: DirectoryChangeFeed, tell: Teller): Promise<DirectoryRunOutcome> {
  const now = services.clock.now().toISOString();
  const batch = await feed.read(now);
  const out: DirectoryRunOutcome = { changes: batch.changes.length, flagsRaised: 0, failed: 0 };
  for (const change of batch.changes) {
    try {
      const person = await services.directory.getPerson(change.personId);
      const rels = await services.store.listRelationships({ personId: change.personId, activeOnly: true });
      const lineManagerId = change.kind === 'manager-changed' ? change.managerId : person?.lineManagerId;
      const flags = flagsFor(change, person, rels, { ...(lineManagerId ? { lineManagerId } : {}), ...agreementDue(services, person, now) });
      for (const flag of flags) {
        const askIds = flag.askIds.length ? flag.askIds : await safeguardingLeads(services);
        const raised = await services.store.claim(FLAG_KIND, flag.id, now, { ...flag, askIds });
        if (raised) {
          out.flagsRaised += 1;
          await services.store.appendAudit({ at: now, actorId: 'system:directory', action: `flag-${flag.kind}`, subjectType: 'person', subjectId: flag.personId, detail: { flag: flag.id, arrangements: flag.relationshipIds.length, asked: askIds.join(',') } });
        }
        // Telling is claimed per person, so a crash between raising and telling still tells everyone once.
        for (const id of askIds) {
          if (!(await services.store.claim('people-flag-told', `${flag.id}:${id}`, now))) continue;
          const asked = await services.directory.getPerson(id);
          if (asked) {
            await tell(asked, { kind: 'flag', flagKind: flag.kind, personName: person?.displayName ?? 'A colleague', arrangements: flag.relationshipIds.length, ...(flag.agreementDueOn ? { agreementDueOn: flag.agreementDueOn } : {}), timeZone: zoneOf(person?.policyId ? services.policies.get(person.policyId) : undefined) }).catch((err: unknown) =>
              services.log.warn({ event: 'flag.tell-failed', err: err instanceof Error ? err.message : String(err) }, 'could not tell a person about a directory change'),
            );
          }
        }
      }
      // A person changing (leaving, a new manager) moves their arrangements' obligations and who hears of them:
      // wake each now, so it is judged again now rather than at its next due date.
      await wakeArrangements(services, rels, now, change.kind);
      services.log.info({ event: 'directory.change', kind: change.kind, flags: flags.length }, 'directory change noticed');
    } catch (err) {
      // One bad change never stops the others. The cursor stays put (below), so it is tried again next run;
      // the ones that worked are not repeated (their flags and tellings are claimed).
      out.failed += 1;
      services.log.error({ event: 'directory.change-failed', change: change.id, err: err instanceof Error ? err.message : String(err) }, 'could not act on a directory change');
    }
  }
  if (out.failed === 0) await batch.commit();
  return out;
}

async function wakeArrangements(services: DirectoryChangesDeps, rels: Relationship[], now: string, kind: string): Promise<void> {
  if (!services.timeline) return;
  for (const rel of rels) {
    try {
      await services.timeline.wake(rel.id, now, `person changed: ${kind}`, now);
    } catch (err) {
      // Not fatal: the daily consistency sweep and the arrangement's own next wake-up judge it again.
      services.log.warn({ event: 'timeline', relationshipId: rel.id, error: err instanceof Error ? err.message : String(err) }, 'could not wake an arrangement after a directory change');
    }
  }
}

function agreementDue(services: DirectoryChangesDeps, person: Person | undefined, now: string): { agreementDueOn?: string } {
  const policy = person?.policyId ? services.policies.get(person.policyId) : undefined;
  if (!policy || !person) return {};
  const start = person.startedOn ?? DateTime.fromISO(now, { zone: policy.timeZone }).toISODate()!;
  return { agreementDueOn: DateTime.fromISO(start, { zone: policy.timeZone }).plus(Duration.fromISO(policy.agreements.dueWithin)).toISODate()! };
}

async function safeguardingLeads(services: DirectoryChangesDeps): Promise<string[]> {
  return (await services.directory.listPeople()).filter((p) => p.roles.includes('safeguarding-lead')).map((p) => p.id);
}

export interface FlagView extends Flag {
  raisedAt: string;
  open: boolean;
  personName: string;
  /** Whether the viewer is one of the people asked (else they are the person it is about, or a lead). */
  asked: boolean;
  arrangements: { id: string; supervisor: string; supervisees: string[]; active: boolean }[];
}

/** Flags for the viewer: the ones they are asked to act on, the ones about them, or all for a lead. */
export async function listFlags(services: DirectoryChangesDeps, actor: Person): Promise<FlagView[]> {
  const lead = actor.roles.includes('safeguarding-lead');
  const claims = await services.store.listClaims(FLAG_KIND);
  const dismissed = new Set((await services.store.listClaims(DISMISSED_KIND)).map((c) => c.key));
  const out: FlagView[] = [];
  const names = new Map<string, string>();
  const name = async (id: string) => {
    if (!names.has(id)) names.set(id, (await services.directory.getPerson(id))?.displayName ?? 'Unknown');
    return names.get(id)!;
  };
  for (const c of claims) {
    const flag = c.detail as unknown as Flag;
    const asked = flag.askIds.includes(actor.id);
    if (!asked && flag.personId !== actor.id && !lead) continue;
    const rels = new Map<string, Relationship>();
    for (const id of flag.relationshipIds) {
      const r = await services.store.getRelationship(id);
      if (r) rels.set(id, r);
    }
    if (flag.kind === 'new-starter') for (const r of await services.store.listRelationships({ personId: flag.personId })) rels.set(r.id, r);
    out.push({
      ...flag,
      raisedAt: c.at,
      open: flagOpen(flag, rels, dismissed.has(flag.id)),
      personName: await name(flag.personId),
      asked,
      arrangements: await Promise.all(
        flag.relationshipIds.map(async (id) => {
          const r = rels.get(id);
          return { id, supervisor: r ? await name(r.supervisorId) : 'Unknown', supervisees: r ? await Promise.all(r.superviseeIds.map(name)) : [], active: Boolean(r?.active) };
        }),
      ),
    });
  }
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId: actor.id, action: 'read', subjectType: 'people-flags', subjectId: actor.id, detail: { count: out.length } });
  return out.sort((a, b) => Number(b.open) - Number(a.open) || b.raisedAt.localeCompare(a.raisedAt));
}

/** "No action needed": only someone asked, or a lead. */
export async function dismissFlag(services: DirectoryChangesDeps, actor: Person, flagId: string): Promise<void> {
  const claim = (await services.store.listClaims(FLAG_KIND, flagId)).find((c) => c.key === flagId);
  if (!claim) throw notFound('No such flag');
  const flag = claim.detail as unknown as Flag;
  if (!flag.askIds.includes(actor.id) && !actor.roles.includes('safeguarding-lead')) throw forbidden('Only the people asked to act, or a safeguarding lead, can dismiss this.');
  const now = services.clock.now().toISOString();
  if (await services.store.claim(DISMISSED_KIND, flagId, now, { by: actor.id })) {
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'flag-dismissed', subjectType: 'person', subjectId: flag.personId, detail: { flag: flagId } });
  }
}

/**
 * A new starter's supervision arrangement, set up by their line manager (or a
 * lead) choosing a supervisor: under the person's policy and staff group, from
 * their start date, with the staff group's ramp for new staff where the pack has one.
 */
export async function setUpArrangement(services: DirectoryChangesDeps, actor: Person, input: { superviseeId: string; supervisorId: string }): Promise<Relationship> {
  const supervisee = await services.directory.getPerson(input.superviseeId);
  if (!supervisee) throw badRequest('superviseeId: not in the directory');
  if (supervisee.lineManagerId !== actor.id && !actor.roles.includes('safeguarding-lead')) throw forbidden('Only their line manager or a safeguarding lead can set up supervision for someone.');
  const supervisor = await services.directory.getPerson(input.supervisorId);
  if (!supervisor?.roles.includes('supervisor') || supervisor.id === supervisee.id) throw badRequest('supervisorId: choose a supervisor');
  const policy = supervisee.policyId ? services.policies.get(supervisee.policyId) : undefined;
  const group = policy && supervisee.staffGroupId ? findStaffGroup(policy, supervisee.staffGroupId) : undefined;
  if (!policy || !group) throw badRequest('superviseeId: this person has no policy and staff group to be supervised under');
  const existing = (await services.store.listRelationships({ personId: supervisee.id, activeOnly: true })).find((r) => r.kind === 'individual' && r.superviseeIds.includes(supervisee.id));
  if (existing) return existing;
  const now = services.clock.now().toISOString();
  const startedOn = supervisee.startedOn ?? DateTime.fromISO(now, { zone: policy.timeZone }).toISODate()!;
  const rel: Relationship = {
    id: ids.relationship(supervisor.id, supervisee.id, startedOn),
    kind: 'individual',
    supervisorId: supervisor.id,
    superviseeIds: [supervisee.id],
    policyId: policy.id,
    staffGroupId: group.id,
    startedOn,
    active: true,
    ...(group.ramp ? { override: rampOverride(group.ramp, startedOn) } : {}),
  };
  await services.store.saveRelationship(rel);
  await services.store.appendAudit({ at: now, actorId: actor.id, action: 'arrangement-set-up', subjectType: 'relationship', subjectId: rel.id, detail: { supervisor: supervisor.id } });
  return rel;
}

