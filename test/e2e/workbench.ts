// Page helpers for driving the VS Code workbench (code-server in Chromium) like a person.
// Every helper waits on a condition with a bound, never on a fixed pause.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { resultsDir } from '../harness/paths';
import { STARTUP_TIMEOUT_MS, type VSCodeInstance } from '../harness/vscode';
import { describeError, waitFor } from '../harness/wait';

export { STARTUP_TIMEOUT_MS };

/**
 * How long a single UI step may take. Generous: every wait is on a condition, so this only
 * costs time when something is broken, and a loaded two-core machine can take tens of
 * seconds to start a shell.
 */
export const UI_TIMEOUT_MS = 45_000;

export type TextMatch = string | RegExp;

/** Opens the workbench and waits for it and its status bar; closes the chat/secondary side bar. */
export async function openWorkbench(page: Page, url: string, folder?: string): Promise<void> {
  await page.goto(url, { timeout: STARTUP_TIMEOUT_MS, waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: STARTUP_TIMEOUT_MS });
  await page.locator('.part.statusbar').waitFor({ timeout: STARTUP_TIMEOUT_MS });
  if (folder) {
    // The explorer shows the folder's name once the workspace has loaded.
    const name = path.basename(folder);
    await page
      .locator('.part.sidebar .pane-header, .part.sidebar .monaco-list-row', { hasText: name })
      .first()
      .waitFor({ timeout: STARTUP_TIMEOUT_MS });
  }
  await closeSecondarySideBar(page);
}

/** Clicks a neutral spot so keys reach the workbench, not a chat input or a webview. */
export async function focusWorkbench(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  const editor = page.locator('.part.editor');
  const box = await editor.boundingBox();
  if (box) {
    await editor.click({ position: { x: box.width / 2, y: box.height - 8 } });
  }
}

/** Closes the secondary side bar (where the Chat view lives) if it is open. */
export async function closeSecondarySideBar(page: Page): Promise<void> {
  const auxiliaryBar = page.locator('.part.auxiliarybar');
  if (await auxiliaryBar.isVisible()) {
    await runCommand(page, 'View: Close Secondary Side Bar', { closeSecondarySideBar: false });
    await auxiliaryBar.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }
}

/** The quick input (command palette, quick picks, input boxes). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Runs a command from the palette by its full title as shown there ("Avala: Add Key"). */
export async function runCommand(page: Page, title: string, options: { closeSecondarySideBar?: boolean } = {}): Promise<void> {
  if (options.closeSecondarySideBar ?? true) {
    await closeSecondarySideBar(page);
  }
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const input = widget.locator('.quick-input-box input');
  await input.fill(`>${title}`);
  await quickItem(page, title).click({ timeout: UI_TIMEOUT_MS });
}

/** A row of the open quick pick whose label is `label` (exactly, or matching the RegExp). */
export function quickItem(page: Page, label: TextMatch): Locator {
  const exact = typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label;
  return quickInput(page)
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
}

/** Picks an item of the open quick pick by label. */
export async function pickQuickItem(page: Page, label: TextMatch): Promise<void> {
  await quickInput(page).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await quickItem(page, label).click({ timeout: UI_TIMEOUT_MS });
}

/**
 * Types into the open input box (showInputBox / quick pick filter) and, by default, presses
 * Enter. Waits for an optional prompt text first, so the right box gets the text.
 */
export async function fillInput(page: Page, text: string, options: { prompt?: TextMatch; submit?: boolean } = {}): Promise<void> {
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  if (options.prompt) {
    await widget
      .locator('.quick-input-message, .quick-input-header, .quick-input-title', { hasText: options.prompt })
      .first()
      .waitFor({ timeout: UI_TIMEOUT_MS });
  }
  const input = widget.locator('.quick-input-box input');
  await input.fill(text);
  if (options.submit ?? true) {
    await input.press('Enter');
  }
}

/** The validation message under the input box (e.g. "That doesn't look like a key"). */
export function inputMessage(page: Page): Locator {
  return quickInput(page).locator('.quick-input-message');
}

/** Waits for a notification toast containing the text; returns it (to read or click buttons). */
export async function waitForNotification(page: Page, text: TextMatch, timeoutMs = UI_TIMEOUT_MS): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return toast;
}

/** Clicks a button of the notification containing `text`. */
export async function clickNotificationButton(page: Page, text: TextMatch, button: TextMatch): Promise<void> {
  const toast = await waitForNotification(page, text);
  await toast.locator('.monaco-button', { hasText: button }).first().click({ timeout: UI_TIMEOUT_MS });
}

/** A status bar entry by its visible text (icons excluded) or, for a string, its accessible label. */
export function statusBarItem(page: Page, text: TextMatch): Locator {
  const items = page.locator('.part.statusbar .statusbar-item');
  const byText = items.filter({ hasText: text });
  if (typeof text !== 'string') {
    return byText.first();
  }
  const byLabel = items.filter({ has: page.locator(`[aria-label*="${text.replace(/["\\]/g, '\\$&')}"]`) });
  return byText.or(byLabel).first();
}

/** Opens a view container from the activity bar by its title ("Avala") and waits for its side bar. */
export async function openViewContainer(page: Page, title: string): Promise<Locator> {
  const item = page
    .locator('.part.activitybar .action-item', { has: page.locator(`[aria-label^="${title}"]`) })
    .or(page.locator(`.part.activitybar .action-item[aria-label^="${title}"]`))
    .first();
  await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const sidebar = page.locator('.part.sidebar');
  const titleLabel = sidebar.locator('.composite.title', { hasText: new RegExp(escapeRegExp(title), 'i') });
  if (!(await titleLabel.isVisible())) {
    await item.click();
  }
  await titleLabel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return sidebar;
}

/** A view's section (header + body) in the side bar, by view name ("Keys"). */
export function view(page: Page, name: string): Locator {
  return page
    .locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRegExp(name)}`, 'i') }) })
    .first();
}

/** Rows of a tree view (e.g. the Keys view), by label text. */
export function treeItem(page: Page, label: TextMatch): Locator {
  return page.locator('.part.sidebar .monaco-list-row', { hasText: label }).first();
}

/**
 * Opens a new integrated terminal and runs `command` in it.
 *
 * To read what the command did, have it write to a file in the workspace and wait for that
 * file from Node ({@link waitForFile}): reliable whatever the renderer. With the test setting
 * `terminal.integrated.gpuAcceleration: off` the DOM renderer is used, and
 * {@link terminalText} reads the visible rows as well.
 */
export async function openTerminalAndRun(page: Page, command: string): Promise<void> {
  const before = await page.locator('.terminal-wrapper').count();
  await runCommand(page, 'Terminal: Create New Terminal');
  // (Page functions as strings: this project compiles without the DOM library.)
  await page.waitForFunction(`document.querySelectorAll('.terminal-wrapper').length > ${before}`, undefined, { timeout: UI_TIMEOUT_MS });
  await page.waitForFunction(TERMINAL_FOCUSED, undefined, { timeout: UI_TIMEOUT_MS });
  await runInTerminal(page, command);
}

/**
 * The terminal that is shown. Every terminal group keeps an `.active` wrapper, and a hidden
 * group's stays in the page, so "active" alone can name a terminal nobody sees.
 */
const SHOWN_TERMINAL = '.terminal-wrapper.active >> visible=true';

/** The visible text of the terminal that is shown (DOM renderer rows). */
export async function terminalText(page: Page): Promise<string> {
  const rows = page.locator(`${SHOWN_TERMINAL} >> .xterm-rows`).first();
  return (await rows.innerText()).replace(/\u00a0/g, ' ');
}

/** How often to type a command again when its keys did not all reach the shell. */
const TYPING_ATTEMPTS = 3;
/** How long a typed command may take to show in the terminal. */
const ECHO_TIMEOUT_MS = 15_000;
const TERMINAL_FOCUSED = `document.activeElement?.classList.contains('xterm-helper-textarea') === true`;

/** The text of the terminal that has keyboard focus (where typed keys go), or '' if none has. */
async function focusedTerminalText(page: Page): Promise<string> {
  const text = await page
    .evaluate(`document.activeElement?.closest('.terminal-wrapper')?.querySelector('.xterm-rows')?.innerText ?? ''`)
    .catch(() => '');
  return String(text).replace(/\u00a0/g, ' ');
}

/**
 * Runs a command in the active terminal (the one just created, chosen or relaunched), as a
 * person would: gives it focus with "Terminal: Focus Terminal" unless a terminal has it, waits
 * for that terminal's shell prompt (and, if given, for the text `gone` to have left it), types
 * the command and presses Enter only once the shell has echoed all of it. Keys typed while a
 * shell is still starting can be lost; then Ctrl+C clears the line and the command is typed
 * again, a bounded number of times.
 */
export async function runInTerminal(page: Page, command: string, options: { gone?: string; timeoutMs?: number } = {}): Promise<void> {
  // Compared without whitespace: a long command wraps onto the next row.
  const squeeze = (text: string) => text.replace(/\s+/g, '');
  const echoes = (text: string) => squeeze(text).split(squeeze(command)).length - 1;
  for (let attempt = 1; ; attempt++) {
    // Only when no terminal has focus: the palette's Escape would reach a focused shell, and
    // Escape then a letter is a readline command there.
    if (!(await page.evaluate(TERMINAL_FOCUSED))) {
      await runCommand(page, 'Terminal: Focus Terminal');
      await page.waitForFunction(TERMINAL_FOCUSED, undefined, { timeout: UI_TIMEOUT_MS });
    }
    await waitFor(
      async () => {
        const text = await focusedTerminalText(page);
        return /[#$] *$/.test(`${text.trimEnd()} `) && !(options.gone && text.includes(options.gone));
      },
      { description: 'a shell prompt in the focused terminal', timeoutMs: options.timeoutMs ?? 2 * UI_TIMEOUT_MS },
    );
    const before = echoes(await focusedTerminalText(page));
    await page.keyboard.type(command);
    try {
      await waitFor(async () => echoes(await focusedTerminalText(page)) > before, {
        description: `the terminal to echo "${command}"`,
        timeoutMs: ECHO_TIMEOUT_MS,
      });
    } catch (error) {
      if (attempt >= TYPING_ATTEMPTS) {
        throw new Error(
          `${error instanceof Error ? error.message : String(error)} (typed ${attempt} times); the terminal shows:\n${await focusedTerminalText(page)}`,
          { cause: error },
        );
      }
      // A test may type a key (the tripwire tests do): the run's output shows only its last four characters.
      const shown = command.replace(/avk_[0-9a-f]{36}([0-9a-f]{4})/g, 'avk_…$1');
      console.log(`      (the terminal did not echo all of "${shown}"; Ctrl+C and typing it again)`);
      await page.keyboard.press('Control+C');
      continue;
    }
    await page.keyboard.press('Enter');
    return;
  }
}

/** Waits until the active terminal shows text matching `match`. */
export async function waitForTerminalText(page: Page, match: TextMatch, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  let text = '';
  try {
    return await waitFor(
      async () => {
        text = await terminalText(page).catch(() => '');
        return (typeof match === 'string' ? text.includes(match) : match.test(text)) && text;
      },
      { description: `the terminal to show ${String(match)}`, timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    throw new Error(`${describeError(error)}; it shows:\n${text}`, { cause: error });
  }
}

/**
 * Waits for a file to exist with content (written by a terminal command) and returns it.
 * Content is read as soon as it is there: for more than one short write, have the command
 * write elsewhere and `mv` the file into place.
 */
export async function waitForFile(file: string, timeoutMs = 2 * UI_TIMEOUT_MS): Promise<string> {
  return waitFor(
    () => {
      const content = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      return content.length > 0 && content;
    },
    { description: file, timeoutMs, intervalMs: 100 },
  );
}

/** Saves a full-window screenshot as test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(resultsDir, `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, timeout: UI_TIMEOUT_MS });
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Closes every notification (toasts and the notification center). Escape alone only hides the
 * toasts: the notifications stay in the center, and a later one may then not show as a toast.
 */
export async function dismissNotifications(page: Page): Promise<void> {
  // Clears only what shows, and returns once it is gone: a "Clear All" that ran late used to
  // clear the next notification a test was waiting for.
  const toasts = page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) > 0) {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    await waitFor(async () => (await toasts.count()) === 0, {
      description: 'the notifications to clear',
      timeoutMs: 10_000,
      intervalMs: 100,
    }).catch(() => undefined);
  }
  await page.keyboard.press('Escape');
}

/** Waits until the Avala output channel says the extension activated (its commands are then in the palette). */
export async function avalaActivated(vscode: Pick<VSCodeInstance, 'avalaLog'>): Promise<void> {
  await waitFor(() => (vscode.avalaLog() ?? '').includes('Avala activated'), { description: 'Avala to activate', timeoutMs: 120_000 });
}

/** "Avala: Log In with API Key" with a label and an environment, until it says it logged in. */
export async function logIn(page: Page, key: string, label: string, environment = 'development'): Promise<void> {
  await runCommand(page, 'Avala: Log In with API Key');
  await fillInput(page, key, { prompt: 'Paste an Avala API key' });
  await fillInput(page, label, { prompt: 'A label' });
  await pickQuickItem(page, environment);
  await waitForNotification(page, new RegExp(`Logged in with "${escapeRegExp(label)}"`));
}

/** A modal dialog of the workbench containing `text`. */
export function dialog(page: Page, text: TextMatch): Locator {
  return page.locator('.monaco-dialog-box', { hasText: text });
}

/** Writes a file into the workspace (creating its folders) and returns its path. */
export function writeWorkspaceFile(workspace: string, relative: string, text: string): string {
  const file = path.join(workspace, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/**
 * Opens a file with Quick Open, as a person would, and waits for its editor tab. Types the
 * absolute path, which Quick Open resolves directly: its file search may not list a file
 * written a moment ago, nor one that git ignores.
 */
export async function openFile(page: Page, workspace: string, relative: string): Promise<void> {
  const name = path.basename(relative);
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await quickInput(page).locator('.quick-input-box input').fill(path.join(workspace, relative));
  await quickItem(page, name).click({ timeout: UI_TIMEOUT_MS });
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: UI_TIMEOUT_MS });
}

/** The text the active editor shows (the lines on screen, spaces as spaces). */
export async function editorText(page: Page): Promise<string> {
  return (await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Puts `text` on the clipboard, pastes it with Ctrl+V at the end of the active editor and waits
 * for VS Code's paste control (shown when more than one way to paste exists); then opens its
 * list with Ctrl+. Returns the list and the editor's text right after the paste, before any
 * choice. The clipboard permissions are granted to the page first.
 */
export async function pasteAndOpenPasteWidget(page: Page, text: string): Promise<{ menu: Locator; afterPaste: string }> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
  await page.keyboard.press('Control+V');
  await page.locator('.post-edit-widget').waitFor({ timeout: UI_TIMEOUT_MS });
  const afterPaste = await editorText(page);
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget').first();
  await menu.getByText('Insert Plain Text').waitFor({ timeout: UI_TIMEOUT_MS });
  return { menu, afterPaste };
}

/** Saves the active editor with Ctrl+S and waits until `file` on disk contains `expected`; returns its text. */
export async function saveActiveEditor(page: Page, file: string, expected: string): Promise<string> {
  await focusWorkbench(page);
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+S');
  return waitFor(
    () => {
      const text = fs.readFileSync(file, 'utf8');
      return text.includes(expected) && text;
    },
    { description: `${file} to be saved`, timeoutMs: UI_TIMEOUT_MS },
  );
}

/** The Problems panel's row for the diagnostic containing `text` (opening the panel if needed). */
export async function problem(page: Page, text: TextMatch): Promise<Locator> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+Shift+M');
  }
  const row = panel.locator('.monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: UI_TIMEOUT_MS });
  return row;
}

/** Avala's quick fixes for a hard-coded key, as the Quick Fix menu lists them. */
export const MOVE_TITLE = 'Store in Avala secret storage and use the environment variable';
export const IGNORE_TITLE = 'Ignore hard-coded Avala keys in this file';
export const RESTRICTED_TITLE = 'Store in Avala secret storage… (needs a trusted workspace)';

/** How often to ask for the Quick Fix menu again when it did not open. */
const QUICK_FIX_ATTEMPTS = 3;

/**
 * Moves the cursor to the next problem in the editor and opens the Quick Fix menu there, once
 * it lists `expected`. The editor shows its light bulb before Ctrl+. is pressed, so the fixes
 * are known; a menu that still does not open (the key went elsewhere, once in a CI run) is
 * asked for again, a bounded number of times.
 */
export async function openQuickFixes(page: Page, expected: string): Promise<Locator> {
  const menu = page.locator('.action-widget');
  for (let attempt = 1; ; attempt++) {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('F8');
    await page.locator('.marker-widget').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Escape');
    await page.locator('.editor-instance .lightBulbWidget').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Control+.');
    try {
      await menu
        .getByText(expected)
        .first()
        .waitFor({ timeout: attempt < QUICK_FIX_ATTEMPTS ? UI_TIMEOUT_MS / 3 : UI_TIMEOUT_MS });
      return menu;
    } catch (error) {
      if (attempt >= QUICK_FIX_ATTEMPTS) {
        throw error;
      }
      console.log(`      (the Quick Fix menu did not list "${expected}"; asking again)`);
      await page.keyboard.press('Escape');
    }
  }
}
