// The one redaction function. Every log line, error message, notification and tooltip
// that could carry text from the network or the user passes through `redact`.
//
// Module state: the registry of secrets. One per extension host, so this module must stay in
// extension.js, never be copied into a lazy chunk (checked by scripts/build/moduleState.mjs).

const MASK = '[REDACTED]';

/** Values registered at run time (a key being stored, a password being sent). */
const knownSecrets = new Set<string>();

// `X-Avala-Api-Key: value` in header dumps, JSON and curl lines; the value runs to the
// end of the token (quotes, commas, whitespace and line ends stop it).
const HEADER = /(x-avala-api-key["']?\s*[:=]\s*["']?)([^\s"',;}]+)/gi;
// Avala's documented key shape and other prefixed keys (`avk_…`, any case).
const AVK = /\bavk_[A-Za-z0-9_-]+/gi;
// The server-generated form: 40 hex characters. Longer hex runs are masked too: a key
// glued to text that happens to start with hex letters ("…6507Bearer") must not escape.
const HEX40 = /[0-9a-fA-F]{40,}/g;

/** Remembers a value that must never appear in output (shorter than 6 chars is ignored). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) {
    knownSecrets.add(value);
  }
}

export function forgetSecret(value: string | undefined): void {
  if (value) {
    knownSecrets.delete(value);
  }
}

export function redact(text: string): string {
  if (!text) {
    return text;
  }
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) {
      out = out.split(secret).join(MASK);
    }
  }
  return out
    .replace(HEADER, (_m, name: string) => `${name}${MASK}`)
    .replace(AVK, MASK)
    .replace(HEX40, MASK);
}

/** An error's message (or anything thrown, as text), redacted, to show to the user. */
export function redactedMessage(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

/** Redacts any value for logging: errors keep their name and message, objects become JSON. */
export function redactValue(value: unknown): string {
  if (value instanceof Error) {
    return redact(`${value.name}: ${value.message}`);
  }
  if (typeof value === 'string') {
    return redact(value);
  }
  try {
    return redact(JSON.stringify(value));
  } catch {
    return redact(String(value));
  }
}
