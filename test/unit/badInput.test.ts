// Issue 7's "bad input" list, for what client.test.ts does not already cover: pasted keys
// that must never be sent, an HTML page answered with 200, a unicode sign-up email, and a
// keyring error that quotes a key. Each ends in a clear message and changes nothing stored.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AvalaClient, closeSharedTransports } from '../../src/core/client';
import { AvalaApiError } from '../../src/core/errors';
import { KeyStore, KeyringError } from '../../src/core/keyStore';
import { startEmulator, type RunningEmulator } from '../emulator/emulator';
import { MemoryMemento, SharedKeyring, fakeKey } from './fakes';

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
      assert.equal(error.isTransient, true);
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

describe('a keyring that fails', () => {
  it('a keyring error that quotes a key is shown without the key', async () => {
    const key = fakeKey(0xabcdef12345);
    const error = new KeyringError(`The key could not be read (DBus: no such item ${key}).`, 'read');
    assert.ok(!error.message.includes(key));
    assert.match(error.message, /\[REDACTED\]/);
  });

  it('a read failure while adding leaves the stored keys as they were', async () => {
    const keyring = new SharedKeyring();
    const store = new KeyStore({ secrets: keyring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    await store.ready;
    const { meta } = await store.add({ value: fakeKey(1), label: 'kept', environment: 'development', baseUrl: 'https://api.avala.ai/api/v1', source: 'login' });
    const before = [...keyring.data.entries()];
    keyring.failReads = true;
    await assert.rejects(store.add({ value: fakeKey(2), label: 'new', environment: 'development', baseUrl: 'https://api.avala.ai/api/v1', source: 'login' }));
    keyring.failReads = false;
    assert.deepEqual([...keyring.data.entries()], before);
    assert.equal(await store.getValue(meta.id), fakeKey(1));
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
      const { meta } = await store.add({ value: result.apiKey, label: 'dev', environment: 'development', baseUrl: broken.baseUrl, source: 'signup' });
      assert.equal(await store.getValue(meta.id), key);
      assert.equal((await store.add({ value: key, label: 'again', environment: 'development', baseUrl: broken.baseUrl, source: 'login' })).existed, true);
    } finally {
      await closeSharedTransports();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
