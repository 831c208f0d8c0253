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
