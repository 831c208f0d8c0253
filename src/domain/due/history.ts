/**
 * Files every session, record, action and agreement under its relationship
 * in one pass, so the engine's work per relationship is proportional to that
 * relationship's own history (no O(n²) scans).
 *
 * Built for tens of thousands of histories: the index is a few flat integer
 * arrays (a counting sort of item positions by relationship), and each
 * relationship's working view is built only while it is judged, then dropped,
 * so almost nothing long-lived is allocated besides the obligations returned.
 */
import type { ActionItem, Agreement, Relationship, Session, SupervisionRecord } from '../model';
import type { PolicyContext } from './judge';
import type { DueInput } from './types';

export interface TimedSession {
  id: string;
  start: number;
  end: number;
  session: Session;
}

export interface RelationshipHistory {
  relationship: Relationship;
  /** Held sessions of this relationship, oldest first. */
  held: TimedSession[];
  /** Held sessions that count towards its frequency requirements (own + counted group sessions), oldest first. */
  counted: TimedSession[];
  /** Planned sessions starting after now, soonest first. */
  planned: TimedSession[];
  /** Cancelled or missed sessions, oldest first. */
  cancelled: TimedSession[];
  /** Ids of sessions that a non-cancelled session replaces. */
  replaced: Set<string>;
  /** The latest version of each session's record. */
  records: Map<string, SupervisionRecord>;
  actions: ActionItem[];
  agreements: Agreement[];
  externalVisits: number[];
  /** The relationship's school, when it has one: what is counted per school (see UnitView). */
  unit?: UnitView;
}

/** A school's relationships (same policy and staff group) taken together. */
export interface UnitView {
  name: string;
  /** Whether this relationship carries the school's per-school obligations (the first active one in input order). */
  lead: boolean;
  relationships: Relationship[];
  /** Held sessions of all its relationships, once each, oldest first. */
  held: TimedSession[];
  /** Planned sessions after now of all its relationships, soonest first. */
  planned: TimedSession[];
  /** External visits to the school (by unit, or against any of its relationships), epoch ms, sorted. */
  externalVisits: number[];
}

/**
 * Epoch ms of an ISO instant. The canonical UTC form the app stores
 * ("2027-03-31T10:00:00.000Z" or without milliseconds) is read digit by digit,
 * as plain UTC calendar arithmetic (no zones involved); anything else goes to
 * Date.parse.
 */
export function instantMs(iso: string): number {
  const len = iso.length;
  if ((len !== 24 && len !== 20) || iso.charCodeAt(len - 1) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */) return Date.parse(iso);
  const y = digits(iso, 0, 4);
  const m = digits(iso, 5, 2);
  const d = digits(iso, 8, 2);
  const h = digits(iso, 11, 2);
  const min = digits(iso, 14, 2);
  const sec = digits(iso, 17, 2);
  const ms = len === 24 ? digits(iso, 20, 3) : 0;
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31 || h < 0 || h > 23 || min < 0 || min > 59 || sec < 0 || sec > 59 || ms < 0) return Date.parse(iso);
  return daysFromCivil(y, m, d) * 86_400_000 + h * 3_600_000 + min * 60_000 + sec * 1000 + ms;
}

/** The number written by `count` ASCII digits at `from`, or -1 if any is not a digit. */
function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Positions of items grouped by relationship: items of relationship r are order[offsets[r] .. offsets[r+1]). */
interface Buckets {
  offsets: Int32Array;
  order: Int32Array;
}

function bucket<T>(items: readonly T[], relOf: (item: T) => string, index: Map<string, number>, relationships: number): Buckets {
  const owner = new Int32Array(items.length);
  const offsets = new Int32Array(relationships + 1);
  // Histories usually arrive grouped by relationship: remember the last lookup.
  let lastKey: string | undefined;
  let lastR = -1;
  for (let i = 0; i < items.length; i++) {
    const key = relOf(items[i]!);
    const r = key === lastKey ? lastR : (index.get(key) ?? -1);
    lastKey = key;
    lastR = r;
    owner[i] = r;
    if (r >= 0) offsets[r + 1]!++;
  }
  for (let r = 0; r < relationships; r++) offsets[r + 1]! += offsets[r]!;
  const cursor = offsets.slice(0, relationships);
  const order = new Int32Array(offsets[relationships]!);
  for (let i = 0; i < items.length; i++) {
    const r = owner[i]!;
    if (r >= 0) order[cursor[r]!++] = i;
  }
  return { offsets, order };
}

/** The items of relationship r, in input order. */
function slice<T>(items: readonly T[], b: Buckets, r: number): T[] {
  const out: T[] = [];
  for (let k = b.offsets[r]!; k < b.offsets[r + 1]!; k++) out.push(items[b.order[k]!]!);
  return out;
}

const byStart = (a: TimedSession, b: TimedSession) => a.start - b.start;

/** The index of a whole input; `history(r)` builds relationship r's working view on demand. */
export class HistoryIndex {
  private readonly sessions: Buckets;
  private readonly records: Buckets;
  private readonly actions: Buckets;
  private readonly agreements: Buckets;
  private readonly visits: Buckets;
  /** Held group sessions per member (policy, staff group, person), for groups whose sessions count. */
  private readonly groupHeld = new Map<string, TimedSession[]>();
  /** Relationships per school (policy, staff group, unit), in input order. */
  private readonly units = new Map<string, number[]>();
  private readonly unitViews = new Map<string, Omit<UnitView, 'lead'> & { lead: number }>();

  constructor(
    private readonly input: DueInput,
    private readonly now: number,
    contexts: Map<string, PolicyContext>,
  ) {
    const index = new Map<string, number>();
    input.relationships.forEach((r, i) => index.set(r.id, i));
    const n = input.relationships.length;
    this.sessions = bucket(input.sessions, (s) => s.relationshipId, index, n);
    this.records = bucket(input.records, (s) => s.relationshipId, index, n);
    this.actions = bucket(input.actions, (s) => s.relationshipId, index, n);
    this.agreements = bucket(input.agreements, (s) => s.relationshipId, index, n);
    this.visits = bucket(input.externalVisits ?? [], (s) => s.relationshipId ?? '', index, n);
    input.relationships.forEach((rel, r) => {
      if (!rel.unit) return;
      const key = memberKey(rel.policyId, rel.staffGroupId, rel.unit);
      this.units.set(key, [...(this.units.get(key) ?? []), r]);
    });
    input.relationships.forEach((rel, r) => {
      if (rel.kind !== 'group') return;
      if (!contexts.get(rel.policyId)?.groups.get(rel.staffGroupId)?.group.countsTowardsRequirement) return;
      const held = this.sessionsOf(r).held;
      for (const id of rel.superviseeIds) {
        const key = memberKey(rel.policyId, rel.staffGroupId, id);
        this.groupHeld.set(key, [...(this.groupHeld.get(key) ?? []), ...held]);
      }
    });
  }

  get size(): number {
    return this.input.relationships.length;
  }

  private sessionsOf(r: number) {
    const held: TimedSession[] = [];
    const planned: TimedSession[] = [];
    const cancelled: TimedSession[] = [];
    const replaced = new Set<string>();
    for (const s of slice(this.input.sessions, this.sessions, r)) {
      const start = instantMs(s.start);
      if (!Number.isFinite(start) || !Number.isFinite(instantMs(s.end))) continue; // unreadable times cannot be judged
      if (s.status === 'planned') {
        if (start > this.now) planned.push({ id: s.id, start, end: instantMs(s.end), session: s });
      } else {
        (s.status === 'held' ? held : cancelled).push({ id: s.id, start, end: instantMs(s.end), session: s });
      }
      if (s.replacesSessionId && s.status !== 'cancelled') replaced.add(s.replacesSessionId);
    }
    held.sort(byStart);
    planned.sort(byStart);
    cancelled.sort(byStart);
    return { held, planned, cancelled, replaced };
  }

  history(r: number): RelationshipHistory {
    const relationship = this.input.relationships[r]!;
    const { held, planned, cancelled, replaced } = this.sessionsOf(r);
    const records = new Map<string, SupervisionRecord>();
    for (const rec of slice(this.input.records, this.records, r)) {
      const current = records.get(rec.sessionId);
      if (!current || rec.version > current.version) records.set(rec.sessionId, rec);
    }
    let counted = held;
    if (relationship.kind === 'individual' && this.groupHeld.size) {
      const extra = relationship.superviseeIds.flatMap((id) => this.groupHeld.get(memberKey(relationship.policyId, relationship.staffGroupId, id)) ?? []);
      if (extra.length) counted = [...held, ...extra].sort(byStart);
    }
    return {
      relationship,
      held,
      counted,
      planned,
      cancelled,
      replaced,
      records,
      actions: slice(this.input.actions, this.actions, r),
      agreements: slice(this.input.agreements, this.agreements, r),
      externalVisits: slice(this.input.externalVisits ?? [], this.visits, r).map((v) => instantMs(v.at)),
      unit: relationship.unit ? this.unitView(r, relationship) : undefined,
    };
  }

  /** A school's combined history, built once per school and shared by its relationships. */
  private unitView(r: number, rel: Relationship): UnitView {
    const key = memberKey(rel.policyId, rel.staffGroupId, rel.unit!);
    let view = this.unitViews.get(key);
    if (!view) {
      const members = this.units.get(key) ?? [r];
      const held = new Map<string, TimedSession>();
      const planned = new Map<string, TimedSession>();
      const visits: number[] = [];
      for (const m of members) {
        const s = this.sessionsOf(m);
        for (const x of s.held) held.set(x.id, x);
        for (const x of s.planned) planned.set(x.id, x);
        for (const v of slice(this.input.externalVisits ?? [], this.visits, m)) visits.push(instantMs(v.at));
      }
      for (const v of this.input.externalVisits ?? []) if (!v.relationshipId && v.unit === rel.unit) visits.push(instantMs(v.at));
      const lead = members.find((m) => this.input.relationships[m]!.active) ?? r;
      view = {
        name: rel.unit!,
        lead,
        relationships: members.map((m) => this.input.relationships[m]!),
        held: [...held.values()].sort(byStart),
        planned: [...planned.values()].sort(byStart),
        externalVisits: visits.filter(Number.isFinite).sort((a, b) => a - b),
      };
      this.unitViews.set(key, view);
    }
    return { ...view, lead: view.lead === r };
  }
}

function memberKey(policyId: string, staffGroupId: string, personId: string): string {
  return `${policyId}\u0000${staffGroupId}\u0000${personId}`;
}
