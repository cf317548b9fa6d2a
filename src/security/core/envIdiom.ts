// How each language reads AVALA_API_KEY from the environment, and the edits that replace a
// hard-coded key with it. Pure: offsets in, offsets out; the editor applies them.
import { ENV } from '../../core/environment';

export type IdiomFamily = 'js' | 'python' | 'shell' | 'interpolated' | 'powershell' | 'ruby' | 'java' | 'csharp';

export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export interface Replacement {
  edits: OffsetEdit[];
  /** What the key became, for messages: `process.env.AVALA_API_KEY`. */
  expression: string;
}

interface Idiom {
  /** The expression that reads the variable, in place of a whole string literal. */
  expression: string;
  /** The key's replacement when it stands unquoted (a YAML value, a shell word); none in code. */
  bare?: string;
  /** Whole quoted literals keep their quotes and only the key changes (YAML, Dockerfile, .env). */
  keepQuotes?: boolean;
  /** The key's replacement inside a string that interpolates, or undefined when this one does not. */
  interpolate?(quote: string, prefix: string): string | undefined;
  /** Languages where `"text" + expr` joins strings. */
  concatenates?: boolean;
  /** What starts a line comment: `#` (after a space or at the line start) or `//` and `/*`. */
  comment: 'hash' | 'slash';
}

const NAME = ENV.apiKey;

const IDIOMS: Record<IdiomFamily, Idiom> = {
  js: {
    expression: `process.env.${NAME}`,
    interpolate: (quote) => (quote === '`' ? `\${process.env.${NAME}}` : undefined),
    concatenates: true,
    comment: 'slash',
  },
  python: {
    expression: `os.environ["${NAME}"]`,
    // Before Python 3.12 an f-string may not reuse its own quote inside the braces.
    interpolate: (quote, prefix) => (/f/i.test(prefix) ? `{os.environ[${quote.startsWith('"') ? `'${NAME}'` : `"${NAME}"`}]}` : undefined),
    concatenates: true,
    comment: 'hash',
  },
  shell: {
    expression: `"$${NAME}"`,
    bare: `"$${NAME}"`,
    interpolate: (quote) => (quote === '"' ? `\${${NAME}}` : undefined),
    comment: 'hash',
  },
  interpolated: {
    expression: `\${${NAME}}`,
    bare: `\${${NAME}}`,
    keepQuotes: true,
    interpolate: () => `\${${NAME}}`,
    comment: 'hash',
  },
  powershell: {
    expression: `$env:${NAME}`,
    bare: `$env:${NAME}`,
    interpolate: (quote) => (quote === '"' ? `$($env:${NAME})` : undefined),
    concatenates: true,
    comment: 'hash',
  },
  ruby: {
    expression: `ENV["${NAME}"]`,
    interpolate: (quote) => (quote === '"' ? `#{ENV["${NAME}"]}` : undefined),
    concatenates: true,
    comment: 'hash',
  },
  java: {
    expression: `System.getenv("${NAME}")`,
    concatenates: true,
    comment: 'slash',
  },
  csharp: {
    expression: `System.Environment.GetEnvironmentVariable("${NAME}")`,
    concatenates: true,
    comment: 'slash',
  },
};

const BY_LANGUAGE: Record<string, IdiomFamily> = {
  javascript: 'js',
  javascriptreact: 'js',
  typescript: 'js',
  typescriptreact: 'js',
  vue: 'js',
  svelte: 'js',
  python: 'python',
  shellscript: 'shell',
  yaml: 'interpolated',
  dockerfile: 'interpolated',
  dockercompose: 'interpolated',
  dotenv: 'interpolated',
  powershell: 'powershell',
  ruby: 'ruby',
  java: 'java',
  kotlin: 'java',
  csharp: 'csharp',
};

/** True for `.env`, `.env.local`, `.envrc`…: files meant to hold environment values. */
export function isEnvFile(fileName: string): boolean {
  return /^\.env/i.test(baseName(fileName));
}

/** The language family of a document, from its language id, else from its file name. */
export function idiomFamily(languageId: string, fileName: string): IdiomFamily | undefined {
  const byId = BY_LANGUAGE[languageId];
  if (byId) {
    return byId;
  }
  const base = baseName(fileName);
  if (isEnvFile(base) || /^(Dockerfile|Containerfile)(\..*)?$|\.dockerfile$|\.ya?ml$/i.test(base)) {
    return 'interpolated';
  }
  if (/\.(sh|bash|zsh)$/i.test(base)) {
    return 'shell';
  }
  return undefined;
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}

interface StringSpan {
  /** Offset of the opening quote (after any prefix such as `f` or `r`). */
  open: number;
  /** Offset of the closing quote. */
  close: number;
  quote: string;
  /** Letters before the opening quote: `f`, `rb`, `$`, `@`. */
  prefix: string;
}

/**
 * The string literal around [start, end) on its line: a span, `'code'` when the key stands
 * outside any string, `'comment'` after a line comment, `undefined` when unclear (a string
 * that runs over several lines).
 */
function stringAround(text: string, start: number, end: number, family: IdiomFamily): StringSpan | 'code' | 'comment' | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) {
    lineEnd = text.length;
  }
  const comment = IDIOMS[family].comment;
  let quote: string | undefined;
  let open = -1;
  for (let i = lineStart; i < start; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && !(family === 'shell' && quote === "'")) {
        i++;
      } else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = undefined;
      }
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      quote = family === 'python' && text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      open = i;
      i += quote.length - 1;
      continue;
    }
    if (isCommentStart(text, i, lineStart, comment)) {
      return 'comment';
    }
  }
  if (!quote) {
    return 'code';
  }
  for (let i = end; i < lineEnd; i++) {
    const ch = text[i];
    if (ch === '\\' && !(family === 'shell' && quote === "'")) {
      i++;
    } else if (text.startsWith(quote, i)) {
      const prefix = /[A-Za-z$@]{0,3}$/.exec(text.slice(Math.max(lineStart, open - 3), open))?.[0] ?? '';
      return { open, close: i, quote, prefix: family === 'python' || family === 'csharp' ? prefix : '' };
    }
  }
  return undefined;
}

function isCommentStart(text: string, i: number, lineStart: number, comment: Idiom['comment']): boolean {
  if (comment === 'slash') {
    return text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*');
  }
  return text[i] === '#' && (i === lineStart || /\s/.test(text[i - 1]));
}

/**
 * The edits that replace the key at [start, end) with the language's environment idiom,
 * including its quotes where the literal is exactly the key. Undefined when there is no safe
 * replacement (a comment, a bytes literal, a string over several lines, an unknown language).
 */
export function envReplacement(text: string, start: number, end: number, family: IdiomFamily): Replacement | undefined {
  const idiom = IDIOMS[family];
  const around = stringAround(text, start, end, family);
  let edit: OffsetEdit | undefined;
  let expression = idiom.expression;
  if (around === 'code') {
    if (idiom.bare === undefined) {
      return undefined;
    }
    expression = idiom.bare;
    edit = { start, end, text: expression };
  } else if (around === 'comment' || around === undefined) {
    return undefined;
  } else {
    const { open, close, quote, prefix } = around;
    if (family === 'python' && /b/i.test(prefix)) {
      return undefined;
    }
    const whole = open + quote.length === start && close === end;
    const interpolated = idiom.interpolate?.(quote, prefix);
    if (whole && !idiom.keepQuotes) {
      edit = { start: open - prefix.length, end: close + quote.length, text: idiom.expression };
    } else if (interpolated !== undefined) {
      expression = interpolated;
      edit = { start, end, text: interpolated };
    } else if (family === 'shell' && quote === "'") {
      // Close the single-quoted part, expand in double quotes, reopen if text follows.
      expression = `"$${NAME}"`;
      edit = close === end ? { start, end: close + 1, text: `'"$${NAME}"` } : { start, end, text: `'"$${NAME}"'` };
    } else if (idiom.concatenates) {
      const before = start > open + quote.length;
      const after = end < close;
      const reopen = `${prefix.replace(/f/i, '')}${quote}`;
      if (before && after) {
        edit = { start, end, text: `${quote} + ${idiom.expression} + ${reopen}` };
      } else if (before) {
        edit = { start, end: close + quote.length, text: `${quote} + ${idiom.expression}` };
      } else {
        edit = { start: open - prefix.length, end, text: `${idiom.expression} + ${reopen}` };
      }
    } else {
      return undefined;
    }
  }
  const edits = [edit];
  if (family === 'python') {
    const importEdit = pythonImportOs(text);
    if (importEdit) {
      edits.unshift(importEdit);
    }
  }
  return { edits, expression };
}

/** `import os` where Python allows it (after a shebang, comments, the docstring and __future__ imports), unless present. */
export function pythonImportOs(text: string): OffsetEdit | undefined {
  if (/^[ \t]*import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*os[ \t]*(?:,|#|$)/m.test(text)) {
    return undefined;
  }
  const lines = text.split('\n');
  let offset = 0;
  let i = 0;
  const advance = () => {
    offset += lines[i].length + 1;
    i++;
  };
  while (i < lines.length && /^\s*(#.*)?\r?$/.test(lines[i])) {
    advance();
  }
  const docstring = i < lines.length ? /^[rRuU]?("""|''')/.exec(lines[i].trimStart()) : null;
  if (docstring) {
    const delimiter = docstring[1];
    const rest = lines[i].trimStart().slice(docstring[0].length);
    let closed = rest.includes(delimiter);
    advance();
    while (!closed && i < lines.length) {
      closed = lines[i].includes(delimiter);
      advance();
    }
  }
  let insertAt = docstring ? offset : -1;
  for (; i < lines.length; advance()) {
    if (/^from[ \t]+__future__[ \t]+import\b/.test(lines[i])) {
      insertAt = offset + lines[i].length + 1;
    } else if (!/^\s*(#.*)?\r?$/.test(lines[i])) {
      break;
    }
  }
  if (insertAt < 0) {
    // No docstring, no __future__: directly after the leading comments (shebang, coding line).
    insertAt = lines.slice(0, leadingCommentLines(lines)).reduce((n, line) => n + line.length + 1, 0);
  }
  insertAt = Math.min(insertAt, text.length);
  const needsNewline = insertAt === text.length && text.length > 0 && !text.endsWith('\n');
  return { start: insertAt, end: insertAt, text: `${needsNewline ? '\n' : ''}import os\n` };
}

function leadingCommentLines(lines: string[]): number {
  let n = 0;
  while (n < lines.length && /^#.*\r?$/.test(lines[n])) {
    n++;
  }
  return n;
}
