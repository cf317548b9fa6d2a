import * as assert from 'node:assert/strict';
import { checkKeyShape, maskKey } from '../../../src/core/keyFormat';

describe('pasted keys', () => {
  it('trims surrounding whitespace and newlines', () => {
    assert.deepEqual(checkKeyShape('  avk_abc123\n'), { ok: true, key: 'avk_abc123' });
  });
  it('accepts keys without the avk_ prefix', () => {
    assert.equal(checkKeyShape('a'.repeat(40)).ok, true);
    assert.equal(checkKeyShape('legacy-key-123').ok, true);
  });
  const refused: [string, string, RegExp][] = [
    ['an inner newline', 'avk_abc\ndef', /line break/],
    ['an inner space', 'avk_abc def', /whitespace/],
    ['a zero-width space', 'avk_abc\u200Bdef', /invisible/],
    ['a control character', 'avk_abc\u0007def', /control/],
    ['10 000 characters', 'a'.repeat(10_000), /characters long/],
    ['nothing', '   ', /empty/],
  ];
  for (const [what, raw, why] of refused) {
    it(`refuses a key with ${what}, saying why`, () => {
      const shape = checkKeyShape(raw);
      assert.equal(shape.ok, false);
      assert.match((shape as { message: string }).message, why);
    });
  }
  it('masks to the prefix and at most the last four characters', () => {
    assert.equal(maskKey(`avk_${'0'.repeat(36)}a1b2`), 'avk_…a1b2');
    assert.equal(maskKey('abc'), '…');
  });
});
