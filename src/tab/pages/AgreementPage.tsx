/** One arrangement's supervision agreement, opened by its own URL (#/agreements/<relationship>). */
import { Link, MessageBar, MessageBarBody, Spinner, Text, Title2 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, type Me } from '../api';
import { AgreementPanel } from '../components/AgreementPanel';
import { href } from '../route';

export function AgreementPage({ relationshipId, personId }: { relationshipId: string; personId: string }) {
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();
  useEffect(() => void api<Me>('/me').then(setMe).catch((e: Error) => setError(e.message)), []);
  const rel = me?.relationships.find((r) => r.id === relationshipId);
  return (
    <section aria-labelledby="agreement-heading" style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Link href={href('/todo')}>Back to my to-do list</Link>
      <Title2 as="h1" id="agreement-heading">Supervision agreement</Title2>
      {error && <MessageBar layout="multiline" intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {!me && !error && <Spinner label="Loading…" />}
      {me && !rel && <Text as="p">This arrangement is not one of yours.</Text>}
      {me && rel && (
        <>
          <Text as="p">Supervision of {rel.supervisees.join(', ')} by {rel.supervisor} · {rel.policy}</Text>
          <AgreementPanel relationshipId={rel.id} personId={me.person.id} viewpoint={rel.viewpoint} kind={rel.kind} />
        </>
      )}
    </section>
  );
}
