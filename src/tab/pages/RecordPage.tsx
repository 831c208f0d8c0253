/**
 * A record by its URL. Its parties work on it here with the very card the chat
 * shows (same template, same draft, same workflow), rendered by the official
 * Adaptive Cards renderer; others (an auditor, a line manager asked to help
 * resolve a disagreement) read it. Versions and the comments between them follow.
 */
import { Card, MessageBar, MessageBarBody, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { AdaptiveCardView, type ExecuteRequest } from '../components/AdaptiveCardView';
import { formatDay } from '../format';
import { navigate } from '../route';
import { ReadOnlyRecord, RECORD_STATUS, RecordView, type RecordDetail } from './RecordView';

export function RecordPage({ recordId }: { recordId: string }) {
  return (
    <RecordView recordId={recordId}>
      {(detail, reload) => (
        <>
          {detail.access === 'party' ? <RecordWork recordId={recordId} onChanged={reload} /> : <ReadOnlyRecord detail={detail} />}
          <Versions detail={detail} />
        </>
      )}
    </RecordView>
  );
}

export function RecordWork({ recordId, onChanged }: { recordId: string; onChanged: () => void }) {
  const [card, setCard] = useState<Record<string, unknown>>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ card: Record<string, unknown> }>(`/records/${encodeURIComponent(recordId)}/card`).then((r) => setCard(r.card)).catch((e: Error) => setError(e.message));
  }, [recordId]);

  async function execute(r: ExecuteRequest) {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const next = await api<{ card: Record<string, unknown> }>(`/records/${encodeURIComponent(recordId)}/card`, { method: 'POST', body: JSON.stringify({ verb: r.verb, data: r.data }) });
      setCard(next.card);
      onChanged();
    } catch (e) {
      // The card stays as it is, with what was typed; the reason shows above it.
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card data-testid="record-card">
      <div aria-live="polite">{error && <MessageBar layout="multiline" intent="error" role="alert"><MessageBarBody>{error}</MessageBarBody></MessageBar>}</div>
      {busy && <Spinner size="tiny" label="Saving…" />}
      {card ? <AdaptiveCardView card={card} onExecute={execute} label="Supervision record" /> : !error && <Spinner label="Loading the record form…" />}
    </Card>
  );
}

function Versions({ detail }: { detail: RecordDetail }) {
  const versions = detail.versions ?? [];
  if (versions.length <= 1 && !detail.record.disagreement) return null;
  return (
    <section aria-labelledby="versions-heading">
      <Text as="h2" id="versions-heading" weight="semibold" size={400}>Versions</Text>
      <ol data-testid="versions" style={{ paddingInlineStart: 20 }}>
        {versions.map((v, i) => (
          <li key={`${v.version}-${i}`}>
            <Text>Version {v.version}: {RECORD_STATUS[v.status]?.[1] ?? v.status}, {formatDay(v.updatedAt, detail.timeZone)}</Text>
            {v.comment && <Text as="p" style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>Comment: {v.comment}</Text>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "Start the record" from the to-do list: the same draft the chat card uses (one record per session). */
export function RecordStart({ sessionId }: { sessionId: string }) {
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ id: string }>(`/sessions/${encodeURIComponent(sessionId)}/record`, { method: 'POST' })
      .then((r) => navigate(`/records/${encodeURIComponent(r.id)}`, undefined, true))
      .catch((e: Error) => setError(e.message));
  }, [sessionId]);
  if (error) return <MessageBar layout="multiline" intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  return <Spinner label="Opening the record…" />;
}
