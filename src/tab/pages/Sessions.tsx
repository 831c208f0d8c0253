/**
 * Sessions: a month of booked supervision (#/sessions?month=2026-12), and one
 * session by its URL (#/sessions/<id>): move this occurrence to a common free
 * time (both people's busy times shown), cancel it with a reason when the pack
 * allows, or end the series to change it.
 */
import {
  Badge, Button, Card, Field, Link, MessageBar, MessageBarBody, Radio, RadioGroup, Spinner, Text, Textarea, Title2,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, fieldErrors, type Me } from '../api';
import { formatDay, formatMonth, formatTimeRange, formatWeekday, localDayKey } from '../format';
import { href, navigate } from '../route';


export function Sessions({ sessionId, relationshipId, month }: { sessionId?: string; relationshipId?: string; month?: string }) {
  if (sessionId) return <SessionDetail sessionId={sessionId} />;
  return <MonthView relationshipId={relationshipId} month={month} />;
}

function MonthView({ relationshipId, month }: { relationshipId?: string; month?: string }) {
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();
  useEffect(() => void api<Me>('/me').then(setMe).catch((e: Error) => setError(e.message)), []);
  const current = /^\d{4}-\d{2}$/.test(month ?? '') ? month! : me ? localDayKey(new Date().toISOString(), me.timeZone).slice(0, 7) : '';
  const [y, m] = current.split('-').map(Number) as [number, number];
  const shift = (n: number) => {
    const d = new Date(Date.UTC(y, m - 1 + n, 1));
    navigate('/sessions', { month: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`, rel: relationshipId });
  };
  if (error) return <MessageBar layout="multiline" intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!me) return <Spinner label="Loading sessions…" />;
  // Each session falls on the day (and month) its own pack's clock says.
  const inMonth = me.upcoming.filter((s) => (!relationshipId || s.relationshipId === relationshipId) && localDayKey(s.start, s.timeZone).startsWith(current));
  const byDay = new Map<string, typeof inMonth>();
  for (const s of inMonth) {
    const k = localDayKey(s.start, s.timeZone);
    byDay.set(k, [...(byDay.get(k) ?? []), s]);
  }
  return (
    <section aria-labelledby="sessions-heading" style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title2 as="h1" id="sessions-heading">Sessions</Title2>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
        <Button onClick={() => shift(-1)} aria-label="Previous month">‹</Button>
        <Text as="h2" weight="semibold" size={400} style={{ margin: 0 }} data-testid="month">{formatMonth(`${current}-15`, me.timeZone)}</Text>
        <Button onClick={() => shift(1)} aria-label="Next month">›</Button>
      </div>
      {inMonth.length === 0 ? (
        <Text as="p">No supervision booked this month.</Text>
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 8 }} data-testid="sessions">
          {[...byDay.entries()].map(([day, list]) => (
            <li key={day}>
              <Text weight="semibold">{formatWeekday(list[0]!.start, list[0]!.timeZone)}</Text>
              <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {list.map((s) => (
                  <li key={s.id} data-session={s.id}>
                    <Link href={href(`/sessions/${encodeURIComponent(s.id)}`)}>{formatTimeRange(s.start, s.end, s.timeZone)} with {s.with.join(', ')}</Link>
                    {s.kind !== 'planned' && <Badge appearance="outline" style={{ marginInlineStart: 8 }}>{s.kind === 'rebooked' ? 'Rebooked' : 'Urgent'}</Badge>}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface SessionView {
  id: string; relationshipId: string; start: string; end: string; status: string; kind: string; seriesId?: string;
  with: string[]; supervisor: string; supervisees: string[];
  noMeetingLink?: boolean;
  can: { reschedule: boolean; cancel: boolean; endSeries: boolean; keepRebookedTime: boolean };
  cancelRule: string;
  /** The pack's zone: every time on this page is read in it. */
  timeZone: string;
}
interface Options { slots: { start: string; end: string }[]; busy: { personId: string; name: string; intervals: { start: string; end: string }[] }[] }

function SessionDetail({ sessionId }: { sessionId: string }) {
  const [view, setView] = useState<SessionView>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [options, setOptions] = useState<Options>();
  const [chosen, setChosen] = useState('');
  const [reason, setReason] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const load = () => api<{ session: SessionView }>(`/sessions/${encodeURIComponent(sessionId)}`).then((r) => setView(r.session)).catch((e: Error) => setError(e.message));
  useEffect(() => void load(), [sessionId]);

  async function act(fn: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setFields({});
    try {
      await fn();
    } catch (e) {
      setFields(fieldErrors(e));
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  const findTimes = () => act(async () => setOptions(await api<Options>(`/sessions/${encodeURIComponent(sessionId)}/reschedule`)));
  const move = () => act(async () => {
    const slot = options!.slots.find((s) => s.start === chosen)!;
    const r = await api<{ session: SessionView }>(`/sessions/${encodeURIComponent(sessionId)}/reschedule`, { method: 'POST', body: JSON.stringify(slot) });
    setView(r.session);
    setOptions(undefined);
    setNotice(`Moved to ${formatDay(slot.start, r.session.timeZone)}, ${formatTimeRange(slot.start, slot.end, r.session.timeZone)}. Both calendars are updated; the rest of the series is unchanged.`);
  });
  const cancel = () => act(async () => {
    const r = await api<{ session: SessionView }>(`/sessions/${encodeURIComponent(sessionId)}/cancel`, { method: 'POST', body: JSON.stringify({ reason }) });
    setView(r.session);
    setNotice('Cancelled in both calendars. It still counts towards how often supervision is due.');
  });
  const keepTime = () => act(async () => {
    const r = await api<{ session: SessionView }>(`/sessions/${encodeURIComponent(sessionId)}/keep-time`, { method: 'POST' });
    setView(r.session);
    setNotice('Kept. This time stays in both calendars and leaves your to-do list.');
  });
  const endSeries = () => act(async () => {
    const r = await api<{ ended: number }>(`/sessions/${encodeURIComponent(sessionId)}/end-series`, { method: 'POST' });
    setNotice(`Series ended: ${r.ended} session(s) cancelled in both calendars. Book the new pattern now.`);
    setConfirmEnd(false);
    await load();
  });

  if (!view && !error) return <Spinner label="Loading the session…" />;
  return (
    <section aria-labelledby="session-heading" style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Link href={href('/sessions')}>All sessions</Link>
      <Title2 as="h1" id="session-heading">Supervision session</Title2>
      <div aria-live="polite">
        {error && <MessageBar layout="multiline" intent="error" role="alert"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
        {notice && <MessageBar layout="multiline" intent="success" data-testid="session-notice"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
      </div>
      {view && (
        <>
          <Card>
            <Text weight="semibold" data-testid="session-when">{formatDay(view.start, view.timeZone)}, {formatTimeRange(view.start, view.end, view.timeZone)}</Text>
            <Text>With {view.with.join(', ')}{view.seriesId ? ' · part of a series' : ''}</Text>
            <Link href={href(`/agenda/${encodeURIComponent(view.id)}`)}>Agenda and my private note</Link>
            <div><Badge appearance="tint" color={view.status === 'planned' ? 'brand' : 'danger'}>{view.status === 'planned' ? 'Booked' : view.status[0]!.toUpperCase() + view.status.slice(1)}</Badge></div>
            {view.noMeetingLink && (
              <MessageBar intent="warning" data-testid="no-meeting-link"><MessageBarBody>No Teams meeting link: the organiser's calendar does not allow Teams meetings. Add a location or a link in Outlook.</MessageBarBody></MessageBar>
            )}
          </Card>
          {view.can.keepRebookedTime && (
            <Card data-testid="keep-rebooked">
              <Text as="h2" weight="semibold" size={400} style={{ margin: 0 }}>Rebooked for you</Text>
              <Text>A cancelled session was rebooked at this time in both calendars. Keep it, move it below, or cancel it with a reason.</Text>
              <div><Button appearance="primary" onClick={keepTime} disabled={busy}>Keep this time</Button></div>
            </Card>
          )}
          {view.can.reschedule && (
            <Card>
              <Text as="h2" weight="semibold" size={400} style={{ margin: 0 }}>Move this session</Text>
              {!options ? (
                <div><Button onClick={findTimes} disabled={busy}>Find common free times</Button></div>
              ) : (
                <>
                  {options.slots.length === 0 ? <Text>No common free time within the policy's window.</Text> : (
                    <Field label="Times free for both of you" validationState={fields.start ? 'error' : undefined} validationMessage={fields.start}>
                      <RadioGroup value={chosen} onChange={(_, d) => setChosen(d.value)} data-testid="slots">
                        {options.slots.map((s) => <Radio key={s.start} value={s.start} label={`${formatDay(s.start, view.timeZone)}, ${formatTimeRange(s.start, s.end, view.timeZone)}`} />)}
                      </RadioGroup>
                    </Field>
                  )}
                  <details>
                    <summary>Busy times (both calendars)</summary>
                    {options.busy.map((b) => (
                      <div key={b.personId}>
                        <Text weight="semibold">{b.name}</Text>
                        <ul data-testid="busy">{b.intervals.slice(0, 30).map((i) => <li key={i.start}>{formatDay(i.start, view.timeZone)}, {formatTimeRange(i.start, i.end, view.timeZone)}</li>)}</ul>
                      </div>
                    ))}
                  </details>
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                    <Button appearance="primary" onClick={move} disabled={!chosen || busy}>Move to this time</Button>
                    <Button onClick={() => setOptions(undefined)}>Cancel</Button>
                  </div>
                </>
              )}
            </Card>
          )}
          {view.status === 'planned' && (
            <Card>
              <Text as="h2" weight="semibold" size={400} style={{ margin: 0 }}>Cancel this session</Text>
              <Text size={200}>{view.cancelRule}</Text>
              {view.can.cancel ? (
                <>
                  <Field label="Reason (kept in Protected Time only)" required validationState={fields.reason ? 'error' : undefined} validationMessage={fields.reason}>
                    <Textarea value={reason} onChange={(_, d) => setReason(d.value)} maxLength={300} />
                  </Field>
                  <div><Button onClick={cancel} disabled={busy}>Cancel this session</Button></div>
                </>
              ) : (
                <Text size={200}>You can move it instead.</Text>
              )}
            </Card>
          )}
          {view.can.endSeries && (
            <Card>
              <Text as="h2" weight="semibold" size={400} style={{ margin: 0 }}>Change or end the series</Text>
              <Text size={200}>Ending the series cancels this and every later session of it in both calendars. To change the pattern, end it here, then book the new one.</Text>
              {!confirmEnd ? (
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                  <Button onClick={() => setConfirmEnd(true)}>End the series from this session</Button>
                  <Button onClick={() => navigate(`/book/${view.relationshipId}`)}>Book a new pattern</Button>
                </div>
              ) : (
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                  <Button appearance="primary" onClick={endSeries} disabled={busy}>Yes, end the series</Button>
                  <Button onClick={() => setConfirmEnd(false)}>Keep it</Button>
                </div>
              )}
            </Card>
          )}
        </>
      )}
    </section>
  );
}
