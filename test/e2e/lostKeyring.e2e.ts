// Requirement: a keyring that forgets is named, not silent. Two keys are stored; then code-server's
// secret storage is emptied while the window is away, the way VS Code's in-memory fallback
// forgets keys at a restart; globalState (where the key record lives) is left as it was.
//
// How the secrets are cleared: code-server's workbench has an embedder secret storage provider
// that keeps all secrets in one localStorage entry ("secrets.provider") of the page's origin,
// while globalState lives in the workbench's IndexedDB (vscode-web-state-db-global). The window
// is navigated to a static page of the same origin (so no workbench holds a copy it could write
// back), that entry is removed there, and the workbench is loaded again: a whole secret store
// forgotten, globalState kept.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { waitFor } from '../harness';
import { emulator, openSession, reportOnFailure, type Session } from './hooks';
import { fileSources, filesUnder, searchLeaks, textSources } from './leakSearch';
import {
  avalaActivated,
  clickNotificationButton,
  fillInput,
  logIn,
  openViewContainer,
  openWorkbench,
  screenshot,
  treeItem,
  UI_TIMEOUT_MS,
  view,
  waitForNotification,
} from './workbench';

const LOST_NOTICE = /Secret storage lost 2 Avala key\(s\) this device held/;
const activations = (s: Session) => (s.vscode.avalaLog() ?? '').split('Avala activated').length - 1;

/**
 * Empties code-server's secret storage: its embedder provider keeps every secret of every
 * extension in one localStorage entry of the page's origin, read when a window loads. Answers
 * how long the entry was (its content is encrypted).
 */
const CLEAR_SECRET_STORAGE = `(() => {
  const stored = localStorage.getItem('secrets.provider') || '';
  localStorage.removeItem('secrets.provider');
  return stored.length;
})()`;

async function keyRows(page: Page): Promise<string[]> {
  await openViewContainer(page, 'Avala');
  return (await view(page, 'Keys').locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

describe('A keyring that forgets (code-server)', function () {
  // A window of its own: emptying secret storage must not touch the shared window's keys, and
  // the message counts exactly the keys this test stored.
  let s: Session;
  let stopReporting: (() => void) | undefined;
  before(async function () {
    this.timeout(300_000);
    s = await openSession();
    await avalaActivated(s.vscode);
    stopReporting = reportOnFailure({ page: s.page, vscode: s.vscode });
  });
  after(async () => {
    stopReporting?.();
    await s?.close();
  });

  it('names the keys secret storage lost, deletes nothing, and a log-in with the same key takes its place', async function () {
    this.timeout(300_000);
    const page = s.page;
    const alpha = emulator().createKey({ name: 'lost-alpha', scopes: ['datasets:read'] });
    const beta = emulator().createKey({ name: 'lost-beta' });
    await logIn(page, alpha.key, 'lost-alpha', 'production');
    await logIn(page, beta.key, 'lost-beta');
    // Let the workbench write its storage (it flushes within a second).
    await page.waitForTimeout(2_000);

    const before = activations(s);
    await page.goto(new URL('/manifest.json', s.vscode.url).toString());
    assert.ok((await page.evaluate<number>(CLEAR_SECRET_STORAGE)) > 0, "code-server's secret storage held something to forget");
    await openWorkbench(page, s.vscode.url, s.workspace);
    await waitFor(() => activations(s) > before, { description: 'Avala to activate again', timeoutMs: 120_000 });

    const notice = await waitForNotification(page, LOST_NOTICE);
    const text = await notice.innerText();
    assert.match(text, /"lost-alpha", "lost-beta"/);
    assert.match(text, /password-store/, 'the message names the platform fix');
    assert.match(text, /nothing was deleted/);
    // The toast slides in: let it settle before the picture.
    await page.waitForTimeout(600);
    await screenshot(page, 'lostKeyring/lost-message');

    await openViewContainer(page, 'Avala');
    await treeItem(page, 'lost-alpha').waitFor({ timeout: UI_TIMEOUT_MS });
    const rows = await keyRows(page);
    assert.ok(
      rows.some((r) => r.includes('lost-alpha') && r.includes('lost from the keyring — log in again · production')),
      rows.join(' | '),
    );
    assert.ok(
      rows.some((r) => r.includes('lost-beta') && r.includes('lost from the keyring — log in again')),
      rows.join(' | '),
    );
    await screenshot(page, 'lostKeyring/keys-view-lost');

    // "Log In Again" with alpha: no name or environment asked, it takes the lost entry's place.
    await clickNotificationButton(page, LOST_NOTICE, 'Log In Again');
    await fillInput(page, alpha.key, { prompt: 'Paste an Avala API key' });
    await waitForNotification(page, /Logged in with "lost-alpha" again/);
    await waitFor(
      async () => {
        const now = await keyRows(page);
        return (
          now.some((r) => r.includes('lost-alpha') && !r.includes('lost from the keyring')) && now.some((r) => r.includes('lost-beta'))
        );
      },
      { description: 'lost-alpha to be a stored key again and lost-beta still named', timeoutMs: UI_TIMEOUT_MS, intervalMs: 500 },
    );
    await screenshot(page, 'lostKeyring/keys-view-relinked');

    // Forgetting the other one from the Keys view deletes only its name.
    const betaRow = treeItem(page, 'lost-beta');
    await betaRow.hover();
    await betaRow.locator('.action-label[aria-label*="Forget Key Name"]').click({ timeout: UI_TIMEOUT_MS });
    await waitFor(async () => !(await keyRows(page)).some((r) => r.includes('lost-beta')), {
      description: 'lost-beta to be forgotten',
      timeoutMs: UI_TIMEOUT_MS,
      intervalMs: 500,
    });
    assert.ok((await keyRows(page)).some((r) => r.includes('lost-alpha')));

    // The key record lives in the browser profile's IndexedDB with the rest of globalState: no key there, nor in the log or view.
    const leaks = searchLeaks(
      [
        { name: 'lost-alpha', value: alpha.key },
        { name: 'lost-beta', value: beta.key },
      ],
      [
        ...textSources([
          { where: 'Avala log', text: s.vscode.avalaLog() ?? '' },
          { where: 'Keys view', text: (await keyRows(page)).join('\n') },
        ]),
        ...fileSources(filesUnder(s.browser.profileDir).filter((f) => f.includes('IndexedDB'))),
      ],
    );
    assert.deepEqual(leaks, []);
  });
});
