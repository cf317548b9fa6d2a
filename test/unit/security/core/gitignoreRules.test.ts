import * as assert from 'node:assert/strict';
import { GitignoreMatcher } from '../../../../src/security/core/gitignoreRules';

describe('.gitignore matching (used when the git extension cannot answer)', () => {
  const matcher = new GitignoreMatcher([
    { dir: '', text: '# secrets\n.env*\n!.env.example\n/build/\nlogs/\n*.log\nconfig/**/local.*\n\\#notes\n' },
    { dir: 'services/api', text: 'secrets.py\n!keep.log\n' },
  ]);
  const cases: [string, boolean][] = [
    ['.env', true],
    ['.env.local', true],
    ['.env.example', false],
    ['services/api/.env', true],
    ['build/out.js', true],
    ['services/build/out.js', false],
    ['logs/today.txt', true],
    ['services/logs/today.txt', true],
    ['debug.log', true],
    ['services/api/keep.log', false],
    ['config/local.yaml', true],
    ['config/a/b/local.json', true],
    ['services/api/secrets.py', true],
    ['secrets.py', false],
    ['#notes', true],
    ['src/app.ts', false],
  ];
  for (const [path, ignored] of cases) {
    it(`${path} is ${ignored ? '' : 'not '}ignored`, () => {
      assert.equal(matcher.isIgnored(path), ignored);
    });
  }
  it('a file in an ignored folder cannot be re-included', () => {
    const m = new GitignoreMatcher([{ dir: '', text: 'secret/\n!secret/keep.txt\n' }]);
    assert.equal(m.isIgnored('secret/keep.txt'), true);
  });
});
