import * as assert from 'node:assert/strict';
import { keyIdOf } from '../../../src/core/keyArg';

describe('the key a command argument names', () => {
  it('a key id names that key', () => assert.equal(keyIdOf('k1'), 'k1'));
  it('a Keys view row names its key', () => assert.equal(keyIdOf({ keyId: 'k2' }), 'k2'));
  it("a key's metadata names that key", () => assert.equal(keyIdOf({ id: 'k3' }), 'k3'));
  it('a row wins over an id it may also carry', () => assert.equal(keyIdOf({ keyId: 'k4', id: 'key:k4' }), 'k4'));
  it('the Command Palette passes nothing, so the command asks', () => assert.equal(keyIdOf(undefined), undefined));
});
