import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeFinding, findingSeverity, scanForKeys, type FindingKind } from '../../../../src/security/core/secretScan';

const HEX = 'b12c82c05dd70f07be32af2818e838471eef6507';
const AVK = `avk_${HEX}`;

/** [what, text, expected finds as [kind, value] ] */
type Row = [string, string, [FindingKind, string][]];

const positives: Row[] = [
  // JavaScript / TypeScript
  ['a JS constant holding an avk_ key', `const key = "${AVK}";`, [['prefixed', AVK]]],
  ['an avk_ key in a header, said to be in the header', `fetch(url, { headers: { 'X-Avala-Api-Key': \`${AVK}\` } })`, [['header', AVK]]],
  ['a 40-hex value in a JS header object', `headers: { "X-Avala-Api-Key": "${HEX}" },`, [['header', HEX]]],
  ['a 40-hex value set with setHeader', `req.setHeader('X-Avala-Api-Key', '${HEX}');`, [['header', HEX]]],
  ['a 40-hex value as a fallback after process.env', `const key = process.env.AVALA_API_KEY || "${HEX}";`, [['assignment', HEX]]],
  ['a 40-hex value in an apiKey property', `new Avala({ apiKey: '${HEX}' })`, [['assignment', HEX]]],
  // Python
  ['a Python assignment to AVALA_API_KEY', `AVALA_API_KEY = "${HEX}"`, [['assignment', HEX]]],
  ['a Python keyword argument api_key=', `client = Avala(api_key='${HEX}')`, [['assignment', HEX]]],
  ['a Python os.environ assignment', `os.environ["AVALA_API_KEY"] = "${HEX}"`, [['assignment', HEX]]],
  ['a Python getenv default', `key = os.getenv("AVALA_API_KEY") or "${HEX}"`, [['assignment', HEX]]],
  ['a Python requests header dict', `requests.get(url, headers={"X-Avala-Api-Key": "${HEX}"})`, [['header', HEX]]],
  ['an uppercase 40-hex value', `avala_key = "${HEX.toUpperCase()}"`, [['assignment', HEX.toUpperCase()]]],
  // Shell
  ['an exported shell variable', `export AVALA_API_KEY=${HEX}`, [['assignment', HEX]]],
  ['a curl header', `curl https://api.avala.ai/api/v1/agents -H "X-Avala-Api-Key: ${HEX}"`, [['header', HEX]]],
  ['a CLI flag', `avala datasets list --api-key ${HEX}`, [['assignment', HEX]]],
  ['the seed example key shape in a shell export', `export AVALA_API_KEY="${AVK}"`, [['assignment', AVK]]],
  ['an avk_ key in the middle of a URL', `https://x.test/cb?state=1&token=${AVK}&next=/`, [['prefixed', AVK]]],
  // YAML / Docker / .env
  ['a YAML mapping', `env:\n  AVALA_API_KEY: ${HEX}\n`, [['assignment', HEX]]],
  ['a YAML value on the next line', `env:\n  AVALA_API_KEY:\n    ${HEX}\n`, [['assignment', HEX]]],
  ['a docker-compose list item', `environment:\n  - AVALA_API_KEY=${HEX}\n`, [['assignment', HEX]]],
  ['a Dockerfile ENV with a space', `ENV AVALA_API_KEY ${HEX}`, [['assignment', HEX]]],
  ['a .env line', `AVALA_API_KEY=${HEX}\n`, [['assignment', HEX]]],
  ['a JSON config', `{"avala": {"api_key": "${HEX}"}}`, [['assignment', HEX]]],
  // Several in one text, at the very start and end
  [
    'two keys, one at each end of the text',
    `${AVK}\nx = 1\nAVALA_API_KEY=${HEX}`,
    [
      ['prefixed', AVK],
      ['assignment', HEX],
    ],
  ],
];

const negatives: [string, string][] = [
  ['the docs placeholder', 'export AVALA_API_KEY="avk_your_api_key"'],
  ['a longer docs placeholder', 'X-Avala-Api-Key: avk_your_api_key_here'],
  ['a test filler of one repeated digit', `const key = "avk_${'1'.repeat(40)}";`],
  ['an elided key', 'Authorization header: avk_...'],
  ['a git SHA in package-lock.json', `"resolved": "git+ssh://git@github.com/avala-ai/avala-python.git#${HEX}",`],
  ['a git SHA in yarn.lock', `  resolved "https://registry.yarnpkg.com/avala/-/avala-1.0.0.tgz#${HEX}"`],
  ['a commit pinned for the Avala SDK', `AVALA_SDK_COMMIT = "${HEX}"`],
  ['a submodule commit', `Subproject commit ${HEX}`],
  ['a 40-hex value with no key-like name', `const commit = "${HEX}";`],
  ['a SHA-256 digest (64 hex)', `avala_api_key_checksum: ${'ab12'.repeat(16)}`],
  ['64 hex characters assigned to an API key name', `API_KEY=${'c0ffee12'.repeat(8)}`],
  ['a 40-hex value glued to letters', `AVALA_API_KEY=${HEX}g`],
  ['a 40-hex value after an unrelated word and a space', `avala ${HEX}`],
  ['a 40-hex value on the line after an unrelated one', `const x = {\n  "${HEX}"\n`],
  ['a word that merely contains avk_', 'havk_1234567890abcdef1234'],
];

describe('hard-coded key detection', () => {
  for (const [what, text, expected] of positives) {
    it(`finds ${what}`, () => {
      const { findings, skipped } = scanForKeys(text);
      assert.equal(skipped, undefined);
      assert.deepEqual(
        findings.map((f) => [f.kind, f.value]),
        expected,
      );
      for (const f of findings) {
        assert.equal(text.slice(f.start, f.end), f.value, 'offsets point at the key');
      }
    });
  }

  for (const [what, text] of negatives) {
    it(`leaves alone ${what}`, () => {
      assert.deepEqual(scanForKeys(text).findings, []);
    });
  }

  it('names the variable a key was assigned to', () => {
    assert.equal(scanForKeys(`AVALA_API_KEY = "${HEX}"`).findings[0].name, 'AVALA_API_KEY');
    assert.equal(scanForKeys(`run --api-key=${HEX}`).findings[0].name, 'api-key');
  });

  it('finds random keys of both shapes wherever they are put in a line', () => {
    for (let i = 0; i < 200; i++) {
      const hex = randomBytes(20).toString('hex');
      const text = `${'x = 1\n'.repeat(i % 7)}  AVALA_API_KEY = "${hex}"  # ${i}\nk = 'avk_${hex}'\n`;
      assert.deepEqual(
        scanForKeys(text).findings.map((f) => f.value),
        [hex, `avk_${hex}`],
      );
    }
  });

  it('skips a document over the size limit', () => {
    assert.deepEqual(scanForKeys(`${AVK} and more`, 10), { findings: [], skipped: 'tooLarge' });
  });

  it('skips a binary document (NUL bytes)', () => {
    assert.deepEqual(scanForKeys(`PNG\0\0${AVK}`), { findings: [], skipped: 'binary' });
  });

  it('is not slowed down by a long line without keys (no catastrophic backtracking)', () => {
    const text = `${'a'.repeat(39)}=`.repeat(50_000) + `AVALA_API_KEY=${HEX}`;
    const started = process.hrtime.bigint();
    const { findings } = scanForKeys(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(findings.length, 1);
    // Generous: the real figure is a few ms (scripts/bench-scan.ts); this only catches a blow-up.
    assert.ok(ms < 2000, `took ${ms} ms`);
  });

  it('a key Avala said is not live is an Information that says so; .env and git-ignored files stay Information whatever the check said', () => {
    assert.equal(findingSeverity(undefined, false), 'warning');
    assert.equal(findingSeverity(undefined, true), 'information');
    assert.equal(findingSeverity('ignored', false), 'information');
    assert.equal(findingSeverity('ignored', true), 'information');
    assert.equal(findingSeverity('env', false), 'information');
    const [finding] = scanForKeys(`key = "${AVK}"`).findings;
    assert.match(
      describeFinding(finding, undefined, undefined, true),
      /Avala said it is not live \(revoked or expired\)\. Never hard-code/,
    );
    assert.doesNotMatch(describeFinding(finding, undefined, undefined), /not live/);
  });
});
