// Issue 8 as a person sees it: the walkthrough from the empty Keys view, keys in the Accounts
// menu, choosing the MCP server's key (and the full-access warning), and Restricted Mode.
// With AVALA_UPDATE_MEDIA=1 the screenshots also replace the walkthrough and README images.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { emulator, openSession, type Session } from './hooks';
import {
  dialog,
  logIn,
  focusWorkbench,
  openTerminalAndRun,
  openViewContainer,
  pickQuickItem,
  quickItem,
  runCommand,
  statusBarItem,
  treeItem,
  view,
  waitForNotification,
  waitForTerminalText,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
} from './workbench';

/**
 * Saves a screenshot under test-results/ecosystem/ (and into media/walkthrough/ when asked):
 * of the page, of one element, or of an element cut off below its last `until` match.
 */
async function capture(page: Page, name: string, element?: Locator, until?: Locator): Promise<void> {
  const file = path.join(repoRoot, 'test-results', 'ecosystem', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const box = await element?.boundingBox();
  const last = until ? await until.last().boundingBox() : undefined;
  if (box && last) {
    const height = Math.min(box.height, last.y + last.height - box.y + 16);
    await page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: box.width, height }, timeout: UI_TIMEOUT_MS });
  } else if (element) {
    await element.screenshot({ path: file, timeout: UI_TIMEOUT_MS });
  } else {
    await page.screenshot({ path: file, timeout: UI_TIMEOUT_MS });
  }
  if (process.env.AVALA_UPDATE_MEDIA === '1') {
    fs.copyFileSync(file, path.join(repoRoot, 'media', 'walkthrough', `${name}.png`));
  }
}

/** Drags the side bar's edge so labels and scope meanings fit. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) {
    return;
  }
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

describe('Ecosystem: walkthrough, Accounts menu, MCP key', function () {
  let s: Session;
  // Plain names: these screenshots become the walkthrough's images. The session is this suite's own.
  const scoped = 'notebook-reader';
  const broad = 'org-admin';

  before(async function () {
    this.timeout(240_000);
    s = await openSession({ settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  });
  after(async () => {
    await s?.close();
  });

  it('the empty Keys view links to the walkthrough, which shows its five steps', async () => {
    const { page } = s;
    await openViewContainer(page, 'Avala');
    const keys = view(page, 'Keys');
    const welcome = keys.locator('.welcome-view-content', { hasText: 'Avala API keys let your scripts' });
    await welcome.waitFor({ timeout: STARTUP_TIMEOUT_MS });
    await widenSideBar(page, 460);
    await capture(page, 'sign-in', page.locator('.part.sidebar'), welcome.locator('p'));
    await welcome.locator('a', { hasText: 'Take the tour' }).click();
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.locator('h2', { hasText: 'Get started with Avala API keys' }).waitFor({ timeout: UI_TIMEOUT_MS });
    for (const title of ['Sign up or log in', 'See your keys and their scopes', 'Check the status bar', 'Use the key in a terminal and a debug session', 'Keep keys safe']) {
      await walkthrough.locator('.getting-started-step', { hasText: title }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    }
    await capture(page, 'walkthrough');
  });

  it('stored keys appear in the Accounts menu as "label (environment)"', async () => {
    const { page } = s;
    const full = await emulator().createKey({ name: broad, scopes: [] });
    const reader = await emulator().createKey({ name: scoped, scopes: ['datasets.read', 'exports.create'] });
    await logIn(page, full.key, broad, 'production');
    await logIn(page, reader.key, scoped, 'development');
    await page.locator('.part.activitybar .action-item', { has: page.locator('[aria-label^="Accounts"]') })
      .or(page.locator('.part.activitybar .action-item[aria-label^="Accounts"]'))
      .first()
      .click();
    const menu = page.locator('.monaco-menu');
    await menu.locator('.action-label', { hasText: `${scoped} (development) (Avala)` }).waitFor({ timeout: UI_TIMEOUT_MS });
    await menu.locator('.action-label', { hasText: `${broad} (production) (Avala)` }).waitFor({ timeout: UI_TIMEOUT_MS });
    await capture(page, 'accounts-menu');
    await page.keyboard.press('Escape');
  });

  it('the Keys view shows both keys with their scopes, and the status bar the active one', async () => {
    const { page } = s;
    await focusWorkbench(page);
    await openViewContainer(page, 'Avala');
    await widenSideBar(page, 460);
    for (const label of [scoped, broad]) {
      const row = treeItem(page, label);
      await row.waitFor({ timeout: UI_TIMEOUT_MS });
      if ((await row.getAttribute('aria-expanded')) === 'false') {
        await row.click();
      }
    }
    await treeItem(page, 'datasets.read').waitFor({ timeout: UI_TIMEOUT_MS });
    await treeItem(page, 'Full organization access').waitFor({ timeout: UI_TIMEOUT_MS });
    await capture(page, 'keys-and-scopes', page.locator('.part.sidebar'), page.locator('.part.sidebar .monaco-list-row'));
    const status = statusBarItem(page, scoped);
    await status.waitFor({ timeout: UI_TIMEOUT_MS });
    await status.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').first();
    await hover.waitFor({ timeout: UI_TIMEOUT_MS });
    // The bottom-left corner: the status bar item and its hover.
    const bar = (await page.locator('.part.statusbar').boundingBox())!;
    const top = Math.max(0, ((await hover.boundingBox())?.y ?? bar.y) - 16);
    const file = path.join(repoRoot, 'test-results', 'ecosystem', 'status-bar.png');
    await page.screenshot({ path: file, clip: { x: 0, y: top, width: 640, height: bar.y + bar.height - top }, timeout: UI_TIMEOUT_MS });
    if (process.env.AVALA_UPDATE_MEDIA === '1') {
      fs.copyFileSync(file, path.join(repoRoot, 'media', 'walkthrough', 'status-bar.png'));
    }
  });

  it('a new terminal has the active key in AVALA_API_KEY', async () => {
    const { page } = s;
    await openTerminalAndRun(page, 'echo "AVALA_API_KEY has ${#AVALA_API_KEY} characters"');
    await waitForTerminalText(page, /AVALA_API_KEY has [1-9]\d* characters/);
    await capture(page, 'terminal-and-debug', page.locator('.part.panel'));
  });

  it('choosing a full-access key for the MCP server warns with the advice and offers a scoped key instead', async () => {
    const { page } = s;
    await runCommand(page, 'Avala: Choose Key for MCP Server');
    await quickItem(page, broad).waitFor({ timeout: UI_TIMEOUT_MS });
    await pickQuickItem(page, broad);
    const warning = dialog(page, 'has full organization access');
    await warning.waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await warning.innerText(), /Prefer keys scoped to what they need, especially for machine automation such as MCP/);
    await capture(page, 'keep-safe', warning);
    await warning.locator('.monaco-button', { hasText: 'Choose a Scoped Key' }).click();
    await pickQuickItem(page, scoped);
    await waitForNotification(page, `The Avala MCP server gets "${scoped}" from its next start.`);
  });
});
