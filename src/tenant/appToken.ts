/**
 * App-only tokens for Microsoft Graph (the bot, background jobs, pt doctor,
 * pt provision): client credentials through @azure/msal-node, with the client
 * secret or, preferably, a certificate. MSAL caches tokens until shortly
 * before they expire.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import type { TenantEnv } from '../config/env';

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export interface AppTokenProvider {
  /** An access token for the scope (default: Graph's .default, i.e. the app's consented roles). */
  getToken(scope?: string): Promise<string>;
}

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

type CredentialEnv = Pick<TenantEnv, 'TENANT_ID' | 'CLIENT_ID' | 'CLIENT_SECRET' | 'CLIENT_CERTIFICATE_PATH' | 'CLIENT_CERTIFICATE_THUMBPRINT'> &
  Partial<Pick<TenantEnv, 'PT_LOGIN_BASE_URL'>>;

export const ENTRA_LOGIN = 'https://login.microsoftonline.com';

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

/**
 * Reads CLIENT_CERTIFICATE_PATH: a PEM file with the private key and, ideally,
 * the certificate too. With the certificate present the SHA-256 thumbprint is
 * computed from it (MSAL's preferred form) and CLIENT_CERTIFICATE_THUMBPRINT is
 * checked against it, so a mismatch is reported here rather than as AADSTS700027.
 */
export function readClientCertificate(env: CredentialEnv, readFile: (p: string) => string = (p) => fs.readFileSync(p, 'utf8')): NonNullable<NonNullable<Configuration['auth']>['clientCertificate']> {
  const file = env.CLIENT_CERTIFICATE_PATH!;
  let pem: string;
  try {
    pem = readFile(file);
  } catch (err) {
    throw new CredentialError(`CLIENT_CERTIFICATE_PATH (${file}) cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const keyMatch = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(pem);
  if (!keyMatch) throw new CredentialError(`CLIENT_CERTIFICATE_PATH (${file}) holds no PEM private key (-----BEGIN PRIVATE KEY-----)`);
  let privateKey: string;
  try {
    // MSAL wants PKCS#8; convert "BEGIN RSA PRIVATE KEY" (PKCS#1) files too.
    privateKey = createPrivateKey(keyMatch[0]).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (err) {
    throw new CredentialError(`CLIENT_CERTIFICATE_PATH (${file}): the private key cannot be read (${err instanceof Error ? err.message : String(err)}); it must not be password-protected`);
  }
  const certMatch = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  const sha1 = env.CLIENT_CERTIFICATE_THUMBPRINT?.toUpperCase();
  if (certMatch) {
    const cert = new X509Certificate(certMatch[0]);
    const actualSha1 = cert.fingerprint.replace(/:/g, '').toUpperCase();
    if (sha1 && sha1 !== actualSha1) {
      throw new CredentialError(`CLIENT_CERTIFICATE_THUMBPRINT (${sha1}) is not the thumbprint of the certificate in ${file} (${actualSha1})`);
    }
    return { thumbprintSha256: cert.fingerprint256.replace(/:/g, ''), privateKey };
  }
  if (!sha1) throw new CredentialError('CLIENT_CERTIFICATE_THUMBPRINT is required when CLIENT_CERTIFICATE_PATH holds only the private key');
  return { thumbprint: sha1, privateKey };
}

export function msalConfiguration(env: CredentialEnv, readFile?: (p: string) => string): Configuration {
  const auth: Configuration['auth'] = {
    clientId: env.CLIENT_ID,
    ...authoritySettings(env.TENANT_ID, env.PT_LOGIN_BASE_URL),
  };
  // A certificate wins over a secret when both are set: it is the stronger credential.
  if (env.CLIENT_CERTIFICATE_PATH) auth.clientCertificate = readClientCertificate(env, readFile);
  else if (env.CLIENT_SECRET) auth.clientSecret = env.CLIENT_SECRET;
  else throw new CredentialError('set CLIENT_SECRET or CLIENT_CERTIFICATE_PATH (with CLIENT_CERTIFICATE_THUMBPRINT)');
  return { auth };
}

export function createAppTokenProvider(env: CredentialEnv, readFile?: (p: string) => string): AppTokenProvider {
  const client = new ConfidentialClientApplication(msalConfiguration(env, readFile));
  return {
    async getToken(scope = GRAPH_DEFAULT_SCOPE) {
      const result = await client.acquireTokenByClientCredential({ scopes: [scope] });
      if (!result?.accessToken) throw new CredentialError('Entra ID returned no access token');
      return result.accessToken;
    },
  };
}
