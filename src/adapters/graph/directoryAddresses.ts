import type { Person } from '../../domain/model';
import type { DirectoryPort } from '../../ports/directory';
import type { GraphUserRef } from './graphCalendar';

/**
 * How the calendar adapter finds people: person id → Graph user (object id and
 * mail), and an event's addresses → person id. Addresses come from one listing
 * of the people group, reused for `ttlMs` (concurrent callers share the one
 * listing; a failed listing is not kept). Someone not in the listing is looked
 * up on their own when booked for (getPerson); an address nobody in the group
 * has is not one of the app's people.
 */
export class DirectoryAddresses {
  private listing?: { at: number; index: Promise<{ byId: Map<string, Person>; byEmail: Map<string, string> }> };
  private readonly single = new Map<string, { at: number; person: Promise<Person | undefined> }>();

  constructor(
    private readonly directory: DirectoryPort,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async user(personId: string): Promise<GraphUserRef> {
    const listed = this.fresh(this.listing) ? (await this.listing!.index).byId.get(personId) : undefined;
    const person = listed ?? (await this.lookUp(personId));
    if (!person) throw new Error(`person ${personId} is not in the directory (Entra ID)`);
    if (!person.email) throw new Error(`person ${personId} has no mail address in Entra ID: their calendar cannot be read or booked`);
    return { id: person.id, mail: person.email };
  }

  async personId(ref: { email?: string; aadObjectId?: string }): Promise<string | undefined> {
    const { byId, byEmail } = await this.index();
    // In a tenant the person id is the Entra object id.
    if (ref.aadObjectId && byId.has(ref.aadObjectId)) return ref.aadObjectId;
    return ref.email ? byEmail.get(ref.email.toLowerCase()) : undefined;
  }

  private index(): Promise<{ byId: Map<string, Person>; byEmail: Map<string, string> }> {
    if (!this.fresh(this.listing)) {
      const entry = {
        at: this.now(),
        index: this.directory.listPeople().then((people) => ({
          byId: new Map(people.map((p) => [p.id, p])),
          byEmail: new Map(people.filter((p) => p.email).map((p) => [p.email.toLowerCase(), p.id])),
        })),
      };
      entry.index.catch(() => {
        if (this.listing === entry) this.listing = undefined;
      });
      this.listing = entry;
    }
    return this.listing!.index;
  }

  private lookUp(personId: string): Promise<Person | undefined> {
    let hit = this.single.get(personId);
    if (!this.fresh(hit)) {
      if (this.single.size > 10_000) this.single.clear();
      const entry = { at: this.now(), person: this.directory.getPerson(personId) };
      entry.person.catch(() => {
        if (this.single.get(personId) === entry) this.single.delete(personId);
      });
      this.single.set(personId, (hit = entry));
    }
    return hit!.person;
  }

  private fresh(entry: { at: number } | undefined): boolean {
    return entry !== undefined && this.now() - entry.at < this.ttlMs;
  }
}
