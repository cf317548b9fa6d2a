import * as assert from 'node:assert/strict';
import { Ipv6LoopbackNotice } from '../../src/inject/loopbackNotice';
import { MemoryMemento, recordingLog } from '../support/fakes';

describe('a key for http://[::1]: the one notice that TypeScript tools need 127.0.0.1', () => {
  const { log, lines: logged } = recordingLog();

  it('is shown the first time AVALA_BASE_URL is http://[::1]…, with the 127.0.0.1 address, and never again for that URL', () => {
    const state = new MemoryMemento();
    const notice = new Ipv6LoopbackNotice({ globalState: state, log });
    assert.equal(notice.check('http://[::1]:4010/api/v1'), true);
    assert.ok(logged.some((line) => line.includes('use http://127.0.0.1:4010/api/v1')));
    assert.equal(notice.check('http://[::1]:4010/api/v1'), false);
    // Remembered across windows (global state), by URL only.
    assert.equal(new Ipv6LoopbackNotice({ globalState: state, log }).check('http://[::1]:4010/api/v1'), false);
    assert.deepEqual(state.get('avala.notice.ipv6Loopback'), ['http://[::1]:4010/api/v1']);
  });

  it('says nothing for 127.0.0.1, localhost or the production API', () => {
    const notice = new Ipv6LoopbackNotice({ globalState: new MemoryMemento(), log });
    for (const url of ['http://127.0.0.1:4010/api/v1', 'http://localhost:4010/api/v1', 'https://api.avala.ai/api/v1']) {
      assert.equal(notice.check(url), false, url);
    }
  });
});
