// Installs a second, test-only extension into the running VS Code, from inside its extension host.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../harness/wait';

/** The repository root: the compiled tests live in <root>/out/test/integration. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * The fixture extension `test/fixtures/<name>`: an extension like any other, with its own
 * id, so VS Code applies its per-extension rules to it. `npm run test:integration` installs
 * the fixtures before VS Code starts; elsewhere (test-electron) it is packaged and installed
 * here, which VS Code does without a reload.
 */
export async function installFixtureExtension<T>(name: string, id: string): Promise<vscode.Extension<T>> {
  const existing = vscode.extensions.getExtension<T>(id);
  if (existing) {
    return existing;
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), `avala-fixture-${name}-`));
  try {
    fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', name, 'package.json'), path.join(stage, 'package.json'));
    fs.copyFileSync(path.join(repoRoot, 'out', 'test', 'fixtures', name, 'extension.js'), path.join(stage, 'extension.js'));
    fs.writeFileSync(path.join(stage, 'README.md'), `# ${name}\n\nA test fixture; never published.\n`);
    const vsix = path.join(stage, `${name}.vsix`);
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
        { cwd: stage, timeout: 120_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`packaging the ${name} fixture failed: ${error.message}\n${stdout}${stderr}`)) : resolve(),
      ),
    );
    await vscode.commands.executeCommand('workbench.extensions.installExtension', vscode.Uri.file(vsix));
    return await waitFor(() => vscode.extensions.getExtension<T>(id), {
      description: `the ${id} fixture extension to be installed`,
      timeoutMs: 30_000,
      intervalMs: 50,
    });
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
