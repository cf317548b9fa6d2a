// Root hooks for the e2e suite (loaded with mocha's --require, see test/e2e/.mocharc.json).
//
// One run shares one emulator and one code-server + Chromium session: starting VS Code costs
// ~30 s here, so tests share it and stay independent by what they touch (each test resets the
// emulator if it cares, and names its keys uniquely). A test file that needs a different
// setup (Restricted Mode, other settings) opens its own session with openSession() in its
// `before` and closes it in `after`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../emulator/emulator';
import {
  extensionId,
  installExtensions,
  launchBrowser,
  packageExtension,
  removeTempDir,
  resultsDir,
  sampleWorkspace,
  startVSCode,
  trackTempDir,
  type BrowserSession,
  type StartVSCodeOptions,
  waitFor,
  type VSCodeInstance,
} from '../harness';
import { openWorkbench } from './workbench';

export interface Session {
  vscode: VSCodeInstance;
  browser: BrowserSession;
  page: Page;
  /** The temporary copy of test/fixtures/sample-workspace that is open. */
  workspace: string;
  /** Closes the browser; code-server shuts down in the background (the run's afterAll waits for it). */
  close(): Promise<void>;
}

export interface SessionOptions extends Omit<Partial<StartVSCodeOptions>, 'folder'> {
  /** Settings besides the emulator ones. */
  settings?: Record<string, unknown>;
  /** Wait until the extension host has activated Avala (default true). */
  waitForActivation?: boolean;
  /**
   * Prepares the fresh copy of the sample workspace before VS Code opens it (a git
   * repository, more folders). Returns a .code-workspace file to open instead, if any.
   */
  prepare?: (workspace: string) => string | void;
}

let emulatorInstance: RunningEmulator | undefined;
let vsix: string | undefined;
/** The freshly packaged extension, installed once per run; each window gets a copy. */
let installedExtensions: Promise<string> | undefined;
let shared: Session | undefined;
const openSessions = new Set<Session>();
/** Sessions whose code-server is still shutting down. */
const stoppingSessions = new Set<Promise<void>>();
/** Pages whose screenshot and logs are saved when a test fails. */
const reported = new Set<Pick<Session, 'page' | 'vscode'>>();

/**
 * Adds a page (with the VS Code it shows) to what a failing test saves under test-results/:
 * for suites that start their own code-server instead of using openSession(). Returns the
 * function that removes it again.
 */
export function reportOnFailure(target: Pick<Session, 'page' | 'vscode'>): () => void {
  reported.add(target);
  return () => reported.delete(target);
}

/** The emulator every session points at. */
export function emulator(): RunningEmulator {
  if (!emulatorInstance) {
    throw new Error('the e2e root hooks did not run: use mocha --config test/e2e/.mocharc.json');
  }
  return emulatorInstance;
}

/** The .vsix the sessions install: packaged once per run. */
export async function packagedExtension(): Promise<string> {
  vsix ??= await packageExtension();
  return vsix;
}

/** The session opened before all tests. */
export function session(): Session {
  if (!shared) {
    throw new Error('the e2e root hooks did not run: use mocha --config test/e2e/.mocharc.json');
  }
  return shared;
}

/**
 * Starts another code-server + Chromium on a fresh copy of the sample workspace, with Avala
 * installed and pointed at the emulator. Close it in `after`.
 */
export async function openSession(options: SessionOptions = {}): Promise<Session> {
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-e2e-'));
  trackTempDir(work);
  const workspace = path.join(work, 'sample-workspace');
  fs.cpSync(sampleWorkspace, workspace, { recursive: true });
  const opens = options.prepare?.(workspace) ?? workspace;
  const packaged = await packagedExtension();
  const plain = !options.extensions && !options.extraExtensions && !options.extensionsDir;
  if (plain) {
    installedExtensions ??= (async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-extensions-'));
      trackTempDir(dir);
      await installExtensions(dir, [packaged]);
      return dir;
    })();
  }
  const extensionsFrom = plain ? await installedExtensions : undefined;
  const browserStarting = launchBrowser();
  browserStarting.catch(() => undefined); // Awaited below; this only marks a failure as handled meanwhile.
  let vscode: VSCodeInstance | undefined;
  try {
    vscode = await startVSCode({
      extensions: [packaged],
      extensionsFrom,
      ...options,
      folder: opens,
      settings: { 'avala.apiBaseUrl': emulator().baseUrl, 'avala.allowInsecureLoopback': true, ...options.settings },
    });
    const browser = await browserStarting;
    const workbenchStarted = Date.now();
    await openWorkbench(browser.page, vscode.url, workspace);
    const workbenchMs = Date.now() - workbenchStarted;
    const instance = vscode;
    if (options.waitForActivation ?? true) {
      await waitFor(() => instance.extensionHostLog().includes(`_doActivateExtension ${extensionId},`), {
        description: `the extension host to activate ${extensionId}`,
        // ~25 s on a quiet machine; minutes when other VS Code instances compete for the CPU.
        timeoutMs: 240_000,
        intervalMs: 250,
      });
    }
    const { installMs, serverMs } = instance.startup;
    console.log(
      `      (VS Code session ready in ${seconds(Date.now() - started)}: install ${seconds(installMs)}, ` +
        `server ${seconds(serverMs)}, workbench ${seconds(workbenchMs)}, rest ${seconds(Date.now() - workbenchStarted - workbenchMs)})`,
    );
    const opened: Session = {
      vscode: instance,
      browser,
      page: browser.page,
      workspace,
      close: async () => {
        openSessions.delete(opened);
        reported.delete(opened);
        await browser.close();
        // code-server takes ~2 s to shut down; the next suite need not wait for it (the run's
        // afterAll does).
        const stopping = instance.stop().then(() => removeTempDir(work));
        stoppingSessions.add(stopping);
        void stopping.finally(() => stoppingSessions.delete(stopping));
      },
    };
    openSessions.add(opened);
    reported.add(opened);
    return opened;
  } catch (error) {
    const browser = await browserStarting.catch(() => undefined);
    if (browser && vscode) {
      await saveFailureReport('session startup', [{ page: browser.page, vscode }]);
    }
    await browser?.close();
    await vscode?.stop();
    removeTempDir(work);
    throw error;
  }
}

/** Saves a screenshot and the extension's logs of each target into test-results/<title>/. */
async function saveFailureReport(title: string, targets: Iterable<Pick<Session, 'page' | 'vscode'>>): Promise<void> {
  const list = [...targets];
  const dir = path.join(resultsDir, safeName(title));
  fs.mkdirSync(dir, { recursive: true });
  for (const [index, target] of list.entries()) {
    const suffix = list.length > 1 ? `-${index + 1}` : '';
    await target.page.screenshot({ path: path.join(dir, `screenshot${suffix}.png`), timeout: 15_000 }).catch(() => undefined);
    fs.writeFileSync(path.join(dir, `remoteexthost${suffix}.log`), target.vscode.extensionHostLog());
    fs.writeFileSync(path.join(dir, `avala${suffix}.log`), target.vscode.avalaLog() ?? '(no Avala output channel log yet)\n');
  }
  console.log(`      screenshot and logs: ${path.relative(process.cwd(), dir)}/`);
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(420_000);
    emulatorInstance = await startEmulator({ port: 0 });
    shared = await openSession();
  },

  async afterEach(this: Mocha.Context): Promise<void> {
    const test = this.currentTest;
    if (test?.state !== 'failed') {
      return;
    }
    this.timeout(60_000);
    await saveFailureReport(test.fullTitle(), reported);
  },

  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    for (const open of [...openSessions]) {
      await open.close();
    }
    await Promise.all([...stoppingSessions]);
    await emulatorInstance?.close();
    const extensions = await installedExtensions?.catch(() => undefined);
    if (extensions) {
      removeTempDir(extensions);
    }
  },
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function safeName(title: string): string {
  return title
    .replace(/[^a-zA-Z0-9 _-]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
}
