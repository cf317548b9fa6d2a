import * as assert from 'node:assert/strict';
import { fingerprintOf } from '../../../../src/core/keyStore';
import { maskKey } from '../../../../src/core/keyFormat';
import type { KeyCheck, KeyState } from '../../../../src/core/keyState';
import type { KeyMeta } from '../../../../src/core/keyIndex';
import { forgetSecret, registerSecret } from '../../../../src/core/redact';
import {
  keyStatusResult,
  requiredScopesResult,
  restrictedResult,
  validateKeyPreparation,
  validateKeyResult,
  type KeyContext,
} from '../../../../src/agents/core/toolResults';
import { keyMeta } from '../../../support/keyMeta';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const AT = '2026-03-01T11:57:00.000Z';

// Keys of every shape Avala has used: documented, server-generated, older prefix.
const KEYS = ['avk_3f9a1c7e5b2d4068a1c3e5f7b9d2c4e6a8f0b1d3', '0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d', 'ak_live_Zq81Xv0pLm4RtY7uWn2s'];

const STATES: KeyState[] = ['unchecked', 'valid', 'invalid', 'expired', 'missing', 'forbidden', 'throttled', 'unreachable'];

const DETAILS: Record<KeyState, string | undefined> = {
  unchecked: undefined,
  valid: undefined,
  invalid: 'Invalid API key.',
  expired: 'API key has expired.',
  missing: 'Authentication credentials were not provided.',
  forbidden: 'You do not have permission to perform this action.',
  throttled: 'Request was throttled. Expected available in 30 seconds.',
  unreachable: 'connect ECONNREFUSED 127.0.0.1:443',
};

/** Stored metadata for `key`, as the store keeps it: its masked tail and fingerprint too. */
function metaFor(key: string, state: KeyState | 'none', scopes: string[] | undefined): KeyMeta {
  const check: KeyCheck | undefined =
    state === 'none' || state === 'unchecked'
      ? undefined
      : { state, at: AT, detail: DETAILS[state], ...(state === 'throttled' ? { retryAt: '2026-03-01T12:00:30.000Z' } : {}) };
  return keyMeta('k1', scopes, {
    label: 'ci',
    environment: 'production',
    masked: maskKey(key),
    fingerprint: fingerprintOf(key),
    lastCheck: check,
    storedUnchecked: state === 'unchecked' ? true : undefined,
  });
}

/** Every 8-character piece of the key: none may appear in a tool's result. */
function assertNoPartOf(key: string, text: string, where: string): void {
  for (let i = 0; i + 8 <= key.length; i++) {
    const piece = key.slice(i, i + 8);
    assert.ok(!text.includes(piece), `${where}: holds "${piece}", a part of the key`);
  }
  const tail = key.slice(-4);
  assert.ok(!text.includes(`…${tail}`), `${where}: holds the masked tail`);
}

function ctx(key: KeyMeta | undefined, extra: Partial<KeyContext> = {}): KeyContext {
  return { key, checking: false, now: NOW, ...extra };
}

describe('the language-model tool results', () => {
  it('never hold the key nor any 8 characters of it, for every tool and every key state', () => {
    let checked = 0;
    for (const key of KEYS) {
      for (const state of [...STATES, 'none'] as const) {
        for (const scopes of [undefined, [], ['datasets.read']]) {
          const meta = state === 'none' ? undefined : metaFor(key, state, scopes);
          const results: [string, string][] = [
            ['avala_keyStatus', keyStatusResult(ctx(meta))],
            ['avala_keyStatus (folder)', keyStatusResult(ctx(meta, { folder: 'api' }))],
            ['avala_validateKey (sent)', validateKeyResult(ctx(meta), { sent: true })],
            ['avala_validateKey (not sent)', validateKeyResult(ctx(meta), { sent: false })],
            ['avala_validateKey prepare', validateKeyPreparation(meta)],
            ['avala_requiredScopes', requiredScopesResult(ctx(meta), ['GET /datasets/', 'client.exports.create()', 'GET /nope/'])],
            ['restricted', restrictedResult()],
          ];
          for (const [tool, text] of results) {
            assert.ok(text.length > 0, `${tool} says something`);
            assertNoPartOf(key, text, `${tool}, ${state}, scopes ${JSON.stringify(scopes)}`);
            checked++;
          }
        }
      }
    }
    assert.equal(checked, KEYS.length * 9 * 3 * 7);
  });

  it("redact a key that reached a label or Avala's words, so none leaves through them", () => {
    for (const key of KEYS) {
      registerSecret(key);
      try {
        const meta = metaFor(key, 'invalid', undefined);
        meta.label = `copied ${key}`;
        meta.lastCheck = { state: 'invalid', at: AT, detail: `Invalid API key: ${key}` };
        assertNoPartOf(key, keyStatusResult(ctx(meta)), 'a key in the label');
      } finally {
        forgetSecret(key);
      }
    }
  });

  it("say the label, environment, state with Avala's words, scopes with their meaning, the check time and the API host", () => {
    const text = keyStatusResult(ctx(metaFor(KEYS[0], 'invalid', ['datasets.read'])));
    assert.match(text, /"ci" \(environment: production\)/);
    assert.match(text, /State: invalid or revoked\./);
    assert.match(text, /Avala's words: "Invalid API key\."/);
    assert.match(text, /datasets\.read: List and retrieve datasets/);
    assert.match(text, /Last checked: 2026-03-01T11:57:00\.000Z \(3 minutes ago\)/);
    assert.match(text, /API host: api\.avala\.ai/);
  });

  it('say a key with no scopes has full organization access', () => {
    assert.match(keyStatusResult(ctx(metaFor(KEYS[0], 'valid', []))), /full organization access/);
  });

  it('name the folder asked about, and say so when no open folder has that name', () => {
    assert.match(keyStatusResult(ctx(metaFor(KEYS[0], 'valid', []), { folder: 'api' })), /for the folder "api"/);
    assert.match(keyStatusResult(ctx(undefined, { unknownFolder: 'nope' })), /No open workspace folder is called "nope"/);
  });

  it('say when no key is active and how the user gets one', () => {
    assert.match(keyStatusResult(ctx(undefined)), /No Avala key is active for this workspace\.[\s\S]*Log In with API Key/);
  });

  it('say whether a validation was sent or Avala asked to wait', () => {
    const meta = metaFor(KEYS[0], 'throttled', undefined);
    assert.match(validateKeyResult(ctx(meta), { sent: false }), /^Not checked now/);
    assert.match(validateKeyResult(ctx(meta), { sent: false }), /Avala asked to wait until 2026-03-01T12:00:30\.000Z/);
    assert.match(validateKeyResult(ctx(metaFor(KEYS[0], 'valid', [])), { sent: true }), /^Checked the key with Avala just now\./);
  });

  it('prepare a validation by saying which key goes to which host, or that nothing will be sent', () => {
    assert.match(validateKeyPreparation(metaFor(KEYS[0], 'valid', [])), /Checking the Avala key "ci" with api\.avala\.ai/);
    assert.match(validateKeyPreparation(undefined), /nothing will be sent/);
  });
});

describe('the avala_requiredScopes result', () => {
  const scoped = (scopes: string[] | undefined) => ctx(metaFor(KEYS[0], 'valid', scopes));

  it("names each call's scope and the ones the active key lacks", () => {
    const text = requiredScopesResult(scoped(['datasets.read']), ['GET /datasets/', 'POST /exports/']);
    assert.match(text, /- GET \/datasets\/: needs datasets\.read/);
    assert.match(text, /- POST \/exports\/: needs exports\.create/);
    assert.match(text, /lacks: exports\.create\./);
  });

  it('says when the key has every scope, or full access covers them', () => {
    assert.match(requiredScopesResult(scoped(['datasets.read']), ['client.datasets.list()']), /has every scope these calls need/);
    assert.match(requiredScopesResult(scoped([]), ['POST /datasets/']), /full organization access, which covers every call/);
  });

  it('says honestly that a call it does not know has an unknown scope', () => {
    const text = requiredScopesResult(scoped(['datasets.read']), ['client.datasets.frobnicate()']);
    assert.match(text, /client\.datasets\.frobnicate\(\): not in the extension's table/);
    assert.match(text, /a 403 answer means a scope is missing/);
  });

  it("asks for a validation first when the key's scopes are not known, and names no key when none is active", () => {
    assert.match(requiredScopesResult(scoped(undefined), ['GET /datasets/']), /not known yet: validate it/);
    assert.match(requiredScopesResult(ctx(undefined), ['GET /datasets/']), /No Avala key is active/);
  });

  it('says what to pass when no calls were given', () => {
    assert.match(requiredScopesResult(scoped([]), []), /No calls were given/);
  });
});
