// What a pasted key may look like. Avala's docs show `avk_…`, the server makes 40 hex
// characters, older docs show other prefixes: accept any non-empty key without
// whitespace or control characters, and never reject one for its prefix.
import * as l10n from './l10n';

export const MAX_KEY_LENGTH = 4096;

export type KeyShape = { ok: true; key: string } | { ok: false; message: string };

// Zero-width and bidi characters paste invisibly from chat apps and web pages.
const INVISIBLE = /[\u200B-\u200F\u2028-\u202E\u2060-\u2064\uFEFF]/;

export function checkKeyShape(raw: string): KeyShape {
  const key = raw.trim();
  if (key.length === 0) {
    return { ok: false, message: l10n.t('The API key is empty.') };
  }
  if (key.length > MAX_KEY_LENGTH) {
    return { ok: false, message: l10n.t('That is {0} characters long; an Avala API key is much shorter. Paste only the key.', key.length) };
  }
  if (/\s/.test(key)) {
    return { ok: false, message: l10n.t('The API key contains whitespace or a line break inside it. Paste only the key, on one line.') };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F-\u009F]/.test(key)) {
    return { ok: false, message: l10n.t('The API key contains a control character. Paste only the key.') };
  }
  if (INVISIBLE.test(key)) {
    return {
      ok: false,
      message: l10n.t(
        'The API key contains an invisible (zero-width) character, often picked up when copying from a web page or chat. Copy it again from Mission Control.',
      ),
    };
  }
  if (!/^[\x21-\x7E]+$/.test(key)) {
    return { ok: false, message: l10n.t('The API key contains characters that are not plain ASCII. Copy it again from Mission Control.') };
  }
  return { ok: true, key };
}

/** `avk_…a1b2`: the prefix (when there is one) and never more than the last 4 characters. */
export function maskKey(key: string): string {
  const tail = key.length > 8 ? key.slice(-4) : '';
  const prefix = /^[a-z]{2,5}_/i.exec(key)?.[0] ?? '';
  return `${prefix}…${tail}`;
}
