// A small .gitignore matcher, for when the built-in git extension cannot say whether a file
// is ignored (no repository yet, git disabled, a virtual workspace). It follows the rules a
// person relies on: `#` comments, `!` negation, `/` anchoring, trailing `/` for folders,
// `*`, `?`, `[…]` and `**`. A file inside an ignored folder stays ignored.

export interface IgnoreFile {
  /** The folder holding this .gitignore, relative to the root, `/`-separated; '' for the root. */
  dir: string;
  text: string;
}

interface Rule {
  regex: RegExp;
  negated: boolean;
  dirOnly: boolean;
}

function compile(file: IgnoreFile): Rule[] {
  const rules: Rule[] = [];
  for (const raw of file.text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const negated = line.startsWith('!');
    if (negated) {
      line = line.slice(1);
    }
    const dirOnly = line.endsWith('/');
    line = line.replace(/\/+$/, '');
    // A slash at the start or in the middle anchors the pattern to this .gitignore's folder.
    const anchored = line.includes('/');
    line = line.replace(/^\//, '');
    const body = globToRegex(line);
    const base = file.dir ? `${escapeRegex(file.dir)}/` : '';
    rules.push({ regex: new RegExp(`^${base}${anchored ? '' : '(?:.*/)?'}${body}$`), negated, dirOnly });
  }
  return rules;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[++i]);
    } else if (ch === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        const slashBefore = i === 0 || glob[i - 1] === '/';
        if (slashBefore && slashAfter) {
          out += '(?:.*/)?';
          i += 2;
        } else if (slashBefore && i + 2 === glob.length) {
          out += '.*';
          i += 1;
        } else {
          out += '[^/]*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
      } else {
        out += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else {
      out += escapeRegex(ch);
    }
  }
  return out;
}

/** Compiled .gitignore files of one tree; build once, ask many times. */
export class GitignoreMatcher {
  private readonly rules: Rule[];

  constructor(files: IgnoreFile[]) {
    // Deeper files come later so that, as in git, they have the last word.
    const ordered = [...files].sort((a, b) => depth(a.dir) - depth(b.dir));
    this.rules = ordered.flatMap(compile);
  }

  /** Whether a file (relative, `/`-separated) is ignored. */
  isIgnored(relativePath: string): boolean {
    const parts = relativePath.split('/').filter(Boolean);
    // An ignored folder cannot have its files re-included.
    for (let n = 1; n < parts.length; n++) {
      if (this.decide(parts.slice(0, n).join('/'), true)) {
        return true;
      }
    }
    return this.decide(parts.join('/'), false);
  }

  private decide(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if ((!rule.dirOnly || isDir) && rule.regex.test(path)) {
        ignored = !rule.negated;
      }
    }
    return ignored;
  }
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}
