/**
 * Who may see what, decided in one place (pure). A person sees a relationship's
 * sessions when they are in it, manage someone in it, or are a safeguarding lead.
 */
import type { Person, Relationship } from './model';

export type Viewpoint = 'supervisor' | 'supervisee' | 'line-manager' | 'safeguarding-lead';

export function viewpointOn(person: Person, rel: Relationship, people: Map<string, Person>): Viewpoint | undefined {
  if (rel.supervisorId === person.id) return 'supervisor';
  if (rel.superviseeIds.includes(person.id)) return 'supervisee';
  const members = [rel.supervisorId, ...rel.superviseeIds];
  if (members.some((id) => people.get(id)?.lineManagerId === person.id)) return 'line-manager';
  if (person.roles.includes('safeguarding-lead')) return 'safeguarding-lead';
  return undefined;
}

/** Who may book for a relationship: its supervisor, or a safeguarding lead on their behalf. */
export function mayBookFor(person: Person, rel: Relationship): boolean {
  return rel.supervisorId === person.id || person.roles.includes('safeguarding-lead');
}

/** The people a policy's escalation targets name for one relationship (people already loaded). */
export function targetIds(rel: Relationship, targets: readonly string[], people: Map<string, Person>): string[] {
  const out = new Set<string>();
  const lineManagerOf = (id: string) => people.get(id)?.lineManagerId;
  for (const t of targets) {
    if (t === 'supervisor') out.add(rel.supervisorId);
    if (t === 'supervisee') rel.superviseeIds.forEach((id) => out.add(id));
    if (t === 'supervisor-line-manager') {
      const lm = lineManagerOf(rel.supervisorId);
      if (lm) out.add(lm);
    }
    if (t === 'supervisee-line-manager') {
      for (const id of rel.superviseeIds) {
        const lm = lineManagerOf(id);
        if (lm) out.add(lm);
      }
    }
    if (t === 'safeguarding-lead') for (const p of people.values()) if (p.roles.includes('safeguarding-lead')) out.add(p.id);
  }
  return [...out];
}

export type RecordAccess = 'party' | 'auditor' | 'asked-to-resolve';

/**
 * Who may read a record: its parties; auditors (quality assurance); and, once a
 * disagreement is recorded, whoever the policy asks to help resolve it (the
 * people its card went to; the supervisor's line manager when the policy names
 * nobody reachable).
 */
export function recordAccess(
  person: Person,
  rel: Relationship,
  record: { status: string },
  people: Map<string, Person>,
  disagreementNotifies: readonly string[],
): RecordAccess | undefined {
  if (rel.supervisorId === person.id || rel.superviseeIds.includes(person.id)) return 'party';
  if (person.roles.includes('auditor')) return 'auditor';
  if (record.status === 'disagreed') {
    const asked = targetIds(rel, disagreementNotifies, people);
    const parties = new Set([rel.supervisorId, ...rel.superviseeIds]);
    const reachable = asked.filter((id) => !parties.has(id));
    if (reachable.includes(person.id)) return 'asked-to-resolve';
    if (!reachable.length && people.get(rel.supervisorId)?.lineManagerId === person.id) return 'asked-to-resolve';
  }
  return undefined;
}
