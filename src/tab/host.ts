/**
 * Finds out where the tab is running (Teams, Outlook, the Microsoft 365 app or
 * a plain browser) without ever hanging: teams-js is only asked when we are in
 * a frame, and its answer is raced against a timeout. It also finds out what
 * the host can do (chat, calendar, dialogs, nested app auth) so the tab offers
 * only what works there, and says so in a short note instead of showing
 * buttons that would do nothing.
 */
import { app, calendar, chat, dialog, nestedAppAuth, pages } from '@microsoft/teams-js';

export type ThemeName = 'default' | 'dark' | 'contrast';
export type HostName = 'Teams' | 'Outlook' | 'Office' | 'browser' | 'other';

/** What the host supports, as teams-js reports it (all false outside a host). */
export interface HostCapabilities {
  /** Deep links into Teams chats (chat.openChat / openGroupChat). */
  chat: boolean;
  /** Opening and composing calendar items (calendar.composeMeeting / openCalendarItem). */
  calendar: boolean;
  /** Dialogs (task modules) for forms. */
  dialog: boolean;
  /** Nested app authentication through the host (msal-browser createNestablePublicClientApplication). */
  nestedAppAuth: boolean;
}

export interface HostInfo {
  host: HostName;
  theme: ThemeName;
  /** Entra object id of the signed-in user, when a Microsoft 365 host told us. */
  userObjectId?: string;
  /** The signed-in user's UPN and tenant, as hints for sign-in. */
  loginHint?: string;
  tenantId?: string;
  inHost: boolean;
  capabilities: HostCapabilities;
  /** Where in the host the tab is: 'content' (a tab), 'sidePanel' (beside a Teams meeting), 'meetingStage'... */
  frameContext?: string;
  /** In a meeting: its id and its chat's id (the thread the app's booked meeting has). */
  meetingId?: string;
  chatId?: string;
}

/** The configuration page Teams opens when the app is added to a meeting (manifest configurableTabs). */
export function isMeetingTabConfiguration(info: Pick<HostInfo, 'frameContext' | 'inHost'> | undefined): boolean {
  return Boolean(info?.inHost) && new URLSearchParams(window.location.search).get('configure') === 'meeting';
}

/**
 * Saves the meeting tab: it opens the tab itself (the same page, which finds
 * the meeting's session from its context). Nothing to choose, so it is valid at once.
 */
export function configureMeetingTab(): void {
  try {
    pages.config.registerOnSaveHandler((save) => {
      pages.config
        .setConfig({ entityId: 'agenda', contentUrl: `${window.location.origin}/tab/?host=teams`, websiteUrl: `${window.location.origin}/tab/`, suggestedDisplayName: 'Supervision agenda' })
        .then(() => save.notifySuccess(), (err: unknown) => save.notifyFailure(err instanceof Error ? err.message : String(err)));
    });
    pages.config.setValidityState(true);
  } catch {
    // Not a host that configures tabs: nothing to save.
  }
}

/** Running beside a Teams meeting (the meeting side panel): the tab shows that session's agenda and record. */
export function inMeetingSidePanel(info: Pick<HostInfo, 'frameContext'> | undefined): boolean {
  return info?.frameContext === 'sidePanel';
}

export const HOST_INIT_TIMEOUT_MS = 2500;
export const NO_CAPABILITIES: HostCapabilities = Object.freeze({ chat: false, calendar: false, dialog: false, nestedAppAuth: false });

function themeFromQuery(): ThemeName | undefined {
  const t = new URLSearchParams(window.location.search).get('theme');
  return t === 'dark' || t === 'contrast' || t === 'default' ? t : undefined;
}

function toHostName(name: string | undefined): HostName {
  switch (name) {
    case 'Teams':
    case 'TeamsModern':
      return 'Teams';
    case 'Outlook':
    case 'OutlookWin32':
      return 'Outlook';
    case 'Office':
      return 'Office';
    default:
      return 'other';
  }
}

/** Each isSupported() throws if teams-js was not initialised; none of them may break the page. */
function readCapabilities(): HostCapabilities {
  const safe = (probe: () => boolean) => {
    try {
      return Boolean(probe());
    } catch {
      return false;
    }
  };
  return {
    chat: safe(() => chat.isSupported()),
    calendar: safe(() => calendar.isSupported()),
    dialog: safe(() => dialog.isSupported()),
    nestedAppAuth: safe(() => nestedAppAuth.isNAAChannelRecommended()),
  };
}

const themeListeners = new Set<(t: ThemeName) => void>();
let detection: Promise<HostInfo> | undefined;
let current: HostInfo | undefined;

/**
 * Detects the host once per page (later calls share the answer) and calls
 * onTheme whenever the host's theme changes. Never rejects.
 */
export function detectHost(onTheme: (t: ThemeName) => void): Promise<HostInfo> {
  themeListeners.add(onTheme);
  detection ??= detect().then((info) => {
    current = info;
    renderHostNote(info);
    return info;
  });
  return detection;
}

/** The host, once known (starts detection if nothing has yet). */
export function whenHostKnown(): Promise<HostInfo> {
  return detection ?? detectHost(() => undefined);
}

async function detect(): Promise<HostInfo> {
  const framed = window.self !== window.top;
  const browser: HostInfo = { host: 'browser', theme: themeFromQuery() ?? 'default', inHost: false, capabilities: NO_CAPABILITIES };
  if (!framed) return browser;
  try {
    await withTimeout(app.initialize(), HOST_INIT_TIMEOUT_MS);
    const ctx = await withTimeout(app.getContext(), HOST_INIT_TIMEOUT_MS);
    app.registerOnThemeChangeHandler((t) => {
      const theme = normaliseTheme(t);
      if (current) {
        current = { ...current, theme };
        renderHostNote(current);
      }
      for (const listener of themeListeners) listener(theme);
    });
    app.notifySuccess().catch(() => undefined);
    return {
      host: toHostName(ctx.app.host.name),
      theme: themeFromQuery() ?? normaliseTheme(ctx.app.theme),
      userObjectId: ctx.user?.id || undefined,
      loginHint: ctx.user?.loginHint ?? ctx.user?.userPrincipalName ?? undefined,
      tenantId: ctx.user?.tenant?.id,
      inHost: true,
      capabilities: readCapabilities(),
      ...(ctx.page?.frameContext ? { frameContext: String(ctx.page.frameContext) } : {}),
      ...(ctx.meeting?.id ? { meetingId: ctx.meeting.id } : {}),
      ...(ctx.chat?.id ? { chatId: ctx.chat.id } : {}),
    };
  } catch {
    // Framed by something that is not a Microsoft 365 host: behave as a browser.
    return browser;
  }
}

function normaliseTheme(t: string | undefined): ThemeName {
  return t === 'dark' ? 'dark' : t === 'contrast' ? 'contrast' : 'default';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('host did not answer')), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

// ---- what this host lacks, in words ----

const FEATURES: { capability: keyof HostCapabilities; feature: string }[] = [
  { capability: 'chat', feature: 'opening a chat with your supervisor' },
  { capability: 'calendar', feature: 'opening sessions in your calendar' },
  { capability: 'dialog', feature: 'record forms in a pop-up window' },
];

function hostLabel(host: HostName): string {
  switch (host) {
    case 'Outlook':
      return 'Outlook';
    case 'Office':
      return 'the Microsoft 365 app';
    case 'Teams':
      return 'this version of Teams';
    default:
      return 'this app';
  }
}

/** The features the tab leaves out in this host (none in a plain browser, where no host features are expected). */
export function missingFeatures(info: Pick<HostInfo, 'inHost' | 'capabilities'>): string[] {
  if (!info.inHost) return [];
  return FEATURES.filter((f) => !info.capabilities[f.capability]).map((f) => f.feature);
}

/** One sentence for the note, or undefined when the host has everything. */
export function capabilityNote(info: Pick<HostInfo, 'host' | 'inHost' | 'capabilities'>): string | undefined {
  const missing = missingFeatures(info);
  if (!missing.length) return undefined;
  const list = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  const where = hostLabel(info.host);
  return `In ${where}, ${list} ${missing.length === 1 ? 'is' : 'are'} not available: open Protected Time in Teams for ${missing.length === 1 ? 'that' : 'those'}. Everything else works here, and reminders still reach you in Teams chat.`;
}

const NOTE_ID = 'pt-host-note';
const NOTE_COLOURS: Record<ThemeName, { background: string; color: string; border: string }> = {
  default: { background: '#ebf3fc', color: '#242424', border: '#b4d6fa' },
  dark: { background: '#0e4775', color: '#ffffff', border: '#2886de' },
  contrast: { background: '#000000', color: '#ffffff', border: '#ffff00' },
};

/**
 * Shows (or removes) the note above the app. It lives outside the React root,
 * so it appears the moment the host is known and survives whatever the page
 * renders; it follows the host's theme.
 */
export function renderHostNote(info: HostInfo): void {
  if (typeof document === 'undefined') return;
  const text = capabilityNote(info);
  let note = document.getElementById(NOTE_ID);
  if (!text) {
    note?.remove();
    return;
  }
  if (!note) {
    note = document.createElement('div');
    note.id = NOTE_ID;
    note.setAttribute('role', 'note');
    note.setAttribute('data-testid', 'host-note');
    document.body.insertBefore(note, document.body.firstChild);
  }
  const c = NOTE_COLOURS[info.theme];
  note.setAttribute('data-host', info.host);
  note.setAttribute('data-theme', info.theme);
  Object.assign(note.style, {
    boxSizing: 'border-box',
    margin: '0',
    padding: '8px 20px',
    fontFamily: '"Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", sans-serif',
    fontSize: '14px',
    lineHeight: '20px',
    background: c.background,
    color: c.color,
    borderBottom: `1px solid ${c.border}`,
  } satisfies Partial<CSSStyleDeclaration>);
  note.textContent = text;
}
