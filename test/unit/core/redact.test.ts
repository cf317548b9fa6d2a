import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { redact, registerSecret, forgetSecret, redactValue } from '../../../src/core/redact';
import { describeFinding, scanForKeys } from '../../../src/security/core/secretScan';
import { describeAttempts } from '../../../src/security/core/workspaceSettings';

// A small deterministic generator so a failure can be reproduced from its seed.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FILLER = ['the', 'key', 'is', ':', '=', '"', "'", ',', '{', '}', '\n', ' ', 'Bearer', 'token', 'url', '/', '?', '&', 'x', '0', 'ff'];

function embeddings(secret: string): string[] {
  return [
    secret,
    `X-Avala-Api-Key: ${secret}`,
    `x-avala-api-key:${secret}\r\nAccept: application/json`,
    JSON.stringify({ headers: { 'X-Avala-Api-Key': secret } }),
    JSON.stringify({ api_key: secret, detail: 'ok' }),
    `curl -H "X-Avala-Api-Key: ${secret}" https://api.avala.ai/api/v1/agents`,
    `https://example.test/cb?key=${secret}&x=1`,
    `export AVALA_API_KEY="${secret}"`,
    `AVALA_API_KEY=${secret}`,
    `(${secret})`,
    `[${secret}]`,
    `${secret}.`,
  ];
}

describe('redact', () => {
  it('masks avk_ keys, 40-hex tokens and X-Avala-Api-Key headers wherever they sit in random text', () => {
    const next = rng(42);
    for (let i = 0; i < 300; i++) {
      const hex = randomBytes(20).toString('hex');
      const secret = next() < 0.5 ? `avk_${hex}` : next() < 0.5 ? hex : hex.toUpperCase();
      for (const shape of embeddings(secret)) {
        const words = Array.from({ length: 6 }, () => FILLER[Math.floor(next() * FILLER.length)]);
        const cut = Math.floor(next() * words.length);
        const text = [...words.slice(0, cut), shape, ...words.slice(cut)].join(next() < 0.5 ? ' ' : '');
        const out = redact(text);
        assert.ok(!out.includes(secret), `leaked in: ${JSON.stringify(out)}`);
        assert.ok(!out.toLowerCase().includes(hex.slice(8, 32)), `partial leak in: ${JSON.stringify(out)}`);
      }
    }
  });

  it('masks any header value, whatever its shape', () => {
    assert.equal(redact('X-Avala-Api-Key: legacy-key.123'), 'X-Avala-Api-Key: [REDACTED]');
    assert.equal(redact('{"x-avala-api-key":"sk-live-XYZ"}'), '{"x-avala-api-key":"[REDACTED]"}');
  });

  it('masks registered secrets such as a password, and stops once they are forgotten', () => {
    registerSecret('C4nary-Passw0rd!');
    assert.equal(redact('password=C4nary-Passw0rd! sent'), 'password=[REDACTED] sent');
    forgetSecret('C4nary-Passw0rd!');
    assert.equal(redact('C4nary-Passw0rd!'), 'C4nary-Passw0rd!');
  });

  it('leaves ordinary text and short hex alone', () => {
    const text = 'GET api.avala.ai/users/me/permissions/ → HTTP 200 (12 ms) commit abc123 fingerprint 0123456789abcdef';
    assert.equal(redact(text), text);
  });

  it('masks a 40-hex key even when glued to text that starts with hex letters', () => {
    const hex = 'b12c82c05dd70f07be32af2818e838471eef6507';
    assert.equal(redact(`AVALA_API_KEY=${hex}Bearer`), 'AVALA_API_KEY=[REDACTED]rer');
  });
});

// More property-style checks of the one redaction function: keys of any shape once
// registered, passwords full of regex characters, idempotence, errors and nested objects,
// and the user-facing texts this extension builds around keys.
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
      const settings = describeAttempts([
        { setting: 'avala.apiBaseUrl', value: `https://x.example/?k=${hex}`, source: '.vscode/settings.json' },
      ]);
      assert.ok(!settings.includes(hex), settings);
    }
  });
});
