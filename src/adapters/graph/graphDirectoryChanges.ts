/**
 * Directory changes in a tenant, from two Microsoft Graph delta queries:
 *
 *   GET /groups/delta?$filter=id eq '{people group}'&$select=members
 *     → "members@delta": who was added to or removed ("@removed") from the group
 *   GET /users/delta?$select=manager
 *     → "manager@delta": whose manager changed (to whom, or removed)
 *
 * Reference pages (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * group-delta.md, user-delta.md; concepts/delta-query-groups.md,
 * delta-query-users.md. Each round follows @odata.nextLink to the
 * @odata.deltaLink, which is kept (durably, by `cursors`) for the next round
 * only once the app has acted on what it reported (commit). The first round of
 * each is the baseline: it reads the current state and reports nothing.
 *
 * Cost: what changed. A round with no changes is one request per query; the
 * baseline reads the group's members and the tenant's users once.
 *
 * Limits: group delta reports direct members (a person added through a nested
 * group is not seen here; the directory's listing, which is transitive, still
 * finds them). A user deleted outright appears as a removed member.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DirectoryChange } from '../../domain/peopleChanges';
import type { DirectoryChangeBatch, DirectoryChangeFeed } from '../../ports/directoryChanges';
import { type GraphCall, type GraphHttp, odataString } from './graphHttp';

/** Where the delta links are kept between rounds (tenant mode: the subscription registry's delta cursors). */
export interface CursorStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export const GROUP_CURSOR = 'directory:people-group';
export const MANAGER_CURSOR = 'directory:managers';

const removed = z.object({ reason: z.string().optional() }).passthrough();
const memberDelta = z.object({ '@odata.type': z.string().optional(), id: z.string(), '@removed': removed.optional() }).passthrough();
export const groupDeltaItem = z.object({ id: z.string(), 'members@delta': z.array(memberDelta).optional(), '@removed': removed.optional() }).passthrough();
export const userDeltaItem = z.object({ id: z.string(), 'manager@delta': z.array(memberDelta).optional(), '@removed': removed.optional() }).passthrough();

export interface GraphDirectoryChangeOptions {
  http: GraphHttp;
  peopleGroupId: string;
  cursors: CursorStore;
}

export class GraphDirectoryChangeFeed implements DirectoryChangeFeed {
  constructor(private readonly options: GraphDirectoryChangeOptions) {}

  async read(): Promise<DirectoryChangeBatch> {
    const { http, peopleGroupId, cursors } = this.options;
    const [groupLink, managerLink] = await Promise.all([cursors.get(GROUP_CURSOR), cursors.get(MANAGER_CURSOR)]);
    const groupCall: GraphCall = groupLink
      ? { call: 'directoryDelta.group', method: 'GET', path: groupLink }
      : { call: 'directoryDelta.group', method: 'GET', path: '/groups/delta', query: { $filter: `id eq ${odataString(peopleGroupId)}`, $select: 'members' } };
    const managerCall: GraphCall = managerLink
      ? { call: 'directoryDelta.managers', method: 'GET', path: managerLink }
      : { call: 'directoryDelta.managers', method: 'GET', path: '/users/delta', query: { $select: 'manager' } };
    const group = await http.pages(groupCall, groupDeltaItem);
    const users = await http.pages(managerCall, userDeltaItem);

    const changes: DirectoryChange[] = [];
    const id = (base: string | undefined, kind: string, personId: string) => `dir-${createHash('sha256').update(`${base}|${kind}|${personId}`).digest('hex').slice(0, 16)}`;
    if (groupLink) {
      for (const g of group.items.filter((x) => x.id === peopleGroupId)) {
        for (const m of g['members@delta'] ?? []) {
          if (m['@odata.type'] && m['@odata.type'] !== '#microsoft.graph.user') continue;
          changes.push(m['@removed'] ? { id: id(groupLink, 'left', m.id), kind: 'left', personId: m.id } : { id: id(groupLink, 'joined', m.id), kind: 'joined', personId: m.id });
        }
      }
    }
    if (managerLink) {
      for (const u of users.items) {
        const delta = u['manager@delta'];
        if (!delta || u['@removed']) continue;
        const current = delta.find((m) => !m['@removed'] && (!m['@odata.type'] || m['@odata.type'] === '#microsoft.graph.user'));
        changes.push({ id: id(managerLink, `manager:${current?.id ?? ''}`, u.id), kind: 'manager-changed', personId: u.id, ...(current ? { managerId: current.id } : {}) });
      }
    }
    return {
      changes,
      commit: async () => {
        if (group.deltaLink) await cursors.set(GROUP_CURSOR, group.deltaLink);
        if (users.deltaLink) await cursors.set(MANAGER_CURSOR, users.deltaLink);
      },
    };
  }
}
