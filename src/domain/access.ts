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
