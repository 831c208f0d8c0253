/**
 * A session's shared agenda (#/agenda/<sessionId>): the policy's standing
 * items, topics not reached last time, open actions, and what either person
 * adds, each ticked as discussed; whether the agreement is in date; and the
 * viewer's own private note, which nobody else ever sees. The same page is the
 * heart of the Teams meeting side panel (MeetingPanel below).
 */
import {
  Badge, Button, Card, Checkbox, Field, Link, MessageBar, MessageBarBody, Spinner, Text, Textarea, Title2,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, fieldErrors } from '../api';
import { formatDay, formatTime, formatTimeRange } from '../format';
import { href } from '../route';
import { RecordWork } from './RecordPage';

export interface AgendaLineView {
  id: string;
  kind: 'standing' | 'carried-topic' | 'open-action' | 'added';
  text: string;
  discussed: boolean;
  addedByName?: string;
  ownerName?: string;
  dueOn?: string;
  fromSessionStart?: string;
  mine: boolean;
}

export interface AgendaView {
  session: { id: string; start: string; end: string; status: string };
  relationshipId: string;
  supervisorName: string;
  superviseeNames: string[];
  /** The pack's zone: the session's time is read in it. */
  timeZone: string;
  lines: AgendaLineView[];
  agreement: { finding: string; reviewOn?: string; words: string; checkedEachSession: boolean };
  open: boolean;
  started: boolean;
  recordId?: string;
}

const KIND_LABEL: Record<AgendaLineView['kind'], string> = {
  standing: 'Standing item',
  'carried-topic': 'Not reached last time',
  'open-action': 'Open action',
  added: 'Added',
};

const path = (sessionId: string, rest = '') => `/sessions/${encodeURIComponent(sessionId)}${rest}`;

export function AgendaPage({ sessionId }: { sessionId: string }) {
  const [view, setView] = useState<AgendaView>();
  return (
    <section aria-labelledby="agenda-heading" style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Link href={href(`/sessions/${encodeURIComponent(sessionId)}`)}>The session</Link>
      <AgendaPanel sessionId={sessionId} headingId="agenda-heading" onLoaded={setView} />
      {view?.started && <Link href={href(view.recordId ? `/records/${encodeURIComponent(view.recordId)}` : `/records/session/${encodeURIComponent(sessionId)}`)}>{view.recordId ? 'Open the record' : 'Start the record from this agenda'}</Link>}
      <PrivateNote sessionId={sessionId} timeZone={view?.timeZone} />
    </section>
  );
}

export function AgendaPanel({ sessionId, headingId, onLoaded }: { sessionId: string; headingId: string; onLoaded?: (v: AgendaView) => void }) {
  const [view, setView] = useState<AgendaView>();
  const [error, setError] = useState<string>();
  const [text, setText] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const show = (v: AgendaView) => {
    setView(v);
    onLoaded?.(v);
  };
  useEffect(() => {
    api<AgendaView>(path(sessionId, '/agenda')).then(show).catch((e: Error) => setError(e.message));
  }, [sessionId]);

  async function act(fn: () => Promise<AgendaView>) {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setFields({});
    try {
      show(await fn());
    } catch (e) {
      setFields(fieldErrors(e));
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  const add = () =>
    act(async () => {
      const v = await api<AgendaView>(path(sessionId, '/agenda/items'), { method: 'POST', body: JSON.stringify({ text }) });
      setText('');
      return v;
    });
  const tick = (line: AgendaLineView, discussed: boolean) =>
    act(() => api<AgendaView>(path(sessionId, `/agenda/items/${encodeURIComponent(line.id)}/discussed`), { method: 'POST', body: JSON.stringify({ discussed }) }));
  const remove = (line: AgendaLineView) => act(() => api<AgendaView>(path(sessionId, `/agenda/items/${encodeURIComponent(line.id)}`), { method: 'DELETE' }));

  if (!view && !error) return <Spinner label="Loading the agenda…" />;
  const agreementOk = view?.agreement.finding === 'in-date';
  return (
    <Card data-testid="agenda">
      <Title2 as="h1" id={headingId} style={{ margin: 0 }}>Agenda</Title2>
      <div aria-live="polite">{error && <MessageBar layout="multiline" intent="error" role="alert"><MessageBarBody>{error}</MessageBarBody></MessageBar>}</div>
      {view && (
        <>
          <Text data-testid="agenda-when">
            {formatDay(view.session.start, view.timeZone)}, {formatTimeRange(view.session.start, view.session.end, view.timeZone)}: {view.supervisorName} with {view.superviseeNames.join(', ')}
          </Text>
          <MessageBar intent={agreementOk ? 'success' : 'warning'} data-testid="agreement-check" data-finding={view.agreement.finding}>
            <MessageBarBody>{view.agreement.words}{view.agreement.checkedEachSession ? ' The policy asks for it to be checked at the start of every session.' : ''}</MessageBarBody>
          </MessageBar>
          {view.lines.length === 0 && <Text>Nothing on the agenda yet.</Text>}
          <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 4 }}>
            {view.lines.map((line) => (
              <li key={line.id} data-testid="agenda-line" data-kind={line.kind} style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 }}>
                {line.kind === 'open-action' ? (
                  <Text style={{ paddingInlineStart: 8, overflowWrap: 'anywhere' }}>{line.text}</Text>
                ) : (
                  <Checkbox checked={line.discussed} disabled={busy} onChange={(_, d) => tick(line, Boolean(d.checked))} label={<span style={{ overflowWrap: 'anywhere' }}>{line.text}</span>} />
                )}
                <Badge appearance="tint" color={line.kind === 'carried-topic' || line.kind === 'open-action' ? 'warning' : 'informative'}>{KIND_LABEL[line.kind]}</Badge>
                {line.addedByName && <Text size={200}>{line.addedByName}</Text>}
                {line.kind === 'open-action' && <Text size={200}>{line.ownerName}, due {line.dueOn}</Text>}
                {line.mine && <Button size="small" appearance="subtle" onClick={() => remove(line)} disabled={busy} aria-label={`Take "${line.text.slice(0, 40)}" off the agenda`}>Remove</Button>}
              </li>
            ))}
          </ul>
          {view.open && (
            <div style={{ display: 'grid', gap: 8 }}>
              <Field label="Add to the agenda (both of you see it; it is kept with your supervision records)" validationState={fields.text ? 'error' : undefined} validationMessage={fields.text}>
                <Textarea value={text} onChange={(_, d) => setText(d.value)} maxLength={1000} data-testid="agenda-new" />
              </Field>
              <div><Button appearance="primary" onClick={add} disabled={busy || !text.trim()}>Add to the agenda</Button></div>
            </div>
          )}
        </>
      )}
    </Card>
  );
}

/** `timeZone`: the session's pack's zone (from its agenda), for when the note was saved. */
export function PrivateNote({ sessionId, timeZone }: { sessionId: string; timeZone?: string }) {
  const [text, setText] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ text: string; updatedAt?: string }>(path(sessionId, '/note')).then((n) => setText(n.text)).catch((e: Error) => setError(e.message));
  }, [sessionId]);
  async function save() {
    setBusy(true);
    setError(undefined);
    try {
      const n = await api<{ text: string; updatedAt: string }>(path(sessionId, '/note'), { method: 'PUT', body: JSON.stringify({ text: text ?? '' }) });
      setSaved(timeZone ? `Saved ${formatDay(n.updatedAt, timeZone)}, ${formatTime(n.updatedAt, timeZone)}.` : 'Saved.');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card data-testid="private-note">
      <Text as="h2" weight="semibold" size={400} style={{ margin: 0 }}>My private note</Text>
      <Text size={200}>Only you can see this note. It is part of your own data if you ask for a copy.</Text>
      {error && <MessageBar intent="error" role="alert"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {text === undefined && !error ? <Spinner size="tiny" /> : (
        <>
          <Textarea value={text ?? ''} onChange={(_, d) => setText(d.value)} maxLength={20000} aria-label="My private note" />
          <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <Button onClick={save} disabled={busy}>Save my note</Button>
            {saved && <Text size={200} data-testid="note-saved">{saved}</Text>}
          </div>
        </>
      )}
    </Card>
  );
}

/**
 * The Teams meeting side panel: finds the session this meeting is (by the
 * meeting's thread, which the app's booked calendar event carries), then shows
 * its agenda and, once the session has started, its record form.
 */
export function MeetingPanel({ meeting }: { meeting: { meetingId?: string; chatId?: string } }) {
  const [sessionId, setSessionId] = useState<string>();
  const [error, setError] = useState<string>();
  const [view, setView] = useState<AgendaView>();
  useEffect(() => {
    api<{ sessionId: string }>('/meeting/session', { method: 'POST', body: JSON.stringify(meeting) })
      .then((r) => setSessionId(r.sessionId))
      .catch((e: Error) => setError(e.message));
  }, [meeting.meetingId, meeting.chatId]);
  if (error) return <MessageBar layout="multiline" intent="warning" data-testid="side-panel-error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!sessionId) return <Spinner label="Finding this session…" />;
  return (
    <section data-testid="side-panel" style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <AgendaPanel sessionId={sessionId} headingId="side-agenda-heading" onLoaded={setView} />
      {view && <SidePanelRecord sessionId={sessionId} view={view} />}
      <PrivateNote sessionId={sessionId} timeZone={view?.timeZone} />
    </section>
  );
}

function SidePanelRecord({ sessionId, view }: { sessionId: string; view: AgendaView }) {
  const [recordId, setRecordId] = useState(view.recordId);
  const [error, setError] = useState<string>();
  // The app's clock decides (local mode's test clock may be ahead of the browser's).
  const started = view.started;
  useEffect(() => {
    if (recordId || !started) return;
    api<{ id: string }>(path(sessionId, '/record'), { method: 'POST' }).then((r) => setRecordId(r.id)).catch((e: Error) => setError(e.message));
  }, [sessionId, recordId, started]);
  if (!recordId && !started) return <Text data-testid="record-later">The record form opens here when the session starts.</Text>;
  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!recordId) return <Spinner label="Opening the record…" />;
  return <RecordWork recordId={recordId} onChanged={() => undefined} />;
}
