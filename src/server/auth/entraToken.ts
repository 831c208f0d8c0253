/**
 * Validates Entra ID access tokens sent by the tab (nested app auth or Teams
 * SSO): signature against the tenant's signing keys, issuer, audience, tenant,
 * expiry and not-before. Anything else is refused.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTPayload } from 'jose';

export interface EntraTokenOptions {
  tenantId: string;
  /** Accepted audiences: the app's client id and its Application ID URI. */
  audiences: string[];
  /**
   * Client apps allowed to have asked for the token (its azp, or appid in v1.0
   * tokens): the Microsoft hosts pre-authorised for the tab's scope, and the
   * app itself (nested app auth). A token another app obtained is refused.
   */
  authorizedClients?: string[];
  /** Key source; defaults to the tenant's published JWKS. */
  keys?: JWTVerifyGetKey;
  /** Seconds of clock skew tolerated. */
  clockToleranceSeconds?: number;
  /** For tests: the current time. */
  currentDate?: Date;
}

export interface VerifiedUser {
  aadObjectId: string;
  tenantId: string;
  name?: string;
  upn?: string;
  scopes: string[];
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

const jwksByTenant = new Map<string, JWTVerifyGetKey>();

/**
 * The tenant's published signing keys. One key set per tenant for the life of
 * the process: jose caches and refreshes the keys inside it, so building a new
 * one per request would fetch the JWKS on every call.
 */
export function entraJwks(tenantId: string): JWTVerifyGetKey {
  let keys = jwksByTenant.get(tenantId);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`));
    jwksByTenant.set(tenantId, keys);
  }
  return keys;
}

export async function verifyEntraToken(token: string, opts: EntraTokenOptions): Promise<VerifiedUser> {
  // Entra writes GUIDs in lower case; configuration may not (TENANT_ID and CLIENT_ID accept either).
  const tenantId = opts.tenantId.toLowerCase();
  const audiences = [...new Set(opts.audiences.flatMap((a) => [a, a.toLowerCase()]))];
  const keys = opts.keys ?? entraJwks(tenantId);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      // v2.0 and v1.0 issuers for the one tenant we serve.
      issuer: [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`],
      audience: audiences,
      algorithms: ['RS256'],
      clockTolerance: opts.clockToleranceSeconds ?? 60,
      requiredClaims: ['exp', 'iat', 'oid', 'tid'],
      currentDate: opts.currentDate,
    }));
  } catch (err) {
    throw new TokenError(`token rejected: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== tenantId) throw new TokenError('token rejected: wrong tenant');
  if (opts.authorizedClients) {
    const client = typeof payload.azp === 'string' ? payload.azp : typeof payload.appid === 'string' ? payload.appid : '';
    if (!opts.authorizedClients.some((c) => c.toLowerCase() === client.toLowerCase())) throw new TokenError('token rejected: requested by a client app this app does not accept');
  }
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
  if (!scopes.includes('access_as_user')) throw new TokenError('token rejected: missing access_as_user scope');
  return {
    aadObjectId: String(payload.oid),
    tenantId: String(payload.tid),
    name: typeof payload.name === 'string' ? payload.name : undefined,
    // v2.0 tokens carry preferred_username; v1.0 tokens (Teams SSO without accessTokenAcceptedVersion 2) carry upn.
    upn: typeof payload.preferred_username === 'string' ? payload.preferred_username : typeof payload.upn === 'string' ? payload.upn : undefined,
    scopes,
  };
}
