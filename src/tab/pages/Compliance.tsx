/**
 * "Compliance": by team and period, sessions due / held / cancelled / rebooked /
 * missed, records on time, agreements in date, rolling 12-month counts, overdue
 * obligations and QA grades; charts (@fluentui/react-charts) each with a table
 * beneath holding the same figures (the tables are the source of truth), a CSV
 * export of the same report, and for auditors a sample of records to grade.
 * The API decides who may see what (practitioners are refused).
 */
import {
  Badge, Button, Card, CardHeader, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Select, Spinner, Table, TableBody, TableCell, TableHeader,
  TableHeaderCell, TableRow, Text, Textarea, Title2, Title3, tokens,
} from '@fluentui/react-components';
import type { DonutChartProps, VerticalStackedBarChartProps } from '@fluentui/react-charts';
import { lazy, Suspense, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, localUser, type Me } from '../api';
import { getAccessToken } from '../auth';
import { formatDate, formatDay } from '../format';
import { ComplianceItems, type DrillTarget } from '../components/ComplianceItems';
import { DataRights } from '../components/DataRights';
import { InspectionExports } from '../components/InspectionExports';
import { downloadFile } from '../download';

/** A row of the report: its figures (numbers, by figure key) and, for teams and arrangements, who it is. */
type Figures = Record<string, unknown>;
interface FigureInfo { key: string; label: string; definition: string }
interface RelationshipRow { relationshipId: string; team: string; supervisor: string; supervisees: string[]; superviseeIds?: string[]; policy: string; rollingMinimum?: { count: number; window: string; held: number } }
interface Report {
  now: string;
  from: string;
  to: string;
  team?: string;
  scope: 'all' | 'managed';
  teamsAvailable: string[];
  teams: (Figures & { team: string })[];
  relationships: (Figures & RelationshipRow)[];
  organisation: Figures;
  figures: FigureInfo[];
  /** The report zone (a report spans packs): its period and "as at" are read in it. */
  timeZone: string;
}

/** A figure of a row (0 when absent). */
const num = (row: Figures, key: string): number => (typeof row[key] === 'number' ? (row[key] as number) : 0);
interface Filters { from: string; to: string; team: string }

// The charting library (with d3) is loaded only when this page is opened, in its own chunk.
const charts = () => import('@fluentui/react-charts');
const GroupedVerticalBarChart = lazy(() => charts().then((m) => ({ default: m.GroupedVerticalBarChart })));
// A stacked chart needs a colour per series (else it repeats legends): DataViz palette tokens, resolved once loaded.
const VerticalStackedBarChart = lazy(() =>
  charts().then((m) => ({
    default: (props: VerticalStackedBarChartProps) => (
      <m.VerticalStackedBarChart {...props} data={props.data.map((d) => ({ ...d, chartData: d.chartData.map((p) => ({ ...p, color: p.color && m.getColorFromToken(p.color) })) }))} />
    ),
  })),
);
const DonutChart = lazy(() =>
  charts().then((m) => ({
    default: (props: DonutChartProps) => (
      <m.DonutChart {...props} data={props.data && { ...props.data, chartData: props.data.chartData?.map((p) => ({ ...p, color: p.color && m.getColorFromToken(p.color) })) }} />
    ),
  })),
);
const ResponsiveContainer = lazy(() => charts().then((m) => ({ default: m.ResponsiveContainer })));
/** A label as the charts show it: they drop axis labels with a straight apostrophe, so it becomes a typographic one. */
const chartLabel = (s: string) => s.replace(/'/g, '\u2019');

const QA = [
  { key: 'qaChallenge', value: 'challenge', name: 'Challenge', color: 'qualitative.7', meaning: 'The practice is detrimental and needs to change.' },
  { key: 'qaSupport', value: 'support', name: 'Support', color: 'qualitative.6', meaning: 'Not meeting all the standards: support is needed.' },
  { key: 'qaMaintain', value: 'maintain', name: 'Maintain', color: 'qualitative.3', meaning: 'Good practice to embed and continue.' },
  { key: 'qaPromote', value: 'promote', name: 'Promote', color: 'qualitative.1', meaning: 'Excellent practice to share across the organisation.' },
] as const;
// The grouped chart picks series colours from its own palette; the others name DataViz palette tokens.
const SESSION_SERIES = ['held', 'cancelled', 'rebooked', 'missed'] as const;
const RECORD_SERIES = [
  { key: 'recordsOnTime', color: 'qualitative.1' },
  { key: 'recordsLate', color: 'qualitative.7' },
  { key: 'recordsOutstanding', color: 'qualitative.5' },
] as const;

const day = (date: string) => formatDate(date);
const percent = (n: number, of: number) => (of ? ` (${Math.round((100 * n) / of)}%)` : '');
const arrangementName = (r: RelationshipRow) => `${r.supervisees.join(', ')} with ${r.supervisor}`;

function query(f: Partial<Filters>): string {
  const q = new URLSearchParams();
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (f.team) q.set('team', f.team);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The CSV is fetched with the same identity as every API call (a plain link would be anonymous), then saved from a Blob. */
async function downloadCsv(f: Partial<Filters>): Promise<void> {
  const headers = new Headers();
  const token = await getAccessToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  else {
    const user = localUser();
    if (user) headers.set('x-pt-local-user', user);
  }
  const res = await fetch(`/api/v1/compliance.csv${query(f)}`, { headers });
  if (!res.ok) {
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : undefined;
    throw new ApiError(res.status, body?.error ?? `Download failed (${res.status})`);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'protected-time-compliance.csv';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A table of figures: one row per figure, one column per group (team, arrangement, or the organisation). */
/** A figure's number as a button that opens the items behind it (every figure can be opened). */
function FigureButton({ value, label, onOpen }: { value: number; label: string; onOpen: () => void }) {
  return (
    <Button appearance="transparent" size="small" onClick={onOpen} aria-label={`${value}: show the items behind ${label}`} style={{ minWidth: 0, padding: '0 4px', textDecoration: 'underline' }}>
      {value}
    </Button>
  );
}

type Scope = { team?: string; relationshipId?: string };

function FiguresTable({ caption, figures, columns, testId, onOpen }: { caption: string; figures: FigureInfo[]; columns: { id: string; label: string; values: Figures; scope: Scope }[]; testId: string; onOpen: (figure: FigureInfo, column: { label: string; scope: Scope }) => void }) {
  return (
    // Focusable, so a keyboard can scroll a wide table (axe: scrollable-region-focusable).
    <div style={{ overflowX: 'auto' }} tabIndex={0}>
      <Table data-testid={testId} size="small" style={{ minWidth: 200 + 140 * columns.length }}>
        <caption style={{ textAlign: 'start', fontWeight: 600, padding: '4px 0' }}>{caption}</caption>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">Figure</TableHeaderCell>
            {columns.map((c) => (
              <TableHeaderCell key={c.id} scope="col" data-column={c.id}>{c.label}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {figures.map((f) => (
            <TableRow key={f.key} data-figure={f.key}>
              <TableHeaderCell scope="row">{f.label}</TableHeaderCell>
              {columns.map((c) => (
                <TableCell key={c.id}><FigureButton value={num(c.values, f.key)} label={`${f.label}, ${c.label}`} onOpen={() => onOpen(f, c)} /></TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** A chart's table alternative: one row per team, one column per series. */
function SeriesTable({ caption, rows, series, testId, onOpen }: { caption: string; rows: { name: string; values: Figures; scope?: Scope }[]; series: { key: string; label: string }[]; testId: string; onOpen: (figure: FigureInfo, column: { label: string; scope: Scope }) => void }) {
  return (
    <Table data-testid={testId} size="small">
      <caption style={{ textAlign: 'start', fontWeight: 600, padding: '4px 0' }}>{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">Team</TableHeaderCell>
          {series.map((s) => <TableHeaderCell key={s.key} scope="col">{s.label}</TableHeaderCell>)}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.name}>
            <TableHeaderCell scope="row">{r.name}</TableHeaderCell>
            {series.map((s) => (
              <TableCell key={s.key}>
                <FigureButton value={num(r.values, s.key)} label={`${s.label}, ${r.name}`} onOpen={() => onOpen({ key: s.key, label: s.label, definition: '' }, { label: r.name, scope: r.scope ?? { team: r.name } })} />
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ChartFigure({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <figure aria-labelledby={`${id}-caption`} data-testid={id} style={{ margin: 0 }}>
      <figcaption id={`${id}-caption`}>
        <Text weight="semibold">{title}</Text> <Text size={200}>(the table below has the same figures)</Text>
      </figcaption>
      <Suspense fallback={<Spinner size="tiny" label="Loading the chart…" />}>{children}</Suspense>
    </figure>
  );
}

export function Compliance() {
  const [report, setReport] = useState<Report>();
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', team: '' });
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [auditor, setAuditor] = useState(false);
  const [drill, setDrill] = useState<DrillTarget>();
  const [lead, setLead] = useState(false);

  async function load(f: Partial<Filters> = {}) {
    setLoading(true);
    setError(undefined);
    try {
      const r = await api<Report>(`/compliance${query(f)}`);
      setReport(r);
      setFilters({ from: r.from, to: r.to, team: r.team ?? '' });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    void load();
    api<Me>('/me').then(
      (me) => {
        setAuditor(me.person.roles.includes('auditor'));
        setLead(me.person.roles.includes('safeguarding-lead'));
      },
      () => setAuditor(false),
    );
  }, []);

  if (!report && error) return <section aria-labelledby="compliance-heading"><Title2 as="h1" id="compliance-heading">Compliance</Title2><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></section>;
  if (!report) return <Spinner label="Loading compliance…" />;

  const labels = new Map(report.figures.map((f) => [f.key, f.label]));
  const label = (key: string) => labels.get(key) ?? key;
  const org = report.organisation;
  const teamRows = report.teams.map((t) => ({ name: t.team, values: t, scope: { team: t.team } }));
  const applied = { from: report.from, to: report.to, team: report.team ?? '' };

  const open = (figure: string, title: string, scope: Scope = {}) =>
    setDrill({ figure, title, from: report.from, to: report.to, ...(report.team ? { team: report.team } : {}), ...scope });
  const openCell = (f: FigureInfo, c: { label: string; scope: Scope }) => open(f.key, `${f.label}: ${c.label}`, c.scope);

  function submit(e: FormEvent) {
    e.preventDefault();
    setDrill(undefined);
    void load(filters);
  }
  async function download() {
    setDownloading(true);
    try {
      await downloadCsv(applied);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setDownloading(false);
    }
  }

  return (
    <section aria-labelledby="compliance-heading" style={{ display: 'grid', gap: 20, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title2 as="h1" id="compliance-heading">Compliance</Title2>

      <form onSubmit={submit} aria-label="Choose the period and team" style={{ display: 'flex', gap: 12, alignItems: 'end', flexWrap: 'wrap' }}>
        <Field label="From">
          <Input type="date" id="compliance-from" value={filters.from} onChange={(_, d) => setFilters({ ...filters, from: d.value })} required />
        </Field>
        <Field label="To">
          <Input type="date" id="compliance-to" value={filters.to} onChange={(_, d) => setFilters({ ...filters, to: d.value })} required />
        </Field>
        <Field label="Team">
          <Select id="compliance-team" value={filters.team} onChange={(_, d) => setFilters({ ...filters, team: d.value })}>
            <option value="">All teams</option>
            {report.teamsAvailable.map((t) => <option key={t} value={t}>{t}</option>)}
          </Select>
        </Field>
        <Button type="submit" appearance="primary" disabled={loading}>Show figures</Button>
        <Button type="button" onClick={() => void download()} disabled={downloading} aria-describedby="compliance-period">
          {downloading ? 'Preparing…' : 'Download CSV'}
        </Button>
      </form>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}

      <Text as="p" id="compliance-period" data-testid="compliance-period">
        {report.team ?? 'All teams'}{report.scope === 'managed' ? ' you supervise or manage' : ''}: {day(report.from)} to {day(report.to)} (as at {formatDay(report.now, report.timeZone)}).
      </Text>

      <dl data-testid="summary" aria-label="Key figures for the organisation" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', gap: 12, margin: 0 }}>
        {(
          [
            ['Sessions held', 'held', `${num(org, 'held')} (${num(org, 'sessionsDue')} due, ${num(org, 'unconfirmed')} unconfirmed)`],
            ['Records on time', 'recordsOnTime', `${num(org, 'recordsOnTime')} of ${num(org, 'recordsDue')}${percent(num(org, 'recordsOnTime'), num(org, 'recordsDue'))}`],
            ['Agreements in date', 'agreementsInDate', `${num(org, 'agreementsInDate')} of ${num(org, 'agreementsTotal')}`],
            ['Overdue obligations', 'overdueObligations', String(num(org, 'overdueObligations'))],
          ] as const
        ).map(([term, figure, value]) => (
          // A plain div: a <dl> may group dt/dd in divs, but not in a Card (role=group).
          <div key={term} style={{ padding: 12, borderRadius: tokens.borderRadiusMedium, background: tokens.colorNeutralBackground1, boxShadow: tokens.shadow4 }}>
            <dt><Text size={200}>{term}</Text></dt>
            <dd style={{ margin: 0 }}>
              <Button appearance="transparent" onClick={() => open(figure, `${label(figure)}: ${report.team ?? 'all teams'}`)} aria-label={`${term}: ${value}. Show the items`} style={{ padding: 0, minWidth: 0, justifyContent: 'start' }} data-testid={`tile-${figure}`}>
                <Text size={500} weight="semibold">{value}</Text>
              </Button>
            </dd>
          </div>
        ))}
      </dl>
      {drill && <ComplianceItems target={drill} onClose={() => setDrill(undefined)} />}

      {report.relationships.length === 0 ? (
        <Text as="p">There are no supervision arrangements to report on{report.team ? ` in ${report.team}` : ''}.</Text>
      ) : (
        <>
          <section aria-labelledby="sessions-heading" style={{ display: 'grid', gap: 8 }}>
            <Title3 as="h2" id="sessions-heading">Sessions by team</Title3>
            <ChartFigure id="sessions-chart" title="Held, cancelled, rebooked and missed sessions per team">
              <ResponsiveContainer height={280}>
                <GroupedVerticalBarChart
                  chartTitle="Sessions by team"
                  data={report.teams.map((t) => ({
                    name: chartLabel(t.team),
                    series: SESSION_SERIES.map((key) => ({ key, legend: label(key), data: num(t, key) })),
                  }))}
                  yAxisTickCount={5}
                  hideLabels={false}
                  barWidth="auto"
                  maxBarWidth={48}
                  wrapXAxisLables
                />
              </ResponsiveContainer>
            </ChartFigure>
            <SeriesTable
              onOpen={openCell}
              testId="sessions-table"
              caption={`Sessions by team, ${day(report.from)} to ${day(report.to)}`}
              rows={teamRows}
              series={['sessionsDue', 'held', 'cancelled', 'rebooked', 'missed'].map((key) => ({ key, label: label(key) }))}
            />
          </section>

          <section aria-labelledby="records-heading-c" style={{ display: 'grid', gap: 8 }}>
            <Title3 as="h2" id="records-heading-c">Records by team</Title3>
            <ChartFigure id="records-chart" title="Records on time, late and outstanding per team">
              <ResponsiveContainer height={280}>
                <VerticalStackedBarChart
                  chartTitle="Records by team"
                  data={report.teams.map((t) => ({
                    xAxisPoint: chartLabel(t.team),
                    chartData: RECORD_SERIES.map((s) => ({ legend: label(s.key), data: num(t, s.key), color: s.color })),
                  }))}
                  barWidth="auto"
                  maxBarWidth={64}
                  wrapXAxisLables
                />
              </ResponsiveContainer>
            </ChartFigure>
            <SeriesTable
              onOpen={openCell}
              testId="records-table"
              caption={`Records by team, for sessions held ${day(report.from)} to ${day(report.to)}`}
              rows={teamRows}
              series={['recordsDue', 'recordsOnTime', 'recordsLate', 'recordsOutstanding', 'recordsOverdue'].map((key) => ({ key, label: label(key) }))}
            />
          </section>

          <section aria-labelledby="by-team-heading" style={{ display: 'grid', gap: 8 }}>
            <Title3 as="h2" id="by-team-heading">All figures by team</Title3>
            <FiguresTable
              testId="figures-by-team"
              caption={`Figures by team, ${day(report.from)} to ${day(report.to)}`}
              figures={report.figures}
              columns={[
                ...report.teams.map((t) => ({ id: t.team, label: t.team, values: t, scope: { team: t.team } })),
                { id: 'organisation', label: report.team ? 'Total' : 'Organisation', values: org, scope: {} },
              ]}
              onOpen={openCell}
            />
          </section>

          {report.teams.map((t, i) => {
            const rels = report.relationships.filter((r) => r.team === t.team);
            return (
              <section key={t.team} aria-labelledby={`team-heading-${i}`} style={{ display: 'grid', gap: 8 }}>
                <Title3 as="h2" id={`team-heading-${i}`}>{t.team}</Title3>
                <FiguresTable
                  testId="team-table"
                  caption={`${t.team}: figures by supervision arrangement`}
                  figures={report.figures.filter((f) => f.key !== 'relationships')}
                  columns={rels.map((r) => ({ id: r.relationshipId, label: arrangementName(r), values: r, scope: { relationshipId: r.relationshipId } }))}
                  onOpen={openCell}
                />
                {rels.some((r) => r.rollingMinimum) && (
                  <ul>
                    {rels.filter((r) => r.rollingMinimum).map((r) => (
                      <li key={r.relationshipId}>
                        <Text size={200}>{arrangementName(r)}: {r.rollingMinimum!.held} held against a minimum of {r.rollingMinimum!.count} in {r.rollingMinimum!.window === 'P12M' ? '12 months' : r.rollingMinimum!.window}.</Text>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </>
      )}

      <section aria-labelledby="qa-heading" style={{ display: 'grid', gap: 8 }}>
        <Title3 as="h2" id="qa-heading">Quality-assurance grades</Title3>
        {QA.every((q) => !num(org, q.key)) ? (
          <Text as="p">No records were graded in this period.</Text>
        ) : (
          <ChartFigure id="qa-chart" title="Grades given in the period, whole report">
            <div style={{ marginTop: 16 }}>
            <DonutChart
              data={{ chartTitle: 'Quality-assurance grades', chartData: QA.map((q) => ({ legend: q.name, data: num(org, q.key), color: q.color })) }}
              innerRadius={55}
              height={240}
              hideLabels={false}
              valueInsideDonut={QA.reduce((n, q) => n + num(org, q.key), 0)}
            />
            </div>
          </ChartFigure>
        )}
        <SeriesTable
          onOpen={openCell}
          testId="qa-table"
          caption={`Quality-assurance grades by team, ${day(report.from)} to ${day(report.to)}`}
          rows={[...teamRows, { name: report.team ? 'Total' : 'Organisation', values: org, scope: {} }]}
          series={QA.map((q) => ({ key: q.key, label: label(q.key) }))}
        />
      </section>

      <InspectionExports
        key={`${applied.from}|${applied.to}|${applied.team}`}
        period={applied}
        practitioners={[...new Map(report.relationships.flatMap((r) => (r.superviseeIds ?? []).map((id, i) => [id, { id, name: r.supervisees[i] ?? id }] as const))).values()].sort((a, b) => a.name.localeCompare(b.name))}
        teams={report.teamsAvailable}
      />

      {auditor && <AuditSection onGraded={() => load(applied)} />}

      {lead && <DataRights />}

      <details>
        <summary><Text weight="semibold">What the figures mean</Text></summary>
        <dl data-testid="definitions">
          {report.figures.map((f) => (
            <div key={f.key} style={{ marginBottom: 8 }}>
              <dt><Text weight="semibold">{f.label}</Text></dt>
              <dd style={{ marginInlineStart: 0 }}><Text size={200}>{f.definition}</Text></dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}

// ---------------------------------------------------------------------------
// Auditors: a sample of signed records to read and grade

interface SampleItem { recordId: string; relationshipId: string; team: string; sessionStart: string; status: string; version: number; supervisor: string; supervisees: string[]; /** The pack's zone. */ timeZone: string }
interface RecordDetail {
  record: { id: string; status: string; version: number; values: Record<string, unknown> };
  template: { name: string; fields: { id: string; label: string; type: string }[] };
  session: { start: string };
}

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (Array.isArray(v)) return `${v.length} item(s)`;
  return String(v);
}

function AuditSection({ onGraded }: { onGraded: () => Promise<void> | void }) {
  const [sample, setSample] = useState<{ items: SampleItem[]; eligible: number }>();
  const [open, setOpen] = useState<{ item: SampleItem; detail: RecordDetail }>();
  const [category, setCategory] = useState('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [saving, setSaving] = useState(false);

  const loadSample = () => api<{ items: SampleItem[]; eligible: number }>('/audit/sample').then(setSample).catch((e: Error) => setError(e.message));
  useEffect(() => void loadSample(), []);

  async function read(item: SampleItem) {
    setError(undefined);
    setSaved(undefined);
    try {
      const detail = await api<RecordDetail>(`/records/${item.recordId}`);
      setOpen({ item, detail });
      setCategory('');
      setComment('');
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function grade(e: FormEvent) {
    e.preventDefault();
    if (!open) return;
    if (!category) return setError('Choose a grade: Challenge, Support, Maintain or Promote.');
    setSaving(true);
    setError(undefined);
    try {
      await api('/audit/grades', { method: 'POST', body: JSON.stringify({ recordId: open.item.recordId, category, comment }) });
      setSaved(`Graded ${QA.find((q) => q.value === category)?.name ?? category}: the record of ${open.item.supervisees.join(', ')}'s session on ${formatDay(open.item.sessionStart, open.item.timeZone)}.`);
      setOpen(undefined);
      await Promise.all([loadSample(), onGraded()]);
    } catch (err) {
      const details = err instanceof ApiError && Array.isArray(err.details) ? ` (${(err.details as string[]).join('; ')})` : '';
      setError(`${(err as Error).message}${details}`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section aria-labelledby="audit-heading" data-testid="audit" style={{ display: 'grid', gap: 8 }}>
      <Title3 as="h2" id="audit-heading">Audit</Title3>
      <Text as="p" size={200}>
        A sample of signed records you have not graded yet (up to three per team). Read a record, then grade it Challenge, Support, Maintain or Promote with a comment.
        Reading is recorded in the audit log; the comment is kept with the grade and is not shown in the figures.
      </Text>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {saved && <MessageBar intent="success"><MessageBarBody data-testid="grade-saved">{saved}</MessageBarBody></MessageBar>}
      {!sample ? (
        <Spinner size="small" label="Loading the sample…" />
      ) : sample.items.length === 0 ? (
        <Text as="p" data-testid="audit-empty">There are no signed records left for you to grade.</Text>
      ) : (
        <Table data-testid="audit-sample" size="small" className="pt-stack">
          <caption style={{ textAlign: 'start', fontWeight: 600, padding: '4px 0' }}>Records to grade ({sample.items.length} of {sample.eligible} not yet graded)</caption>
          <TableHeader>
            <TableRow>
              <TableHeaderCell scope="col">Session</TableHeaderCell>
              <TableHeaderCell scope="col">Team</TableHeaderCell>
              <TableHeaderCell scope="col">Supervisee(s)</TableHeaderCell>
              <TableHeaderCell scope="col">Supervisor</TableHeaderCell>
              <TableHeaderCell scope="col">Record</TableHeaderCell>
              <TableHeaderCell scope="col"><span className="visually-hidden">Actions</span></TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {sample.items.map((item) => (
              <TableRow key={item.recordId} data-record={item.recordId}>
                <TableCell data-label="Session">{formatDay(item.sessionStart, item.timeZone)}</TableCell>
                <TableCell data-label="Team">{item.team}</TableCell>
                <TableCell data-label="Supervisee(s)">{item.supervisees.join(', ')}</TableCell>
                <TableCell data-label="Supervisor">{item.supervisor}</TableCell>
                <TableCell data-label="Record"><Badge appearance="tint" color={item.status === 'signed' ? 'success' : 'danger'}>{item.status === 'signed' ? 'Signed' : 'Signed with disagreement'}{item.version > 1 ? ` (v${item.version})` : ''}</Badge></TableCell>
                <TableCell>
                  <Button size="small" onClick={() => void read(item)} aria-label={`Read and grade the record of ${item.supervisees.join(', ')}'s session on ${formatDay(item.sessionStart, item.timeZone)}`}>
                    Read and grade
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {open && (
        <Card data-testid="audit-record" style={{ borderLeft: `4px solid ${tokens.colorBrandStroke1}` }}>
          <CardHeader
            header={<Title3 as="h3">{open.detail.template.name}</Title3>}
            description={<Text>{open.item.supervisees.join(', ')} with {open.item.supervisor} · session on {formatDay(open.detail.session.start, open.item.timeZone)} · version {open.detail.record.version}</Text>}
            action={
              <Button size="small" onClick={() => void downloadFile(`/records/${encodeURIComponent(open.item.recordId)}/signed.pdf`, 'signed-record.pdf').catch((e: Error) => setError(e.message))}>
                Signed copy (PDF)
              </Button>
            }
          />
          <dl>
            {open.detail.template.fields.filter((f) => f.type !== 'info' && f.type !== 'actions').map((f) => (
              <div key={f.id}>
                <dt><Text weight="semibold">{f.label}</Text></dt>
                <dd style={{ whiteSpace: 'pre-wrap', marginInlineStart: 0, marginBottom: 8 }}>{show(open.detail.record.values[f.id])}</dd>
              </div>
            ))}
          </dl>
          <form onSubmit={grade} aria-label="Grade this record" style={{ display: 'grid', gap: 8 }}>
            <Field label="Grade" required>
              <RadioGroup value={category} onChange={(_, d) => setCategory(d.value)}>
                {QA.map((q) => (
                  <Radio key={q.value} value={q.value} label={`${q.name}: ${q.meaning}`} />
                ))}
              </RadioGroup>
            </Field>
            <Field label="Comment" hint={`${comment.length} of 2000 characters`}>
              <Textarea id="grade-comment" value={comment} maxLength={2000} resize="vertical" onChange={(_, d) => setComment(d.value)} />
            </Field>
            <div style={{ display: 'flex', gap: 8 }}>
              <Button type="submit" appearance="primary" disabled={saving}>Save grade</Button>
              <Button type="button" onClick={() => setOpen(undefined)}>Close</Button>
            </div>
          </form>
        </Card>
      )}
    </section>
  );
}
