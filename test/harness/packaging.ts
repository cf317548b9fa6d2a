import * as fs from 'node:fs';
import * as path from 'node:path';
import { extensionVsix, repoRoot } from './paths';
import { runToCompletion } from './processes';
import { formatDuration } from './wait';

/** What goes into the vsix: when any of it is newer than the vsix, the vsix is rebuilt. */
const PACKAGE_INPUTS = [
  'src',
  'dist',
  'media',
  'l10n',
  'package.json',
  'package.nls.json',
  'esbuild.mjs',
  'scripts/build',
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
];

/**
 * Returns the path of a current `avala-vscode.vsix`, running `npm run package` first unless
 * the vsix is newer than everything it is built from. CI always packages, except where
 * `npm test` has just packaged for all its suites (AVALA_VSIX_PACKAGED=1).
 */
export async function packageExtension(options: { force?: boolean } = {}): Promise<string> {
  const force = options.force || (Boolean(process.env.CI) && process.env.AVALA_VSIX_PACKAGED !== '1');
  if (!force && isFresh()) {
    return extensionVsix;
  }
  const started = Date.now();
  process.stdout.write('Packaging the extension (npm run package)... ');
  const result = await runToCompletion('npm', ['run', 'package'], { cwd: repoRoot, timeoutMs: 5 * 60_000 });
  if (result.code !== 0 || !fs.existsSync(extensionVsix)) {
    console.log('failed');
    throw new Error(`npm run package failed (exit ${result.code}):\n${result.output}`);
  }
  console.log(`done in ${formatDuration(Date.now() - started)}`);
  return extensionVsix;
}

function isFresh(): boolean {
  if (!fs.existsSync(extensionVsix)) {
    return false;
  }
  const built = fs.statSync(extensionVsix).mtimeMs;
  return PACKAGE_INPUTS.every((input) => newestMtime(path.join(repoRoot, input)) <= built);
}

function newestMtime(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}
