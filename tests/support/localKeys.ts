/**
 * Locally signed tokens for tenant-mode tests: an Entra key set (the tab's
 * sign-in tokens) and a Bot Framework key set (Teams' channel tokens), each
 * with its own key, served to the app as local key sources.
 */
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { staticBotKeys } from '../../src/server/auth/botFrameworkToken';

export interface LocalKeys {
  entraJwks: ReturnType<typeof createLocalJWKSet>;
  botKeys: ReturnType<typeof staticBotKeys>;
  /** Signs with the Entra key (kid "entra"). */
  entra(payload: JWTPayload): Promise<string>;
  /** Signs with the Bot Framework key (kid "botframework", endorsed for msteams). */
  botFramework(payload: JWTPayload): Promise<string>;
  /** Signs with a key nobody published. */
  stranger(payload: JWTPayload, kid: string): Promise<string>;
}

export async function localKeys(): Promise<LocalKeys> {
  const entra = await generateKeyPair('RS256');
  const bot = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const entraJwk: JWK = { ...(await exportJWK(entra.publicKey)), kid: 'entra', alg: 'RS256' };
  const botJwk = { ...(await exportJWK(bot.publicKey)), kid: 'botframework', endorsements: ['msteams'] };
  const sign = (key: CryptoKey, kid: string) => (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  return {
    entraJwks: createLocalJWKSet({ keys: [entraJwk] }),
    botKeys: staticBotKeys([botJwk]),
    entra: sign(entra.privateKey, 'entra'),
    botFramework: sign(bot.privateKey, 'botframework'),
    stranger: (payload, kid) => sign(other.privateKey, kid)(payload),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
