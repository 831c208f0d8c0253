/** Local mode only: choose which seed person to be (a tenant signs in with Entra ID). */
import { Button, Card, CardHeader, Field, Select, Text, Title2 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, type SignInOption } from '../api';
import { ROLE_LABELS } from '../format';

export function SignInPicker({ onChosen }: { onChosen: (id: string) => void }) {
  const [people, setPeople] = useState<SignInOption[]>([]);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<{ people: SignInOption[] }>('/sign-in-options')
      .then((r) => {
        setPeople(r.people);
        setChosen(r.people[0]?.id ?? '');
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  return (
    <Card style={{ maxWidth: 520 }}>
      <CardHeader header={<Title2 as="h1">Sign in as</Title2>} description={<Text>Local demo: pick a person from the Riverside seed organisation.</Text>} />
      {error && <Text role="alert">{error}</Text>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen) onChosen(chosen);
        }}
      >
        <Field label="Person">
          <Select id="sign-in-person" value={chosen} onChange={(_, d) => setChosen(d.value)}>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}: {p.jobTitle} ({p.roles.map((r) => ROLE_LABELS[r] ?? r).join(', ')})
              </option>
            ))}
          </Select>
        </Field>
        <Button appearance="primary" type="submit" style={{ marginTop: 12 }} disabled={!chosen}>
          Sign in
        </Button>
      </form>
    </Card>
  );
}
