// Avala's language-model tools inside a real extension host: listed in vscode.lm.tools and
// invoked through vscode.lm.invokeTool as an agent would, against the emulator. No result
// holds the key or any 8 characters of it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AgentTools } from '../../src/agents/agentTools';
import type { KeyMeta } from '../../src/core/keyIndex';
import { KeyStore } from '../../src/core/keyStore';
import { MemoryMemento, SharedKeyring } from '../support/fakes';
import { resultsDir } from '../harness/paths';
import { avalaLog } from '../harness/vscode';
import { waitFor } from '../harness/wait';
import { logInWith } from './prompts';
import { activatedAvala, emulator, type AdminKey } from './support';

const TOOLS = ['avala_keyStatus', 'avala_validateKey', 'avala_requiredScopes'];

/** What an agent receives: the text parts of the tool's result. */
async function invoke(name: string, input: object): Promise<string> {
  // No chat request here, so no toolInvocationToken: VS Code then invokes the tool without a
  // confirmation UI (the token only ties a call to a chat response).
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part))).join('\n');
}

function assertNoPartOf(key: string, text: string, where: string): void {
  for (let i = 0; i + 8 <= key.length; i++) {
    assert.ok(!text.includes(key.slice(i, i + 8)), `${where} holds a part of the key: ${key.slice(i, i + 8)}`);
  }
}

describe("Avala's language-model tools, as an agent calls them", function () {
  this.timeout(60_000);
  let key: AdminKey;
  let meta: KeyMeta;

  before(async () => {
    await activatedAvala();
    key = await emulator.createKey({ name: 'agent-tools', scopes: ['datasets.read', 'projects.read'] });
    meta = await logInWith(key.key);
  });

  it('are listed in vscode.lm.tools with their descriptions and input schemas', () => {
    for (const name of TOOLS) {
      const tool = vscode.lm.tools.find((t) => t.name === name);
      assert.ok(tool, `${name} is listed`);
      assert.ok(tool.description.length > 40, `${name} tells a model what it does`);
      assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object');
    }
  });

  it('avala_keyStatus describes the active key (label, state, scopes, host) and holds no part of it', async () => {
    const text = await invoke('avala_keyStatus', {});
    assert.match(text, new RegExp(`"${meta.label}"`));
    assert.match(text, /State: (valid|not checked yet)\./);
    assert.match(text, /datasets\.read: List and retrieve datasets/);
    assert.match(text, /API host: 127\.0\.0\.1/);
    assert.ok(!text.includes(meta.masked), 'no masked tail');
    assertNoPartOf(key.key, text, 'avala_keyStatus');
    // Kept for a person to read: the result exactly as an agent receives it.
    fs.mkdirSync(path.join(resultsDir, 'integration'), { recursive: true });
    fs.writeFileSync(path.join(resultsDir, 'integration', 'avala_keyStatus-result.txt'), text);
  });

  it('avala_keyStatus for a folder names the folder, and says so for one that is not open', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    assert.match(await invoke('avala_keyStatus', { folder: folder.name }), new RegExp(`for the folder "${folder.name}"`));
    assert.match(await invoke('avala_keyStatus', { folder: 'no-such-folder' }), /No open workspace folder is called "no-such-folder"/);
  });

  it('avala_requiredScopes says which calls the active key may make and which scope it lacks', async () => {
    const text = await invoke('avala_requiredScopes', { calls: ['GET /datasets/', 'client.exports.create()', 'GET /mystery/'] });
    assert.match(text, /GET \/datasets\/: needs datasets\.read/);
    assert.match(text, /lacks: exports\.create/);
    assert.match(text, /GET \/mystery\/: not in the extension's table/);
    assertNoPartOf(key.key, text, 'avala_requiredScopes');
  });

  it("avala_validateKey checks the key now through the validator: a key revoked in Mission Control turns invalid with Avala's words", async () => {
    const since = (await emulator.requestsSince(0)).at(-1)?.seq ?? 0;
    await emulator.revokeKey(key.id);
    const text = await invoke('avala_validateKey', {});
    assert.match(text, /^Checked the key with Avala just now\./);
    assert.match(text, /State: invalid or revoked\./);
    assert.match(text, /Avala's words: "Invalid API key\."/);
    assertNoPartOf(key.key, text, 'avala_validateKey');
    fs.writeFileSync(path.join(resultsDir, 'integration', 'avala_validateKey-result.txt'), text);
    const sent = (await emulator.requestsSince(since)).filter((r) => r.keyId === key.id);
    assert.equal(sent.length, 1, 'one check was sent');
  });

  it('two avala_validateKey calls at once share one request (the validator coalesces them)', async () => {
    const since = (await emulator.requestsSince(0)).at(-1)?.seq ?? 0;
    const [a, b] = await Promise.all([invoke('avala_validateKey', {}), invoke('avala_validateKey', {})]);
    assert.match(a, /invalid or revoked/);
    assert.match(b, /invalid or revoked/);
    const sent = (await emulator.requestsSince(since)).filter((r) => r.keyId === key.id);
    assert.equal(sent.length, 1);
  });

  it('in Restricted Mode every tool answers only that it is off: no key named, no check sent', async () => {
    const store = new KeyStore({
      secrets: new SharedKeyring().window(),
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
    });
    try {
      await store.add({
        value: key.key,
        label: 'restricted-key',
        environment: 'production',
        baseUrl: meta.baseUrl,
        source: 'login',
        scopes: [],
      });
      let validations = 0;
      const validator = { validate: async () => (validations++, undefined), isChecking: () => false };
      const tools = new AgentTools({ store, validator, isTrusted: () => false });
      const answers = [
        await tools.keyStatus({}),
        await tools.validateKey({}),
        await tools.requiredScopes({ calls: ['GET /datasets/'] }),
        await tools.validatePreparation({}),
      ];
      for (const text of answers) {
        assert.match(text, /off in Restricted Mode/);
        assert.ok(!text.includes('restricted-key'), 'no key is named');
        assertNoPartOf(key.key, text, 'a Restricted Mode answer');
      }
      assert.equal(validations, 0);
    } finally {
      store.dispose();
    }
  });

  it('the Avala log says which tools ran and holds no part of the key', async () => {
    const socket = process.env.CODE_SERVER_SESSION_SOCKET;
    assert.ok(socket, 'CODE_SERVER_SESSION_SOCKET tells where the user data is');
    const log = await waitFor(
      () => {
        const text = avalaLog(path.dirname(socket)) ?? '';
        return text.includes('Language-model tool avala_requiredScopes invoked.') && text;
      },
      { description: 'the Avala log to name the tools', timeoutMs: 10_000, intervalMs: 100 },
    );
    assert.match(log, /Language-model tool avala_validateKey invoked\./);
    assertNoPartOf(key.key, log, 'the Avala log');
  });
});
