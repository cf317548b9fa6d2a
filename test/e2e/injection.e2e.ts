// Issue 6 as a person sees it: the active key reaches terminals, debug sessions and tasks
// through their environment, and a script there calls the emulator with it. Results are
// read from files the script writes (HTTP status and a short digest of the key, never the key).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { EmulatorKey } from '../emulator/emulator';
import { testSettings, waitFor, writeUserSettings } from '../harness';
import { callCommand, digest, readResult, RUN_TIMEOUT_MS } from './callResults';
import { emulator, openSession, type Session } from './hooks';
import {
  avalaActivated,
  clickNotificationButton,
  dialog,
  dismissNotifications,
  logIn,
  openTerminalAndRun,
  pickQuickItem,
  quickItem,
  runCommand,
  runInTerminal,
  screenshot,
  terminalText,
  waitForNotification,
  UI_TIMEOUT_MS,
} from './workbench';

const RELAUNCH_OFFER = /opened before the Avala key changed/;

async function startDebugging(page: Page, configuration: string): Promise<void> {
  await runCommand(page, 'Debug: Select and Start Debugging');
  await pickQuickItem(page, configuration);
}

/** The modal question a workspace's first use of a key asks. */
async function accessQuestion(page: Page, text: string): Promise<Locator> {
  const question = dialog(page, text);
  await question.waitFor({ timeout: UI_TIMEOUT_MS });
  return question;
}

async function answer(question: Locator, button: 'Allow' | "Don't Allow"): Promise<void> {
  await question.getByRole('button', { name: button, exact: true }).click();
  await question.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
}

function assertNoKeyIn(text: string, keys: EmulatorKey[], where: string): void {
  for (const key of keys) {
    assert.ok(!text.includes(key.key), `${where} shows a key`);
  }
}

describe('Keys in terminals, debug sessions and tasks', function () {
  let s: Session;
  let dev: EmulatorKey;
  let ci: EmulatorKey;

  before(async function () {
    this.timeout(240_000);
    s = await openSession();
    await avalaActivated(s.vscode);
    dev = emulator().createKey({ name: 'inject-dev' });
    ci = emulator().createKey({ name: 'inject-ci', scopes: ['datasets.read'] });
  });
  after(async () => {
    await s?.close();
  });
  afterEach(async () => {
    await dismissNotifications(s.page).catch(() => undefined);
  });

  it('a terminal opened after log in calls the emulator with the key in $AVALA_API_KEY', async () => {
    const { page, workspace } = s;
    await logIn(page, dev.key, 'dev');
    await openTerminalAndRun(page, callCommand('terminal-dev.json'));
    const result = await readResult(workspace, 'terminal-dev.json');
    assert.deepEqual(result, { keySet: true, keyDigest: digest(dev.key), status: 200, error: null });
    assertNoKeyIn(await terminalText(page), [dev], 'the terminal');
    await screenshot(page, 'injection/01-terminal-after-login');
  });

  it('after switching keys, older terminals are offered a relaunch once and new terminals get the new key', async () => {
    const { page, workspace } = s;
    await logIn(page, ci.key, 'ci');
    await waitForNotification(page, RELAUNCH_OFFER);
    await screenshot(page, 'injection/02-relaunch-offer');
    assert.equal(
      await page.locator('.notifications-toasts .notification-toast', { hasText: RELAUNCH_OFFER }).count(),
      1,
      'one offer for the change',
    );
    await clickNotificationButton(page, RELAUNCH_OFFER, 'Relaunch Terminals');
    await waitFor(() => /Relaunched 1 terminal/.test(s.vscode.avalaLog() ?? ''), { description: 'the relaunch', timeoutMs: UI_TIMEOUT_MS });
    await runInTerminal(page, callCommand('terminal-relaunched.json'), { gone: 'terminal-dev.json' });
    assert.equal(
      (await readResult(workspace, 'terminal-relaunched.json')).keyDigest,
      digest(ci.key),
      'the relaunched terminal has the new key',
    );
    await openTerminalAndRun(page, callCommand('terminal-ci.json'));
    assert.deepEqual(await readResult(workspace, 'terminal-ci.json'), {
      keySet: true,
      keyDigest: digest(ci.key),
      status: 200,
      error: null,
    });
  });

  it('"Open Terminal with Key…" opens a terminal named after the chosen key, with that key', async () => {
    const { page, workspace } = s;
    await runCommand(page, 'Avala: Open Terminal with Key…');
    await pickQuickItem(page, 'dev');
    await page.locator('.terminal-tabs-entry', { hasText: 'Avala: dev' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await runInTerminal(page, callCommand('terminal-chosen.json'));
    assert.deepEqual(
      await readResult(workspace, 'terminal-chosen.json'),
      { keySet: true, keyDigest: digest(dev.key), status: 200, error: null },
      'dev, although ci is active',
    );
    await screenshot(page, 'injection/03-terminal-with-key');
  });

  it('a Node launch configuration gets the active key in its env and writes the HTTP status', async () => {
    const { page, workspace } = s;
    await startDebugging(page, 'Call Avala with the active key');
    assert.deepEqual(await readResult(workspace, 'launch-active.json'), {
      keySet: true,
      keyDigest: digest(ci.key),
      status: 200,
      error: null,
    });
    const repl = page.locator('.repl');
    await repl.locator('.monaco-list-row', { hasText: 'Avala: HTTP 200' }).first().waitFor({ timeout: RUN_TIMEOUT_MS });
    assertNoKeyIn(await repl.innerText(), [ci, dev], 'the Debug Console');
    await screenshot(page, 'injection/04-launch-active');
  });

  it('"avalaKey": "<label>" naming a key that is not active asks first; allowed, it gets that key, and is not asked again', async () => {
    const { page, workspace, vscode } = s;
    await runCommand(page, 'Avala: Switch Active Key');
    await pickQuickItem(page, /dev/);
    await startDebugging(page, 'Call Avala with the key "ci"');
    const question = await accessQuestion(page, "Allow this workspace's launch configurations to use 'ci'?");
    assert.match(await question.innerText(), /Allow it only for a repository you trust/);
    assertNoKeyIn(await question.innerText(), [ci, dev], 'the question');
    await screenshot(page, 'injection/05-workspace-asks-for-key');
    await answer(question, 'Allow');
    assert.deepEqual(await readResult(workspace, 'launch-ci.json'), { keySet: true, keyDigest: digest(ci.key), status: 200, error: null });
    // Remembered: the second launch runs without a question.
    fs.rmSync(path.join(workspace, '.results', 'launch-ci.json'));
    await startDebugging(page, 'Call Avala with the key "ci"');
    assert.equal((await readResult(workspace, 'launch-ci.json')).keyDigest, digest(ci.key));
    assert.equal(await dialog(page, 'Allow this workspace').count(), 0, 'no second question');
    assert.match(vscode.avalaLog() ?? '', /Workspace access: allowed the key "ci" for this workspace's launch configurations/);
  });

  it('revoking the answer asks again; refused, the launch does not run, and the refusal is remembered', async () => {
    const { page, workspace, vscode } = s;
    fs.rmSync(path.join(workspace, '.results', 'launch-ci.json'));
    await runCommand(page, 'Avala: Manage Workspace Access to Keys');
    assert.match(await quickItem(page, 'ci').innerText(), /allowed/);
    await pickQuickItem(page, 'ci');
    await waitForNotification(page, "Forgotten: this workspace asks again before it uses 'ci'.");
    await startDebugging(page, 'Call Avala with the key "ci"');
    await answer(await accessQuestion(page, "Allow this workspace's launch configurations to use 'ci'?"), "Don't Allow");
    await waitFor(() => /Workspace access: refused the key "ci"/.test(vscode.avalaLog() ?? ''), {
      description: 'the refusal',
      timeoutMs: UI_TIMEOUT_MS,
    });
    await startDebugging(page, 'Call Avala with the key "ci"');
    await waitForNotification(page, /launch configurations are not allowed to use the Avala key 'ci', so the launch was stopped/);
    assert.equal(await dialog(page, 'Allow this workspace').count(), 0, 'a remembered no asks nothing');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(fs.existsSync(path.join(workspace, '.results', 'launch-ci.json')), false, 'the program did not run');
  });

  it('an "avalaKey" that names no stored key stops the launch without naming the stored keys, and offers a picker', async () => {
    const { page, workspace } = s;
    await startDebugging(page, 'Call Avala with the key "nobody"');
    const toast = await waitForNotification(
      page,
      /asks for the Avala key "nobody", but no stored key has that label\. The launch was stopped/,
    );
    assert.doesNotMatch(await toast.innerText(), /"ci"|"dev"|Stored keys/);
    await screenshot(page, 'injection/06-unknown-avalaKey');
    assert.equal(fs.existsSync(path.join(workspace, '.results', 'launch-nobody.json')), false, 'the program did not run');
    await clickNotificationButton(page, /no stored key has that label/, 'Choose a Key…');
    await pickQuickItem(page, 'dev');
    assert.equal((await readResult(workspace, 'launch-nobody.json')).keyDigest, digest(dev.key), 'relaunched with the key chosen');
  });

  it('a task with ${command:avala.apiKey} in options.env calls the emulator with the active key', async () => {
    const { page, workspace, vscode } = s;
    // Terminal injection off, so the key can only come from the command variable.
    writeUserSettings(vscode.userDataDir, {
      ...testSettings(true),
      'avala.apiBaseUrl': emulator().baseUrl,
      'avala.allowInsecureLoopback': true,
      'avala.terminal.injectKey': false,
    });
    await waitFor(() => /Terminal environment: removed AVALA_API_KEY/.test(vscode.avalaLog() ?? ''), {
      description: 'the key to leave the terminal environment',
      timeoutMs: UI_TIMEOUT_MS,
    });
    await runCommand(page, 'Tasks: Run Task');
    await pickQuickItem(page, 'Call Avala with the active key');
    await answer(await accessQuestion(page, "Allow this workspace's tasks to use 'dev'?"), 'Allow');
    assert.deepEqual(await readResult(workspace, 'task.json'), { keySet: true, keyDigest: digest(dev.key), status: 200, error: null });
    assert.match(vscode.avalaLog() ?? '', /\$\{command:avala\.apiKey\} handed out the key "dev"/);
    assertNoKeyIn(await terminalText(page), [dev, ci], 'the task terminal');
    await screenshot(page, 'injection/07-task');
  });
});

describe('Keys per folder in a multi-root workspace', function () {
  let s: Session;
  let second: string;

  before(async function () {
    this.timeout(240_000);
    // A second folder beside the sample one, and a workspace file naming both, opened from the start.
    s = await openSession({
      prepare: (workspace) => {
        second = path.join(path.dirname(workspace), 'second-folder');
        fs.cpSync(path.join(workspace, 'scripts'), path.join(second, 'scripts'), { recursive: true });
        const file = path.join(path.dirname(workspace), 'two-folders.code-workspace');
        fs.writeFileSync(file, JSON.stringify({ folders: [{ path: workspace }, { path: second }] }));
        return file;
      },
    });
    await avalaActivated(s.vscode);
    await s.page.locator('.part.sidebar .monaco-list-row', { hasText: 'second-folder' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
  });
  after(async () => {
    await s?.close();
  });

  it('a folder with its own key gives its terminals that key; the other folder keeps the active key', async () => {
    const { page, workspace } = s;
    const dev = emulator().createKey({ name: 'multi-dev' });
    const ci = emulator().createKey({ name: 'multi-ci' });
    await logIn(page, dev.key, 'dev');
    await logIn(page, ci.key, 'ci');
    await runCommand(page, 'Avala: Set Active Key for Folder…');
    await pickQuickItem(page, 'sample-workspace');
    await pickQuickItem(page, 'dev');
    await waitFor(() => /New terminals get each folder's own key/.test(s.vscode.avalaLog() ?? ''), {
      description: 'per-folder keys',
      timeoutMs: UI_TIMEOUT_MS,
    });
    for (const [folder, dir, key] of [
      ['sample-workspace', workspace, dev],
      ['second-folder', second, ci],
    ] as const) {
      await runCommand(page, 'Terminal: Create New Terminal');
      await pickQuickItem(page, folder);
      await runInTerminal(page, callCommand(`folder-${folder}.json`));
      assert.equal((await readResult(dir, `folder-${folder}.json`)).keyDigest, digest(key.key), `a terminal in ${folder} has ${key.name}`);
    }
    await screenshot(page, 'injection/09-multi-root');
  });
});
