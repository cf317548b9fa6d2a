// npm test — lint, unit, integration and e2e in sequence (a failure does not stop the rest),
// then one line: "N passed, N failed". Lint counts as one test. Each suite's runner writes its
// counts to the file named by AVALA_TEST_COUNTS_FILE (see test/harness/countReporter.ts).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const reporter = path.join('out', 'test', 'harness', 'countReporter.js');
const minutes = (n) => n * 60_000;
let interrupted = false;

const suites = [
  { name: 'lint', command: ['npm', 'run', 'lint'], timeoutMs: minutes(5), countsFromExitCode: true },
  { name: 'unit', command: ['npm', 'run', 'test:unit', '--', '--reporter', reporter], timeoutMs: minutes(5) },
  { name: 'integration', command: ['node', path.join('out', 'scripts', 'test-integration.js')], timeoutMs: minutes(15), needsCodeServer: true },
  {
    name: 'e2e',
    command: ['npx', 'mocha', '--config', path.join('test', 'e2e', '.mocharc.json'), '--reporter', reporter],
    timeoutMs: minutes(30),
    needsCodeServer: true,
  },
];

/** Runs a command in its own process group, killing the group if it outlives its bound. */
function run(command, env, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: root, env, stdio: 'inherit', detached: true });
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`\n${command.join(' ')} ran longer than ${timeoutMs / 60_000} minutes: stopping it`);
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    const forward = () => {
      interrupted = true;
      kill('SIGTERM');
    };
    process.once('SIGINT', forward);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      process.removeListener('SIGINT', forward);
      resolve(timedOut ? 'timeout' : (code ?? signal));
    });
  });
}

/** Pass/fail counts of a finished suite. */
function countsOf(suite, exit, countsFile) {
  if (suite.countsFromExitCode) {
    return exit === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  }
  if (!fs.existsSync(countsFile)) {
    // The suite never reported: it could not run at all.
    return { passed: 0, failed: 1 };
  }
  const { passed, failed } = JSON.parse(fs.readFileSync(countsFile, 'utf8'));
  if (exit === 'timeout') {
    // Stopped at its time limit: what passed still counts, the unfinished rest is one failure.
    return { passed, failed: failed + 1 };
  }
  // A runner that failed after its tests (or before any ran) still counts as a failure.
  return { passed, failed: exit !== 0 && failed === 0 ? 1 : failed };
}

function format(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

async function main() {
  const started = Date.now();
  console.log('── compile (tsc -p .) ──');
  const compiled = await run(['npx', 'tsc', '-p', '.'], process.env, minutes(5));
  if (compiled !== 0) {
    console.log('TypeScript reported errors (counted under lint); running the emitted JavaScript anyway.');
  }
  await run(['node', path.join('scripts', 'prune-out.mjs')], process.env, minutes(1));

  // A first install of code-server takes minutes (far more on a busy machine): do it once,
  // here, instead of inside a suite's time budget.
  console.log('\n── code-server ──');
  const installed = await run(['node', path.join('out', 'scripts', 'ensure-code-server.js')], process.env, minutes(45));
  if (interrupted) {
    process.exit(130);
  }

  const countsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-test-counts-'));
  const results = [];
  for (const suite of suites) {
    console.log(`\n── ${suite.name} ──`);
    if (suite.needsCodeServer && installed !== 0) {
      console.log('skipped: code-server could not be installed (see above)');
      results.push({ name: suite.name, passed: 0, failed: 1, ms: 0 });
      continue;
    }
    const countsFile = path.join(countsDir, `${suite.name}.json`);
    const suiteStarted = Date.now();
    const exit = await run(suite.command, { ...process.env, AVALA_TEST_COUNTS_FILE: countsFile }, suite.timeoutMs);
    if (interrupted) {
      console.log('\nInterrupted.');
      process.exit(130);
    }
    const { passed, failed } = countsOf(suite, exit, countsFile);
    results.push({ name: suite.name, passed, failed, ms: Date.now() - suiteStarted });
  }
  fs.rmSync(countsDir, { recursive: true, force: true });

  console.log(`\n── summary (${format(Date.now() - started)}) ──`);
  for (const r of results) {
    console.log(`${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed, ${String(r.failed).padStart(3)} failed  (${format(r.ms)})`);
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
