import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type KeyMeta } from '../../src/core/keyIndex';
import { KeyStore } from '../../src/core/keyStore';
import { AvalaMcpServerProvider, type McpDeps } from '../../src/ecosystem/mcpServer';
import { registerMcpServer } from '../../src/ecosystem/registerEcosystem';
import { readMcpSettings } from '../../src/config';
import { DEFAULT_BASE_URL } from '../../src/core/baseUrl';
import { fileSources, filesUnder, searchLeaks } from '../e2e/leakSearch';
import { resultsDir } from '../harness/paths';
import { avalaLog } from '../harness/vscode';
import { waitFor } from '../harness/wait';
import { keyDigest, type McpLaunch } from './mcpStandIn';
import { MemoryMemento, recordingLog, SharedKeyring } from '../support/fakes';
import { acceptingPrompts, logInWith } from './prompts';
import { activatedAvala, apiBaseUrl, emulator, runnerMcp, type AdminKey } from './support';

/** VS Code's id for the one server Avala's provider lists: `<extension id>/<label>`. */
const SERVER_ID = 'avala.avala-vscode/Avala';

/** The user-data folder of the code-server running these tests (its IPC socket lives there). */
function userDataDir(): string | undefined {
  const socket = process.env.CODE_SERVER_SESSION_SOCKET;
  return socket ? path.dirname(socket) : undefined;
}

/** Makes `avala.mcp.command` (user settings) run the stand-in with these arguments. */
async function useStandIn(args: string[]): Promise<void> {
  await vscode.workspace.getConfiguration('avala').update('mcp.command', ['node', STAND_IN, ...args], vscode.ConfigurationTarget.Global);
}

/** Where the compiled stand-in server is (beside this file under out/). */
const STAND_IN = path.join(__dirname, 'mcpStandIn.js');

/** Starts and stops MCP servers through VS Code, and reads what the stand-in recorded. */
class Launches {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-mcp-'));
  private count = 0;

  /**
   * Asks VS Code to start `serverId` (again every few seconds: a provider registered a moment
   * ago may not be listed yet); the stand-in's record, or undefined when none came within `waitMs`.
   */
  async start(serverId: string, waitMs = 30_000): Promise<McpLaunch | undefined> {
    const file = path.join(this.dir, String(++this.count));
    process.env.AVALA_TEST_MCP_LAUNCH = file;
    const read = () => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as McpLaunch) : undefined);
    await vscode.commands.executeCommand('workbench.mcp.stopServer', serverId);
    try {
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline && !read()) {
        void Promise.resolve(vscode.commands.executeCommand('workbench.mcp.startServer', serverId)).catch(() => undefined);
        await waitFor(read, {
          description: 'the stand-in to record its start',
          timeoutMs: Math.min(4_000, Math.max(0, deadline - Date.now())),
          intervalMs: 50,
        }).catch(() => undefined);
      }
      return read();
    } finally {
      await vscode.commands.executeCommand('workbench.mcp.stopServer', serverId);
    }
  }

  /** Every record written in this suite. */
  all(): McpLaunch[] {
    return fs
      .readdirSync(this.dir)
      .filter((name) => !name.endsWith('.tmp'))
      .map((name) => JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as McpLaunch);
  }

  /** Keeps what the stand-in recorded (digests, never keys) in test-results/integration/, for the reader of a run. */
  dispose(name: string): void {
    delete process.env.AVALA_TEST_MCP_LAUNCH;
    const kept = path.join(resultsDir, 'integration', `mcp-launches-${name}.json`);
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    fs.writeFileSync(kept, `${JSON.stringify(this.all(), null, 2)}\n`);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** How often Avala's log says it refused to start the server with this key. */
function refusals(label: string): number {
  const userData = userDataDir();
  assert.ok(userData, 'CODE_SERVER_SESSION_SOCKET tells where the user data is');
  return (avalaLog(userData) ?? '').split(`Did not start the Avala MCP server: "${label}" is a key for`).length - 1;
}

async function resetMcpSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('avala');
  for (const name of ['mcp.enableMutations', 'mcp.command', 'mcp.readsBaseUrl']) {
    await config.update(name, undefined, vscode.ConfigurationTarget.Global);
  }
}

describe("Avala's MCP server, started by VS Code through avala.mcp.command", function () {
  this.timeout(90_000);
  const launches = new Launches();
  let key: AdminKey;
  let meta: KeyMeta;

  before(async () => {
    await activatedAvala();
    await useStandIn(['--stand-in']);
    key = await emulator.createKey({ name: 'mcp-agent', scopes: ['datasets.read', 'exports.create'] });
    meta = await logInWith(key.key);
    // Chosen while the server reads AVALA_BASE_URL; the first test turns that off again.
    await vscode.workspace.getConfiguration('avala').update('mcp.readsBaseUrl', true, vscode.ConfigurationTarget.Global);
    const chosen = await vscode.commands.executeCommand<KeyMeta | undefined>('avala.mcp.chooseKey', meta.id);
    assert.equal(chosen?.id, meta.id);
    await vscode.workspace.getConfiguration('avala').update('mcp.readsBaseUrl', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await resetMcpSettings();
    launches.dispose('emulator-key');
    await vscode.commands.executeCommand('workbench.mcp.stopServer', SERVER_ID);
  });

  it("refuses to start the published server (which always calls api.avala.ai) with the emulator's key: nothing is started, no process gets the key", async () => {
    const before = refusals(meta.label);
    assert.equal(await launches.start(SERVER_ID, 8_000), undefined, 'VS Code started the server with a key for another API');
    assert.deepEqual(launches.all(), []);
    // Refused by Avala when VS Code asked for the key, not merely never started.
    await waitFor(() => refusals(meta.label) > before, { description: 'Avala to log the refusal', timeoutMs: 10_000, intervalMs: 50 });
  });

  it('with avala.mcp.readsBaseUrl, the emulator key goes through together with AVALA_BASE_URL, read-only', async () => {
    await vscode.workspace.getConfiguration('avala').update('mcp.readsBaseUrl', true, vscode.ConfigurationTarget.Global);
    const launch = await launches.start(SERVER_ID);
    assert.ok(launch, 'the stand-in was not started');
    assert.deepEqual(launch.args, ['--stand-in']);
    assert.equal(launch.env.AVALA_API_KEY, keyDigest(key.key));
    assert.equal(launch.env.AVALA_BASE_URL, apiBaseUrl());
    assert.equal(launch.env.AVALA_ALLOW_INSECURE_BASE_URL, '1');
    assert.equal(launch.env.AVALA_MCP_ENABLE_MUTATIONS, undefined);
  });

  it('avala.mcp.enableMutations in user settings turns on AVALA_MCP_ENABLE_MUTATIONS=true', async () => {
    await vscode.workspace.getConfiguration('avala').update('mcp.enableMutations', true, vscode.ConfigurationTarget.Global);
    const launch = await launches.start(SERVER_ID);
    assert.equal(launch?.env.AVALA_MCP_ENABLE_MUTATIONS, 'true');
    assert.equal(launch?.env.AVALA_API_KEY, keyDigest(key.key));
  });

  it('a new avala.mcp.command changes the server VS Code lists and starts', async () => {
    await useStandIn(['--from-a-local-checkout']);
    const launch = await waitFor(
      async () => {
        const started = await launches.start(SERVER_ID);
        return started?.args[0] === '--from-a-local-checkout' && started;
      },
      { description: 'VS Code to start the new command', timeoutMs: 60_000, intervalMs: 50 },
    );
    assert.deepEqual(launch.args, ['--from-a-local-checkout']);
  });

  it('turning avala.mcp.readsBaseUrl off again refuses the emulator key again', async () => {
    await vscode.workspace.getConfiguration('avala').update('mcp.readsBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    const before = launches.all().length;
    const refused = refusals(meta.label);
    assert.equal(await launches.start(SERVER_ID, 8_000), undefined);
    assert.equal(launches.all().length, before);
    await waitFor(() => refusals(meta.label) > refused, { description: 'Avala to log the refusal', timeoutMs: 10_000, intervalMs: 50 });
  });

  it('no file in the workspace or the user data gains the key, in any encoding, no mcp.json is written, and the records hold only a digest', () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the tests run with a folder open');
    const userData = userDataDir();
    assert.ok(userData, 'CODE_SERVER_SESSION_SOCKET tells where the user data is');
    const hits = searchLeaks([{ name: 'MCP key', value: key.key }], fileSources(filesUnder(folder, userData, launches.dir)));
    assert.deepEqual(hits, []);
    assert.equal(fs.existsSync(path.join(folder, '.vscode', 'mcp.json')), false);
    assert.ok(launches.all().length >= 3, 'the stand-in recorded the starts above');
  });
});

describe("a production key, given to the published server through VS Code's MCP API", function () {
  this.timeout(90_000);
  /** The test runner extension declares this provider id, so a provider of its own can be started by VS Code. */
  const TEST_PROVIDER_ID = 'avala.test.mcp';
  const testServerId = () => `${runnerMcp().extensionId}/Avala`;
  const launches = new Launches();
  const value = 'avk_production_mcp_test_value_0001';
  let store: KeyStore | undefined;
  let provider: AvalaMcpServerProvider | undefined;
  let registration: vscode.Disposable | undefined;

  before(async () => {
    await activatedAvala();
    await useStandIn(['--production']);
    store = new KeyStore({ secrets: new SharedKeyring().window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    await store.add({
      value,
      label: 'prod-agent',
      environment: 'production',
      baseUrl: DEFAULT_BASE_URL,
      source: 'login',
      scopes: ['datasets.read'],
    });
    provider = new AvalaMcpServerProvider({
      store,
      log: recordingLog().log,
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
      logIn: async () => undefined,
      openMissionControl: async () => undefined,
      isTrusted: () => true,
      extensionId: runnerMcp().extensionId,
      settings: readMcpSettings,
    });
    registration = runnerMcp().register(TEST_PROVIDER_ID, provider);
  });

  after(async () => {
    await resetMcpSettings();
    launches.dispose('production-key');
    await vscode.commands.executeCommand('workbench.mcp.stopServer', testServerId());
    registration?.dispose();
    provider?.dispose();
    store?.dispose();
  });

  it('starts it with the key in its environment and no base URL, so it calls the API the key belongs to', async () => {
    // A base URL the extension host inherited from the user's shell must not reach the server.
    process.env.AVALA_BASE_URL = 'https://inherited.example/api/v1';
    const launch = await launches.start(testServerId()).finally(() => delete process.env.AVALA_BASE_URL);
    assert.ok(launch, 'the stand-in was not started');
    assert.deepEqual(launch.args, ['--production']);
    assert.equal(launch.env.AVALA_API_KEY, keyDigest(value));
    assert.equal(launch.env.AVALA_BASE_URL, undefined);
    assert.equal(launch.env.AVALA_ALLOW_INSECURE_BASE_URL, undefined);
  });
});

describe('the MCP server provider in this VS Code, with a store of its own', () => {
  const { log, lines: logged } = recordingLog();
  /** The user's settings, but a server that reads AVALA_BASE_URL unless a test says otherwise. */
  let readsBaseUrl = true;
  let store: KeyStore;
  let deps: McpDeps;
  let meta: KeyMeta;

  beforeEach(async () => {
    logged.length = 0;
    store = new KeyStore({ secrets: new SharedKeyring().window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    ({ meta } = await store.add({
      value: 'avk_provider_test_value_1234',
      label: 'agent',
      environment: 'staging',
      baseUrl: 'https://staging.avala.ai/api/v1',
      source: 'login',
      scopes: ['datasets.read'],
    }));
    deps = {
      store,
      log,
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
      logIn: async () => undefined,
      openMissionControl: async () => undefined,
      isTrusted: () => true,
      extensionId: 'avala.avala-vscode',
      settings: () => ({ ...readMcpSettings(), readsBaseUrl }),
    };
    readsBaseUrl = true;
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

  it('for the published server (no AVALA_BASE_URL) a staging key is refused before its value is read, and the log names both hosts', async () => {
    readsBaseUrl = false;
    let reads = 0;
    const getValue = store.getValue.bind(store);
    store.getValue = (id: string) => {
      reads++;
      return getValue(id);
    };
    const provider = new AvalaMcpServerProvider(deps);
    const [listed] = provider.provideMcpServerDefinitions();
    assert.equal(await provider.resolveMcpServerDefinition(listed), undefined);
    assert.equal(reads, 0, 'the key was read from secret storage for a server it may not go to');
    assert.ok(
      logged.some((line) => line.includes('"agent" is a key for staging.avala.ai') && line.includes('sends its key to api.avala.ai')),
      logged.join('\n'),
    );
    provider.dispose();
  });

  it('"Choose Key for MCP Server" offers only keys for the API the server calls', async () => {
    readsBaseUrl = false;
    const { meta: production } = await store.add({
      value: 'avk_provider_test_value_prod',
      label: 'prod',
      environment: 'production',
      baseUrl: DEFAULT_BASE_URL,
      source: 'login',
      scopes: ['datasets.read'],
    });
    const provider = new AvalaMcpServerProvider(deps);
    // The staging key is listed first in the store; the picker's first (pre-selected) row must be the production key.
    const chosen = await acceptingPrompts(provider.chooseKey());
    assert.equal(chosen?.id, production.id);
    // From the Keys view's context menu, the staging key is not taken either: the picker offers the production key instead.
    const fromMenu = await acceptingPrompts(provider.chooseKey(meta.id));
    assert.equal(fromMenu?.id, production.id);
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
    const { meta: other } = await store.add({
      value: 'avk_provider_test_value_5678',
      label: 'other',
      environment: 'staging',
      baseUrl: 'https://staging.avala.ai/api/v1',
      source: 'login',
      scopes: ['tasks.read'],
    });
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
