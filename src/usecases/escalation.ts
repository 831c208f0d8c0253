/**
 * Who hears about a relationship when a policy names targets ("supervisor",
 * "supervisee-line-manager", ...): the one answer for rebook escalations,
 * disagreements, cancellations and the reminder ladder.
 *
 * When the targets reach nobody (a line manager not set in the directory, no
 * safeguarding lead, everyone named has left), the supervisor's line manager is
 * told: the policies escalate to them when supervision slips (POLICIES.md,
 * "Escalation to the supervisor's line manager"), and a notice nobody receives
 * would let it slip silently.
 */
import type { Person, Relationship } from '../domain/model';
import type { EscalationTarget } from '../domain/policy/schema';
import type { DirectoryPort } from '../ports/directory';

export interface EscalationDeps {
  directory: Pick<DirectoryPort, 'getPerson' | 'listPeople'>;
}

/**
 * `cache` lets a sweep share look-ups across relationships (people by id); each
 * person appears once, in the order the targets name them.
 */
export async function escalationRecipients(
  services: EscalationDeps,
  rel: Pick<Relationship, 'supervisorId' | 'superviseeIds'>,
  targets: readonly EscalationTarget[],
  cache: Map<string, Person | undefined> = new Map(),
): Promise<Person[]> {
  const { directory } = services;
  const get = async (id: string | undefined) => {
    if (!id) return undefined;
    if (!cache.has(id)) cache.set(id, await directory.getPerson(id));
    return cache.get(id);
  };
  const lineManagerOf = async (id: string) => get((await get(id))?.lineManagerId);
  const out = new Map<string, Person>();
  const add = (p: Person | undefined) => {
    if (p && !out.has(p.id)) out.set(p.id, p);
  };
  for (const t of targets) {
    if (t === 'supervisor') add(await get(rel.supervisorId));
    if (t === 'supervisee') for (const id of rel.superviseeIds) add(await get(id));
    if (t === 'supervisor-line-manager') add(await lineManagerOf(rel.supervisorId));
    if (t === 'supervisee-line-manager') for (const id of rel.superviseeIds) add(await lineManagerOf(id));
    if (t === 'safeguarding-lead') for (const p of await directory.listPeople()) if (p.roles.includes('safeguarding-lead')) add(p);
  }
  if (out.size === 0) add(await lineManagerOf(rel.supervisorId));
  return [...out.values()];
}
