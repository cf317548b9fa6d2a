// Rows 1 and 6: activation time and startup network in real VS Code (code-server + Chromium).
//
// One code-server (with every built-in extension), one browser, N windows: the first load,
// then "Developer: Reload Window" N-1 times. Every window starts a new extension host, which activates Avala (on
// onStartupFinished) and VS Code's built-in GitHub Authentication (the accounts menu asks it
// for sessions). In each window "Developer: Show Running Extensions" shows what VS Code
// recorded for both: code loading + activate() call, in ms.
//
// For the network row, the first window logs in with an emulator key. Before each reload the
// key's last result is made "cannot reach Avala" (one reset connection and Validate Active
// Key), so in every later window a startup check is due. Each request the emulator receives is
// compared with the time VS Code's extension host logs the onStartupFinished activations.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { fillInput, openWorkbench, pickQuickItem, runCommand, statusBarItem, UI_TIMEOUT_MS } from '../../test/e2e/workbench';
import type { RunningEmulator } from '../../test/emulator/emulator';
import {
  delay,
  ensureCodeServer,
  extensionId,
  findLogFiles,
  launchBrowser,
  startVSCode,
  STARTUP_TIMEOUT_MS,
  trackTempDir,
  removeTempDir,
  waitFor,
  type BrowserSession,
  type VSCodeInstance,
} from '../../test/harness';

const BUILTIN_NAME = 'GitHub Authentication';
const OUR_NAME = 'Avala';
const KEY_LABEL = 'bench';
/** Where code-server's workbench keeps VS Code's secret storage, encrypted. */
const SEALED_SECRETS = "localStorage.getItem('secrets.provider')";

/** The folder of the GitHub Authentication extension built into the code-server at `codeServerBin`: the anchor of rows 1, 2 and 8. */
export function builtinGitHubAuthentication(codeServerBin: string): string {
  return path.join(path.dirname(path.dirname(codeServerBin)), 'code-server', 'lib', 'vscode', 'extensions', 'github-authentication');
}

export interface WindowSample {
  window: number;
  /** What Running Extensions shows: code loading + activate() call, ms. */
  oursMs?: number;
  /** From "Reload Window" to the status bar item showing the key's label (windows after the first). */
  statusBarMs?: number;
  builtinMs?: number;
  /** Whether the key's last result called for a check at startup. */
  checkDue: boolean;
  /** Requests the emulator received in this window (after the reload began). */
  requests: number;
  /** Of those, sent while an extension host of this window had not reached startup finished. */
  early: number;
  /** From the first onStartupFinished activation in this window to the first request, ms. */
  firstRequestAfterStartupMs?: number;
}

export interface WindowsResult {
  samples: WindowSample[];
  /** Requests in the idle observation after the last window. */
  idle: { seconds: number; requests: number };
  /** Installed size of the extension folder, and of the built-in's. */
  installedBytes: number;
  builtinInstalledBytes: number;
  problems: string[];
}

interface LogLine {
  time: number;
  text: string;
}

/** `2026-11-26 13:43:10.045 [info] …` (local time) → ms epoch. */
function parseLog(file: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) \[\w+\] (.*)$/.exec(line);
    if (m) {
      const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number);
      lines.push({ time: new Date(y, mo - 1, d, h, mi, s, ms).getTime(), text: m[8] });
    }
  }
  return lines;
}

function hostLogs(vscode: VSCodeInstance): string[] {
  return findLogFiles(vscode.userDataDir, (file) => path.basename(file) === 'remoteexthost.log');
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : fs.statSync(full).size;
  }
  return total;
}

/** Reads "Activation: N ms" for both extensions from Developer: Show Running Extensions. */
async function runningExtensions(page: Page): Promise<{ ours?: number; builtin?: number; shown: string }> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
  const read = async () => {
    const texts = await rows.allInnerTexts();
    const row = (name: string) => texts.find((t) => t.startsWith(`${name}\n`));
    const time = (name: string) => {
      const m = /Activation: (\d+)ms/.exec(row(name) ?? '');
      return m ? Number(m[1]) : undefined;
    };
    const shown = [OUR_NAME, BUILTIN_NAME].map((name) => `${name}: ${row(name)?.split('\n').pop() ?? 'not listed'}`).join(', ');
    return { ours: time(OUR_NAME), builtin: time(BUILTIN_NAME), shown };
  };
  // The list fills in when the workbench has the extension host's status (seconds when busy).
  const times = await waitFor(
    async () => {
      const t = await read();
      return t.ours !== undefined && t.builtin !== undefined ? t : undefined;
    },
    { description: 'Running Extensions to show both activation times', timeoutMs: 60_000, intervalMs: 250 },
  ).catch(read);
  await page.keyboard.press('Escape');
  await page
    .locator('.runtime-extensions-editor')
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(async () => {
      await runCommand(page, 'View: Close Editor');
    });
  return times;
}

export async function measureWindows(options: {
  vsix: string;
  emulator: RunningEmulator;
  windows: number;
  idleSeconds: number;
  log: (line: string) => void;
}): Promise<WindowsResult> {
  const { emulator, log } = options;
  const problems: string[] = [];
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-bench-'));
  trackTempDir(folder);
  fs.writeFileSync(path.join(folder, 'README.md'), '# An empty workspace for the benchmark\n');
  let vscode: VSCodeInstance | undefined;
  let browser: BrowserSession | undefined;
  try {
    vscode = await startVSCode({
      extensions: [options.vsix],
      folder,
      // Only the API location differs from the defaults (interval 15 min, stale after 30 min).
      settings: { 'avala.apiBaseUrl': emulator.baseUrl, 'avala.allowInsecureLoopback': true },
    });
    const install = await ensureCodeServer();
    const builtinDir = builtinGitHubAuthentication(install.codeServer);
    const ourDir = fs.readdirSync(vscode.extensionsDir).find((name) => name.startsWith(`${extensionId}-`));
    const installedBytes = ourDir ? folderBytes(path.join(vscode.extensionsDir, ourDir)) : NaN;
    const builtinInstalledBytes = fs.existsSync(builtinDir) ? folderBytes(builtinDir) : NaN;

    browser = await launchBrowser();
    const page = browser.page;
    const key = emulator.createKey({ name: KEY_LABEL, scopes: ['datasets.read'] });
    const samples: WindowSample[] = [];

    for (let window = 1; window <= options.windows; window++) {
      const started = Date.now();
      const seqBefore = emulator.requests.at(-1)?.seq ?? 0;
      const logsBefore = new Set(hostLogs(vscode));
      let statusBarMs: number | undefined;
      if (window === 1) {
        await openWorkbench(page, vscode.url, folder);
      } else {
        const reloaded = Date.now();
        await runCommand(page, 'Developer: Reload Window');
        await page.locator('.part.statusbar').waitFor({ timeout: STARTUP_TIMEOUT_MS });
        // What the user sees first: the status bar item with the stored key's label.
        await statusBarItem(page, new RegExp(KEY_LABEL)).waitFor({ timeout: STARTUP_TIMEOUT_MS });
        statusBarMs = Date.now() - reloaded;
      }
      const instance = vscode;
      const newLogs = () => hostLogs(instance).filter((file) => !logsBefore.has(file));
      await waitFor(() => newLogs().some((file) => fs.readFileSync(file, 'utf8').includes(`_doActivateExtension ${extensionId},`)), {
        description: `window ${window}'s extension host to activate ${extensionId}`,
        timeoutMs: 120_000,
        intervalMs: 250,
      });
      const times = await runningExtensions(page);
      if (times.ours === undefined || times.builtin === undefined) {
        problems.push(
          `window ${window}: Running Extensions showed no activation time within 60 s (${times.shown}); the window is left out of row 1`,
        );
      }
      for (const file of newLogs()) {
        const failed = /Activating extension (\S+) failed/.exec(fs.readFileSync(file, 'utf8'));
        if (failed) {
          problems.push(`window ${window}: activating ${failed[1]} failed (see ${file})`);
        }
      }

      // A window after the first starts with a key whose last result is "cannot reach Avala":
      // the extension checks it once at startup. Wait for that check (or for proof there is none).
      const checkDue = window > 1;
      const ours = () => emulator.requests.filter((r) => r.seq > seqBefore && r.keyId === key.id);
      if (checkDue) {
        await waitFor(() => ours().some((r) => r.status === 200), {
          description: `window ${window}'s startup check`,
          timeoutMs: 30_000,
          intervalMs: 100,
        }).catch(() => problems.push(`window ${window}: no startup check reached the emulator within 30 s`));
      }
      const hosts = newLogs().map((file) => {
        const lines = parseLog(file);
        return {
          start: lines[0]?.time ?? 0,
          startupFinished: lines.find((l) => l.text.includes("activationEvent: 'onStartupFinished'"))?.time,
        };
      });
      const sent = emulator.requests.filter((r) => r.seq > seqBefore);
      const firstFinished = Math.min(...hosts.map((h) => h.startupFinished ?? Infinity));
      const early = sent.filter((r) =>
        hosts.some((h) => r.time >= h.start && (h.startupFinished === undefined || r.time < h.startupFinished)),
      );
      samples.push({
        window,
        oursMs: times.ours,
        builtinMs: times.builtin,
        statusBarMs,
        checkDue,
        requests: sent.length,
        early: early.length,
        firstRequestAfterStartupMs: sent.length > 0 && Number.isFinite(firstFinished) ? sent[0].time - firstFinished : undefined,
      });
      log(
        `  window ${window}: Avala ${times.ours ?? '?'} ms, ${BUILTIN_NAME} ${times.builtin ?? '?'} ms; ` +
          `${sent.length} request(s), ${early.length} before startup finished (${Math.round((Date.now() - started) / 1000)} s)`,
      );

      if (window === 1) {
        await logIn(page, key.key);
        await waitFor(() => emulator.requests.some((r) => r.keyId === key.id && r.status === 200), {
          description: 'the log-in check',
          timeoutMs: 30_000,
        });
        await statusBarItem(page, new RegExp(KEY_LABEL)).waitFor({ timeout: UI_TIMEOUT_MS });
      }
      if (window < options.windows) {
        // Make the next window's startup check due: one failed check, forced from the palette.
        const sealed = () => page.evaluate(SEALED_SECRETS) as Promise<string | null>;
        const sealedBefore = await sealed();
        emulator.setFault({ mode: 'reset', count: 1 });
        await runCommand(page, 'Avala: Validate Active Key');
        await statusBarItem(page, /cannot reach Avala/).waitFor({ timeout: UI_TIMEOUT_MS });
        // The result reaches the browser's copy of secret storage (localStorage in code-server)
        // a moment after the status bar shows it; reloading before that would lose it.
        await waitFor(async () => (await sealed()) !== sealedBefore, {
          description: 'the check result to reach secret storage',
          timeoutMs: UI_TIMEOUT_MS,
          intervalMs: 100,
        });
      }
    }

    // Idle: the last window has checked its key at startup; nothing should follow for 15 min.
    const idleFrom = emulator.requests.at(-1)?.seq ?? 0;
    log(`  idle window: watching the emulator for ${options.idleSeconds} s`);
    await delay(options.idleSeconds * 1000);
    const idle = { seconds: options.idleSeconds, requests: emulator.requests.filter((r) => r.seq > idleFrom).length };
    return { samples, idle, installedBytes, builtinInstalledBytes, problems };
  } finally {
    await browser?.close();
    await vscode?.stop();
    removeTempDir(folder);
  }
}

async function logIn(page: Page, key: string): Promise<void> {
  await runCommand(page, 'Avala: Log In with API Key');
  await fillInput(page, key, { prompt: /Paste an Avala API key/ });
  await fillInput(page, KEY_LABEL, { prompt: /label/i });
  await pickQuickItem(page, 'development');
}
