import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AvalaClient, closeSharedTransports, type RequestLogEntry } from '../../../src/core/client';
import { AvalaApiError, type ApiErrorReason } from '../../../src/core/errors';
import { isTransientReason } from '../../../src/core/keyState';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator';
import { KeyStore } from '../../../src/core/keyStore';
import { fakeKey, MemoryMemento, SharedKeyring } from '../../support/fakes';

const PASSWORD = 'Canary-Pa55word!';

function expectReason(reason: ApiErrorReason, ...secrets: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof AvalaApiError, `expected AvalaApiError, got ${String(error)}`);
    assert.equal(error.reason, reason, `reason of: ${error.message}`);
    const text = `${error.message} ${error.detail ?? ''} ${JSON.stringify(error.fieldErrors ?? {})} ${error.stack ?? ''}`;
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `error text leaks a secret: ${text}`);
    }
    return true;
  };
}

describe('AvalaClient against the emulator', function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let log: RequestLogEntry[];
  let client: AvalaClient;

  before(async () => {
    emulator = await startEmulator({ port: 0, quiet: true });
  });
  beforeEach(() => {
    emulator.reset();
    log = [];
    client = new AvalaClient({
      baseUrl: `${emulator.baseUrl}/`,
      allowInsecureLoopback: true,
      timeoutMs: 2000,
      onRequest: (e) => log.push(e),
    });
  });
  after(async () => {
    await closeSharedTransports();
    await emulator.close();
  });

  describe('checking a key', () => {
    it('reads the scopes of a scoped key and sends the key, Accept and the client name', async () => {
      const { key } = emulator.createKey({ name: 'ci', scopes: ['datasets.read', 'exports.create'] });
      const permissions = await client.getPermissions(key);
      assert.deepEqual(permissions.scopes, ['datasets.read', 'exports.create']);
      assert.equal(permissions.fullAccess, false);
      const last = emulator.requests.at(-1)!;
      assert.equal(last.path, '/api/v1/users/me/permissions/');
      assert.equal(last.keySent, true);
      assert.equal(last.client, 'vscode_extension');
    });

    it('calls a key with no scopes full organization access', async () => {
      const { key } = emulator.createKey({ name: 'all', scopes: [] });
      const permissions = await client.getPermissions(key);
      assert.equal(permissions.fullAccess, true);
    });

    it('falls back to the organizations list where the permissions path answers 404', async () => {
      const { key } = emulator.createKey({ name: 'old', scopes: ['datasets.read'] });
      emulator.configure({ permissionsEndpoint: false });
      const permissions = await client.getPermissions(key);
      assert.equal(permissions.source, 'organizations');
      assert.equal(permissions.scopes, undefined);
      assert.deepEqual(
        emulator.requests.map((r) => `${r.path}?${r.query}`.replace(/\?$/, '')),
        ['/api/v1/users/me/permissions/', '/api/v1/organizations/?limit=1'],
      );
    });

    it('reuses one kept-alive connection for consecutive requests', async () => {
      let connections = 0;
      let requests = 0;
      const server = http.createServer((_req, res) => {
        requests++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'customer', scopes: [] }));
      });
      server.on('connection', () => connections++);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const c2 = new AvalaClient({ baseUrl: `http://127.0.0.1:${port}/api/v1`, allowInsecureLoopback: true, timeoutMs: 2000 });
        for (let i = 0; i < 20; i++) {
          await c2.getPermissions('avk_keepalive');
        }
        assert.equal(requests, 20);
        // The first answer can land before its socket is back in the pool, so a second
        // connection may open once; after that every request reuses them.
        assert.ok(connections <= 2, `20 requests opened ${connections} connections`);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('every row of the error table', () => {
    it('an invalid key is invalidKey with the exact detail', async () => {
      await assert.rejects(
        client.getPermissions('avk_' + '1'.repeat(40)),
        (e: unknown) => expectReason('invalidKey', '1'.repeat(40))(e) && (e as AvalaApiError).detail === 'Invalid API key.',
      );
    });
    it('a revoked key is invalidKey', async () => {
      const { id, key } = emulator.createKey({ name: 'r', scopes: [] });
      emulator.revokeKey(id);
      await assert.rejects(client.getPermissions(key), expectReason('invalidKey', key));
    });
    it('an expired key is expiredKey with the exact detail', async () => {
      const { id, key } = emulator.createKey({ name: 'e', scopes: [] });
      emulator.expireKey(id);
      await assert.rejects(
        client.getPermissions(key),
        (e: unknown) => expectReason('expiredKey', key)(e) && (e as AvalaApiError).detail === 'API key has expired.',
      );
    });
    it('a request without the key header is missingKey with the exact detail', async () => {
      await assert.rejects(
        client.request('GET', '/agents/'),
        (e: unknown) => expectReason('missingKey')(e) && (e as AvalaApiError).detail === 'Authentication credentials were not provided.',
      );
    });
    it('a key without the scope is forbidden', async () => {
      const { key } = emulator.createKey({ name: 's', scopes: ['exports.create'] });
      await assert.rejects(
        client.request('GET', '/datasets/', { key }),
        (e: unknown) =>
          expectReason('forbidden', key)(e) && (e as AvalaApiError).detail === 'You do not have permission to perform this action.',
      );
    });
    it('throttling is rateLimited with the seconds to wait and the rate-limit headers', async () => {
      emulator.configure({ rateLimitPerMinute: 2 });
      const { key } = emulator.createKey({ name: 't', scopes: [] });
      await client.getPermissions(key);
      await client.getPermissions(key);
      await assert.rejects(client.getPermissions(key), (e: unknown) => {
        expectReason('rateLimited', key)(e);
        const error = e as AvalaApiError;
        assert.ok(error.retryAfterSeconds! >= 1 && error.retryAfterSeconds! <= 60);
        assert.equal(error.rateLimit?.limit, 2);
        assert.equal(error.rateLimit?.remaining, 0);
        assert.match(error.detail!, /^Request was throttled\. Expected available in \d+ seconds?\.$/);
        return true;
      });
    });
  });

  describe('signing up', () => {
    it('creates an account and returns its key', async () => {
      const result = await client.signUp({ email: 'dev@acme.com', password: PASSWORD, firstName: 'Ada' });
      assert.match(result.apiKey, /^avk_[0-9a-f]{40}$/);
      assert.equal(result.user.email, 'dev@acme.com');
      assert.equal(result.user.firstName, 'Ada');
      assert.equal(emulator.requests.at(-1)!.keySent, false);
    });
    it('names a duplicate email as a validation error on the email', async () => {
      await client.signUp({ email: 'dup@acme.com', password: PASSWORD });
      await assert.rejects(
        client.signUp({ email: 'dup@acme.com', password: PASSWORD }),
        (e: unknown) => expectReason('validation', PASSWORD)(e) && (e as AvalaApiError).detail === 'Email already registered.',
      );
    });
    it('maps an invalid email to its field', async () => {
      await assert.rejects(
        client.signUp({ email: 'not-an-email', password: PASSWORD }),
        (e: unknown) =>
          expectReason('validation', PASSWORD)(e) && (e as AvalaApiError).fieldErrors?.email?.[0] === 'Enter a valid email address.',
      );
    });
    it('maps a weak password to its field without repeating the password', async () => {
      await assert.rejects(
        client.signUp({ email: 'weak@acme.com', password: 'short1' }),
        (e: unknown) => expectReason('validation', 'short1')(e) && !!(e as AvalaApiError).fieldErrors?.password,
      );
    });
    it('the sixth sign-up in a minute is rateLimited with Retry-After', async () => {
      for (let i = 0; i < 5; i++) {
        await client.signUp({ email: `u${i}@acme.com`, password: PASSWORD }).catch(() => undefined);
      }
      await assert.rejects(
        client.signUp({ email: 'u6@acme.com', password: PASSWORD }),
        (e: unknown) => expectReason('rateLimited', PASSWORD)(e) && (e as AvalaApiError).retryAfterSeconds! >= 1,
      );
    });
  });

  describe('transport failures', () => {
    it('refuses plain HTTP to loopback unless insecure loopback is allowed', () => {
      assert.throws(() => new AvalaClient({ baseUrl: emulator.baseUrl }), expectReason('insecureUrl'));
      assert.throws(
        () => new AvalaClient({ baseUrl: 'http://api.avala.ai/api/v1', allowInsecureLoopback: true }),
        expectReason('insecureUrl'),
      );
    });

    it('does not follow a redirect, so no key reaches the other host', async () => {
      const other = await listenCounting();
      try {
        const { key } = emulator.createKey({ name: 'x', scopes: [] });
        // The emulator's redirect points at another host; we also check a target we control.
        emulator.setFault({ mode: 'redirect', count: 1 });
        await assert.rejects(
          client.getPermissions(key),
          (e: unknown) => expectReason('redirect', key)(e) && (e as AvalaApiError).status === 302,
        );
        const redirector = await listenRedirecting(other.url);
        try {
          const c2 = new AvalaClient({ baseUrl: redirector.url, allowInsecureLoopback: true, timeoutMs: 2000 });
          await assert.rejects(c2.getPermissions(key), expectReason('redirect', key));
        } finally {
          await redirector.close();
        }
        assert.equal(other.hits(), 0, 'the redirect target received no request');
      } finally {
        await other.close();
      }
    });

    it('a path without its trailing slash (the seed example GET /agents) is answered 301, which is a redirect error and is not followed', async () => {
      const { key } = emulator.createKey({ name: 'slash', scopes: [] });
      await assert.rejects(client.request('GET', '/agents', { key }), (e: unknown) => {
        expectReason('redirect', key)(e);
        const error = e as AvalaApiError;
        assert.equal(error.status, 301);
        assert.equal(error.location, '/api/v1/agents/');
        assert.ok(isTransientReason(error.reason), 'a redirect says nothing about the key');
        return true;
      });
      await assert.rejects(
        client.request('GET', '/organizations', { key, query: { limit: '1' } }),
        (e: unknown) => expectReason('redirect', key)(e) && (e as AvalaApiError).location === '/api/v1/organizations/?limit=1',
      );
      assert.deepEqual(
        emulator.requests.map((r) => [r.path, r.status]),
        [
          ['/api/v1/agents', 301],
          ['/api/v1/organizations', 301],
        ],
        'only the slashless requests reached the emulator: the slashed Location was never requested',
      );
      assert.deepEqual(
        log.map((e) => [e.path, e.outcome, e.status]),
        [
          ['/agents', 'redirect', 301],
          ['/organizations', 'redirect', 301],
        ],
      );
    });

    it('a server error is server, a malformed body is malformedResponse', async () => {
      const { key } = emulator.createKey({ name: 'f', scopes: [] });
      emulator.setFault({ mode: 'error500', count: 1 });
      await assert.rejects(client.getPermissions(key), expectReason('server', key));
      emulator.setFault({ mode: 'malformed', count: 1 });
      await assert.rejects(client.getPermissions(key), expectReason('malformedResponse', key));
      emulator.setFault({ mode: 'html', count: 1 });
      await assert.rejects(client.getPermissions(key), expectReason('server', key));
      emulator.setFault({ mode: 'empty', count: 1 });
      await assert.rejects(client.getPermissions(key), expectReason('malformedResponse', key));
    });

    it('a reset connection is network', async () => {
      const { key } = emulator.createKey({ name: 'n', scopes: [] });
      emulator.setFault({ mode: 'reset', count: 1 });
      await assert.rejects(client.getPermissions(key), expectReason('network', key));
    });

    it('a refused connection is network', async () => {
      const closed = await listenCounting();
      await closed.close();
      const c2 = new AvalaClient({ baseUrl: closed.url, allowInsecureLoopback: true, timeoutMs: 2000 });
      await assert.rejects(c2.getPermissions('avk_x'), expectReason('network'));
    });

    it('a server slower than the timeout is timeout', async () => {
      const { key } = emulator.createKey({ name: 'slow', scopes: [] });
      emulator.setFault({ mode: 'latency', ms: 1500, count: 1 });
      const fast = new AvalaClient({ baseUrl: emulator.baseUrl, allowInsecureLoopback: true, timeoutMs: 300 });
      const started = Date.now();
      await assert.rejects(fast.getPermissions(key), expectReason('timeout', key));
      assert.ok(Date.now() - started < 1400, 'gave up at the timeout, not when the server answered');
    });

    it('a 2 GB Content-Length is refused without reading it', async () => {
      const { key } = emulator.createKey({ name: 'huge', scopes: [] });
      emulator.setFault({ mode: 'huge', count: 1 });
      const before = process.memoryUsage().rss;
      await assert.rejects(client.getPermissions(key), expectReason('malformedResponse', key));
      assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024);
    });

    it('a body over 1 MiB without Content-Length is cut off', async () => {
      const { key } = emulator.createKey({ name: 'big', scopes: [] });
      emulator.setFault({ mode: 'oversized', count: 1 });
      await assert.rejects(
        client.getPermissions(key),
        (e: unknown) => expectReason('malformedResponse', key)(e) && /1048576/.test((e as Error).message),
      );
    });

    it('logs each request by host, path and outcome, never the key', async () => {
      const { key } = emulator.createKey({ name: 'log', scopes: [] });
      await client.getPermissions(key);
      emulator.setFault({ mode: 'error500', count: 1 });
      await client.getPermissions(key).catch(() => undefined);
      assert.deepEqual(
        log.map((e) => [e.path, e.outcome, e.status]),
        [
          ['/users/me/permissions/', 'ok', 200],
          ['/users/me/permissions/', 'server', 500],
        ],
      );
      assert.ok(!JSON.stringify(log).includes(key));
    });
  });
});

async function listenCounting(): Promise<{ url: string; hits(): number; close(): Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function listenRedirecting(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(307, { location: `${target}${req.url}` });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Issue 7's "bad input" list, for what the tests above do not already cover: pasted keys
// that must never be sent, an HTML page answered with 200, a unicode sign-up email, and a
// sign-up answer with a line break around the key. Each ends in a clear message and changes
// nothing stored.
describe('bad input', function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let client: AvalaClient;

  before(async () => {
    emulator = await startEmulator({ port: 0, quiet: true });
  });
  beforeEach(() => {
    emulator.reset();
    client = new AvalaClient({ baseUrl: emulator.baseUrl, allowInsecureLoopback: true, timeoutMs: 2000 });
  });
  after(async () => {
    await closeSharedTransports();
    await emulator.close();
  });

  const refused: [string, (key: string) => string, RegExp][] = [
    ['a newline inside it', (key) => `${key.slice(0, 20)}\n${key.slice(20)}`, /line break/],
    ['a zero-width space inside it', (key) => `${key.slice(0, 20)}\u200B${key.slice(20)}`, /invisible \(zero-width\)/],
    ['10 000 characters', (key) => key.repeat(250).slice(0, 10_000), /10000 characters long/],
  ];
  for (const [what, spoil, reason] of refused) {
    it(`a key with ${what} is refused with a clear reason and never sent`, async () => {
      const { key } = emulator.createKey({ name: 'pasted', scopes: [] });
      const before = emulator.requests.length;
      await assert.rejects(client.getPermissions(spoil(key)), (error: unknown) => {
        assert.ok(error instanceof AvalaApiError);
        assert.equal(error.reason, 'invalidKey');
        assert.match(error.message, reason);
        assert.ok(!error.message.includes(key.slice(4, 30)), 'the message does not repeat the key');
        return true;
      });
      assert.equal(emulator.requests.length, before, 'no request reached the API');
    });
  }

  it('a surrounding newline, as pasted from a terminal, is trimmed and the key works', async () => {
    const { key } = emulator.createKey({ name: 'trimmed', scopes: ['datasets.read'] });
    assert.deepEqual((await client.getPermissions(`\n  ${key}\r\n`)).scopes, ['datasets.read']);
  });

  it('an HTML page answered with 200 (a captive portal) says it is not JSON, not that the key is bad', async () => {
    const { key } = emulator.createKey({ name: 'portal', scopes: [] });
    emulator.setFault({ mode: 'html', status: 200, count: 1 });
    await assert.rejects(client.getPermissions(key), (error: unknown) => {
      assert.ok(error instanceof AvalaApiError);
      assert.equal(error.reason, 'malformedResponse');
      assert.equal(isTransientReason(error.reason), true);
      assert.match(error.message, /HTTP 200 with a body that is not JSON \(text\/html\)/);
      return true;
    });
  });

  it('signs up with a unicode email and keeps it as typed', async () => {
    const result = await client.signUp({ email: 'zoë.müller@exämple.de', password: 'Unicode-Pa55word' });
    assert.equal(result.user.email, 'zoë.müller@exämple.de');
    assert.deepEqual((await client.getPermissions(result.apiKey)).scopes, []);
  });

  it('the same unicode email in another normalization form is "already registered"', async () => {
    await client.signUp({ email: 'zoë@exämple.de', password: 'Unicode-Pa55word' });
    const decomposed = 'zoë@exämple.de'.normalize('NFD');
    await assert.rejects(client.signUp({ email: decomposed, password: 'Unicode-Pa55word' }), (error: unknown) => {
      assert.ok(error instanceof AvalaApiError);
      assert.equal(error.detail, 'Email already registered.');
      return true;
    });
  });
});

describe('a broken sign-up answer', () => {
  it('a sign-up answer with a line break around the key gives the trimmed key, stored once', async () => {
    const key = fakeKey(77);
    const server = http.createServer((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ user: { uid: 'u1', email: 'dev@acme.com' }, api_key: `\r\n${key}\n` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const broken = new AvalaClient({ baseUrl: `http://127.0.0.1:${port}/api/v1`, allowInsecureLoopback: true, timeoutMs: 2000 });
      const result = await broken.signUp({ email: 'dev@acme.com', password: 'Unicode-Pa55word' });
      assert.equal(result.apiKey, key);
      const ring = new SharedKeyring();
      const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
      const { meta } = await store.add({
        value: result.apiKey,
        label: 'dev',
        environment: 'development',
        baseUrl: broken.baseUrl,
        source: 'signup',
      });
      assert.equal(await store.getValue(meta.id), key);
      assert.equal(
        (await store.add({ value: key, label: 'again', environment: 'development', baseUrl: broken.baseUrl, source: 'login' })).existed,
        true,
      );
    } finally {
      await closeSharedTransports();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
