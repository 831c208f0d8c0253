/**
 * How the server checks the tab's tokens in tenant mode: the tenant's signing
 * keys, and both audiences Entra may put in a token for this app (the client
 * id in v2.0 tokens, the Application ID URI in v1.0 tokens from Teams SSO).
 * The composition root passes this to createHttpApp as tokenOptions.
 */
import type { TenantEnv } from '../config/env';
import { createRemoteJWKSet } from 'jose';
import type { EntraTokenOptions } from '../server/auth/entraToken';
import { ENTRA_LOGIN } from './appToken';

export function tabTokenOptions(
  env: Pick<TenantEnv, 'TENANT_ID' | 'CLIENT_ID' | 'APPLICATION_ID_URI'> & Partial<Pick<TenantEnv, 'PT_LOGIN_BASE_URL'>>,
  overrides: Partial<EntraTokenOptions> = {},
): EntraTokenOptions {
  const login = env.PT_LOGIN_BASE_URL ?? ENTRA_LOGIN;
  return {
    tenantId: env.TENANT_ID,
    audiences: [env.CLIENT_ID, env.APPLICATION_ID_URI],
    // Another login host (sovereign cloud, the Microsoft 365 simulator) publishes the signing keys; Entra's are the default.
    ...(login !== ENTRA_LOGIN ? { keys: createRemoteJWKSet(new URL(`${login}/${env.TENANT_ID}/discovery/v2.0/keys`)) } : {}),
    ...overrides,
  };
}

/** The scope the tab asks for: this app's own API, never Graph. */
export function tabScope(applicationIdUri: string): string {
  return `${applicationIdUri.replace(/\/+$/, '')}/access_as_user`;
}
