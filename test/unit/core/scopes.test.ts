import * as assert from 'node:assert/strict';
import { scopesCover } from '../../../src/core/scopes';

describe('scopes', () => {
  it('a full-access key covers every request, a scoped key only its scopes', () => {
    assert.equal(scopesCover([], ['datasets.read']), true);
    assert.equal(scopesCover(['datasets.read'], ['datasets.read']), true);
    assert.equal(scopesCover(['exports.create'], ['datasets.read']), false);
    assert.equal(scopesCover(undefined, ['datasets.read']), false);
  });
});
