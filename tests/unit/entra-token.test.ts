/**
 * Tab tokens, checked the way Entra ID would issue them but signed here with
 * a locally generated RSA key and served from a local JWKS: the right token
 * is accepted; wrong issuer, audience, tenant, expiry, signature, algorithm
 * or scope are all refused.
 */
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';

type KeyLike = CryptoKey;
import { TokenError, verifyEntraToken, type EntraTokenOptions } from '../../src/server/auth/entraToken';
import { tabTokenOptions } from '../../src/server/auth/tabTokens';

const TENANT = '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01';
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT_ID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';
const APP_ID_URI = `api://pt.riverside.example/${CLIENT_ID}`;
const USER_OID = '5a1e0c1e-0002-4a00-8000-000000000002';
const KID = 'local-test-key';

let key: KeyLike;
let otherKey: KeyLike;
let publicJwk: JWK;
let options: EntraTokenOptions;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  key = pair.privateKey;
  otherKey = other.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  options = tabTokenOptions({ TENANT_ID: TENANT, CLIENT_ID, APPLICATION_ID_URI: APP_ID_URI }, { keys: createLocalJWKSet({ keys: [publicJwk] }) });
});

const now = () => Math.floor(Date.now() / 1000);

/** A v2.0 access token for the tab as Entra issues it (accessTokenAcceptedVersion 2). */
function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: CLIENT_ID,
    tid: TENANT,
    oid: USER_OID,
    scp: 'access_as_user',
    azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
    name: 'Daniel Okafor',
    preferred_username: 'daniel.okafor@riverside.example',
    iat: now() - 60,
    nbf: now() - 60,
    exp: now() + 3600,
    ver: '2.0',
    ...overrides,
  };
}

async function sign(payload: JWTPayload, opts: { signWith?: KeyLike; kid?: string; alg?: string } = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? KID, typ: 'JWT' }).sign(opts.signWith ?? key);
}

async function rejection(token: string, opts: EntraTokenOptions = options): Promise<string> {
  try {
    await verifyEntraToken(token, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(TokenError);
    return (err as Error).message;
  }
  throw new Error('token was accepted');
}

const b64url = (o: object | string) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');

describe('verifyEntraToken accepts', () => {
  it('a v2.0 token for this app, tenant and scope', async () => {
    const user = await verifyEntraToken(await sign(claims()), options);
    expect(user).toEqual({ aadObjectId: USER_OID, tenantId: TENANT, name: 'Daniel Okafor', upn: 'daniel.okafor@riverside.example', scopes: ['access_as_user'] });
  });

  it('a v1.0 token from Teams SSO (sts.windows.net issuer, Application ID URI audience, upn)', async () => {
    const { preferred_username: _p, ...v1 } = claims({ iss: `https://sts.windows.net/${TENANT}/`, aud: APP_ID_URI, ver: '1.0', upn: 'sam.patel@riverside.example', scp: 'access_as_user' });
    const user = await verifyEntraToken(await sign(v1), options);
    expect(user.upn).toBe('sam.patel@riverside.example');
  });

  it('when TENANT_ID and CLIENT_ID are configured in upper case', async () => {
    const upper = tabTokenOptions({ TENANT_ID: TENANT.toUpperCase(), CLIENT_ID: CLIENT_ID.toUpperCase(), APPLICATION_ID_URI: APP_ID_URI }, { keys: createLocalJWKSet({ keys: [publicJwk] }) });
    await expect(verifyEntraToken(await sign(claims()), upper)).resolves.toMatchObject({ aadObjectId: USER_OID });
  });

  it('access_as_user among other scopes, and a token just past expiry inside the clock tolerance', async () => {
    await expect(verifyEntraToken(await sign(claims({ scp: 'User.Read access_as_user' })), options)).resolves.toMatchObject({ aadObjectId: USER_OID, scopes: ['User.Read', 'access_as_user'] });
    await expect(verifyEntraToken(await sign(claims({ exp: now() - 30 })), options)).resolves.toMatchObject({ aadObjectId: USER_OID });
  });
});

describe('verifyEntraToken refuses', () => {
  it('the wrong issuer', async () => {
    expect(await rejection(await sign(claims({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })))).toMatch(/iss/);
    expect(await rejection(await sign(claims({ iss: 'https://login.microsoftonline.com/common/v2.0' })))).toMatch(/iss/);
    expect(await rejection(await sign(claims({ iss: 'https://evil.example/' })))).toMatch(/iss/);
  });

  it('the wrong audience', async () => {
    expect(await rejection(await sign(claims({ aud: '00000003-0000-0000-c000-000000000000' })))).toMatch(/aud/);
    expect(await rejection(await sign(claims({ aud: 'api://pt.riverside.example/someone-else' })))).toMatch(/aud/);
  });

  it('the wrong tenant, even with this tenant\'s issuer', async () => {
    expect(await rejection(await sign(claims({ tid: OTHER_TENANT })))).toMatch(/wrong tenant/);
    const { tid: _t, ...noTid } = claims();
    expect(await rejection(await sign(noTid))).toMatch(/tid/);
  });

  it('an expired token', async () => {
    expect(await rejection(await sign(claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 300 })))).toMatch(/exp/);
  });

  it('a token that is not yet valid', async () => {
    expect(await rejection(await sign(claims({ nbf: now() + 600 })))).toMatch(/nbf/);
  });

  it('a signature from another key, an unknown key id, or a tampered payload', async () => {
    expect(await rejection(await sign(claims(), { signWith: otherKey }))).toMatch(/signature/);
    expect(await rejection(await sign(claims(), { kid: 'someone-elses-key' }))).toMatch(/no applicable key|matching/i);
    const [h, , s] = (await sign(claims())).split('.');
    expect(await rejection(`${h}.${b64url(claims({ oid: '5a1e0c1e-0006-4a00-8000-000000000006' }))}.${s}`)).toMatch(/signature/);
  });

  it('alg "none" and HS256 (including HMAC keyed with the public key)', async () => {
    expect(await rejection(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`)).toMatch(/rejected/);
    const hs = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: KID }).sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    expect(await rejection(hs)).toMatch(/alg|key/i);
  });

  it('a token without access_as_user, or an app-only token', async () => {
    expect(await rejection(await sign(claims({ scp: 'User.Read' })))).toMatch(/access_as_user/);
    const { scp: _s, ...appOnly } = claims({ roles: ['Calendars.ReadWrite'] });
    expect(await rejection(await sign(appOnly))).toMatch(/access_as_user/);
  });

  it('a token without an object id, and things that are not tokens', async () => {
    const { oid: _o, ...noOid } = claims();
    expect(await rejection(await sign(noOid))).toMatch(/oid/);
    expect(await rejection('not-a-token')).toMatch(/rejected/);
    expect(await rejection('')).toMatch(/rejected/);
  });
});
