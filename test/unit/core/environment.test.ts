import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL } from '../../../src/core/baseUrl';
import { keyEnvironment } from '../../../src/core/environment';

describe('environment for processes', () => {
  it('sets only the key for the default API', () => {
    assert.deepEqual(keyEnvironment('k', DEFAULT_BASE_URL), { AVALA_API_KEY: 'k' });
  });
  it('adds the base URL and the insecure flag for a loopback emulator', () => {
    assert.deepEqual(keyEnvironment('k', 'http://127.0.0.1:4010/api/v1'), {
      AVALA_API_KEY: 'k',
      AVALA_BASE_URL: 'http://127.0.0.1:4010/api/v1',
      AVALA_ALLOW_INSECURE_BASE_URL: '1',
    });
    assert.deepEqual(keyEnvironment(undefined, 'https://eu.avala.example/api/v1'), { AVALA_BASE_URL: 'https://eu.avala.example/api/v1' });
  });
});
