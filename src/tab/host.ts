/**
 * Finds out where the tab is running (Teams, Outlook, the Microsoft 365 app or
 * a plain browser) without ever hanging: teams-js is only asked when we are in
 * a frame, and its answer is raced against a timeout.
 */
import { app } from '@microsoft/teams-js';

export type ThemeName = 'default' | 'dark' | 'contrast';
export type HostName = 'Teams' | 'Outlook' | 'Office' | 'browser' | 'other';

export interface HostInfo {
  host: HostName;
  theme: ThemeName;
  /** Entra object id of the signed-in user, when a Microsoft 365 host told us. */
  userObjectId?: string;
  inHost: boolean;
}

export const HOST_INIT_TIMEOUT_MS = 2500;

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

export async function detectHost(onTheme: (t: ThemeName) => void): Promise<HostInfo> {
  const framed = window.self !== window.top;
  if (!framed) return { host: 'browser', theme: themeFromQuery() ?? 'default', inHost: false };
  try {
    await withTimeout(app.initialize(), HOST_INIT_TIMEOUT_MS);
    const ctx = await withTimeout(app.getContext(), HOST_INIT_TIMEOUT_MS);
    app.registerOnThemeChangeHandler((t) => onTheme(normaliseTheme(t)));
    app.notifySuccess();
    return {
      host: toHostName(ctx.app.host.name),
      theme: themeFromQuery() ?? normaliseTheme(ctx.app.theme),
      userObjectId: ctx.user?.id,
      inHost: true,
    };
  } catch {
    // Framed by something that is not a Microsoft 365 host: behave as a browser.
    return { host: 'browser', theme: themeFromQuery() ?? 'default', inHost: false };
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
