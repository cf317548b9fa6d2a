// Finds Avala API keys written into source text ("Never hard-code API keys in source code").
// Pure and fast: one regular-expression pass over the text, then a look at the few
// characters before each candidate. A 5 MB file scans in a few milliseconds
// (scripts/bench-scan.ts measures it).
import { maskKey } from '../../core/keyFormat';
import * as l10n from '../../core/l10n';

/**
 * Where a key stands. An `avk_…` key (Avala's documented shape) is a key wherever it is; a
 * 40-hex value only right after the header or assigned to a key-like name.
 */
export type FindingKind =
  /** An `avk_…` key with nothing around it that says more. */
  | 'prefixed'
  /** Right after an `X-Avala-Api-Key` header name. */
  | 'header'
  /** Assigned to a name containing AVALA or API_KEY. */
  | 'assignment';

export interface KeyFinding {
  /** Offsets of the key itself in the text (end exclusive). */
  start: number;
  end: number;
  value: string;
  kind: FindingKind;
  /** For `assignment`: the name the value is assigned to (`AVALA_API_KEY`, `apiKey`, …). */
  name?: string;
}

export interface ScanResult {
  findings: KeyFinding[];
  /** Set when the text was not scanned at all. */
  skipped?: 'tooLarge' | 'binary';
}

/** Larger documents are skipped (VS Code itself stops syncing files to extensions at 50 MB). */
export const MAX_SCAN_CHARS = 10 * 1024 * 1024;

/** How far back on the line the name or header of a 40-hex value may be. */
const PREFIX_WINDOW = 160;

// The end of the text before a value: a header name, an optional closing quote or bracket, a
// separator (`:`, `=`, `:=`, `=>`, `,` as in setHeader("X-Avala-Api-Key", "…")) and an
// optional opening quote.
const HEADER_BEFORE = /x-avala-api-key["'`]?\]?\s*(?:=>|:=|[:=,])?\s*["'`]?$/i;
// The same with a name: `AVALA_API_KEY=`, `"apiKey": "`, `os.environ["AVALA_API_KEY"] = "`,
// `api_key="`, `--api-key=`, and a fallback after the variable (`process.env.AVALA_API_KEY || "`,
// `os.getenv("AVALA_API_KEY") or "`). A plain space separates only for names that say API key
// (`ENV AVALA_API_KEY 0123…` in a Dockerfile, `--api-key 0123…`).
const NAME_BEFORE = /([A-Za-z_$][\w$.-]*)["'`]?[\])]?(\s*(?:=>|:=|<-|\|\||\?\?|[:=,])\s*|\s+or\s+|\s+)["'`]?$/;
const KEYISH_NAME = /avala|api[_-]?key/i;
const API_KEY_NAME = /api[_-]?key/i;
// Names that hold a hash, not a key: `AVALA_SDK_COMMIT = "<sha>"`.
const HASH_NAME = /sha|commit|hash|digest|checksum|revision|\brev\b|version|integrity|etag/i;

/** Scans a text for Avala keys. Skips texts over `maxChars` and binary ones (NUL characters). */
export function scanForKeys(text: string, maxChars: number = MAX_SCAN_CHARS): ScanResult {
  if (text.length > maxChars) {
    return { findings: [], skipped: 'tooLarge' };
  }
  if (text.includes('\0')) {
    return { findings: [], skipped: 'binary' };
  }
  const findings: KeyFinding[] = [];
  const prefixed = prefixedKeys(text);
  for (const finding of prefixed) {
    if (!looksPlaceholder(finding.value.slice(4))) {
      findings.push({ ...finding, ...contextOf(text, finding.start) });
    }
  }
  let next = 0;
  for (const start of hexRuns(text)) {
    const end = start + 40;
    // The hex body of an `avk_` key is that key, not a second one.
    while (next < prefixed.length && prefixed[next].end < start) {
      next++;
    }
    if (next < prefixed.length && prefixed[next].start <= start && start < prefixed[next].end) {
      continue;
    }
    const value = text.slice(start, end);
    if (looksPlaceholder(value)) {
      continue;
    }
    const context = contextOf(text, start);
    if (context !== undefined) {
      findings.push({ start, end, value, ...context });
    }
  }
  return { findings: findings.sort((a, b) => a.start - b.start) };
}

// Character classes for the one pass over the text: a regular expression that tries every
// position costs 20 times more on a 5 MB file.
const OTHER = 0;
const HEX_DIGIT = 1;
const WORD = 2; // letters and digits that are not hex, and `_`
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CLASS[c] = /[0-9a-fA-F]/.test(ch) ? HEX_DIGIT : /[A-Za-z_]/.test(ch) ? WORD : OTHER;
}
const classOf = (code: number) => (code < 128 ? CLASS[code] : OTHER);

/** `avk_` with a body of 16 or more key characters, not glued to a word before it. */
function prefixedKeys(text: string): KeyFinding[] {
  const found: KeyFinding[] = [];
  // Searching for `vk_` and then checking the `a` is twice as fast on hex-heavy text, where
  // every other character is an `a` that would start a partial match of `avk_`.
  for (let v = text.indexOf('vk_', 1); v >= 0; v = text.indexOf('vk_', v + 3)) {
    const at = v - 1;
    if (text.charCodeAt(at) !== 97 /* a */ || (at > 0 && classOf(text.charCodeAt(at - 1)) !== OTHER)) {
      continue;
    }
    let end = at + 4;
    while (end < text.length && (classOf(text.charCodeAt(end)) !== OTHER || text.charCodeAt(end) === 45) /* - */) {
      end++;
    }
    if (end - at - 4 >= 16) {
      found.push({ start: at, end, value: text.slice(at, end), kind: 'prefixed' });
    }
  }
  return found;
}

/** Starts of runs of exactly 40 hex characters with no letter or digit on either side (`_` may touch them). */
function hexRuns(text: string): number[] {
  const starts: number[] = [];
  const length = text.length;
  let runStart = -1;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const cls = code < 128 ? CLASS[code] : OTHER;
    if (cls === HEX_DIGIT) {
      if (runStart < 0) {
        runStart = i;
      }
    } else if (runStart >= 0) {
      if (i - runStart === 40 && (cls === OTHER || code === 95)) {
        starts.push(runStart);
      }
      runStart = -1;
    }
  }
  if (runStart >= 0 && length - runStart === 40) {
    starts.push(runStart);
  }
  // A run glued to a letter or digit before it is part of a longer word.
  return starts.filter((start) => start === 0 || !isAlnum(text.charCodeAt(start - 1)));
}

function isAlnum(code: number): boolean {
  return classOf(code) !== OTHER && code !== 95; /* _ */
}

/** Docs placeholders and test fillers: `avk_your_api_key_here`, `0000…`, `aaaa…`. */
function looksPlaceholder(body: string): boolean {
  if (!/[0-9]/.test(body)) {
    return true;
  }
  return new Set(body.toLowerCase()).size < 6;
}

/** Whether the text before a 40-hex value makes it a key, and why. */
function contextOf(text: string, start: number): { kind: FindingKind; name?: string } | undefined {
  const lineStart = lineStartWithin(text, start, PREFIX_WINDOW);
  const before = text.slice(Math.max(lineStart, start - PREFIX_WINDOW), start);
  const direct = judgePrefix(before);
  if (direct) {
    return direct;
  }
  // A value alone on its line, continuing the line before (YAML `AVALA_API_KEY:` then an
  // indented value, a header dict split over lines).
  if (lineStart > 0 && text[lineStart - 1] === '\n' && /^[\s"'`-]*$/.test(text.slice(lineStart, start))) {
    const previousStart = lineStartWithin(text, lineStart - 1, PREFIX_WINDOW);
    const previous = text
      .slice(Math.max(previousStart, lineStart - 1 - PREFIX_WINDOW), lineStart - 1)
      .replace(/\r$/, '')
      .trimEnd();
    if (/[:=,>]$/.test(previous) || /[|>][-+]?$/.test(previous)) {
      return judgePrefix(previous.replace(/\s*[|>][-+]?$/, '') + ' ');
    }
  }
  return undefined;
}

/** The start of the line holding `at`, looking back at most `window` characters (a minified line is long). */
function lineStartWithin(text: string, at: number, window: number): number {
  const limit = Math.max(0, at - window);
  for (let i = at - 1; i >= limit; i--) {
    if (text.charCodeAt(i) === 10) {
      return i + 1;
    }
  }
  return limit;
}

function judgePrefix(before: string): { kind: FindingKind; name?: string } | undefined {
  if (HEADER_BEFORE.test(before)) {
    return { kind: 'header' };
  }
  const named = NAME_BEFORE.exec(before);
  if (!named) {
    return undefined;
  }
  const [, name, separator] = named;
  if (!KEYISH_NAME.test(name) || HASH_NAME.test(name)) {
    return undefined;
  }
  if (separator.trim() === '' && !API_KEY_NAME.test(name)) {
    return undefined;
  }
  return { kind: 'assignment', name: name.replace(/^-+/, '') };
}

/** The severity of a hard-coded key diagnostic: a .env or git-ignored file, or a key Avala said is not live, is an Information. */
export function findingSeverity(lesserEvil: 'env' | 'ignored' | undefined, notLive: boolean): 'warning' | 'information' {
  return lesserEvil || notLive ? 'information' : 'warning';
}

/** The diagnostic's words. The key itself never appears: only `avk_…6507`. */
export function describeFinding(
  finding: KeyFinding,
  storedLabel: string | undefined,
  lesserEvil: 'env' | 'ignored' | undefined,
  notLive = false,
): string {
  const masked = maskKey(finding.value);
  const what =
    finding.kind === 'header'
      ? l10n.t('An Avala API key ({0}) is written into the X-Avala-Api-Key header here.', masked)
      : finding.kind === 'assignment' && finding.name
        ? l10n.t('An Avala API key ({0}) is assigned to {1} here.', masked, finding.name)
        : l10n.t('An Avala API key ({0}) is written into this file.', masked);
  const whose = storedLabel ? ` ${l10n.t("This is your key '{0}'.", storedLabel)}` : '';
  const live = notLive ? ` ${l10n.t('Avala said it is not live (revoked or expired).')}` : '';
  const advice =
    lesserEvil === 'env'
      ? l10n.t("A .env file is the lesser evil, but VS Code's secret storage cannot be committed or shared by accident.")
      : lesserEvil === 'ignored'
        ? l10n.t("The file is ignored by git, the lesser evil; VS Code's secret storage is safer still.")
        : l10n.t('Never hard-code API keys: keep it in secret storage and read AVALA_API_KEY from the environment.');
  return `${what}${whose}${live} ${advice}`;
}
