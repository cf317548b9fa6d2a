// Issue 7 as a person sees it: a repository's settings cannot redirect keys (and say so once),
// a key written into a file is flagged and moved into secret storage by a quick fix, the
// Keys view knows which host each key belongs to, and Restricted Mode edits no file.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { EmulatorKey } from '../emulator/emulator';
import { testSettings, waitFor, writeUserSettings } from '../harness';
import { emulator, openSession, type Session } from './hooks';
import { fillInput, focusWorkbench, pickQuickItem, quickInput, quickItem, screenshot, waitForNotification, UI_TIMEOUT_MS, dismissNotifications, avalaActivated } from './workbench';

const MOVE_TITLE = 'Store in Avala secret storage and use the environment variable';
const IGNORE_TITLE = 'Ignore hard-coded Avala keys in this file';
const RESTRICTED_TITLE = 'Store in Avala secret storage… (needs a trusted workspace)';



function write(workspace: string, relative: string, text: string): string {
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
async function openFile(page: Page, workspace: string, relative: string): Promise<void> {
  const name = path.basename(relative);
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await quickInput(page).locator('.quick-input-box input').fill(path.join(workspace, relative));
  await quickItem(page, name).click({ timeout: UI_TIMEOUT_MS });
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: UI_TIMEOUT_MS });
}

/** The Problems panel's row for the Avala diagnostic containing `text`. */
async function problem(page: Page, text: string | RegExp): Promise<Locator> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+Shift+M');
  }
  const row = panel.locator('.monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: UI_TIMEOUT_MS });
  return row;
}

/** Moves the cursor to the next problem in the editor and opens the Quick Fix menu there. */
async function openQuickFixes(page: Page): Promise<Locator> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('F8');
  await page.locator('.marker-widget').waitFor({ timeout: UI_TIMEOUT_MS });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget');
  await menu.getByText(IGNORE_TITLE).first().waitFor({ timeout: UI_TIMEOUT_MS });
  return menu;
}

describe('Security: workspace settings, hard-coded keys, key hosts', function () {
  let s: Session;
  let key: EmulatorKey;

  before(async function () {
    this.timeout(240_000);
    s = await openSession();
    await avalaActivated(s.vscode);
    key = emulator().createKey({ name: 'ci-pipeline', scopes: ['exports.create'] });
  });
  after(async () => {
    await s?.close();
  });
  afterEach(async () => {
    await dismissNotifications(s.page).catch(() => undefined);
  });

  it('a repository\'s .vscode/settings.json cannot point keys at another host, and the user is told once per value', async () => {
    const { page, workspace, vscode } = s;
    write(workspace, '.vscode/settings.json', '{\n  // committed by someone else\n  "avala.apiBaseUrl": "https://keys.evil.example/api/v1"\n}\n');
    const toast = await waitForNotification(page, /This workspace's settings \(\.vscode\/settings\.json\) try to set avala\.apiBaseUrl = "https:\/\/keys\.evil\.example\/api\/v1"\. Avala ignores it/);
    assert.match(await toast.innerText(), /Open Workspace Settings/);
    await screenshot(page, 'security/01-workspace-settings-ignored');
    await dismissNotifications(page);

    // Editing the file again with one more attempt tells only about the new one.
    write(workspace, '.vscode/settings.json', '{\n  "avala.apiBaseUrl": "https://keys.evil.example/api/v1",\n  "avala.missionControlUrl": "https://phish.example"\n}\n');
    const second = await waitForNotification(page, /try to set avala\.missionControlUrl = "https:\/\/phish\.example"/);
    assert.doesNotMatch(await second.innerText(), /apiBaseUrl/);
    assert.equal((vscode.avalaLog() ?? '').match(/try to set avala\.apiBaseUrl/g)?.length, 1, 'the base URL attempt was told once');
    fs.rmSync(path.join(workspace, '.vscode', 'settings.json'));
  });

  it('a key written into a Python file is flagged, and the quick fix stores it and puts os.environ in its place', async () => {
    const { page, workspace, vscode } = s;
    const file = write(workspace, 'jobs/export.py', `"""Nightly export."""\nimport requests\n\nAVALA_API_KEY = "${key.key}"\n`);
    await openFile(page, workspace, 'jobs/export.py');
    const row = await problem(page, /An Avala API key \(avk_…[0-9a-f]{4}\) is assigned to AVALA_API_KEY here/);
    assert.ok(!(await row.innerText()).includes(key.key.slice(4, 30)), 'the Problems panel does not show the key');
    await screenshot(page, 'security/02-problem-in-python-file');

    const menu = await openQuickFixes(page);
    await screenshot(page, 'security/03-quick-fix-menu');
    await menu.getByText(MOVE_TITLE).first().click();
    await fillInput(page, 'ci-pipeline', { prompt: 'A label' });
    await pickQuickItem(page, 'production');
    await waitForNotification(page, /jobs\/export\.py now reads the key with os\.environ\["AVALA_API_KEY"\]; save the file/);
    await screenshot(page, 'security/04-key-moved');
    await focusWorkbench(page);
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    await waitFor(() => fs.readFileSync(file, 'utf8').includes('os.environ'), { description: 'the file to be saved', timeoutMs: UI_TIMEOUT_MS });
    assert.equal(fs.readFileSync(file, 'utf8'), '"""Nightly export."""\nimport os\nimport requests\n\nAVALA_API_KEY = os.environ["AVALA_API_KEY"]\n');
    assert.match(vscode.avalaLog() ?? '', /Stored key "ci-pipeline" \(avk_…[0-9a-f]{4}, production\) for 127\.0\.0\.1:\d+ from jobs\/export\.py line 4/);
    assert.ok(emulator().requests.some((r) => r.keyId === key.id && r.path.endsWith('/users/me/permissions/')), 'the key was checked before it was stored');
  });

  it('the same key in a .env file is an Information that names the stored key', async () => {
    const { page, workspace } = s;
    write(workspace, '.env', `AVALA_API_KEY=${key.key}\n`);
    await openFile(page, workspace, '.env');
    const row = await problem(page, /This is your key 'ci-pipeline'/);
    assert.match(await row.innerText(), /A \.env file is the lesser evil/);
    assert.match((await row.locator('.codicon-info, .codicon-warning').first().getAttribute('class')) ?? '', /codicon-info/, 'an Information, not a Warning');
    await screenshot(page, 'security/05-env-file-information');
  });

  it('in a git repository git itself decides what is ignored: a key in a file excluded by .git/info/exclude is an Information', async () => {
    const { page, workspace } = s;
    execFileSync('git', ['init', '-q', workspace]);
    fs.appendFileSync(path.join(workspace, '.git', 'info', 'exclude'), 'private/\n');
    write(workspace, 'private/local_settings.py', 'AVALA_API_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"\n');
    await openFile(page, workspace, 'private/local_settings.py');
    // No .gitignore says so, only git: the row turns Information once git has found the repository.
    const row = await problem(page, /is assigned to AVALA_API_KEY here\. The file is ignored by git, the lesser evil/);
    assert.match((await row.locator('.codicon-info, .codicon-warning').first().getAttribute('class')) ?? '', /codicon-info/);
    await screenshot(page, 'security/06-git-ignored-information');
  });

  it('changing avala.apiBaseUrl says which keys belong to which host', async () => {
    const { page, vscode } = s;
    const localhost = emulator().baseUrl.replace('127.0.0.1', 'localhost');
    writeUserSettings(vscode.userDataDir, { ...testSettings(true), 'avala.apiBaseUrl': localhost, 'avala.allowInsecureLoopback': true });
    await waitForNotification(page, /Avala now talks to localhost:\d+\. Each key is only ever sent to the API it was stored for: 1 key for 127\.0\.0\.1:\d+\. New keys will be stored for localhost:\d+\. The active key "ci-pipeline" belongs to 127\.0\.0\.1:\d+ and is still sent only there\./);
    await screenshot(page, 'security/07-key-hosts-after-base-url-change');
    writeUserSettings(vscode.userDataDir, { ...testSettings(true), 'avala.apiBaseUrl': emulator().baseUrl, 'avala.allowInsecureLoopback': true });
    await waitForNotification(page, /Avala now talks to 127\.0\.0\.1:\d+\. .*1 key for 127\.0\.0\.1:\d+ \(the new API\)/);
  });
});

describe('Security in Restricted Mode', function () {
  let s: Session;

  before(async function () {
    this.timeout(240_000);
    s = await openSession({ trust: false });
    await avalaActivated(s.vscode);
  });
  after(async () => {
    await s?.close();
  });

  it('keys are still flagged, but the quick fix only explains that the workspace must be trusted and edits nothing', async () => {
    const { page, workspace, vscode } = s;
    const hex = 'c0ffee'.repeat(6) + '1234';
    // Python: no language server of its own here, so the Quick Fix menu waits for Avala alone.
    const file = write(workspace, 'src/client.py', `key = "avk_${hex}"\n`);
    await openFile(page, workspace, 'src/client.py');
    await problem(page, /An Avala API key \(avk_…1234\) is written into this file/);
    const menu = await openQuickFixes(page);
    assert.equal(await menu.getByText(MOVE_TITLE).count(), 0, 'no fix that edits the file is offered');
    await screenshot(page, 'security/08-restricted-quick-fixes');
    await menu.getByText(RESTRICTED_TITLE).first().click();
    await waitForNotification(page, /Restricted Mode: Avala does not edit files until you trust this workspace\. Trust it, then run the quick fix again\./);
    await screenshot(page, 'security/09-restricted-explained');
    assert.equal(fs.readFileSync(file, 'utf8'), `key = "avk_${hex}"\n`);
    assert.doesNotMatch(vscode.avalaLog() ?? '', /Stored key|Replaced a hard-coded key/);
  });
});
