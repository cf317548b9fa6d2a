// Every word a person reads at run time goes through the localizer: vscode.l10n.t in the VS Code
// side, l10n.t (src/core/l10n.ts) in src/core. This reads the sources and fails on a string
// literal handed straight to a place a person reads (a notification, a quick pick, an input box,
// a status bar item, a tree item, a diagnostic, a quick fix), naming file and line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sources } from '../../../scripts/l10nBundle';
import { repoRoot as root } from '../../harness/paths';

const src = path.join(root, 'src');

/** A literal (quote or backtick) right where a person-facing value starts. */
const LITERAL = String.raw`\s*(['"\x60])`;
const PLACES: [string, RegExp][] = [
  ['a notification', new RegExp(String.raw`\.show(?:Information|Warning|Error)Message\(` + LITERAL)],
  ['a quick pick or input box', new RegExp(String.raw`\b(?:placeHolder|prompt|title|detail|validationMessage)\s*:` + LITERAL)],
  ['a status bar item or tree item', new RegExp(String.raw`\.(?:text|tooltip|description)\s*=` + LITERAL)],
  ['a diagnostic', new RegExp(String.raw`new vscode\.Diagnostic\([^,]+,` + LITERAL)],
  ['a quick fix', new RegExp(String.raw`new vscode\.CodeAction\(` + LITERAL)],
  ['a progress notification', new RegExp(String.raw`withProgress\(\{[^}]*title\s*:` + LITERAL)],
];

/**
 * Whether the literal starting at `at` holds words of its own: text outside `${…}` in a template,
 * any text in a quoted string. An empty string, a codicon such as `$(key)`, separators, or a
 * template built only from localized parts (`${vscode.l10n.t('…')} ${other}`) hold none.
 */
function hasWords(line: string, at: number): boolean {
  const quote = line[at];
  let text = '';
  let depth = 0;
  for (let i = at + 1; i < line.length; i++) {
    const c = line[i];
    if (depth === 0 && c === '\\') {
      i++;
      continue;
    }
    if (depth === 0 && c === quote) {
      break;
    }
    if (quote === '\x60' && depth === 0 && c === '$' && line[i + 1] === '{') {
      depth = 1;
      i++;
      continue;
    }
    if (depth > 0) {
      depth += c === '{' ? 1 : c === '}' ? -1 : 0;
      continue;
    }
    text += c;
  }
  return /[A-Za-z]{2,}/.test(text.replace(/\$\([\w-]+\)/g, ''));
}

describe('every run-time word a person reads goes through the localizer', () => {
  const files = sources(src).filter((file) => !file.endsWith(path.join('core', 'l10n.ts')));

  it('reads the sources it means to check', () => {
    assert.ok(files.length > 40, `found ${files.length} source files`);
    assert.ok(files.some((file) => file.endsWith(path.join('validation', 'statusBar.ts'))));
  });

  for (const [place, pattern] of PLACES) {
    it(`no string literal goes straight into ${place}`, () => {
      const found: string[] = [];
      for (const file of files) {
        fs.readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            if (/^\s*(\/\/|\*)/.test(line)) {
              return;
            }
            const match = pattern.exec(line);
            if (match && hasWords(line, match.index + match[0].length - 1)) {
              found.push(`${path.relative(root, file)}:${index + 1}: ${line.trim()}`);
            }
          });
      }
      assert.deepEqual(found, [], `not localized:\n${found.join('\n')}`);
    });
  }

  it('the check itself tells words from localized parts', () => {
    const flagged = (line: string) => {
      const match = PLACES[0][1].exec(line);
      return Boolean(match && hasWords(line, match.index + match[0].length - 1));
    };
    assert.ok(flagged("void vscode.window.showWarningMessage('Key expired');"));
    assert.ok(flagged('void vscode.window.showWarningMessage(`Key ${label} expired`);'));
    assert.ok(!flagged("void vscode.window.showWarningMessage(vscode.l10n.t('Key expired'));"));
    assert.ok(!flagged("void vscode.window.showWarningMessage(`${REASON} ${vscode.l10n.t('Trust it.')}`);"));
  });
});
