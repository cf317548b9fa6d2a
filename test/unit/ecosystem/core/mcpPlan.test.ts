import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL } from '../../../../src/core/baseUrl';
import {
  chooseMcpKey,
  DEFAULT_MCP_COMMAND,
  isFullAccess,
  keyFitsMcpServer,
  mcpCommand,
  mcpDefinitionVersion,
  mcpListedEnvironment,
  mcpServerApi,
  mcpServerEnvironment,
  planMcpStart,
  wrongApiMessage,
  type McpServerSettings,
} from '../../../../src/ecosystem/core/mcpPlan';
import { keyMeta } from '../../../support/keyMeta';

const datasets = keyMeta('ds', ['datasets.read']);
const projects = keyMeta('pr', ['projects.read']);
const full = keyMeta('full', []);
const unknown = keyMeta('unk', undefined);
const readOnly: McpServerSettings = { command: DEFAULT_MCP_COMMAND, readsBaseUrl: false, enableMutations: false };

describe('which key the MCP server gets', () => {
  const keys = [datasets, projects, full];

  it('the active key by default', () => {
    assert.deepEqual(chooseMcpKey(keys, undefined, 'pr'), { key: projects, source: 'active', chosenMissing: undefined });
  });

  it('the key chosen for MCP wins over the active key', () => {
    assert.deepEqual(chooseMcpKey(keys, 'ds', 'pr'), { key: datasets, source: 'chosen' });
  });

  it('a chosen key that was removed falls back to the active key and says so', () => {
    assert.deepEqual(chooseMcpKey(keys, 'gone', 'pr'), { key: projects, source: 'active', chosenMissing: true });
  });

  it('no key at all when none is stored', () => {
    assert.deepEqual(chooseMcpKey([], undefined, undefined), { source: 'none', chosenMissing: undefined });
  });

  it('only a key with an empty scope list counts as full access', () => {
    assert.equal(isFullAccess(full), true);
    assert.equal(isFullAccess(datasets), false);
    assert.equal(isFullAccess(unknown), false);
  });
});

describe('the MCP server environment', () => {
  it('carries the key, read-only, and clears base-URL variables inherited from the shell for the default API', () => {
    assert.deepEqual(mcpServerEnvironment({ key: 'avk_secret', baseUrl: DEFAULT_BASE_URL, enableMutations: false }), {
      AVALA_API_KEY: 'avk_secret',
      AVALA_BASE_URL: null,
      AVALA_ALLOW_INSECURE_BASE_URL: null,
      AVALA_MCP_ENABLE_MUTATIONS: null,
    });
  });

  it('turning on mutations sets AVALA_MCP_ENABLE_MUTATIONS=true', () => {
    assert.equal(mcpServerEnvironment({ key: 'k', baseUrl: DEFAULT_BASE_URL, enableMutations: true }).AVALA_MCP_ENABLE_MUTATIONS, 'true');
  });

  it('a key stored for another API gets that base URL, and a loopback emulator the insecure flag', () => {
    const env = mcpServerEnvironment({ key: 'k', baseUrl: 'http://127.0.0.1:4010/api/v1', enableMutations: false });
    assert.equal(env.AVALA_BASE_URL, 'http://127.0.0.1:4010/api/v1');
    assert.equal(env.AVALA_ALLOW_INSECURE_BASE_URL, '1');
    const staging = mcpServerEnvironment({ key: 'k', baseUrl: 'https://staging.avala.ai/api/v1', enableMutations: false });
    assert.equal(staging.AVALA_BASE_URL, 'https://staging.avala.ai/api/v1');
    assert.equal(staging.AVALA_ALLOW_INSECURE_BASE_URL, null);
  });

  it('the definition VS Code lists and caches has no key and no address', () => {
    const env = mcpListedEnvironment(true);
    assert.equal(env.AVALA_API_KEY, null);
    assert.equal(env.AVALA_BASE_URL, null);
    assert.equal(env.AVALA_MCP_ENABLE_MUTATIONS, 'true');
  });

  it('the definition version changes with the key, its scopes and the mutations flag, and holds no key', () => {
    const a = mcpDefinitionVersion(chooseMcpKey([datasets], 'ds', undefined), readOnly);
    assert.notEqual(a, mcpDefinitionVersion(chooseMcpKey([datasets, projects], 'pr', undefined), readOnly));
    assert.notEqual(
      a,
      mcpDefinitionVersion(chooseMcpKey([{ ...datasets, scopes: ['datasets.read', 'tasks.read'] }], 'ds', undefined), readOnly),
    );
    assert.notEqual(a, mcpDefinitionVersion(chooseMcpKey([datasets], 'ds', undefined), { ...readOnly, enableMutations: true }));
    assert.equal(a, mcpDefinitionVersion(chooseMcpKey([datasets], 'ds', undefined), readOnly));
  });

  it('the definition version changes with avala.mcp.command and avala.mcp.readsBaseUrl, so VS Code lists the new server', () => {
    const a = mcpDefinitionVersion(chooseMcpKey([datasets], 'ds', undefined), readOnly);
    assert.notEqual(a, mcpDefinitionVersion(chooseMcpKey([datasets], 'ds', undefined), { ...readOnly, command: ['avala-mcp'] }));
    assert.notEqual(a, mcpDefinitionVersion(chooseMcpKey([datasets], 'ds', undefined), { ...readOnly, readsBaseUrl: true }));
    // Two commands whose parts join to the same text are still two versions.
    assert.notEqual(
      mcpDefinitionVersion(chooseMcpKey([datasets], 'ds', undefined), { ...readOnly, command: ['node', 'a b'] }),
      mcpDefinitionVersion(chooseMcpKey([datasets], 'ds', undefined), { ...readOnly, command: ['node a', 'b'] }),
    );
  });
});

describe('the MCP server gets a key only for the API it calls', () => {
  const emulatorKey = keyMeta('emu', ['datasets.read'], { label: 'local', baseUrl: 'http://127.0.0.1:4010/api/v1' });
  const stagingKey = keyMeta('stg', ['datasets.read'], { label: 'staging', baseUrl: 'https://staging.avala.ai/api/v1' });
  const readsBaseUrl = { ...readOnly, readsBaseUrl: true };

  it("Avala's published server calls the production API whatever the key's base URL", () => {
    assert.equal(mcpServerApi(readOnly, emulatorKey), DEFAULT_BASE_URL);
    assert.equal(mcpServerApi(readsBaseUrl, emulatorKey), emulatorKey.baseUrl);
  });

  it('by default only production keys fit; a server that reads AVALA_BASE_URL takes every key', () => {
    assert.equal(keyFitsMcpServer(readOnly, datasets), true);
    assert.equal(keyFitsMcpServer(readOnly, { baseUrl: `${DEFAULT_BASE_URL}/` }), true);
    assert.equal(keyFitsMcpServer(readOnly, emulatorKey), false);
    assert.equal(keyFitsMcpServer(readOnly, stagingKey), false);
    assert.equal(keyFitsMcpServer(readsBaseUrl, emulatorKey), true);
    assert.equal(keyFitsMcpServer(readsBaseUrl, stagingKey), true);
  });

  it('a key for another API is refused with both hosts, and no environment with its value is ever made', () => {
    const plan = planMcpStart(readOnly, emulatorKey);
    assert.deepEqual(plan, { kind: 'wrongApi', keyHost: '127.0.0.1:4010', serverHost: 'api.avala.ai' });
    assert.equal('environment' in plan, false);
  });

  it('a production key starts the server with the key and no base URL', () => {
    const plan = planMcpStart(readOnly, datasets);
    assert.equal(plan.kind, 'start');
    const env = plan.kind === 'start' ? plan.environment('avk_production_value') : {};
    assert.equal(env.AVALA_API_KEY, 'avk_production_value');
    assert.equal(env.AVALA_BASE_URL, null);
  });

  it('a server that reads AVALA_BASE_URL gets an emulator key together with its base URL and the insecure flag', () => {
    const plan = planMcpStart(readsBaseUrl, emulatorKey);
    const env = plan.kind === 'start' ? plan.environment('avk_emulator_value') : {};
    assert.equal(env.AVALA_API_KEY, 'avk_emulator_value');
    assert.equal(env.AVALA_BASE_URL, 'http://127.0.0.1:4010/api/v1');
    assert.equal(env.AVALA_ALLOW_INSECURE_BASE_URL, '1');
  });

  it('the refusal names the key, its API host and the server’s', () => {
    const text = wrongApiMessage('local', '127.0.0.1:4010', 'api.avala.ai');
    assert.match(text, /"local"/);
    assert.match(text, /127\.0\.0\.1:4010/);
    assert.match(text, /api\.avala\.ai/);
  });
});

describe('avala.mcp.command', () => {
  it('defaults to npx -y @avala-ai/mcp-server', () => {
    assert.deepEqual(mcpCommand(undefined), { command: ['npx', '-y', '@avala-ai/mcp-server'] });
    assert.deepEqual(DEFAULT_MCP_COMMAND, ['npx', '-y', '@avala-ai/mcp-server']);
  });

  it('takes a program and its arguments as given', () => {
    assert.deepEqual(mcpCommand(['node', '/opt/avala mcp/dist/index.js']), { command: ['node', '/opt/avala mcp/dist/index.js'] });
  });

  it('a value that is not a list of strings with a program first falls back to the default and says why', () => {
    for (const bad of ['npx -y @avala-ai/mcp-server', [], [''], ['node', 3], { command: 'npx' }]) {
      const { command, problem } = mcpCommand(bad);
      assert.deepEqual(command, DEFAULT_MCP_COMMAND, JSON.stringify(bad));
      assert.match(problem ?? '', /avala\.mcp\.command/, JSON.stringify(bad));
    }
  });
});
