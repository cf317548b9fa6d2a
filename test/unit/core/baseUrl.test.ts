import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, hostOf, ipv4LoopbackFor, normalizeBaseUrl } from '../../../src/core/baseUrl';

describe('base URL rules', () => {
  it('drops trailing slashes and keeps HTTPS URLs', () => {
    assert.equal(normalizeBaseUrl('https://api.avala.ai/api/v1///'), DEFAULT_BASE_URL);
  });
  it('refuses plain HTTP to another host even when insecure loopback is allowed', () => {
    assert.throws(() => normalizeBaseUrl('http://api.avala.ai/api/v1', true), /HTTPS/);
  });
  it('refuses plain HTTP to loopback unless insecure loopback is allowed', () => {
    assert.throws(() => normalizeBaseUrl('http://127.0.0.1:4010/api/v1'), /allow insecure/);
    assert.equal(normalizeBaseUrl('http://127.0.0.1:4010/api/v1/', true), 'http://127.0.0.1:4010/api/v1');
    assert.equal(normalizeBaseUrl('http://[::1]:4010/api/v1', true), 'http://[::1]:4010/api/v1');
  });
  it('refuses credentials in the URL and other schemes', () => {
    assert.throws(() => normalizeBaseUrl('https://u:p@api.avala.ai/api/v1'));
    assert.throws(() => normalizeBaseUrl('ftp://api.avala.ai/'));
  });
  it("for Avala's TypeScript tools, which refuse http://[::1], suggests the same API on 127.0.0.1", () => {
    assert.equal(ipv4LoopbackFor('http://[::1]:4010/api/v1'), 'http://127.0.0.1:4010/api/v1');
    assert.equal(ipv4LoopbackFor('http://[0:0:0:0:0:0:0:1]:4010/api/v1'), 'http://127.0.0.1:4010/api/v1');
    assert.equal(ipv4LoopbackFor('http://127.0.0.1:4010/api/v1'), undefined);
    assert.equal(ipv4LoopbackFor('http://localhost:4010/api/v1'), undefined);
    assert.equal(ipv4LoopbackFor(DEFAULT_BASE_URL), undefined);
    assert.equal(ipv4LoopbackFor('not a url'), undefined);
  });
  it('names an API by its host and port', () => {
    assert.equal(hostOf(DEFAULT_BASE_URL), 'api.avala.ai');
    assert.equal(hostOf('http://127.0.0.1:4010/api/v1'), '127.0.0.1:4010');
    assert.equal(hostOf('not a url'), 'not a url');
  });
});
