/**
 * Tenant mode's change feed: which people's calendars changed, from Graph
 * change notifications (marked by the webhook) and calendarView delta queries.
 *
 * Each call to changedPeople():
 *  1. acknowledges the previous call's answer: clears the marks it took and
 *     saves the delta links it fetched (so a crash before the changed people
 *     were reconciled reports them again: at least once);
 *  2. takes the people marked by valid notifications, the people whose sync
 *     was asked for (missed notifications, a subscription Graph removed), and,
 *     for the periodic sweep, everyone in scope whose last delta round is older
 *     than sweepEveryMs;
 *  3. runs one delta round for all of them, 20 to a $batch, following
 *     nextLinks in further batches;
 *  4. answers the notified people, plus anyone whose delta showed a change
 *     (or had to start again: first round, expired token, re-anchored window).
 *
 * The notified are always answered, their delta only moves their cursor on,
 * so the next sweep does not report the same change again. A person whose
 * delta failed is not answered (unless notified) and is tried again next call.
 *
 * Docs: concepts/delta-query-events.md and api-reference/v1.0/api/event-delta.md
 * (calendarView/delta with startDateTime/endDateTime on the first request
 * only, nextLink/deltaLink, Prefer: odata.maxpagesize), concepts/delta-query-overview.md
 * (410 Gone, or 400/404 syncStateNotFound: start a new round), concepts/json-batching.md (relative URLs
 * inside a batch).
 */
import { z } from 'zod';
import type { Logger } from '../../logging';
import type { CalendarChangeFeed } from '../../ports/changeFeed';
import type { DeltaCursor, DeltaState, SubscriptionRegistry } from '../../ports/subscriptions';
import type { GraphUserRef } from './graphCalendar';
import { GraphContractError, GraphError } from './graphErrors';
import { type GraphCall, type GraphHttp, seg } from './graphHttp';

const DAY_MS = 86_400_000;

export interface DeltaWindowOptions {
  /** Days before now the window starts (the reconciler looks back 7). */
  backDays: number;
  /** Days after now the window ends when a round starts. */
  aheadDays: number;
  /** Start a fresh round once fewer days than this remain ahead of now. */
  minAheadDays: number;
}

export const DEFAULT_DELTA_WINDOW: DeltaWindowOptions = { backDays: 8, aheadDays: 400, minAheadDays: 300 };

export interface DeltaRequest {
  personId: string;
  /** Entra object id of the mailbox. */
  userId: string;
  /** Saved deltaLink; absent for a first round. */
  deltaLink?: string;
  /** The window of a first round. */
  window: { start: string; end: string };
}

export type DeltaOutcome =
  | {
      ok: true;
      /** Items added or changed, and items reported removed (or changed outside the window). */
      changed: number;
      removed: number;
      deltaLink: string;
      /** A first round: everything in the window came back, not only changes. */
      initial: boolean;
      /** The saved link had expired (410) and a first round was run instead. */
      restarted: boolean;
      pages: number;
    }
  | { ok: false; error: GraphError | GraphContractError };

const deltaPage = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});

const PREFER_IMMUTABLE = 'IdType="ImmutableId"';
const PREFER_UTC = 'outlook.timezone="UTC"';

/**
 * One delta round (to its deltaLink) for each request, as few HTTP requests as
 * batching allows: the first page of everyone in $batches of 20, then the
 * next pages of those that have more, and so on. calendarView/delta takes no
 * $select, so items are counted, not read.
 */
export async function deltaMany(http: GraphHttp, requests: DeltaRequest[], options: { pageSize?: number } = {}): Promise<Map<string, DeltaOutcome>> {
  const headers = { Prefer: [PREFER_IMMUTABLE, PREFER_UTC, `odata.maxpagesize=${options.pageSize ?? 100}`].join(', ') };
  const out = new Map<string, DeltaOutcome>();
  interface Round {
    req: DeltaRequest;
    link?: string;
    fromSaved: boolean;
    restarted: boolean;
    changed: number;
    removed: number;
    pages: number;
  }
  const first = (req: DeltaRequest, restarted: boolean): Round => ({ req, ...(req.deltaLink && !restarted ? { link: req.deltaLink } : {}), fromSaved: Boolean(req.deltaLink) && !restarted, restarted, changed: 0, removed: 0, pages: 0 });
  let pending: Round[] = requests.map((r) => first(r, false));
  while (pending.length > 0) {
    const calls: GraphCall[] = [];
    const sent: Round[] = [];
    for (const round of pending) {
      if (round.link) {
        const path = relativeLink(http, round.link);
        if (!path) {
          out.set(round.req.personId, { ok: false, error: new GraphContractError('deltaCalendarView', [{ path: '@odata.nextLink', message: 'a link outside the Graph base URL' }]) });
          continue;
        }
        calls.push({ call: 'deltaCalendarView', method: 'GET', path, headers, mailbox: round.req.userId });
      } else {
        calls.push({
          call: 'deltaCalendarView',
          method: 'GET',
          path: `/users/${seg(round.req.userId)}/calendarView/delta`,
          query: { startDateTime: round.req.window.start, endDateTime: round.req.window.end },
          headers,
          mailbox: round.req.userId,
        });
      }
      sent.push(round);
    }
    const results = await http.many(calls, deltaPage);
    const next: Round[] = [];
    for (const [i, result] of results.entries()) {
      const round = sent[i]!;
      if (!result.ok) {
        // An expired or unknown token (delta-query-overview.md): start a new round, once.
        if (result.error.deltaTokenExpired && round.fromSaved && round.pages === 0) next.push(first(round.req, true));
        else out.set(round.req.personId, { ok: false, error: result.error });
        continue;
      }
      round.pages += 1;
      for (const item of result.value.value) {
        if (item && typeof item === 'object' && '@removed' in item) round.removed += 1;
        else round.changed += 1;
      }
      const deltaLink = result.value['@odata.deltaLink'];
      const nextLink = result.value['@odata.nextLink'];
      if (deltaLink) {
        out.set(round.req.personId, { ok: true, changed: round.changed, removed: round.removed, deltaLink, initial: !round.fromSaved, restarted: round.restarted, pages: round.pages });
      } else if (nextLink) {
        next.push({ ...round, link: nextLink });
      } else {
        out.set(round.req.personId, { ok: false, error: new GraphContractError('deltaCalendarView', [{ path: '@odata.deltaLink', message: 'the page had neither nextLink nor deltaLink' }]) });
      }
    }
    pending = next;
  }
  return out;
}

/** A nextLink/deltaLink as the path a $batch inner request wants; undefined if it points elsewhere. */
function relativeLink(http: GraphHttp, link: string): string | undefined {
  if (!/^https?:\/\//i.test(link)) return link.startsWith('/') ? link : undefined;
  return link.startsWith(`${http.baseUrl}/`) ? link.slice(http.baseUrl.length) : undefined;
}

export interface GraphChangeFeedOptions {
  http: GraphHttp;
  registry: SubscriptionRegistry;
  resolveUser: (personId: string) => Promise<GraphUserRef>;
  /** The people in scope (those with subscriptions): the periodic sweep covers them. */
  scope: () => Promise<string[]>;
  /** How often each person in scope gets a delta round even without notifications (default 1 hour; 0: every call). */
  sweepEveryMs?: number;
  /** At most this many people swept per call (first rounds read whole windows; spreads the start-up load). */
  maxSweepPerCall?: number;
  window?: DeltaWindowOptions;
  pageSize?: number;
  log?: Logger;
}

export interface ChangeFeedRun {
  notified: number;
  syncRequested: number;
  swept: number;
  deltaRounds: number;
  failed: string[];
  changed: number;
}

export class GraphChangeFeed implements CalendarChangeFeed {
  /** What the last call did (for logs, metrics and the benchmark). */
  lastRun: ChangeFeedRun | undefined;
  private unacknowledged: { upTo: string; marked: string[]; cursors: DeltaCursor[] } | undefined;
  private readonly sweepEveryMs: number;
  private readonly window: DeltaWindowOptions;

  constructor(private readonly options: GraphChangeFeedOptions) {
    this.sweepEveryMs = options.sweepEveryMs ?? 3_600_000;
    this.window = options.window ?? DEFAULT_DELTA_WINDOW;
  }

  async changedPeople(now: string): Promise<string[]> {
    const { registry } = this.options;
    await this.acknowledge();
    const nowMs = Date.parse(now);
    const states = new Map((await registry.listDelta()).map((d) => [d.personId, d]));
    const notified = [...states.values()].filter((d) => d.notifiedAt && d.notifiedAt <= now).map((d) => d.personId);
    const requested = [...states.values()].filter((d) => d.syncRequestedAt && d.syncRequestedAt <= now).map((d) => d.personId);
    const marked = new Set([...notified, ...requested]);
    const stale = (await this.options.scope())
      .filter((p) => !marked.has(p))
      .filter((p) => {
        const synced = states.get(p)?.syncedAt;
        return !synced || nowMs - Date.parse(synced) >= this.sweepEveryMs;
      })
      .sort((a, b) => (states.get(a)?.syncedAt ?? '').localeCompare(states.get(b)?.syncedAt ?? ''))
      .slice(0, this.options.maxSweepPerCall ?? Number.POSITIVE_INFINITY);

    const people = [...marked, ...stale];
    const requests: DeltaRequest[] = [];
    const failed: string[] = [];
    const windows = new Map<string, { start: string; end: string }>();
    for (const personId of people) {
      let user: GraphUserRef;
      try {
        user = await this.options.resolveUser(personId);
      } catch {
        failed.push(personId);
        continue;
      }
      const state = states.get(personId);
      const window = this.windowFor(state, nowMs);
      windows.set(personId, window);
      const keep = state?.deltaLink && state.windowStart === window.start && state.windowEnd === window.end;
      requests.push({ personId, userId: user.id, window, ...(keep ? { deltaLink: state.deltaLink } : {}) });
    }
    const results = requests.length > 0 ? await deltaMany(this.options.http, requests, { pageSize: this.options.pageSize }) : new Map<string, DeltaOutcome>();

    const changed = new Set(notified);
    const cursors: DeltaCursor[] = [];
    const synced: string[] = [];
    for (const [personId, result] of results) {
      if (!result.ok) {
        failed.push(personId);
        continue;
      }
      const window = windows.get(personId)!;
      cursors.push({ personId, deltaLink: result.deltaLink, windowStart: window.start, windowEnd: window.end, syncedAt: now });
      synced.push(personId);
      if (result.initial || result.restarted || result.changed > 0 || result.removed > 0) changed.add(personId);
    }
    // Notified people's marks clear even if their delta failed: they are answered anyway.
    const clear = [...new Set([...notified, ...synced.filter((p) => marked.has(p))])];
    this.unacknowledged = { upTo: now, marked: clear, cursors };
    this.lastRun = { notified: notified.length, syncRequested: requested.length, swept: stale.length, deltaRounds: requests.length, failed, changed: changed.size };
    if (failed.length) this.options.log?.warn({ event: 'graph-change-feed', failed: failed.length, people: failed.slice(0, 20) }, 'delta sync failed for some people');
    return [...changed];
  }

  /**
   * People of the last answer not dealt with: their delta cursors are not saved and their marks
   * not cleared, so the next call (here or on another instance) reports them again.
   */
  notDone(personIds: string[]): void {
    const done = this.unacknowledged;
    if (!done || personIds.length === 0) return;
    const again = new Set(personIds);
    this.unacknowledged = { ...done, marked: done.marked.filter((p) => !again.has(p)), cursors: done.cursors.filter((c) => !again.has(c.personId)) };
  }

  /** Saves what the previous call fetched and clears what it took: that answer has been dealt with. */
  async acknowledge(): Promise<void> {
    const done = this.unacknowledged;
    if (!done) return;
    for (const cursor of done.cursors) await this.options.registry.saveDelta(cursor);
    for (const personId of done.marked) await this.options.registry.clearMarks(personId, done.upTo);
    this.unacknowledged = undefined;
  }

  /** The saved window while enough of it lies ahead; a fresh one otherwise. */
  private windowFor(state: DeltaState | undefined, nowMs: number): { start: string; end: string } {
    if (state?.windowStart && state.windowEnd && Date.parse(state.windowEnd) - nowMs >= this.window.minAheadDays * DAY_MS) {
      return { start: state.windowStart, end: state.windowEnd };
    }
    const day = Math.floor(nowMs / DAY_MS) * DAY_MS;
    return { start: new Date(day - this.window.backDays * DAY_MS).toISOString(), end: new Date(day + this.window.aheadDays * DAY_MS).toISOString() };
  }
}
