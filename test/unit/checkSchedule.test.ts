import * as assert from 'node:assert/strict';
import type { KeyCheck, KeyState } from '../../src/core/keyState';
import { BACKOFF_CAP_MS, backoffMs, nextScheduledCheck, startupFreshMinutes, wantsCheck } from '../../src/validation/core/validationPolicy';
import { ScriptedApi, ValidationRig } from '../support/validationRig';

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
    assert.deepEqual([0, 1, 2, 3, 4, 6, 7, 50].map(backoffMs), [0, 30_000, 60_000, 120_000, 240_000, 960_000, BACKOFF_CAP_MS, BACKOFF_CAP_MS]);
  });
});

describe('the next scheduled check', () => {
  const rows: [string, Parameters<typeof nextScheduledCheck>[0], { at: number; trigger: string } | undefined][] = [
    ['a valid result is checked again one interval after it was taken', { check: check('valid', 5), intervalMinutes: 15, earliest: 0, failures: 0, now: NOW }, { at: NOW + 10 * MIN, trigger: 'interval' }],
    ['an overdue result is checked within a second, never in a burst', { check: check('valid', 50), intervalMinutes: 15, earliest: 0, failures: 0, now: NOW }, { at: NOW + 1000, trigger: 'interval' }],
    ['periodic checks off (0) schedules nothing for a settled result', { check: check('expired', 5), intervalMinutes: 0, earliest: 0, failures: 0, now: NOW }, undefined],
    ['a network failure retries when the backoff allows', { check: check('unreachable', 0), intervalMinutes: 15, earliest: NOW + 2 * MIN, failures: 3, now: NOW }, { at: NOW + 2 * MIN, trigger: 'retry' }],
    ['a network failure with periodic checks off is not retried by itself', { check: check('unreachable', 0), intervalMinutes: 0, earliest: NOW + 2 * MIN, failures: 3, now: NOW }, undefined],
    ['a throttle is retried when Avala said, even with periodic checks off', { check: check('throttled', 0, { retryAt: new Date(NOW + 42_000).toISOString() }), intervalMinutes: 0, earliest: NOW + 42_000, failures: 0, now: NOW }, { at: NOW + 42_000, trigger: 'retry' }],
  ];
  for (const [what, input, expected] of rows) {
    it(what, () => {
      assert.deepEqual(nextScheduledCheck(input), expected);
    });
  }
});

describe('check scheduling of the active key', () => {
  let api: ScriptedApi;
  let rig: ValidationRig;
  beforeEach(() => {
    api = new ScriptedApi();
    rig = new ValidationRig(api);
  });
  afterEach(() => rig.dispose());

  it('skips the startup check when the last result is fresh, and checks one interval after it', async () => {
    await rig.addKey(1, { lastCheck: { state: 'valid', minutesAgo: 5 } });
    await rig.scheduler.start();
    assert.equal(api.requests, 0);
    assert.equal(rig.scheduler.next?.at, rig.clock.now() + 10 * MIN);
    await rig.clock.runUntil(rig.clock.now() + 10 * MIN, () => rig.settle());
    assert.equal(api.requests, 1);
  });

  it('checks at startup when the last result is older than the interval', async () => {
    await rig.addKey(1, { lastCheck: { state: 'valid', minutesAgo: 20 } });
    await rig.scheduler.start();
    await rig.settle();
    assert.equal(api.requests, 1);
    assert.equal(rig.checks[0].trigger, 'startup');
  });

  it('checks every interval and stops when the interval is set to 0', async () => {
    const key = await rig.addKey(1);
    await rig.scheduler.start();
    await rig.settle();
    await rig.clock.runUntil(rig.clock.now() + 60 * MIN, () => rig.settle());
    assert.equal(api.requests, 1 + 4);
    rig.settings.intervalMinutes = 0;
    rig.scheduler.settingsChanged();
    assert.equal(rig.scheduler.next, undefined);
    await rig.clock.runUntil(rig.clock.now() + 120 * MIN, () => rig.settle());
    assert.equal(api.requests, 5);
    assert.equal(rig.state(key.id), 'valid');
  });

  it('re-arms the timer when the interval setting changes', async () => {
    await rig.addKey(1, { lastCheck: { state: 'valid', minutesAgo: 1 } });
    await rig.scheduler.start();
    assert.equal(rig.scheduler.next?.at, rig.clock.now() + 14 * MIN);
    rig.settings.intervalMinutes = 5;
    rig.scheduler.settingsChanged();
    assert.equal(rig.scheduler.next?.at, rig.clock.now() + 4 * MIN);
  });

  it('checks a key when it becomes active, but not one checked less than a minute ago', async () => {
    await rig.addKey(1, { lastCheck: { state: 'valid', minutesAgo: 1 } });
    const second = await rig.addKey(2, { lastCheck: { state: 'valid', minutesAgo: 40 } });
    const third = await rig.addKey(3, { lastCheck: { state: 'valid', minutesAgo: 0.5 } });
    await rig.scheduler.start();
    await rig.store.setActive(second.id);
    await rig.settle();
    assert.deepEqual(rig.checks.map((c) => [c.id, c.trigger]), [[second.id, 'switch']]);
    await rig.store.setActive(third.id);
    await rig.settle();
    assert.equal(api.requests, 1);
    assert.equal(rig.scheduler.next?.id, third.id);
  });

  it('checks when the window regains focus after the stale limit, not before', async () => {
    await rig.addKey(1, { lastCheck: { state: 'valid', minutesAgo: 1 } });
    rig.settings.intervalMinutes = 0;
    await rig.scheduler.start();
    rig.clock.skip(20 * MIN);
    await rig.scheduler.focusGained();
    assert.equal(api.requests, 0);
    rig.clock.skip(15 * MIN);
    await rig.scheduler.focusGained();
    await rig.settle();
    assert.equal(api.requests, 1);
    assert.equal(rig.checks[0].trigger, 'focus');
  });

  it('shares one request among triggers that arrive while a check is in flight', async () => {
    const key = await rig.addKey(1);
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const startup = rig.scheduler.start();
    const all = Array.from({ length: 10 }, (_, i) => rig.validator.validate(key.id, i % 2 ? 'command' : 'focus', i % 2 === 1));
    open();
    const outcomes = await Promise.all([startup, ...all]);
    assert.equal(api.requests, 1);
    assert.ok(outcomes.every((o) => o?.check.state === 'valid'));
  });

  it('retries a throttled key when Avala said and not a moment before, even when asked', async () => {
    const key = await rig.addKey(1);
    rig.settings.intervalMinutes = 0;
    api.answer = { fail: 'rateLimited', detail: 'Request was throttled. Expected available in 42 seconds.', retryAfterSeconds: 42 };
    await rig.scheduler.start();
    await rig.settle();
    assert.equal(rig.state(key.id), 'throttled');
    assert.equal(rig.scheduler.next?.at, rig.clock.now() + 42_000);
    api.answer = { scopes: [] };
    for (let s = 0; s < 41; s++) {
      rig.clock.skip(1000);
      const outcome = await rig.validator.validate(key.id, 'command', true);
      assert.equal(outcome?.sent, false);
    }
    assert.equal(api.requests, 1);
    await rig.clock.runUntil(rig.clock.now() + 1000, () => rig.settle());
    assert.equal(api.requests, 2);
    assert.equal(rig.state(key.id), 'valid');
  });

  it('during an outage keeps the key out of "invalid" and bounds requests with backoff, then recovers', async () => {
    const key = await rig.addKey(1, { scopes: ['datasets.read', 'exports.create'], lastCheck: { state: 'valid', minutesAgo: 20 } });
    api.answer = { fail: 'network', detail: 'The Avala API at api.avala.ai refused the connection (ECONNREFUSED).' };
    await rig.scheduler.start();
    await rig.settle();
    // Two hours, the window refocused every minute, the interval running: 120+ triggers.
    for (let minute = 0; minute < 120; minute++) {
      await rig.clock.runUntil(rig.clock.now() + MIN, () => rig.settle());
      await rig.scheduler.focusGained();
      await rig.settle();
      assert.notEqual(rig.state(key.id), 'invalid');
    }
    // 30 s, 1, 2, 4, 8, 16, 30, 30, 30 min … from the first failure: about ten in two hours.
    assert.ok(api.requests <= 11, `sent ${api.requests} requests in two hours of outage`);
    assert.equal(rig.state(key.id), 'unreachable');
    assert.deepEqual(rig.store.get(key.id)?.scopes, ['datasets.read', 'exports.create'], 'the last known scopes survive the outage');
    api.answer = { scopes: ['datasets.read'] };
    await rig.clock.runUntil(rig.clock.now() + 31 * MIN, () => rig.settle());
    assert.equal(rig.state(key.id), 'valid');
    assert.equal(rig.scheduler.next?.trigger, 'interval');
  });
});
