/** A relationship's supervision agreement: its terms, status, signing, and recording new terms. */
import { Badge, Button, Field, Input, MessageBar, MessageBarBody, Select, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, fieldErrors } from '../api';
import { formatDate } from '../format';
import { DateField } from './DateField';

interface AgreementView {
  agreement?: { id: string; frequency: string; durationMinutes: number; venue: string; type: string; reviewOn: string; status: string; signatures: { personId: string }[]; values?: Record<string, string> };
  state: 'missing' | 'awaiting-signature' | 'in-date' | 'review-due' | 'overdue';
  reviewEvery: string;
}

const LABELS: Record<AgreementView['state'], [string, 'danger' | 'warning' | 'success' | 'informative']> = {
  missing: ['No agreement', 'danger'],
  'awaiting-signature': ['Awaiting signature', 'warning'],
  'in-date': ['Agreement in date', 'success'],
  'review-due': ['Review due soon', 'warning'],
  overdue: ['Review overdue', 'danger'],
};

const periodWords = (iso: string) => iso.replace(/^P/, '').replace(/(\d+)Y/, '$1 year(s) ').replace(/(\d+)M/, '$1 month(s) ').replace(/(\d+)W/, '$1 week(s) ').trim();

export function AgreementPanel({ relationshipId, personId, viewpoint, kind }: { relationshipId: string; personId: string; viewpoint: string; kind: string }) {
  const [view, setView] = useState<AgreementView>();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [form, setForm] = useState({ frequency: '', durationMinutes: 60, venue: 'Teams meeting', reviewOn: '' });
  const load = () => api<AgreementView>(`/relationships/${relationshipId}/agreement`).then(setView).catch((e: Error) => setError(e.message));
  useEffect(() => void load(), [relationshipId]);

  if (!view) return error ? <Text role="alert">{error}</Text> : <Text size={200}>…</Text>;
  const [label, color] = LABELS[view.state];
  const a = view.agreement;
  const mySignatureMissing = a && !a.signatures.some((s) => s.personId === personId);

  async function sign() {
    try {
      setError(undefined);
      // Names the agreement shown, so a newer one recorded meanwhile is not signed unread.
      await api(`/relationships/${relationshipId}/agreement/sign`, { method: 'POST', body: JSON.stringify({ agreementId: view!.agreement!.id }) });
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(undefined);
    setFields({});
    try {
      await api(`/relationships/${relationshipId}/agreement`, {
        method: 'POST',
        body: JSON.stringify({ frequency: form.frequency, durationMinutes: form.durationMinutes, venue: form.venue, type: kind === 'group' ? 'group' : 'individual', ...(form.reviewOn ? { reviewOn: form.reviewOn } : {}) }),
      });
      setEditing(false);
      await load();
    } catch (err) {
      // The form stays, with what was typed; each reason shows by its field.
      const byField = fieldErrors(err);
      setFields(byField);
      setError(Object.keys(byField).length ? 'Please check the highlighted fields.' : (err as Error).message);
    }
  }
  const fieldProps = (name: string) => (fields[name] ? { validationState: 'error' as const, validationMessage: fields[name] } : {});

  return (
    <div data-testid={`agreement-${relationshipId}`} style={{ display: 'grid', gap: 8, minWidth: 0 }}>
      <div><Badge appearance="tint" color={color}>{label}</Badge>{a && <Text size={200}> review by {formatDate(a.reviewOn)}</Text>}</div>
      {a && (
        <div data-testid="agreement-terms">
          <Text size={200} weight="semibold">Terms</Text>
          <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
            <li><Text size={200}>How often: {a.frequency}</Text></li>
            <li><Text size={200}>Session length: {a.durationMinutes} minutes</Text></li>
            <li><Text size={200}>Where: {a.venue}</Text></li>
            <li><Text size={200}>Type: {a.type === 'group' ? 'Group' : 'Individual'}</Text></li>
            {Object.entries(a.values ?? {}).map(([k, v]) => <li key={k}><Text size={200}>{k}: {v}</Text></li>)}
          </ul>
        </div>
      )}
      {view.state === 'awaiting-signature' && mySignatureMissing && (
        <div><Button size="small" onClick={sign}>Sign these terms</Button></div>
      )}
      {viewpoint === 'supervisor' && !editing && view.state !== 'in-date' && view.state !== 'awaiting-signature' && (
        <div><Button size="small" onClick={() => setEditing(true)}>Record agreement</Button></div>
      )}
      {editing && (
        <form onSubmit={save} style={{ display: 'grid', gap: 8, marginTop: 8, maxWidth: 420 }} aria-label="Supervision agreement">
          <Field label="Frequency" required {...fieldProps('frequency')}><Input value={form.frequency} onChange={(_, d) => setForm({ ...form, frequency: d.value })} placeholder="Monthly" /></Field>
          <Field label="Session length (minutes)" required {...fieldProps('durationMinutes')}><Input type="number" value={String(form.durationMinutes)} onChange={(_, d) => setForm({ ...form, durationMinutes: Number(d.value) })} /></Field>
          <Field label="Venue" required {...fieldProps('venue')}><Input value={form.venue} onChange={(_, d) => setForm({ ...form, venue: d.value })} /></Field>
          <Field label="Review date" hint={`Default: in ${periodWords(view.reviewEvery)}`} {...fieldProps('reviewOn')}><DateField value={form.reviewOn} onChange={(v) => setForm({ ...form, reviewOn: v })} /></Field>
          <Field label="Type"><Select value={kind === 'group' ? 'group' : 'individual'} disabled><option value="individual">Individual</option><option value="group">Group</option></Select></Field>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}><Button appearance="primary" type="submit">Save and sign</Button><Button onClick={() => setEditing(false)}>Cancel</Button></div>
        </form>
      )}
      {error && <MessageBar layout="multiline" intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
    </div>
  );
}
