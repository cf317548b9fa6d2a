import * as assert from 'node:assert/strict';
import { Lazy } from '../../../src/core/lazy';

describe('core/lazy: what loads late is created on first use, once', () => {
  it('creates nothing until .value is read, then the same instance every time', () => {
    let created = 0;
    const lazy = new Lazy(() => ({ n: ++created }));
    assert.equal(created, 0);
    const first = lazy.value;
    assert.equal(lazy.value, first);
    assert.deepEqual(first, { n: 1 });
    assert.equal(created, 1);
  });

  it('keeps a created undefined, and tries again after create threw', () => {
    let calls = 0;
    const empty = new Lazy(() => void calls++);
    assert.equal(empty.value, undefined);
    assert.equal(empty.value, undefined);
    assert.equal(calls, 1);

    let attempts = 0;
    const flaky = new Lazy(() => {
      if (++attempts === 1) {
        throw new Error('module failed to load');
      }
      return 'loaded';
    });
    assert.throws(() => flaky.value, { message: 'module failed to load' });
    assert.equal(flaky.value, 'loaded');
  });
});
