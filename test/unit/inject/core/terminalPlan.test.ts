import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL } from '../../../../src/core/baseUrl';
import { keyEnvironment } from '../../../../src/core/environment';
import {
  diffEnvironment,
  planDigest,
  planTerminalEnvironment,
  StaleTerminals,
  type ResolvedKey,
} from '../../../../src/inject/core/terminalPlan';

const EMULATOR = 'http://127.0.0.1:4010/api/v1';
const dev: ResolvedKey = { id: 'k1', label: 'dev', environment: 'development', baseUrl: EMULATOR, value: 'avk_dev_0000000000000001' };
const ci: ResolvedKey = { id: 'k2', label: 'ci', environment: 'staging', baseUrl: EMULATOR, value: 'avk_ci_00000000000000002' };
const prod: ResolvedKey = { id: 'k3', label: 'prod', environment: 'production', baseUrl: DEFAULT_BASE_URL, value: 'a'.repeat(40) };

describe('terminal environment plan', () => {
  it('a terminal gets only AVALA_API_KEY when the key belongs to the default Avala API', () => {
    const plan = planTerminalEnvironment({
      workspaceKey: prod,
      folders: [{ uri: 'file:///a', key: prod }],
      configuredBaseUrl: DEFAULT_BASE_URL,
    });
    assert.deepEqual(plan.workspace.env, { AVALA_API_KEY: prod.value });
    assert.equal(plan.folders.size, 0);
  });

  it('a key for the emulator also brings its base URL and the insecure-loopback flag', () => {
    const plan = planTerminalEnvironment({ workspaceKey: dev, folders: [], configuredBaseUrl: DEFAULT_BASE_URL });
    assert.deepEqual(plan.workspace.env, { AVALA_API_KEY: dev.value, AVALA_BASE_URL: EMULATOR, AVALA_ALLOW_INSECURE_BASE_URL: '1' });
  });

  it('the collection description names the key label and its environment', () => {
    const plan = planTerminalEnvironment({ workspaceKey: dev, folders: [], configuredBaseUrl: DEFAULT_BASE_URL });
    assert.match(plan.workspace.description, /"dev" \(development\)/);
    assert.equal(plan.summary, 'the key "dev" (development)');
  });

  it('Restricted Mode (or the setting off) puts nothing in terminals and says why', () => {
    const plan = planTerminalEnvironment({
      blocked: 'Restricted Mode',
      workspaceKey: dev,
      folders: [{ uri: 'file:///a', key: ci }],
      configuredBaseUrl: EMULATOR,
    });
    assert.deepEqual(plan.workspace.env, {});
    assert.equal(plan.folders.size, 0);
    assert.match(plan.workspace.description, /Restricted Mode/);
  });

  it('without a key, only a non-default configured base URL is passed on', () => {
    assert.deepEqual(planTerminalEnvironment({ folders: [], configuredBaseUrl: DEFAULT_BASE_URL }).workspace.env, {});
    assert.deepEqual(planTerminalEnvironment({ folders: [], configuredBaseUrl: EMULATOR }).workspace.env, {
      AVALA_BASE_URL: EMULATOR,
      AVALA_ALLOW_INSECURE_BASE_URL: '1',
    });
  });

  it('a folder with its own key moves every key into per-folder scopes, none unscoped', () => {
    const plan = planTerminalEnvironment({
      workspaceKey: dev,
      folders: [
        { uri: 'file:///app', key: dev },
        { uri: 'file:///ops', key: ci },
      ],
      configuredBaseUrl: DEFAULT_BASE_URL,
    });
    assert.deepEqual(plan.workspace.env, {});
    assert.equal(plan.folders.get('file:///app')?.env.AVALA_API_KEY, dev.value);
    assert.equal(plan.folders.get('file:///ops')?.env.AVALA_API_KEY, ci.value);
    assert.match(plan.folders.get('file:///ops')!.description, /"ci" \(staging\)/);
  });

  it('the digest changes with the key and not with anything else', () => {
    const a = planTerminalEnvironment({ workspaceKey: dev, folders: [], configuredBaseUrl: DEFAULT_BASE_URL });
    const b = planTerminalEnvironment({ workspaceKey: { ...dev, label: 'renamed' }, folders: [], configuredBaseUrl: DEFAULT_BASE_URL });
    const c = planTerminalEnvironment({ workspaceKey: ci, folders: [], configuredBaseUrl: DEFAULT_BASE_URL });
    assert.equal(planDigest(a), planDigest(b));
    assert.notEqual(planDigest(a), planDigest(c));
    assert.doesNotMatch(planDigest(a), new RegExp(dev.value));
  });
});

describe('writing the terminal environment', () => {
  it('re-activating with the same key writes nothing, so VS Code does not flag terminals as stale', () => {
    const env = keyEnvironment(dev.value, dev.baseUrl);
    assert.deepEqual(diffEnvironment({ ...env }, env), { set: [], remove: [] });
  });

  it('switching between two keys of the same API rewrites only AVALA_API_KEY', () => {
    assert.deepEqual(diffEnvironment(keyEnvironment(dev.value, EMULATOR), keyEnvironment(ci.value, EMULATOR)), {
      set: [['AVALA_API_KEY', ci.value]],
      remove: [],
    });
  });

  it('switching to a key for the default API removes the base URL variables', () => {
    assert.deepEqual(diffEnvironment(keyEnvironment(dev.value, EMULATOR), keyEnvironment(prod.value, DEFAULT_BASE_URL)), {
      set: [['AVALA_API_KEY', prod.value]],
      remove: ['AVALA_BASE_URL', 'AVALA_ALLOW_INSECURE_BASE_URL'],
    });
  });

  it("variables that are not Avala's are never touched", () => {
    assert.deepEqual(diffEnvironment({ PATH: '/bin' } as Record<string, string>, {}), { set: [], remove: [] });
  });
});

describe('relaunch offer for terminals opened before a key change', () => {
  it('offers the terminals opened before the change, once', () => {
    const t = new StaleTerminals<string>();
    t.opened('old');
    t.changed();
    t.opened('new');
    assert.deepEqual(t.beginOffer(), ['old']);
    t.endOffer();
    assert.equal(t.beginOffer(), undefined, 'the same change is not offered twice');
  });

  it('does not stack a second offer while one is on screen', () => {
    const t = new StaleTerminals<string>();
    t.opened('a');
    t.changed();
    assert.deepEqual(t.beginOffer(), ['a']);
    t.changed();
    assert.equal(t.beginOffer(), undefined);
    t.endOffer();
  });

  it('offers again after a later change', () => {
    const t = new StaleTerminals<string>();
    t.opened('a');
    t.changed();
    t.beginOffer();
    t.endOffer();
    t.changed();
    assert.deepEqual(t.beginOffer(), ['a']);
  });

  it('a relaunched or closed terminal is no longer stale, and nothing is offered without stale terminals', () => {
    const t = new StaleTerminals<string>();
    t.opened('a');
    t.opened('b');
    t.changed();
    t.refreshed('a');
    t.closed('b');
    assert.deepEqual(t.stale(), []);
    assert.equal(t.beginOffer(), undefined);
  });
});
