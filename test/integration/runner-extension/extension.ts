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

/** Registers MCP server definition providers under the ids this extension's package.json declares. */
export interface RunnerMcp {
  extensionId: string;
  register(id: string, provider: vscode.McpServerDefinitionProvider): vscode.Disposable;
}

export function activate(context: vscode.ExtensionContext): void {
  // Integration tests that need a real SecretStorage of their own (not Avala's) use this one.
  (globalThis as { avalaTestRunnerContext?: vscode.ExtensionContext }).avalaTestRunnerContext = context;
  // VS Code lets only the extension that declares an MCP provider id register it, and test
  // files outside any extension get an API that declares nothing: they register through this.
  (globalThis as { avalaTestRunnerMcp?: RunnerMcp }).avalaTestRunnerMcp = {
    extensionId: context.extension.id,
    register: (id, provider) => vscode.lm.registerMcpServerDefinitionProvider(id, provider),
  };
  const runFilePath = vscode.workspace.getConfiguration('avalaTestRunner').get<string>('runFile');
  if (!runFilePath || !fs.existsSync(runFilePath)) {
    return;
  }
  const run = JSON.parse(fs.readFileSync(runFilePath, 'utf8')) as RunFile;
  if (fs.existsSync(run.resultsFile)) {
    // A reloaded window must not run the suite a second time.
    return;
  }
  // The first extension host to get here owns the run. Another one means either a second
  // window (the owner is still alive: leave it alone) or a restarted extension host (the owner
  // is gone: report it rather than quietly running everything again).
  const ownerFile = `${run.resultsFile}.owner`;
  try {
    fs.writeFileSync(ownerFile, String(process.pid), { flag: 'wx' });
  } catch {
    const owner = Number(fs.readFileSync(ownerFile, 'utf8'));
    if (isAlive(owner)) {
      appendLog(run, `extension host ${process.pid} (another window?) left the run to extension host ${owner}`);
      return;
    }
    const begun = fs.existsSync(run.logFile)
      ? fs
          .readFileSync(run.logFile, 'utf8')
          .split('\n')
          .filter((line) => line.includes(' begin: '))
      : [];
    const last = begun.at(-1)?.split(' begin: ')[1] ?? '(none yet)';
    writeResults(run, { error: `The extension host restarted while the tests ran. The last test or hook that started: ${last}` });
    return;
  }
  Object.assign(process.env, run.env);
  void runTests(run);
}

function appendLog(run: RunFile, line: string): void {
  fs.appendFileSync(run.logFile, `${new Date().toISOString()} ${line}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runTests(run: RunFile): Promise<void> {
  const log = (line: string): void => appendLog(run, line);
  log(`extension host ${process.pid} runs the tests`);
  let results: unknown;
  try {
    log(`loading ${run.entry}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const suite = require(run.entry) as typeof import('../index');
    log(`running ${suite.integrationTestFiles().length} test file(s)`);
    results = await suite.runIntegrationTests({
      grep: run.grep,
      onTest: (outcome) => fs.appendFileSync(run.progressFile, `${JSON.stringify(outcome)}\n`),
      onBegin: (titlePath) => log(`begin: ${titlePath.join(' › ')}`),
    });
    log('finished');
  } catch (error) {
    results = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    log(`failed: ${(results as { error: string }).error}`);
  }
  writeResults(run, results);
}

/** Written whole, then renamed, so the launcher never reads half a file. */
function writeResults(run: RunFile, results: unknown): void {
  fs.writeFileSync(`${run.resultsFile}.tmp`, JSON.stringify(results));
  fs.renameSync(`${run.resultsFile}.tmp`, run.resultsFile);
}

export function deactivate(): void {}
