// "Clean Up Secret Storage": the store lists `avala.*` secrets no entry points to, and deletes
// only those that still are not pointed to when the user confirms.
import * as assert from 'node:assert/strict';
import { INDEX_SECRET } from '../../../src/core/keyIndex';
import { KeyStore, type SecretBackend } from '../../../src/core/keyStore';
import { fakeKey, MemoryMemento, SharedKeyring } from '../../support/fakes';

const base = 'https://api.avala.ai/api/v1';
const newKey = (n: number, label: string) => ({
  value: fakeKey(n),
  label,
  environment: 'development',
  baseUrl: base,
  source: 'login' as const,
});

function open(secrets: SecretBackend): KeyStore {
  return new KeyStore({ secrets, workspaceState: new MemoryMemento(), globalState: new MemoryMemento(), settleMs: 30 });
}

describe('KeyStore clean-up of secret storage', () => {
  it('lists only avala.* secrets no entry points to, with the masked key where one is held', async () => {
    const ring = new SharedKeyring();
    const store = open(ring.window());
    const kept = (await store.add(newKey(1, 'kept'))).meta;
    ring.data.set('avala.key.kstray', fakeKey(2));
    ring.data.set('avala.legacy.token', 'not a key');
    ring.data.set('other.extension.secret', fakeKey(3));
    const found = await store.unreferencedSecrets();
    assert.deepEqual(
      found?.sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'avala.key.kstray', masked: `avk_…${fakeKey(2).slice(-4)}` },
        { name: 'avala.legacy.token', masked: undefined },
      ],
    );
    assert.ok(!JSON.stringify(found).includes(fakeKey(2)), 'the listing holds no key value');
    assert.ok(ring.data.has(`avala.key.${kept.id}`) && ring.data.has(INDEX_SECRET));
    store.dispose();
  });

  it('deletes what the user confirmed, never a secret an entry points to or another extension owns', async () => {
    const ring = new SharedKeyring();
    const store = open(ring.window());
    const kept = (await store.add(newKey(4, 'kept'))).meta;
    ring.data.set('avala.key.kstray', fakeKey(5));
    ring.data.set('other.extension.secret', 'x');
    const deleted = await store.deleteUnreferenced(['avala.key.kstray', `avala.key.${kept.id}`, INDEX_SECRET, 'other.extension.secret']);
    assert.deepEqual(deleted, ['avala.key.kstray']);
    assert.equal(await store.getValue(kept.id), fakeKey(4));
    assert.ok(ring.data.has(INDEX_SECRET) && ring.data.has('other.extension.secret') && !ring.data.has('avala.key.kstray'));
    assert.deepEqual(await store.unreferencedSecrets(), []);
    store.dispose();
  });

  it('a value another window stored after the listing is not deleted once an entry points to it', async () => {
    const ring = new SharedKeyring();
    const a = open(ring.window());
    const b = open(ring.window());
    await a.ready;
    await b.ready;
    const meta = (await a.add(newKey(6, 'added elsewhere'))).meta;
    // b listed before it heard of a's key; by the time of deleting, the index points to it.
    assert.deepEqual(await b.deleteUnreferenced([`avala.key.${meta.id}`]), []);
    assert.equal(await a.getValue(meta.id), fakeKey(6));
    a.dispose();
    b.dispose();
  });

  it('answers undefined where the host cannot list secret names', async () => {
    const ring = new SharedKeyring();
    const { keys: _keys, ...withoutKeys } = ring.window();
    void _keys;
    const store = open(withoutKeys);
    assert.equal(await store.unreferencedSecrets(), undefined);
    store.dispose();
  });
});
