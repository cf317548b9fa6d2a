import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AvalaApiError } from '../../../src/core/errors';
import { createTransport, type Transport } from '../../../src/core/transport';
import { transportContract } from '../../support/transportContract';

/** A loopback server whose handler a test writes. */
async function serve(handler: http.RequestListener): Promise<{ url: URL; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/api/v1/users/me/permissions/`),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const request = (url: URL, timeoutMs: number, maxBytes = 1024 * 1024) => ({
  method: 'GET' as const,
  url,
  headers: { accept: 'application/json' },
  timeoutMs,
  maxBytes,
});

describe('the transport', function () {
  this.timeout(10_000);
  let transport: Transport;
  const timers: NodeJS.Timeout[] = [];

  beforeEach(() => {
    transport = createTransport(2000);
  });
  afterEach(async () => {
    timers.splice(0).forEach((t) => clearInterval(t));
    await transport.close();
  });

  it('reads a whole answer, over a kept-alive connection', async () => {
    const sockets = new Set<unknown>();
    const server = await serve((req, res) => {
      sockets.add(req.socket);
      res.setHeader('content-type', 'application/json');
      res.end('{"scopes":["datasets.read"]}');
    });
    try {
      for (let i = 0; i < 6; i++) {
        const answer = await transport.send(request(server.url, 1000));
        assert.equal(answer.status, 200);
        assert.deepEqual(JSON.parse(answer.body), { scopes: ['datasets.read'] });
      }
      // undici may open a second connection while the first is being released, as it does
      // for a bare agent.request(); six requests must not open six.
      assert.ok(sockets.size <= 2, `${sockets.size} connections for 6 requests`);
    } finally {
      await server.close();
    }
  });

  it('gives up on a server that drips its answer a byte at a time, though each byte beats the body timeout', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      timers.push(setInterval(() => res.write(' '), 50));
    });
    try {
      const started = Date.now();
      await assert.rejects(
        transport.send(request(server.url, 300)),
        (error: unknown) => error instanceof AvalaApiError && error.reason === 'timeout',
      );
      // The deadline is two timeouts; the next byte after it ends the exchange.
      const took = Date.now() - started;
      assert.ok(took >= 550 && took < 2000, `gave up after ${took} ms`);
    } finally {
      await server.close();
    }
  });

  it('gives up on a server that goes silent in the middle of its answer', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"scopes":');
    });
    try {
      await assert.rejects(
        transport.send(request(server.url, 300)),
        (error: unknown) => error instanceof AvalaApiError && error.reason === 'timeout',
      );
    } finally {
      await server.close();
    }
  });

  it('drops an answer without Content-Length that grows past the size limit', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('x'.repeat(600));
      res.end('x'.repeat(600));
    });
    try {
      await assert.rejects(
        transport.send(request(server.url, 1000, 1000)),
        (error: unknown) => error instanceof AvalaApiError && error.reason === 'malformedResponse',
      );
    } finally {
      await server.close();
    }
  });
});

transportContract('undici', () => createTransport(2000));
