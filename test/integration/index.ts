// Runs the integration tests (out/test/integration/**/*.test.js) inside a VS Code extension
// host. Two launchers share it: @vscode/test-electron calls run() (npm run test:electron), and
// the test-runner extension calls runIntegrationTests() in code-server (npm run test:integration).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestOutcome {
  /** Suite titles, outermost first, then the test's own title. */
  titlePath: string[];
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface IntegrationResults {
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  tests: TestOutcome[];
}

export interface RunOptions {
  /** Only tests whose full title matches. */
  grep?: string;
  /** Called as each test ends, for live progress. */
  onTest?: (outcome: TestOutcome) => void;
  /** Called as each test (or hook) starts, with its title path. */
  onBegin?: (titlePath: string[]) => void;
  /** Mocha reporter: 'spec' prints to stdout (test-electron); by default nothing is printed. */
  reporter?: string;
}

/** Every compiled integration test file: adding a test is creating `test/integration/<name>.test.ts`. */
export function integrationTestFiles(root: string = __dirname): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      files.push(...integrationTestFiles(full));
    } else if (entry.name.endsWith('.test.js')) {
      files.push(full);
    }
  }
  return files.sort();
}

export function runIntegrationTests(options: RunOptions = {}): Promise<IntegrationResults> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 20_000,
    slow: 2_000,
    reporter: options.reporter ?? SilentReporter,
    ...(options.grep ? { grep: options.grep } : {}),
  });
  for (const file of integrationTestFiles()) {
    mocha.addFile(file);
  }
  const started = Date.now();
  const tests: TestOutcome[] = [];
  const record = (test: Mocha.Runnable, state: TestOutcome['state'], error?: Error): void => {
    const outcome: TestOutcome = { titlePath: test.titlePath(), state, durationMs: test.duration };
    if (error) {
      outcome.error = { message: String(error.message ?? error), stack: error.stack };
    }
    tests.push(outcome);
    options.onTest?.(outcome);
  };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        resolve({
          passes: tests.filter((t) => t.state === 'passed').length,
          failures: tests.filter((t) => t.state === 'failed').length,
          pending: tests.filter((t) => t.state === 'pending').length,
          durationMs: Date.now() - started,
          tests,
        });
      });
      runner.on('test', (test) => options.onBegin?.(test.titlePath()));
      runner.on('hook', (hook) => options.onBegin?.(hook.titlePath()));
      runner.on('pass', (test) => record(test, 'passed'));
      // Also fires for a failing hook, which then counts as one failure.
      runner.on('fail', (test, error) => record(test, 'failed', error));
      runner.on('pending', (test) => record(test, 'pending'));
    } catch (error) {
      reject(error);
    }
  });
}

/** Entry point for @vscode/test-electron's `extensionTestsPath`. */
export async function run(): Promise<void> {
  const results = await runIntegrationTests({ reporter: 'spec' });
  if (results.failures > 0) {
    throw new Error(`${results.failures} integration test(s) failed`);
  }
}

/** Results are collected from runner events; the launcher prints them. */
class SilentReporter extends Mocha.reporters.Base {}
