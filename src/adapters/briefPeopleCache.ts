/**
 * People looked up by id, kept for a short while (tenant mode). A person in a
 * tenant is two reads: Entra (name, mail, manager) and the app's own profile
 * (roles, policy) in SharePoint. Card actions and record messages look up the
 * same few people again and again within seconds, and every SharePoint round
 * trip counts against Teams' invoke budget (#21), so a lookup is reused for
 * `ttlMs` (default one minute): a changed role or manager applies within that.
 *
 * Concurrent callers share one lookup; a failed lookup is not kept; "not
 * found" is kept like an answer (a person added to Entra appears within the
 * same minute). Sign-in still checks the people group on its own
 * (MembershipGatedDirectory, above this). The listing of everyone is kept
 * the same while: joiners and leavers show within a minute.
 */
import type { Person } from '../domain/model';
import type { DirectoryPort } from '../ports/directory';

const MAX_ENTRIES = 5_000;

export class BriefPeopleCache implements DirectoryPort {
  private readonly people = new Map<string, { at: number; person: Promise<Person | undefined> }>();
  private everyone?: { at: number; people: Promise<Person[]> };

  constructor(
    private readonly inner: DirectoryPort,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  getPerson(id: string): Promise<Person | undefined> {
    const hit = this.people.get(id);
    if (hit && this.now() - hit.at < this.ttlMs && this.now() >= hit.at) return hit.person;
    if (this.people.size >= MAX_ENTRIES) this.people.delete(this.people.keys().next().value!);
    const entry = { at: this.now(), person: this.inner.getPerson(id) };
    entry.person.catch(() => {
      if (this.people.get(id) === entry) this.people.delete(id);
    });
    this.people.delete(id);
    this.people.set(id, entry);
    return entry.person;
  }

  /** In a tenant the person id is the Entra object id: the same lookup. */
  findByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    return this.getPerson(aadObjectId);
  }

  /** Everyone, reused for the same while (the reminder sweep and card lookups list them every job run otherwise). */
  listPeople(): Promise<Person[]> {
    const hit = this.everyone;
    if (hit && this.now() - hit.at < this.ttlMs && this.now() >= hit.at) return hit.people;
    const entry = { at: this.now(), people: this.inner.listPeople() };
    entry.people.catch(() => {
      if (this.everyone === entry) this.everyone = undefined;
    });
    this.everyone = entry;
    return entry.people;
  }

  getLineManager(personId: string): Promise<Person | undefined> {
    return this.inner.getLineManager(personId);
  }

  /** Forgets everyone (a directory change was seen). */
  clear(): void {
    this.people.clear();
    this.everyone = undefined;
  }
}
