/** The tab shell: theme from the host, identity, and the page. */
import {
  Button, FluentProvider, Spinner, Text, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, tokens,
} from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState } from 'react';
import { localUser, setLocalUser } from './api';
import { SignInPicker } from './components/SignInPicker';
import { tabConfig } from './auth';
import { configureMeetingTab, detectHost, inMeetingSidePanel, isMeetingTabConfiguration, type HostInfo, type ThemeName } from './host';
import { Changes } from './pages/Changes';
import { Home } from './pages/Home';
import { People } from './pages/People';
import { Records } from './pages/Records';
import { Sessions } from './pages/Sessions';
import { Todo } from './pages/Todo';
import { navigate, useRoute } from './route';

// Heavier pages load when opened, so the first load (the to-do list) stays small.
const Book = lazy(() => import('./pages/Book.js').then((m) => ({ default: m.Book })));
const Compliance = lazy(() => import('./pages/Compliance.js').then((m) => ({ default: m.Compliance })));
const AgreementPage = lazy(() => import('./pages/AgreementPage.js').then((m) => ({ default: m.AgreementPage })));
const RecordPage = lazy(() => import('./pages/RecordPage.js').then((m) => ({ default: m.RecordPage })));
const RecordStart = lazy(() => import('./pages/RecordPage.js').then((m) => ({ default: m.RecordStart })));
const AgendaPage = lazy(() => import('./pages/Agenda.js').then((m) => ({ default: m.AgendaPage })));
const MeetingPanel = lazy(() => import('./pages/Agenda.js').then((m) => ({ default: m.MeetingPanel })));

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
      <main style={{ padding: 'clamp(8px, 3vw, 20px)', maxWidth: 1000, margin: '0 auto', boxSizing: 'border-box', minWidth: 0 }} data-host={host?.host ?? 'detecting'}>
        <header style={{ display: 'flex', flexWrap: 'wrap', gap: 8, justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
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
        ) : isMeetingTabConfiguration(host) ? (
          <MeetingTabSetup />
        ) : mode === 'tenant' ? (
          inMeetingSidePanel(host) ? <SidePanel host={host} /> : <SignedIn personId="me" />
        ) : user ? (
          inMeetingSidePanel(host) ? <SidePanel key={user} host={host} /> : <SignedIn key={user} personId={user} />
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

const PAGES = [
  ['todo', 'To do'],
  ['mine', 'My supervision'],
  ['sessions', 'Sessions'],
  ['people', 'People'],
  ['book', 'Book'],
  ['records', 'Records'],
  ['compliance', 'Compliance'],
  ['changes', 'Changes'],
] as const;

/** Adding the app to a meeting: nothing to choose; the tab beside the meeting finds its session itself. */
function MeetingTabSetup() {
  useEffect(() => configureMeetingTab(), []);
  return <Text data-testid="meeting-setup">Protected Time will show this supervision session's agenda and record form beside the meeting, to the two people in it. Select Save.</Text>;
}

/** Beside a Teams meeting: that session's agenda and record form, and nothing else (the panel is narrow). */
function SidePanel({ host }: { host: HostInfo }) {
  useEffect(() => {
    document.title = 'Agenda · Protected Time';
  }, []);
  return (
    <Suspense fallback={<Spinner label="Loading…" />}>
      <MeetingPanel meeting={{ ...(host.meetingId ? { meetingId: host.meetingId } : {}), ...(host.chatId ? { chatId: host.chatId } : {}) }} />
    </Suspense>
  );
}

function SignedIn({ personId }: { personId: string }) {
  const route = useRoute();
  const page = PAGES.some(([p]) => p === route.page) || route.page === 'agreements' || route.page === 'agenda' ? route.page : 'todo';
  const selected = page === 'agreements' ? 'mine' : page === 'agenda' ? 'sessions' : page;
  useEffect(() => {
    const label = PAGES.find(([p]) => p === selected)?.[1] ?? 'Protected Time';
    document.title = `${label} · Protected Time`;
  }, [selected]);
  return (
    <>
      {/* Pages are places with their own URL, so the navigation is links (aria-current marks where you are). */}
      <nav aria-label="Protected Time" style={{ marginBottom: 16 }}>
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexWrap: 'wrap', gap: 4 }}>
          {PAGES.map(([value, label]) => (
            <li key={value}>
              <a
                href={`#/${value}`}
                aria-current={selected === value ? 'page' : undefined}
                style={{
                  display: 'inline-block', padding: '6px 10px', borderRadius: tokens.borderRadiusMedium, textDecoration: 'none',
                  color: selected === value ? tokens.colorBrandForeground1 : tokens.colorNeutralForeground1,
                  fontWeight: selected === value ? 600 : 400,
                  borderBottom: `2px solid ${selected === value ? tokens.colorCompoundBrandStroke : 'transparent'}`,
                }}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<Spinner label="Loading…" />}>
      {page === 'todo' && <Todo />}
      {page === 'mine' && <Home personId={personId} />}
      {page === 'agreements' && route.rest[0] && <AgreementPage relationshipId={route.rest[0]} personId={personId} />}
      {page === 'sessions' && <Sessions sessionId={route.rest[0]} relationshipId={route.query.get('rel') ?? undefined} month={route.query.get('month') ?? undefined} />}
      {page === 'people' && <People onBook={(id) => navigate(`/book/${id}`)} />}
      {page === 'book' && <Book initialRelationshipId={route.rest[0]} />}
      {page === 'records' && (route.rest[0] === 'session' && route.rest[1] ? <RecordStart sessionId={route.rest[1]} /> : route.rest[0] ? <RecordPage recordId={route.rest[0]} /> : <Records query={route.query} />)}
      {page === 'agenda' && route.rest[0] && <AgendaPage sessionId={route.rest[0]} />}
      {page === 'compliance' && <Compliance />}
      {page === 'changes' && <Changes />}
      </Suspense>
    </>
  );
}
