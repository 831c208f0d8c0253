/** A record by its URL: read it, or (for its parties) work on it in the tab. */
import { MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { navigate } from '../route';
import { ReadOnlyRecord, RecordView } from './RecordView';

export function RecordPage({ recordId }: { recordId: string }) {
  return <RecordView recordId={recordId}>{(detail) => <ReadOnlyRecord detail={detail} />}</RecordView>;
}

/** "Start the record" from the to-do list: the same draft the chat card uses (one record per session). */
export function RecordStart({ sessionId }: { sessionId: string }) {
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ id: string }>(`/sessions/${encodeURIComponent(sessionId)}/record`, { method: 'POST' })
      .then((r) => navigate(`/records/${encodeURIComponent(r.id)}`, undefined, true))
      .catch((e: Error) => setError(e.message));
  }, [sessionId]);
  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  return <Spinner label="Opening the record…" />;
}
