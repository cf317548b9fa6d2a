// The leak audit is only as good as its search: it must find a canary however it was written.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSources, filesUnder, searchLeaks, textSources } from '../../e2e/leakSearch';

describe('leak search', () => {
  const canary = { name: 'key', value: `avk_${randomBytes(20).toString('hex')}` };
  const noise = () => randomBytes(100 + Math.floor(Math.random() * 100));

  const encodings: [string, (v: string) => Buffer][] = [
    ['raw', (v) => Buffer.from(v)],
    ['utf16le', (v) => Buffer.from(v, 'utf16le')],
    ['base64', (v) => Buffer.from(Buffer.from(v).toString('base64'))],
    ['base64 after one byte', (v) => Buffer.from(Buffer.concat([Buffer.from('x'), Buffer.from(v)]).toString('base64'))],
    ['base64 after two bytes', (v) => Buffer.from(Buffer.concat([Buffer.from('xy'), Buffer.from(`{"k":"${v}"}`)]).toString('base64'))],
    ['base64url inside JSON', (v) => Buffer.from(`{"t":"${Buffer.from(`Bearer ${v}`).toString('base64url')}"}`)],
    ['a fragment, the rest cut off', (v) => Buffer.from(v.slice(10, 30))],
  ];
  for (const [what, encode] of encodings) {
    it(`finds a canary written as ${what} inside binary noise`, () => {
      const bytes = Buffer.concat([noise(), encode(canary.value), noise()]);
      const hits = searchLeaks([canary], [{ where: 'blob', read: () => bytes }]);
      assert.ok(hits.length > 0, `not found as ${what}`);
    });
  }

  it('finds nothing in random bytes and in text that only shows the masked key', () => {
    const text = `Stored key "ci" (avk_…${canary.value.slice(-4)}) fingerprint ${randomBytes(8).toString('hex')}`;
    assert.deepEqual(searchLeaks([canary], [...textSources([{ where: 't', text }]), { where: 'r', read: () => randomBytes(1 << 20) }]), []);
  });

  it('walks folders and reads every file, binary or not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-leak-'));
    try {
      fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'a', 'b', '000003.log'), Buffer.concat([noise(), Buffer.from(canary.value), noise()]));
      fs.writeFileSync(path.join(dir, 'clean.txt'), 'nothing here');
      const hits = searchLeaks([canary], fileSources(filesUnder(dir)));
      assert.deepEqual([...new Set(hits.map((h) => path.relative(dir, h.where)))], [path.join('a', 'b', '000003.log')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
