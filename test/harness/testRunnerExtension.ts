import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, repoRoot } from './paths';
import { runToCompletion } from './processes';

const SOURCE_MANIFEST = path.join(repoRoot, 'test', 'integration', 'runner-extension', 'package.json');
const COMPILED_MAIN = path.join(repoRoot, 'out', 'test', 'integration', 'runner-extension', 'extension.js');
const WORK_DIR = path.join(cacheDir, 'test-runner');

/**
 * Packages the test-runner extension (test/integration/runner-extension, compiled by tsc) into
 * a vsix under `.vscode-test/test-runner/`, reusing the last one while its inputs are unchanged.
 */
export async function buildTestRunnerExtension(): Promise<string> {
  if (!fs.existsSync(COMPILED_MAIN)) {
    throw new Error(`${path.relative(repoRoot, COMPILED_MAIN)} is missing: run \`npx tsc -p .\` first`);
  }
  const manifest = fs.readFileSync(SOURCE_MANIFEST);
  const main = fs.readFileSync(COMPILED_MAIN);
  const hash = createHash('sha256').update(manifest).update(main).digest('hex');
  const vsix = path.join(WORK_DIR, 'avala-test-runner.vsix');
  const hashFile = path.join(WORK_DIR, 'inputs.sha256');
  if (fs.existsSync(vsix) && fs.existsSync(hashFile) && fs.readFileSync(hashFile, 'utf8') === hash) {
    return vsix;
  }
  const stage = path.join(WORK_DIR, 'stage');
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  fs.writeFileSync(path.join(stage, 'package.json'), manifest);
  fs.writeFileSync(path.join(stage, 'extension.js'), main);
  fs.writeFileSync(path.join(stage, 'README.md'), '# Avala integration test runner\n\nTest-only; never published.\n');
  fs.rmSync(hashFile, { force: true });
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = await runToCompletion(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
    { cwd: stage, timeoutMs: 120_000 },
  );
  if (result.code !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`packaging the test-runner extension failed (exit ${result.code}):\n${result.output}`);
  }
  fs.writeFileSync(hashFile, hash);
  return vsix;
}
