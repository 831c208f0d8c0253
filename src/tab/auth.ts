/**
 * The tab's access token for Protected Time's own API (scope
 * `${APPLICATION_ID_URI}/access_as_user`), in tenant mode only:
 *
 *   1. nested app authentication (msal-browser's nestable client) when the
 *      host recommends it: Teams, Outlook and the Microsoft 365 app broker the
 *      token; silent first, then a consent pop-up if Entra needs one;
 *   2. otherwise Teams single sign-on (teams-js authentication.getAuthToken);
 *   3. in a plain browser (the tab's websiteUrl), msal-browser's standard
 *      client with a redirect to Entra ID.
 *
 * Local mode has no tokens: the "sign in as" picker identifies the caller.
 * msal-browser is loaded on demand, so local mode never downloads it.
 */
import { authentication } from '@microsoft/teams-js';
import type { IPublicClientApplication } from '@azure/msal-browser';
import { whenHostKnown, type HostInfo } from './host';

export interface TabConfig {
  mode: 'local' | 'tenant';
  tenantId?: string;
  clientId?: string;
  applicationIdUri?: string;
}

export type TokenSource = 'nested-app-auth' | 'teams-sso' | 'browser' | 'none';

export class SignInError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'SignInError';
  }
}

/** Renew this long before a cached token expires. */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

let configPromise: Promise<TabConfig> | undefined;
let cached: { token: string; expiresAt: number; source: TokenSource } | undefined;
let inFlight: Promise<string | undefined> | undefined;
let nestable: Promise<IPublicClientApplication> | undefined;
let standard: Promise<IPublicClientApplication> | undefined;

/** GET /api/v1/config, once per page. */
export function tabConfig(): Promise<TabConfig> {
  configPromise ??= fetch('/api/v1/config', { headers: { accept: 'application/json' } })
    .then((res) => {
      if (!res.ok) throw new Error(`config: HTTP ${res.status}`);
      return res.json() as Promise<TabConfig>;
    })
    .catch((err: unknown) => {
      configPromise = undefined; // try again next time
      throw err;
    });
  return configPromise;
}

/** Where the current token came from (for diagnostics). */
export function tokenSource(): TokenSource {
  return cached?.source ?? 'none';
}

/** Forget the cached token (after the API said 401, for example). */
export function clearAccessToken(): void {
  cached = undefined;
}

/**
 * A bearer token for /api/v1 in tenant mode; undefined in local mode.
 * Throws SignInError with a message a person can act on if sign-in fails.
 */
export async function getAccessToken(): Promise<string | undefined> {
  if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return cached.token;
  inFlight ??= acquire().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function acquire(): Promise<string | undefined> {
  const config = await tabConfig();
  if (config.mode !== 'tenant') return undefined;
  if (!config.clientId || !config.tenantId || !config.applicationIdUri) throw new SignInError('The server did not say which app to sign in to.');
  const scope = `${config.applicationIdUri.replace(/\/+$/, '')}/access_as_user`;
  const host = await whenHostKnown();

  let token: string;
  let source: TokenSource;
  if (host.inHost && host.capabilities.nestedAppAuth) {
    try {
      token = await viaNestedAppAuth(config, scope, host);
      source = 'nested-app-auth';
    } catch (naaError) {
      // Some hosts recommend NAA but cannot complete it (older clients): Teams SSO still can.
      try {
        token = await viaTeamsSso();
        source = 'teams-sso';
      } catch {
        throw new SignInError(`Could not sign you in: ${messageOf(naaError)}`, naaError);
      }
    }
  } else if (host.inHost) {
    try {
      token = await viaTeamsSso();
      source = 'teams-sso';
    } catch (err) {
      throw new SignInError(`Could not sign you in through ${host.host}: ${messageOf(err)}. Ask your admin to check the app's single sign-on set-up.`, err);
    }
  } else {
    try {
      token = await viaBrowser(config, scope);
    } catch (err) {
      throw err instanceof SignInError ? err : new SignInError(`Could not sign you in: ${messageOf(err)}`, err);
    }
    source = 'browser';
  }
  cached = { token, expiresAt: expiryOf(token), source };
  return token;
}

async function viaNestedAppAuth(config: TabConfig, scope: string, host: HostInfo): Promise<string> {
  const msal = await import('@azure/msal-browser');
  nestable ??= msal.createNestablePublicClientApplication({
    auth: { clientId: config.clientId!, authority: `https://login.microsoftonline.com/${config.tenantId}` },
  });
  const pca = await nestable;
  const request = { scopes: [scope] };
  const account =
    pca.getActiveAccount() ??
    pca.getAllAccounts().find((a) => (host.userObjectId ? a.localAccountId === host.userObjectId : true) && (!host.tenantId || a.tenantId === host.tenantId));
  try {
    const result = account ? await pca.acquireTokenSilent({ ...request, account }) : await pca.ssoSilent({ ...request, loginHint: host.loginHint });
    if (result.account) pca.setActiveAccount(result.account);
    return result.accessToken;
  } catch (err) {
    if (!(err instanceof msal.InteractionRequiredAuthError)) throw err;
    // First use, new consent or a Conditional Access step-up: the host shows Entra's dialog.
    const result = await pca.acquireTokenPopup(request);
    if (result.account) pca.setActiveAccount(result.account);
    return result.accessToken;
  }
}

async function viaTeamsSso(): Promise<string> {
  // The token is for the manifest's webApplicationInfo.resource (APPLICATION_ID_URI), scope access_as_user.
  return authentication.getAuthToken();
}

async function viaBrowser(config: TabConfig, scope: string): Promise<string> {
  const msal = await import('@azure/msal-browser');
  standard ??= msal.createStandardPublicClientApplication({
    auth: {
      clientId: config.clientId!,
      authority: `https://login.microsoftonline.com/${config.tenantId}`,
      redirectUri: `${window.location.origin}/tab/`,
    },
    cache: { cacheLocation: 'sessionStorage' },
  });
  const pca = await standard;
  const redirected = await pca.handleRedirectPromise();
  if (redirected?.account) pca.setActiveAccount(redirected.account);
  if (redirected?.accessToken && redirected.scopes.some((s) => s.toLowerCase() === scope.toLowerCase())) return redirected.accessToken;
  const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
  const request = { scopes: [scope] };
  if (account) {
    try {
      return (await pca.acquireTokenSilent({ ...request, account })).accessToken;
    } catch (err) {
      if (!(err instanceof msal.InteractionRequiredAuthError)) throw new SignInError(`Could not sign you in: ${messageOf(err)}`, err);
    }
  }
  // Leaves the page for Entra ID and comes back to /tab/; this promise never settles.
  await pca.acquireTokenRedirect(request);
  return new Promise<string>(() => undefined);
}

/** exp from the token's payload (unverified: the server verifies it); one hour if unreadable. */
function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    if (typeof payload.exp === 'number') return payload.exp * 1000;
  } catch {
    // fall through
  }
  return Date.now() + 60 * 60 * 1000;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
