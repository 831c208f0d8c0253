/**
 * App-only access tokens (client credentials flow) from @azure/msal-node: the
 * one MSAL client the app builds, for Graph requests, the bot's connector
 * tokens, pt provision and pt doctor alike. MSAL keeps each token in its
 * in-memory cache and renews it before expiry, so asking for one per request
 * costs nothing; `forceRefresh` skips the cache (after Graph answered 401 to a
 * token that was revoked or rotated before it expired).
 */
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
export const ENTRA_LOGIN = 'https://login.microsoftonline.com';

export interface TokenSource {
  /** An access token for `scope` (default: Graph's .default, i.e. the app's consented roles). */
  getToken(scope?: string, options?: { forceRefresh?: boolean }): Promise<string>;
}

export type AppCredential =
  | { tenantId: string; clientId: string; clientSecret: string }
  | {
      tenantId: string;
      clientId: string;
      /** PEM (PKCS#8) private key of the certificate registered on the app. */
      privateKeyPem: string;
      /** Hex SHA-256 thumbprint (preferred by MSAL) or the legacy SHA-1 one. */
      thumbprintSha256?: string;
      thumbprintSha1?: string;
    };

export interface MsalTokenOptions {
  /** Authority host; sovereign clouds differ (login.microsoftonline.us), and so does the Microsoft 365 simulator. */
  authorityHost?: string;
  /** The scope asked for when the caller names none; must match the Graph host the requests go to. */
  defaultScope?: string;
  /** Raised for a credential MSAL cannot use or a token Entra did not give (callers choose their own error type). */
  error?: (message: string) => Error;
}

/**
 * MSAL's authority settings for a login host. Another host than Entra's own (a sovereign
 * cloud, the Microsoft 365 simulator) must be a known authority, or MSAL asks
 * login.microsoftonline.com's instance discovery whether it may trust it.
 */
export function authoritySettings(tenantId: string, loginBaseUrl: string = ENTRA_LOGIN): { authority: string; knownAuthorities?: string[] } {
  const base = loginBaseUrl.replace(/\/+$/, '');
  const authority = `${base}/${tenantId}`;
  return base === ENTRA_LOGIN ? { authority } : { authority, knownAuthorities: [new URL(base).host] };
}

export function msalTokenSource(credential: AppCredential, options: MsalTokenOptions = {}): TokenSource {
  const fail = options.error ?? ((message: string) => new Error(message));
  const auth: Configuration['auth'] = { clientId: credential.clientId, ...authoritySettings(credential.tenantId, options.authorityHost) };
  if ('clientSecret' in credential) {
    auth.clientSecret = credential.clientSecret;
  } else {
    if (!credential.thumbprintSha256 && !credential.thumbprintSha1) throw fail('a certificate credential needs its thumbprint');
    auth.clientCertificate = {
      privateKey: credential.privateKeyPem,
      ...(credential.thumbprintSha256 ? { thumbprintSha256: credential.thumbprintSha256 } : { thumbprint: credential.thumbprintSha1 }),
    };
  }
  const app = new ConfidentialClientApplication({ auth });
  const defaultScope = options.defaultScope ?? GRAPH_DEFAULT_SCOPE;
  return {
    async getToken(scope = defaultScope, { forceRefresh = false } = {}) {
      const result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh });
      if (!result?.accessToken) throw fail(`Entra ID returned no access token for ${scope} (check the app registration and admin consent)`);
      return result.accessToken;
    },
  };
}

/** A fixed token: for tests against a fake Graph, never for a tenant. */
export function staticTokenSource(token: string): TokenSource {
  return { getToken: async () => token };
}
