import * as assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { randomHex, sha256Hex } from '../../../src/core/sha256';
import * as nodeBuild from '../../../src/core/sha256.node';

describe('sha256Hex (fingerprints on every host)', () => {
  it('gives node:crypto and Web Crypto digests for empty, ASCII, multi-byte and block-boundary inputs', async () => {
    const inputs = ['', 'abc', 'avk_' + 'f'.repeat(40), 'ключ 🔑', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'x'.repeat(1000)];
    for (let n = 0; n < 130; n++) {
      inputs.push('k'.repeat(n));
    }
    for (const input of inputs) {
      const expected = createHash('sha256').update(input, 'utf8').digest('hex');
      assert.equal(sha256Hex(input), expected, JSON.stringify(input));
      assert.equal(nodeBuild.sha256Hex(input), expected, 'the Node build gives the same digest');
      const web = Buffer.from(await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode(input))).toString('hex');
      assert.equal(sha256Hex(input), web);
    }
  });

  it('randomHex gives the asked number of random bytes', () => {
    assert.match(randomHex(4), /^[0-9a-f]{8}$/);
    assert.notEqual(randomHex(8), randomHex(8));
    assert.match(nodeBuild.randomHex(4), /^[0-9a-f]{8}$/);
  });
});
