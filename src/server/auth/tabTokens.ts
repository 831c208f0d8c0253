/**
 * How the server checks the tab's tokens in tenant mode: the tenant's signing
 * keys, and both audiences Entra may put in a token for this app (the client
 * id in v2.0 tokens, the Application ID URI in v1.0 tokens from Teams SSO).
 * The composition root passes this to createHttpApp as tokenOptions.
 */
import type { TenantEnv } from '../../config/env';
import { createRemoteJWKSet } from 'jose';
import type { EntraTokenOptions } from './entraToken';
import { ENTRA_LOGIN } from '../../tenant/appToken';

/**
 * The Microsoft 365 hosts pre-authorised for access_as_user (aad.manifest.json,
 * preAuthorizedApplications; Teams SSO docs): Teams desktop/mobile, Teams web,
 * Microsoft 365 web, desktop and mobile/Outlook desktop, Outlook web, Outlook mobile.
 */
export const HOST_CLIENT_IDS = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
  '4765445b-32c6-49b0-83e6-1d93765276ca',
  '0ec893e0-5785-4de6-99da-4ed124e5296c',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
  '27922004-5251-4030-b22d-91ecd9a37ea4',
];

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
    // The hosts (Teams SSO) and the app itself (nested app auth asks as the app's own client id).
    authorizedClients: [...HOST_CLIENT_IDS, env.CLIENT_ID],
    ...overrides,
  };
}

/** The scope the tab asks for: this app's own API, never Graph. */
export function tabScope(applicationIdUri: string): string {
  return `${applicationIdUri.replace(/\/+$/, '')}/access_as_user`;
}
