import type { ApiErrorReason } from './errors';
import * as l10n from './l10n';

/** What the extension knows about a key, from its last check. */
export type KeyState = 'unchecked' | 'valid' | 'invalid' | 'expired' | 'missing' | 'forbidden' | 'throttled' | 'unreachable';

export interface KeyCheck {
  state: KeyState;
  /** ISO time of the check. */
  at: string;
  /** The server's or the network's words, redacted. */
  detail?: string;
  /** For `throttled`: ISO time when checking resumes. */
  retryAt?: string;
}

/** Maps an API failure to a key state. Network trouble never makes a key look bad. */
export function stateFromReason(reason: ApiErrorReason): KeyState {
  switch (reason) {
    case 'invalidKey':
      return 'invalid';
    case 'expiredKey':
      return 'expired';
    case 'missingKey':
      return 'missing';
    case 'forbidden':
      return 'forbidden';
    case 'rateLimited':
      return 'throttled';
    default:
      return 'unreachable';
  }
}

// Whether a state is a failure, definitive, transient: asked here and nowhere else.

/** States that say the key itself is unusable (as opposed to the network or the server). */
export function isKeyFailure(state: KeyState): boolean {
  return state === 'invalid' || state === 'expired';
}

/** States that say something about the key; network trouble, throttling and no check yet do not. */
export function isDefinitive(state: KeyState): boolean {
  return state !== 'unreachable' && state !== 'throttled' && state !== 'unchecked';
}

/** Definitive states other than valid: the key stopped working for this purpose (not the network). */
export function needsAttention(state: KeyState): boolean {
  return isDefinitive(state) && state !== 'valid';
}

/** Failures that say nothing about the key itself: the network or the server failed, or asked to wait. */
export function isTransientReason(reason: ApiErrorReason): boolean {
  return ['network', 'timeout', 'server', 'malformedResponse', 'redirect', 'rateLimited', 'blocked'].includes(reason);
}

/** Short words for a state, used by the tree, the status bar and pickers. */
export function describeState(state: KeyState): string {
  switch (state) {
    case 'unchecked':
      return l10n.t('not checked yet');
    case 'valid':
      return l10n.t('valid');
    case 'invalid':
      return l10n.t('invalid or revoked');
    case 'expired':
      return l10n.t('expired');
    case 'missing':
      return l10n.t('key was not sent');
    case 'forbidden':
      return l10n.t('works, lacks permission');
    case 'throttled':
      return l10n.t('throttled');
    case 'unreachable':
      return l10n.t('cannot reach Avala');
  }
}

/** "3 minutes ago"-style relative time for tooltips and tree descriptions. */
export function relativeTime(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return l10n.t('at an unknown time');
  }
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) {
    return l10n.t('just now');
  }
  const units: [number, string][] = [
    [60, 'minute'],
    [3600, 'hour'],
    [86400, 'day'],
  ];
  let value = seconds / 60;
  let unit = 'minute';
  for (const [size, name] of units) {
    if (seconds >= size) {
      value = seconds / size;
      unit = name;
    }
  }
  const n = Math.max(1, Math.round(value));
  switch (unit) {
    case 'day':
      return n === 1 ? l10n.t('1 day ago') : l10n.t('{0} days ago', n);
    case 'hour':
      return n === 1 ? l10n.t('1 hour ago') : l10n.t('{0} hours ago', n);
    default:
      return n === 1 ? l10n.t('1 minute ago') : l10n.t('{0} minutes ago', n);
  }
}
