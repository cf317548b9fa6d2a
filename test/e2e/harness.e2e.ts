// The harness itself, as a person would see it: Avala activates in code-server, its view
// container is in the activity bar, and a terminal opened afterwards points at the emulator.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../harness';
import { zipEntries } from '../harness/zipEntries';
import { emulator, packagedExtension, session } from './hooks';
import { openTerminalAndRun, openViewContainer, screenshot, view, waitForFile } from './workbench';

describe('Avala in code-server', () => {
  it('is installed from a .vsix that holds only what runs: bundle, manifest, words, media, README, CHANGELOG, LICENSE', async () => {
    const file = await packagedExtension();
    const entries = zipEntries(file);
    const names = entries.map((e) => e.name);
    const runs = [
      /^extension\.vsixmanifest$/,
      /^\[Content_Types\]\.xml$/,
      /^extension\/(?:package\.json|package\.nls(?:\.[\w-]+)?\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
      /^extension\/dist\/(?:browser\/)?[\w-]+\.js$/,
      /^extension\/l10n\/bundle\.l10n(?:\.[\w-]+)?\.json$/,
      /^extension\/media\/[\w/-]+\.(?:png|svg|md)$/,
    ];
    assert.deepEqual(
      names.filter((name) => !runs.some((pattern) => pattern.test(name))),
      [],
      'files that do not run (tests, sources, source maps, node_modules…)',
    );
    for (const needed of [
      'extension/dist/extension.js',
      'extension/dist/browser/extension.js',
      'extension/package.nls.json',
      'extension/l10n/bundle.l10n.json',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
      'extension/media/avala.png',
    ]) {
      assert.ok(names.includes(needed), `${needed} is in the package`);
    }
    const packed = fs.statSync(file).size;
    const installed = entries.reduce((sum, e) => sum + e.size, 0);
    console.log(`      (package ${(packed / 1024).toFixed(0)} KB, ${entries.length} files, ${(installed / 1024).toFixed(0)} KB unpacked)`);
    assert.ok(packed < 1024 * 1024, `the package is ${packed} bytes`);
  });

  it('activates after startup', async () => {
    const { vscode } = session();
    const line = await waitFor(
      () =>
        vscode
          .extensionHostLog()
          .split('\n')
          .find((l) => l.includes('ExtensionService#_doActivateExtension avala.avala-vscode')),
      { description: 'the extension host to activate avala.avala-vscode', timeoutMs: 60_000 },
    );
    assert.match(line, /activationEvent: 'onStartupFinished'/);
  });

  it('shows the Avala view container in the activity bar, with its Keys view', async () => {
    const { page } = session();
    await openViewContainer(page, 'Avala');
    await view(page, 'Keys').waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'harness/avala-view');
  });

  it('gives a terminal opened after activation AVALA_BASE_URL pointing at the emulator', async () => {
    const { page, workspace } = session();
    const seen = path.join(workspace, 'seen.txt');
    fs.rmSync(seen, { force: true });
    await openTerminalAndRun(page, `printf '%s' "$AVALA_BASE_URL" > seen.txt`);
    assert.equal(await waitForFile(seen), emulator().baseUrl);
    await screenshot(page, 'harness/terminal');
  });
});
