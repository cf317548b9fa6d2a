import * as assert from 'node:assert/strict';
import { KeyStore, KeyValueMissingError, KeyringError } from '../../../src/core/keyStore';
import { fakeKey, MemoryMemento, SharedKeyring } from '../fakes';

const staging = 'https://staging.avala.ai/api/v1';

describe('reading a key to hand it out (KeyStore.readKey)', () => {
  async function storeWithKey() {
    const ring = new SharedKeyring();
    const store = new KeyStore(ring.window(), new MemoryMemento(), new MemoryMemento(), { verifyAfterMs: [] });
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
    await assert.rejects(store.readKey('knotthere'), (error: unknown) => error instanceof KeyValueMissingError && error.message.includes('"knotthere"'));
    store.dispose();
  });

  it('a keyring that cannot be read is a keyring error, not a missing key', async () => {
    const { ring, store, meta } = await storeWithKey();
    ring.failReads = true;
    await assert.rejects(store.readKey(meta.id), (error: unknown) => error instanceof KeyringError);
    store.dispose();
  });
});
