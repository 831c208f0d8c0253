/**
 * Small builders for Adaptive Cards 1.5 (Teams' supported version), on the
 * Teams SDK's typed card model (@microsoft/teams.cards): a misspelt property,
 * a wrong enum value or an action where an element belongs fails typecheck.
 */
import {
  AdaptiveCard,
  ExecuteAction,
  Fact,
  FactSet,
  OpenUrlAction,
  TextBlock,
  type ActionArray,
  type CardElementArray,
  type ExecuteActionOptions,
  type IAdaptiveCard,
  type ISubmitActionData,
  type TextBlockOptions,
} from '@microsoft/teams.cards';

export const CARD_VERSION = '1.5';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export type Card = IAdaptiveCard;
export type CardElement = CardElementArray[number];
export type CardAction = ActionArray[number];

/**
 * A card as plain JSON: the builders' objects carry every optional property
 * as an own `undefined`, which JSON (Teams, the tab, the size budget) drops
 * anyway; dropping it here keeps every consumer (schema checks, equality) on
 * the JSON that is actually sent.
 */
export function plain<T extends object>(built: T): T {
  return JSON.parse(JSON.stringify(built)) as T;
}

export function card(body: CardElement[], actions: CardAction[] = []): Card {
  const c = new AdaptiveCard(...body).withOptions({ $schema: SCHEMA, version: CARD_VERSION });
  if (actions.length) c.withActions(...actions);
  return plain(c);
}

export const heading = (text: string) => new TextBlock(text, { weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading' });
export const para = (text: string, extra: TextBlockOptions = {}) => new TextBlock(text, { wrap: true, ...extra });
export const facts = (items: [string, string][]) => new FactSet(...items.map(([title, value]) => new Fact(title, value)));
export const openUrl = (title: string, url: string) => new OpenUrlAction(url, { title });
export const execute = (title: string, verb: string, data: ISubmitActionData, extra: ExecuteActionOptions = {}) => new ExecuteAction({ title, verb, data, ...extra });

/** A message activity carrying one card (what the Teams SDK's send accepts). */
export function cardActivity(content: Card, summary: string) {
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
