/**
 * A stand-in Microsoft 365 host for the tab: a page that frames the tab and
 * answers teams-js over postMessage the way Teams, Outlook or the Microsoft
 * 365 app do, enough for initialize, getContext and getAuthToken.
 *
 * The protocol (from @microsoft/teams-js 2.x, internal/communication.js):
 * the tab posts requests { id, uuidAsString, func, args, ... } to its parent;
 * the host answers { id, uuidAsString, args } to the tab's window. initialize's
 * answer is [frameContext, hostClientType, runtimeConfig (JSON string),
 * clientSupportedSDKVersion]; getContext's is [legacy context object]. The
 * host pushes events as { func, args } (e.g. themeChange). teams-js accepts
 * messages from its own origin without consulting its list of Microsoft
 * origins, so the host page is served at the app's origin (a Playwright route).
 */
import type { FrameLocator, Page } from 'playwright-core';

export type FakeHostName = 'Teams' | 'Outlook' | 'Office';

/** runtime.supports as each host reports it (the parts the tab looks at). */
export const HOST_SUPPORTS: Record<FakeHostName, Record<string, unknown>> = {
  Teams: {
    appInstallDialog: {},
    calendar: {},
    chat: {},
    dialog: { card: { bot: {} }, url: { bot: {}, parentCommunication: {} }, update: {} },
    pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
    teamsCore: {},
  },
  // Outlook hosts personal tabs, dialogs and its own calendar, but has no Teams chat.
  Outlook: {
    calendar: {},
    dialog: { url: {} },
    mail: {},
    pages: { appButton: {}, tabs: {} },
  },
  // The Microsoft 365 app: personal tabs and dialogs only.
  Office: {
    dialog: { url: {} },
    pages: { appButton: {}, tabs: {} },
  },
};

export interface FakeHostOptions {
  hostName: FakeHostName;
  theme?: 'default' | 'dark' | 'contrast';
  clientType?: 'web' | 'desktop';
  /** Overrides HOST_SUPPORTS[hostName]. */
  supports?: Record<string, unknown>;
  /** false: a frame that never answers teams-js (the tab must not hang). */
  answers?: boolean;
  /** Path of the tab inside the app (default /tab/?host=teams, as the manifest's contentUrl). */
  tabPath?: string;
  /** What authentication.getAuthToken returns; absent: the host refuses. */
  authToken?: string;
  isNAAChannelRecommended?: boolean;
  user?: { objectId: string; upn: string; tenantId: string };
  /** Where the tab is framed (default 'content'); 'sidePanel' with a meeting is a Teams meeting side panel. */
  frameContext?: 'content' | 'sidePanel' | 'meetingStage';
  /** In a meeting: its id and its chat's id, as Teams gives them in the context. */
  meeting?: { id: string; chatId: string };
}

export interface FakeHost {
  url: string;
  frame: FrameLocator;
  /** The teams-js functions the tab has called so far. */
  received(): Promise<string[]>;
  /** Pushes a theme change to the tab, as the host does when the user switches theme. */
  setTheme(theme: 'default' | 'dark' | 'contrast'): Promise<void>;
}

export function fakeHostHtml(opts: FakeHostOptions): string {
  const user = opts.user ?? { objectId: '5a1e0c1e-0002-4a00-8000-000000000002', upn: 'daniel.okafor@riverside.example', tenantId: '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01' };
  const config = {
    answers: opts.answers !== false,
    frameContext: opts.frameContext ?? 'content',
    clientType: opts.clientType ?? 'web',
    runtime: {
      apiVersion: 4,
      isLegacyTeams: false,
      isNAAChannelRecommended: opts.isNAAChannelRecommended ?? false,
      hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
      supports: opts.supports ?? HOST_SUPPORTS[opts.hostName],
    },
    // The legacy context object hosts send; teams-js maps it to app.Context.
    context: {
      hostName: opts.hostName,
      hostClientType: opts.clientType ?? 'web',
      theme: opts.theme ?? 'default',
      locale: 'en-gb',
      frameContext: opts.frameContext ?? 'content',
      entityId: 'home',
      ...(opts.meeting ? { meetingId: opts.meeting.id, chatId: opts.meeting.chatId } : {}),
      appSessionId: 'fake-app-session',
      sessionId: 'fake-host-session',
      userObjectId: user.objectId,
      userPrincipalName: user.upn,
      loginHint: user.upn,
      tid: user.tenantId,
    },
    authToken: opts.authToken,
  };
  const script = `
    const CONFIG = ${JSON.stringify(config).replace(/</g, '\\u003c')};
    const frame = document.getElementById('tab');
    const received = [];
    window.__fakeHost = {
      received,
      setTheme(theme) { frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, location.origin); },
    };
    window.addEventListener('message', (ev) => {
      if (ev.source !== frame.contentWindow) return;
      const msg = ev.data;
      if (!msg || typeof msg !== 'object' || typeof msg.func !== 'string' || typeof msg.id !== 'number') return;
      received.push(msg.func);
      if (!CONFIG.answers) return;
      const reply = (args) => ev.source.postMessage({ id: msg.id, uuidAsString: msg.uuidAsString, args }, ev.origin);
      switch (msg.func) {
        case 'initialize':
          reply([CONFIG.frameContext, CONFIG.clientType, JSON.stringify(CONFIG.runtime), '2.58.0']);
          break;
        case 'getContext':
          reply([CONFIG.context]);
          break;
        case 'authentication.getAuthToken':
          reply(CONFIG.authToken ? [true, CONFIG.authToken] : [false, 'resourceRequiresConsent']);
          break;
        default:
          // registerHandler, appInitialization.success and the like need no answer.
          break;
      }
    });
  `;
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Fake ${opts.hostName}</title></head>
  <body style="margin:0">
    <header style="height:40px;background:#464775;color:#fff;font:14px sans-serif;padding:10px">Fake ${opts.hostName}</header>
    <iframe id="tab" title="Protected Time" src="${opts.tabPath ?? '/tab/?host=teams'}" style="border:0;width:100%;height:800px"></iframe>
    <script>${script}</script>
  </body>
</html>`;
}

/**
 * Opens the app's tab inside the fake host: the host page is served at
 * `${appUrl}/__fake-host/<name>` by a Playwright route, so it shares the
 * tab's origin (the app's CSP frame-ancestors allows 'self').
 */
export async function openInFakeHost(page: Page, appUrl: string, opts: FakeHostOptions): Promise<FakeHost> {
  const url = `${appUrl}/__fake-host/${opts.hostName.toLowerCase()}${opts.answers === false ? '-silent' : ''}`;
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: fakeHostHtml(opts) }));
  await page.goto(url);
  return {
    url,
    frame: page.frameLocator('#tab'),
    received: () => page.evaluate(() => [...(window as unknown as { __fakeHost: { received: string[] } }).__fakeHost.received]),
    setTheme: (theme) => page.evaluate((t) => (window as unknown as { __fakeHost: { setTheme(t: string): void } }).__fakeHost.setTheme(t), theme),
  };
}
