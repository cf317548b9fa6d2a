import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, hostOf, ipv4LoopbackFor, normalizeBaseUrl } from '../../src/core/baseUrl';
import { findKeyAssignments } from '../../src/keys/core/dotenv';
import { keyEnvironment } from '../../src/core/environment';
import { checkKeyShape, maskKey } from '../../src/core/keyFormat';
import { detailRows, needsRotation } from '../../src/keys/core/keyRows';
import type { KeyMeta } from '../../src/core/keyStore';
import { scopesCover } from '../../src/core/scopes';
import { checkEmailShape, fieldErrorsFromServer } from '../../src/keys/core/signupForm';

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

describe('scopes', () => {
  it('a full-access key covers every request, a scoped key only its scopes', () => {
    assert.equal(scopesCover([], ['datasets.read']), true);
    assert.equal(scopesCover(['datasets.read'], ['datasets.read']), true);
    assert.equal(scopesCover(['exports.create'], ['datasets.read']), false);
    assert.equal(scopesCover(undefined, ['datasets.read']), false);
  });
});

describe('sign-up form', () => {
  it('checks the email shape before sending', () => {
    assert.equal(checkEmailShape('dev@acme.com'), undefined);
    assert.equal(checkEmailShape('josé@exämple.com'), undefined);
    assert.ok(checkEmailShape('dev@acme'));
    assert.ok(checkEmailShape('dev.acme.com'));
    assert.ok(checkEmailShape('dev @acme.com'));
  });
  it('puts "Email already registered." on the email field and field lists on their fields', () => {
    assert.deepEqual(fieldErrorsFromServer(undefined, 'Email already registered.').fields, { email: 'Email already registered.' });
    assert.deepEqual(fieldErrorsFromServer({ password: ['Too short.'], first_name: ['Too long.'] }, undefined).fields, { password: 'Too short.', firstName: 'Too long.' });
    assert.equal(fieldErrorsFromServer({ non_field_errors: ['Try later.'] }, undefined).general, 'Try later.');
  });
});

describe('.env files', () => {
  it('finds AVALA_API_KEY assignments, exported or quoted, with their line', () => {
    const text = '# settings\nexport AVALA_API_KEY="avk_one"\nOTHER=1\nAVALA_API_KEY=avk_two # comment\nAVALA_API_KEY=${FROM_ELSEWHERE}\n';
    assert.deepEqual(findKeyAssignments(text), [
      { line: 1, value: 'avk_one' },
      { line: 3, value: 'avk_two' },
    ]);
  });
});

describe('Keys view rows', () => {
  const meta = (over: Partial<KeyMeta>): KeyMeta => ({
    id: 'k1',
    label: 'ci',
    environment: 'production',
    baseUrl: DEFAULT_BASE_URL,
    addedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    masked: 'avk_…a1b2',
    fingerprint: 'f',
    source: 'login',
    ...over,
  });
  it('shows a full-access key as a warning with the advice to prefer scoped keys', () => {
    const rows = detailRows(meta({ scopes: [] }), 90, false);
    assert.equal(rows[0].label, 'Full organization access');
    assert.equal(rows[0].warning, true);
    assert.match(rows[0].tooltip!, /automation/);
  });
  it('shows each scope with its meaning', () => {
    const rows = detailRows(meta({ scopes: ['datasets.read', 'exports.create'] }), 90, false);
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.label, r.description]), [
      ['datasets.read', 'List and retrieve datasets and dataset items.'],
      ['exports.create', 'Create new exports and download completed exports.'],
    ]);
    assert.ok(rows.some((r) => r.label === 'Added 3 days ago'));
  });
  it('warns to rotate a key older than the policy and not a younger one', () => {
    assert.equal(needsRotation(meta({ addedAt: new Date(Date.now() - 91 * 86_400_000).toISOString() }), 90), true);
    assert.equal(needsRotation(meta({}), 90), false);
    assert.equal(needsRotation(meta({ addedAt: '2000-01-01T00:00:00Z' }), 0), false);
    assert.ok(detailRows(meta({ addedAt: new Date(Date.now() - 100 * 86_400_000).toISOString() }), 90, false).some((r) => r.label === 'Rotate keys regularly'));
  });
});
