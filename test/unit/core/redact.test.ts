import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { redact, registerSecret, forgetSecret } from '../../../src/core/redact';

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
