/**
 * The built tab, served by the real app, in headless Chromium: in a plain
 * browser, and framed by stand-ins for Teams, Outlook and the Microsoft 365
 * app that speak teams-js's postMessage protocol (tests/support/fakeTeamsHost.ts).
 * It must never be blank, must say which host it is in, follow the host's
 * theme, and say what the host lacks instead of offering it.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { openInFakeHost } from '../support/fakeTeamsHost';
import { runApp, type AppProcess } from '../support/runApp';

jest.setTimeout(120_000);

let app: AppProcess;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  [app, browser] = await Promise.all([runApp({ playground: false }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

afterEach(async () => {
  while (pages.length) await pages.pop()!.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  pages.push(page);
  return page;
}

/** Not blank: the shell and real words are on screen. */
async function expectContent(scope: Page | FrameLocator) {
  await scope.getByText('Protected Time', { exact: true }).waitFor({ timeout: 20_000 });
  await scope.getByRole('heading', { name: 'Sign in as' }).waitFor({ timeout: 20_000 });
  const text = await scope.locator('body').innerText();
  expect(text.trim().length).toBeGreaterThan(30);
}

/** The theme the page renders with (the FluentProvider around <main>). */
function pageTheme(scope: Page | FrameLocator): Promise<string | null> {
  return scope.locator('[data-theme]:has(main)').getAttribute('data-theme');
}

async function signInAs(scope: Page | FrameLocator, id: string, name: string) {
  await scope.locator('#sign-in-person').selectOption(id);
  await scope.getByRole('button', { name: 'Sign in' }).click();
  await scope.getByRole('heading', { name: 'To do', exact: true }).waitFor({ timeout: 20_000 });
  await scope.getByRole('link', { name: 'My supervision', exact: true }).click();
  await scope.getByRole('heading', { name }).waitFor({ timeout: 20_000 });
}

describe('tab hosts', () => {
  it('renders in a plain browser, with no host note', async () => {
    const page = await newPage();
    await page.goto(`${app.url}/tab/`);
    await expectContent(page);
    await expect(page.locator('main').getAttribute('data-host')).resolves.toBe('browser');
    await expect(pageTheme(page)).resolves.toBe('default');
    await expect(page.getByTestId('host-note').count()).resolves.toBe(0);
  });

  it('runs inside Teams: host detected through teams-js, dark theme followed, nothing missing', async () => {
    const page = await newPage();
    const host = await openInFakeHost(page, app.url, { hostName: 'Teams', theme: 'dark' });
    await host.frame.locator('main[data-host="Teams"]').waitFor({ timeout: 20_000 });
    await expectContent(host.frame);
    await expect(pageTheme(host.frame)).resolves.toBe('dark');
    await expect(host.frame.getByTestId('host-note').count()).resolves.toBe(0);
    const received = await host.received();
    expect(received).toEqual(expect.arrayContaining(['initialize', 'getContext']));

    // The user switches Teams to high contrast: the tab follows without a reload.
    await host.setTheme('contrast');
    await host.frame.locator('[data-theme="contrast"]:has(main)').waitFor({ timeout: 10_000 });

    await signInAs(host.frame, 'daniel-okafor', 'Daniel Okafor');
  });

  it('runs inside Outlook: says chat is a Teams thing instead of offering it', async () => {
    const page = await newPage();
    const host = await openInFakeHost(page, app.url, { hostName: 'Outlook', theme: 'default' });
    await host.frame.locator('main[data-host="Outlook"]').waitFor({ timeout: 20_000 });
    await expectContent(host.frame);
    await expect(pageTheme(host.frame)).resolves.toBe('default');
    const note = host.frame.getByTestId('host-note');
    await note.waitFor({ timeout: 10_000 });
    const text = await note.innerText();
    expect(text).toMatch(/^In Outlook, opening a chat with your supervisor is not available: open Protected Time in Teams for that\./);
    expect(text).not.toMatch(/calendar|pop-up/);
    await expect(note.getAttribute('role')).resolves.toBe('note');

    // The host's theme reaches the note as well as the page.
    await host.setTheme('dark');
    await host.frame.locator('[data-theme="dark"]:has(main)').waitFor({ timeout: 10_000 });
    await host.frame.locator('[data-theme="dark"][data-testid="host-note"]').waitFor({ timeout: 10_000 });

    await signInAs(host.frame, 'sam-patel', 'Sam Patel');
    await expect(host.frame.getByTestId('host-note').count()).resolves.toBe(1);
  });

  it('runs inside the Microsoft 365 app: lists everything it lacks', async () => {
    const page = await newPage();
    const host = await openInFakeHost(page, app.url, { hostName: 'Office', theme: 'contrast' });
    await host.frame.locator('main[data-host="Office"]').waitFor({ timeout: 20_000 });
    await expectContent(host.frame);
    await expect(pageTheme(host.frame)).resolves.toBe('contrast');
    const text = await host.frame.getByTestId('host-note').innerText();
    expect(text).toMatch(/^In the Microsoft 365 app, opening a chat with your supervisor and opening sessions in your calendar are not available/);
  });

  it('is never blank, even in a frame whose host never answers', async () => {
    const page = await newPage();
    const started = Date.now();
    const host = await openInFakeHost(page, app.url, { hostName: 'Teams', answers: false });
    await expectContent(host.frame);
    await expect(host.frame.locator('main').getAttribute('data-host')).resolves.toBe('browser');
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect(host.received()).resolves.toContain('initialize');
    await expect(host.frame.getByTestId('host-note').count()).resolves.toBe(0);
  });
});
