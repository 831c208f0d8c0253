/**
 * The app's credential from the tenant configuration: CLIENT_SECRET or,
 * preferably, a certificate (CLIENT_CERTIFICATE_PATH), read and checked here so
 * a bad file is reported naming the variable. Tokens come from the one MSAL
 * client in src/adapters/graph/graphAuth.ts (the bot, background jobs, pt
 * doctor, pt provision).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import { type AppCredential, ENTRA_LOGIN, GRAPH_DEFAULT_SCOPE, msalTokenSource, type TokenSource } from '../adapters/graph/graphAuth';
import type { TenantEnv } from '../config/env';

export { ENTRA_LOGIN, GRAPH_DEFAULT_SCOPE };

/** App-only tokens for any scope the app has been granted (Graph's .default unless named). */
export type AppTokenProvider = TokenSource;

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

type CredentialEnv = Pick<TenantEnv, 'TENANT_ID' | 'CLIENT_ID' | 'CLIENT_SECRET' | 'CLIENT_CERTIFICATE_PATH' | 'CLIENT_CERTIFICATE_THUMBPRINT'> &
  Partial<Pick<TenantEnv, 'PT_LOGIN_BASE_URL'>>;

/**
 * Reads CLIENT_CERTIFICATE_PATH: a PEM file with the private key and, ideally,
 * the certificate too. With the certificate present the SHA-256 thumbprint is
 * computed from it (MSAL's preferred form) and CLIENT_CERTIFICATE_THUMBPRINT is
 * checked against it, so a mismatch is reported here rather than as AADSTS700027.
 */
export function readClientCertificate(env: CredentialEnv, readFile: (p: string) => string = (p) => fs.readFileSync(p, 'utf8')): { privateKeyPem: string; thumbprintSha256?: string; thumbprintSha1?: string } {
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
    return { thumbprintSha256: cert.fingerprint256.replace(/:/g, ''), privateKeyPem: privateKey };
  }
  if (!sha1) throw new CredentialError('CLIENT_CERTIFICATE_THUMBPRINT is required when CLIENT_CERTIFICATE_PATH holds only the private key');
  return { thumbprintSha1: sha1, privateKeyPem: privateKey };
}

/** The app's credential; a certificate wins over a secret when both are set: it is the stronger credential. */
export function appCredential(env: CredentialEnv, readFile?: (p: string) => string): AppCredential {
  const ids = { tenantId: env.TENANT_ID, clientId: env.CLIENT_ID };
  if (env.CLIENT_CERTIFICATE_PATH) return { ...ids, ...readClientCertificate(env, readFile) };
  if (env.CLIENT_SECRET) return { ...ids, clientSecret: env.CLIENT_SECRET };
  throw new CredentialError('set CLIENT_SECRET or CLIENT_CERTIFICATE_PATH (with CLIENT_CERTIFICATE_THUMBPRINT)');
}

/** Reads the credential now (a bad certificate stops start-up, naming the variable); asks Entra ID on the first token. */
export function createAppTokenProvider(env: CredentialEnv, readFile?: (p: string) => string): AppTokenProvider {
  return msalTokenSource(appCredential(env, readFile), { authorityHost: env.PT_LOGIN_BASE_URL, error: (message) => new CredentialError(message) });
}
