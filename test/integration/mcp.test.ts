import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { KeyStore, type KeyMeta } from '../../src/core/keyStore';
import { AvalaMcpServerProvider, registerMcpServer, type McpDeps } from '../../src/ecosystem/mcpServer';
import type { Log } from '../../src/log';
import { fileSources, filesUnder, searchLeaks } from '../e2e/leakSearch';
import { MemoryMemento, SharedKeyring } from '../unit/fakes';
import { logInWith } from './prompts';
import { activatedAvala, apiBaseUrl, emulator, eventually, type AdminKey } from './support';

/** VS Code's id for the one server Avala's provider lists: `<extension id>/<label>`. */
const SERVER_ID = 'avala.avala-vscode/Avala';

/** The user-data folder of the code-server running these tests (its IPC socket lives there). */
function userDataDir(): string | undefined {
  const socket = process.env.CODE_SERVER_SESSION_SOCKET;
  return socket ? path.dirname(socket) : undefined;
}

describe("Avala's MCP server, started by VS Code", function () {
  this.timeout(90_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-mcp-'));
  const launches = path.join(work, 'launches');
  const originalPath = process.env.PATH;
  let key: AdminKey;
  let meta: KeyMeta;
  let launchCount = 0;

  /** Starts the server through VS Code and returns the AVALA_* environment and arguments it got. */
  async function startServer(): Promise<{ env: Record<string, string>; args: string[] }> {
    const file = path.join(launches, String(++launchCount));
    process.env.AVALA_TEST_MCP_LAUNCH = file;
    await vscode.commands.executeCommand('workbench.mcp.stopServer', SERVER_ID);
    void vscode.commands.executeCommand('workbench.mcp.startServer', SERVER_ID);
    const text = await eventually(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8'), 'VS Code to start the Avala MCP server', 30_000);
    await vscode.commands.executeCommand('workbench.mcp.stopServer', SERVER_ID);
    const [argLine, ...envLines] = text.split('\n').filter(Boolean);
    const env = Object.fromEntries(envLines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    return { env, args: argLine.split(' ') };
  }

  before(async () => {
    await activatedAvala();
    // A stand-in for `npx` first on the extension host's PATH: it records what it was
    // started with, outside the workspace and user data, then idles like a server.
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    fs.mkdirSync(launches);
    fs.writeFileSync(
      path.join(bin, 'npx'),
      '#!/bin/sh\n{ echo "$*"; env | grep "^AVALA_" | grep -v "^AVALA_TEST_"; } > "$AVALA_TEST_MCP_LAUNCH.tmp"\nmv "$AVALA_TEST_MCP_LAUNCH.tmp" "$AVALA_TEST_MCP_LAUNCH"\nexec cat > /dev/null\n',
      { mode: 0o755 },
    );
    process.env.PATH = `${bin}${path.delimiter}${originalPath}`;
    key = await emulator.createKey({ name: 'mcp-agent', scopes: ['datasets.read', 'exports.create'] });
    meta = await logInWith(key.key);
    const chosen = await vscode.commands.executeCommand<KeyMeta | undefined>('avala.mcp.chooseKey', meta.id);
    assert.equal(chosen?.id, meta.id);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.mcp.stopServer', SERVER_ID);
    await vscode.workspace.getConfiguration('avala').update('mcp.enableMutations', undefined, vscode.ConfigurationTarget.Global);
    process.env.PATH = originalPath;
    delete process.env.AVALA_TEST_MCP_LAUNCH;
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('runs npx -y @avala-ai/mcp-server with the chosen key, the key’s API address, read-only', async () => {
    const { env, args } = await startServer();
    assert.deepEqual(args, ['-y', '@avala-ai/mcp-server']);
    assert.equal(env.AVALA_API_KEY, key.key);
    assert.equal(env.AVALA_BASE_URL, apiBaseUrl());
    assert.equal(env.AVALA_ALLOW_INSECURE_BASE_URL, '1');
    assert.equal(env.AVALA_MCP_ENABLE_MUTATIONS, undefined);
  });

  it('avala.mcp.enableMutations in user settings turns on AVALA_MCP_ENABLE_MUTATIONS=true', async () => {
    await vscode.workspace.getConfiguration('avala').update('mcp.enableMutations', true, vscode.ConfigurationTarget.Global);
    const { env } = await startServer();
    assert.equal(env.AVALA_MCP_ENABLE_MUTATIONS, 'true');
    assert.equal(env.AVALA_API_KEY, key.key);
  });

  it('no file in the workspace or the user data gains the key, in any encoding, and no mcp.json is written', () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the tests run with a folder open');
    const userData = userDataDir();
    assert.ok(userData, 'CODE_SERVER_SESSION_SOCKET tells where the user data is');
    const hits = searchLeaks([{ name: 'MCP key', value: key.key }], fileSources(filesUnder(folder, userData)));
    assert.deepEqual(hits, []);
    assert.equal(fs.existsSync(path.join(folder, '.vscode', 'mcp.json')), false);
  });
});

describe('the MCP server provider in this VS Code, with a store of its own', () => {
  const logged: string[] = [];
  const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m), debug: () => undefined } as unknown as Log;
  let store: KeyStore;
  let deps: McpDeps;
  let meta: KeyMeta;

  beforeEach(async () => {
    logged.length = 0;
    store = new KeyStore(new SharedKeyring().window(), new MemoryMemento(), new MemoryMemento());
    ({ meta } = await store.add({ value: 'avk_provider_test_value_1234', label: 'agent', environment: 'staging', baseUrl: 'https://staging.avala.ai/api/v1', source: 'login', scopes: ['datasets.read'] }));
    deps = {
      store,
      log,
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
      logIn: async () => undefined,
      openMissionControl: async () => undefined,
      isTrusted: () => true,
    };
  });
  afterEach(() => store.dispose());

  it('lists one stdio server that VS Code may cache, without the key', async () => {
    const provider = new AvalaMcpServerProvider(deps);
    const [definition] = provider.provideMcpServerDefinitions();
    assert.ok(definition instanceof vscode.McpStdioServerDefinition);
    assert.equal(definition.label, 'Avala');
    assert.equal(definition.command, 'npx');
    assert.deepEqual(definition.args, ['-y', '@avala-ai/mcp-server']);
    assert.doesNotMatch(JSON.stringify(definition), /avk_provider_test_value/);
    assert.equal(definition.env.AVALA_API_KEY, null);
    provider.dispose();
  });

  it('resolves with the key and its own API address at start, in a new definition', async () => {
    const provider = new AvalaMcpServerProvider(deps);
    const [listed] = provider.provideMcpServerDefinitions();
    const resolved = await provider.resolveMcpServerDefinition(listed);
    assert.ok(resolved && resolved !== listed);
    assert.equal(resolved.env.AVALA_API_KEY, 'avk_provider_test_value_1234');
    assert.equal(resolved.env.AVALA_BASE_URL, 'https://staging.avala.ai/api/v1');
    assert.equal(resolved.env.AVALA_MCP_ENABLE_MUTATIONS, null);
    assert.equal(listed.env.AVALA_API_KEY, null, 'the listed definition was changed');
    assert.ok(logged.some((line) => line.includes('Starting the Avala MCP server with "agent"')));
    provider.dispose();
  });

  it('in Restricted Mode resolves to nothing, so VS Code starts no server and no key leaves secret storage', async () => {
    const provider = new AvalaMcpServerProvider({ ...deps, isTrusted: () => false });
    const [listed] = provider.provideMcpServerDefinitions();
    assert.equal(await provider.resolveMcpServerDefinition(listed), undefined);
    assert.ok(logged.some((line) => line.includes('Restricted Mode')));
    provider.dispose();
  });

  it('a new chosen key changes the definition, so VS Code offers to restart the server', async () => {
    const provider = new AvalaMcpServerProvider(deps);
    const before = provider.provideMcpServerDefinitions()[0].version;
    let fired = 0;
    provider.onDidChangeMcpServerDefinitions(() => fired++);
    const { meta: other } = await store.add({ value: 'avk_provider_test_value_5678', label: 'other', environment: 'staging', baseUrl: 'https://staging.avala.ai/api/v1', source: 'login', scopes: ['tasks.read'] });
    await provider.chooseKey(other.id);
    assert.ok(fired > 0);
    assert.notEqual(provider.provideMcpServerDefinitions()[0].version, before);
    assert.equal(provider.choice().key?.id, other.id);
    assert.notEqual(meta.id, other.id);
    provider.dispose();
  });

  it('where VS Code has no MCP API, registration offers nothing, throws nothing and says so in the log', () => {
    const result = registerMcpServer(deps, {});
    assert.deepEqual(result.disposables, []);
    assert.equal(result.provider, undefined);
    assert.ok(logged.some((line) => /MCP is unavailable in this VS Code.*Everything else works/.test(line)));
    assert.deepEqual(registerMcpServer(deps, { registerMcpServerDefinitionProvider: undefined }).disposables, []);
  });
});
