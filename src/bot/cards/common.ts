/** Small builders for Adaptive Cards 1.5 (Teams' supported version). */
import type { AdaptiveCard } from '../../ports/notifier';

export const CARD_VERSION = '1.5';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function card(body: unknown[], actions: unknown[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions.length ? { actions } : {}),
  };
}

export const heading = (text: string) => ({ type: 'TextBlock', text, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading' });
export const para = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text, wrap: true, ...extra });
export const facts = (items: [string, string][]) => ({ type: 'FactSet', facts: items.map(([title, value]) => ({ title, value })) });
export const openUrl = (title: string, url: string) => ({ type: 'Action.OpenUrl', title, url });

/** A message activity carrying one card (what the Teams SDK's send accepts). */
export function cardActivity(content: AdaptiveCard, summary: string) {
  return {
    type: 'message' as const,
    summary,
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }],
  };
}

/**
 * Text a person typed (record answers, comments, action text, names), made
 * inert for the Markdown subset Teams renders in TextBlocks and FactSets: a
 * record reading "[click](https://…)" must show those characters, not a link.
 * Backslash escapes for Markdown's punctuation; bare URLs lose their "://" so
 * they are not turned into links. Never for Input values (they are not Markdown).
 */
export function plainText(text: string): string {
  return text
    .replace(/[\\`*_[\]()<>~#]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+]|\d+\.)(?=\s)/gm, (_m, sp: string, marker: string) => `${sp}${marker.replace(/([-+.])/, '\\$1')}`)
    .replace(/:\/\//g, ':\u200B//');
}
