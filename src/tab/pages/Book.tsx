/**
 * Book protected supervision: pick the supervisee(s), see the policy that
 * applies, get proposed recurring patterns for the next 12 months (moved
 * occurrences marked), adjust day, time and length within the policy, book.
 */
import {
  Badge, Button, Card, CardHeader, Checkbox, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Select, Spinner,
  Text, Title2, Title3,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../api';
import { formatDay, formatTimeRange } from '../format';
import { DateField } from '../components/DateField';
import type { BookResponse, PlanResponse, RelationshipRow } from '../types';

const WEEKDAYS = [
  ['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'],
] as const;
const TIMES = Array.from({ length: 19 }, (_, i) => `${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

function newKey(): string {
  return crypto.randomUUID();
}

export function Book({ initialRelationshipId, onBooked }: { initialRelationshipId?: string; onBooked?: () => void }) {
  const [rows, setRows] = useState<RelationshipRow[]>();
  const [selected, setSelected] = useState<string[]>([]);
  const [startDate, setStartDate] = useState('');
  const [duration, setDuration] = useState<number>();
  const [weekday, setWeekday] = useState('');
  const [time, setTime] = useState('');
  const [plan, setPlan] = useState<PlanResponse>();
  const [proposalId, setProposalId] = useState('');
  const [requestKey, setRequestKey] = useState(newKey());
  const [busy, setBusy] = useState<'plan' | 'book' | 'urgent'>();
  const [error, setError] = useState<string>();
  const [booked, setBooked] = useState<string>();
  const [urgentOffer, setUrgentOffer] = useState<{ start: string; end: string; requestKey: string; relationshipId: string }>();

  useEffect(() => {
    api<{ relationships: RelationshipRow[] }>('/people')
      .then((r) => {
        const bookable = r.relationships.filter((x) => x.canBook);
        setRows(bookable);
        const initial = bookable.find((x) => x.id === initialRelationshipId) ?? bookable[0];
        if (initial) setSelected(initial.kind === 'group' ? initial.supervisees.map((s) => s.id) : [initial.supervisees[0]!.id]);
      })
      .catch((e: Error) => setError(e.message));
  }, [initialRelationshipId]);

  // Individual arrangements, one per supervisee: the checkboxes. Ticking several books group supervision.
  const individuals = useMemo(() => (rows ?? []).filter((r) => r.kind === 'individual'), [rows]);
  const chosenRows = individuals.filter((r) => selected.includes(r.supervisees[0]!.id));
  const policy = chosenRows[0]?.policy;
  // The pack's zone: what is offered and booked is shown in it (times are only shown once someone is chosen).
  const zone = plan?.policy.timeZone ?? chosenRows[0]?.timeZone ?? '';

  useEffect(() => {
    setPlan(undefined);
    setBooked(undefined);
    if (policy && duration === undefined) setDuration(policy.duration.default);
  }, [selected.join(), policy?.policyId]);

  const choice = () => ({
    ...(chosenRows.length === 1 ? { relationshipId: chosenRows[0]!.id } : { superviseeIds: selected }),
    ...(startDate ? { startDate } : {}),
    ...(duration ? { durationMinutes: duration } : {}),
    ...(weekday ? { weekdays: [weekday] } : {}),
    ...(time ? { times: [time] } : {}),
  });

  async function findTimes() {
    setBusy('plan');
    setError(undefined);
    setBooked(undefined);
    try {
      const result = await api<PlanResponse>('/plan', { method: 'POST', body: JSON.stringify(choice()) });
      setPlan(result);
      setProposalId(result.proposals[0]?.id ?? '');
      setRequestKey(newKey()); // one key per decision: resubmitting this one cannot duplicate it
    } catch (e) {
      setError((e as Error).message);
      setPlan(undefined);
    } finally {
      setBusy(undefined);
    }
  }

  async function book() {
    setBusy('book');
    setError(undefined);
    try {
      const result = await api<BookResponse>('/series', { method: 'POST', body: JSON.stringify({ ...choice(), requestKey, proposalId }) });
      setBooked(`${result.duplicate ? 'Already booked' : 'Booked'}: ${result.sessions.length} sessions (${plan?.proposals.find((p) => p.id === proposalId)?.description ?? result.description}). Both calendars now hold them, with a Teams meeting link.`);
      onBooked?.();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? e.message : (e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  /** Urgent shows the slot first; one confirmation books once (the request key is fixed per shown slot). */
  async function urgent() {
    if (chosenRows.length !== 1) return setError('Urgent supervision is booked for one supervisee at a time.');
    setBusy('urgent');
    setError(undefined);
    setBooked(undefined);
    try {
      const { slot } = await api<{ slot: { start: string; end: string } }>('/urgent/preview', {
        method: 'POST',
        body: JSON.stringify({ relationshipId: chosenRows[0]!.id, ...(duration ? { durationMinutes: duration } : {}) }),
      });
      setUrgentOffer({ ...slot, requestKey: newKey(), relationshipId: chosenRows[0]!.id });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  async function confirmUrgent() {
    if (!urgentOffer || busy) return;
    setBusy('urgent');
    setError(undefined);
    try {
      const result = await api<{ session: { start: string; end: string }; duplicate: boolean }>('/urgent', {
        method: 'POST',
        body: JSON.stringify({ relationshipId: urgentOffer.relationshipId, requestKey: urgentOffer.requestKey, start: urgentOffer.start, ...(duration ? { durationMinutes: duration } : {}) }),
      });
      setUrgentOffer(undefined);
      setBooked(`Urgent supervision booked: ${formatDay(result.session.start, zone)}, ${formatTimeRange(result.session.start, result.session.end, zone)}.`);
    } catch (e) {
      const slot = (e as ApiError).details as { slot?: { start: string; end: string } } | undefined;
      if (slot?.slot) setUrgentOffer({ ...urgentOffer, ...slot.slot, requestKey: newKey() });
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  if (!rows) return error ? <section aria-labelledby="book-heading"><Title2 as="h1" id="book-heading">Book supervision</Title2><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></section> : <Spinner label="Loading…" />;
  if (individuals.length === 0) return <section aria-labelledby="book-heading"><Title2 as="h1" id="book-heading">Book supervision</Title2><Text as="p">There is nobody you can book supervision for.</Text></section>;

  const proposal = plan?.proposals.find((p) => p.id === proposalId);
  return (
    <section aria-labelledby="book-heading" style={{ display: 'grid', gap: 16 }}>
      <Title2 as="h1" id="book-heading">Book supervision</Title2>

      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend><Text weight="semibold">Supervisee (tick several for group supervision)</Text></legend>
        {individuals.map((r) => {
          const person = r.supervisees[0]!;
          return (
            <Checkbox
              key={r.id}
              label={`${person.name}, ${person.jobTitle}${r.viewpoint !== 'supervisor' ? ` (supervisor: ${r.supervisor})` : ''}`}
              checked={selected.includes(person.id)}
              onChange={(_, d) => setSelected((s) => (d.checked ? [...s, person.id] : s.filter((x) => x !== person.id)))}
            />
          );
        })}
      </fieldset>

      {policy && (
        <Card data-testid="policy-summary">
          <CardHeader header={<Title3 as="h2">{policy.policyName}</Title3>} description={<Text>{policy.staffGroupName}</Text>} />
          <Text>Frequency: {policy.frequency}</Text>
          <Text>Session length: {policy.duration.min}–{policy.duration.max} minutes (usually {policy.duration.default})</Text>
          {chosenRows[0]?.override && <Text>{rampWords(chosenRows[0].override)}</Text>}
          <Text size={200}>If a session is cancelled it is rebooked within {policy.rebookWindow}.</Text>
        </Card>
      )}

      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: 12 }}>
        <Field label="Start from">
          <DateField value={startDate} onChange={setStartDate} />
        </Field>
        <Field label="Length (minutes)" hint={policy ? `${policy.duration.min}–${policy.duration.max}` : undefined}>
          <Input type="number" value={duration === undefined ? '' : String(duration)} min={policy?.duration.min} max={policy?.duration.max} step={15}
            onChange={(_, d) => setDuration(d.value === '' ? undefined : Number(d.value))} />
        </Field>
        <Field label="Preferred day">
          <Select value={weekday} onChange={(_, d) => setWeekday(d.value)}>
            <option value="">Any day</option>
            {WEEKDAYS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </Select>
        </Field>
        <Field label="Preferred time">
          <Select value={time} onChange={(_, d) => setTime(d.value)}>
            <option value="">Any time</option>
            {TIMES.map((t) => <option key={t} value={t}>{t}</option>)}
          </Select>
        </Field>
      </div>

      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        <Button appearance="primary" onClick={findTimes} disabled={selected.length === 0 || busy !== undefined}>
          {busy === 'plan' ? 'Finding times…' : 'Find times'}
        </Button>
        <Button onClick={urgent} disabled={chosenRows.length !== 1 || busy !== undefined}>
          {busy === 'urgent' && !urgentOffer ? 'Finding…' : `Urgent: first free slot within ${policy?.urgentWindow ?? '24 hours'}`}
        </Button>
      </div>

      {urgentOffer && (
        <Card data-testid="urgent-offer">
          <Text weight="semibold">First free time in both calendars: {formatDay(urgentOffer.start, zone)}, {formatTimeRange(urgentOffer.start, urgentOffer.end, zone)}</Text>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            <Button appearance="primary" onClick={confirmUrgent} disabled={busy !== undefined}>{busy === 'urgent' ? 'Booking…' : 'Book this urgent session'}</Button>
            <Button onClick={() => setUrgentOffer(undefined)} disabled={busy !== undefined}>Cancel</Button>
          </div>
        </Card>
      )}

      <div aria-live="polite">
        {error && <MessageBar intent="error" role="alert"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
        {booked && <MessageBar intent="success" data-testid="booked"><MessageBarBody>{booked}</MessageBarBody></MessageBar>}
      </div>

      {plan && (
        <section aria-labelledby="proposals-heading" style={{ display: 'grid', gap: 12 }}>
          <Title3 as="h2" id="proposals-heading">Proposed patterns</Title3>
          {plan.proposals.length === 0 ? (
            <Text as="p">No pattern fits everyone's calendar within the policy. {plan.notes.join(' ')}</Text>
          ) : (
            <RadioGroup value={proposalId} onChange={(_, d) => setProposalId(d.value)} aria-label="Proposed patterns" data-testid="proposals">
              {plan.proposals.map((p) => (
                <Radio key={p.id} value={p.id} label={`${p.description}: ${p.occurrences.length} sessions${p.movedCount ? `, ${p.movedCount} moved` : ''}, longest gap ${p.maxGapDays} days`} />
              ))}
            </RadioGroup>
          )}
          {proposal && (
            <details open>
              <summary>Every session in this pattern</summary>
              <ol data-testid="occurrences">
                {proposal.occurrences.map((o) => (
                  <li key={o.start}>
                    {formatDay(o.start, zone)}, {formatTimeRange(o.start, o.end, zone)}{' '}
                    {o.moved && <Badge appearance="tint" color="warning" title={o.moved.reason}>moved from {formatDay(o.moved.from, zone)}: {o.moved.reason}</Badge>}
                  </li>
                ))}
              </ol>
            </details>
          )}
          {plan.rejectedTotal > 0 && (
            <details>
              <summary>Why other times were not offered ({plan.rejectedTotal})</summary>
              <ul>{plan.rejected.map((r, i) => <li key={i}>{r.candidate}: {r.reason}</li>)}</ul>
            </details>
          )}
          {proposal && (
            <div>
              <Button appearance="primary" onClick={book} disabled={busy !== undefined}>
                {busy === 'book' ? 'Booking…' : 'Book this series'}
              </Button>
            </div>
          )}
        </section>
      )}
    </section>
  );
}

/** "Every 1 weeks until 2026-10-18, then every 2 weeks until 2027-03-06 (newly qualified)": a ramp's steps in words. */
function rampWords(o: { interval: string; until: string; then?: { interval: string; until: string }[]; reason: string }): string {
  const steps = [{ interval: o.interval, until: o.until }, ...(o.then ?? [])];
  return `${steps.map((s, i) => `${i ? 'then e' : 'E'}very ${s.interval.replace('P', '').replace('W', ' weeks')} until ${s.until}`).join(', ')} (${o.reason.replace('-', ' ')})`;
}
