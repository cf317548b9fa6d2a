// The key store on VS Code's real SecretStorage (the runner extension's own, so Avala's keys
// are not touched): many keys, concurrent adds, two stores as two windows, change events.
import * as assert from 'node:assert/strict';
import { INDEX_SECRET } from '../../src/core/keyIndex';
import { RECORD_STATE, parseRecord } from '../../src/core/keyRecord';
import { KeyStore } from '../../src/core/keyStore';
import { waitFor } from '../harness/wait';
import * as vscode from 'vscode';
import { EXTENSION_ID, runnerContext } from './support';

const BASE = 'https://api.avala.ai/api/v1';
const key = (n: number) => `avk_${n.toString(16).padStart(40, 'c')}`;

describe('KeyStore on VS Code SecretStorage', function () {
  this.timeout(60_000);
  const stores: KeyStore[] = [];

  function open(): KeyStore {
    const context = runnerContext();
    const store = new KeyStore({ secrets: context.secrets, workspaceState: context.workspaceState, globalState: context.globalState });
    stores.push(store);
    return store;
  }

  afterEach(async () => {
    const context = runnerContext();
    const store = open();
    await store.ready;
    for (const meta of store.list()) {
      await store.remove(meta.id);
    }
    await context.secrets.delete(INDEX_SECRET);
    await context.globalState.update(RECORD_STATE, undefined);
    for (const s of stores.splice(0)) {
      s.dispose();
    }
  });

  it('holds 60 keys, each value readable back, none in the mementos', async () => {
    const store = open();
    await store.ready;
    for (let i = 0; i < 60; i++) {
      await store.add({ value: key(i), label: `k${i}`, environment: 'development', baseUrl: BASE, source: 'login' });
    }
    assert.equal(store.list().length, 60);
    for (const meta of store.list()) {
      const n = Number(meta.label.slice(1));
      assert.equal(await store.getValue(meta.id), key(n));
    }
    const context = runnerContext();
    const mementos = JSON.stringify([
      ...context.globalState.keys(),
      ...context.globalState.keys().map((k) => context.globalState.get(k)),
      ...context.workspaceState.keys().map((k) => context.workspaceState.get(k)),
    ]);
    assert.ok(!mementos.includes(key(0).slice(4)), 'no key value in global or workspace state');
  });

  it('loses no key when 20 adds run at once', async () => {
    const store = open();
    await store.ready;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.add({ value: key(100 + i), label: `c${i}`, environment: 'staging', baseUrl: BASE, source: 'login' }),
      ),
    );
    assert.equal(store.list().length, 20);
    const fresh = open();
    await fresh.ready;
    assert.equal(fresh.list().length, 20, 'a store opened afterwards reads all 20 from SecretStorage');
  });

  it('a second store over the same secrets sees adds and removals through onDidChange', async () => {
    const a = open();
    const b = open();
    await Promise.all([a.ready, b.ready]);
    let changes = 0;
    b.onDidChange(() => changes++);
    const { meta } = await a.add({ value: key(500), label: 'from-a', environment: 'production', baseUrl: BASE, source: 'login' });
    await waitFor(() => b.get(meta.id), { description: 'store b to see the key added by store a', timeoutMs: 10_000, intervalMs: 50 });
    assert.ok(changes >= 1);
    await a.remove(meta.id);
    await waitFor(() => b.get(meta.id) === undefined, { description: 'store b to see the removal', timeoutMs: 10_000, intervalMs: 50 });
  });

  it('two stores adding at the same time keep both keys', async () => {
    const a = open();
    const b = open();
    await Promise.all([a.ready, b.ready]);
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        a.add({ value: key(600 + round), label: `a${round}`, environment: 'development', baseUrl: BASE, source: 'login' }),
        b.add({ value: key(700 + round), label: `b${round}`, environment: 'development', baseUrl: BASE, source: 'login' }),
      ]);
    }
    await waitFor(() => a.list().length === 10 && b.list().length === 10, {
      description: 'both stores to hold all 10 keys',
      timeoutMs: 20_000,
      intervalMs: 50,
    });
  });

  it('reports a stored key value that no entry lists, found through SecretStorage.keys()', async () => {
    const context = runnerContext();
    await context.secrets.store('avala.key.kintegrationorphan', key(800));
    try {
      const context2 = runnerContext();
      const store = new KeyStore({
        secrets: context2.secrets,
        workspaceState: context2.workspaceState,
        globalState: context2.globalState,
        settleMs: 200,
      });
      stores.push(store);
      const swept = await store.swept;
      assert.ok(swept.unlisted, 'this host lists secret names');
      assert.deepEqual(swept.unlisted, ['kintegrationorphan']);
      await waitFor(() => store.orphanIds().includes('kintegrationorphan'), {
        description: 'the value to be reported as an orphan',
        timeoutMs: 10_000,
        intervalMs: 50,
      });
      await store.deleteOrphan('kintegrationorphan');
      assert.equal(await context.secrets.get('avala.key.kintegrationorphan'), undefined);
    } finally {
      await context.secrets.delete('avala.key.kintegrationorphan');
    }
  });

  it('names keys after secret storage lost them, from the record in globalState, and relinks one logged in again', async () => {
    const context = runnerContext();
    const first = open();
    await first.ready;
    const kept = (await first.add({ value: key(900), label: 'lost one', environment: 'staging', baseUrl: BASE, source: 'login' })).meta;
    first.dispose();
    // What an in-memory fallback leaves at the next start: no index, no values; globalState as it was.
    await context.secrets.delete(`avala.key.${kept.id}`);
    await context.secrets.delete(INDEX_SECRET);
    const record = JSON.stringify(context.globalState.get(RECORD_STATE));
    assert.ok(!record.includes(key(900)) && !record.includes(key(900).slice(-4)), 'the record holds no key');
    const second = open();
    const swept = await second.swept;
    assert.deepEqual(swept.lost, [kept.id]);
    assert.deepEqual(
      second.missing().map((k) => [k.label, k.environment, k.where]),
      [['lost one', 'staging', 'lost']],
    );
    const again = await second.add({ value: key(900), label: 'typed', environment: 'development', baseUrl: BASE, source: 'login' });
    assert.equal(again.linked, 'lost');
    assert.equal(again.meta.label, 'lost one');
    assert.equal(await second.getValue(kept.id), key(900));
    assert.deepEqual(
      parseRecord(context.globalState.get(RECORD_STATE)).keys.map((k) => k.label),
      ['lost one'],
    );
  });

  it('lists and deletes avala.* secrets no entry points to through SecretStorage.keys()', async () => {
    const context = runnerContext();
    const store = open();
    await store.ready;
    const kept = (await store.add({ value: key(901), label: 'kept', environment: 'development', baseUrl: BASE, source: 'login' })).meta;
    await context.secrets.store('avala.key.kintegrationstray', key(902));
    try {
      const found = await store.unreferencedSecrets();
      assert.ok(found, 'this host lists secret names');
      assert.deepEqual(
        found.map((f) => f.name),
        ['avala.key.kintegrationstray'],
      );
      assert.deepEqual(await store.deleteUnreferenced(['avala.key.kintegrationstray', `avala.key.${kept.id}`]), [
        'avala.key.kintegrationstray',
      ]);
      assert.equal(await context.secrets.get('avala.key.kintegrationstray'), undefined);
      assert.equal(await store.getValue(kept.id), key(901));
    } finally {
      await context.secrets.delete('avala.key.kintegrationstray');
    }
  });

  it('the cleanup command runs in the host and finds nothing to delete in a fresh profile', async () => {
    const avala = vscode.extensions.getExtension(EXTENSION_ID);
    await avala?.activate();
    const deleted = await vscode.commands.executeCommand<string[]>('avala.cleanUpSecretStorage');
    assert.deepEqual(deleted, [], 'a fresh profile holds no Avala secret that no key points to');
  });
});
