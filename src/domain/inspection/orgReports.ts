/**
 * The reports the seed organisations' own texts name (pure), each built from
 * the compliance report so its figures are the compliance view's:
 *
 *  - `monthly-return`: Leicestershire's monthly compliance return ("teams across
 *    Early Help and Social Care provide a monthly return", policy L252);
 *  - `quarterly-uptake`: Staffordshire and Stoke-on-Trent ICB's quarterly report
 *    of safeguarding supervision uptake to the Quality and Safety Committee (L159);
 *  - `governors-external`: Lingfield's report to the local governing body of
 *    when external supervision took place ("Recording Supervision", L90).
 */
import { DateTime } from 'luxon';
import { complianceReport, type ComplianceInput, type ComplianceReport, type RelationshipFigures } from '../compliance';
import type { PolicyPack } from '../policy/schema';
import { MARKING, percentOf, type ReportDoc } from './document';

export const REPORT_KINDS = ['monthly-return', 'quarterly-uptake', 'governors-external'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_TITLES: Record<ReportKind, string> = {
  'monthly-return': 'Monthly supervision compliance return',
  'quarterly-uptake': 'Quarterly safeguarding supervision uptake report',
  'governors-external': "Governors' report: when supervision and external supervision took place",
};

export type OrgReportInput = Omit<ComplianceInput, 'withItems'> & { kind: ReportKind; organisation: string };

const fmtDay = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('d LLL yyyy');

export function organisationReport(input: OrgReportInput): ReportDoc {
  const report = complianceReport({ ...input, withItems: true });
  const zone = report.timeZone;
  const subtitle = `${input.organisation}${report.team ? `, ${report.team}` : ''}: ${fmtDay(report.from, zone)} to ${fmtDay(report.to, zone)} (as at ${fmtDay(report.now, zone)})`;
  const base = { kind: input.kind, title: REPORT_TITLES[input.kind], subtitle, marking: MARKING };
  if (input.kind === 'monthly-return') return { ...base, ...monthlyReturn(report) };
  if (input.kind === 'quarterly-uptake') return { ...base, ...quarterlyUptake(report) };
  return { ...base, ...governorsExternal(report, input) };
}

type Body = Pick<ReportDoc, 'summary' | 'charts' | 'tables' | 'notes'>;

const heldDates = (report: ComplianceReport, relationshipId: string) =>
  (report.items ?? [])
    .filter((i) => i.figure === 'held' && i.relationshipId === relationshipId && i.at)
    .map((i) => i.at!)
    .sort();

function headline(report: ComplianceReport): Body['summary'] {
  const o = report.organisation;
  return [
    { label: 'Sessions due', value: o.sessionsDue },
    { label: 'Held', value: o.held },
    { label: 'Unconfirmed', value: o.unconfirmed },
    { label: 'Cancelled', value: o.cancelled },
    { label: 'Rebooked', value: o.rebooked },
    { label: 'Missed', value: o.missed },
    { label: 'Records on time', value: `${o.recordsOnTime} of ${o.recordsDue} (${percentOf(o.recordsOnTime, o.recordsDue)})` },
    { label: 'Agreements in date', value: `${o.agreementsInDate} of ${o.agreementsTotal}` },
    { label: 'Overdue obligations', value: o.overdueObligations },
  ];
}

function monthlyReturn(report: ComplianceReport): Body {
  const zone = report.timeZone;
  const last = (r: RelationshipFigures) => heldDates(report, r.relationshipId).at(-1);
  return {
    summary: headline(report),
    charts: [
      {
        title: 'Sessions by team',
        categories: report.teams.map((t) => t.team),
        series: [
          { label: 'Held', values: report.teams.map((t) => t.held) },
          { label: 'Unconfirmed', values: report.teams.map((t) => t.unconfirmed) },
          { label: 'Cancelled', values: report.teams.map((t) => t.cancelled) },
          { label: 'Missed', values: report.teams.map((t) => t.missed) },
        ],
      },
    ],
    tables: [
      {
        title: 'By team',
        columns: ['Team', 'Arrangements', 'Due', 'Held', 'Unconfirmed', 'Cancelled', 'Rebooked', 'Missed', 'Records due', 'On time', 'Late', 'Outstanding', 'Agreements in date', 'Agreements required', 'Overdue obligations'],
        rows: report.teams.map((t) => [t.team, t.relationships, t.sessionsDue, t.held, t.unconfirmed, t.cancelled, t.rebooked, t.missed, t.recordsDue, t.recordsOnTime, t.recordsLate, t.recordsOutstanding, t.agreementsInDate, t.agreementsTotal, t.overdueObligations]),
      },
      {
        title: 'By practitioner',
        columns: ['Supervisee(s)', 'Supervisor', 'Team', 'Due', 'Held', 'Unconfirmed', 'Cancelled', 'Last held', 'Records on time', 'Records due', 'Agreement in date', 'Overdue obligations'],
        rows: report.relationships.map((r) => {
          const l = last(r);
          return [r.supervisees.join('; '), r.supervisor, r.team, r.sessionsDue, r.held, r.unconfirmed, r.cancelled, l ? fmtDay(l, zone) : 'none in period', r.recordsOnTime, r.recordsDue, r.agreementsTotal ? (r.agreementsInDate ? 'yes' : 'no') : 'not required', r.overdueObligations];
        }),
        empty: 'No supervision arrangements in this period.',
      },
    ],
    notes: [
      'Held means confirmed by a submitted record or recorded attendance; a session whose time passed with nothing recorded is counted as unconfirmed, not held.',
      'Figures are the compliance view\'s for the same period; every figure can be opened in the tab to see the items behind it.',
    ],
  };
}

function quarterlyUptake(report: ComplianceReport): Body {
  const staff = (team?: string) => new Set(report.relationships.filter((r) => team === undefined || r.team === team).flatMap((r) => r.superviseeIds));
  const supervised = (team?: string) => new Set(report.relationships.filter((r) => (team === undefined || r.team === team) && r.held > 0).flatMap((r) => r.superviseeIds));
  const o = report.organisation;
  const concerns = report.relationships.filter((r) => r.held < r.sessionsDue || r.overdueObligations > 0);
  return {
    summary: [
      { label: 'Uptake (held of due)', value: `${o.held} of ${o.sessionsDue} (${percentOf(o.held, o.sessionsDue)})` },
      { label: 'Staff supervised in the quarter', value: `${supervised().size} of ${staff().size}` },
      { label: 'Unconfirmed sessions', value: o.unconfirmed },
      { label: 'Records on time', value: `${o.recordsOnTime} of ${o.recordsDue} (${percentOf(o.recordsOnTime, o.recordsDue)})` },
      { label: 'Rolling minimum met', value: `${o.rollingMinimumMet} of ${o.rollingMinimumApplies}` },
      { label: 'Agreements in date', value: `${o.agreementsInDate} of ${o.agreementsTotal}` },
    ],
    charts: [
      {
        title: 'Uptake by team (% of due sessions held)',
        categories: report.teams.map((t) => t.team),
        series: [{ label: 'Uptake %', values: report.teams.map((t) => (t.sessionsDue ? Math.round((100 * t.held) / t.sessionsDue) : 0)) }],
        percent: true,
      },
    ],
    tables: [
      {
        title: 'Uptake by team',
        columns: ['Team', 'Staff', 'Staff supervised', 'Due', 'Held', 'Uptake', 'Unconfirmed', 'Cancelled', 'Missed', 'Records on time', 'QA: Challenge', 'QA: Support', 'QA: Maintain', 'QA: Promote'],
        rows: report.teams.map((t) => [t.team, staff(t.team).size, supervised(t.team).size, t.sessionsDue, t.held, percentOf(t.held, t.sessionsDue), t.unconfirmed, t.cancelled, t.missed, percentOf(t.recordsOnTime, t.recordsDue), t.qaChallenge, t.qaSupport, t.qaMaintain, t.qaPromote]),
      },
      {
        title: 'Periods of non-compliance',
        columns: ['Supervisee(s)', 'Supervisor', 'Team', 'Due', 'Held', 'Overdue obligations'],
        rows: concerns.map((r) => [r.supervisees.join('; '), r.supervisor, r.team, r.sessionsDue, r.held, r.overdueObligations]),
        empty: 'None: every arrangement held what was due and nothing is overdue.',
      },
    ],
    notes: ['For the Quality and Safety Committee. Held means confirmed by a submitted record or recorded attendance.'],
  };
}

function governorsExternal(report: ComplianceReport, input: OrgReportInput): Body {
  const zone = report.timeZone;
  const policies = input.policies instanceof Map ? input.policies : new Map(Object.entries(input.policies));
  const from = Date.parse(DateTime.fromISO(report.from, { zone }).toISO()!);
  const to = Date.parse(DateTime.fromISO(report.to, { zone }).plus({ days: 1 }).toISO()!);
  const visits = (relId: string) =>
    (input.externalVisits ?? [])
      .filter((v) => v.relationshipId === relId && Date.parse(v.at) >= from && Date.parse(v.at) < to)
      .map((v) => v.at)
      .sort();
  const required = (r: RelationshipFigures) => {
    const policy: PolicyPack | undefined = policies.get(r.policyId);
    const req = policy?.staffGroups.find((g) => g.id === r.staffGroupId)?.requirements.find((q) => q.kind === 'external-visits');
    return req && req.kind === 'external-visits' ? `${req.minimumPerYear} a year (${req.yearBasis} year)` : 'not required by the policy';
  };
  const rows = report.relationships.map((r) => {
    const held = heldDates(report, r.relationshipId);
    const external = visits(r.relationshipId);
    return [r.supervisees.join('; '), r.supervisor, r.team, held.length, held.map((d) => fmtDay(d, zone)).join(', ') || 'none', external.length, external.map((d) => fmtDay(d, zone)).join(', ') || 'none recorded', required(r)];
  });
  const externalTotal = rows.reduce((n, r) => n + Number(r[5]), 0);
  return {
    summary: [
      { label: 'Supervision sessions held', value: report.organisation.held },
      { label: 'External supervision visits', value: externalTotal },
      { label: 'Arrangements', value: report.organisation.relationships },
    ],
    charts: [
      {
        title: 'Sessions held and external visits per supervisee',
        categories: report.relationships.map((r) => r.supervisees.join(', ')),
        series: [
          { label: 'Held', values: rows.map((r) => Number(r[3])) },
          { label: 'External visits', values: rows.map((r) => Number(r[5])) },
        ],
      },
    ],
    tables: [
      {
        title: 'When supervision took place',
        columns: ['Supervisee(s)', 'Supervisor', 'Team', 'Sessions held', 'Dates held', 'External visits', 'External visit dates', 'External visits required'],
        rows,
        empty: 'No supervision arrangements in this period.',
      },
    ],
    notes: [
      'Provides assurance to governors that supervision has taken place (dates only; no case detail).',
      'A session counts as held when confirmed by a submitted record or recorded attendance.',
    ],
  };
}
