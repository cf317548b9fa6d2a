import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedAvala, EXTENSION_ID } from './support';

describe('activation', () => {
  it('the Avala extension is installed and activates without an error', async () => {
    const extension = await activatedAvala();
    assert.equal(extension.isActive, true);
  });

  it('declares limited support for untrusted workspaces, so Restricted Mode still shows keys but injects none', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const manifest = extension.packageJSON as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown } } };
    assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.equal(typeof manifest.capabilities?.untrustedWorkspaces?.description, 'string');
  });
});
