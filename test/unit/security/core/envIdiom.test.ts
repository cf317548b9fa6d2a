import * as assert from 'node:assert/strict';
import {
  envReplacement,
  idiomFamily,
  isEnvFile,
  pythonImportOs,
  type IdiomFamily,
  type OffsetEdit,
} from '../../../../src/security/core/envIdiom';

const KEY = 'avk_b12c82c05dd70f07be32af2818e838471eef6507';

/** Applies edits (offsets into the original text) the way a WorkspaceEdit does. */
function apply(text: string, edits: OffsetEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** Replaces the (first) key in `before` for `family`; undefined when no fix is offered. */
function fix(family: IdiomFamily, before: string): string | undefined {
  const start = before.indexOf(KEY);
  const replacement = envReplacement(before, start, start + KEY.length, family);
  return replacement && apply(before, replacement.edits);
}

const rows: [IdiomFamily, string, string, string | undefined][] = [
  // JavaScript and TypeScript
  ['js', 'a double-quoted literal, quotes and all', `const key = "${KEY}";`, 'const key = process.env.AVALA_API_KEY;'],
  ['js', 'a single-quoted literal', `new Avala({ apiKey: '${KEY}' })`, 'new Avala({ apiKey: process.env.AVALA_API_KEY })'],
  ['js', 'a template literal holding only the key', `const k = \`${KEY}\`;`, 'const k = process.env.AVALA_API_KEY;'],
  [
    'js',
    'a key inside a template literal',
    `const h = \`X-Avala-Api-Key: ${KEY}\`;`,
    'const h = `X-Avala-Api-Key: ${process.env.AVALA_API_KEY}`;',
  ],
  ['js', 'a key at the end of a string', `const h = "Key ${KEY}";`, 'const h = "Key " + process.env.AVALA_API_KEY;'],
  ['js', 'a key at the start of a string', `const h = "${KEY} is mine";`, 'const h = process.env.AVALA_API_KEY + " is mine";'],
  [
    'js',
    'a key in the middle of a string',
    `const u = 'https://x.test/?key=${KEY}&v=1';`,
    "const u = 'https://x.test/?key=' + process.env.AVALA_API_KEY + '&v=1';",
  ],
  ['js', 'a key in a line comment (no fix)', `// old key: ${KEY}`, undefined],
  ['js', 'a key after a string on a commented line (no fix)', `call("a"); // ${KEY}`, undefined],
  ['js', 'an escaped quote before the key', `const s = "say \\"hi\\" ${KEY}";`, 'const s = "say \\"hi\\" " + process.env.AVALA_API_KEY;'],
  // Python
  ['python', 'a literal, adding the import', `KEY = "${KEY}"\n`, `import os\nKEY = os.environ["AVALA_API_KEY"]\n`],
  [
    'python',
    'a literal when os is already imported',
    `import os\n\nclient = Avala(api_key='${KEY}')\n`,
    `import os\n\nclient = Avala(api_key=os.environ["AVALA_API_KEY"])\n`,
  ],
  [
    'python',
    'a literal when os is imported with others',
    `import sys, os\nk = '${KEY}'`,
    `import sys, os\nk = os.environ["AVALA_API_KEY"]`,
  ],
  ['python', 'an f-string', `h = f"X-Avala-Api-Key: ${KEY}"`, `import os\nh = f"X-Avala-Api-Key: {os.environ['AVALA_API_KEY']}"`],
  ['python', 'a raw string with text around the key', `u = r"k=${KEY};x"`, `import os\nu = r"k=" + os.environ["AVALA_API_KEY"] + r";x"`],
  ['python', 'a bytes literal (no fix)', `k = b"${KEY}"`, undefined],
  ['python', 'a triple-quoted literal', `k = """${KEY}"""`, `import os\nk = os.environ["AVALA_API_KEY"]`],
  [
    'python',
    'the import after the shebang, docstring and __future__',
    `#!/usr/bin/env python3\n"""Tool.\n\nMore.\n"""\nfrom __future__ import annotations\n\nimport sys\nK = "${KEY}"\n`,
    `#!/usr/bin/env python3\n"""Tool.\n\nMore.\n"""\nfrom __future__ import annotations\nimport os\n\nimport sys\nK = os.environ["AVALA_API_KEY"]\n`,
  ],
  // Shell
  ['shell', 'an unquoted export', `export AVALA_API_KEY=${KEY}`, 'export AVALA_API_KEY="$AVALA_API_KEY"'],
  ['shell', 'a double-quoted value', `KEY="${KEY}"`, 'KEY="$AVALA_API_KEY"'],
  [
    'shell',
    'a curl header in double quotes',
    `curl -H "X-Avala-Api-Key: ${KEY}" "$URL"`,
    'curl -H "X-Avala-Api-Key: ${AVALA_API_KEY}" "$URL"',
  ],
  [
    'shell',
    'a curl header in single quotes',
    `curl -H 'X-Avala-Api-Key: ${KEY}' "$URL"`,
    `curl -H 'X-Avala-Api-Key: '"$AVALA_API_KEY" "$URL"`,
  ],
  ['shell', 'a key in the middle of a single-quoted string', `echo 'k=${KEY};'`, `echo 'k='"$AVALA_API_KEY"';'`],
  ['shell', 'a commented-out key (no fix)', `# export AVALA_API_KEY=${KEY}`, undefined],
  // YAML, Dockerfile, docker-compose, .env
  ['interpolated', 'a YAML value', `env:\n  AVALA_API_KEY: ${KEY}\n`, 'env:\n  AVALA_API_KEY: ${AVALA_API_KEY}\n'],
  ['interpolated', 'a quoted YAML value (the quotes stay)', `  AVALA_API_KEY: "${KEY}"`, '  AVALA_API_KEY: "${AVALA_API_KEY}"'],
  ['interpolated', 'a compose list item', `    - AVALA_API_KEY=${KEY}`, '    - AVALA_API_KEY=${AVALA_API_KEY}'],
  ['interpolated', 'a Dockerfile ENV', `ENV AVALA_API_KEY=${KEY}`, 'ENV AVALA_API_KEY=${AVALA_API_KEY}'],
  ['interpolated', 'a .env line', `AVALA_API_KEY=${KEY}\n`, 'AVALA_API_KEY=${AVALA_API_KEY}\n'],
  ['interpolated', 'a YAML comment (no fix)', `# AVALA_API_KEY: ${KEY}`, undefined],
  // Others
  ['powershell', 'a PowerShell literal', `$key = '${KEY}'`, '$key = $env:AVALA_API_KEY'],
  ['powershell', 'a key inside a PowerShell double-quoted string', `"Key: ${KEY}"`, '"Key: $($env:AVALA_API_KEY)"'],
  ['ruby', 'a Ruby literal', `key = "${KEY}"`, 'key = ENV["AVALA_API_KEY"]'],
  ['ruby', 'a key inside a Ruby double-quoted string', `h = "Key #{x} ${KEY}"`, 'h = "Key #{x} #{ENV["AVALA_API_KEY"]}"'],
  ['java', 'a Java literal', `String key = "${KEY}";`, 'String key = System.getenv("AVALA_API_KEY");'],
  ['csharp', 'a C# literal', `var key = "${KEY}";`, 'var key = System.Environment.GetEnvironmentVariable("AVALA_API_KEY");'],
];

describe('replacing a hard-coded key with the environment variable', () => {
  for (const [family, what, before, after] of rows) {
    it(`${family}: ${what}`, () => {
      assert.equal(fix(family, before), after);
    });
  }

  it('no fix for a string that runs onto the next line', () => {
    assert.equal(fix('js', `const k = \`first line\n${KEY}\`;`), undefined);
  });
});

describe('language families', () => {
  const cases: [string, string, IdiomFamily | undefined][] = [
    ['typescript', '/w/src/app.ts', 'js'],
    ['javascriptreact', '/w/src/App.jsx', 'js'],
    ['python', '/w/tool.py', 'python'],
    ['shellscript', '/w/run.sh', 'shell'],
    ['yaml', '/w/.github/workflows/ci.yml', 'interpolated'],
    ['dockercompose', '/w/docker-compose.yml', 'interpolated'],
    ['dockerfile', '/w/Dockerfile', 'interpolated'],
    ['plaintext', '/w/.env.local', 'interpolated'],
    ['properties', '/w/.env', 'interpolated'],
    ['plaintext', '/w/Containerfile', 'interpolated'],
    ['plaintext', '/w/notes.txt', undefined],
    ['json', '/w/config.json', undefined],
  ];
  for (const [languageId, file, family] of cases) {
    it(`${languageId} ${file} → ${family ?? 'no idiom'}`, () => {
      assert.equal(idiomFamily(languageId, file), family);
    });
  }

  it('.env, .env.local and .envrc are environment files; env.ts and .environment.md are too, by name, only when they start with .env', () => {
    assert.deepEqual(['/w/.env', 'C:\\w\\.env.production', '/w/.envrc', '/w/env.ts', '/w/src/.env.example'].map(isEnvFile), [
      true,
      true,
      true,
      false,
      true,
    ]);
  });
});

describe('import os', () => {
  it('is not added twice', () => {
    assert.equal(pythonImportOs('import os\nx = 1\n'), undefined);
    assert.equal(pythonImportOs('import os as _os\n')?.text, 'import os\n');
    assert.equal(pythonImportOs('import osmosis\n')?.text, 'import os\n');
  });
  it('goes after a one-line docstring and a coding line', () => {
    const text = '# -*- coding: utf-8 -*-\n"""Doc."""\nx = 1\n';
    assert.equal(apply(text, [pythonImportOs(text)!]), '# -*- coding: utf-8 -*-\n"""Doc."""\nimport os\nx = 1\n');
  });
  it('goes at the end of a file that is only a docstring without a final newline', () => {
    const text = '"""Doc."""';
    assert.equal(apply(text, [pythonImportOs(text)!]), '"""Doc."""\nimport os\n');
  });
});
