// Issue 14, parts 3 and 4 as a person sees them: pasting a key into a source file offers, in
// VS Code's paste widget, to paste the environment read and store the key; a key found in a
// file can be checked for being live, and a revoked one turns the Problems entry to Information.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { EmulatorKey } from '../emulator/emulator';
import { waitFor } from '../harness';
import { emulator, openSession, type Session } from './hooks';
import { searchLeaks, textSources } from './leakSearch';
import {
  avalaActivated,
  clickNotificationButton,
  dismissNotifications,
  editorText,
  fillInput,
  openFile,
  openQuickFixes,
  openViewContainer,
  pasteAndOpenPasteWidget,
  pickQuickItem,
  problem,
  saveActiveEditor,
  screenshot,
  treeItem,
  waitForNotification,
  writeWorkspaceFile,
  UI_TIMEOUT_MS,
} from './workbench';

const PASTE_TITLE = 'Paste as an environment read and store the key';
const ENV_TITLE = 'Store the key in secret storage instead of pasting it';
const CHECK_TITLE = 'Check whether this key is live';

describe('Key guards: the paste guard and live-leak triage', function () {
  let s: Session;
  /** Every notification text seen, searched for the keys at the end of each test. */
  const seen: { where: string; text: string }[] = [];

  before(async function () {
    this.timeout(240_000);
    s = await openSession();
    await avalaActivated(s.vscode);
  });
  after(async () => {
    await s?.close();
  });
  afterEach(async () => {
    await dismissNotifications(s.page).catch(() => undefined);
  });

  /** Waits until the check's progress notification is gone and the toasts stopped moving, for a screenshot that shows the result. */
  async function settled(page: Page): Promise<void> {
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: /^Checking/ })
      .waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await page.waitForTimeout(600);
  }

  /** Records the notifications on screen now, for the leak search. */
  async function noteNotifications(page: Page, where: string): Promise<void> {
    seen.push({ where, text: await page.locator('.notifications-toasts').innerText() });
  }

  /** Fails when the key (or a 16-character fragment, or an encoding of it) is in the log or any noted notification. */
  function assertNoLeak(key: EmulatorKey): void {
    const hits = searchLeaks(
      [{ name: key.name, value: key.key }],
      textSources([...seen, { where: 'Avala log', text: s.vscode.avalaLog() ?? '' }]),
    );
    assert.deepEqual(
      hits.map((h) => `${h.encoding} in ${h.where}`),
      [],
    );
    assert.ok((s.vscode.avalaLog() ?? '').length > 0, 'the log was read');
  }

  it('pasting a key into a Python file offers to paste os.environ instead and store the key; plain paste stays the default', async () => {
    const { page, workspace } = s;
    const key = emulator().createKey({ name: 'pasted', scopes: ['datasets.read'] });
    const file = writeWorkspaceFile(workspace, 'app/client.py', '"""Client."""\nimport requests\n\n');
    await openFile(page, workspace, 'app/client.py');
    const { menu, afterPaste } = await pasteAndOpenPasteWidget(page, `AVALA_API_KEY = "${key.key}"\n`);
    assert.match(afterPaste, /AVALA_API_KEY = "avk_/, 'a paste is a plain paste until the user chooses');
    await menu.getByText(PASTE_TITLE).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await menu.innerText(), /Insert Plain Text/);
    await screenshot(page, 'key-guards/01-paste-widget');
    await menu.getByText(PASTE_TITLE).click();

    // Stored as Log In stores a key: checked with Avala, then named.
    await fillInput(page, 'pasted-key', { prompt: 'A label' });
    await pickQuickItem(page, 'development');
    const told = await waitForNotification(page, /app\/client\.py now reads the key with os\.environ\["AVALA_API_KEY"\]; save the file/);
    await noteNotifications(page, 'after the paste');
    assert.ok(!(await told.innerText()).includes(key.key.slice(4, 20)));
    await screenshot(page, 'key-guards/02-pasted-as-environment-read');
    assert.ok(
      emulator().requests.some((r) => r.keyId === key.id && r.path.endsWith('/users/me/permissions/')),
      'the key was checked before it was stored',
    );

    await saveActiveEditor(page, file, 'os.environ');
    const saved = fs.readFileSync(file, 'utf8');
    assert.equal(saved, '"""Client."""\nimport os\nimport requests\n\nAVALA_API_KEY = os.environ["AVALA_API_KEY"]\n');
    assert.ok(!saved.includes(key.key.slice(4)), 'the key is not in the file');

    await openViewContainer(page, 'Avala');
    await treeItem(page, 'pasted-key').waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(
      s.vscode.avalaLog() ?? '',
      /Pasted os\.environ\["AVALA_API_KEY"\] in place of a key \(avk_…[0-9a-f]{4}\) in app\/client\.py \(pasted\); the key is stored as "pasted-key"/,
    );
    assertNoLeak(key);
  });

  it('a live key found in a file says what anyone holding it can do; revoked, it is "not live" and its Problems entry turns Information', async () => {
    const { page, workspace } = s;
    const key = emulator().createKey({ name: 'leaked', scopes: ['datasets.read', 'exports.create'] });
    writeWorkspaceFile(workspace, 'app/leak.py', `KEY = "${key.key}"\n`);
    await openFile(page, workspace, 'app/leak.py');
    const before = await problem(page, /An Avala API key \(avk_…[0-9a-f]{4}\) is written into this file/);
    assert.match((await before.locator('.codicon-info, .codicon-warning').first().getAttribute('class')) ?? '', /codicon-warning/);
    const requestsBefore = emulator().requests.filter((r) => r.keyId === key.id).length;
    assert.equal(requestsBefore, 0, 'finding the key sent nothing');

    let menu = await openQuickFixes(page, CHECK_TITLE);
    await menu.getByText(CHECK_TITLE).first().click();
    const live = await waitForNotification(
      page,
      /The key avk_…[0-9a-f]{4} is live at 127\.0\.0\.1:\d+\. Not full access: anyone holding it can datasets\.read \(List and retrieve datasets and dataset items\); exports\.create \(Create new exports and download completed exports\)/,
    );
    const liveText = await live.innerText();
    assert.match(liveText, /Revoke in Mission Control/);
    assert.match(liveText, /Store It/);
    await noteNotifications(page, 'live result');
    await settled(page);
    await screenshot(page, 'key-guards/03-triage-live');
    assert.equal(emulator().requests.filter((r) => r.keyId === key.id).length, 1, 'one check, on the explicit action');
    await dismissNotifications(page);

    // Avala cannot answer: said so, and the warning stays a warning.
    emulator().setFault({ mode: 'error500', count: 1 });
    menu = await openQuickFixes(page, CHECK_TITLE);
    await menu.getByText(CHECK_TITLE).first().click();
    await waitForNotification(
      page,
      /Cannot reach Avala at 127\.0\.0\.1:\d+, so whether avk_…[0-9a-f]{4} is live is not known: .*The warning stays as it is\./,
    );
    await noteNotifications(page, 'unreachable result');
    const unchanged = await problem(page, /is written into this file\. Never hard-code/);
    assert.match((await unchanged.locator('.codicon-info, .codicon-warning').first().getAttribute('class')) ?? '', /codicon-warning/);
    await dismissNotifications(page);

    emulator().revokeKey(key.id);
    menu = await openQuickFixes(page, CHECK_TITLE);
    await menu.getByText(CHECK_TITLE).first().click();
    await waitForNotification(page, /The key avk_…[0-9a-f]{4} is not live: Avala refuses it as invalid or revoked/);
    await noteNotifications(page, 'not-live result');
    await settled(page);
    await screenshot(page, 'key-guards/04-triage-not-live');
    const after = await problem(page, /Avala said it is not live \(revoked or expired\)/);
    await waitFor(
      async () => /codicon-info/.test((await after.locator('.codicon-info, .codicon-warning').first().getAttribute('class')) ?? ''),
      { description: 'the Problems entry to turn Information', timeoutMs: UI_TIMEOUT_MS },
    );
    await screenshot(page, 'key-guards/05-problem-not-live-information');

    // A re-scan (the file edited on disk, read again) keeps it Information: remembered by fingerprint.
    writeWorkspaceFile(workspace, 'app/leak.py', `# still here\nKEY = "${key.key}"\n`);
    const rescanned = await problem(page, /Avala said it is not live/);
    assert.match((await rescanned.locator('.codicon-info, .codicon-warning').first().getAttribute('class')) ?? '', /codicon-info/);
    assert.match(
      s.vscode.avalaLog() ?? '',
      /Live check of the key \(avk_…[0-9a-f]{4}\) in app\/leak\.py line 1 at 127\.0\.0\.1:\d+: not live \(invalid\)/,
    );
    assertNoLeak(key);
  });

  it('pasting a key into a .env file offers to store it instead, and nothing of the key is pasted', async () => {
    const { page, workspace } = s;
    const key = emulator().createKey({ name: 'dotenv', scopes: [] });
    const file = writeWorkspaceFile(workspace, '.env', 'DEBUG=1\n');
    await openFile(page, workspace, '.env');
    const { menu, afterPaste } = await pasteAndOpenPasteWidget(page, `AVALA_API_KEY=${key.key}\n`);
    assert.match(afterPaste, /AVALA_API_KEY=avk_/, 'a paste is a plain paste until the user chooses');
    await menu.getByText(ENV_TITLE).click({ timeout: UI_TIMEOUT_MS });
    await fillInput(page, 'from-dotenv', { prompt: 'A label' });
    await pickQuickItem(page, 'development');
    await waitForNotification(page, /The key is in secret storage as "from-dotenv" and was not pasted into \.env\./);
    await noteNotifications(page, 'after the .env paste');
    await waitFor(async () => !(await editorText(page)).includes('AVALA_API_KEY'), {
      description: 'the pasted key line to be gone from the editor',
      timeoutMs: UI_TIMEOUT_MS,
    });
    assert.match(await editorText(page), /DEBUG=1/);
    await screenshot(page, 'key-guards/06-env-file-key-stored-not-pasted');
    assert.equal(fs.readFileSync(file, 'utf8'), 'DEBUG=1\n', 'nothing wrote the key to the file on disk');
    await openViewContainer(page, 'Avala');
    await treeItem(page, 'from-dotenv').waitFor({ timeout: UI_TIMEOUT_MS });
    assertNoLeak(key);
  });

  it('"Store It" on a live key found in a file stores it as the quick fix does and puts the environment read in its place', async () => {
    const { page, workspace } = s;
    const key = emulator().createKey({ name: 'found', scopes: [] });
    const file = writeWorkspaceFile(workspace, 'app/found.py', `import os\n\nclient = Client(api_key="${key.key}")\n`);
    await openFile(page, workspace, 'app/found.py');
    await problem(page, /is assigned to api_key here/);
    const menu = await openQuickFixes(page, CHECK_TITLE);
    await menu.getByText(CHECK_TITLE).first().click();
    const full =
      /The key avk_…[0-9a-f]{4} is live at 127\.0\.0\.1:\d+\. It has no scopes, so anyone holding it has full organization access/;
    await waitForNotification(page, full);
    await noteNotifications(page, 'full-access result');
    await clickNotificationButton(page, full, 'Store It');
    await fillInput(page, 'found-key', { prompt: 'A label' });
    await pickQuickItem(page, 'development');
    await waitForNotification(page, /app\/found\.py now reads the key with os\.environ\["AVALA_API_KEY"\]/);
    await noteNotifications(page, 'after Store It');
    const saved = await saveActiveEditor(page, file, 'os.environ');
    assert.equal(saved, 'import os\n\nclient = Client(api_key=os.environ["AVALA_API_KEY"])\n');
    await openViewContainer(page, 'Avala');
    await treeItem(page, 'found-key').waitFor({ timeout: UI_TIMEOUT_MS });
    assertNoLeak(key);
  });
});
