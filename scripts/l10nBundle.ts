// The English message bundle translators start from: every message the extension hands to
// vscode.l10n.t (or src/core's l10n.t), read from the sources. VS Code finds translations
// through package.json's "l10n" field: l10n/bundle.l10n.<locale>.json, keyed by these
// messages. `npm run l10n` rewrites l10n/bundle.l10n.json; a unit test fails when it is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A JavaScript string literal: quoted, or a template without `${…}`. */
const LITERAL = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\x60(?:[^\x60\\$]|\\.|\$(?!\{))*\x60`;
/**
 * `l10n.t(` then the message: a literal (group 1), or anything else up to the first comma or
 * parenthesis (group 2), which must name a constant (`NAME` or `OBJECT.name`) holding a literal.
 */
const CALL = new RegExp(String.raw`\bl10n\.t\(\s*(?:(${LITERAL})|([^\s,)][^,)]*))`, 'g');

export interface Extracted {
  /** Message → where it is used ("src/keys/core/keyRows.ts:48"), in source order. */
  messages: Map<string, string[]>;
  /** Calls whose message is neither a literal nor a constant with a literal value. */
  unresolved: string[];
}

/** The value of a literal as JavaScript reads it. */
export function literalValue(literal: string): string {
  const body = literal.slice(1, -1);
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (_, escape: string) => {
    switch (escape[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'u':
        return String.fromCodePoint(parseInt(escape.replace(/[u{}]/g, ''), 16));
      case 'x':
        return String.fromCharCode(parseInt(escape.slice(1), 16));
      case '\n':
        return '';
      default:
        return escape;
    }
  });
}

/** The literal value of a constant `NAME = '…'` or a property `OBJECT = { name: '…' }` in `texts`. */
function constantValue(name: string, texts: string[]): string | undefined {
  if (!/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?$/.test(name)) {
    return undefined;
  }
  const [object, property] = name.includes('.') ? name.split('.') : [undefined, name];
  for (const text of texts) {
    if (object) {
      const start = text.search(new RegExp(String.raw`\b${object}\s*(?::[^=]+)?=\s*\{`));
      if (start < 0) {
        continue;
      }
      const body = text.slice(start, text.indexOf('}', start));
      const match = new RegExp(String.raw`\b${property}\s*:\s*(${LITERAL})`).exec(body);
      if (match) {
        return literalValue(match[1]);
      }
    } else {
      const match = new RegExp(String.raw`\b(?:const|let)\s+${property}\s*(?::[^=]+)?=\s*(${LITERAL})`).exec(text);
      if (match) {
        return literalValue(match[1]);
      }
    }
  }
  return undefined;
}

/** Every .ts file under `dir`. */
export function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every message passed to `l10n.t` in the given files (path → text), paths relative to `root`. */
export function extractMessages(files: Map<string, string>): Extracted {
  const messages = new Map<string, string[]>();
  const unresolved: string[] = [];
  const texts = [...files.values()];
  for (const [file, text] of files) {
    for (const match of text.matchAll(CALL)) {
      const where = `${file}:${text.slice(0, match.index).split('\n').length}`;
      const message = match[1] !== undefined ? literalValue(match[1]) : constantValue(match[2], [text, ...texts]);
      if (message === undefined) {
        unresolved.push(`${where} (${match[2].trim()})`);
        continue;
      }
      messages.set(message, [...(messages.get(message) ?? []), where]);
    }
  }
  return { messages, unresolved };
}

/** The bundle's JSON text for the extension in `root`: messages sorted, each its own translation. */
export function bundleFor(root: string): { json: string; unresolved: string[] } {
  const files = new Map<string, string>();
  for (const file of sources(path.join(root, 'src'))) {
    // src/core/l10n.ts only describes the calls in its comments.
    if (path.basename(file) !== 'l10n.ts') {
      files.set(path.relative(root, file).split(path.sep).join('/'), fs.readFileSync(file, 'utf8'));
    }
  }
  const { messages, unresolved } = extractMessages(files);
  const sorted = [...messages.keys()].sort();
  return { json: `${JSON.stringify(Object.fromEntries(sorted.map((m) => [m, m])), null, 2)}\n`, unresolved };
}

export const BUNDLE_PATH = path.join('l10n', 'bundle.l10n.json');

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  const { json, unresolved } = bundleFor(root);
  if (unresolved.length > 0) {
    console.error(`l10n.t() calls whose message is not a literal (use a literal or a constant holding one):\n  ${unresolved.join('\n  ')}`);
    process.exit(1);
  }
  fs.mkdirSync(path.join(root, 'l10n'), { recursive: true });
  fs.writeFileSync(path.join(root, BUNDLE_PATH), json);
  console.log(`${BUNDLE_PATH}: ${Object.keys(JSON.parse(json) as object).length} messages`);
}
