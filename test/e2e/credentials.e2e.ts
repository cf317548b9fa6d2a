// Issue 4 as a person sees it: sign up from an empty window, log in with good and bad keys,
// switch between two keys, remove one. Runs in the window every run opens first (mocha loads
// spec files in name order, so this is the first suite there), which starts with no key.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { emulator, session, type Session } from './hooks';
import {
  fillInput,
  inputMessage,
  openViewContainer,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  treeItem,
  view,
  waitForNotification,
  UI_TIMEOUT_MS,
  dismissNotifications,
} from './workbench';

const PASSWORD = 'Correct-Horse-9';
const stamp = Date.now().toString(36);
const email = `newcomer-${stamp}@acme.com`;

async function keysView(page: Page) {
  await openViewContainer(page, 'Avala');
  const keys = view(page, 'Keys');
  await keys.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return keys;
}

describe('Credentials: sign up, log in, switch, remove', function () {
  let s: Session;

  before(() => {
    s = session();
  });
  beforeEach(async () => {
    // Clean up what the previous test left (not in afterEach: the failure screenshot must show it).
    await dismissNotifications(s.page).catch(() => undefined);
  });

  it('signs up from an empty window to an active key in the Keys view', async () => {
    const { page } = s;
    const keys = await keysView(page);
    await keys.locator('.welcome-view-content', { hasText: 'Avala API keys let your scripts' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await screenshot(page, 'credentials/01-empty-view');
    await keys.locator('.monaco-button', { hasText: 'Sign Up' }).first().click();
    await fillInput(page, email, { prompt: 'Email address' });
    await fillInput(page, PASSWORD, { prompt: 'Choose a password' });
    await fillInput(page, 'Ada', { prompt: 'First name' });
    await fillInput(page, 'Lovelace', { prompt: 'Last name' });
    await pickQuickItem(page, 'development');
    await waitForNotification(page, /Welcome to Avala, Ada!.*now the active key/);
    const row = treeItem(page, email);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await row.innerText(), /● active/);
    const signups = emulator().requests.filter((r) => r.path === '/api/v1/signup/' && r.status === 201);
    assert.equal(signups.length >= 1, true);
    await screenshot(page, 'credentials/02-signed-up');
  });

  it('asks again after a 400, keeping the email typed and showing the server reason on it', async () => {
    const { page } = s;
    await runCommand(page, 'Avala: Sign Up');
    await fillInput(page, email, { prompt: 'Email address' });
    await fillInput(page, PASSWORD, { prompt: 'Choose a password' });
    await fillInput(page, '', { prompt: 'First name' });
    await fillInput(page, '', { prompt: 'Last name' });
    await pickQuickItem(page, 'development');
    await waitForNotification(page, /Email already registered\./);
    // The form comes back with the email kept and the server's words under it.
    const input = quickInput(page).locator('.quick-input-box input');
    await quickInput(page).locator('.quick-input-title', { hasText: 'Avala: Sign Up (1/5)' }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.equal(await input.inputValue(), email);
    await inputMessage(page).filter({ hasText: 'Email already registered.' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await screenshot(page, 'credentials/03-signup-400-kept');
    // The password box keeps what was typed, masked.
    await fillInput(page, `other-${stamp}@acme.com`);
    const password = quickInput(page).locator('.quick-input-box input');
    await quickInput(page).locator('.quick-input-title', { hasText: '(2/5)' }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.equal(await password.getAttribute('type'), 'password');
    assert.equal(await password.inputValue(), PASSWORD);
    await page.keyboard.press('Escape');
  });

  it('says how many seconds to wait when sign-up is throttled', async () => {
    const { page } = s;
    emulator().configure({ signupLimitPerMinute: 1 });
    try {
      await runCommand(page, 'Avala: Sign Up');
      await fillInput(page, `third-${stamp}@acme.com`, { prompt: 'Email address' });
      await fillInput(page, PASSWORD, { prompt: 'Choose a password' });
      await fillInput(page, '', { prompt: 'First name' });
      await fillInput(page, '', { prompt: 'Last name' });
      await pickQuickItem(page, 'development');
      await waitForNotification(page, /Too many sign-up attempts.*Try again in \d+ seconds\./);
      await screenshot(page, 'credentials/04-signup-429');
    } finally {
      emulator().configure({ signupLimitPerMinute: 5 });
    }
  });

  it('logs in with a valid scoped key and shows its scopes with their meaning', async () => {
    const { page } = s;
    const { key } = emulator().createKey({ name: 'ci-pipeline', scopes: ['datasets.read', 'exports.create'] });
    await runCommand(page, 'Avala: Log In with API Key');
    await fillInput(page, `  ${key}\n`, { prompt: 'Paste an Avala API key' });
    await fillInput(page, 'ci-pipeline', { prompt: 'A label' });
    await pickQuickItem(page, 'production');
    await waitForNotification(page, /Logged in with "ci-pipeline" \(checked: 2 scopes: datasets\.read, exports\.create\)/);
    const row = treeItem(page, 'ci-pipeline');
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await row.innerText(), /● active · production · avk_…/);
    assert.ok(!(await row.innerText()).includes(key.slice(4, -4)), 'the tree shows at most the last 4 characters');
    await row.click();
    await treeItem(page, 'List and retrieve datasets and dataset items.').waitFor({ timeout: UI_TIMEOUT_MS });
    await treeItem(page, 'exports.create').waitFor({ timeout: UI_TIMEOUT_MS });
    // The signed-up key has no scopes: full organization access, as a warning.
    await treeItem(page, email).click();
    await treeItem(page, 'Full organization access').waitFor({ timeout: UI_TIMEOUT_MS });
    await screenshot(page, 'credentials/05-scoped-and-full-access');
  });

  it('refuses a revoked key with the API reason and stores nothing', async () => {
    const { page } = s;
    const created = emulator().createKey({ name: 'revoked', scopes: [] });
    emulator().revokeKey(created.id);
    const rowsBefore = await page.locator('.part.sidebar .monaco-list-row').count();
    await runCommand(page, 'Avala: Log In with API Key');
    await fillInput(page, created.key, { prompt: 'Paste an Avala API key' });
    await waitForNotification(page, /Avala rejected this key: "Invalid API key\." .*Nothing was stored\./);
    assert.equal(await page.locator('.part.sidebar .monaco-list-row').count(), rowsBefore);
  });

  it('refuses an expired key saying it has expired', async () => {
    const { page } = s;
    const created = emulator().createKey({ name: 'old', scopes: ['datasets.read'] });
    emulator().expireKey(created.id);
    await runCommand(page, 'Avala: Log In with API Key');
    await fillInput(page, created.key, { prompt: 'Paste an Avala API key' });
    await waitForNotification(page, /Avala says this key has expired: "API key has expired\."/);
    await screenshot(page, 'credentials/06-expired');
  });

  it('refuses a key with an inner line break before sending it', async () => {
    const { page } = s;
    const before = emulator().requests.length;
    await runCommand(page, 'Avala: Log In with API Key');
    await fillInput(page, 'avk_abc def', { prompt: 'Paste an Avala API key', submit: false });
    await inputMessage(page).filter({ hasText: 'whitespace' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Escape');
    assert.equal(emulator().requests.length, before);
  });

  it('switches the active key between two keys', async () => {
    const { page } = s;
    await runCommand(page, 'Avala: Switch Active Key');
    await pickQuickItem(page, email);
    await page.waitForFunction(
      `[...document.querySelectorAll('.part.sidebar .monaco-list-row')].some(r => r.innerText.includes(${JSON.stringify(email)}) && r.innerText.includes('● active'))`,
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
    assert.doesNotMatch(await treeItem(page, 'ci-pipeline').innerText(), /● active/);
  });

  it('removes a key after a confirmation that says removing does not revoke', async () => {
    const { page } = s;
    await runCommand(page, 'Avala: Remove Key');
    await pickQuickItem(page, 'ci-pipeline');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await dialog.innerText(), /does not revoke the key/);
    await screenshot(page, 'credentials/07-remove-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Remove$/ }).click();
    await waitForNotification(page, /Removed "ci-pipeline" from VS Code\. It is not revoked\./);
    await page.waitForFunction(
      `![...document.querySelectorAll('.part.sidebar .monaco-list-row')].some(r => r.innerText.includes('ci-pipeline'))`,
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
  });
});
