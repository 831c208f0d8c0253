/**
 * The evidence pack (pure): for one practitioner (their own supervision) or
 * one team, over a period, what an inspector asks to see: sessions due, held,
 * cancelled (and by whom), rebooked (and how fast), the longest gap between
 * held sessions, records on time and signed by both sides, actions with their
 * age and how often they were carried forward, agreement status, and QA grades
 * with comments.
 *
 * The figures are the compliance report's own (domain/compliance), computed
 * over the same relationships, so a pack and the compliance view for the same
 * period and arrangements always agree; the lists are the items behind them.
 */
import { DateTime } from 'luxon';
import { complianceReport, FIGURES, teamOf, type ComplianceInput, type ComplianceItem, type Figures, type QaGrade, QA_CATEGORY_INFO } from '../compliance';
import type { Person, Relationship, Session } from '../model';
import { actionAgeDays, timesCarriedForward } from './actions';
import { MARKING, percentOf, type ReportDoc } from './document';

const DAY = 86_400_000;

export type PackSubject = { kind: 'practitioner'; personId: string } | { kind: 'team'; team: string };

export interface EvidencePackInput extends Omit<ComplianceInput, 'team' | 'withItems'> {
  subject: PackSubject;
  /** Who cancelled each cancelled session (by session id), as far as the audit log knows. */
  cancelledBy?: Record<string, string>;
}

export type PackSessionState = 'held' | 'unconfirmed' | 'cancelled' | 'missed' | 'booked';

export interface PackSession {
  id: string;
  relationshipId: string;
  start: string;
  /** The slot the plan gave it (differs from start when moved). */
  originalStart: string;
  kind: Session['kind'];
  state: PackSessionState;
  supervisor: string;
  supervisees: string[];
  cancelledBy?: string;
  /** For a cancelled or missed session: its replacement and how many days later it took place. */
  rebookedAs?: { sessionId: string; start: string; daysLater: number };
}

export interface PackRecord {
  recordId?: string;
  sessionId: string;
  sessionStart: string;
  status: string;
  version?: number;
  timeliness: 'on time' | 'late' | 'outstanding' | 'overdue';
  signedBySupervisor: boolean;
  signedBySupervisees: boolean;
  signedByBoth: boolean;
}

export interface PackAction {
  id: string;
  relationshipId: string;
  text: string;
  owner: string;
  dueOn: string;
  status: string;
  ageDays: number;
  carriedForward: number;
}

export interface PackAgreement {
  relationshipId: string;
  supervisor: string;
  supervisees: string[];
  status: 'signed' | 'draft' | 'none';
  reviewOn?: string;
  inDate: boolean;
  signedBy: string[];
}

export interface PackGrade {
  recordId: string;
  category: string;
  auditor: string;
  at: string;
  comment: string;
}

export interface EvidencePack {
  subject: { kind: PackSubject['kind']; id: string; name: string };
  from: string;
  to: string;
  now: string;
  timeZone: string;
  figures: { key: string; label: string; value: number }[];
  sessions: PackSession[];
  rebooked: { cancelledSessionId: string; originalStart: string; replacementId: string; replacementStart: string; daysLater: number }[];
  /** The longest stretch without a held session that touches the period, per arrangement's history. */
  longestGap?: { days: number; from: string; to: string; relationshipId: string; openEnded: boolean };
  records: PackRecord[];
  actions: PackAction[];
  agreements: PackAgreement[];
  grades: PackGrade[];
  /** Per month of the period: sessions held, unconfirmed, cancelled and missed (for the chart). */
  byMonth: { month: string; held: number; unconfirmed: number; cancelled: number; missed: number }[];
}

function relationshipsFor(subject: PackSubject, rels: Relationship[], people: Map<string, Person>): Relationship[] {
  if (subject.kind === 'practitioner') return rels.filter((r) => r.superviseeIds.includes(subject.personId));
  return rels.filter((r) => teamOf(r, people) === subject.team);
}

export function evidencePack(input: EvidencePackInput): EvidencePack {
  const people = new Map(input.people.map((p) => [p.id, p]));
  const nameOf = (id: string) => people.get(id)?.displayName ?? 'Unknown';
  const rels = relationshipsFor(input.subject, input.relationships, people);
  const relIds = new Set(rels.map((r) => r.id));
  const report = complianceReport({ ...input, relationships: rels, withItems: true });
  const zone = report.timeZone;
  const now = Date.parse(report.now);
  const items = report.items ?? [];
  const ids = (figure: ComplianceItem['figure']) => new Set(items.filter((i) => i.figure === figure).map((i) => i.id));
  const held = ids('held');
  const unconfirmed = ids('unconfirmed');
  const cancelled = ids('cancelled');
  const missed = ids('missed');
  const onTime = ids('recordsOnTime');
  const late = ids('recordsLate');
  const overdue = ids('recordsOverdue');
  const rows = new Map(report.relationships.map((r) => [r.relationshipId, r]));
  const inReport = (relId: string) => rows.has(relId);

  const sessions = input.sessions.filter((s) => relIds.has(s.relationshipId) && inReport(s.relationshipId));
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const replacements = new Map(sessions.filter((s) => s.replacesSessionId).map((s) => [s.replacesSessionId!, s]));
  const daysBetween = (a: string, b: string) => Math.round(((Date.parse(b) - Date.parse(a)) / DAY) * 10) / 10;
  const periodStart = DateTime.fromISO(report.from, { zone }).toMillis();
  const periodEnd = DateTime.fromISO(report.to, { zone }).plus({ days: 1 }).toMillis();

  // Every session counted by a figure, once, in time order.
  const listed = new Set([...held, ...unconfirmed, ...cancelled, ...missed, ...ids('sessionsDue'), ...ids('rebooked')]);
  const packSessions: PackSession[] = [...listed]
    .map((id) => byId.get(id))
    .filter((s): s is Session => Boolean(s))
    .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id))
    .map((s) => {
      const rel = rows.get(s.relationshipId)!;
      const state: PackSessionState = held.has(s.id) ? 'held' : unconfirmed.has(s.id) ? 'unconfirmed' : s.status === 'cancelled' ? 'cancelled' : s.status === 'missed' ? 'missed' : 'booked';
      const replacement = replacements.get(s.id);
      const by = input.cancelledBy?.[s.id];
      return {
        id: s.id,
        relationshipId: s.relationshipId,
        start: s.start,
        originalStart: s.occurrenceStart ?? s.start,
        kind: s.kind,
        state,
        supervisor: rel.supervisor,
        supervisees: rel.supervisees,
        ...(state === 'cancelled' ? { cancelledBy: by ? nameOf(by) : 'not known (cancelled in the calendar)' } : {}),
        ...(replacement && (state === 'cancelled' || state === 'missed')
          ? { rebookedAs: { sessionId: replacement.id, start: replacement.start, daysLater: daysBetween(s.occurrenceStart ?? s.start, replacement.start) } }
          : {}),
      };
    });
  const rebooked = sessions
    .filter((s) => s.kind === 'rebooked' && s.replacesSessionId && ids('rebooked').has(s.id))
    .map((s) => {
      const original = byId.get(s.replacesSessionId!);
      const originalStart = original ? (original.occurrenceStart ?? original.start) : s.start;
      return { cancelledSessionId: s.replacesSessionId!, originalStart, replacementId: s.id, replacementStart: s.start, daysLater: daysBetween(originalStart, s.start) };
    });

  // Longest gap: between consecutive held (confirmed) sessions of an arrangement, counting the
  // stretch from the last one before the period, and the open stretch up to the period's end.
  const confirmed = new Set<string>(input.attendedSessionIds ?? []);
  for (const r of input.records) if (r.status !== 'draft' || r.submittedAt) confirmed.add(r.sessionId);
  const confirmedAll = (s: Session) => (s.status === 'held' || s.status === 'planned') && confirmed.has(s.id);
  let longestGap: EvidencePack['longestGap'];
  for (const rel of rels) {
    if (!inReport(rel.id)) continue;
    const starts = sessions.filter((s) => s.relationshipId === rel.id && confirmedAll(s)).map((s) => Date.parse(s.start)).sort((a, b) => a - b);
    const end = Math.min(now, periodEnd);
    const points = [...starts.filter((t) => t < end)];
    const before = points.filter((t) => t < periodStart).at(-1);
    const within = points.filter((t) => t >= periodStart);
    const seq = [...(before !== undefined ? [before] : []), ...within];
    const consider = (a: number, b: number, openEnded: boolean) => {
      const days = Math.round(((b - a) / DAY) * 10) / 10;
      if (!longestGap || days > longestGap.days) longestGap = { days, from: new Date(a).toISOString(), to: new Date(b).toISOString(), relationshipId: rel.id, openEnded };
    };
    for (let i = 1; i < seq.length; i++) consider(seq[i - 1]!, seq[i]!, false);
    if (seq.length) consider(seq[seq.length - 1]!, end, true);
  }

  // Records: one per session that took place in the period.
  const recordsBySession = new Map<string, (typeof input.records)[number]>();
  for (const r of input.records) {
    const cur = recordsBySession.get(r.sessionId);
    if (!cur || r.version > cur.version) recordsBySession.set(r.sessionId, r);
  }
  const records: PackRecord[] = packSessions
    .filter((s) => s.state === 'held' || s.state === 'unconfirmed')
    .map((s) => {
      const r = recordsBySession.get(s.id);
      const rel = rels.find((x) => x.id === s.relationshipId)!;
      const signed = new Set((r?.signatures ?? []).map((x) => x.personId));
      const bySupervisor = signed.has(rel.supervisorId);
      const bySupervisees = rel.superviseeIds.every((id) => signed.has(id));
      const key = r?.id ?? s.id;
      return {
        ...(r ? { recordId: r.id, version: r.version } : {}),
        sessionId: s.id,
        sessionStart: s.start,
        status: r?.status ?? 'not started',
        timeliness: onTime.has(key) ? 'on time' : late.has(key) ? 'late' : overdue.has(key) ? 'overdue' : 'outstanding',
        signedBySupervisor: bySupervisor,
        signedBySupervisees: bySupervisees,
        signedByBoth: bySupervisor && bySupervisees,
      };
    });

  const actions: PackAction[] = input.actions
    .filter((a) => relIds.has(a.relationshipId) && inReport(a.relationshipId))
    .filter((a) => {
      const own = byId.get(a.sessionId);
      const agreed = own ? Date.parse(own.start) : periodStart;
      const closed = a.status !== 'open' && a.completedAt ? Date.parse(a.completedAt) : Number.POSITIVE_INFINITY;
      return agreed < periodEnd && closed >= periodStart;
    })
    .map((a) => ({
      id: a.id,
      relationshipId: a.relationshipId,
      text: a.text,
      owner: nameOf(a.ownerId),
      dueOn: a.dueOn,
      status: a.status,
      ageDays: actionAgeDays(a, input.sessions, Math.min(now, periodEnd)),
      carriedForward: timesCarriedForward(a, input.sessions),
    }))
    .sort((a, b) => b.carriedForward - a.carriedForward || b.ageDays - a.ageDays || a.id.localeCompare(b.id));

  const inDate = ids('agreementsInDate');
  const agreements: PackAgreement[] = report.relationships.map((row) => {
    const list = input.agreements.filter((a) => a.relationshipId === row.relationshipId);
    const signed = list.filter((a) => a.status === 'signed').sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
    const latest = signed ?? list.at(-1);
    return {
      relationshipId: row.relationshipId,
      supervisor: row.supervisor,
      supervisees: row.supervisees,
      status: latest ? latest.status : 'none',
      ...(latest?.reviewOn ? { reviewOn: latest.reviewOn } : {}),
      inDate: latest ? inDate.has(latest.id) : false,
      signedBy: (latest?.signatures ?? []).map((s) => nameOf(s.personId)),
    };
  });

  const gradeIds = new Set(items.filter((i) => i.kind === 'grade').map((i) => i.id));
  const grades: PackGrade[] = input.grades
    .filter((g: QaGrade) => gradeIds.has(g.id))
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((g) => ({ recordId: g.recordId, category: QA_CATEGORY_INFO[g.category].name, auditor: nameOf(g.auditorId), at: g.at, comment: g.comment }));

  const months = new Map<string, EvidencePack['byMonth'][number]>();
  for (let m = DateTime.fromISO(report.from, { zone }).startOf('month'); m.toMillis() < periodEnd; m = m.plus({ months: 1 })) {
    const key = m.toFormat('yyyy-LL');
    months.set(key, { month: key, held: 0, unconfirmed: 0, cancelled: 0, missed: 0 });
  }
  for (const s of packSessions) {
    if (s.state === 'booked') continue;
    const when = s.state === 'cancelled' || s.state === 'missed' ? s.originalStart : s.start;
    const bucket = months.get(DateTime.fromISO(when, { zone }).toFormat('yyyy-LL'));
    if (bucket) bucket[s.state] += 1;
  }

  const figures: Figures = report.organisation;
  const subject =
    input.subject.kind === 'practitioner'
      ? { kind: 'practitioner' as const, id: input.subject.personId, name: nameOf(input.subject.personId) }
      : { kind: 'team' as const, id: input.subject.team, name: input.subject.team };
  return {
    subject,
    from: report.from,
    to: report.to,
    now: report.now,
    timeZone: zone,
    figures: FIGURES.map((f) => ({ key: f.key, label: f.label, value: figures[f.key] })),
    sessions: packSessions,
    rebooked,
    ...(longestGap ? { longestGap } : {}),
    records,
    actions,
    agreements,
    grades,
    byMonth: [...months.values()],
  };
}

/** The pack as a document for the PDF and CSV renderers (same figures, same labels as the compliance view). */
export function evidencePackDoc(pack: EvidencePack): ReportDoc {
  const zone = pack.timeZone;
  const when = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL yyyy HH:mm');
  const day = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('d LLL yyyy');
  const fig = (key: string) => pack.figures.find((f) => f.key === key)?.value ?? 0;
  const signedBoth = pack.records.filter((r) => r.signedByBoth).length;
  return {
    kind: 'evidence-pack',
    title: `Supervision evidence pack: ${pack.subject.name}`,
    subtitle: `${pack.subject.kind === 'team' ? 'Team' : 'Practitioner'} ${pack.subject.name}: ${day(pack.from)} to ${day(pack.to)} (as at ${day(pack.now)})`,
    marking: MARKING,
    summary: [
      { label: 'Sessions due', value: fig('sessionsDue') },
      { label: 'Held', value: fig('held') },
      { label: 'Unconfirmed', value: fig('unconfirmed') },
      { label: 'Cancelled', value: fig('cancelled') },
      { label: 'Rebooked', value: fig('rebooked') },
      { label: 'Longest gap', value: pack.longestGap ? `${pack.longestGap.days} days (${day(pack.longestGap.from)} to ${day(pack.longestGap.to)}${pack.longestGap.openEnded ? ', still open' : ''})` : 'no held sessions' },
      { label: 'Records on time', value: `${fig('recordsOnTime')} of ${fig('recordsDue')} (${percentOf(fig('recordsOnTime'), fig('recordsDue'))})` },
      { label: 'Records signed by both', value: `${signedBoth} of ${pack.records.length}` },
      { label: 'Open actions', value: pack.actions.filter((a) => a.status === 'open').length },
      { label: 'Agreements in date', value: `${fig('agreementsInDate')} of ${fig('agreementsTotal')}` },
    ],
    charts: [
      {
        title: 'Sessions by month',
        categories: pack.byMonth.map((m) => DateTime.fromFormat(m.month, 'yyyy-LL', { zone }).toFormat('LLL yyyy')),
        series: [
          { label: 'Held', values: pack.byMonth.map((m) => m.held) },
          { label: 'Unconfirmed', values: pack.byMonth.map((m) => m.unconfirmed) },
          { label: 'Cancelled', values: pack.byMonth.map((m) => m.cancelled) },
          { label: 'Missed', values: pack.byMonth.map((m) => m.missed) },
        ],
      },
      {
        title: 'Records',
        categories: ['On time', 'Late', 'Outstanding'],
        series: [{ label: 'Records', values: [fig('recordsOnTime'), fig('recordsLate'), fig('recordsOutstanding')] }],
      },
    ],
    tables: [
      { title: 'Figures', columns: ['Figure', 'Value'], rows: pack.figures.map((f) => [f.label, f.value]) },
      {
        title: 'Sessions',
        columns: ['When', 'Planned for', 'Kind', 'State', 'Supervisor', 'Supervisee(s)', 'Cancelled (or kept cancelled) by', 'Rebooked to', 'Days later'],
        rows: pack.sessions.map((s) => [when(s.start), when(s.originalStart), s.kind, s.state, s.supervisor, s.supervisees.join('; '), s.cancelledBy ?? '', s.rebookedAs ? when(s.rebookedAs.start) : '', s.rebookedAs ? s.rebookedAs.daysLater : '']),
        empty: 'No sessions in this period.',
      },
      {
        title: 'Rebooked sessions',
        columns: ['Original slot', 'Rebooked to', 'Days later'],
        rows: pack.rebooked.map((r) => [when(r.originalStart), when(r.replacementStart), r.daysLater]),
        empty: 'Nothing was rebooked in this period.',
      },
      {
        title: 'Records',
        columns: ['Session', 'Status', 'Version', 'Timeliness', 'Signed by supervisor', 'Signed by supervisee(s)', 'Signed by both'],
        rows: pack.records.map((r) => [when(r.sessionStart), r.status, r.version ?? '', r.timeliness, r.signedBySupervisor ? 'yes' : 'no', r.signedBySupervisees ? 'yes' : 'no', r.signedByBoth ? 'yes' : 'no']),
        empty: 'No records were due in this period.',
      },
      {
        title: 'Actions',
        columns: ['Action', 'Owner', 'Due', 'Status', 'Age (days)', 'Carried forward (sessions)'],
        rows: pack.actions.map((a) => [a.text, a.owner, a.dueOn, a.status, a.ageDays, a.carriedForward]),
        empty: 'No actions in this period.',
      },
      {
        title: 'Agreements',
        columns: ['Supervisee(s)', 'Supervisor', 'Status', 'Review by', 'In date', 'Signed by'],
        rows: pack.agreements.map((a) => [a.supervisees.join('; '), a.supervisor, a.status, a.reviewOn ?? '', a.inDate ? 'yes' : 'no', a.signedBy.join('; ')]),
        empty: 'No arrangements.',
      },
      {
        title: 'Quality-assurance grades',
        columns: ['Record', 'Grade', 'Auditor', 'When', 'Comment'],
        rows: pack.grades.map((g) => [g.recordId, g.category, g.auditor, day(g.at), g.comment]),
        empty: 'No records were graded in this period.',
      },
    ],
    notes: [
      'Held means confirmed by a submitted record or recorded attendance; a session whose time passed with nothing recorded is unconfirmed.',
      "The figures are the compliance view's for the same arrangements and period.",
    ],
  };
}
