import * as assert from 'node:assert/strict';
import { findKeyAssignments } from '../../../../src/keys/core/dotenv';

describe('.env files', () => {
  it('finds AVALA_API_KEY assignments, exported or quoted, with their line', () => {
    const text = '# settings\nexport AVALA_API_KEY="avk_one"\nOTHER=1\nAVALA_API_KEY=avk_two # comment\nAVALA_API_KEY=${FROM_ELSEWHERE}\n';
    assert.deepEqual(findKeyAssignments(text), [
      { line: 1, value: 'avk_one' },
      { line: 3, value: 'avk_two' },
    ]);
  });
});
