// What pasting clipboard text that holds an Avala key could become instead: the language's
// environment read (the idioms of envIdiom.ts), or, into a .env file, nothing of the key. Pure:
// the document's text, the pasted range and the clipboard text in; the text to insert and the
// edits around it out.
import { envReplacement, pythonImportOs, type IdiomFamily, type OffsetEdit } from './envIdiom';
import { scanForKeys } from './secretScan';

export interface EnvReadPaste {
  /** The one key the clipboard text holds (it may hold it more than once). */
  key: string;
  /** What goes in place of the pasted range. */
  insertText: string;
  /** Edits outside the pasted range, in offsets of the document before the paste (`import os`, a quote around the pasted key). */
  around: OffsetEdit[];
  /** What the key became, for messages: `os.environ["AVALA_API_KEY"]`. */
  expression: string;
}

export interface EnvFilePaste {
  key: string;
  /** The clipboard text without the lines that hold the key: often nothing. */
  insertText: string;
}

/**
 * The keys the pasted text holds once it stands in the document: the text around it decides
 * whether a 40-hex value is a key (`AVALA_API_KEY = "` before it), as the diagnostics do.
 * Undefined when it holds none, or more than one distinct key (they cannot all become AVALA_API_KEY).
 */
function pastedKeys(document: string, start: number, end: number, pasted: string) {
  const combined = document.slice(0, start) + pasted + document.slice(end);
  const inside = scanForKeys(combined).findings.filter((f) => f.start >= start && f.end <= start + pasted.length);
  const values = new Set(inside.map((f) => f.value));
  return values.size === 1 ? { combined, findings: inside, key: inside[0].value } : undefined;
}

/** Whether a clipboard text is worth asking about at all: it holds something key-shaped. Cheap. */
export function mayHoldKey(pasted: string): boolean {
  return /avk_|[0-9a-fA-F]{40}/.test(pasted);
}

/**
 * Pasting `pasted` over [start, end) of `document` with every occurrence of its key replaced by
 * the family's environment read. Undefined when the text holds no key, several keys, or a key
 * the idiom cannot replace safely (in a comment, a bytes literal, a language with no idiom).
 */
export function envReadPaste(document: string, start: number, end: number, pasted: string, family: IdiomFamily): EnvReadPaste | undefined {
  const found = pastedKeys(document, start, end, pasted);
  if (!found) {
    return undefined;
  }
  // Replace from the last key to the first, so earlier offsets stay put; keep the region the
  // edits touched as [from, text.length - suffix), since the text's length changes.
  let text = found.combined;
  let from = start;
  let suffix = text.length - (start + pasted.length);
  let expression = '';
  for (const finding of [...found.findings].reverse()) {
    const replacement = envReplacement(text, finding.start, finding.end, family);
    // The key's own edit is the last one; `import os` (Python) is added once, below.
    const edit = replacement?.edits.at(-1);
    if (!replacement || !edit) {
      return undefined;
    }
    expression = replacement.expression;
    from = Math.min(from, edit.start);
    suffix = Math.min(suffix, text.length - edit.end);
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  let region = text.slice(from, text.length - suffix);
  const around: OffsetEdit[] = [];
  if (from < start) {
    around.push({ start: from, end: start, text: '' });
  }
  const to = document.length - suffix;
  if (to > end) {
    around.push({ start: end, end: to, text: '' });
  }
  if (family === 'python') {
    const importOs = pythonImportOs(text);
    if (importOs && importOs.start < from) {
      around.unshift(importOs);
    } else if (importOs && importOs.start <= from + region.length) {
      // The import goes where the paste goes (an empty file): it becomes part of the pasted text.
      const at = importOs.start - from;
      region = region.slice(0, at) + importOs.text + region.slice(at);
    } else if (importOs) {
      const at = importOs.start - text.length + document.length;
      around.push({ start: at, end: at, text: importOs.text });
    }
  }
  return { key: found.key, insertText: region, around, expression };
}

/**
 * Pasting into a .env file: the key goes to secret storage, not into the file. What is pasted
 * is the clipboard text without the lines that hold the key. Undefined when it holds no key or several.
 */
export function envFilePaste(document: string, start: number, end: number, pasted: string): EnvFilePaste | undefined {
  const found = pastedKeys(document, start, end, pasted);
  if (!found) {
    return undefined;
  }
  const kept = pasted.split(/(?<=\n)/).filter((line) => !line.includes(found.key));
  const insertText = kept.join('');
  return { key: found.key, insertText: insertText.trim() === '' ? '' : insertText };
}
