// Restricted Mode (an untrusted folder) as a person sees it, in one window: what issues 6, 7
// and 8 promise there. Keys are still listed, checked and flagged, but none reaches a
// terminal, an MCP server or a file edit until the user trusts the folder. The tests run in
// order: the last one trusts the folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { waitFor } from '../harness';
import { callCommand, digest, readResult } from './callResults';
import { emulator, openSession, type Session } from './hooks';
import {
  avalaActivated,
  dialog,
  dismissNotifications,
  editorText,
  logIn,
  MOVE_TITLE,
  openFile,
  openQuickFixes,
  openTerminalAndRun,
  openViewContainer,
  pasteAndOpenPasteWidget,
  pickQuickItem,
  problem,
  RESTRICTED_TITLE,
  runCommand,
  screenshot,
  statusBarItem,
  view,
  waitForNotification,
  writeWorkspaceFile,
  UI_TIMEOUT_MS,
} from './workbench';

describe('Restricted Mode: keys are listed and flagged, but go nowhere until the folder is trusted', function () {
  let s: Session;
  let keyValue: string;

  before(async function () {
    this.timeout(240_000);
    // AI features on: with them off, VS Code hides its MCP commands altogether.
    s = await openSession({ trust: false, settings: { 'chat.disableAIFeatures': false } });
    await avalaActivated(s.vscode);
    const key = emulator().createKey({ name: 'restricted' });
    await logIn(s.page, key.key, 'restricted');
    keyValue = key.key;
  });
  after(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    await dismissNotifications(s.page).catch(() => undefined);
  });

  it('starting the Avala MCP server asks for trust first, and cancelling gives it no key', async () => {
    const { page, vscode } = s;
    await runCommand(page, 'MCP: List Servers');
    await pickQuickItem(page, /^\s*Avala/);
    await pickQuickItem(page, 'Start Server');
    // VS Code asks before it starts any MCP server in Restricted Mode; Avala is never asked
    // for a key unless the user trusts the folder (and would refuse while it is untrusted).
    const trust = dialog(page, 'Do you trust the authors');
    await trust.waitFor({ timeout: UI_TIMEOUT_MS });
    await screenshot(page, 'ecosystem/restricted-mcp');
    await trust.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await trust.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await statusBarItem(page, 'Restricted Mode').waitFor({ timeout: UI_TIMEOUT_MS });
    assert.doesNotMatch(vscode.avalaLog() ?? '', /Starting the Avala MCP server/);
  });

  it('a hard-coded key is still flagged, but the quick fix only explains that the workspace must be trusted and edits nothing', async () => {
    const { page, workspace, vscode } = s;
    const hex = 'c0ffee'.repeat(6) + '1234';
    const logBefore = (vscode.avalaLog() ?? '').length;
    // Python: no language server of its own here, so the Quick Fix menu waits for Avala alone.
    const file = writeWorkspaceFile(workspace, 'src/client.py', `key = "avk_${hex}"\n`);
    await openFile(page, workspace, 'src/client.py');
    await problem(page, /An Avala API key \(avk_…1234\) is written into this file/);
    const menu = await openQuickFixes(page, RESTRICTED_TITLE);
    assert.equal(await menu.getByText(MOVE_TITLE).count(), 0, 'no fix that edits the file is offered');
    await screenshot(page, 'security/08-restricted-quick-fixes');
    await menu.getByText(RESTRICTED_TITLE).first().click();
    await waitForNotification(
      page,
      /Restricted Mode: Avala does not edit files until you trust this workspace\. Trust it, then run the quick fix again\./,
    );
    await screenshot(page, 'security/09-restricted-explained');
    assert.equal(fs.readFileSync(file, 'utf8'), `key = "avk_${hex}"\n`);
    assert.doesNotMatch(
      (vscode.avalaLog() ?? '').slice(logBefore),
      /Stored key|Replaced a hard-coded key/,
      'nothing stored or replaced by the quick fix',
    );
  });

  it('pasting a key offers the environment read only as "needs a trusted workspace": choosing it explains, stores nothing and pastes the text as it was', async () => {
    const { page, workspace, vscode } = s;
    const pasted = emulator().createKey({ name: 'pasted-untrusted' });
    const logBefore = (vscode.avalaLog() ?? '').length;
    writeWorkspaceFile(workspace, 'src/paste.py', 'import os\n\n');
    await openFile(page, workspace, 'src/paste.py');
    const { menu } = await pasteAndOpenPasteWidget(page, `KEY = "${pasted.key}"\n`);
    const title = 'Paste as an environment read and store the key (needs a trusted workspace)';
    await menu.getByText(title).click({ timeout: UI_TIMEOUT_MS });
    const told = await waitForNotification(
      page,
      /Restricted Mode: Avala stores no key pasted into this workspace until you trust it\. The text was pasted as it was/,
    );
    assert.ok(!(await told.innerText()).includes(pasted.key.slice(4, 20)), 'the notification does not show the key');
    await waitFor(async () => (await editorText(page)).includes(`KEY = "${pasted.key}"`), {
      description: 'the text to be pasted as it was',
      timeoutMs: UI_TIMEOUT_MS,
    });
    await page.waitForTimeout(500); // the toast's slide-in, for the screenshot
    await screenshot(page, 'security/10-restricted-paste-explained');
    assert.ok(!emulator().requests.some((r) => r.keyId === pasted.id), 'the pasted key was not sent anywhere');
    const log = (vscode.avalaLog() ?? '').slice(logBefore);
    assert.doesNotMatch(log, /Stored key|Pasted /, 'nothing stored');
    assert.ok(!log.includes(pasted.key.slice(4, 20)), 'the log does not hold the key');
  });

  it('terminals get no key until the workspace is trusted, and the Keys view says why', async () => {
    const { page, workspace, vscode } = s;
    await openViewContainer(page, 'Avala');
    await view(page, 'Keys').getByText('Restricted Mode: keys are not put into terminals').waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(vscode.avalaLog() ?? '', /New terminals get no key \(Restricted Mode\)\./);
    assert.doesNotMatch(vscode.avalaLog() ?? '', /Terminal environment: set AVALA_API_KEY/);
    await screenshot(page, 'injection/07-restricted-keys-view');
    // VS Code itself asks for trust before it starts any terminal process here.
    await runCommand(page, 'Terminal: Create New Terminal');
    const trust = dialog(page, 'Do you trust the authors');
    await trust.waitFor({ timeout: UI_TIMEOUT_MS });
    await screenshot(page, 'injection/08-restricted-terminal-asks-for-trust');
    await trust.locator('.monaco-button', { hasText: 'Trust Folder & Continue' }).click();
    await waitFor(() => /New terminals get the key "restricted"/.test(vscode.avalaLog() ?? ''), {
      description: 'the key to reach terminals once trusted',
      timeoutMs: UI_TIMEOUT_MS,
    });
    await openTerminalAndRun(page, callCommand('trusted.json'));
    assert.deepEqual(await readResult(workspace, 'trusted.json'), { keySet: true, keyDigest: digest(keyValue), status: 200, error: null });
  });
});
