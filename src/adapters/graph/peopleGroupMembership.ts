/**
 * Who is known to the app in a tenant: members (nested groups included) of the
 * people group, checked when someone signs in to the tab or acts through the
 * bot. Without this, anyone in the tenant resolved to a person (GET /users/{id})
 * and someone removed from the group kept the roles the app stored for them.
 *
 * One POST /users/{id}/checkMemberGroups per person (transitive membership;
 * directoryobject-checkmembergroups.md), remembered for a few minutes so a
 * busy person costs one request per window, not one per click; a removal
 * takes effect within that window.
 */
import { z } from 'zod';
import type { Person } from '../../domain/model';
import type { DirectoryPort } from '../../ports/directory';
import { GraphError } from './graphErrors';
import { type GraphHttp, seg } from './graphHttp';

export const MEMBERSHIP_CACHE_MS = 5 * 60_000;
const MAX_CACHED = 10_000;

const checkMemberGroupsResult = z.object({ value: z.array(z.string()) });

export class PeopleGroupMembership {
  private readonly cache = new Map<string, { member: boolean; at: number }>();

  constructor(
    private readonly http: GraphHttp,
    private readonly groupId: string,
    private readonly ttlMs = MEMBERSHIP_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when a recent check found this person outside the group (no request is made). */
  knownNonMember(aadObjectId: string): boolean {
    const hit = this.cache.get(aadObjectId);
    return hit !== undefined && !hit.member && this.now() - hit.at < this.ttlMs;
  }

  async isMember(aadObjectId: string): Promise<boolean> {
    const hit = this.cache.get(aadObjectId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.member;
    let member: boolean;
    try {
      const res = await this.http.json(
        { call: 'checkMemberGroups', method: 'POST', path: `/users/${seg(aadObjectId)}/checkMemberGroups`, body: { groupIds: [this.groupId] }, idempotent: true },
        checkMemberGroupsResult,
      );
      member = res.value.some((id) => id.toLowerCase() === this.groupId.toLowerCase());
    } catch (err) {
      // No such user: not a member. Anything else (throttling, an outage) is not an answer: it propagates and is not cached.
      if (err instanceof GraphError && err.notFound) member = false;
      else throw err;
    }
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(aadObjectId, { member, at: this.now() });
    return member;
  }
}

/**
 * The directory as sign-in sees it: a person outside the people group is
 * unknown (the tab answers 403, the bot says it cannot match them), and when
 * looked up by id afterwards their stored roles no longer apply.
 */
export class MembershipGatedDirectory implements DirectoryPort {
  constructor(
    private readonly inner: DirectoryPort,
    private readonly membership: Pick<PeopleGroupMembership, 'isMember' | 'knownNonMember'>,
  ) {}

  async findByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    if (!(await this.membership.isMember(aadObjectId))) return undefined;
    return this.inner.findByAadObjectId(aadObjectId);
  }

  /**
   * A person looked up by id (for names in history, notifications) keeps their
   * name, but not roles a recent sign-in check found they no longer hold. Only
   * the cache is consulted: lookups by id are frequent and must not cost a request each.
   */
  async getPerson(id: string): Promise<Person | undefined> {
    const person = await this.inner.getPerson(id);
    if (!person || person.roles.length === 0) return person;
    return this.membership.knownNonMember(person.aadObjectId ?? id) ? { ...person, roles: [] } : person;
  }

  listPeople(): Promise<Person[]> {
    return this.inner.listPeople();
  }

  getLineManager(personId: string): Promise<Person | undefined> {
    return this.inner.getLineManager(personId);
  }
}
