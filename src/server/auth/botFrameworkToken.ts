/**
 * Verifies that a request to /api/messages was sent by the Bot Framework
 * channel service on behalf of Teams, before the Teams SDK sees it.
 *
 * Why our own check: @microsoft/teams.apps also accepts Entra tokens whose
 * audience is the bot's app id (for agentic identities). The tab and bot share
 * one app registration, so the tab's sign-in token would pass that check and
 * let any signed-in person post an activity naming anyone in from.aadObjectId
 * with any serviceUrl. Here only a Bot Framework channel token is accepted:
 * issuer https://api.botframework.com, keys from the Bot Framework OpenID
 * metadata (endorsed for the activity's channel), audience = the bot's app id,
 * its serviceurl claim equal to the activity's serviceUrl, that serviceUrl one
 * Teams uses, and the activity's tenant ours.
 *
 * Follows "Authentication with the Bot Connector API" (Bot Framework REST docs):
 * the five-minute clock skew, the endorsements check, the serviceurl claim.
 */
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const BOT_FRAMEWORK_OPENID_METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration';

export interface BotSigningKey {
  jwk: JWK;
  /** Channels this key may sign for (Bot Framework JWKS `endorsements`). */
  endorsements?: string[];
}

/** Where the Bot Framework's signing keys come from (a test passes a fixed set). */
export type BotKeySource = (kid: string) => Promise<BotSigningKey | undefined>;

export interface BotTokenOptions {
  botAppId: string;
  tenantId: string;
  keys: BotKeySource;
  /** Hosts a serviceUrl may name (https only). */
  serviceUrlHosts: string[];
  clockToleranceSeconds?: number;
  currentDate?: Date;
}

export class BotAuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'BotAuthError';
  }
}

/** The few activity fields the check reads (the rest is the SDK's business). */
export interface InboundActivity {
  channelId?: unknown;
  serviceUrl?: unknown;
  conversation?: { tenantId?: unknown } | null;
  channelData?: { tenant?: { id?: unknown } | null } | null;
}

/** True when `url` is an https URL on one of `hosts`, with no credentials or odd port. */
export function serviceUrlAllowed(url: unknown, hosts: readonly string[], allowHttpLoopback = false): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (allowHttpLoopback && parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) return true;
  if (parsed.protocol !== 'https:') return false;
  // A configured "host:port" allows that port exactly (a simulated connector); plain hosts allow only 443.
  const withPort = `${parsed.hostname}:${parsed.port || '443'}`.toLowerCase();
  if (hosts.some((h) => h.includes(':') && h.toLowerCase() === withPort)) return true;
  if (parsed.port !== '' && parsed.port !== '443') return false;
  return hosts.some((h) => parsed.hostname.toLowerCase() === h.toLowerCase());
}

/** The tenant an activity says it comes from (conversation first, then channelData). */
export function activityTenant(activity: InboundActivity): string | undefined {
  const t = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
  return typeof t === 'string' ? t : undefined;
}

export async function verifyBotFrameworkRequest(authorization: string | undefined, activity: InboundActivity, opts: BotTokenOptions): Promise<void> {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) throw new BotAuthError(401, 'A Bot Framework token is required');
  const token = match[1]!;
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new BotAuthError(401, 'The token is not a JWT');
  }
  if (!kid) throw new BotAuthError(401, 'The token names no signing key');
  const key = await opts.keys(kid);
  if (!key) throw new BotAuthError(401, 'The token was not signed by the Bot Framework');
  const channelId = typeof activity.channelId === 'string' ? activity.channelId : '';
  if (channelId !== 'msteams') throw new BotAuthError(403, 'Only Teams activities are accepted');
  if (key.endorsements && !key.endorsements.includes(channelId)) throw new BotAuthError(401, 'The signing key is not endorsed for this channel');
  let payload;
  try {
    const publicKey = await importJWK({ ...key.jwk, alg: 'RS256' }, 'RS256');
    ({ payload } = await jwtVerify(token, publicKey, {
      issuer: BOT_FRAMEWORK_ISSUER,
      audience: opts.botAppId.toLowerCase(),
      algorithms: ['RS256'],
      clockTolerance: opts.clockToleranceSeconds ?? 300,
      requiredClaims: ['exp'],
      currentDate: opts.currentDate,
    }));
  } catch (err) {
    throw new BotAuthError(401, `The token was refused: ${err instanceof Error ? err.message : 'invalid'}`);
  }
  // The Bot Connector signs the serviceUrl it will accept replies on; an activity naming another is forged.
  if (typeof payload.serviceurl !== 'string' || payload.serviceurl !== activity.serviceUrl) throw new BotAuthError(401, 'The activity serviceUrl does not match the token');
  if (!serviceUrlAllowed(activity.serviceUrl, opts.serviceUrlHosts)) throw new BotAuthError(403, 'The activity serviceUrl is not a Teams service');
  const tenant = activityTenant(activity);
  if (!tenant || tenant.toLowerCase() !== opts.tenantId.toLowerCase()) throw new BotAuthError(403, 'The activity is not from this organisation');
}

/**
 * The Bot Framework's published keys: the OpenID metadata names the JWKS; the
 * set is cached for a day and fetched again (at most every five minutes) when a
 * token names a key it does not hold, as Microsoft rolls keys.
 */
export function remoteBotKeys(openIdMetadataUrl = BOT_FRAMEWORK_OPENID_METADATA, fetchFn: typeof fetch = fetch): BotKeySource {
  let keys = new Map<string, BotSigningKey>();
  let fetchedAt = 0;
  let inflight: Promise<void> | undefined;
  const DAY = 24 * 3600_000;
  const MIN_REFETCH = 5 * 60_000;

  async function refresh(): Promise<void> {
    const meta = (await (await fetchFn(openIdMetadataUrl, { signal: AbortSignal.timeout(10_000) })).json()) as { jwks_uri?: unknown };
    if (typeof meta.jwks_uri !== 'string') throw new Error('Bot Framework OpenID metadata has no jwks_uri');
    const set = (await (await fetchFn(meta.jwks_uri, { signal: AbortSignal.timeout(10_000) })).json()) as { keys?: Array<JWK & { endorsements?: string[] }> };
    const next = new Map<string, BotSigningKey>();
    for (const k of set.keys ?? []) {
      if (typeof k.kid === 'string' && k.kty === 'RSA') next.set(k.kid, { jwk: k, endorsements: Array.isArray(k.endorsements) ? k.endorsements : undefined });
    }
    keys = next;
    fetchedAt = Date.now();
  }

  return async (kid) => {
    const age = Date.now() - fetchedAt;
    if (age > DAY || (!keys.has(kid) && age > MIN_REFETCH)) {
      inflight ??= refresh().finally(() => (inflight = undefined));
      try {
        await inflight;
      } catch {
        // Keys unreachable: refuse this request (the caller answers 401); the next one tries again.
        fetchedAt = 0;
      }
    }
    return keys.get(kid);
  };
}

/** A fixed key set (tests, or an operator pinning keys). */
export function staticBotKeys(list: Array<JWK & { endorsements?: string[] }>): BotKeySource {
  const map = new Map(list.map((k) => [String(k.kid), { jwk: k, endorsements: k.endorsements }]));
  return async (kid) => map.get(kid);
}
