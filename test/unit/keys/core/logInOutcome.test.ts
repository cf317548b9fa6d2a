import * as assert from 'node:assert/strict';
import type { ApiErrorReason } from '../../../../src/core/errors';
import { logInOutcome, type LogInOutcome } from '../../../../src/keys/core/logInOutcome';

const AT = '2026-01-05T09:00:00.000Z';
const HOST = 'api.avala.ai';

describe('what logging in with a pasted key does when Avala does not confirm it', () => {
  const rows: {
    reason: ApiErrorReason;
    detail?: string;
    retryAfterSeconds?: number;
    kind: LogInOutcome['kind'];
    says?: RegExp;
    stored?: string;
  }[] = [
    {
      reason: 'invalidKey',
      detail: 'Invalid API key.',
      kind: 'rejected',
      says: /rejected this key: "Invalid API key\." It is mistyped, or it was revoked\. Nothing was stored\./,
    },
    {
      reason: 'expiredKey',
      detail: 'API key has expired.',
      kind: 'rejected',
      says: /has expired: "API key has expired\." Regenerate it in Mission Control.*Nothing was stored\./,
    },
    {
      reason: 'missingKey',
      detail: 'Authentication credentials were not provided.',
      kind: 'failed',
      says: /did not reach Avala \("Authentication credentials were not provided\."\): a proxy between VS Code and api\.avala\.ai may strip the X-Avala-Api-Key header/,
    },
    { reason: 'insecureUrl', kind: 'failed', says: /^Cannot check the key: the message$/ },
    { reason: 'forbidden', detail: 'You do not have permission.', kind: 'store', stored: 'forbidden' },
    {
      reason: 'rateLimited',
      retryAfterSeconds: 42,
      kind: 'throttled',
      says: /throttling requests; try again in 42 seconds\. Nothing was stored\./,
    },
    { reason: 'rateLimited', kind: 'throttled', says: /try again in 60 seconds/ },
    {
      reason: 'network',
      kind: 'unreachable',
      says: /^Cannot reach Avala at api\.avala\.ai to check the key: the message You can store it unchecked/,
      stored: 'unreachable',
    },
    { reason: 'timeout', kind: 'unreachable', stored: 'unreachable' },
    { reason: 'server', kind: 'unreachable', stored: 'unreachable' },
    { reason: 'redirect', kind: 'unreachable', stored: 'unreachable' },
    { reason: 'malformedResponse', kind: 'unreachable', stored: 'unreachable' },
    { reason: 'validation', kind: 'unreachable', stored: 'unreachable' },
  ];
  for (const row of rows) {
    it(`${row.reason}${row.retryAfterSeconds ? ` (Retry-After ${row.retryAfterSeconds})` : ''}: ${row.kind}${row.stored ? `, stored as ${row.stored} if the user agrees` : ''}`, () => {
      const outcome = logInOutcome(
        { reason: row.reason, message: 'the message', detail: row.detail, retryAfterSeconds: row.retryAfterSeconds },
        HOST,
        AT,
      );
      assert.equal(outcome.kind, row.kind);
      if (row.says) {
        assert.ok('message' in outcome);
        assert.match(outcome.message, row.says);
      }
      if (row.stored) {
        assert.ok('check' in outcome);
        assert.equal(outcome.check.state, row.stored);
        assert.equal(outcome.check.at, AT);
      }
    });
  }

  it("a key that may not read its own permissions is stored with the server's words", () => {
    assert.deepEqual(logInOutcome({ reason: 'forbidden', message: 'HTTP 403', detail: 'You do not have permission.' }, HOST, AT), {
      kind: 'store',
      check: { state: 'forbidden', at: AT, detail: 'You do not have permission.' },
    });
  });

  it("a rejected key without the server's words quotes the error message", () => {
    const outcome = logInOutcome({ reason: 'invalidKey', message: 'HTTP 401' }, HOST, AT);
    assert.ok(outcome.kind === 'rejected' && outcome.message.includes('"HTTP 401"'));
  });

  it("an unreachable Avala keeps what went wrong as the unchecked key's detail", () => {
    const outcome = logInOutcome({ reason: 'timeout', message: 'No answer within 15 s.' }, HOST, AT);
    assert.ok(outcome.kind === 'unreachable');
    assert.deepEqual(outcome.check, { state: 'unreachable', at: AT, detail: 'No answer within 15 s.' });
  });
});
