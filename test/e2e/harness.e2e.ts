// The harness itself, as a person would see it: Avala activates in code-server, its view
// container is in the activity bar, and a terminal opened afterwards points at the emulator.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../harness';
import { emulator, session } from './hooks';
import { openTerminalAndRun, openViewContainer, screenshot, view, waitForFile } from './workbench';

describe('Avala in code-server', () => {
  it('activates after startup', async () => {
    const { vscode } = session();
    const line = await waitFor(
      () => vscode.extensionHostLog().split('\n').find((l) => l.includes('ExtensionService#_doActivateExtension avala.avala-vscode')),
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
