import * as assert from 'node:assert/strict';
import { AvalaApiError } from '../../../src/core/errors';
import { createFetchTransport } from '../../../src/core/fetchTransport';
import { stateFromReason } from '../../../src/core/keyState';
import { transportContract } from '../../support/transportContract';

transportContract('fetch', () => createFetchTransport());

describe('the fetch transport in a browser', () => {
  const request = {
    method: 'GET' as const,
    url: new URL('https://api.avala.ai/api/v1/users/me/permissions/'),
    headers: { 'x-avala-api-key': 'avk_0000000000000000000000000000000000000abc' },
    timeoutMs: 1000,
    maxBytes: 1024,
  };

  it('a CORS refusal (a TypeError and nothing more) is "blocked": the key shows as unreachable, never invalid', async () => {
    const transport = createFetchTransport({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    const error = await transport.send(request).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AvalaApiError);
    assert.equal(error.reason, 'blocked');
    assert.match(error.message, /The browser blocked the request to api\.avala\.ai/);
    assert.ok(!error.message.includes('avk_'), 'the key is not quoted');
    assert.equal(stateFromReason(error.reason), 'unreachable');
  });

  it('an opaque redirect (what a browser shows the page for redirect: manual) is a "redirect" error', async () => {
    const opaque = { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null } as unknown as Response;
    const transport = createFetchTransport({ fetch: () => Promise.resolve(opaque) });
    await assert.rejects(transport.send(request), (e: unknown) => e instanceof AvalaApiError && e.reason === 'redirect');
  });

  it('asks fetch not to follow redirects and not to send cookies', async () => {
    let init: RequestInit | undefined;
    const transport = createFetchTransport({
      fetch: (_url, given) => {
        init = given;
        return Promise.resolve(new Response('{}', { status: 200 }));
      },
    });
    await transport.send(request);
    assert.equal(init?.redirect, 'manual');
    assert.equal(init?.credentials, 'omit');
  });
});
