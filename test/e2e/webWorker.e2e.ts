// Requirement: VS Code in a browser (vscode.dev, github.dev). code-server runs Avala in its web
// worker extension host when the user setting "remote.extensionKind" asks for "web": the browser
// entry (dist/browser/extension.js) runs inside the page, and its requests to the emulator are
// cross-origin fetches the browser checks against the emulator's CORS answer.
//
// Which host ran it: the remote (Node) extension host's log must not show Avala's activation,
// while the Keys view says it runs in the browser (only the web entry says that).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { waitFor } from '../harness';
import { emulator, openSession, type Session } from './hooks';
import { dismissNotifications, fillInput, logIn, openViewContainer, runCommand, screenshot, UI_TIMEOUT_MS, view } from './workbench';

const STATUS_ID = 'avala.avala-vscode.avala.status';
const IN_BROWSER = /In the browser: keys, checks and sign-in work here/;

async function statusText(page: Page): Promise<string> {
  return (await page.locator(`[id="${STATUS_ID}"]`).innerText({ timeout: 2000 })).replace(/\s+/g, ' ').trim();
}

async function statusShows(page: Page, pattern: RegExp): Promise<string> {
  return waitFor(
    async () => {
      const text = await statusText(page);
      return pattern.test(text) ? text : undefined;
    },
    { description: `the status bar to show ${pattern}`, timeoutMs: UI_TIMEOUT_MS, intervalMs: 200 },
  );
}

describe('In the web worker extension host (code-server, remote.extensionKind: web)', function () {
  let s: Session;

  before(async function () {
    this.timeout(300_000);
    s = await openSession({ settings: { 'remote.extensionKind': { 'avala.avala-vscode': ['web'] } }, waitForActivation: false });
  });
  after(async () => {
    emulator().reset();
    await s?.close();
  });

  it('runs there: the Keys view says it is in the browser, and the Node extension host never activated it', async function () {
    this.timeout(180_000);
    const sidebar = await openViewContainer(s.page, 'Avala');
    await sidebar.locator('.pane-body', { hasText: IN_BROWSER }).first().waitFor({ timeout: 120_000 });
    await screenshot(s.page, 'webWorker/keys-view');
    assert.doesNotMatch(s.vscode.extensionHostLog(), /_doActivateExtension avala\.avala-vscode/, 'not in the Node extension host');
  });

  it('logs in, lists the key, and shows valid, then invalid, then "blocked by the browser" in the status bar', async function () {
    this.timeout(240_000);
    const key = emulator().createKey({ name: 'web-key', scopes: ['datasets.read'] });
    await logIn(s.page, key.key, 'web-key');
    await view(s.page, 'Keys').locator('.monaco-list-row', { hasText: 'web-key' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    assert.ok(
      emulator().requests.some((r) => r.keyId === key.id && r.status === 200),
      'the check reached the emulator from the browser',
    );
    await statusShows(s.page, /web-key/);
    await screenshot(s.page, 'webWorker/valid');

    emulator().revokeKey(key.id);
    await runCommand(s.page, 'Avala: Validate Active Key');
    const invalid = await statusShows(s.page, /invalid|revoked/i);
    await screenshot(s.page, 'webWorker/invalid');
    console.log(`      (status bar after the revocation: ${invalid})`);

    // An API that does not allow the page's origin: the browser refuses the answer.
    const other = emulator().createKey({ name: 'web-key-2' });
    emulator().configure({ corsOrigin: '' });
    await dismissNotifications(s.page);
    await runCommand(s.page, 'Avala: Log In with API Key');
    await fillInput(s.page, other.key, { prompt: 'Paste an Avala API key' });
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: /The browser blocked the request/ }).first();
    await toast.waitFor({ timeout: UI_TIMEOUT_MS });
    await screenshot(s.page, 'webWorker/blocked');
    assert.doesNotMatch(await toast.innerText(), /invalid/i);
  });
});
