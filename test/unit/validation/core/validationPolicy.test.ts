import * as assert from 'node:assert/strict';
import type { KeyCheck, KeyState } from '../../../../src/core/keyState';
import {
  BACKOFF_CAP_MS,
  backoffMs,
  nextScheduledCheck,
  startupFreshMinutes,
  wantsCheck,
} from '../../../../src/validation/core/validationPolicy';

const NOW = Date.parse('2026-01-05T09:00:00Z');
const MIN = 60_000;
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * MIN).toISOString();
const check = (state: KeyState, minutesAgo: number, over: Partial<KeyCheck> = {}): KeyCheck => ({ state, at: at(minutesAgo), ...over });

describe('when a check is worth a request', () => {
  const rows: [string, KeyCheck | undefined, number, boolean][] = [
    ['a key never checked', undefined, 30, true],
    ['a valid result 5 minutes old with a 30-minute limit', check('valid', 5), 30, false],
    ['a valid result 31 minutes old with a 30-minute limit', check('valid', 31), 30, true],
    ['an invalid result 5 minutes old', check('invalid', 5), 30, false],
    ['a network failure a minute ago (the validator still applies backoff)', check('unreachable', 1), 30, true],
    ['a result marked unchecked', check('unchecked', 0), 30, true],
  ];
  for (const [what, c, fresh, expected] of rows) {
    it(`${expected ? 'checks' : 'does not check'} ${what}`, () => {
      assert.equal(wantsCheck(c, fresh, NOW), expected);
    });
  }
  it('treats a result as fresh at startup for the shorter of the interval and the stale limit', () => {
    assert.equal(startupFreshMinutes(15, 30), 15);
    assert.equal(startupFreshMinutes(60, 30), 30);
    assert.equal(startupFreshMinutes(0, 30), 30);
  });
  it('backs off exponentially from 30 seconds and stops growing at 30 minutes', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 6, 7, 50].map(backoffMs), [
      0,
      30_000,
      60_000,
      120_000,
      240_000,
      960_000,
      BACKOFF_CAP_MS,
      BACKOFF_CAP_MS,
    ]);
  });
});

describe('the next scheduled check', () => {
  const rows: [string, Parameters<typeof nextScheduledCheck>[0], { at: number; trigger: string } | undefined][] = [
    [
      'a valid result is checked again one interval after it was taken',
      { check: check('valid', 5), intervalMinutes: 15, earliest: 0, failures: 0, now: NOW },
      { at: NOW + 10 * MIN, trigger: 'interval' },
    ],
    [
      'an overdue result is checked within a second, never in a burst',
      { check: check('valid', 50), intervalMinutes: 15, earliest: 0, failures: 0, now: NOW },
      { at: NOW + 1000, trigger: 'interval' },
    ],
    [
      'periodic checks off (0) schedules nothing for a settled result',
      { check: check('expired', 5), intervalMinutes: 0, earliest: 0, failures: 0, now: NOW },
      undefined,
    ],
    [
      'a network failure retries when the backoff allows',
      { check: check('unreachable', 0), intervalMinutes: 15, earliest: NOW + 2 * MIN, failures: 3, now: NOW },
      { at: NOW + 2 * MIN, trigger: 'retry' },
    ],
    [
      'a network failure with periodic checks off is not retried by itself',
      { check: check('unreachable', 0), intervalMinutes: 0, earliest: NOW + 2 * MIN, failures: 3, now: NOW },
      undefined,
    ],
    [
      'a throttle is retried when Avala said, even with periodic checks off',
      {
        check: check('throttled', 0, { retryAt: new Date(NOW + 42_000).toISOString() }),
        intervalMinutes: 0,
        earliest: NOW + 42_000,
        failures: 0,
        now: NOW,
      },
      { at: NOW + 42_000, trigger: 'retry' },
    ],
  ];
  for (const [what, input, expected] of rows) {
    it(what, () => {
      assert.deepEqual(nextScheduledCheck(input), expected);
    });
  }
});
