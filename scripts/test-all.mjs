// npm test — lint, unit, integration and e2e (a failure does not stop the rest), then one line:
// "N passed, N failed". Lint (the compile's type check, ESLint and Prettier's check) counts as one test; it
// runs beside the unit and integration suites, whose output it would otherwise interleave, so
// its output is held back until they finish. e2e runs alone: it is timing-sensitive. Each suite's runner writes its
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
  {
    name: 'lint',
    command: ['sh', '-c', 'npx eslint . && npx prettier --check .'],
    timeoutMs: minutes(5),
    countsFromExitCode: true,
    background: true,
  },
  // Not `npm run test:unit`, which compiles again: the compile above is shared.
  {
    name: 'unit',
    command: ['npx', 'mocha', '--config', path.join('test', 'unit', '.mocharc.json'), '--reporter', reporter],
    timeoutMs: minutes(5),
  },
  {
    name: 'integration',
    command: ['node', path.join('out', 'scripts', 'test-integration.js')],
    timeoutMs: minutes(15),
    needsCodeServer: true,
  },
  {
    name: 'e2e',
    command: ['npx', 'mocha', '--config', path.join('test', 'e2e', '.mocharc.json'), '--reporter', reporter],
    timeoutMs: minutes(30),
    needsCodeServer: true,
  },
];

/**
 * Runs a command in its own process group, killing the group if it outlives its bound. With
 * `output`, its stdout and stderr go there instead of to the terminal.
 */
function run(command, env, timeoutMs, output) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: root,
      env,
      stdio: output ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      detached: true,
    });
    if (output) {
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
    }
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
  // Package once for the integration and e2e suites (in CI each would package again).
  console.log('\n── package ──');
  const packaging = path.join(root, 'out', 'test', 'harness', 'packaging.js');
  const script = `require(${JSON.stringify(packaging)}).packageExtension().then((vsix) => console.log(require('path').basename(vsix) + ' is current'))`;
  const packaged = await run(['node', '-e', script], process.env, minutes(5));
  if (packaged === 0) {
    process.env.AVALA_VSIX_PACKAGED = '1';
  }

  // A first install of code-server takes minutes (far more on a busy machine): do it once,
  // here, instead of inside a suite's time budget.
  console.log('\n── code-server ──');
  const installed = await run(['node', path.join('out', 'scripts', 'ensure-code-server.js'), '--browser'], process.env, minutes(45));
  if (interrupted) {
    process.exit(130);
  }

  const countsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-test-counts-'));
  const results = [];
  const background = [];
  const finishBackground = async () => {
    for (const job of background.splice(0)) {
      const exit = await job.exit;
      console.log(`\n── ${job.suite.name} (ran beside the suites above) ──`);
      const output = Buffer.concat(job.output);
      process.stdout.write(output.length > 0 ? output : `${job.suite.command.join(' ')}: ${exit === 0 ? 'no problems' : `exit ${exit}`}\n`);
      const counts = countsOf(job.suite, exit, job.countsFile);
      if (job.suite.name === 'lint' && compiled !== 0) {
        console.log('TypeScript reported errors in the compile step (see its output at the top).');
        Object.assign(counts, { passed: 0, failed: 1 });
      }
      results.push({ name: job.suite.name, ...counts, ms: Date.now() - job.started });
    }
  };
  for (const suite of suites) {
    if (suite.name === 'e2e') {
      await finishBackground();
    }
    if (suite.needsCodeServer && installed !== 0) {
      console.log(`\n── ${suite.name} ──`);
      console.log('skipped: code-server could not be installed (see above)');
      results.push({ name: suite.name, passed: 0, failed: 1, ms: 0 });
      continue;
    }
    const countsFile = path.join(countsDir, `${suite.name}.json`);
    const env = { ...process.env, AVALA_TEST_COUNTS_FILE: countsFile };
    const suiteStarted = Date.now();
    if (suite.background) {
      const output = [];
      background.push({ suite, output, countsFile, started: suiteStarted, exit: run(suite.command, env, suite.timeoutMs, output) });
      continue;
    }
    console.log(`\n── ${suite.name} ──`);
    const exit = await run(suite.command, env, suite.timeoutMs);
    if (interrupted) {
      console.log('\nInterrupted.');
      process.exit(130);
    }
    const { passed, failed } = countsOf(suite, exit, countsFile);
    results.push({ name: suite.name, passed, failed, ms: Date.now() - suiteStarted });
  }
  await finishBackground();
  if (interrupted) {
    process.exit(130);
  }
  const order = suites.map((suite) => suite.name);
  results.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
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
