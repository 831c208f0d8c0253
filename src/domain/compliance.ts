/**
 * The compliance report (pure: `now` is passed in, nothing is read from a clock
 * or a store). From the history of the relationships a person may see, the
 * figures managers and safeguarding leads are asked for (POLICIES.md,
 * "Agreements and assurance"): sessions due / held / cancelled / rebooked /
 * missed, records on time, agreements in date, rolling 12-month counts, overdue
 * obligations and the quality-assurance grade roll-up, per relationship, per
 * team and for the whole organisation.
 *
 * Every figure is defined once, in FIGURES below; the JSON report, the tab's
 * tables and the CSV export all use those labels and definitions. Team and
 * organisation rows are the sums of their relationship rows, so every total
 * can be checked by adding up the rows beneath it.
 *
 * The period is a pair of calendar dates (`from` and `to`, both included) in
 * the report's time zone (Europe/London unless told otherwise). An event is
 * "in the period" when its instant falls on or after midnight at the start of
 * `from` and before midnight at the end of `to`. Record deadlines and
 * agreement review dates use each relationship's own policy calendar (its
 * working week, bank-holiday region and zone), exactly as the due engine does.
 */
import { agreementOnDay, agreementWords } from './agenda';
import { DateTime, Duration } from 'luxon';
import { FALLBACK_ZONE } from './time/zones';
import { reviewDue } from './agreements';
import { dueObligations, type Obligation } from './due/dueEngine';
import type { ExternalVisit } from './due/types';
import type { ActionItem, Agreement, Person, Relationship, Session, SupervisionRecord } from './model';
import type { PolicyPack } from './policy/schema';
import { PolicyCalendar } from './time/workingDays';

// ---------------------------------------------------------------------------
// Quality-assurance grades (Leicestershire, after Research in Practice)

export const QA_CATEGORIES = ['challenge', 'support', 'maintain', 'promote'] as const;
export type QaCategory = (typeof QA_CATEGORIES)[number];

/** The categories' names and meanings as the Leicestershire guidance gives them. */
export const QA_CATEGORY_INFO: Record<QaCategory, { name: string; meaning: string }> = {
  challenge: { name: 'Challenge', meaning: 'The practice is detrimental to children, families, the practitioner or the organisation and needs to change.' },
  support: { name: 'Support', meaning: 'The practice is not meeting all the standards; the supervisor or supervisee needs support (training, practice, policy).' },
  maintain: { name: 'Maintain', meaning: 'Good practice: make sure it is embedded and can continue and develop.' },
  promote: { name: 'Promote', meaning: 'Excellent practice that should be promoted across the organisation for everyone to learn from.' },
};

export const QA_COMMENT_MAX = 2000;

/** An auditor's grade of one supervision record. The comment is QA content: never in the report or the audit log. */
export interface QaGrade {
  id: string;
  recordId: string;
  relationshipId: string;
  auditorId: string;
  category: QaCategory;
  comment: string;
  /** When it was graded (ISO instant). */
  at: string;
}

// ---------------------------------------------------------------------------
// The figures and what they mean

function qaDefinition(category: QaCategory): string {
  const { name, meaning } = QA_CATEGORY_INFO[category];
  return `Records graded ${name} in the period (${meaning}) Each auditor's latest grade of a record counts once, in the period it was given.`;
}

export const FIGURES = [
  {
    key: 'relationships',
    label: 'Arrangements',
    definition: 'Supervision arrangements counted: active ones, plus inactive ones with a session in the period.',
  },
  {
    key: 'sessionsDue',
    label: 'Sessions due',
    definition:
      'Sessions the plan required in the period: booked (not urgent, not rebooked) sessions whose original time fell in the period and has passed, whatever became of them. A cancelled session that was rebooked is due once; its replacement is not due again.',
  },
  {
    key: 'held',
    label: 'Held',
    definition:
      'Sessions held in the period (planned, urgent or rebooked), by the time they were held. Held means confirmed: its record was submitted (at any version) or attendance was recorded when the meeting ended. A session whose end time merely passed is not held but unconfirmed.',
  },
  {
    key: 'unconfirmed',
    label: 'Unconfirmed',
    definition:
      'Sessions in the period whose time has passed, not cancelled or missed, with nothing yet confirming they took place (no record submitted, no attendance recorded). Held + unconfirmed = every session whose time passed without being cancelled or missed.',
  },
  { key: 'cancelled', label: 'Cancelled', definition: 'Sessions cancelled whose original time fell in the period.' },
  { key: 'rebooked', label: 'Rebooked', definition: 'Replacement sessions (rebooked after a cancellation or a missed session) whose time falls in the period, whatever has since happened to them.' },
  { key: 'missed', label: 'Missed', definition: 'Sessions that did not take place and were not cancelled beforehand, whose original time fell in the period.' },
  { key: 'recordsDue', label: 'Records due', definition: 'Records owed for the sessions held or unconfirmed in the period (one per session).' },
  {
    key: 'recordsOnTime',
    label: 'Records on time',
    definition:
      "Of the records due, those signed (or signed with a disagreement) by close of business on the policy's record deadline: the policy's number of working days after the session's date, weekends and bank holidays excluded. An amendment after signing does not change this.",
  },
  { key: 'recordsLate', label: 'Records late', definition: 'Of the records due, those signed after the deadline.' },
  { key: 'recordsOutstanding', label: 'Records outstanding', definition: 'Of the records due, those not signed yet (not started, draft, awaiting countersignature or back for changes). On time + late + outstanding = due.' },
  { key: 'recordsOverdue', label: 'Records overdue', definition: 'Of the records outstanding, those whose deadline has passed.' },
  {
    key: 'agreementsInDate',
    label: 'Agreements in date',
    definition: "Arrangements whose written agreement is signed by everyone and whose review date is today or later (as at the report's date, not the period).",
  },
  {
    key: 'heldWithoutAgreement',
    label: 'Held without an in-date agreement',
    definition:
      "Of the sessions held or unconfirmed in the period under a policy that requires a written agreement, those that took place when no agreement signed by everyone was in date (none signed before the session, or its review date had passed). Staffordshire: the agreement is checked at the beginning of every session.",
  },
  { key: 'agreementsTotal', label: 'Agreements required', definition: 'Active arrangements whose policy requires a written supervision agreement.' },
  { key: 'rolling12MonthHeld', label: 'Held in last 12 months', definition: "Sessions held (confirmed) in the 12 months up to the report's date (not the period)." },
  {
    key: 'rollingMinimumApplies',
    label: 'Rolling minimum applies',
    definition: 'Active arrangements whose policy sets a minimum number of sessions in a rolling window (for example 6 in 12 months).',
  },
  {
    key: 'rollingMinimumMet',
    label: 'Rolling minimum met',
    definition: "Of those, the arrangements that held at least that many sessions in the window up to the report's date.",
  },
  {
    key: 'overdueObligations',
    label: 'Overdue obligations',
    definition:
      "Everything overdue as at the report's date according to the due engine: supervision, rebooking, records, countersignatures, actions and agreements (the same obligations reminders and escalations are sent for).",
  },
  { key: 'qaChallenge', label: 'QA: Challenge', definition: qaDefinition('challenge') },
  { key: 'qaSupport', label: 'QA: Support', definition: qaDefinition('support') },
  { key: 'qaMaintain', label: 'QA: Maintain', definition: qaDefinition('maintain') },
  { key: 'qaPromote', label: 'QA: Promote', definition: qaDefinition('promote') },
] as const;

export type FigureKey = (typeof FIGURES)[number]['key'];
export type Figures = Record<FigureKey, number>;

const QA_FIGURE: Record<QaCategory, FigureKey> = { challenge: 'qaChallenge', support: 'qaSupport', maintain: 'qaMaintain', promote: 'qaPromote' };

/** The team a relationship is reported under when its supervisees' teams are unknown. */
export const UNASSIGNED_TEAM = 'Unassigned';

// A report across packs is read in one zone; without one asked for, the fallback.
export const DEFAULT_REPORT_ZONE = FALLBACK_ZONE;

export interface ComplianceInput {
  /** The moment the report is made (ISO instant). */
  now: string;
  /** First and last day of the period, YYYY-MM-DD, both included. */
  from: string;
  to: string;
  /** Only this team's relationships (teams as in `teamOf`). */
  team?: string;
  /** The zone the period and "today" are read in (default Europe/London). */
  timeZone?: string;
  policies: Map<string, PolicyPack> | Record<string, PolicyPack>;
  people: Person[];
  /** The relationships the report may cover (the caller has already decided who may see what). */
  relationships: Relationship[];
  sessions: Session[];
  /** Current record versions; earlier versions may be included too (the earliest signed one decides "on time"). */
  records: SupervisionRecord[];
  agreements: Agreement[];
  actions: ActionItem[];
  grades: QaGrade[];
  externalVisits?: ExternalVisit[];
  /** Sessions whose attendance was recorded (a Teams meeting ended with both present): confirmed as held. */
  attendedSessionIds?: readonly string[];
  /** Also list the named items behind every figure (the drill-down); off for the plain report. */
  withItems?: boolean;
}

/**
 * One named thing behind a figure: the session, record, agreement, obligation
 * or grade a count is made of. Names and dates only, never record content.
 */
export interface ComplianceItem {
  figure: FigureKey;
  relationshipId: string;
  team: string;
  kind: 'arrangement' | 'session' | 'record' | 'agreement' | 'obligation' | 'grade';
  /** The session, record, agreement, obligation or grade id (the arrangement's id for arrangement items). */
  id: string;
  /** When (ISO instant or date), where the item has a time. */
  at?: string;
  supervisor: string;
  supervisees: string[];
  /** What it is, in words, without case detail. */
  label: string;
}

export interface RelationshipFigures extends Figures {
  relationshipId: string;
  team: string;
  kind: Relationship['kind'];
  active: boolean;
  supervisorId: string;
  supervisor: string;
  superviseeIds: string[];
  supervisees: string[];
  policyId: string;
  policy: string;
  staffGroupId: string;
  /** The policy's rolling minimum, where it has one, and the sessions held in its window. */
  rollingMinimum?: { count: number; window: string; held: number };
}

export interface TeamFigures extends Figures {
  team: string;
}

export interface ComplianceReport {
  now: string;
  from: string;
  to: string;
  timeZone: string;
  team?: string;
  /** Relationships left out because something stored for them could not be read (each reported, the rest counted). */
  skipped?: { relationshipId: string; reason: string }[];
  /** Every team of the relationships the report may cover (before the team filter), sorted. */
  teamsAvailable: string[];
  /** Sorted by team name. */
  teams: TeamFigures[];
  /** Sorted by team, then supervisee name, then id. */
  relationships: RelationshipFigures[];
  organisation: Figures;
  figures: { key: FigureKey; label: string; definition: string }[];
  /** Only with `withItems`: the items behind each figure of each relationship row. */
  items?: ComplianceItem[];
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function emptyFigures(): Figures {
  return Object.fromEntries(FIGURES.map((f) => [f.key, 0])) as Figures;
}

function addInto(total: Figures, row: Figures): void {
  for (const f of FIGURES) total[f.key] += row[f.key];
}

/** Only the figures of a row (no names or ids). */
export function figuresOf(row: Figures): Figures {
  return Object.fromEntries(FIGURES.map((f) => [f.key, row[f.key]])) as Figures;
}

/**
 * The team a relationship is reported under: the team of its supervisee (for a
 * group, the team most of its supervisees are in; ties go to the first name in
 * alphabetical order). Unknown people count as "Unassigned".
 */
export function teamOf(rel: Relationship, people: Map<string, Person>): string {
  const counts = new Map<string, number>();
  for (const id of rel.superviseeIds) {
    const team = people.get(id)?.team?.trim() || UNASSIGNED_TEAM;
    counts.set(team, (counts.get(team) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [team, count] of [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (count > bestCount) {
      best = team;
      bestCount = count;
    }
  }
  return best ?? UNASSIGNED_TEAM;
}

/** When a record version was completed (signed, or signed with a disagreement); undefined while it is not. */
export function completedAt(record: SupervisionRecord): number | undefined {
  if (record.status === 'signed') {
    const last = record.signatures.reduce((m, s) => Math.max(m, Date.parse(s.at)), Number.NEGATIVE_INFINITY);
    return Number.isFinite(last) ? last : Date.parse(record.updatedAt);
  }
  if (record.status === 'disagreed') return Date.parse(record.disagreement?.at ?? record.updatedAt);
  return undefined;
}

/** The period [start, end) in epoch ms: midnight at the start of `from` to midnight after `to`, in `zone`. */
export function periodBounds(from: string, to: string, zone: string): { start: number; end: number } {
  if (!DATE_RE.test(from)) throw new Error(`from: must be a date YYYY-MM-DD (got ${JSON.stringify(from)})`);
  if (!DATE_RE.test(to)) throw new Error(`to: must be a date YYYY-MM-DD (got ${JSON.stringify(to)})`);
  const start = DateTime.fromISO(from, { zone });
  const end = DateTime.fromISO(to, { zone }).plus({ days: 1 });
  if (!start.isValid || !end.isValid) throw new Error(`not a valid period ${from}..${to} in ${zone}`);
  if (end <= start) throw new Error('to: must not be before from');
  return { start: start.toMillis(), end: end.toMillis() };
}

function toMap<T>(m: Map<string, T> | Record<string, T>): Map<string, T> {
  return m instanceof Map ? m : new Map(Object.entries(m));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The review date of a signed agreement: the earlier of its own and the policy's review period from signing (see reviewDue). */
function reviewDate(a: Agreement, policy: PolicyPack | undefined, zone: string): string {
  return reviewDue(a, policy?.agreements.reviewEvery ?? 'P1Y', policy?.timeZone ?? zone).date;
}

export function complianceReport(input: ComplianceInput): ComplianceReport {
  const zone = input.timeZone ?? DEFAULT_REPORT_ZONE;
  const nowDt = DateTime.fromISO(input.now, { zone });
  if (!nowDt.isValid) throw new Error(`now: must be an ISO 8601 instant (got ${JSON.stringify(input.now)})`);
  const now = nowDt.toMillis();
  const period = periodBounds(input.from, input.to, zone);
  const inPeriod = (ms: number) => ms >= period.start && ms < period.end;
  const twelveMonthsAgo = nowDt.minus({ months: 12 }).toMillis();

  const policies = toMap(input.policies);
  const calendars = new Map<string, PolicyCalendar>();
  const calendarOf = (policy: PolicyPack) => {
    let c = calendars.get(policy.id);
    if (!c) calendars.set(policy.id, (c = new PolicyCalendar(policy)));
    return c;
  };
  const people = new Map(input.people.map((p) => [p.id, p]));
  const nameOf = (id: string) => people.get(id)?.displayName ?? 'Unknown';

  const sessionsByRel = groupBy(input.sessions, (s) => s.relationshipId);
  const gradesByRel = groupBy(input.grades, (g) => g.relationshipId);
  const agreementsByRel = groupBy(input.agreements, (a) => a.relationshipId);
  // Held means confirmed (see FIGURES): a record submitted at some version, or attendance recorded.
  const confirmed = new Set<string>(input.attendedSessionIds ?? []);
  for (const r of input.records) if (r.status !== 'draft' || r.submittedAt) confirmed.add(r.sessionId);
  // Per session: the current record (highest version) and the earliest completion of any version.
  const currentRecord = new Map<string, SupervisionRecord>();
  const firstCompleted = new Map<string, number>();
  for (const r of input.records) {
    const cur = currentRecord.get(r.sessionId);
    if (!cur || r.version > cur.version) currentRecord.set(r.sessionId, r);
    const done = completedAt(r);
    if (done !== undefined && Number.isFinite(done)) {
      const prev = firstCompleted.get(r.sessionId);
      if (prev === undefined || done < prev) firstCompleted.set(r.sessionId, done);
    }
  }

  // One bad item (an impossible stored date, a corrupt row) is reported and skipped; the report goes on.
  const skipped = new Map<string, string>();
  const skip = (relationshipId: string, reason: string) => void (skipped.has(relationshipId) || skipped.set(relationshipId, reason.slice(0, 200)));

  // Overdue obligations, from the due engine over the same history (current record versions only).
  const overdue = new Map<string, number>();
  const overdueList: Obligation[] = [];
  for (const o of dueObligations({
    now: nowDt.toUTC().toISO()!,
    policies,
    relationships: input.relationships,
    sessions: input.sessions,
    records: [...currentRecord.values()],
    actions: input.actions,
    agreements: input.agreements,
    externalVisits: input.externalVisits,
    onSkipped: (relationshipId, reason) => skip(relationshipId, reason),
  })) {
    if (o.state !== 'overdue') continue;
    overdue.set(o.relationshipId, (overdue.get(o.relationshipId) ?? 0) + 1);
    if (input.withItems) overdueList.push(o);
  }
  const overdueByRel = groupBy(overdueList, (o) => o.relationshipId);
  const items: ComplianceItem[] = [];

  const teamsAvailable = new Set<string>();
  const rows: RelationshipFigures[] = [];
  for (const rel of input.relationships) {
    if (skipped.has(rel.id)) continue;
    try {
    const team = teamOf(rel, people);
    const sessions = sessionsByRel.get(rel.id) ?? [];
    const anyInPeriod = sessions.some((s) => inPeriod(Date.parse(s.occurrenceStart ?? s.start)) || inPeriod(Date.parse(s.start)));
    if (!rel.active && !anyInPeriod) continue;
    teamsAvailable.add(team);
    if (input.team !== undefined && input.team !== team) continue;

    const policy = policies.get(rel.policyId);
    const group = policy?.staffGroups.find((g) => g.id === rel.staffGroupId);
    const f = emptyFigures();
    f.relationships = 1;
    const supervisor = nameOf(rel.supervisorId);
    const supervisees = rel.superviseeIds.map(nameOf);
    const note = (figure: FigureKey, kind: ComplianceItem['kind'], id: string, label: string, at?: string) => {
      if (input.withItems) items.push({ figure, relationshipId: rel.id, team, kind, id, ...(at ? { at } : {}), supervisor, supervisees, label });
    };
    const count = (figure: FigureKey, kind: ComplianceItem['kind'], id: string, label: string, at?: string) => {
      f[figure] += 1;
      note(figure, kind, id, label, at);
    };
    const whenOf = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL yyyy HH:mm');
    note('relationships', 'arrangement', rel.id, `${rel.kind === 'group' ? 'Group' : 'Individual'} supervision of ${supervisees.join(', ')} by ${supervisor}${rel.active ? '' : ' (ended)'}`);

    for (const s of sessions) {
      const start = Date.parse(s.start);
      const original = Date.parse(s.occurrenceStart ?? s.start);
      if (!Number.isFinite(start) || !Number.isFinite(original)) continue;
      const what = (words: string, ms = start) => `${s.kind === 'planned' ? 'Session' : s.kind === 'urgent' ? 'Urgent session' : 'Rebooked session'} on ${whenOf(ms)}: ${words}`;
      // Due: what the plan asked for (booked sessions), once their original time has come.
      if (s.kind === 'planned' && inPeriod(original) && original <= now) count('sessionsDue', 'session', s.id, what(s.status === 'planned' && Date.parse(s.end) > now ? 'booked' : s.status, original), s.occurrenceStart ?? s.start);
      if (s.status === 'cancelled' && inPeriod(original)) count('cancelled', 'session', s.id, what('cancelled', original), s.occurrenceStart ?? s.start);
      if (s.status === 'missed' && inPeriod(original)) count('missed', 'session', s.id, what('missed', original), s.occurrenceStart ?? s.start);
      if (s.kind === 'rebooked' && inPeriod(start)) count('rebooked', 'session', s.id, what(s.status), s.start);
      // Took place as far as the calendar knows: marked held, or its end has passed while still booked.
      const tookPlace = s.status === 'held' || (s.status === 'planned' && Date.parse(s.end) <= now);
      if (!tookPlace) continue;
      const isConfirmed = confirmed.has(s.id);
      if (isConfirmed && start > twelveMonthsAgo && start <= now) count('rolling12MonthHeld', 'session', s.id, what('held'), s.start);
      if (!inPeriod(start)) continue;
      if (isConfirmed) count('held', 'session', s.id, what('held'), s.start);
      else count('unconfirmed', 'session', s.id, what('time passed, nothing recorded'), s.start);
      // Held while the agreement was out of date (issue 18): flagged where the policy requires one.
      if (policy?.agreements.required) {
        const day = DateTime.fromMillis(start, { zone: policy.timeZone }).toISODate()!;
        const check = agreementOnDay(agreementsByRel.get(rel.id) ?? [], day, { reviewEvery: policy.agreements.reviewEvery, timeZone: policy.timeZone }, s.start);
        if (check.finding !== 'in-date') count('heldWithoutAgreement', 'session', s.id, what(agreementWords(check)), s.start);
      }
      // Records: one owed per session that took place.
      const record = currentRecord.get(s.id);
      const recordRef = record?.id ?? s.id;
      const recordKind = record ? 'record' : 'session';
      count('recordsDue', recordKind, recordRef, `Record of the session on ${whenOf(start)}: ${record ? record.status : 'not started'}`, s.start);
      const done = firstCompleted.get(s.id);
      const deadline = policy ? calendarOf(policy).workingDayDeadline(Date.parse(s.end), policy.records.deadlineWorkingDays) : Number.POSITIVE_INFINITY;
      if (done !== undefined) {
        if (done <= deadline) count('recordsOnTime', recordKind, recordRef, `Record of the session on ${whenOf(start)}: signed ${whenOf(done)}`, new Date(done).toISOString());
        else count('recordsLate', recordKind, recordRef, `Record of the session on ${whenOf(start)}: signed ${whenOf(done)}, after the deadline ${whenOf(deadline)}`, new Date(done).toISOString());
      } else {
        count('recordsOutstanding', recordKind, recordRef, `Record of the session on ${whenOf(start)}: ${record ? record.status : 'not started'}`, s.start);
        if (now > deadline) count('recordsOverdue', recordKind, recordRef, `Record of the session on ${whenOf(start)}: overdue since ${whenOf(deadline)}`, new Date(deadline).toISOString());
      }
    }

    let rollingMinimum: RelationshipFigures['rollingMinimum'];
    if (rel.active) {
      if (policy?.agreements.required) {
        const today = nowDt.setZone(policy.timeZone).toISODate()!;
        const signed = (agreementsByRel.get(rel.id) ?? []).filter((a) => a.status === 'signed');
        const latestAgreement = signed.map((a) => ({ a, review: reviewDate(a, policy, policy.timeZone) })).sort((x, y) => x.review.localeCompare(y.review)).at(-1);
        const agreementRef = latestAgreement?.a.id ?? rel.id;
        count('agreementsTotal', latestAgreement ? 'agreement' : 'arrangement', agreementRef, latestAgreement ? `Agreement signed, review by ${latestAgreement.review}` : 'No signed agreement', latestAgreement?.review);
        if (latestAgreement !== undefined && latestAgreement.review >= today) count('agreementsInDate', 'agreement', agreementRef, `Agreement signed, review by ${latestAgreement.review}`, latestAgreement.review);
      }
      const minimum = group?.requirements.find((r) => r.kind === 'rolling-minimum');
      if (minimum && minimum.kind === 'rolling-minimum') {
        const windowStart = DateTime.fromMillis(now, { zone: policy!.timeZone }).minus(Duration.fromISO(minimum.window)).toMillis();
        const held = sessions.filter((s) => s.status === 'held' && confirmed.has(s.id) && Date.parse(s.start) > windowStart && Date.parse(s.start) <= now).length;
        rollingMinimum = { count: minimum.count, window: minimum.window, held };
        count('rollingMinimumApplies', 'arrangement', rel.id, `Needs ${minimum.count} sessions in ${minimum.window}; ${held} held`);
        if (held >= minimum.count) count('rollingMinimumMet', 'arrangement', rel.id, `Needs ${minimum.count} sessions in ${minimum.window}; ${held} held`);
      }
    }
    f.overdueObligations = overdue.get(rel.id) ?? 0;
    for (const o of overdueByRel.get(rel.id) ?? []) note('overdueObligations', 'obligation', o.id, o.explanation, o.dueAt);

    // QA: each auditor's latest grade of each record, given in the period.
    const latestGrade = new Map<string, QaGrade>();
    for (const g of gradesByRel.get(rel.id) ?? []) {
      const key = `${g.recordId}\u0000${g.auditorId}`;
      const prev = latestGrade.get(key);
      if (!prev || g.at > prev.at || (g.at === prev.at && g.id > prev.id)) latestGrade.set(key, g);
    }
    for (const g of latestGrade.values()) {
      if (inPeriod(Date.parse(g.at)) && QA_FIGURE[g.category]) count(QA_FIGURE[g.category], 'grade', g.id, `Record ${g.recordId} graded ${QA_CATEGORY_INFO[g.category].name} by ${nameOf(g.auditorId)}`, g.at);
    }

    rows.push({
      ...f,
      relationshipId: rel.id,
      team,
      kind: rel.kind,
      active: rel.active,
      supervisorId: rel.supervisorId,
      supervisor,
      superviseeIds: [...rel.superviseeIds],
      supervisees,
      policyId: rel.policyId,
      policy: policy?.name ?? rel.policyId,
      staffGroupId: rel.staffGroupId,
      ...(rollingMinimum ? { rollingMinimum } : {}),
    });
    } catch (err) {
      skip(rel.id, err instanceof Error ? err.message : String(err));
    }
  }

  rows.sort((a, b) => a.team.localeCompare(b.team) || a.supervisees.join(', ').localeCompare(b.supervisees.join(', ')) || a.relationshipId.localeCompare(b.relationshipId));
  const byTeam = new Map<string, TeamFigures>();
  const organisation = emptyFigures();
  for (const row of rows) {
    let t = byTeam.get(row.team);
    if (!t) byTeam.set(row.team, (t = { team: row.team, ...emptyFigures() }));
    addInto(t, row);
    addInto(organisation, row);
  }
  return {
    now: nowDt.toUTC().toISO()!,
    from: input.from,
    to: input.to,
    timeZone: zone,
    ...(input.team !== undefined ? { team: input.team } : {}),
    teamsAvailable: [...teamsAvailable].sort((a, b) => a.localeCompare(b)),
    teams: [...byTeam.values()].sort((a, b) => a.team.localeCompare(b.team)),
    relationships: rows,
    organisation,
    figures: FIGURES.map((f) => ({ key: f.key, label: f.label, definition: f.definition })),
    ...(input.withItems ? { items } : {}),
    ...(skipped.size ? { skipped: [...skipped].map(([relationshipId, reason]) => ({ relationshipId, reason })) } : {}),
  };
}

// ---------------------------------------------------------------------------
// The export table: the same report as rows (the CSV is this, stringified)

export const EXPORT_LEVELS = ['organisation', 'team', 'relationship'] as const;

/** Identity columns before the figures, then one column per figure (headed by its label). */
export const EXPORT_ID_COLUMNS = ['Level', 'Team', 'Arrangement', 'Supervisor', 'Supervisee(s)', 'Policy', 'Period from', 'Period to', 'As at'] as const;

export function complianceExportTable(report: ComplianceReport): { header: string[]; rows: (string | number)[][] } {
  const header = [...EXPORT_ID_COLUMNS, ...FIGURES.map((f) => f.label)];
  const period = [report.from, report.to, report.now];
  const values = (f: Figures) => FIGURES.map((x) => f[x.key]);
  const rows: (string | number)[][] = [
    ['organisation', report.team ?? 'All teams', '', '', '', '', ...period, ...values(report.organisation)],
    ...report.teams.map((t) => ['team', t.team, '', '', '', '', ...period, ...values(t)]),
    ...report.relationships.map((r) => ['relationship', r.team, r.relationshipId, r.supervisor, r.supervisees.join('; '), r.policy, ...period, ...values(r)]),
  ];
  return { header, rows };
}
