// The status bar validator as a person sees it: Playwright drives code-server in headless
// Chromium; keys are created, revoked, expired and broken at the emulator, and the
// emulator's request log proves what was (and was not) sent.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { EmulatorKey, RunningEmulator } from '../emulator/emulator';
import { testSettings, waitFor, writeUserSettings } from '../harness';
import { startGateway, type ProxyGateway } from '../support/proxyGateway';
import { emulator as sharedEmulator, openSession, type Session } from './hooks';
import {
  fillInput,
  openViewContainer,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  treeItem,
  UI_TIMEOUT_MS,
  waitForNotification,
} from './workbench';

const SHOTS = 'status-bar';
const STATUS_ID = 'avala.avala-vscode.avala.status';

/** The Avala status bar item and the few gestures around it. */
class StatusBar {
  constructor(readonly page: Page) {}

  get item(): Locator {
    return this.page.locator(`[id="${STATUS_ID}"]`);
  }

  /** The visible text, icons excluded. */
  async text(): Promise<string> {
    return (await this.item.innerText({ timeout: 2000 })).replace(/\s+/g, ' ').trim();
  }

  async waitFor(pattern: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
    return waitFor(
      async () => {
        const text = await this.text();
        return pattern.test(text) ? text : undefined;
      },
      { description: `the Avala status bar item to show ${pattern}`, timeoutMs, intervalMs: 100 },
    );
  }

  /** 'error' | 'warning' | undefined: the background kind VS Code gave the item. */
  async tone(): Promise<string | undefined> {
    const cls = (await this.item.getAttribute('class')) ?? '';
    return /\berror-kind\b/.test(cls) ? 'error' : /\bwarning-kind\b/.test(cls) ? 'warning' : undefined;
  }

  async tooltip(): Promise<string> {
    await this.page.mouse.move(700, 400);
    await this.item.hover();
    const hover = this.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Click for actions' }).first();
    await hover.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    return hover.innerText();
  }

  /** Clicks the item and returns the labels of the picker it opens. */
  async openActions(): Promise<string[]> {
    await this.item.click();
    const rows = quickInput(this.page).locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const labels: string[] = [];
    for (const row of await rows.all()) {
      // The first label of a row is its label; a detail line has a label of its own.
      labels.push((await row.locator('.label-name').first().innerText()).replace(/\s+/g, ' ').trim());
    }
    return labels;
  }
}

async function closeQuickInput(page: Page): Promise<void> {
  if (await quickInput(page).isVisible()) {
    await page.keyboard.press('Escape');
    await quickInput(page).waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }
}

/** Texts of the notification toasts on screen. */
function toastTexts(page: Page, text: RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast .notification-list-item-message', { hasText: text });
}

describe('status bar validator (end to end)', function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let gateway: ProxyGateway;
  let s: Session;
  let page: Page;
  let status: StatusBar;
  // Its own window, starting with no key, talking to the emulator through a gateway the
  // tests can turn into a header-stripping proxy or a 403-answering one.
  const settings = (extra: Record<string, unknown> = {}) => ({
    'avala.apiBaseUrl': gateway.baseUrl,
    'avala.allowInsecureLoopback': true,
    'avala.requestTimeoutSeconds': 1,
    // No periodic checks unless a test turns them on: request counts stay exact.
    'avala.validation.intervalMinutes': 0,
    ...extra,
  });

  async function logIn(key: EmulatorKey, label: string, environment: string): Promise<void> {
    await runCommand(page, 'Avala: Log In with API Key');
    await fillInput(page, key.key, { prompt: /Paste an Avala API key/ });
    await fillInput(page, label, { prompt: /name this key/ });
    await pickQuickItem(page, environment);
  }

  const validate = () => runCommand(page, 'Avala: Validate Active Key');
  const clearNotifications = () => runCommand(page, 'Notifications: Clear All Notifications');
  const shot = (name: string) => screenshot(page, path.join(SHOTS, name));
  /** Requests for `key` the emulator received after `seq` (other windows share the emulator). */
  const since = (seq: number, key: EmulatorKey) => emulator.requests.filter((r) => r.seq > seq && r.keyId === key.id);
  const lastSeq = () => emulator.requests.at(-1)?.seq ?? 0;

  before(async function () {
    this.timeout(240_000);
    emulator = sharedEmulator();
    gateway = await startGateway(emulator.baseUrl);
    s = await openSession({ settings: settings() });
    page = s.page;
    status = new StatusBar(page);
    await status.item.waitFor({ state: 'visible', timeout: 90_000 });
  });

  afterEach(async () => {
    await closeQuickInput(page).catch(() => undefined);
  });

  after(async function () {
    this.timeout(60_000);
    await s?.close();
    await gateway?.close();
  });

  it('with no key says "Avala: Log In", and a click starts Log In', async () => {
    await status.waitFor(/^Avala: Log In$/);
    assert.equal(await status.tone(), undefined);
    await shot('1-no-key');
    await status.item.click();
    await quickInput(page)
      .locator('.quick-input-title', { hasText: /Log In with API Key/ })
      .waitFor({ timeout: UI_TIMEOUT_MS });
  });

  let ci: EmulatorKey;
  it('shows a valid key by its label, with scopes, check time and API host in the tooltip', async () => {
    ci = emulator.createKey({ name: 'ci', scopes: ['datasets.read', 'exports.create'] });
    await logIn(ci, 'ci', 'development');
    await status.waitFor(/^ci$/);
    assert.equal(await status.tone(), undefined);
    const tooltip = await status.tooltip();
    assert.match(tooltip, /Valid — checked (just now|1 minute ago)/);
    assert.match(tooltip, /datasets\.read/);
    assert.match(tooltip, /exports\.create/);
    assert.ok(tooltip.includes(`API: ${new URL(gateway.baseUrl).host}`), tooltip);
    await shot('2-valid-tooltip');
  });

  it('turns to an error that says the key is invalid after it is revoked and validated', async () => {
    await clearNotifications();
    emulator.revokeKey(ci.id);
    const seq = lastSeq();
    await validate();
    await status.waitFor(/^ci: key invalid or revoked$/);
    assert.equal(await status.tone(), 'error');
    await waitForNotification(page, /Avala does not accept the key \(“Invalid API key\.”\)/);
    assert.equal(since(seq, ci).length, 1, 'one Validate sends one request');
    await shot('3-invalid');
  });

  it('shows the same state and check time in the Keys view as in the status bar', async () => {
    await openViewContainer(page, 'Avala');
    const key = treeItem(page, /^\s*ci\b/);
    await key.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    if ((await key.getAttribute('aria-expanded')) !== 'true') {
      await key.click();
    }
    const checked = treeItem(page, /Last checked/);
    await checked.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.match(await checked.innerText(), /Last checked just now\s*invalid or revoked/);
    await shot('3b-keys-view-invalid');
  });

  let staging: EmulatorKey;
  it('follows a key switch made from the status bar', async () => {
    staging = emulator.createKey({ name: 'staging', scopes: [] });
    await logIn(staging, 'staging-key', 'staging');
    await status.waitFor(/^staging-key · staging$/);
    assert.ok((await status.openActions()).includes('Switch Key'));
    await pickQuickItem(page, 'Switch Key');
    await pickQuickItem(page, /ci/);
    await status.waitFor(/^ci: key invalid or revoked$/);
    await status.openActions();
    await pickQuickItem(page, 'Switch Key');
    await pickQuickItem(page, /staging-key/);
    await status.waitFor(/^staging-key · staging$/);
    await shot('4-switched');
  });

  it('turns to an error that says the key has expired, and offers Mission Control then Log In', async () => {
    await clearNotifications();
    emulator.expireKey(staging.id);
    await validate();
    await status.waitFor(/^staging-key: key expired$/);
    assert.equal(await status.tone(), 'error');
    const labels = await status.openActions();
    assert.deepEqual(labels.slice(0, 2), ['Open Mission Control', 'Log In with a New Key']);
    await shot('5-expired-actions');
  });

  it('replaces the expired key when the user logs in with a new one from the status bar', async () => {
    const renewed = emulator.createKey({ name: 'staging (regenerated)', scopes: [] });
    await status.openActions();
    await pickQuickItem(page, 'Log In with a New Key');
    await fillInput(page, renewed.key, { prompt: /Paste an Avala API key/ });
    await fillInput(page, 'staging-2', { prompt: /name this key/ });
    await pickQuickItem(page, 'staging');
    await status.waitFor(/^staging-2 · staging$/);
    await waitForNotification(page, /"staging-2" replaces "staging-key", which was removed from VS Code/);
    await openViewContainer(page, 'Avala');
    await treeItem(page, /staging-2/).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(await treeItem(page, /staging-key/).count(), 0);
  });

  let prod: EmulatorKey | undefined;
  const faults: [string, { mode: 'error500' | 'malformed' | 'reset' | 'latency'; ms?: number }][] = [
    ['a server error', { mode: 'error500' }],
    ['a body that is not JSON', { mode: 'malformed' }],
    ['a connection reset', { mode: 'reset' }],
    ['an answer slower than the timeout', { mode: 'latency', ms: 4000 }],
  ];
  for (const [what, fault] of faults) {
    it(`says "cannot reach Avala" for ${what} (${fault.mode}) and never marks the key bad`, async () => {
      if (!prod) {
        prod = emulator.createKey({ name: 'prod', scopes: ['datasets.read'] });
        await logIn(prod, 'prod', 'production');
        await status.waitFor(/^prod · production$/);
      }
      await clearNotifications();
      emulator.setFault({ ...fault, count: 1 });
      const seq = lastSeq();
      await validate();
      await status.waitFor(/^prod: cannot reach Avala$/);
      assert.equal(await status.tone(), undefined);
      await waitForNotification(page, /Cannot reach Avala.*says nothing about the key/);
      assert.deepEqual(
        since(seq, prod).map((r) => r.fault),
        [fault.mode],
        'exactly one request, the faulty one',
      );
      if (fault.mode === 'error500') {
        await shot('6-unreachable');
      }
      await validate();
      await status.waitFor(/^prod · production$/);
    });
  }

  it('says the key was not sent when a proxy strips the key header', async () => {
    gateway.mode = 'strip';
    try {
      await validate();
      await status.waitFor(/^prod: key not sent$/);
      assert.equal(await status.tone(), 'warning');
      assert.match(await status.tooltip(), /proxy/);
      await shot('7-key-not-sent');
    } finally {
      gateway.mode = 'pass';
    }
  });

  it('says the key works but lacks permission when the check itself is refused', async () => {
    gateway.mode = 'forbid';
    try {
      await validate();
      await status.waitFor(/^prod: works, lacks permission$/);
      assert.equal(await status.tone(), 'warning');
      await shot('8-forbidden');
    } finally {
      gateway.mode = 'pass';
    }
    await validate();
    await status.waitFor(/^prod · production$/);
  });

  it('when throttled shows when checking resumes and sends nothing before it, even when asked', async () => {
    await clearNotifications();
    emulator.configure({ rateLimitPerMinute: 1 });
    try {
      await validate();
      const text = await status.waitFor(/^prod: throttled until \d\d:\d\d:\d\d$/);
      assert.equal(await status.tone(), 'warning');
      await shot('9-throttled');
      const seq = lastSeq();
      for (let i = 0; i < 3; i++) {
        await clearNotifications();
        await validate();
        await waitForNotification(page, /Not checked: Avala is throttling requests/);
      }
      assert.equal(since(seq, prod!).length, 0, 'no request before Retry-After');
      assert.equal(await status.text(), text);
    } finally {
      emulator.configure({ rateLimitPerMinute: 100 });
    }
  });

  it('notifies once when a background check finds a valid key revoked', async () => {
    const nightly = emulator.createKey({ name: 'nightly', scopes: ['tasks.read'] });
    await logIn(nightly, 'nightly', 'development');
    await status.waitFor(/^nightly$/);
    await clearNotifications();
    // Periodic checks every 3 seconds, so the background check comes quickly.
    writeUserSettings(s.vscode.userDataDir, { ...testSettings(true), ...settings({ 'avala.validation.intervalMinutes': 0.05 }) });
    try {
      emulator.revokeKey(nightly.id);
      await status.waitFor(/^nightly: key invalid or revoked$/, 30_000);
      await waitForNotification(page, /Your Avala key "nightly" stopped working/);
      const seq = lastSeq();
      await waitFor(() => since(seq, nightly).length >= 2, {
        description: 'two more background checks',
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      assert.equal(await toastTexts(page, /stopped working/).count(), 1, 'one notification for one change');
      assert.equal((s.vscode.avalaLog()?.match(/Notified: "nightly"/g) ?? []).length, 1);
      await shot('10-notified-once');
    } finally {
      writeUserSettings(s.vscode.userDataDir, { ...testSettings(true), ...settings() });
    }
  });
});
