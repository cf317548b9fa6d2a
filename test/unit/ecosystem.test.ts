import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL } from '../../src/core/baseUrl';
import type { KeyMeta } from '../../src/core/keyStore';
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
} from '../../src/ecosystem/core/mcpPlan';
import { accountLabel, diffSessions, isEmptyDiff, keysForSessionRequest, sessionShape } from '../../src/ecosystem/core/sessions';

function key(id: string, scopes: string[] | undefined, extra: Partial<KeyMeta> = {}): KeyMeta {
  return {
    id,
    label: `key-${id}`,
    environment: 'development',
    baseUrl: DEFAULT_BASE_URL,
    addedAt: '2025-01-01T00:00:00.000Z',
    masked: `avk_…${id.padStart(4, '0')}`,
    fingerprint: `fp-${id}`,
    source: 'login',
    scopes,
    ...extra,
  };
}

const datasets = key('ds', ['datasets.read']);
const projects = key('pr', ['projects.read']);
const full = key('full', []);
const unknown = key('unk', undefined);
const broad = key('broad', ['datasets.read', 'datasets.write', 'exports.create']);
const readOnly: McpServerSettings = { command: DEFAULT_MCP_COMMAND, readsBaseUrl: false, enableMutations: false };

describe('keys as authentication sessions', () => {
  const ids = (keys: KeyMeta[]) => keys.map((k) => k.id);

  it('a request for datasets.read gets the keys with that scope and full-access keys, never a key without it', () => {
    assert.deepEqual(ids(keysForSessionRequest([projects, datasets, full], ['datasets.read'])), ['ds', 'full']);
  });

  it('a request for datasets.read gets no session when the only key lacks that scope', () => {
    assert.deepEqual(keysForSessionRequest([projects], ['datasets.read']), []);
  });

  it('a key whose scopes are not known yet answers only requests without scopes', () => {
    assert.deepEqual(ids(keysForSessionRequest([unknown], ['datasets.read'])), []);
    assert.deepEqual(ids(keysForSessionRequest([unknown], undefined)), ['unk']);
    assert.deepEqual(ids(keysForSessionRequest([unknown], [])), ['unk']);
  });

  it('every requested scope must be present', () => {
    assert.deepEqual(ids(keysForSessionRequest([datasets, broad], ['datasets.read', 'exports.create'])), ['broad']);
  });

  it('the active key comes first, then the narrowest key, full access last', () => {
    assert.deepEqual(ids(keysForSessionRequest([full, broad, datasets], ['datasets.read'])), ['ds', 'broad', 'full']);
    assert.deepEqual(ids(keysForSessionRequest([full, broad, datasets], ['datasets.read'], { activeId: 'full' })), ['full', 'ds', 'broad']);
  });

  it('a request for one account answers with that key only', () => {
    assert.deepEqual(ids(keysForSessionRequest([datasets, full], ['datasets.read'], { accountId: 'full' })), ['full']);
    assert.deepEqual(ids(keysForSessionRequest([datasets, projects], ['datasets.read'], { accountId: 'pr' })), []);
  });

  it('the account is labelled with the key label and its environment', () => {
    assert.equal(accountLabel({ label: 'ci-pipeline', environment: 'production' }), 'ci-pipeline (production)');
    assert.equal(sessionShape(datasets).accountLabel, 'key-ds (development)');
  });

  it('a session carries the key scopes, and none for full access', () => {
    assert.deepEqual(sessionShape(broad).scopes, ['datasets.read', 'datasets.write', 'exports.create']);
    assert.deepEqual(sessionShape(full).scopes, []);
  });

  it('a session shape has no key value in it', () => {
    assert.doesNotMatch(JSON.stringify(sessionShape(datasets)), /avk_[0-9a-f]{8}/);
  });
});

describe('session change events', () => {
  const shapes = (...keys: KeyMeta[]) => keys.map(sessionShape);

  it('a new key is added, a removed key is removed', () => {
    const diff = diffSessions(shapes(datasets, projects), shapes(projects, full));
    assert.deepEqual(diff.added.map((s) => s.id), ['full']);
    assert.deepEqual(diff.removed.map((s) => s.id), ['ds']);
    assert.deepEqual(diff.changed, []);
  });

  it('renaming a key, a new environment or new scopes change its session', () => {
    const renamed = { ...datasets, label: 'renamed' };
    const moved = { ...projects, environment: 'production' };
    const rescoped = { ...full, scopes: ['tasks.read'] };
    const diff = diffSessions(shapes(datasets, projects, full), shapes(renamed, moved, rescoped));
    assert.deepEqual(diff.changed.map((s) => s.id), ['ds', 'pr', 'full']);
    assert.equal(diff.changed[0].accountLabel, 'renamed (development)');
  });

  it('a check that learns the scopes of an unchecked key changes its session', () => {
    assert.deepEqual(diffSessions(shapes(unknown), shapes({ ...unknown, scopes: [] })).changed.map((s) => s.id), ['unk']);
  });

  it('a store change that touches no key (switching the active key) is no session change', () => {
    const diff = diffSessions(shapes(datasets, projects), shapes(datasets, projects));
    assert.equal(isEmptyDiff(diff), true);
    assert.equal(isEmptyDiff(diffSessions([], shapes(datasets))), false);
  });
});

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
    assert.notEqual(a, mcpDefinitionVersion(chooseMcpKey([{ ...datasets, scopes: ['datasets.read', 'tasks.read'] }], 'ds', undefined), readOnly));
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
  const emulatorKey = key('emu', ['datasets.read'], { label: 'local', baseUrl: 'http://127.0.0.1:4010/api/v1' });
  const stagingKey = key('stg', ['datasets.read'], { label: 'staging', baseUrl: 'https://staging.avala.ai/api/v1' });
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
