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
  avalaActivated,
  dialog,
  dismissNotifications,
  logIn,
  focusWorkbench,
  openTerminalAndRun,
  openViewContainer,
  pickQuickItem,
  quickItem,
  runCommand,
  screenshot,
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
    // The emulator's keys fit only a server that reads AVALA_BASE_URL (see the suite below for the published one).
    s = await openSession({ settings: { 'workbench.colorTheme': 'Default Dark Modern', 'avala.mcp.readsBaseUrl': true } });
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
    for (const title of [
      'Sign up or log in',
      'See your keys and their scopes',
      'Check the status bar',
      'Use the key in a terminal and a debug session',
      'Keep keys safe',
    ]) {
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
    await page
      .locator('.part.activitybar .action-item', { has: page.locator('[aria-label^="Accounts"]') })
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

/** Every process on this machine whose environment holds `value` (root reads them all). */
function processesHolding(value: string): string[] {
  const needle = Buffer.from(value);
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`).includes(needle)) {
        found.push(`${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 120)}`);
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

describe("Ecosystem: Avala's published MCP server never gets a key for another API", function () {
  let s: Session;
  let keyValue: string;
  const label = 'emulator-agent';

  before(async function () {
    this.timeout(240_000);
    // AI features on: with them off, VS Code hides its MCP commands. avala.mcp.readsBaseUrl
    // stays at its default: the published server always calls api.avala.ai.
    s = await openSession({ settings: { 'chat.disableAIFeatures': false } });
    await avalaActivated(s.vscode);
    const key = emulator().createKey({ name: label, scopes: ['datasets.read'] });
    keyValue = key.key;
    await logIn(s.page, key.key, label);
  });
  after(async () => {
    await s?.close();
  });

  it('"Choose Key for MCP Server" lists no emulator key and says why', async () => {
    const { page } = s;
    await dismissNotifications(page);
    await runCommand(page, 'Avala: Choose Key for MCP Server');
    const note = await waitForNotification(page, 'No stored key is for api.avala.ai, the API the Avala MCP server calls.');
    assert.match(await note.innerText(), /for a server build that reads AVALA_BASE_URL, turn on avala\.mcp\.readsBaseUrl/);
    await page.waitForTimeout(500); // the toast slides in: let the picture show it whole
    await screenshot(page, 'ecosystem/mcp-choose-none-fit');
  });

  it('starting the server with the emulator key stops with the key, both hosts and a way out, and no process gets the key', async () => {
    const { page, vscode } = s;
    await dismissNotifications(page);
    await runCommand(page, 'MCP: List Servers');
    await pickQuickItem(page, /^\s*Avala/);
    await pickQuickItem(page, 'Start Server');
    const refusal = await waitForNotification(
      page,
      `"${label}" is a key for ${new URL(emulator().baseUrl).host}, but the Avala MCP server sends its key to api.avala.ai`,
    );
    assert.match(await refusal.innerText(), /so the key stays in secret storage\. The server was not started\./);
    assert.match(await refusal.innerText(), /Open MCP Settings/);
    await page.waitForTimeout(500);
    await screenshot(page, 'ecosystem/mcp-wrong-api');
    const log = vscode.avalaLog() ?? '';
    assert.match(log, /Did not start the Avala MCP server: "emulator-agent" is a key for 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(log, /Starting the Avala MCP server/);
    assert.equal(log.includes(keyValue), false, 'the key is in the log');
    assert.deepEqual(processesHolding(keyValue), []);
  });
});
