/**
 * How /api/messages checks Teams' requests in a tenant: Bot Framework channel
 * tokens for this bot, keys from the configured OpenID metadata, serviceUrls on
 * Teams' hosts, activities from our tenant (src/server/auth/botFrameworkToken.ts).
 */
import type { TenantEnv } from '../config/env';
import { remoteBotKeys, type BotTokenOptions } from '../server/auth/botFrameworkToken';

export function botTokenOptions(
  env: Pick<TenantEnv, 'CLIENT_ID' | 'TENANT_ID' | 'PT_BOT_OPENID_METADATA_URL' | 'PT_BOT_SERVICE_URL_HOSTS'>,
  overrides: Partial<BotTokenOptions> = {},
): BotTokenOptions {
  return {
    botAppId: env.CLIENT_ID,
    tenantId: env.TENANT_ID,
    keys: remoteBotKeys(env.PT_BOT_OPENID_METADATA_URL),
    serviceUrlHosts: env.PT_BOT_SERVICE_URL_HOSTS,
    ...overrides,
  };
}
