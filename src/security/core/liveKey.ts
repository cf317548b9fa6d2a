// Live-leak triage of a key found in a file: what Avala's answer to one explicit check means,
// in words, and what it does to the diagnostic. Pure: the adapter makes the request.
import type { ApiErrorReason } from '../../core/errors';
import * as l10n from '../../core/l10n';
import { scopeMeaning } from '../../core/scopes';

/** What the check learned. */
export type LiveCheck =
  /** Avala accepted the key: anyone holding it can use it. `scopes` undefined: not reported. */
  | { kind: 'live'; scopes: string[] | undefined; permissionsHidden?: boolean }
  /** Avala refused it for good: revoked (or never valid) or expired. */
  | { kind: 'notLive'; state: 'invalid' | 'expired'; detail: string }
  /** Nothing learned about the key: throttled, unreachable, the header stripped, a refused URL. */
  | { kind: 'unknown'; reason: 'throttled' | 'unreachable' | 'notSent' | 'refusedUrl'; detail: string; retryAfterSeconds?: number };

/** The part of an AvalaApiError the result depends on (AvalaApiError fits). */
export interface CheckFailure {
  reason: ApiErrorReason;
  message: string;
  detail?: string;
  retryAfterSeconds?: number;
}

/** Avala's answer to the permissions check (`scopes` as the client reports them), or its failure. */
export function liveCheckOf(answer: { scopes: string[] | undefined } | { failure: CheckFailure }): LiveCheck {
  if (!('failure' in answer)) {
    return { kind: 'live', scopes: answer.scopes };
  }
  const { reason, message, detail, retryAfterSeconds } = answer.failure;
  const words = detail ?? message;
  switch (reason) {
    case 'invalidKey':
      return { kind: 'notLive', state: 'invalid', detail: words };
    case 'expiredKey':
      return { kind: 'notLive', state: 'expired', detail: words };
    case 'forbidden':
      // The key authenticated; it only may not read its own permissions.
      return { kind: 'live', scopes: undefined, permissionsHidden: true };
    case 'rateLimited':
      return { kind: 'unknown', reason: 'throttled', detail: words, retryAfterSeconds };
    case 'missingKey':
      return { kind: 'unknown', reason: 'notSent', detail: words };
    case 'insecureUrl':
      return { kind: 'unknown', reason: 'refusedUrl', detail: words };
    default:
      return { kind: 'unknown', reason: 'unreachable', detail: words };
  }
}

/** How the remembered answer changes: a live key is forgotten as not live, a dead one remembered, no answer changes nothing. */
export function notLiveAfter(check: LiveCheck): boolean | undefined {
  return check.kind === 'notLive' ? true : check.kind === 'live' ? false : undefined;
}

/** The notification after a check of `masked` (`avk_…6507`) at `host`. Never holds more of the key than `masked`. */
export function describeLiveCheck(check: LiveCheck, masked: string, host: string): string {
  switch (check.kind) {
    case 'live': {
      const head = l10n.t('The key {0} is live at {1}.', masked, host);
      if (check.permissionsHidden) {
        return `${head} ${l10n.t('Anyone holding it can call Avala with it; it may not read its own permissions, so what it can do is unknown.')} ${revokeAdvice()}`;
      }
      if (check.scopes === undefined) {
        return `${head} ${l10n.t('Anyone holding it can call Avala with it; this API does not report its scopes.')} ${revokeAdvice()}`;
      }
      if (check.scopes.length === 0) {
        return `${head} ${l10n.t('It has no scopes, so anyone holding it has full organization access: everything your organization can do in Avala.')} ${revokeAdvice()}`;
      }
      const can = check.scopes.map((scope) => `${scope} (${scopeMeaning(scope).replace(/\.$/, '')})`).join('; ');
      return `${head} ${l10n.t('Not full access: anyone holding it can {0}.', can)} ${revokeAdvice()}`;
    }
    case 'notLive':
      return check.state === 'expired'
        ? l10n.t('The key {0} is not live: Avala says it has expired ("{1}"). Remove it from the file all the same.', masked, check.detail)
        : l10n.t(
            'The key {0} is not live: Avala refuses it as invalid or revoked ("{1}"). Remove it from the file all the same.',
            masked,
            check.detail,
          );
    case 'unknown':
      switch (check.reason) {
        case 'throttled':
          return l10n.t(
            'Avala is throttling requests, so whether {0} is live is not known; try again in {1} seconds. The warning stays as it is.',
            masked,
            check.retryAfterSeconds ?? 60,
          );
        case 'notSent':
          return l10n.t(
            'The key did not reach Avala at {0} ("{1}"): a proxy may strip the X-Avala-Api-Key header. Whether {2} is live is not known; the warning stays as it is.',
            host,
            check.detail,
            masked,
          );
        case 'refusedUrl':
          return l10n.t('Cannot check whether {0} is live: {1} The warning stays as it is.', masked, check.detail);
        case 'unreachable':
          return l10n.t(
            'Cannot reach Avala at {0}, so whether {1} is live is not known: {2} The warning stays as it is.',
            host,
            masked,
            check.detail,
          );
      }
  }
}

function revokeAdvice(): string {
  return l10n.t('If this file was ever committed or shared, revoke the key in Mission Control (Settings → Security).');
}
