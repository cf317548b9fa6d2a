// What logging in with a pasted key does when Avala does not simply confirm it. Pure: the
// log-in flow shows the message and offers the actions its kind names.
import type { ApiErrorReason } from '../../core/errors';
import type { KeyCheck } from '../../core/keyState';
import * as l10n from '../../core/l10n';

/** The part of an AvalaApiError the outcome depends on (AvalaApiError fits). */
export interface LogInFailure {
  reason: ApiErrorReason;
  message: string;
  detail?: string;
  retryAfterSeconds?: number;
}

export type LogInOutcome =
  /** Avala says the key is bad. Nothing is stored; offer Mission Control or another key. */
  | { kind: 'rejected'; message: string }
  /** Nothing is stored, and trying again would not help. */
  | { kind: 'failed'; message: string }
  /** Avala asks to wait. Nothing is stored; offer Retry. */
  | { kind: 'throttled'; message: string }
  /** Avala could not be reached. Offer Retry, or storing the key unchecked with `check`. */
  | { kind: 'unreachable'; message: string; check: KeyCheck }
  /** The key works (it may only not read its own permissions): store it with `check`. */
  | { kind: 'store'; check: KeyCheck };

/** `host` is the API the key was sent to; `at` the ISO time of the check. */
export function logInOutcome(failure: LogInFailure, host: string, at: string): LogInOutcome {
  const words = failure.detail ?? failure.message;
  switch (failure.reason) {
    case 'invalidKey':
      return {
        kind: 'rejected',
        message: l10n.t('Avala rejected this key: "{0}" It is mistyped, or it was revoked. Nothing was stored.', words),
      };
    case 'expiredKey':
      return {
        kind: 'rejected',
        message: l10n.t(
          'Avala says this key has expired: "{0}" Regenerate it in Mission Control, then log in with the new key. Nothing was stored.',
          words,
        ),
      };
    case 'missingKey':
      return {
        kind: 'failed',
        message: l10n.t(
          'The key did not reach Avala ("{0}"): a proxy between VS Code and {1} may strip the X-Avala-Api-Key header. Nothing was stored.',
          words,
          host,
        ),
      };
    case 'insecureUrl':
      return { kind: 'failed', message: l10n.t('Cannot check the key: {0}', failure.message) };
    case 'forbidden':
      // The key authenticated; it only may not read its own permissions.
      return { kind: 'store', check: { state: 'forbidden', at, detail: failure.detail } };
    case 'rateLimited':
      return {
        kind: 'throttled',
        message: l10n.t('Avala is throttling requests; try again in {0} seconds. Nothing was stored.', failure.retryAfterSeconds ?? 60),
      };
    default:
      return {
        kind: 'unreachable',
        message: l10n.t(
          'Cannot reach Avala at {0} to check the key: {1} You can store it unchecked and check it later.',
          host,
          failure.message,
        ),
        check: { state: 'unreachable', at, detail: failure.message },
      };
  }
}
