import * as assert from 'node:assert/strict';
import type { ApiErrorReason } from '../../../src/core/errors';
import { isDefinitive, isKeyFailure, isTransientReason, needsAttention, stateFromReason, type KeyState } from '../../../src/core/keyState';

describe('what a key state says about the key', () => {
  // state: [key unusable, says something about the key, needs the user's attention]
  const table: Record<KeyState, [boolean, boolean, boolean]> = {
    unchecked: [false, false, false],
    valid: [false, true, false],
    invalid: [true, true, true],
    expired: [true, true, true],
    missing: [false, true, true],
    forbidden: [false, true, true],
    throttled: [false, false, false],
    unreachable: [false, false, false],
  };
  for (const [state, [failure, definitive, attention]] of Object.entries(table) as [KeyState, [boolean, boolean, boolean]][]) {
    it(`${state}: ${failure ? 'the key is unusable' : 'the key is not unusable'}, ${definitive ? 'definitive' : 'not definitive'}, ${attention ? 'needs attention' : 'needs no attention'}`, () => {
      assert.deepEqual([isKeyFailure(state), isDefinitive(state), needsAttention(state)], [failure, definitive, attention]);
    });
  }
});

describe('which API failures are transient', () => {
  const transient: Record<ApiErrorReason, boolean> = {
    invalidKey: false,
    expiredKey: false,
    missingKey: false,
    forbidden: false,
    validation: false,
    insecureUrl: false,
    rateLimited: true,
    server: true,
    network: true,
    timeout: true,
    redirect: true,
    malformedResponse: true,
    blocked: true,
  };
  for (const [reason, expected] of Object.entries(transient) as [ApiErrorReason, boolean][]) {
    it(`${reason} is ${expected ? '' : 'not '}transient, and a transient failure never makes a key look unusable`, () => {
      assert.equal(isTransientReason(reason), expected);
      if (expected) {
        assert.equal(isDefinitive(stateFromReason(reason)), false);
      }
    });
  }
});
