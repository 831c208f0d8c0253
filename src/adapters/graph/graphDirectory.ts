/**
 * The DirectoryPort on Entra ID through Microsoft Graph (tenant mode).
 *
 * In a tenant a person's id is their Entra object id: immutable, and what
 * Teams, Graph and the tab's token all carry. Entra knows names, mail, job
 * title, department and manager; what only the app knows (roles, policy, staff
 * group, start date) comes from `profileLookup` and is merged over it.
 *
 * Reference pages (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * user-get.md, user-list-manager.md, group-list-transitivemembers.md
 * (the microsoft.graph.user cast needs ConsistencyLevel: eventual and $count).
 */
import type { Person } from '../../domain/model';
import type { DirectoryPort } from '../../ports/directory';
import { GraphError } from './graphErrors';
import { z } from 'zod';
import { type BatchResult, type GraphCall, type GraphHttp, seg, validate } from './graphHttp';
import * as schema from './graphSchemas';

export interface GraphDirectoryOptions {
  http: GraphHttp;
  /** The Entra group whose (nested) members are the app's people. */
  peopleGroupId: string;
  /** App-held fields for a person, by Entra object id; undefined for someone the app has no profile for. */
  profileLookup: (aadObjectId: string) => Promise<Partial<Person> | undefined>;
  /** Group members per page; the documented maximum for directory objects is 999. */
  pageSize?: number;
}

const USER_SELECT = 'id,displayName,mail,userPrincipalName,jobTitle,department';
type GraphUser = z.infer<typeof schema.user>;

export class GraphDirectory implements DirectoryPort {
  private readonly http: GraphHttp;

  constructor(private readonly options: GraphDirectoryOptions) {
    this.http = options.http;
  }

  /** The user and their manager in one $batch. */
  async getPerson(id: string): Promise<Person | undefined> {
    // The two answers differ in shape, so each is validated with its own schema.
    const [userResult, managerResult] = await this.http.many([userCall(id), managerCall(id)], z.unknown());
    const user = unwrapOptional(userResult!);
    if (user === undefined) return undefined;
    const manager = unwrapOptional(managerResult!);
    const managerId = managerIdOf(manager === undefined ? undefined : validate('getLineManager', schema.manager, manager));
    return this.toPerson(validate('getPerson', schema.user, user), managerId);
  }

  findByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    return this.getPerson(aadObjectId);
  }

  /** Every user in the group (nested groups included), with their managers fetched 20 to a $batch. */
  async listPeople(): Promise<Person[]> {
    const { items } = await this.http.pages(
      {
        call: 'listPeople',
        method: 'GET',
        path: `/groups/${seg(this.options.peopleGroupId)}/transitiveMembers/microsoft.graph.user`,
        query: { $select: USER_SELECT, $count: 'true', $top: this.options.pageSize ?? 999 },
        headers: { ConsistencyLevel: 'eventual' },
      },
      schema.user,
    );
    const managers = await this.http.many(items.map((u) => managerCall(u.id)), schema.manager);
    const people = await Promise.all(items.map((u, i) => this.toPerson(u, managerIdOf(unwrapOptional(managers[i]!)))));
    return people.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  async getLineManager(personId: string): Promise<Person | undefined> {
    let manager: z.infer<typeof schema.manager>;
    try {
      manager = await this.http.json(managerCall(personId), schema.manager);
    } catch (err) {
      if (err instanceof GraphError && err.notFound) return undefined;
      throw err;
    }
    const managerId = managerIdOf(manager);
    return managerId ? this.getPerson(managerId) : undefined;
  }

  private async toPerson(user: GraphUser, lineManagerId: string | undefined): Promise<Person> {
    const profile = (await this.options.profileLookup(user.id)) ?? {};
    const fromEntra: Person = {
      id: user.id,
      aadObjectId: user.id,
      displayName: user.displayName ?? user.mail ?? user.userPrincipalName ?? user.id,
      email: user.mail ?? user.userPrincipalName ?? '',
      jobTitle: user.jobTitle ?? '',
      team: user.department ?? '',
      roles: [],
      ...(lineManagerId ? { lineManagerId } : {}),
    };
    // Entra is the source for who someone is; the profile cannot rename or re-id them.
    return { ...fromEntra, ...profile, id: user.id, aadObjectId: user.id, displayName: fromEntra.displayName, email: fromEntra.email };
  }
}

function userCall(id: string): GraphCall {
  return { call: 'getPerson', method: 'GET', path: `/users/${seg(id)}`, query: { $select: USER_SELECT } };
}

function managerCall(id: string): GraphCall {
  return { call: 'getLineManager', method: 'GET', path: `/users/${seg(id)}/manager`, query: { $select: 'id' } };
}

/** A 404 (no such user, or no manager) is an answer, not a failure. */
function unwrapOptional<T>(result: BatchResult<T>): T | undefined {
  if (result.ok) return result.value;
  if (result.error.notFound) return undefined;
  throw result.error;
}

/** Managers can be organisational contacts, who are not people of the app. */
function managerIdOf(manager: { id: string; '@odata.type'?: string | null } | undefined): string | undefined {
  if (!manager) return undefined;
  const type = manager['@odata.type'];
  return !type || type === '#microsoft.graph.user' ? manager.id : undefined;
}
