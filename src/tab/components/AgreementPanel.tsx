/** A relationship's supervision agreement: its status, signing, and recording new terms. */
import { Badge, Button, Field, Input, MessageBar, MessageBarBody, Select, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatDay } from '../format';

interface AgreementView {
  agreement?: { id: string; frequency: string; durationMinutes: number; venue: string; type: string; reviewOn: string; status: string; signatures: { personId: string }[] };
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

export function AgreementPanel({ relationshipId, personId, viewpoint, kind }: { relationshipId: string; personId: string; viewpoint: string; kind: string }) {
  const [view, setView] = useState<AgreementView>();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string>();
  const [form, setForm] = useState({ frequency: '', durationMinutes: 60, venue: 'Teams meeting', reviewOn: '' });
  const load = () => api<AgreementView>(`/relationships/${relationshipId}/agreement`).then(setView).catch((e: Error) => setError(e.message));
  useEffect(() => void load(), [relationshipId]);

  if (error) return <Text role="alert">{error}</Text>;
  if (!view) return <Text size={200}>…</Text>;
  const [label, color] = LABELS[view.state];
  const mySignatureMissing = view.agreement && !view.agreement.signatures.some((s) => s.personId === personId);

  async function sign() {
    try {
      // Names the agreement shown, so a newer one recorded meanwhile is not signed unread.
      await api(`/relationships/${relationshipId}/agreement/sign`, { method: 'POST', body: JSON.stringify({ agreementId: view!.agreement!.id }) });
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function save(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api(`/relationships/${relationshipId}/agreement`, {
        method: 'POST',
        body: JSON.stringify({ frequency: form.frequency, durationMinutes: form.durationMinutes, venue: form.venue, type: kind === 'group' ? 'group' : 'individual', ...(form.reviewOn ? { reviewOn: form.reviewOn } : {}) }),
      });
      setEditing(false);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div data-testid={`agreement-${relationshipId}`}>
      <Badge appearance="tint" color={color}>{label}</Badge>
      {view.agreement && <Text size={200}> review by {formatDay(`${view.agreement.reviewOn}T12:00:00Z`)}</Text>}
      {view.state === 'awaiting-signature' && mySignatureMissing && (
        <Button size="small" onClick={sign} style={{ marginLeft: 8 }}>Sign agreement</Button>
      )}
      {viewpoint === 'supervisor' && !editing && view.state !== 'in-date' && view.state !== 'awaiting-signature' && (
        <Button size="small" onClick={() => setEditing(true)} style={{ marginLeft: 8 }}>Record agreement</Button>
      )}
      {editing && (
        <form onSubmit={save} style={{ display: 'grid', gap: 8, marginTop: 8, maxWidth: 420 }} aria-label="Supervision agreement">
          <Field label="Frequency" required><Input value={form.frequency} onChange={(_, d) => setForm({ ...form, frequency: d.value })} placeholder="Monthly" /></Field>
          <Field label="Session length (minutes)" required><Input type="number" value={String(form.durationMinutes)} onChange={(_, d) => setForm({ ...form, durationMinutes: Number(d.value) })} /></Field>
          <Field label="Venue" required><Input value={form.venue} onChange={(_, d) => setForm({ ...form, venue: d.value })} /></Field>
          <Field label="Review date" hint={`Default: in ${view.reviewEvery.replace('P', '').toLowerCase()}`}><Input type="date" value={form.reviewOn} onChange={(_, d) => setForm({ ...form, reviewOn: d.value })} /></Field>
          <Field label="Type"><Select value={kind === 'group' ? 'group' : 'individual'} disabled><option value="individual">Individual</option><option value="group">Group</option></Select></Field>
          <div><Button appearance="primary" type="submit">Save and sign</Button> <Button onClick={() => setEditing(false)}>Cancel</Button></div>
        </form>
      )}
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
    </div>
  );
}
