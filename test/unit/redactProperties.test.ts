// More property-style checks of the one redaction function, beside redact.test.ts: keys of
// any shape once registered, passwords full of regex characters, idempotence, errors and
// nested objects, and the user-facing texts this extension builds around keys.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { forgetSecret, redact, redactValue, registerSecret } from '../../src/core/redact';
import { describeFinding, scanForKeys } from '../../src/security/core/secretScan';
import { describeAttempts } from '../../src/security/core/workspaceSettings';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=';

function embed(secret: string, next: () => number): string[] {
  const noise = () => randomBytes(1 + Math.floor(next() * 6)).toString('base64url');
  return [
    `${noise()} ${secret} ${noise()}`,
    `Error: request to https://api.example.test/v1?token=${secret}&x=${noise()} failed`,
    JSON.stringify({ nested: { list: [noise(), { key: secret }] } }),
    `{"detail": "Invalid API key: ${secret}"}`,
    `X-Avala-Api-Key:${secret}`,
    `'${secret}'`,
    `${secret}\n${noise()}`,
  ];
}

describe('redaction, as properties', () => {
  it('masks a registered key of any legacy shape wherever it appears', () => {
    const next = rng(7);
    for (let i = 0; i < 200; i++) {
      const length = 12 + Math.floor(next() * 40);
      const secret = Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
      registerSecret(secret);
      try {
        for (const text of embed(secret, next)) {
          assert.ok(!redact(text).includes(secret), `leaked ${JSON.stringify(secret)} in ${JSON.stringify(redact(text))}`);
        }
      } finally {
        forgetSecret(secret);
      }
    }
  });

  it('masks passwords made of regular-expression and unicode characters', () => {
    for (const password of ['a+b(c)*d?[e]{2}$^|\\', 'pässwörd-😀-Ω≈ç', '.*.*.*.*', 'x'.repeat(300)]) {
      registerSecret(password);
      try {
        const out = redact(`signup failed for password=${password}; retry with ${password}`);
        assert.ok(!out.includes(password), out);
        assert.equal(out, 'signup failed for password=[REDACTED]; retry with [REDACTED]');
      } finally {
        forgetSecret(password);
      }
    }
  });

  it('is idempotent and leaves text without secrets unchanged', () => {
    const next = rng(11);
    for (let i = 0; i < 300; i++) {
      const text = `${randomBytes(8).toString('hex')} avk_${randomBytes(20).toString('hex')} ${next()} X-Avala-Api-Key: ${randomBytes(20).toString('hex')}`;
      const once = redact(text);
      assert.equal(redact(once), once);
    }
    const plain = 'GET api.avala.ai/api/v1/users/me/permissions/ → HTTP 401, invalidKey (31 ms)';
    assert.equal(redact(plain), plain);
  });

  it('masks keys in errors and nested objects handed to the log', () => {
    const key = `avk_${randomBytes(20).toString('hex')}`;
    assert.ok(!redactValue(new Error(`boom ${key}`)).includes(key));
    assert.ok(!redactValue({ a: [{ b: { c: key } }] }).includes(key));
    const circular: Record<string, unknown> = { key };
    circular.self = circular;
    assert.ok(!redactValue(circular).includes(key));
  });

  it('the hard-coded key diagnostic and the settings message never repeat a key', () => {
    for (let i = 0; i < 100; i++) {
      const hex = randomBytes(20).toString('hex');
      for (const text of [`k = "avk_${hex}"`, `AVALA_API_KEY=${hex}`, `-H "X-Avala-Api-Key: ${hex}"`]) {
        const [finding] = scanForKeys(text).findings;
        for (const lesser of [undefined, 'env', 'ignored'] as const) {
          const message = describeFinding(finding, i % 2 ? 'ci-pipeline' : undefined, lesser);
          assert.ok(!message.includes(hex.slice(0, 36)), message);
          assert.ok(message.includes(hex.slice(-4)), 'the last four characters identify it');
        }
      }
      const settings = describeAttempts([{ setting: 'avala.apiBaseUrl', value: `https://x.example/?k=${hex}`, source: '.vscode/settings.json' }]);
      assert.ok(!settings.includes(hex), settings);
    }
  });
});
