import * as assert from 'node:assert/strict';
import { DisposableStore, disposeAll } from '../../../src/core/disposables';

describe('core/disposables: one way to let go of many subscriptions', () => {
  const recorder = (log: string[], name: string, fails = false) => ({
    dispose: () => {
      log.push(name);
      if (fails) {
        throw new Error(`${name} failed`);
      }
    },
  });

  it('disposes every item in order, even after one throws, then throws the first error', () => {
    const log: string[] = [];
    assert.throws(() => disposeAll([recorder(log, 'a'), recorder(log, 'b', true), recorder(log, 'c', true), recorder(log, 'd')]), {
      message: 'b failed',
    });
    assert.deepEqual(log, ['a', 'b', 'c', 'd']);
  });

  it('a store disposes what it owns once, and what arrives after it was disposed at once', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(recorder(log, 'a'), recorder(log, 'b'));
    store.dispose();
    store.dispose();
    assert.deepEqual(log, ['a', 'b']);
    store.add(recorder(log, 'late'));
    assert.deepEqual(log, ['a', 'b', 'late']);
  });
});
