import * as assert from 'node:assert/strict';
import { Emitter, setListenerErrorReporter } from '../../../src/core/events';

describe('core/events: a listener that throws is reported, and the others still hear the event', () => {
  afterEach(() => setListenerErrorReporter(undefined));

  it('tells the reporter about the exception and calls every other listener', () => {
    const reported: unknown[] = [];
    setListenerErrorReporter((error) => reported.push(error));
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    const failure = new Error('listener broke');
    emitter.event((n) => heard.push(`first ${n}`));
    emitter.event(() => {
      throw failure;
    });
    emitter.event((n) => heard.push(`third ${n}`));

    emitter.fire(7);

    assert.deepEqual(heard, ['first 7', 'third 7']);
    assert.deepEqual(reported, [failure]);
  });

  it('without a reporter, writes the failure to the console with keys redacted', () => {
    const written: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void written.push(args);
    try {
      const emitter = new Emitter<void>();
      emitter.event(() => {
        throw new Error('could not use avk_live_0123456789abcdef');
      });
      emitter.fire();
    } finally {
      console.error = original;
    }
    assert.equal(written.length, 1);
    const line = written[0].join(' ');
    assert.match(line, /An event listener failed: Error: could not use \[REDACTED\]/);
    assert.doesNotMatch(line, /avk_live/);
  });

  it('a disposed subscription is not called, and a fire with no listeners reports nothing', () => {
    const reported: unknown[] = [];
    setListenerErrorReporter((error) => reported.push(error));
    const emitter = new Emitter<string>();
    const heard: string[] = [];
    const subscription = emitter.event((v) => heard.push(v));
    emitter.fire('a');
    subscription.dispose();
    emitter.fire('b');
    assert.deepEqual(heard, ['a']);
    assert.deepEqual(reported, []);
  });
});
