// A test-only extension that runs the integration tests inside code-server's extension host,
// where `--extensionTestsPath` has no effect. It is installed beside Avala by
// scripts/test-integration.ts and does nothing unless the user setting
// `avalaTestRunner.runFile` names a run file the launcher wrote.
//
// It deliberately does not declare `extensionDependencies` on Avala: if Avala failed to
// activate, VS Code would not activate this runner either and the launcher could only time
// out; this way the activation test reports the failure.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

/** Written by the launcher; all paths absolute. */
export interface RunFile {
  /** Compiled `test/integration/index.js`, which exports runIntegrationTests(). */
  entry: string;
  /** Final results (JSON), written once. */
  resultsFile: string;
  /** One JSON line per finished test, for live progress. */
  progressFile: string;
  /** What the runner itself did, for diagnosing a run that never reports. */
  logFile: string;
  /** Variables the tests read (emulator address, …), set on process.env before they load. */
  env: Record<string, string>;
  grep?: string;
}

export function activate(): void {
  const runFilePath = vscode.workspace.getConfiguration('avalaTestRunner').get<string>('runFile');
  if (!runFilePath || !fs.existsSync(runFilePath)) {
    return;
  }
  const run = JSON.parse(fs.readFileSync(runFilePath, 'utf8')) as RunFile;
  if (fs.existsSync(run.resultsFile)) {
    // A reloaded window must not run the suite a second time.
    return;
  }
  Object.assign(process.env, run.env);
  void runTests(run);
}

async function runTests(run: RunFile): Promise<void> {
  const log = (line: string): void => fs.appendFileSync(run.logFile, `${new Date().toISOString()} ${line}\n`);
  let results: unknown;
  try {
    log(`loading ${run.entry}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const suite = require(run.entry) as typeof import('../index');
    log(`running ${suite.integrationTestFiles().length} test file(s)`);
    results = await suite.runIntegrationTests({
      grep: run.grep,
      onTest: (outcome) => fs.appendFileSync(run.progressFile, `${JSON.stringify(outcome)}\n`),
    });
    log('finished');
  } catch (error) {
    results = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    log(`failed: ${(results as { error: string }).error}`);
  }
  // Written whole, then renamed, so the launcher never reads half a file.
  fs.writeFileSync(`${run.resultsFile}.tmp`, JSON.stringify(results));
  fs.renameSync(`${run.resultsFile}.tmp`, run.resultsFile);
}

export function deactivate(): void {}
