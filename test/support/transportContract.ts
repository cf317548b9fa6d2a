// The client contract every transport keeps (undici in Node, fetch in the browser), as one set
// of cases run against the API emulator for each: what a caller sees for an answer, a redirect,
// a slow or dropped connection, an answer over the size cap, and that no error quotes the key.
import * as assert from 'node:assert/strict';
import { startEmulator, type RunningEmulator } from '../emulator/emulator';
import { AvalaApiError } from '../../src/core/errors';
import type { Transport, TransportRequest } from '../../src/core/transport';

const reasonIs = (reason: string) => (error: unknown) => {
  assert.ok(error instanceof AvalaApiError, `an AvalaApiError, not ${String(error)}`);
  assert.equal(error.reason, reason, error.message);
  return true;
};

export function transportContract(name: string, make: () => Transport): void {
  describe(`${name}: the transport contract against the emulator`, function () {
    this.timeout(15_000);
    let emulator: RunningEmulator;
    let transport: Transport;

    before(async () => {
      emulator = await startEmulator({ port: 0 });
    });
    after(() => emulator.close());
    beforeEach(() => {
      emulator.reset();
      transport = make();
    });
    afterEach(() => transport.close());

    const request = (path: string, key: string, overrides: Partial<TransportRequest> = {}): TransportRequest => ({
      method: 'GET',
      url: new URL(`${emulator.baseUrl}${path}`),
      headers: { accept: 'application/json', 'x-avala-api-key': key },
      timeoutMs: 2000,
      maxBytes: 1024 * 1024,
      ...overrides,
    });

    it('answers status, lower-case headers and the body as text', async () => {
      const key = emulator.createKey({ name: 'contract', scopes: ['datasets.read'] });
      const answer = await transport.send(request('/users/me/permissions/', key.key));
      assert.equal(answer.status, 200);
      assert.match(String(answer.headers['content-type']), /application\/json/);
      assert.ok(JSON.parse(answer.body), answer.body);
      assert.equal(emulator.requests.at(-1)?.keyId, key.id, 'the key reached the API in its header');
    });

    it('hands a redirect back unfollowed: the key is never sent to the Location', async () => {
      const key = emulator.createKey({ name: 'contract' });
      emulator.setFault({ mode: 'redirect', count: 1 });
      const before = emulator.requests.length;
      const answer = await transport.send(request('/users/me/permissions/', key.key));
      assert.ok(answer.status >= 300 && answer.status < 400, `status ${answer.status}`);
      assert.equal(emulator.requests.length, before + 1, 'one request: the redirect was not followed');
    });

    it('answers an API error status as such, with its body', async () => {
      const answer = await transport.send(request('/users/me/permissions/', 'avk_not_a_real_key_0000000000000000000000000000'));
      assert.equal(answer.status, 401);
      assert.ok(answer.body.length > 0);
    });

    it('gives up on an answer slower than the timeout with "timeout"', async () => {
      const key = emulator.createKey({ name: 'contract' });
      emulator.setFault({ mode: 'latency', ms: 3000, count: 1 });
      const started = Date.now();
      await assert.rejects(transport.send(request('/users/me/permissions/', key.key, { timeoutMs: 300 })), reasonIs('timeout'));
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    });

    it('turns a dropped connection into "network"', async () => {
      const key = emulator.createKey({ name: 'contract' });
      emulator.setFault({ mode: 'reset', count: 1 });
      await assert.rejects(transport.send(request('/users/me/permissions/', key.key)), reasonIs('network'));
    });

    it('drops an answer over the size cap with "malformedResponse"', async () => {
      const key = emulator.createKey({ name: 'contract' });
      await assert.rejects(transport.send(request('/users/me/permissions/', key.key, { maxBytes: 8 })), reasonIs('malformedResponse'));
    });

    it('never quotes the key in an error, even when the connection is refused', async () => {
      const key = emulator.createKey({ name: 'contract' });
      const closed = await startEmulator({ port: 0 });
      const url = new URL(`${closed.baseUrl}/users/me/permissions/`);
      await closed.close();
      const error = await transport.send({ ...request('/users/me/permissions/', key.key), url }).then(
        () => assert.fail('a closed port answered'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AvalaApiError && error.reason === 'network', String(error));
      assert.ok(!error.message.includes(key.key) && !JSON.stringify(error).includes(key.key), error.message);
    });
  });
}
