// Keeps a document's findings current while it is edited, scanning only the lines an edit
// touched. What a finding is depends on its own line and the line before it (a value alone on
// its line continuing a `NAME:` line, see secretScan.ts), never on anything further away, so
// rescanning from the line before the edit to the line after it gives what a full scan gives.
import { scanForKeys, type KeyFinding } from './secretScan';

/** One edit, as VS Code reports it: `removed` characters at `start` replaced by `inserted` ones. */
export interface TextEdit {
  start: number;
  removed: number;
  inserted: number;
}

/**
 * The lines to rescan after an edit, in the edited text: `scanFrom` is the start of the line
 * before the edit's first line (its context), `keepFrom` the start of the edit's first line, and
 * `end` the end of the line after the edit's last line. Offsets come from `lineStart(line)` and
 * `lineEnd(line)` of the edited text and `lineOf(offset)`.
 */
export interface RescanRegion {
  scanFrom: number;
  keepFrom: number;
  end: number;
}

/** The edited text's lines, as an editor's document gives them without copying the whole text. */
export interface EditedLines {
  lineOf(offset: number): number;
  lineStart(line: number): number;
  /** The offset after the line's last character (before its line break). */
  lineEnd(line: number): number;
  lineCount: number;
}

export function rescanRegion(edit: TextEdit, lines: EditedLines): RescanRegion {
  const first = lines.lineOf(edit.start);
  const last = Math.min(lines.lineCount - 1, lines.lineOf(edit.start + edit.inserted) + 1);
  return { scanFrom: lines.lineStart(Math.max(0, first - 1)), keepFrom: lines.lineStart(first), end: lines.lineEnd(last) };
}

/**
 * The findings after an edit: those before the region as they were, those after it moved by the
 * edit's length change, and in between what a scan of `regionText` (the edited text from
 * `region.scanFrom` to `region.end`) finds. Undefined when the region is not scannable (binary):
 * then only a full scan says what the document is.
 */
export function findingsAfterEdit(
  previous: readonly KeyFinding[],
  edit: TextEdit,
  region: RescanRegion,
  regionText: string,
): KeyFinding[] | undefined {
  const delta = edit.inserted - edit.removed;
  const oldEnd = region.end - delta;
  const scanned = scanForKeys(regionText);
  if (scanned.skipped) {
    return undefined;
  }
  const fresh = scanned.findings
    .map((f) => ({ ...f, start: f.start + region.scanFrom, end: f.end + region.scanFrom }))
    .filter((f) => f.start >= region.keepFrom);
  return [
    ...previous.filter((f) => f.end <= region.keepFrom),
    ...fresh,
    ...previous.filter((f) => f.start >= oldEnd).map((f) => ({ ...f, start: f.start + delta, end: f.end + delta })),
  ];
}
