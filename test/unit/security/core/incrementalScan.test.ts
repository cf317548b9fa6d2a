import * as assert from 'node:assert/strict';
import { findingsAfterEdit, rescanRegion, type EditedLines, type TextEdit } from '../../../../src/security/core/incrementalScan';
import { scanForKeys, type KeyFinding } from '../../../../src/security/core/secretScan';

/** Line lookups over a whole text, as a document gives them. */
function linesOf(text: string): EditedLines {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return {
    lineCount: starts.length,
    lineStart: (line) => starts[line],
    lineEnd: (line) => (line + 1 < starts.length ? starts[line + 1] - 1 : text.length),
    lineOf: (offset) => {
      let line = 0;
      while (line + 1 < starts.length && starts[line + 1] <= offset) {
        line++;
      }
      return line;
    },
  };
}

function applyEdit(text: string, previous: KeyFinding[], start: number, removed: number, inserted: string) {
  const edited = text.slice(0, start) + inserted + text.slice(start + removed);
  const edit: TextEdit = { start, removed, inserted: inserted.length };
  const region = rescanRegion(edit, linesOf(edited));
  return { edited, findings: findingsAfterEdit(previous, edit, region, edited.slice(region.scanFrom, region.end)) };
}

// A small seeded generator, so a failure repeats.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const KEY = 'avk_4f9c2d7e1b3a5c8e0d2f4a6b8c1e3d5f7a9b0c2d';
const HEX = '4f9c2d7e1b3a5c8e0d2f4a6b8c1e3d5f7a9b0c2d';
// Pieces that make and break findings: keys, names, headers, a YAML name whose value is on the next line.
const PIECES = [
  KEY,
  HEX,
  'AVALA_API_KEY=',
  'AVALA_API_KEY:\n  ',
  '"X-Avala-Api-Key": "',
  'apiKey = "',
  'const x = 1;',
  '\n',
  '\n\n',
  ' ',
  '"',
  'a',
  '7',
  '_',
  '-',
  'sha = "',
];

describe('incremental scan: findings after an edit', () => {
  it('equal a full scan of the edited text, over 3,000 random edits', () => {
    const next = random(16);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
    let text = Array.from({ length: 60 }, () => pick(PIECES)).join('');
    let findings = scanForKeys(text).findings;
    for (let i = 0; i < 3000; i++) {
      const start = Math.floor(next() * (text.length + 1));
      const removed = next() < 0.4 ? Math.floor(next() * Math.min(50, text.length - start + 1)) : 0;
      const inserted = next() < 0.8 ? pick(PIECES).slice(0, 1 + Math.floor(next() * 45)) : '';
      const result = applyEdit(text, findings, start, removed, inserted);
      const full = scanForKeys(result.edited).findings;
      assert.deepEqual(
        result.findings,
        full,
        `edit ${i}: ${JSON.stringify({ start, removed, inserted })} in ${JSON.stringify(result.edited)}`,
      );
      text = result.edited;
      findings = full;
      if (text.length > 4000) {
        text = text.slice(0, 1000);
        findings = scanForKeys(text).findings;
      }
    }
  });

  it('finds a key completed by typing its last character, and drops one broken by a keystroke', () => {
    const partial = `const a = 1;\nAVALA_API_KEY=${HEX.slice(0, 39)}\nconst b = 2;\n`;
    const at = partial.indexOf('\nconst b');
    const completed = applyEdit(partial, scanForKeys(partial).findings, at, 0, HEX[39]);
    assert.deepEqual(
      completed.findings?.map((f) => [f.kind, f.value]),
      [['assignment', HEX]],
    );
    const broken = applyEdit(completed.edited, completed.findings ?? [], at, 0, 'z');
    assert.deepEqual(broken.findings, []);
  });

  it('a value on the line after its name is judged with that name, when either line is edited', () => {
    const text = `x: 1\nAVALA_API_KEY:\n  ${HEX}\ny: 2\n`;
    const before = scanForKeys(text).findings;
    assert.equal(before.length, 1);
    const renamed = applyEdit(text, before, text.indexOf('AVALA_API_KEY'), 'AVALA_API_KEY'.length, 'COLOR');
    assert.deepEqual(renamed.findings, []);
    const back = applyEdit(renamed.edited, [], renamed.edited.indexOf('COLOR'), 'COLOR'.length, 'AVALA_API_KEY');
    assert.deepEqual(back.findings, scanForKeys(back.edited).findings);
    assert.equal(back.findings?.length, 1);
  });

  it('leaves binary content to a full scan', () => {
    const text = `a\nb ${KEY}\n`;
    assert.equal(applyEdit(text, scanForKeys(text).findings, 1, 0, '\0').findings, undefined);
  });
});
