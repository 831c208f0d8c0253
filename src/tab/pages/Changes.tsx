/**
 * People change: hand an arrangement over to a new supervisor (with a note for
 * them), arrange cover for a period, end an arrangement, and the directory
 * changes that ask this person to act. The note is only ever shown to the new
 * supervisor and safeguarding leads (the server decides and audits each read).
 */
import {
  Badge, Button, Checkbox, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea, Title2, Title3,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { formatDate, formatDay } from '../format';

interface Arrangement { id: string; kind: string; supervisorId: string; supervisor: string; supervisees: { id: string; name: string }[]; hasNotes: boolean }
interface Flag {
  id: string; kind: string; personId: string; personName: string; open: boolean; asked: boolean; raisedAt: string; agreementDueOn?: string;
  arrangements: { id: string; supervisor: string; supervisees: string[]; active: boolean }[];
}
interface Cover { id: string; relationshipId: string; coverName: string; originalName: string; superviseeNames: string[]; from: string; until: string; status: string; heldInPeriod: number; bookedInPeriod: number }
interface Note { moveId: string; text: string; writtenBy: string; at: string; /** The arrangement's pack's zone. */ timeZone: string }

const FLAG_WORDS: Record<string, string> = {
  'new-starter': 'New starter: set up supervision',
  'leaver-supervisor': 'Left: hand over their supervisees',
  'leaver-supervisee': 'Left: end their supervision (records are kept)',
  'manager-changed': 'Line manager changed: consider a handover',
};

const newKey = () => `tab-${crypto.randomUUID()}`;

export function Changes() {
  const [data, setData] = useState<{ arrangements: Arrangement[]; supervisors: { id: string; name: string }[] }>();
  const [flags, setFlags] = useState<Flag[]>([]);
  const [covers, setCovers] = useState<Cover[]>([]);
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [to, setTo] = useState<string>();
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [notes, setNotes] = useState<Record<string, Note[]>>({});
  const [requestKey, setRequestKey] = useState(newKey);

  const load = useCallback(() => {
    Promise.all([
      api<{ arrangements: Arrangement[]; supervisors: { id: string; name: string }[] }>('/arrangements/manageable'),
      api<{ flags: Flag[] }>('/people-flags'),
      api<{ covers: Cover[] }>('/covers'),
    ])
      .then(([a, f, c]) => {
        setData(a);
        setFlags(f.flags);
        setCovers(c.covers);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    try {
      setMessage(await what());
      setRequestKey(newKey());
      setChosen([]);
      setNote('');
      load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!data) return error ? <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar> : <Spinner label="Loading…" />;
  const names = (a: Arrangement) => a.supervisees.map((s) => s.name).join(', ');
  const manageable = data.arrangements;
  const toName = data.supervisors.find((s) => s.id === to)?.name ?? '';

  return (
    <section aria-labelledby="changes-heading">
      <Title2 as="h1" id="changes-heading">Changes</Title2>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {message && <MessageBar intent="success" data-testid="change-result"><MessageBarBody>{message}</MessageBarBody></MessageBar>}

      <Title3 as="h2">Asked of you</Title3>
      {flags.length === 0 ? (
        <Text as="p">Nothing needs you.</Text>
      ) : (
        <ul data-testid="flags">
          {flags.map((f) => (
            <li key={f.id} data-flag={f.kind} data-open={String(f.open)}>
              <Text weight="semibold">{f.personName}</Text>: {FLAG_WORDS[f.kind] ?? f.kind}
              {f.agreementDueOn && <> · <span data-testid="agreement-due">Supervision agreement due by {formatDate(f.agreementDueOn)}</span></>}
              {f.arrangements.length > 0 && <> · {f.arrangements.map((a) => `${a.supervisees.join(', ')} with ${a.supervisor}`).join('; ')}</>}{' '}
              <Badge appearance="tint" color={f.open ? 'warning' : 'success'}>{f.open ? 'To do' : 'Done'}</Badge>
              {f.open && f.asked && (
                <Button size="small" appearance="subtle" onClick={() => run(async () => (await api(`/people-flags/${encodeURIComponent(f.id)}/dismiss`, { method: 'POST' }), 'Dismissed: nothing was changed.'))}>
                  No action needed
                </Button>
              )}
              {f.open && f.asked && f.arrangements.some((a) => a.active) && (
                <Button size="small" onClick={() => setChosen(f.arrangements.filter((a) => a.active && manageable.some((m) => m.id === a.id)).map((a) => a.id))}>
                  Choose {f.kind === 'leaver-supervisee' ? 'to end' : 'to hand over'} below
                </Button>
              )}
              {f.open && f.kind === 'new-starter' && f.asked && to && (
                <Button size="small" onClick={() => run(async () => (await api('/arrangements', { method: 'POST', body: JSON.stringify({ superviseeId: f.personId, supervisorId: to }) }), `Supervision set up for ${f.personName} with ${toName}: book it in Book.`))}>
                  Set up supervision with {toName}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}

      <Title3 as="h2">Hand over, cover or end</Title3>
      {manageable.length === 0 ? (
        <Text as="p">There are no arrangements you can change.</Text>
      ) : (
        <>
          <Table aria-label="Arrangements you can change" data-testid="arrangements">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Choose</TableHeaderCell>
                <TableHeaderCell>Supervisee(s)</TableHeaderCell>
                <TableHeaderCell>Supervisor</TableHeaderCell>
                <TableHeaderCell>Handover notes</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {manageable.map((a) => (
                <TableRow key={a.id} data-relationship={a.id}>
                  <TableCell>
                    <Checkbox
                      aria-label={`Choose ${names(a)}`}
                      checked={chosen.includes(a.id)}
                      onChange={(_, d) => setChosen((c) => (d.checked ? [...c, a.id] : c.filter((x) => x !== a.id)))}
                    />
                  </TableCell>
                  <TableCell>{names(a)}{a.kind === 'group' ? ' (group)' : ''}</TableCell>
                  <TableCell>{a.supervisor}</TableCell>
                  <TableCell>
                    {a.hasNotes && (
                      <Button size="small" onClick={() => api<{ notes: Note[]; timeZone: string }>(`/relationships/${encodeURIComponent(a.id)}/handover-notes`).then((r) => setNotes((n) => ({ ...n, [a.id]: r.notes.map((x) => ({ ...x, timeZone: r.timeZone })) })), (e: Error) => setError(e.message))}>
                        Read handover note
                      </Button>
                    )}
                    {(notes[a.id] ?? []).map((n) => (
                      <blockquote key={n.moveId} data-testid="handover-note">{n.text} <Text size={200}>({n.writtenBy}, {formatDay(n.at, n.timeZone)})</Text></blockquote>
                    ))}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Field label="New (or covering) supervisor">
            <Dropdown placeholder="Choose a supervisor" value={toName} onOptionSelect={(_, d) => setTo(d.optionValue)}>
              {data.supervisors.map((s) => <Option key={s.id} value={s.id}>{s.name}</Option>)}
            </Dropdown>
          </Field>
          <Field label="Handover note for the new supervisor (only they and safeguarding leads can read it)">
            <Textarea value={note} onChange={(_, d) => setNote(d.value)} maxLength={4000} />
          </Field>
          <Button appearance="primary" disabled={busy || !chosen.length || !to} onClick={() => run(async () => {
            const r = await api<{ handovers: { outcome: string; booked: number; notBookedReason?: string }[] }>('/handovers', { method: 'POST', body: JSON.stringify({ relationshipIds: chosen, toId: to, ...(note.trim() ? { note } : {}), requestKey }) });
            const booked = r.handovers.reduce((n, h) => n + h.booked, 0);
            return `Handed over to ${toName}: ${booked} session${booked === 1 ? '' : 's'} booked in their calendar.${r.handovers.some((h) => h.notBookedReason) ? ' Some could not be booked automatically: please book them.' : ''}`;
          })}>
            Hand over
          </Button>
          <Field label="Cover until (the first day back)">
            <Input type="date" value={until} onChange={(_, d) => setUntil(d.value)} />
          </Field>
          <Button disabled={busy || !chosen.length || !to || !until} onClick={() => run(async () => {
            await api('/covers', { method: 'POST', body: JSON.stringify({ relationshipIds: chosen, coverId: to, until, requestKey }) });
            return `${toName} covers until ${formatDate(until)}; it reverts on that day.`;
          })}>
            Arrange cover
          </Button>
          <Field label="Why the arrangement ends (kept in the app only)">
            <Input value={reason} onChange={(_, d) => setReason(d.value)} />
          </Field>
          <Button disabled={busy || chosen.length !== 1 || !reason.trim()} onClick={() => run(async () => {
            const r = await api<{ cancelled: number }>(`/relationships/${encodeURIComponent(chosen[0]!)}/end`, { method: 'POST', body: JSON.stringify({ reason }) });
            return `Arrangement ended: ${r.cancelled} future session${r.cancelled === 1 ? '' : 's'} cancelled; records and history are kept.`;
          })}>
            End arrangement
          </Button>
        </>
      )}

      <Title3 as="h2">Cover</Title3>
      {covers.length === 0 ? (
        <Text as="p">No cover arranged.</Text>
      ) : (
        <Table aria-label="Who covered what" data-testid="covers">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Supervisee(s)</TableHeaderCell>
              <TableHeaderCell>Usual supervisor</TableHeaderCell>
              <TableHeaderCell>Covered by</TableHeaderCell>
              <TableHeaderCell>Period</TableHeaderCell>
              <TableHeaderCell>Sessions held / booked in period</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {covers.map((c) => (
              <TableRow key={c.id}>
                <TableCell>{c.superviseeNames.join(', ')}</TableCell>
                <TableCell>{c.originalName}</TableCell>
                <TableCell>{c.coverName}</TableCell>
                <TableCell>{formatDate(c.from)} – {formatDate(c.until)}</TableCell>
                <TableCell>{c.heldInPeriod} / {c.bookedInPeriod}</TableCell>
                <TableCell>{c.status}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
