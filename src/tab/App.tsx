/** The tab shell: theme from the host, identity, and the page. */
import {
  Button, FluentProvider, Spinner, Tab, TabList, Text, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { localUser, setLocalUser } from './api';
import { SignInPicker } from './components/SignInPicker';
import { tabConfig } from './auth';
import { detectHost, type HostInfo, type ThemeName } from './host';
import { Book } from './pages/Book';
import { Changes } from './pages/Changes';
import { Compliance } from './pages/Compliance';
import { Home } from './pages/Home';
import { People } from './pages/People';
import { Records } from './pages/Records';

type Page = 'mine' | 'people' | 'book' | 'records' | 'compliance' | 'changes';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;

export function App() {
  const [host, setHost] = useState<HostInfo>();
  const [theme, setTheme] = useState<ThemeName>('default');
  const [user, setUser] = useState<string | null>(localUser());
  const [mode, setMode] = useState<'local' | 'tenant'>();

  useEffect(() => {
    detectHost(setTheme).then((h) => {
      setHost(h);
      setTheme(h.theme);
    });
    // A tenant signs people in with Entra ID: no picker. If the config cannot be read, behave as local.
    tabConfig().then((c) => setMode(c.mode), () => setMode('local'));
  }, []);

  return (
    <FluentProvider theme={THEMES[theme]} style={{ minHeight: '100vh', background: tokens.colorNeutralBackground2 }} data-theme={theme}>
      <main style={{ padding: 20, maxWidth: 1000, margin: '0 auto' }} data-host={host?.host ?? 'detecting'}>
        <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Text weight="semibold" size={500}>Protected Time</Text>
          {user && mode === 'local' && (
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
        {!host || !mode ? (
          <Spinner label="Starting…" />
        ) : mode === 'tenant' ? (
          <SignedIn personId="me" />
        ) : user ? (
          <SignedIn key={user} personId={user} />
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

function SignedIn({ personId }: { personId: string }) {
  const [page, setPage] = useState<Page>('mine');
  const [bookFor, setBookFor] = useState<string>();
  return (
    <>
      <nav aria-label="Protected Time">
        <TabList selectedValue={page} onTabSelect={(_, d) => setPage(d.value as Page)} style={{ marginBottom: 16 }}>
          <Tab value="mine">My supervision</Tab>
          <Tab value="people">People</Tab>
          <Tab value="book">Book</Tab>
          <Tab value="records">Records</Tab>
          <Tab value="compliance">Compliance</Tab>
          <Tab value="changes">Changes</Tab>
        </TabList>
      </nav>
      {page === 'mine' && <Home personId={personId} />}
      {page === 'people' && (
        <People
          onBook={(id) => {
            setBookFor(id);
            setPage('book');
          }}
        />
      )}
      {page === 'book' && <Book initialRelationshipId={bookFor} />}
      {page === 'records' && <Records />}
      {page === 'compliance' && <Compliance />}
      {page === 'changes' && <Changes />}
    </>
  );
}
