/**
 * App-only access tokens for Graph (client credentials flow) from
 * @azure/msal-node. MSAL keeps the token in its in-memory cache and renews it
 * before expiry, so asking for one per request costs nothing.
 */
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';

export interface TokenSource {
  getToken(): Promise<string>;
}

export type AppCredential =
  | { tenantId: string; clientId: string; clientSecret: string }
  | {
      tenantId: string;
      clientId: string;
      /** PEM private key of the certificate registered on the app. */
      privateKeyPem: string;
      /** Hex SHA-256 thumbprint (preferred by MSAL) or the legacy SHA-1 one. */
      thumbprintSha256?: string;
      thumbprintSha1?: string;
    };

export interface MsalTokenOptions {
  /** Authority host; sovereign clouds differ (login.microsoftonline.us). */
  authorityHost?: string;
  /** Token audience; must match the Graph host the requests go to. */
  scope?: string;
}

export function msalTokenSource(credential: AppCredential, options: MsalTokenOptions = {}): TokenSource {
  const host = (options.authorityHost ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  const auth: Configuration['auth'] = {
    clientId: credential.clientId,
    authority: `${host}/${credential.tenantId}`,
    // Any other host (a sovereign cloud, the Microsoft 365 simulator) must be trusted explicitly, or MSAL asks Entra's instance discovery.
    ...(host === 'https://login.microsoftonline.com' ? {} : { knownAuthorities: [new URL(host).host] }),
  };
  if ('clientSecret' in credential) {
    auth.clientSecret = credential.clientSecret;
  } else {
    if (!credential.thumbprintSha256 && !credential.thumbprintSha1) throw new Error('a certificate credential needs its thumbprint');
    auth.clientCertificate = {
      privateKey: credential.privateKeyPem,
      ...(credential.thumbprintSha256 ? { thumbprintSha256: credential.thumbprintSha256 } : { thumbprint: credential.thumbprintSha1 }),
    };
  }
  const app = new ConfidentialClientApplication({ auth });
  const scopes = [options.scope ?? 'https://graph.microsoft.com/.default'];
  return {
    async getToken() {
      const result = await app.acquireTokenByClientCredential({ scopes });
      if (!result?.accessToken) throw new Error('MSAL returned no access token for Graph (check the app registration and admin consent)');
      return result.accessToken;
    },
  };
}

/** A fixed token: for tests against a fake Graph, never for a tenant. */
export function staticTokenSource(token: string): TokenSource {
  return { getToken: async () => token };
}
