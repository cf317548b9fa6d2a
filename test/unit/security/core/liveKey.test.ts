import * as assert from 'node:assert/strict';
import { describeLiveCheck, liveCheckOf, notLiveAfter, type LiveCheck } from '../../../../src/security/core/liveKey';
import type { ApiErrorReason } from '../../../../src/core/errors';

const KEY = 'avk_b12c82c05dd70f07be32af2818e838471eef6507';
const MASKED = 'avk_…6507';
const HOST = '127.0.0.1:4010';

const fail = (reason: ApiErrorReason, detail?: string, retryAfterSeconds?: number) =>
  liveCheckOf({ failure: { reason, message: `message for ${reason}`, detail, retryAfterSeconds } });

describe('live-leak triage: what one check of a found key means', () => {
  it('a key Avala accepts is live, with the scopes it reported', () => {
    assert.deepEqual(liveCheckOf({ scopes: ['datasets.read'] }), { kind: 'live', scopes: ['datasets.read'] });
    assert.deepEqual(fail('forbidden'), { kind: 'live', scopes: undefined, permissionsHidden: true });
  });

  it('a revoked or expired key is not live, in the API’s words', () => {
    assert.deepEqual(fail('invalidKey', 'Invalid API key.'), { kind: 'notLive', state: 'invalid', detail: 'Invalid API key.' });
    assert.deepEqual(fail('expiredKey', 'API key has expired.'), { kind: 'notLive', state: 'expired', detail: 'API key has expired.' });
  });

  it('throttling, the network, a stripped header or a refused URL say nothing about the key', () => {
    for (const [reason, expected] of [
      ['rateLimited', 'throttled'],
      ['network', 'unreachable'],
      ['timeout', 'unreachable'],
      ['server', 'unreachable'],
      ['malformedResponse', 'unreachable'],
      ['redirect', 'unreachable'],
      ['missingKey', 'notSent'],
      ['insecureUrl', 'refusedUrl'],
    ] as const) {
      const check = fail(reason);
      assert.equal(check.kind, 'unknown', reason);
      assert.equal(check.kind === 'unknown' && check.reason, expected, reason);
      assert.equal(notLiveAfter(check), undefined, `${reason} changes nothing remembered`);
    }
  });

  it('remembers a not-live answer and forgets it when a later check finds the key live', () => {
    assert.equal(notLiveAfter(fail('invalidKey', 'x')), true);
    assert.equal(notLiveAfter(liveCheckOf({ scopes: [] })), false);
  });

  it('says what anyone holding a scoped key can do, each scope with its meaning, and that it is not full access', () => {
    const text = describeLiveCheck(liveCheckOf({ scopes: ['datasets.read', 'exports.create'] }), MASKED, HOST);
    assert.match(text, /^The key avk_…6507 is live at 127\.0\.0\.1:4010\. Not full access: anyone holding it can /);
    assert.match(text, /datasets\.read \(List and retrieve datasets and dataset items\); exports\.create \(Create new exports/);
    assert.match(text, /revoke the key in Mission Control \(Settings → Security\)/);
  });

  it('says a key with no scopes gives full organization access', () => {
    assert.match(describeLiveCheck(liveCheckOf({ scopes: [] }), MASKED, HOST), /full organization access/);
    assert.match(describeLiveCheck(liveCheckOf({ scopes: undefined }), MASKED, HOST), /does not report its scopes/);
    assert.match(describeLiveCheck(fail('forbidden'), MASKED, HOST), /may not read its own permissions/);
  });

  it('says a revoked or expired key is not live, and a check that learned nothing leaves the warning as it is', () => {
    assert.match(
      describeLiveCheck(fail('invalidKey', 'Invalid API key.'), MASKED, HOST),
      /is not live: .*invalid or revoked \("Invalid API key\."\)/,
    );
    assert.match(describeLiveCheck(fail('expiredKey', 'API key has expired.'), MASKED, HOST), /is not live: Avala says it has expired/);
    assert.match(
      describeLiveCheck(fail('rateLimited', undefined, 42), MASKED, HOST),
      /throttling.*try again in 42 seconds\. The warning stays/,
    );
    assert.match(describeLiveCheck(fail('network'), MASKED, HOST), /Cannot reach Avala at 127\.0\.0\.1:4010.*The warning stays/);
    assert.match(describeLiveCheck(fail('missingKey', 'Authentication credentials were not provided.'), MASKED, HOST), /proxy/);
  });

  it('never puts more of the key into its words than the masked form', () => {
    const checks: LiveCheck[] = [
      liveCheckOf({ scopes: ['datasets.read'] }),
      liveCheckOf({ scopes: [] }),
      fail('invalidKey', 'Invalid API key.'),
      fail('expiredKey', 'API key has expired.'),
      fail('rateLimited'),
      fail('network'),
      fail('missingKey'),
      fail('insecureUrl'),
      fail('forbidden'),
    ];
    for (const check of checks) {
      const text = describeLiveCheck(check, MASKED, HOST);
      for (let i = 0; i + 8 <= KEY.length; i++) {
        assert.ok(!text.includes(KEY.slice(i, i + 8)), `${check.kind}: ${text}`);
      }
    }
  });
});
