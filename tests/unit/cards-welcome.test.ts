import { helpCard, notUnderstoodCard, welcomeCard } from '../../src/bot/cards/welcome';
import { SEED_PEOPLE } from '../../src/seed/organisation';
import { cardProblems } from '../support/adaptiveCards';

describe('bot basics cards', () => {
  const tab = 'http://localhost:3978/tab/';
  it.each([
    ['welcome (known person)', welcomeCard(SEED_PEOPLE[0], tab)],
    ['welcome (unknown person)', welcomeCard(undefined, tab)],
    ['help', helpCard(tab)],
    ['not understood', notUnderstoodCard(tab)],
  ])('%s is a valid Adaptive Card 1.5 within the Teams size limit', (_name, card) => {
    expect(cardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
  });

  it('the schema check catches a broken card', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }] }).length).toBeGreaterThan(0);
  });

  it('links to the tab', () => {
    expect(JSON.stringify(welcomeCard(undefined, tab))).toContain(tab);
  });
});
