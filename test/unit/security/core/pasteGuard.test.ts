import * as assert from 'node:assert/strict';
import type { OffsetEdit } from '../../../../src/security/core/envIdiom';
import { envFilePaste, envReadPaste, mayHoldKey } from '../../../../src/security/core/pasteGuard';

const KEY = 'avk_b12c82c05dd70f07be32af2818e838471eef6507';
const HEX = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b';

/**
 * Pastes as VS Code does with our edit: `insertText` over the pasted range, the edits around it
 * into the same document. `document` marks the cursor with `|`, or a selection with `[…]`.
 */
function paste(document: string, pasted: string, family: Parameters<typeof envReadPaste>[4]) {
  const { text, start, end } = cursor(document);
  const plan = envReadPaste(text, start, end, pasted, family);
  if (!plan) {
    return undefined;
  }
  const edits: OffsetEdit[] = [...plan.around, { start, end, text: plan.insertText }];
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return { out, plan };
}

function cursor(document: string): { text: string; start: number; end: number } {
  const at = document.indexOf('|');
  if (at >= 0) {
    return { text: document.slice(0, at) + document.slice(at + 1), start: at, end: at };
  }
  const open = document.indexOf('[');
  const close = document.indexOf(']');
  return { text: document.slice(0, open) + document.slice(open + 1, close) + document.slice(close + 1), start: open, end: close - 1 };
}

describe('the paste guard: what pasting a key could become', () => {
  it('a key pasted between the quotes of a Python assignment becomes os.environ and imports os', () => {
    const result = paste('"""Job."""\nimport requests\n\nAPI_KEY = "|"\n', KEY, 'python');
    assert.equal(result?.out, '"""Job."""\nimport os\nimport requests\n\nAPI_KEY = os.environ["AVALA_API_KEY"]\n');
    assert.equal(result?.plan.key, KEY);
    assert.equal(result?.plan.expression, 'os.environ["AVALA_API_KEY"]');
    assert.ok(!result?.plan.insertText.includes(KEY));
  });

  it('a whole pasted line into an empty Python file puts the import into the pasted text itself', () => {
    const result = paste('|', `AVALA_API_KEY = "${KEY}"\n`, 'python');
    assert.equal(result?.out, 'import os\nAVALA_API_KEY = os.environ["AVALA_API_KEY"]\n');
    assert.deepEqual(result?.plan.around, []);
  });

  it('keeps an existing import and replaces a selection', () => {
    const result = paste('import os\nkey = "[old-value]"\n', KEY, 'python');
    assert.equal(result?.out, 'import os\nkey = os.environ["AVALA_API_KEY"]\n');
  });

  it('uses the idiom of the language: TypeScript, shell, Ruby, C#', () => {
    assert.equal(paste("const key = '|';\n", KEY, 'js')?.out, 'const key = process.env.AVALA_API_KEY;\n');
    assert.equal(paste('export AVALA_API_KEY=|\n', KEY, 'shell')?.out, 'export AVALA_API_KEY="$AVALA_API_KEY"\n');
    assert.equal(paste('key = "Bearer |"\n', KEY, 'ruby')?.out, 'key = "Bearer #{ENV["AVALA_API_KEY"]}"\n');
    assert.equal(paste('var key = "|";\n', KEY, 'csharp')?.out, 'var key = System.Environment.GetEnvironmentVariable("AVALA_API_KEY");\n');
  });

  it('replaces every occurrence of the one key in a pasted block, keeping the rest as pasted', () => {
    const block = `headers = {"X-Avala-Api-Key": "${KEY}"}\nbackup = "${KEY}"\nname = "demo"\n`;
    const result = paste('import os\n|', block, 'python');
    assert.equal(
      result?.out,
      'import os\nheaders = {"X-Avala-Api-Key": os.environ["AVALA_API_KEY"]}\nbackup = os.environ["AVALA_API_KEY"]\nname = "demo"\n',
    );
  });

  it('a 40-hex value is a key when the document around the paste says so, not on its own', () => {
    assert.equal(paste('AVALA_API_KEY = "|"\n', HEX, 'python')?.plan.key, HEX);
    assert.equal(paste('commit = "|"\n', HEX, 'python'), undefined);
  });

  it('offers nothing for text without a key, with two different keys, or a key the idiom cannot replace', () => {
    assert.equal(paste('x = |\n', '"hello"', 'python'), undefined);
    assert.equal(paste('|', `a = "${KEY}"\nb = "avk_0a1b2c3d4e5f60718293a4b5c6d7e8f9"\n`, 'python'), undefined);
    assert.equal(paste('# the key: |\n', KEY, 'python'), undefined);
    assert.equal(paste('x = b"|"\n', KEY, 'python'), undefined);
  });

  it('offers nothing when only part of a key is pasted', () => {
    assert.equal(paste(`x = "${KEY.slice(0, 20)}|"\n`, KEY.slice(20), 'python'), undefined);
  });

  it('into a .env file the key is not pasted: the lines holding it are left out', () => {
    assert.deepEqual(envFilePaste('', 0, 0, `AVALA_API_KEY=${KEY}\n`), { key: KEY, insertText: '' });
    assert.deepEqual(envFilePaste('AVALA_API_KEY=', 14, 14, KEY), { key: KEY, insertText: '' });
    assert.deepEqual(envFilePaste('', 0, 0, `DEBUG=1\nAVALA_API_KEY=${KEY}\nREGION=eu\n`), {
      key: KEY,
      insertText: 'DEBUG=1\nREGION=eu\n',
    });
    assert.equal(envFilePaste('', 0, 0, 'DEBUG=1\n'), undefined);
  });

  it('asks about a clipboard text only when it holds something key-shaped', () => {
    assert.equal(mayHoldKey(`x ${KEY}`), true);
    assert.equal(mayHoldKey(HEX), true);
    assert.equal(mayHoldKey('print("hello")'), false);
  });
});
