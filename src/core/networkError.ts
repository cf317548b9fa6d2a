// What a failed exchange becomes, whichever transport saw it (undici in Node, fetch in the
// browser): one typed error whose message names the host, never a request header.
import { AvalaApiError } from './errors';
import * as l10n from './l10n';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** The socket error code an error (or one of its causes) carries. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    return code;
  }
  const cause = (error as { cause?: unknown })?.cause;
  return cause && cause !== error ? codeOf(cause) : undefined;
}

export function timeoutError(host: string, timeoutMs: number, cause?: unknown): AvalaApiError {
  return new AvalaApiError('timeout', l10n.t('The Avala API at {0} did not answer within {1} s.', host, Math.round(timeoutMs / 100) / 10), {
    cause,
  });
}

/** The deadline for the whole exchange passed while the body was still arriving. */
export function unfinishedError(host: string, timeoutMs: number): AvalaApiError {
  return new AvalaApiError(
    'timeout',
    l10n.t('The Avala API at {0} did not finish answering within {1} s.', host, Math.round(timeoutMs / 500) / 2),
  );
}

export function tooLargeError(host: string, maxBytes: number, status: number, declared?: number): AvalaApiError {
  return new AvalaApiError(
    'malformedResponse',
    declared === undefined
      ? l10n.t('The Avala API at {0} sent more than {1} bytes; the response was dropped.', host, maxBytes)
      : l10n.t('The Avala API at {0} sent a response of {1} bytes, over the {2}-byte limit; it was not read.', host, declared, maxBytes),
    { status },
  );
}

/** A connection that failed with a socket error code (or none known). */
export function networkError(error: unknown, host: string): AvalaApiError {
  const code = codeOf(error);
  const suffix = code && NETWORK_CODES.has(code) ? ` (${code})` : '';
  const message =
    code === 'ECONNREFUSED'
      ? l10n.t('The Avala API at {0} refused the connection{1}.', host, suffix)
      : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
        ? l10n.t('The Avala API at {0} closed the connection{1}.', host, suffix)
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? l10n.t('The Avala API at {0} could not be found (DNS){1}.', host, suffix)
          : l10n.t('The Avala API at {0} could not be reached{1}.', host, suffix);
  return new AvalaApiError('network', message, { cause: error });
}
