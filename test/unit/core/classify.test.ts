import * as assert from 'node:assert/strict';
import { classifyResponse, DETAIL, retryAfterSeconds } from '../../../src/core/classify';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('classifyResponse', () => {
  const table: [string, { status: number; headers: Record<string, string>; body: string }, string][] = [
    ['an invalid or revoked key', json(401, { detail: DETAIL.invalidKey }), 'invalidKey'],
    ['an expired key', json(401, { detail: DETAIL.expiredKey }), 'expiredKey'],
    ['no key header', json(401, { detail: DETAIL.missingKey }), 'missingKey'],
    ['a key without the scope', json(403, { detail: DETAIL.forbidden }), 'forbidden'],
    ['throttling', json(429, { detail: 'Request was throttled. Expected available in 7 seconds.' }, { 'retry-after': '7' }), 'rateLimited'],
    ['field errors', json(400, { email: ['Enter a valid email address.'] }), 'validation'],
    ['nested field errors', json(400, { detail: { password: ['Too short.'] } }), 'validation'],
    ['a server error', json(503, { detail: 'down' }), 'server'],
    ['a redirect', { status: 302, headers: { location: 'http://127.0.0.2/' }, body: '' }, 'redirect'],
    ['an HTML gateway page', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' }, 'server'],
    [
      'HTML with a 200-range status that is not an error',
      { status: 418, headers: { 'content-type': 'text/html' }, body: '<p>teapot</p>' },
      'malformedResponse',
    ],
  ];
  for (const [what, response, reason] of table) {
    it(`names ${what} as ${reason}`, () => {
      assert.equal(classifyResponse(response).reason, reason);
    });
  }

  it('keeps the server words of an unknown 401 and still calls it an authentication failure', () => {
    const error = classifyResponse(json(401, { detail: 'Key disabled by administrator.' }));
    assert.equal(error.reason, 'invalidKey');
    assert.equal(error.detail, 'Key disabled by administrator.');
    assert.equal(classifyResponse(json(401, { detail: 'Token expired at noon.' })).reason, 'expiredKey');
  });

  it('reads the wait of a 429 from Retry-After and the rate-limit headers', () => {
    const error = classifyResponse(
      json(
        429,
        { detail: 'Request was throttled. Expected available in 9 seconds.' },
        { 'retry-after': '9', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1800000000' },
      ),
    );
    assert.equal(error.retryAfterSeconds, 9);
    assert.deepEqual(error.rateLimit, { limit: 100, remaining: 0, reset: 1800000000 });
  });

  it('puts field errors into a field → messages map', () => {
    const error = classifyResponse(json(400, { detail: { password: ['This password is too short.'] } }));
    assert.deepEqual(error.fieldErrors, { password: ['This password is too short.'] });
  });

  it('never repeats a key the server echoed back', () => {
    const key = `avk_${'ab'.repeat(20)}`;
    const error = classifyResponse(json(401, { detail: `Invalid API key ${key}.` }));
    assert.ok(!error.message.includes(key) && !error.detail!.includes(key));
  });
});

describe('retryAfterSeconds', () => {
  it('falls back from Retry-After to the detail sentence to the reset header', () => {
    assert.equal(retryAfterSeconds({ 'retry-after': '12' }, undefined), 12);
    assert.equal(
      retryAfterSeconds({ 'retry-after': new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString() }, undefined, Date.UTC(2030, 0, 1)),
      30,
    );
    assert.equal(retryAfterSeconds({}, 'Request was throttled. Expected available in 4 seconds.'), 4);
    assert.equal(retryAfterSeconds({ 'x-ratelimit-reset': '1000' }, undefined, 990_000), 10);
  });
});
