import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file whose package.json is the extension's. */
export const repoRoot: string = findRepoRoot(__dirname);

/** Where downloaded tools, test extensions and the demo live (git-ignored). */
export const cacheDir = path.join(repoRoot, '.vscode-test');

/** Screenshots and logs of failed tests (git-ignored). */
export const resultsDir = path.join(repoRoot, 'test-results');

/** The packaged extension, as `npm run package` writes it. */
export const extensionVsix = path.join(repoRoot, 'avala-vscode.vsix');

/** The folder every integration and e2e run opens (copied first, so tests never dirty it). */
export const sampleWorkspace = path.join(repoRoot, 'test', 'fixtures', 'sample-workspace');

export const extensionId = 'avala.avala-vscode';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'avala-vscode') {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cannot find the avala-vscode repository above ${start}`);
    }
  }
}
