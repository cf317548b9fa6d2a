import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, repoRoot } from './paths';
import { runToCompletion } from './processes';

/**
 * Packages a test-only extension whose source is `<sourceDir>/package.json` + `extension.ts`
 * (compiled by tsc to the same path under out/) into a vsix under
 * `.vscode-test/test-extensions/<name>/`, reusing the last one while its inputs are unchanged.
 */
export async function packageTestExtension(sourceDir: string): Promise<string> {
  const name = path.basename(sourceDir);
  const compiledMain = path.join(repoRoot, 'out', path.relative(repoRoot, sourceDir), 'extension.js');
  if (!fs.existsSync(compiledMain)) {
    throw new Error(`${path.relative(repoRoot, compiledMain)} is missing: run \`npx tsc -p .\` first`);
  }
  const manifest = fs.readFileSync(path.join(sourceDir, 'package.json'));
  const main = fs.readFileSync(compiledMain);
  const hash = createHash('sha256').update(manifest).update(main).digest('hex');
  const workDir = path.join(cacheDir, 'test-extensions', name);
  const vsix = path.join(workDir, `${name}.vsix`);
  const hashFile = path.join(workDir, 'inputs.sha256');
  if (fs.existsSync(vsix) && fs.existsSync(hashFile) && fs.readFileSync(hashFile, 'utf8') === hash) {
    return vsix;
  }
  const stage = path.join(workDir, 'stage');
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  fs.writeFileSync(path.join(stage, 'package.json'), manifest);
  fs.writeFileSync(path.join(stage, 'extension.js'), main);
  fs.writeFileSync(path.join(stage, 'README.md'), `# ${name}\n\nA test-only extension; never published.\n`);
  fs.rmSync(hashFile, { force: true });
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = await runToCompletion(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
    { cwd: stage, timeoutMs: 120_000 },
  );
  if (result.code !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`packaging the ${name} test extension failed (exit ${result.code}):\n${result.output}`);
  }
  fs.writeFileSync(hashFile, hash);
  return vsix;
}

/** The extension that runs the integration tests inside code-server's extension host. */
export function buildTestRunnerExtension(): Promise<string> {
  return packageTestExtension(path.join(repoRoot, 'test', 'integration', 'runner-extension'));
}

/**
 * Every fixture extension (`test/fixtures/<name>/` with a package.json that has
 * `engines.vscode`), packaged. Installed before VS Code starts, because installing one at run
 * time can make VS Code restart the extension host in the middle of the tests.
 */
export async function buildFixtureExtensions(): Promise<string[]> {
  const fixtures = path.join(repoRoot, 'test', 'fixtures');
  const dirs = fs.existsSync(fixtures) ? fs.readdirSync(fixtures).map((entry) => path.join(fixtures, entry)) : [];
  const extensions = dirs.filter((dir) => {
    try {
      return Boolean(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).engines?.vscode);
    } catch {
      return false;
    }
  });
  return Promise.all(extensions.sort().map(packageTestExtension));
}
