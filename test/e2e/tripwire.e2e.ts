// The terminal tripwire as a person meets it: bash with VS Code's shell integration, a key
// typed into AVALA_API_KEY, the notification and its "Store in Secret Storage", and a 401 in
// a command's output turning the status bar to invalid after the key was revoked.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { EmulatorKey, RunningEmulator } from '../emulator/emulator';
import { waitFor } from '../harness';
import { emulator as sharedEmulator, openSession, type Session } from './hooks';
import { searchLeaks, textSources } from './leakSearch';
import {
  clickNotificationButton,
  dismissNotifications,
  fillInput,
  logIn,
  openTerminalAndRun,
  openViewContainer,
  pickQuickItem,
  runInTerminal,
  screenshot,
  treeItem,
  UI_TIMEOUT_MS,
  waitForFile,
  waitForNotification,
} from './workbench';

const SHOTS = 'tripwire';
const STATUS_ID = 'avala.avala-vscode.avala.status';
const TYPED = /An Avala key typed into AVALA_API_KEY in terminal "[^"]+" is now in this shell's history/;

describe('terminal tripwire (end to end)', function () {
  this.timeout(180_000);
  let emulator: RunningEmulator;
  let s: Session;
  let page: Page;
  let main: EmulatorKey;
  let typed: EmulatorKey;
  const notifications: string[] = [];

  /** Waits until the Avala status bar item (icons excluded) shows `pattern`. */
  const statusShows = (pattern: RegExp) =>
    waitFor(
      async () => {
        const text = await page
          .locator(`[id="${STATUS_ID}"]`)
          .innerText({ timeout: 2000 })
          .catch(() => '');
        return pattern.test(text.replace(/\s+/g, ' ').trim());
      },
      { description: `the Avala status bar item to show ${pattern}`, timeoutMs: UI_TIMEOUT_MS, intervalMs: 100 },
    );
  const shot = (name: string) => screenshot(page, path.join(SHOTS, name));
  const lastSeq = () => emulator.requests.at(-1)?.seq ?? 0;
  /** Key checks (GET /users/me/permissions/) the extension sent for `key` after `seq`. */
  const checksSince = (seq: number, key: EmulatorKey) =>
    emulator.requests.filter((r) => r.seq > seq && r.keyId === key.id && r.path.endsWith('/users/me/permissions/') && r.client);

  async function rememberNotification(text: RegExp): Promise<void> {
    const toast = await waitForNotification(page, text);
    notifications.push(await toast.innerText());
  }

  before(async function () {
    this.timeout(240_000);
    emulator = sharedEmulator();
    s = await openSession({
      settings: {
        'avala.validation.intervalMinutes': 0,
        // VS Code injects its shell integration into bash only when started with no arguments
        // (or as a login shell): not with the suite's `--noprofile --norc`. An empty HOME keeps
        // this machine's ~/.bashrc (which the integration script sources) out of the test.
        'terminal.integrated.profiles.linux': { bash: { path: 'bash', args: [], env: { HOME: '${workspaceFolder}/.home' } } },
        'terminal.integrated.shellIntegration.enabled': true,
      },
      prepare: (workspace) => void fs.mkdirSync(path.join(workspace, '.home')),
    });
    page = s.page;
    main = emulator.createKey({ name: 'main', scopes: ['datasets.read'] });
    typed = emulator.createKey({ name: 'typed', scopes: ['datasets.read'] });
    await logIn(page, main.key, 'main');
    await statusShows(/^main$/);
    await dismissNotifications(page);
  });

  after(async function () {
    this.timeout(60_000);
    await s?.close();
  });

  it('an `export AVALA_API_KEY=…` of a key not stored yet shows one notification: in history, how to remove it, Store in Secret Storage', async () => {
    const marker = path.join(s.workspace, 'typed-done');
    await openTerminalAndRun(page, `export AVALA_API_KEY=${typed.key}; echo done > ${marker}`);
    await waitForFile(marker);
    const toast = await waitForNotification(page, TYPED);
    const text = await toast.innerText();
    notifications.push(text);
    assert.match(text, /“history -d <number>”/);
    assert.match(text, /Store in Secret Storage/);
    assert.equal(await page.locator('.notifications-toasts .notification-toast', { hasText: TYPED }).count(), 1, 'one notification');
    // Let the toast finish sliding in before the picture.
    await toast.locator('.monaco-button', { hasText: 'Store in Secret Storage' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await page.waitForTimeout(800);
    await shot('1-typed-key-notification');
  });

  it('"Store in Secret Storage" checks the key like Log In and stores it: the Keys view lists it', async () => {
    const seq = lastSeq();
    await clickNotificationButton(page, TYPED, 'Store in Secret Storage');
    await fillInput(page, 'typed-in-terminal', { prompt: 'A label' });
    await pickQuickItem(page, 'development');
    await rememberNotification(/Logged in with "typed-in-terminal"/);
    assert.equal(checksSince(seq, typed).length, 1, 'the key was checked with Avala once before it was stored');
    await openViewContainer(page, 'Avala');
    await treeItem(page, /typed-in-terminal/).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await shot('2-stored-in-keys-view');
  });

  it('a key already stored is recognised: the notification says so instead of offering to store it', async () => {
    await dismissNotifications(page);
    const marker = path.join(s.workspace, 'stored-done');
    await runInTerminal(page, `AVALA_API_KEY='${main.key}' true; echo done > ${marker}`);
    await waitForFile(marker);
    const toast = await waitForNotification(page, /The Avala key "main" typed into AVALA_API_KEY/);
    const text = await toast.innerText();
    notifications.push(text);
    assert.match(text, /already in secret storage\. "Avala: Open Terminal with Key…" opens a terminal with it/);
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Store in Secret Storage' }).count(), 0);
    // A toast without buttons shows one line: expand it for the picture (cosmetic, so no failure if VS Code renamed it).
    await toast.hover();
    await toast
      .locator('.codicon-notifications-expand')
      .click({ timeout: 3_000 })
      .catch(() => undefined);
    await page.waitForTimeout(500);
    await shot('3-already-stored');
  });

  it('after the active key is revoked, a 401 in a terminal holding it turns the status bar to invalid, with one re-check', async () => {
    await dismissNotifications(page);
    // "typed-in-terminal" is the active key now (Log In makes the stored key active).
    await statusShows(/^typed-in-terminal$/);
    emulator.revokeKey(typed.id);
    const seq = lastSeq();
    const out = path.join(s.workspace, 'curl-out');
    // A new terminal gets the active key from VS Code; the program prints Avala's answer.
    const call = `curl -s -H "X-Avala-Api-Key: $AVALA_API_KEY" "$AVALA_BASE_URL/users/me/permissions/" | tee ${out}`;
    await openTerminalAndRun(page, call);
    assert.match(await waitForFile(out), /Invalid API key\./);
    await statusShows(/^typed-in-terminal: key invalid or revoked$/);
    await rememberNotification(/stopped working/);
    // The same answer again within the minute sends no second check.
    fs.rmSync(out);
    await runInTerminal(page, call);
    await waitForFile(out);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(checksSince(seq, typed).length, 1, 'one re-check for two refusals within a minute');
    await shot('4-refused-in-terminal');
  });

  it('a workspace that turns avala.terminal.watchForKeys off gets no notification and no log line', async () => {
    await dismissNotifications(page);
    const told = () => (s.vscode.avalaLog() ?? '').split('a command put a key into').length - 1;
    const before = told();
    assert.ok(before >= 2, 'the earlier commands were logged');
    fs.writeFileSync(path.join(s.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'avala.terminal.watchForKeys': false }));
    // VS Code reads the file on change; give it a moment to tell the extension.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const other = emulator.createKey({ name: 'other' });
    const marker = path.join(s.workspace, 'off-done');
    await runInTerminal(page, `export AVALA_API_KEY=${other.key}; echo done > ${marker}`);
    await waitForFile(marker);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(await page.locator('.notifications-toasts .notification-toast', { hasText: /typed into AVALA_API_KEY/ }).count(), 0);
    assert.equal(told(), before);
    notifications.push(...(await page.locator('.notifications-toasts .notification-toast').allInnerTexts()));
  });

  it('no key appears in the notifications or the Avala log', async () => {
    const log = await waitFor(() => s.vscode.avalaLog(), { description: 'the Avala log', timeoutMs: UI_TIMEOUT_MS });
    assert.match(log, /a command put a key into AVALA_API_KEY/);
    const canaries = [main, typed].map((k) => ({ name: k.name, value: k.key }));
    const sources = textSources([
      { where: 'Avala log', text: log },
      ...notifications.map((text, i) => ({ where: `notification ${i + 1}`, text })),
    ]);
    assert.deepEqual(searchLeaks(canaries, sources), []);
  });
});
