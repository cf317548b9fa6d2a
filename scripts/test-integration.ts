// npm run test:integration — runs test/integration/*.test.ts inside a real extension host:
// code-server with Avala and the test-runner extension installed, opened by headless Chromium
// (the extension host only starts once a browser connects), against the Avala API emulator.
//
//   npm run test:integration [-- --grep <pattern>] [-- --keep]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator } from '../test/emulator/emulator';
import type { IntegrationResults, TestOutcome } from '../test/integration/index';
import type { RunFile } from '../test/integration/runner-extension/extension';
import {
  buildFixtureExtensions,
  buildTestRunnerExtension,
  delay,
  describeError,
  formatDuration,
  launchBrowser,
  packageExtension,
  repoRoot,
  resultsDir,
  sampleWorkspace,
  startVSCode,
  STARTUP_TIMEOUT_MS,
  trackTempDir,
  untrackTempDir,
  type BrowserSession,
  type VSCodeInstance,
} from '../test/harness';
import { SpecPrinter, writeCounts } from '../test/harness/report';

// Bounds, not expectations: on a quiet machine the runner starts ~25 s after the page loads.
// With other VS Code instances competing for two cores it has taken minutes.
/** The whole suite, from the page load to the results file. */
const RUN_TIMEOUT_MS = Number(process.env.AVALA_INTEGRATION_TIMEOUT_MS ?? 8 * 60_000);
/** From the page load until the runner extension has started the tests. */
const RUNNER_START_TIMEOUT_MS = 4 * 60_000;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const grepAt = args.indexOf('--grep');
  const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
  const keep = args.includes('--keep');
  const started = Date.now();

  const [vsix, runnerVsix, fixtureVsixes] = await Promise.all([packageExtension(), buildTestRunnerExtension(), buildFixtureExtensions()]);
  const emulator = await startEmulator({ port: 0 });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-integration-'));
  trackTempDir(work);
  const folder = path.join(work, 'sample-workspace');
  fs.cpSync(sampleWorkspace, folder, { recursive: true });
  const run: RunFile = {
    entry: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    resultsFile: path.join(work, 'results.json'),
    progressFile: path.join(work, 'progress.jsonl'),
    logFile: path.join(work, 'runner.log'),
    env: { AVALA_TEST_EMULATOR_ORIGIN: emulator.origin },
    ...(grep ? { grep } : {}),
  };
  const runFile = path.join(work, 'run.json');
  fs.writeFileSync(runFile, JSON.stringify(run, null, 2));
  fs.writeFileSync(run.progressFile, '');

  let vscode: VSCodeInstance | undefined;
  let browser: BrowserSession | undefined;
  let browserStarting: Promise<BrowserSession> | undefined;
  const pageErrors: string[] = [];
  const consoleLines: string[] = [];
  try {
    browserStarting = launchBrowser();
    browserStarting.catch(() => undefined); // Awaited below; this only marks a failure as handled meanwhile.
    vscode = await startVSCode({
      folder,
      extensions: [vsix],
      // Fixture extensions are installed up front: installing one while the tests run can
      // make VS Code restart the extension host mid-run.
      extraExtensions: [runnerVsix, ...fixtureVsixes],
      keep,
      settings: {
        'avala.apiBaseUrl': emulator.baseUrl,
        'avala.allowInsecureLoopback': true,
        'avalaTestRunner.runFile': runFile,
      },
    });
    browser = await browserStarting;
    browser.page.on('pageerror', (error) => pageErrors.push(error.message));
    browser.page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    // A reload or a second window starts another extension host: worth knowing when a run fails.
    browser.context.on('page', (page) => pageErrors.push(`a new window or tab opened: ${page.url() || '(blank)'}`));
    let navigations = 0;
    browser.page.on('framenavigated', (frame) => {
      if (frame === browser?.page.mainFrame() && ++navigations > 1) {
        pageErrors.push(`the workbench page navigated again (reload?): ${frame.url()}`);
      }
    });
    await browser.page.goto(vscode.url, { timeout: STARTUP_TIMEOUT_MS, waitUntil: 'domcontentloaded' });
    console.log(`Integration tests in code-server, API emulator at ${emulator.baseUrl} (setup ${formatDuration(Date.now() - started)})`);

    const printer = new SpecPrinter();
    const results = await followRun(run, vscode, (outcome) => printer.test(outcome));
    if ('error' in results) {
      const counts = printer.finish(Date.now() - started);
      console.log(`The test run did not complete inside the extension host:\n${results.error}`);
      saveDiagnostics(vscode, pageErrors, consoleLines);
      writeCounts({ passed: counts.passed, failed: counts.failed + 1 });
      return 1;
    }
    const counts = printer.finish(results.durationMs);
    writeCounts(counts);
    if (counts.failed > 0 || counts.passed === 0) {
      saveDiagnostics(vscode, pageErrors, consoleLines);
      return 1;
    }
    return 0;
  } catch (error) {
    console.log(`\nIntegration run failed: ${describeError(error)}`);
    if (vscode) {
      saveDiagnostics(vscode, pageErrors, consoleLines);
    }
    writeCounts({ passed: 0, failed: 1 });
    return 1;
  } finally {
    browser ??= await browserStarting?.catch(() => undefined);
    await browser?.close();
    await vscode?.stop();
    await emulator.close();
    if (keep) {
      untrackTempDir(work);
      console.log(`Kept the run folder ${work}`);
    }
  }
}

/** Streams progress lines to `onTest` until the results file appears (or the run times out). */
async function followRun(
  run: RunFile,
  vscode: VSCodeInstance,
  onTest: (outcome: TestOutcome) => void,
): Promise<IntegrationResults | { error: string }> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  const runnerDeadline = Date.now() + RUNNER_START_TIMEOUT_MS;
  let consumed = 0;
  const drain = (): void => {
    const text = fs.readFileSync(run.progressFile, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(consumed, end).split('\n').filter(Boolean)) {
      onTest(JSON.parse(line) as TestOutcome);
    }
    consumed = end;
  };
  for (;;) {
    drain();
    if (fs.existsSync(run.resultsFile)) {
      drain();
      return JSON.parse(fs.readFileSync(run.resultsFile, 'utf8')) as IntegrationResults | { error: string };
    }
    if (vscode.process.hasExited()) {
      throw new Error(`code-server exited (${await vscode.process.exited}) before the tests finished`);
    }
    if (!fs.existsSync(run.logFile) && Date.now() > runnerDeadline) {
      throw new Error(
        `the test-runner extension did not start within ${formatDuration(RUNNER_START_TIMEOUT_MS)} ` +
          `(extension host ${vscode.extensionHostLog() ? 'started' : 'never started'}; see its log)`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(`no results after ${formatDuration(RUN_TIMEOUT_MS)}; the runner's own log:\n${fs.readFileSync(run.logFile, 'utf8')}`);
    }
    await delay(200);
  }
}

function saveDiagnostics(vscode: VSCodeInstance, pageErrors: string[], consoleLines: string[]): void {
  const dir = path.join(resultsDir, 'integration');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'remoteexthost.log'), vscode.extensionHostLog());
  fs.writeFileSync(path.join(dir, 'avala.log'), vscode.avalaLog() ?? '(no Avala output channel log)\n');
  fs.copyFileSync(vscode.serverLog, path.join(dir, 'code-server.log'));
  fs.writeFileSync(path.join(dir, 'page-errors.txt'), pageErrors.join('\n'));
  fs.writeFileSync(path.join(dir, 'browser-console.txt'), consoleLines.join('\n'));
  for (const event of pageErrors.filter((line) => /^(a new window|the workbench page navigated)/.test(line))) {
    console.log(`Note: ${event}`);
  }
  console.log(`Logs saved in ${path.relative(process.cwd(), dir) || dir}/`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    writeCounts({ passed: 0, failed: 1 });
    process.exit(1);
  },
);
