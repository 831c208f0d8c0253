/** The tab shell: theme from the host, identity, and the page. */
import {
  Button, FluentProvider, Spinner, Text, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { localUser, setLocalUser } from './api';
import { SignInPicker } from './components/SignInPicker';
import { detectHost, type HostInfo, type ThemeName } from './host';
import { Home } from './pages/Home';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;

export function App() {
  const [host, setHost] = useState<HostInfo>();
  const [theme, setTheme] = useState<ThemeName>('default');
  const [user, setUser] = useState<string | null>(localUser());

  useEffect(() => {
    detectHost(setTheme).then((h) => {
      setHost(h);
      setTheme(h.theme);
    });
  }, []);

  return (
    <FluentProvider theme={THEMES[theme]} style={{ minHeight: '100vh', background: tokens.colorNeutralBackground2 }} data-theme={theme}>
      <main style={{ padding: 20, maxWidth: 1000, margin: '0 auto' }} data-host={host?.host ?? 'detecting'}>
        <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Text weight="semibold" size={500}>Protected Time</Text>
          {user && (
            <Button
              appearance="subtle"
              onClick={() => {
                setLocalUser(null);
                setUser(null);
              }}
            >
              Switch person
            </Button>
          )}
        </header>
        {!host ? (
          <Spinner label="Starting…" />
        ) : user ? (
          <Home personId={user} />
        ) : (
          <SignInPicker
            onChosen={(id) => {
              setLocalUser(id);
              setUser(id);
            }}
          />
        )}
      </main>
    </FluentProvider>
  );
}
