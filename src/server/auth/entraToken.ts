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

export function entraJwks(tenantId: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(`https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`));
}

export async function verifyEntraToken(token: string, opts: EntraTokenOptions): Promise<VerifiedUser> {
  const keys = opts.keys ?? entraJwks(opts.tenantId);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      // v2.0 and v1.0 issuers for the one tenant we serve.
      issuer: [`https://login.microsoftonline.com/${opts.tenantId}/v2.0`, `https://sts.windows.net/${opts.tenantId}/`],
      audience: opts.audiences,
      algorithms: ['RS256'],
      clockTolerance: opts.clockToleranceSeconds ?? 60,
      requiredClaims: ['exp', 'iat', 'oid', 'tid'],
      currentDate: opts.currentDate,
    }));
  } catch (err) {
    throw new TokenError(`token rejected: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (payload.tid !== opts.tenantId) throw new TokenError('token rejected: wrong tenant');
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
  if (!scopes.includes('access_as_user')) throw new TokenError('token rejected: missing access_as_user scope');
  return {
    aadObjectId: String(payload.oid),
    tenantId: String(payload.tid),
    name: typeof payload.name === 'string' ? payload.name : undefined,
    upn: typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
    scopes,
  };
}
