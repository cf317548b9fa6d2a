import type { ApiErrorReason } from './errors';

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
