/**
 * Microsoft's documented Teams bot limits, the ones the dispatcher's default
 * comes from.
 *
 * Source: Microsoft Learn, "Optimize your bot with rate limiting in Teams"
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit),
 * section "Global limit per app per tenant": 50 requests per second for one
 * app in one tenant, all bot API calls counted together (sending, updating,
 * roster reads). Its per-bot-per-thread limits (a few operations a second in
 * one conversation) do not bind digests: each goes to a different person's chat.
 * Microsoft says the exact values may change: the dispatcher also backs off on 429.
 */
export const TEAMS_APP_TENANT_LIMIT_PER_SECOND = 50;

/**
 * The default share of that limit the digest dispatcher takes (PT_TEAMS_MAX_PER_SECOND):
 * 80 %, leaving a fifth for what people do meanwhile (card replies, refreshes,
 * record forms), which counts against the same per-app budget.
 * 55,000 digests take 23 minutes at 40/s (3 h at the old 5/s).
 */
export const TEAMS_DISPATCH_DEFAULT_PER_SECOND = TEAMS_APP_TENANT_LIMIT_PER_SECOND * 0.8;
