import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL } from '../../../../src/core/baseUrl';
import {
  decideDebugInjection,
  mergeKeyEnvironment,
  unknownKeyMessage,
  unsafeKeyVariableUses,
  type LaunchConfig,
} from '../../../../src/inject/core/debugPlan';
import { keyEnvironment } from '../../../../src/core/environment';
import type { ResolvedKey } from '../../../../src/inject/core/terminalPlan';

const EMULATOR = 'http://127.0.0.1:4010/api/v1';
const dev: ResolvedKey = { id: 'k1', label: 'dev', environment: 'development', baseUrl: EMULATOR, value: 'avk_dev_0000000000000001' };
const prod: ResolvedKey = { id: 'k3', label: 'prod', environment: 'production', baseUrl: DEFAULT_BASE_URL, value: 'a'.repeat(40) };

describe('debug launches: whether a key is added', () => {
  const on = { trusted: true, injectByDefault: true };
  const node: LaunchConfig = { type: 'node', request: 'launch', name: 'Run' };
  const cases: [string, LaunchConfig, { trusted: boolean; injectByDefault: boolean }, string][] = [
    ['a Node launch gets the active key', node, on, 'inject:env:'],
    ['the pwa-node type VS Code renames node to is known too', { ...node, type: 'pwa-node' }, on, 'inject:env:'],
    [
      '"avalaKey" picks a key even with avala.debug.injectKey off',
      { ...node, avalaKey: 'ci' },
      { trusted: true, injectByDefault: false },
      'inject:env:ci',
    ],
    ['avala.debug.injectKey off leaves a plain configuration alone', node, { trusted: true, injectByDefault: false }, 'leave'],
    ['"avalaKey": false opts one configuration out', { ...node, avalaKey: false }, on, 'leave'],
    ['Restricted Mode adds nothing', node, { trusted: false, injectByDefault: true }, 'leave'],
    [
      'Restricted Mode stops a launch that asks for a key by name',
      { ...node, avalaKey: 'ci' },
      { trusted: false, injectByDefault: true },
      'refuse',
    ],
    ['an attach configuration is left alone', { ...node, request: 'attach' }, on, 'leave'],
    ['an unknown type without env is left alone', { type: 'chrome', request: 'launch', name: 'Web' }, on, 'leave'],
    ['an unknown type with an env object gets the key', { type: 'mydbg', request: 'launch', env: {} }, on, 'inject:env:'],
    ['cppdbg gets the key in its environment list', { type: 'cppdbg', request: 'launch' }, on, 'inject:environment:'],
    [
      'an unknown type cannot be given a key by name: the launch stops',
      { type: 'chrome', request: 'launch', avalaKey: 'ci' },
      on,
      'refuse',
    ],
    ['an "avalaKey" that is not a label stops the launch', { ...node, avalaKey: 3 }, on, 'refuse'],
    [
      "js-debug's child session for the launched process is left alone",
      { ...node, type: 'pwa-node', __pendingTargetId: 't1' },
      on,
      'leave',
    ],
  ];
  for (const [title, config, policy, expected] of cases) {
    it(title, () => {
      const d = decideDebugInjection(config, policy);
      const got = d.action === 'inject' ? `inject:${d.shape}:${d.label ?? ''}` : d.action;
      assert.equal(got, expected);
    });
  }

  it('the message for an unknown label names the label and that the launch stopped, but no stored key', () => {
    const message = unknownKeyMessage('stagin', 'Run with ci');
    assert.match(message, /"stagin"/);
    assert.match(message, /launch was stopped/);
    assert.doesNotMatch(message, /Stored keys|"ci"|"dev"/);
  });
});

describe('debug launches: adding the key to env', () => {
  const env = keyEnvironment(dev.value, EMULATOR);

  it("adds the key and base URL variables, keeping the user's other variables", () => {
    const merged = mergeKeyEnvironment({ type: 'node', env: { DEBUG: '1' } }, 'env', env);
    assert.deepEqual(merged.config.env, { DEBUG: '1', ...env });
    assert.deepEqual(merged.added, Object.keys(env));
  });

  it('resolving the same configuration twice (as VS Code does) changes nothing the second time', () => {
    const once = mergeKeyEnvironment({ type: 'pwa-node' }, 'env', env);
    const twice = mergeKeyEnvironment(once.config, 'env', env);
    assert.deepEqual(twice.config, once.config);
    assert.deepEqual(twice.added, []);
    assert.equal(twice.conflict, undefined);
  });

  it('never overwrites an AVALA_API_KEY the user wrote, and then adds no Avala variable at all', () => {
    const merged = mergeKeyEnvironment({ type: 'node', env: { AVALA_API_KEY: 'theirs' } }, 'env', env);
    assert.deepEqual(merged.config.env, { AVALA_API_KEY: 'theirs' });
    assert.match(merged.conflict!, /own AVALA_API_KEY/);
  });

  it('a null AVALA_API_KEY (the user unsets it) is respected', () => {
    const merged = mergeKeyEnvironment({ type: 'node', env: { AVALA_API_KEY: null } }, 'env', env);
    assert.deepEqual(merged.config.env, { AVALA_API_KEY: null });
    assert.ok(merged.conflict);
  });

  it('does not send a key to a base URL the user set that the key does not belong to', () => {
    const merged = mergeKeyEnvironment({ type: 'node', env: { AVALA_BASE_URL: 'https://other.example/api/v1' } }, 'env', env);
    assert.deepEqual(merged.added, []);
    assert.match(merged.conflict!, /AVALA_BASE_URL/);
    const prodMerge = mergeKeyEnvironment(
      { type: 'node', env: { AVALA_BASE_URL: EMULATOR } },
      'env',
      keyEnvironment(prod.value, DEFAULT_BASE_URL),
    );
    assert.ok(prodMerge.conflict, 'a default-API key is not sent to the emulator either');
  });

  it("a user base URL equal to the key's is fine, and their own flag value is kept", () => {
    const merged = mergeKeyEnvironment(
      { type: 'node', env: { AVALA_BASE_URL: `${EMULATOR}/`, AVALA_ALLOW_INSECURE_BASE_URL: 'true' } },
      'env',
      env,
    );
    assert.deepEqual(merged.added, ['AVALA_API_KEY']);
    assert.deepEqual(merged.kept, ['AVALA_ALLOW_INSECURE_BASE_URL']);
    assert.equal((merged.config.env as Record<string, string>).AVALA_ALLOW_INSECURE_BASE_URL, 'true');
  });

  it("cppdbg's environment list gets name/value entries, after the user's", () => {
    const merged = mergeKeyEnvironment({ type: 'cppdbg', environment: [{ name: 'A', value: '1' }] }, 'environment', { AVALA_API_KEY: 'k' });
    assert.deepEqual(merged.config.environment, [
      { name: 'A', value: '1' },
      { name: 'AVALA_API_KEY', value: 'k' },
    ]);
  });

  it('does not change the configuration object it was given', () => {
    const config = { type: 'node', env: { A: '1' } };
    mergeKeyEnvironment(config, 'env', env);
    assert.deepEqual(config, { type: 'node', env: { A: '1' } });
  });
});

describe('${command:avala.apiKey} placement', () => {
  it('in env (launch) or options.env (tasks) is allowed', () => {
    assert.deepEqual(unsafeKeyVariableUses({ type: 'node', env: { AVALA_API_KEY: '${command:avala.apiKey}' } }), []);
    assert.deepEqual(unsafeKeyVariableUses({ options: { env: { AVALA_API_KEY: '${command:avala.pickKey}' } } }), []);
    assert.deepEqual(
      unsafeKeyVariableUses({ type: 'cppdbg', environment: [{ name: 'AVALA_API_KEY', value: '${command:avala.apiKey}' }] }),
      [],
    );
  });

  it('in args, program or a command line is refused, because VS Code echoes those', () => {
    assert.deepEqual(
      unsafeKeyVariableUses({
        type: 'node',
        program: 'x.js ${command:avala.apiKey}',
        args: ['--key', '${command:avala.pickKey}'],
        env: { A: '${command:avala.apiKey}x' },
      }),
      ['program', 'args[1]'],
    );
    assert.deepEqual(unsafeKeyVariableUses({ type: 'cppdbg', environment: [{ name: '${command:avala.apiKey}', value: 'v' }] }), [
      'environment[0].name',
    ]);
  });
});
