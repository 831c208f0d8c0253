/**
 * Exports on the compliance page: the organisations' reports and evidence
 * packs (per practitioner or per team) for the period shown, as PDF, CSV or
 * JSON. Every export is audited by the server.
 */
import { Button, Field, MessageBar, MessageBarBody, Select, Text, Title3 } from '@fluentui/react-components';
import { useState } from 'react';
import { downloadFile } from '../download';

const REPORTS = [
  { kind: 'monthly-return', name: 'Monthly compliance return (Leicestershire)' },
  { kind: 'quarterly-uptake', name: 'Quarterly uptake report to committee (Staffordshire)' },
  { kind: 'governors-external', name: "Governors' report: when supervision took place (Lingfield)" },
] as const;
const FORMATS = ['pdf', 'csv', 'json'] as const;

export interface ExportPeriod {
  from: string;
  to: string;
  team: string;
}

export function InspectionExports({ period, practitioners, teams }: { period: ExportPeriod; practitioners: { id: string; name: string }[]; teams: string[] }) {
  const [kind, setKind] = useState<string>(REPORTS[0].kind);
  const [reportFormat, setReportFormat] = useState<string>('pdf');
  const [subject, setSubject] = useState<string>(practitioners[0] ? `person:${practitioners[0].id}` : teams[0] ? `team:${teams[0]}` : '');
  const [packFormat, setPackFormat] = useState<string>('pdf');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string }>();

  const q = (extra: Record<string, string>) => {
    const p = new URLSearchParams({ from: period.from, to: period.to, ...extra });
    return `?${p.toString()}`;
  };
  async function run(path: string, name: string) {
    setBusy(true);
    setMessage(undefined);
    try {
      setMessage({ intent: 'success', text: `Downloaded ${await downloadFile(path, name)}` });
    } catch (e) {
      setMessage({ intent: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }
  const packQuery = (): Record<string, string> => (subject.startsWith('person:') ? { personId: subject.slice(7) } : { team: subject.slice(5) });

  return (
    <section aria-labelledby="exports-heading" style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }} data-testid="exports">
      <Title3 as="h2" id="exports-heading">Reports and evidence packs</Title3>
      <Text as="p" size={200}>For the period above. Each download is recorded in the audit log.</Text>
      <form
        aria-label="Download an organisation report"
        style={{ display: 'flex', gap: 12, alignItems: 'end', flexWrap: 'wrap' }}
        onSubmit={(e) => {
          e.preventDefault();
          void run(`/reports/${kind}.${reportFormat}${q(period.team ? { team: period.team } : {})}`, `${kind}.${reportFormat}`);
        }}
      >
        {/* A long report name must not widen a 375 px page: the field shrinks and the select fits it. */}
        <Field label="Report" style={{ minWidth: 0, flex: "1 1 16rem", maxWidth: "32rem" }}>
          <Select id="report-kind" style={{ width: "100%", minWidth: 0 }} select={{ style: { width: "100%", minWidth: 0 } }} value={kind} onChange={(_, d) => setKind(d.value)}>
            {REPORTS.map((r) => <option key={r.kind} value={r.kind}>{r.name}</option>)}
          </Select>
        </Field>
        <Field label="Format">
          <Select id="report-format" value={reportFormat} onChange={(_, d) => setReportFormat(d.value)}>
            {FORMATS.map((f) => <option key={f} value={f}>{f.toUpperCase()}</option>)}
          </Select>
        </Field>
        <Button type="submit" disabled={busy}>Download report</Button>
      </form>
      <form
        aria-label="Download an evidence pack"
        style={{ display: 'flex', gap: 12, alignItems: 'end', flexWrap: 'wrap' }}
        onSubmit={(e) => {
          e.preventDefault();
          if (subject) void run(`/evidence-pack.${packFormat}${q(packQuery())}`, `evidence-pack.${packFormat}`);
        }}
      >
        <Field label="Evidence pack for">
          <Select id="pack-subject" value={subject} onChange={(_, d) => setSubject(d.value)}>
            <optgroup label="Practitioners">
              {practitioners.map((p) => <option key={p.id} value={`person:${p.id}`}>{p.name}</option>)}
            </optgroup>
            <optgroup label="Teams">
              {teams.map((t) => <option key={t} value={`team:${t}`}>{t}</option>)}
            </optgroup>
          </Select>
        </Field>
        <Field label="Format">
          <Select id="pack-format" value={packFormat} onChange={(_, d) => setPackFormat(d.value)}>
            {FORMATS.map((f) => <option key={f} value={f}>{f.toUpperCase()}</option>)}
          </Select>
        </Field>
        <Button type="submit" disabled={busy || !subject}>Download evidence pack</Button>
      </form>
      {message && <MessageBar intent={message.intent} data-testid="exports-message"><MessageBarBody>{message.text}</MessageBarBody></MessageBar>}
    </section>
  );
}
