/**
 * The simulator's token service: one RS256 key published as a JWKS, and the
 * tokens Microsoft issues with it, shaped as Microsoft documents them:
 * - app-only access tokens from the tenant's v2.0 token endpoint (client
 *   credentials), for Graph (roles = the consented application permissions)
 *   and for the Bot Framework connector;
 * - Bot Framework tokens on the activities the connector sends to the bot
 *   (iss https://api.botframework.com, aud = the bot's app id, serviceurl);
 * - delegated tokens for the tab (v2.0, scp access_as_user, oid, tid).
 * Every token the simulator accepts must verify against its own key.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';

export const BOT_TOKEN_ISSUER = 'https://api.botframework.com';

export class SimTokens {
  /**
   * Real time each token was issued, by jti. A token lives an hour of real time: the journey moves the
   * clocks by days at once, and a token the app fetched a moment before a jump must not count as a
   * month old (Entra's tokens age with the clock; ours would otherwise expire mid-request).
   */
  private readonly issuedAt = new Map<string, number>();

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly jwk: JWK,
    private readonly now: () => number,
  ) {}

  static async create(now: () => number): Promise<SimTokens> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'm365sim-1', use: 'sig', alg: 'RS256' };
    return new SimTokens(privateKey, publicKey, jwk, now);
  }

  get jwks(): { keys: JWK[] } {
    // The Bot Framework's key set names the channels each key endorses.
    return { keys: [{ ...this.jwk, endorsements: ['msteams'] } as JWK] };
  }

  private sign(claims: Record<string, unknown>, lifetimeSeconds: number): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    const jti = randomUUID();
    this.issuedAt.set(jti, Date.now());
    return new SignJWT({ ...claims, jti, iat, nbf: iat - 5, exp: iat + lifetimeSeconds })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.jwk.kid! })
      .sign(this.privateKey);
  }

  appToken(tenantId: string, clientId: string, audience: string, roles: string[]): Promise<string> {
    return this.sign({ aud: audience, iss: `https://sts.windows.net/${tenantId}/`, tid: tenantId, appid: clientId, azp: clientId, oid: clientId, sub: clientId, idtyp: 'app', roles, ver: '1.0' }, 3600);
  }

  botActivityToken(botAppId: string, serviceUrl: string): Promise<string> {
    return this.sign({ aud: botAppId, iss: BOT_TOKEN_ISSUER, serviceurl: serviceUrl, appid: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346' }, 3600);
  }

  userToken(tenantId: string, clientId: string, user: { id: string; displayName: string; mail: string }): Promise<string> {
    return this.sign({ aud: clientId, iss: `https://login.microsoftonline.com/${tenantId}/v2.0`, tid: tenantId, oid: user.id, sub: user.id, name: user.displayName, preferred_username: user.mail, scp: 'access_as_user', ver: '2.0', azp: clientId }, 3600);
  }

  /** The claims of a token this simulator issued for `audience`, or undefined for anything else. */
  async verify(token: string, audience: string): Promise<Record<string, unknown> | undefined> {
    try {
      const claims = decodeJwt(token);
      const issued = typeof claims.jti === 'string' ? this.issuedAt.get(claims.jti) : undefined;
      if (issued === undefined || typeof claims.iat !== 'number') return undefined;
      const { payload } = await jwtVerify(token, this.publicKey, { audience, currentDate: new Date(claims.iat * 1000 + (Date.now() - issued)) });
      return payload;
    } catch {
      return undefined;
    }
  }
}
