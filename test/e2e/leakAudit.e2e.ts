// Issue 7's leak audit: one whole session with canary keys and a canary password, then a
// byte-wise search of everything it left for those values (raw, UTF-16, base64, fragments).
// Zero hits is the only pass. As a positive control, the secrets VS Code keeps are decrypted
// from the browser's localStorage and must contain the keys: the search looks where they are.
import * as assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EmulatorKey } from '../emulator/emulator';
import { removeTempDir, waitFor } from '../harness';
import { emulator, openSession, type Session } from './hooks';
import { fileSources, filesUnder, searchLeaks, textSources, type Canary } from './leakSearch';
import {
  fillInput,
  openTerminalAndRun,
  pickQuickItem,
  runCommand,
  screenshot,
  waitForFile,
  waitForNotification,
  dismissNotifications,
} from './workbench';

const PASSWORD = `Canary-Pa55-${Date.now().toString(36)}-word`;
const EMAIL = `leak-audit-${Date.now().toString(36)}@acme.com`;
const FAULTS = ['error500', 'malformed', 'html', 'empty', 'reset', 'redirect', 'huge', 'oversized', 'latency'] as const;
const RUN_TIMEOUT_MS = 90_000;

/**
 * Decrypts code-server's `secrets.provider` localStorage entry: base64 of a 32-byte client key
 * half, a 12-byte IV and AES-256-GCM ciphertext with its tag; the key is the client half XOR
 * the server half in `<user-data>/serve-web-key-half` (VS Code web's ServerKeyedAESCrypto).
 */
function decryptWebSecrets(sealed: string, serverHalf: Buffer): string {
  const bytes = Buffer.from(sealed, 'base64');
  const clientHalf = bytes.subarray(0, 32);
  const iv = bytes.subarray(32, 44);
  const body = bytes.subarray(44, bytes.length - 16);
  const tag = bytes.subarray(bytes.length - 16);
  const key = Buffer.from(clientHalf.map((b, i) => b ^ serverHalf[i]));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

describe('Leak audit of a whole session', function () {
  this.timeout(15 * 60_000);
  let s: Session;
  const canaries: Canary[] = [{ name: 'sign-up password', value: PASSWORD }];
  const screenTexts: { where: string; text: string }[] = [];
  let ci: EmulatorKey;

  /** A screenshot, and the text on screen at that moment (searched like the files). */
  async function capture(name: string): Promise<void> {
    await screenshot(s.page, `leak-audit/${name}`);
    screenTexts.push({ where: `screen text of ${name}`, text: await s.page.locator('body').innerText() });
  }

  async function validate(done: () => boolean, description: string): Promise<void> {
    await runCommand(s.page, 'Avala: Validate Active Key');
    await waitFor(done, { description, timeoutMs: RUN_TIMEOUT_MS });
  }

  before(async function () {
    this.timeout(240_000);
    s = await openSession({ keep: true });
    await waitFor(() => (s.vscode.avalaLog() ?? '').includes('Avala activated'), { description: 'Avala to activate', timeoutMs: 120_000 });
    await s.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.vscode.origin });
  });
  after(async () => {
    await s?.close();
    if (s) {
      removeTempDir(s.browser.profileDir);
      removeTempDir(path.dirname(s.vscode.userDataDir));
    }
  });

  it('signs up with the canary password and copies the new key (the first canary key)', async () => {
    const { page } = s;
    await runCommand(page, 'Avala: Sign Up');
    await fillInput(page, EMAIL, { prompt: 'Email address' });
    await fillInput(page, PASSWORD, { prompt: 'Choose a password' });
    await fillInput(page, 'Canary', { prompt: 'First name' });
    await fillInput(page, 'Audit', { prompt: 'Last name' });
    await pickQuickItem(page, 'development');
    await waitForNotification(page, /Welcome to Avala, Canary!/);
    await runCommand(page, 'Avala: Copy Active Key');
    await waitForNotification(page, /Copied/);
    const copied = String(await page.evaluate('navigator.clipboard.readText()'));
    assert.match(copied, /^avk_[0-9a-f]{40}$/);
    canaries.push({ name: 'sign-up key', value: copied });
    await page.evaluate("navigator.clipboard.writeText('')");
    await capture('01-signed-up');
  });

  it('logs in with a second canary key and switches between the two', async () => {
    const { page } = s;
    ci = emulator().createKey({ name: 'leak-audit-ci', scopes: ['datasets.read'] });
    canaries.push({ name: 'logged-in key', value: ci.key });
    await dismissNotifications(page);
    await runCommand(page, 'Avala: Log In with API Key');
    await fillInput(page, ci.key, { prompt: 'Paste an Avala API key' });
    await fillInput(page, 'audit-ci', { prompt: 'A label' });
    await pickQuickItem(page, 'production');
    await waitForNotification(page, /Logged in with "audit-ci"/);
    await runCommand(page, 'Avala: Switch Active Key');
    await pickQuickItem(page, new RegExp(EMAIL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await runCommand(page, 'Avala: Switch Active Key');
    await pickQuickItem(page, /audit-ci/);
    await capture('02-two-keys');
  });

  it('injects the active key into a terminal and a debug session, which call the emulator with it', async () => {
    const { page, workspace } = s;
    await dismissNotifications(page);
    await openTerminalAndRun(page, 'node scripts/call-avala.mjs .results/leak-terminal.json');
    assert.match(await waitForFile(path.join(workspace, '.results', 'leak-terminal.json'), RUN_TIMEOUT_MS), /"status":200/);
    await runCommand(page, 'Debug: Select and Start Debugging');
    await pickQuickItem(page, 'Call Avala with the active key');
    assert.match(await waitForFile(path.join(workspace, '.results', 'launch-active.json'), RUN_TIMEOUT_MS), /"status":200/);
    await capture('03-terminal-and-debug');
  });

  it('validates through every fault mode of the emulator', async () => {
    for (const mode of FAULTS) {
      const before = emulator().requests.at(-1)?.seq ?? 0;
      emulator().setFault({ mode, count: 1, ...(mode === 'latency' ? { ms: 300 } : {}) });
      await validate(() => emulator().requests.some((r) => r.seq > before && r.fault === mode), `a check that meets the ${mode} fault`);
    }
    emulator().setFault({ mode: 'none' });
    await capture('04-after-faults');
  });

  it('validates a revoked and an expired key', async () => {
    const { page } = s;
    emulator().revokeKey(ci.id);
    let before = emulator().requests.at(-1)?.seq ?? 0;
    await validate(
      () => emulator().requests.some((r) => r.seq > before && r.keyId === ci.id && r.status === 401),
      'the revoked key to be refused',
    );
    const keys = (await (await fetch(`${emulator().origin}/__admin/keys`)).json()) as { keys: { id: string; name: string }[] };
    const signupKey = keys.keys.find((k) => k.name === EMAIL);
    assert.ok(signupKey, 'the emulator knows the sign-up key');
    emulator().expireKey(signupKey.id);
    await runCommand(page, 'Avala: Switch Active Key');
    await pickQuickItem(page, new RegExp(EMAIL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    before = emulator().requests.at(-1)?.seq ?? 0;
    await validate(
      () => emulator().requests.some((r) => r.seq > before && r.keyId === signupKey.id && r.status === 401),
      'the expired key to be refused',
    );
    await runCommand(page, 'Avala: Show Log');
    await capture('05-revoked-expired-and-log');
  });

  it('leaves no canary anywhere: user data, extension storage, browser profile, workspace, logs, screens, emulator log', async () => {
    const { page, browser, vscode, workspace } = s;
    const sealed = (await page.evaluate("localStorage.getItem('secrets.provider')")) as string | null;
    // Stop everything so every store is flushed to disk, but keep the folders to search them.
    await browser.close({ keep: true });
    await vscode.stop();
    const roots = [browser.profileDir, path.dirname(vscode.userDataDir), workspace];
    const files = filesUnder(...roots);
    assert.ok(files.length > 100, `searched ${files.length} files`);
    const hits = searchLeaks(canaries, [
      ...fileSources(files),
      ...textSources(screenTexts),
      ...textSources([{ where: 'emulator request log', text: JSON.stringify(emulator().requests) }]),
    ]);
    const report = hits.map((h) => `${h.canary} as ${h.encoding} in ${h.where} at ${h.offset}`).join('\n');
    fs.mkdirSync(path.join('test-results', 'leak-audit'), { recursive: true });
    fs.writeFileSync(
      path.join('test-results', 'leak-audit', 'report.txt'),
      `Searched ${files.length} files under:\n${roots.join('\n')}\nplus ${screenTexts.length} screen texts and the emulator's request log (${emulator().requests.length} requests)\n` +
        `for ${canaries.map((c) => c.name).join(', ')}.\n\nHits: ${hits.length}\n${report}\n`,
    );
    assert.equal(hits.length, 0, `canaries found:\n${report}`);

    // Positive controls. The search covers the places the session did write to: the browser's
    // IndexedDB (globalState) and localStorage, where the encrypted secrets are on disk...
    const profile = fileSources(filesUnder(browser.profileDir));
    assert.ok(
      searchLeaks([{ name: 'globalState key', value: 'avala.defaultKeyId' }], profile).length > 0,
      'globalState is in the searched profile',
    );
    assert.ok(sealed, 'code-server keeps secrets in localStorage "secrets.provider"');
    assert.ok(
      searchLeaks([{ name: 'sealed secrets', value: sealed.slice(0, 64) }], profile).length > 0,
      'the encrypted secrets are in the searched profile',
    );
    // ...and the keys are in VS Code's secret storage there, only encrypted.
    const plain = decryptWebSecrets(sealed, fs.readFileSync(path.join(vscode.userDataDir, 'serve-web-key-half')));
    for (const canary of canaries.filter((c) => c.name.endsWith('key'))) {
      assert.ok(plain.includes(canary.value), `${canary.name} is in the decrypted secret storage`);
    }
    assert.ok(!plain.includes(PASSWORD), 'the password is not stored even in secret storage');
  });
});
