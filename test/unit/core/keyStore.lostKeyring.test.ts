// A keyring that forgets: secret storage that loses everything between two activations (VS Code
// fell back to an in-memory store), or keeps the list but loses every value. The key record in
// globalState names what was lost; nothing is deleted until the user chooses.
import * as assert from 'node:assert/strict';
import { INDEX_SECRET, parseIndex } from '../../../src/core/keyIndex';
import { RECORD_STATE, parseRecord } from '../../../src/core/keyRecord';
import { KeyStore } from '../../../src/core/keyStore';
import { fakeKey, MemoryMemento, SharedKeyring } from '../../support/fakes';

const base = 'https://api.avala.ai/api/v1';

function newKey(n: number, label = `key ${n}`, environment = 'development') {
  return { value: fakeKey(n), label, environment, baseUrl: base, source: 'login' as const };
}

/** One activation: a store on `ring`, ready and checked. */
async function activate(ring: SharedKeyring, global: MemoryMemento, deviceId = 'laptop'): Promise<KeyStore> {
  const store = new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: global, deviceId, settleMs: 30 });
  await store.swept;
  return store;
}

type Loss = 'everything' | 'values';

/** A first activation stores `keys`; then secret storage loses everything, or every value but the list. */
async function storedThenLost(keys: ReturnType<typeof newKey>[], loss: Loss) {
  const ring = new SharedKeyring();
  const global = new MemoryMemento();
  const first = await activate(ring, global);
  const metas = [];
  for (const key of keys) {
    metas.push((await first.add(key)).meta);
  }
  first.dispose();
  for (const name of [...ring.data.keys()]) {
    if (loss === 'everything' || name !== INDEX_SECRET) {
      ring.data.delete(name);
    }
  }
  return { ring, global, metas, second: await activate(ring, global) };
}

describe('KeyStore with a keyring that forgets', () => {
  it('records names, environments and fingerprints in globalState, never a key or its masked tail', async () => {
    const ring = new SharedKeyring();
    const global = new MemoryMemento();
    const store = await activate(ring, global);
    await store.add(newKey(1, 'prod key', 'production'));
    const record = parseRecord(global.get(RECORD_STATE));
    assert.deepEqual(
      record.keys.map((k) => [k.label, k.environment, k.devices]),
      [['prod key', 'production', ['laptop']]],
    );
    assert.ok(!global.dump().includes(fakeKey(1)), 'no key value in globalState');
    assert.ok(!global.dump().includes(fakeKey(1).slice(-4)), 'not even the last four characters');
    store.dispose();
  });

  it('names the keys a keyring lost with its index, and deletes nothing until the user chooses', async () => {
    // The next start finds an empty (in-memory) secret storage.
    const { ring, global, second } = await storedThenLost([newKey(1, 'alpha'), newKey(2, 'beta', 'staging')], 'everything');
    assert.deepEqual(second.list(), []);
    assert.deepEqual(
      second.missing().map((k) => [k.label, k.environment, k.where]),
      [
        ['alpha', 'development', 'lost'],
        ['beta', 'staging', 'lost'],
      ],
    );
    assert.equal((await second.swept).lost.length, 2);
    // A third start still names them: nothing was forgotten on its own.
    second.dispose();
    const third = await activate(ring, global);
    assert.equal(third.missing().length, 2);
    third.dispose();
  });

  it('names the keys whose values were all lost while the list survived, instead of dropping them', async () => {
    const { ring, second } = await storedThenLost([newKey(3, 'alpha'), newKey(4, 'beta')], 'values');
    assert.deepEqual(second.list(), [], 'a key without its value is not offered for use');
    assert.deepEqual(
      second.missing().map((k) => k.label),
      ['alpha', 'beta'],
    );
    assert.equal(parseIndex(ring.data.get(INDEX_SECRET)).length, 2, 'the entries stay until the user chooses');
    second.dispose();
  });

  it('a key the user removed is not lost, in this window or after a restart', async () => {
    const ring = new SharedKeyring();
    const global = new MemoryMemento();
    const first = await activate(ring, global);
    const gone = (await first.add(newKey(5, 'removed'))).meta;
    await first.add(newKey(6, 'kept'));
    await first.remove(gone.id);
    assert.deepEqual(first.missing(), []);
    first.dispose();
    const second = await activate(ring, global);
    assert.deepEqual(second.missing(), []);
    assert.deepEqual(
      second.list().map((k) => k.label),
      ['kept'],
    );
    second.dispose();
  });

  it('logging in again with a lost key takes its place: same id, label and environment; the active key comes back', async () => {
    const {
      metas: [original],
      second,
    } = await storedThenLost([newKey(7, 'ci key', 'production')], 'everything');
    assert.equal(second.activeId(), undefined);
    const again = await second.add(newKey(7, 'typed at log in', 'development'));
    assert.equal(again.linked, 'lost');
    assert.equal(again.meta.id, original.id);
    assert.equal(again.meta.label, 'ci key');
    assert.equal(again.meta.environment, 'production');
    assert.equal(second.activeId(), original.id);
    assert.deepEqual(second.missing(), []);
    const other = await second.add(newKey(8, 'unrelated'));
    assert.equal(other.linked, undefined);
    second.dispose();
  });

  it('logging in again with a key whose value alone was lost restores the listed entry', async () => {
    const {
      metas: [original],
      second,
    } = await storedThenLost([newKey(9, 'only key')], 'values');
    assert.equal(second.missing().length, 1);
    const again = await second.add(newKey(9));
    assert.equal(again.linked, 'lost');
    assert.equal(again.meta.id, original.id);
    assert.equal(await second.getValue(original.id), fakeKey(9));
    assert.deepEqual(
      second.list().map((k) => k.label),
      ['only key'],
    );
    second.dispose();
  });

  it('"Forget Them" removes the names from the record and the dangling entries from the index', async () => {
    const { ring, global, second } = await storedThenLost([newKey(10, 'alpha'), newKey(11, 'beta')], 'everything');
    assert.equal(second.missing().length, 2);
    await second.forgetMissing(second.missing().map((k) => k.id));
    assert.deepEqual(second.missing(), []);
    assert.deepEqual(parseRecord(global.get(RECORD_STATE)).keys, []);
    second.dispose();
    const third = await activate(ring, global);
    assert.deepEqual(third.missing(), []);
    third.dispose();
  });

  it('one key removed elsewhere (its value gone, others kept) is still dropped, not reported lost', async () => {
    const ring = new SharedKeyring();
    const global = new MemoryMemento();
    const first = await activate(ring, global);
    const gone = (await first.add(newKey(12, 'gone'))).meta;
    await first.add(newKey(13, 'kept'));
    first.dispose();
    ring.data.delete(`avala.key.${gone.id}`);
    const second = await activate(ring, global);
    assert.deepEqual((await second.swept).dropped, [gone.id]);
    assert.deepEqual(second.missing(), []);
    second.dispose();
  });

  it('a list that cannot be read reports nothing lost', async () => {
    const ring = new SharedKeyring();
    const global = new MemoryMemento();
    const first = await activate(ring, global);
    await first.add(newKey(14));
    first.dispose();
    ring.failReads = true;
    const second = await activate(ring, global);
    assert.ok(second.loadError);
    assert.deepEqual(second.missing(), []);
    second.dispose();
  });

  it('a synced record from another device shows its keys as stored elsewhere; the same key here links to it', async () => {
    const laptopRing = new SharedKeyring();
    const synced = new MemoryMemento();
    const laptop = await activate(laptopRing, synced, 'laptop');
    await laptop.add(newKey(15, 'shared key', 'staging'));
    laptop.dispose();
    const desktop = await activate(new SharedKeyring(), synced, 'desktop');
    assert.deepEqual(
      desktop.missing().map((k) => [k.label, k.where]),
      [['shared key', 'elsewhere']],
    );
    const linked = await desktop.add(newKey(15, 'pasted'));
    assert.equal(linked.linked, 'elsewhere');
    assert.equal(linked.meta.label, 'shared key');
    assert.equal(linked.meta.environment, 'staging');
    assert.deepEqual(parseRecord(synced.get(RECORD_STATE)).keys[0].devices, ['laptop', 'desktop']);
    desktop.dispose();
  });
});
