// The English bundle (l10n/bundle.l10n.json) that translations start from holds exactly the
// messages the sources hand to l10n.t, and package.json tells VS Code where to find it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLE_PATH, bundleFor, extractMessages, literalValue } from '../../../scripts/l10nBundle';
import { repoRoot as root } from '../../harness/paths';

describe('the l10n bundle', () => {
  it('l10n/bundle.l10n.json lists every message of the sources, and nothing else (npm run l10n rewrites it)', () => {
    const { json, unresolved } = bundleFor(root);
    assert.deepEqual(unresolved, [], 'every l10n.t message is a literal or a constant holding one');
    const committed = fs.readFileSync(path.join(root, BUNDLE_PATH), 'utf8');
    const want = Object.keys(JSON.parse(json) as object);
    const have = Object.keys(JSON.parse(committed) as object);
    assert.deepEqual(
      { missing: want.filter((m) => !have.includes(m)), extra: have.filter((m) => !want.includes(m)) },
      { missing: [], extra: [] },
      'the bundle is stale: run npm run l10n',
    );
    assert.ok(want.length > 300, `${want.length} messages`);
  });

  it('package.json points VS Code at the bundle folder', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { l10n?: string };
    assert.equal(path.normalize(manifest.l10n ?? ''), path.dirname(BUNDLE_PATH));
  });

  it('reads literals of every quote, placeholders and escapes as JavaScript does', () => {
    const { messages, unresolved } = extractMessages(
      new Map([
        [
          'a.ts',
          [
            "vscode.l10n.t('It\\'s {0}.', name);",
            'l10n.t("Say \\"hi\\"\\u00a0now");',
            'l10n.t(`Two\\nlines`);',
            "vscode.l10n.t(\n  'On the next line',\n);",
            "l10n.t('It\\'s {0}.', other);",
          ].join('\n'),
        ],
      ]),
    );
    assert.deepEqual(unresolved, []);
    assert.deepEqual([...messages.keys()], ["It's {0}.", 'Say "hi"\u00a0now', 'Two\nlines', 'On the next line']);
    assert.deepEqual(messages.get("It's {0}."), ['a.ts:1', 'a.ts:7']);
    assert.equal(literalValue("'a\\\\b'"), 'a\\b');
  });

  it('follows a constant or an object property to its literal, in this file or another', () => {
    const { messages, unresolved } = extractMessages(
      new Map([
        ['use.ts', 'l10n.t(ADVICE); vscode.l10n.t(DETAIL.forbidden);'],
        [
          'defs.ts',
          "export const ADVICE =\n  'Prefer scoped keys.';\nexport const DETAIL = {\n  invalid: 'Invalid.',\n  forbidden: 'No permission.',\n} as const;",
        ],
      ]),
    );
    assert.deepEqual(unresolved, []);
    assert.deepEqual([...messages.keys()], ['Prefer scoped keys.', 'No permission.']);
  });

  it('reports a message it cannot read: a variable, a template with ${…}, an unknown constant', () => {
    const { messages, unresolved } = extractMessages(new Map([['b.ts', 'l10n.t(text);\nl10n.t(`Hi ${name}`);\nl10n.t(NOWHERE);']]));
    assert.equal(messages.size, 0);
    assert.deepEqual(unresolved, ['b.ts:1 (text)', 'b.ts:2 (`Hi ${name}`)', 'b.ts:3 (NOWHERE)']);
  });
});
