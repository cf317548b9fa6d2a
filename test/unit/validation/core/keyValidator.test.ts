import * as assert from 'node:assert/strict';
import { closeSharedTransports } from '../../../../src/core/client';
import { DETAIL } from '../../../../src/core/classify';
import type { FaultMode, RunningEmulator } from '../../../emulator/emulator';
import { startEmulator } from '../../../emulator/emulator';
import { startGateway } from '../../../support/proxyGateway';
import { emulatorApi, ValidationRig } from '../../../support/validationRig';

const SECOND = 1000;
const MIN = 60 * SECOND;

describe('key validation against the emulator', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let rig: ValidationRig;
  const sent = () => emulator.requests.length;

  async function storedKey(scopes: string[] = ['datasets.read'], baseUrl = emulator.baseUrl) {
    const created = emulator.createKey({ name: 'ci', scopes });
    const meta = await rig.addKey(1, { baseUrl, value: created.key });
    return { created, id: meta.id };
  }

  before(async () => {
    emulator = await startEmulator({ port: 0, quiet: true });
  });
  beforeEach(() => {
    emulator.reset();
    rig = new ValidationRig(emulatorApi(1000));
  });
  afterEach(() => rig.dispose());
  after(async () => {
    await closeSharedTransports();
    await emulator.close();
  });

  it('records a valid key as valid with its scopes, in one request', async () => {
    const { id } = await storedKey(['datasets.read', 'exports.create']);
    const outcome = await rig.validator.validate(id, 'command', true);
    assert.equal(outcome?.check.state, 'valid');
    assert.deepEqual(rig.store.get(id)?.scopes, ['datasets.read', 'exports.create']);
    assert.equal(sent(), 1);
  });

  it('turns a key revoked in Mission Control into "invalid" with the server\'s words', async () => {
    const { created, id } = await storedKey();
    await rig.validator.validate(id, 'command', true);
    emulator.revokeKey(created.id);
    const outcome = await rig.validator.validate(id, 'command', true);
    assert.equal(outcome?.check.state, 'invalid');
    assert.equal(outcome?.check.detail, DETAIL.invalidKey);
  });

  it('turns an expired key into "expired"', async () => {
    const { created, id } = await storedKey();
    emulator.expireKey(created.id);
    const outcome = await rig.validator.validate(id, 'command', true);
    assert.equal(outcome?.check.state, 'expired');
    assert.equal(outcome?.check.detail, DETAIL.expiredKey);
  });

  it('says the key was not sent when a proxy strips the key header', async () => {
    const gateway = await startGateway(emulator.baseUrl, 'strip');
    try {
      const { id } = await storedKey(['datasets.read'], gateway.baseUrl);
      const outcome = await rig.validator.validate(id, 'command', true);
      assert.equal(outcome?.check.state, 'missing');
      assert.equal(outcome?.check.detail, DETAIL.missingKey);
      assert.equal(emulator.requests.at(-1)?.keySent, false);
    } finally {
      await gateway.close();
    }
  });

  it('says the key works but lacks permission when the check itself is refused with 403', async () => {
    const gateway = await startGateway(emulator.baseUrl, 'forbid');
    try {
      const { id } = await storedKey(['datasets.read'], gateway.baseUrl);
      const outcome = await rig.validator.validate(id, 'command', true);
      assert.equal(outcome?.check.state, 'forbidden');
    } finally {
      await gateway.close();
    }
  });

  const faults: [FaultMode, string, { ms?: number }][] = [
    ['error500', 'a server error', {}],
    ['malformed', 'a body that is not JSON', {}],
    ['reset', 'a connection reset', {}],
    ['latency', 'an answer slower than the timeout', { ms: 3000 }],
    ['html', 'a gateway error page', {}],
  ];
  for (const [mode, what, extra] of faults) {
    it(`shows "cannot reach Avala" for ${what} (${mode}) and keeps the key and its scopes`, async () => {
      const { id } = await storedKey(['datasets.read', 'exports.create']);
      await rig.validator.validate(id, 'command', true);
      emulator.setFault({ mode, ...extra });
      const outcome = await rig.validator.validate(id, 'command', true);
      assert.equal(outcome?.check.state, 'unreachable', outcome?.check.detail);
      assert.doesNotMatch(outcome?.check.detail ?? '', /invalid|expired|revoked/i);
      assert.deepEqual(rig.store.get(id)?.scopes, ['datasets.read', 'exports.create']);
      assert.equal(emulator.requests.at(-1)?.fault, mode);
    });
  }

  it('sends one request for ten concurrent validations of the same key', async () => {
    const { id } = await storedKey();
    emulator.setFault({ mode: 'latency', ms: 200, count: 1 });
    const triggers = ['startup', 'switch', 'command', 'focus', 'interval'] as const;
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => rig.validator.validate(id, triggers[i % 5], i % 2 === 0)));
    assert.equal(sent(), 1);
    assert.ok(outcomes.every((o) => o?.check.state === 'valid'));
  });

  it('under a 429 storm sends nothing before Retry-After, even when a person asks', async () => {
    const { id } = await storedKey();
    emulator.configure({ rateLimitPerMinute: 2 });
    await rig.validator.validate(id, 'command', true);
    await rig.validator.validate(id, 'command', true);
    rig.settings.intervalMinutes = 15;
    void rig.scheduler.start();
    const throttled = await rig.validator.validate(id, 'command', true);
    assert.equal(throttled?.check.state, 'throttled');
    let triggers = 3;
    let violations = 0;
    // Ten simulated minutes, a trigger every 3 seconds: focus, interval, a person's Validate.
    const kinds = ['focus', 'interval', 'command'] as const;
    for (let step = 0; step < 200; step++) {
      await rig.clock.runUntil(rig.clock.now() + 3 * SECOND, () => rig.settle());
      const check = rig.store.get(id)?.lastCheck;
      const retryAt = check?.state === 'throttled' && check.retryAt ? Date.parse(check.retryAt) : 0;
      const before = sent();
      const kind = kinds[step % 3];
      await rig.validator.validate(id, kind, kind === 'command');
      await rig.settle();
      triggers += 1;
      if (rig.clock.now() < retryAt && sent() !== before) {
        violations += 1;
      }
    }
    const throttledAnswers = emulator.requests.filter((r) => r.status === 429).length;
    console.log(
      `      429 storm: ${triggers} triggers and ${rig.clock.fired} timer firings over 10 simulated minutes → ${sent()} requests (${throttledAnswers} answered 429)`,
    );
    assert.equal(violations, 0, 'a request went out before Retry-After');
    assert.ok(sent() <= 2 + 1 + 11, `sent ${sent()} requests`);
  });

  it('during an outage backs off: two hours of triggers send a bounded number of requests and no key turns bad', async () => {
    const { id } = await storedKey();
    await rig.validator.validate(id, 'command', true);
    emulator.setFault({ mode: 'error500' });
    const start = sent();
    void rig.scheduler.start();
    let triggers = 0;
    for (let minute = 0; minute < 120; minute++) {
      await rig.clock.runUntil(rig.clock.now() + MIN, () => rig.settle());
      await rig.scheduler.focusGained();
      await rig.validator.validate(id, 'interval');
      await rig.settle();
      triggers += 2;
      assert.equal(rig.state(id), 'unreachable');
    }
    const during = sent() - start;
    console.log(
      `      outage (HTTP 500): ${triggers} triggers and ${rig.clock.fired} timer firings over 120 simulated minutes → ${during} requests`,
    );
    assert.ok(during <= 11, `sent ${during} requests`);
    emulator.setFault({ mode: 'none' });
    await rig.clock.runUntil(rig.clock.now() + 31 * MIN, () => rig.settle());
    assert.equal(rig.state(id), 'valid');
  });
});
