import * as assert from 'node:assert/strict';
import { ScriptedApi, ValidationRig } from '../../../support/validationRig';

const MIN = 60_000;

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
    assert.deepEqual(
      rig.checks.map((c) => [c.id, c.trigger]),
      [[second.id, 'switch']],
    );
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
