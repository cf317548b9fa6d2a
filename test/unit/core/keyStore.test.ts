import * as assert from 'node:assert/strict';
import { INDEX_SECRET, parseIndex } from '../../../src/core/keyIndex';
import { KeyStore, KeyValueMissingError, KeyringError } from '../../../src/core/keyStore';
import { waitFor } from '../../harness/wait';
import { fakeKey, MemoryMemento, SharedKeyring } from '../../support/fakes';

const base = 'https://api.avala.ai/api/v1';

function newKey(n: number, label = `key ${n}`) {
  return { value: fakeKey(n), label, environment: 'development', baseUrl: base, source: 'login' as const };
}

describe('KeyStore', () => {
  it('keeps key values only in secrets: metadata and mementos never contain the key', async () => {
    const ring = new SharedKeyring();
    const ws = new MemoryMemento();
    const global = new MemoryMemento();
    const store = new KeyStore({ secrets: ring.window(), workspaceState: ws, globalState: global });
    const { meta } = await store.add(newKey(1));
    assert.equal(await store.getValue(meta.id), fakeKey(1));
    assert.ok(!ring.data.get(INDEX_SECRET)!.includes(fakeKey(1)), 'index holds no key value');
    assert.ok(!JSON.stringify(meta).includes(fakeKey(1).slice(4)), 'metadata holds no key value');
    assert.ok(!ws.dump().includes(fakeKey(1)) && !global.dump().includes(fakeKey(1)));
    assert.equal(meta.masked, `avk_…${fakeKey(1).slice(-4)}`);
  });

  it('makes the first key active and falls back to the global default in a new workspace', async () => {
    const ring = new SharedKeyring();
    const global = new MemoryMemento();
    const a = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: global });
    const { meta } = await a.add(newKey(1));
    assert.equal(a.activeId(), meta.id);
    const b = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: global });
    await b.ready;
    assert.equal(b.activeId(), meta.id, 'a new workspace uses the global default');
  });

  it('keeps one active key per workspace and a folder may have its own', async () => {
    const ring = new SharedKeyring();
    const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    const one = (await store.add(newKey(1))).meta;
    const two = (await store.add(newKey(2))).meta;
    await store.setActive(two.id, 'file:///folder-b');
    assert.equal(store.activeId(), one.id);
    assert.equal(store.activeId('file:///folder-b'), two.id);
    assert.equal(store.activeId('file:///folder-a'), one.id);
  });

  it('stores the same key twice only once and reports the existing entry', async () => {
    const store = new KeyStore({
      secrets: new SharedKeyring().window(),
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
    });
    const first = await store.add(newKey(7, 'ci'));
    const second = await store.add(newKey(7, 'again'));
    assert.equal(second.existed, true);
    assert.equal(second.meta.id, first.meta.id);
    assert.equal(store.list().length, 1);
  });

  it('gives clashing labels a number instead of hiding a key', async () => {
    const store = new KeyStore({
      secrets: new SharedKeyring().window(),
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
    });
    await store.add(newKey(1, 'ci'));
    const { meta } = await store.add(newKey(2, 'ci'));
    assert.equal(meta.label, 'ci (2)');
  });

  it('loses no key when many adds run concurrently in one window', async () => {
    const ring = new SharedKeyring(3);
    const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.add(newKey(i + 1))));
    assert.equal(store.list().length, 25);
  });

  it('loses neither key when two windows add at the same time', async () => {
    const ring = new SharedKeyring(5);
    const global = new MemoryMemento();
    const a = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: global });
    const b = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: global });
    await Promise.all([a.ready, b.ready]);
    // Several rounds so the interleaving that drops a write actually happens.
    for (let round = 0; round < 5; round++) {
      await Promise.all([a.add(newKey(100 + round)), b.add(newKey(200 + round))]);
    }
    await waitFor(() => a.list().length === 10 && b.list().length === 10, {
      description: 'both stores to hold all 10 keys',
      timeoutMs: 5000,
      intervalMs: 10,
    });
    const ids = new Set(a.list().map((k) => k.id));
    for (const k of b.list()) {
      assert.ok(ids.has(k.id));
    }
  });

  it('shows a key added in another window without reload', async () => {
    const ring = new SharedKeyring();
    const a = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    const b = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    await b.ready;
    let changes = 0;
    b.onDidChange(() => changes++);
    await a.add(newKey(3, 'from A'));
    await waitFor(() => b.findByLabel('from A') !== undefined, {
      description: 'store b to see the key store a added',
      timeoutMs: 3000,
      intervalMs: 10,
    });
    assert.ok(changes >= 1);
  });

  it('does not bring back a key that another window removed', async () => {
    const ring = new SharedKeyring(2);
    const a = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    const b = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    const { meta } = await a.add(newKey(4));
    await waitFor(() => b.get(meta.id) !== undefined, {
      description: 'store b to see the key store a added',
      timeoutMs: 3000,
      intervalMs: 10,
    });
    await b.remove(meta.id);
    await waitFor(() => a.get(meta.id) === undefined, { description: 'store a to see the removal', timeoutMs: 3000, intervalMs: 10 });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(a.get(meta.id), undefined);
    assert.equal(ring.data.has(`avala.key.${meta.id}`), false);
  });

  it('removing a key forgets its value and clears it as the active key', async () => {
    const ring = new SharedKeyring();
    const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    const { meta } = await store.add(newKey(5));
    assert.equal(await store.remove(meta.id), true);
    assert.equal(store.activeId(), undefined);
    assert.equal(await store.getValue(meta.id), undefined);
  });

  it('tells why when the keyring cannot be written, and stores nothing', async () => {
    const ring = new SharedKeyring();
    const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    await store.ready;
    ring.failWrites = true;
    await assert.rejects(
      store.add(newKey(6)),
      (error: unknown) => error instanceof KeyringError && /keyring/i.test(error.message) && !error.message.includes(fakeKey(6)),
    );
    assert.equal(store.list().length, 0);
  });

  it('refuses to keep a key the keyring does not give back intact', async () => {
    const ring = new SharedKeyring();
    const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    await store.ready;
    ring.corruptReads = true;
    await assert.rejects(store.add(newKey(8)), (error: unknown) => error instanceof KeyringError && error.operation === 'verify');
    ring.corruptReads = false;
    assert.equal(store.list().length, 0);
    assert.equal([...ring.data.keys()].filter((k) => k.startsWith('avala.key.')).length, 0);
  });

  it('reports an unreadable keyring instead of showing an empty list as if there were no keys', async () => {
    const ring = new SharedKeyring();
    const first = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    await first.add(newKey(9));
    ring.failReads = true;
    const second = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    await second.ready;
    assert.ok(second.loadError instanceof KeyringError);
    ring.failReads = false;
    assert.ok(ring.data.get(INDEX_SECRET)!.includes('key 9'), 'nothing was dropped from the keyring');
  });

  it('a failed operation leaves stored keys unchanged', async () => {
    const ring = new SharedKeyring();
    const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    const { meta } = await store.add(newKey(10, 'keep me'));
    const before = ring.data.get(INDEX_SECRET);
    ring.failWrites = true;
    await assert.rejects(store.add(newKey(11)));
    await assert.rejects(store.update(meta.id, { label: 'renamed' }));
    ring.failWrites = false;
    assert.equal(ring.data.get(INDEX_SECRET), before);
    assert.equal(await store.getValue(meta.id), fakeKey(10));
  });

  it('a stale write from another window brings back neither a removed key nor drops a patch', async () => {
    const ring = new SharedKeyring();
    const a = new KeyStore({
      secrets: ring.window(),
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
      verifyAfterMs: [20],
    });
    const b = new KeyStore({
      secrets: ring.window(),
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
      verifyAfterMs: [20],
    });
    const x = (await a.add(newKey(21, 'x'))).meta;
    const y = (await a.add(newKey(22, 'y'))).meta;
    await waitFor(() => b.get(x.id) !== undefined && b.get(y.id) !== undefined, {
      description: 'store b to see x and y',
      timeoutMs: 3000,
      intervalMs: 10,
    });
    const stale = ring.data.get(INDEX_SECRET);
    await b.remove(x.id);
    await a.update(y.id, { label: 'y renamed' });
    // A third window writes the index it read before both changes.
    await ring.window().store(INDEX_SECRET, stale!);
    await waitFor(
      () => {
        const index = parseIndex(ring.data.get(INDEX_SECRET));
        return !index.some((k) => k.id === x.id) && index.find((k) => k.id === y.id)?.label === 'y renamed';
      },
      { description: 'the index to drop x and keep y renamed', timeoutMs: 3000, intervalMs: 10 },
    );
    await waitFor(() => a.get(x.id) === undefined && b.get(y.id)?.label === 'y renamed', {
      description: 'both stores to drop x and see y renamed',
      timeoutMs: 3000,
      intervalMs: 10,
    });
    a.dispose();
    b.dispose();
  });

  it('a value read that fails while repairing a dropped entry is retried, not taken as deletion', async () => {
    const ring = new SharedKeyring();
    const a = new KeyStore({
      secrets: ring.window(),
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
      verifyAfterMs: [20],
    });
    await a.ready;
    const before = ring.data.get(INDEX_SECRET) ?? JSON.stringify({ version: 1, keys: [] });
    const { meta } = await a.add(newKey(23, 'kept'));
    ring.failNextReads.set(`avala.key.${meta.id}`, 2);
    await ring.window().store(INDEX_SECRET, before);
    await waitFor(() => parseIndex(ring.data.get(INDEX_SECRET)).some((k) => k.id === meta.id), {
      description: 'the index to list the kept key again',
      timeoutMs: 3000,
      intervalMs: 10,
    });
    assert.equal(a.get(meta.id)?.label, 'kept');
    assert.equal(await a.getValue(meta.id), fakeKey(23));
    a.dispose();
  });

  it('reports a key value that no entry lists, and can give it an entry again or delete it', async () => {
    const ring = new SharedKeyring();
    const store = new KeyStore({
      secrets: ring.window(),
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
      settleMs: 30,
    });
    await store.ready;
    let changes = 0;
    store.onDidChange(() => changes++);
    await ring.window().store('avala.key.klost1', fakeKey(24));
    await ring.window().store('avala.key.klost2', fakeKey(25));
    await waitFor(() => store.orphanIds().length === 2, {
      description: 'both values to be reported as orphans',
      timeoutMs: 3000,
      intervalMs: 10,
    });
    assert.ok(changes >= 1, 'the store says something changed');
    const recovered = await store.recoverOrphan('klost1', 'recovered', base);
    assert.equal(recovered?.masked, `avk_…${fakeKey(24).slice(-4)}`);
    assert.equal(await store.getValue('klost1'), fakeKey(24));
    await store.deleteOrphan('klost2');
    assert.equal(ring.data.has('avala.key.klost2'), false);
    assert.deepEqual(store.orphanIds(), []);
    store.dispose();
  });

  it('stores the trimmed key, so a key with a line break around it is the same key as without', async () => {
    const ring = new SharedKeyring();
    const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    const { meta } = await store.add({ ...newKey(26), value: `\n${fakeKey(26)}\r\n` });
    assert.equal(ring.data.get(`avala.key.${meta.id}`), fakeKey(26));
    const again = await store.add(newKey(26, 'clean'));
    assert.equal(again.existed, true);
    assert.equal(store.list().length, 1);
    await assert.rejects(store.add({ ...newKey(27), value: `${fakeKey(27).slice(0, 10)}\n${fakeKey(27).slice(10)}` }));
    assert.equal(store.list().length, 1);
  });

  it('a window that starts after a stale write drops the entry whose value was removed, and reports the value no entry lists', async () => {
    // What code-server leaves: each window writes the index it last saw, so the last writer wins.
    const ring = new SharedKeyring();
    const a = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
    const removed = (await a.add(newKey(31, 'removed elsewhere'))).meta;
    const kept = (await a.add(newKey(32, 'kept'))).meta;
    const stale = ring.data.get(INDEX_SECRET)!;
    const lost = (await a.add(newKey(33, 'lost to a stale write'))).meta;
    a.dispose();
    ring.data.delete(`avala.key.${removed.id}`);
    ring.data.set(INDEX_SECRET, stale);
    const b = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento(), settleMs: 30 });
    await waitFor(() => b.get(removed.id) === undefined && b.orphanIds().includes(lost.id), {
      description: 'store b to drop the removed key and report the lost value',
      timeoutMs: 3000,
      intervalMs: 10,
    });
    assert.deepEqual(
      b.list().map((k) => k.label),
      ['kept'],
    );
    assert.ok(!parseIndex(ring.data.get(INDEX_SECRET)).some((k) => k.id === removed.id), 'the dangling entry left the index');
    assert.equal((await b.recoverOrphan(lost.id, 'recovered', base))?.fingerprint, lost.fingerprint);
    assert.deepEqual(
      b
        .list()
        .map((k) => k.label)
        .sort(),
      ['kept', 'recovered'],
    );
    assert.equal(await b.getValue(kept.id), fakeKey(32));
    b.dispose();
  });
});

// Issue 7's "bad input" list: a keyring error that quotes a key, and a keyring that fails
// while a key is added. Each ends in a clear message and changes nothing stored.
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
    const { meta } = await store.add({
      value: fakeKey(1),
      label: 'kept',
      environment: 'development',
      baseUrl: 'https://api.avala.ai/api/v1',
      source: 'login',
    });
    const before = [...keyring.data.entries()];
    keyring.failReads = true;
    await assert.rejects(
      store.add({ value: fakeKey(2), label: 'new', environment: 'development', baseUrl: 'https://api.avala.ai/api/v1', source: 'login' }),
    );
    keyring.failReads = false;
    assert.deepEqual([...keyring.data.entries()], before);
    assert.equal(await store.getValue(meta.id), fakeKey(1));
  });
});

const staging = 'https://staging.avala.ai/api/v1';

describe('reading a key to hand it out (KeyStore.readKey)', () => {
  async function storeWithKey() {
    const ring = new SharedKeyring();
    const store = new KeyStore({
      secrets: ring.window(),
      workspaceState: new MemoryMemento(),
      globalState: new MemoryMemento(),
      verifyAfterMs: [],
    });
    const { meta } = await store.add({ value: fakeKey(1), label: 'ci', environment: 'ci', baseUrl: staging, source: 'login' });
    return { ring, store, meta };
  }

  it('gives the value together with the base URL it may be sent to', async () => {
    const { store, meta } = await storeWithKey();
    assert.deepEqual(await store.readKey(meta.id), { value: fakeKey(1), baseUrl: staging });
    store.dispose();
  });

  it('a value gone from secret storage says so in one wording, naming the key and what to do', async () => {
    const { ring, store, meta } = await storeWithKey();
    ring.data.delete(`avala.key.${meta.id}`);
    await assert.rejects(store.readKey(meta.id), (error: unknown) => {
      assert.ok(error instanceof KeyValueMissingError);
      assert.equal(error.message, 'The value of "ci" is missing from secret storage. Log in with the key again.');
      return true;
    });
    store.dispose();
  });

  it('a key that is not listed at all is missing too, named by its id', async () => {
    const { store } = await storeWithKey();
    await assert.rejects(
      store.readKey('knotthere'),
      (error: unknown) => error instanceof KeyValueMissingError && error.message.includes('"knotthere"'),
    );
    store.dispose();
  });

  it('a keyring that cannot be read is a keyring error, not a missing key', async () => {
    const { ring, store, meta } = await storeWithKey();
    ring.failReads = true;
    await assert.rejects(store.readKey(meta.id), (error: unknown) => error instanceof KeyringError);
    store.dispose();
  });
});
