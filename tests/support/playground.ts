/** Drives the Agents Playground's web UI (the Teams emulator) like a user would. */
import type { Page } from 'playwright-core';

export async function openPlayground(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('[data-lexical-editor="true"]').waitFor({ state: 'visible', timeout: 20_000 });
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  const editor = page.locator('[data-lexical-editor="true"]');
  await editor.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

import type { Locator } from 'playwright-core';

/** The newest Adaptive Card in the chat whose text includes `title`. */
export function cardWith(page: Page, title: string): Locator {
  return page.locator('.ac-adaptiveCard').filter({ hasText: title }).last();
}

/** Picks an option in a card's ChoiceSet (rendered by the Playground as a Fluent combobox). */
export async function pickChoice(page: Page, card: Locator, label: string, option: string): Promise<void> {
  await card.getByRole('combobox', { name: label }).click();
  await page.getByRole('option').filter({ hasText: option }).first().click();
}

/** Picks a day of next month in a card's Input.Date (a Fluent date picker). */
export async function pickDayNextMonth(page: Page, card: Locator, label: string, day: number): Promise<void> {
  await card.getByRole('combobox', { name: label }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /next month/i }).click();
  await dialog.getByRole('gridcell').getByRole('button', { name: new RegExp(`^${day},`) }).click();
}
