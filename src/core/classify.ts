import { AvalaApiError, RateLimitInfo } from './errors';
import * as l10n from './l10n';

/** The exact `detail` strings of Avala's authentication page. */
export const DETAIL = {
  invalidKey: 'Invalid API key.',
  expiredKey: 'API key has expired.',
  missingKey: 'Authentication credentials were not provided.',
  forbidden: 'You do not have permission to perform this action.',
} as const;

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface RawResponse {
  status: number;
  headers: HeaderBag;
  body: string;
}

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function int(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const n = Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

export function readRateLimit(headers: HeaderBag): RateLimitInfo | undefined {
  const info: RateLimitInfo = {
    limit: int(header(headers, 'x-ratelimit-limit')),
    remaining: int(header(headers, 'x-ratelimit-remaining')),
    reset: int(header(headers, 'x-ratelimit-reset')),
  };
  return info.limit === undefined && info.remaining === undefined && info.reset === undefined ? undefined : info;
}

/** Seconds to wait from `Retry-After` (seconds or HTTP date), else the throttle detail, else the reset header. */
export function retryAfterSeconds(headers: HeaderBag, detail: string | undefined, now = Date.now()): number {
  const raw = header(headers, 'retry-after');
  if (raw !== undefined) {
    const seconds = int(raw);
    if (seconds !== undefined && seconds >= 0) {
      return seconds;
    }
    const date = Date.parse(raw);
    if (!Number.isNaN(date)) {
      return Math.max(0, Math.ceil((date - now) / 1000));
    }
  }
  const match = detail?.match(/available in (\d+) seconds?/i);
  if (match) {
    return Number(match[1]);
  }
  const reset = int(header(headers, 'x-ratelimit-reset'));
  if (reset !== undefined) {
    return Math.max(1, reset - Math.floor(now / 1000));
  }
  return 60;
}

/** Parses a JSON body; `undefined` for an empty body, throws `malformedResponse` for anything else that is not JSON. */
export function parseJsonBody(response: RawResponse): unknown {
  if (response.body.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(response.body);
  } catch {
    const contentType = header(response.headers, 'content-type') ?? l10n.t('unknown content type');
    throw new AvalaApiError(
      'malformedResponse',
      l10n.t('The Avala API answered HTTP {0} with a body that is not JSON ({1}).', response.status, contentType),
      {
        status: response.status,
      },
    );
  }
}

function fieldErrorsOf(value: unknown): Record<string, string[]> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(value as Record<string, unknown>)) {
    if (field === 'code' || field === 'doc_url') {
      continue;
    }
    if (Array.isArray(messages)) {
      out[field] = messages.map((m) => String(m));
    } else if (typeof messages === 'string') {
      out[field] = [messages];
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Turns an answer that is not a success into one typed error. Keys off the status and
 * the seed's exact `detail` strings; an unknown 401 still gets a sensible reason and
 * keeps the server's words.
 */
export function classifyResponse(response: RawResponse, now = Date.now()): AvalaApiError {
  const { status, headers } = response;
  const rateLimit = readRateLimit(headers);

  if (status >= 300 && status < 400) {
    return new AvalaApiError(
      'redirect',
      l10n.t('The Avala API answered with a redirect (HTTP {0}); it was not followed so your key is never sent to another host.', status),
      {
        status,
        location: header(headers, 'location'),
        rateLimit,
      },
    );
  }

  let body: unknown;
  try {
    body = parseJsonBody(response);
  } catch (error) {
    // A gateway's HTML error page is still a server failure, not a bad key.
    if (status >= 500) {
      return new AvalaApiError('server', l10n.t('The Avala API had a server error (HTTP {0}).', status), { status, rateLimit });
    }
    if (status === 429) {
      const wait = retryAfterSeconds(headers, undefined, now);
      return new AvalaApiError('rateLimited', l10n.t('Too many requests to the Avala API; try again in {0} seconds.', wait), {
        status,
        retryAfterSeconds: wait,
        rateLimit,
      });
    }
    return error as AvalaApiError;
  }

  const record = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const detail = typeof record?.detail === 'string' ? record.detail : undefined;

  switch (status) {
    case 400:
    case 422: {
      const fieldErrors = fieldErrorsOf(record?.detail) ?? (detail === undefined ? fieldErrorsOf(record) : undefined);
      const message =
        detail ??
        (fieldErrors
          ? Object.entries(fieldErrors)
              .map(([f, m]) => `${f}: ${m.join(' ')}`)
              .join('; ')
          : l10n.t('The Avala API rejected the request (HTTP {0}).', status));
      return new AvalaApiError('validation', message, { status, detail, fieldErrors, rateLimit });
    }
    case 401: {
      if (detail === DETAIL.expiredKey) {
        return new AvalaApiError('expiredKey', detail, { status, detail, rateLimit });
      }
      if (detail === DETAIL.missingKey) {
        return new AvalaApiError('missingKey', detail, { status, detail, rateLimit });
      }
      if (detail === DETAIL.invalidKey) {
        return new AvalaApiError('invalidKey', detail, { status, detail, rateLimit });
      }
      // Unknown wording: still an authentication failure; "expired" and "not provided" keep their meaning.
      const lower = (detail ?? '').toLowerCase();
      const reason = lower.includes('expired') ? 'expiredKey' : lower.includes('not provided') ? 'missingKey' : 'invalidKey';
      return new AvalaApiError(reason, detail ?? l10n.t('The Avala API did not accept the key (HTTP 401).'), { status, detail, rateLimit });
    }
    case 403:
      return new AvalaApiError('forbidden', detail ?? l10n.t(DETAIL.forbidden), { status, detail, rateLimit });
    case 429: {
      const wait = retryAfterSeconds(headers, detail, now);
      return new AvalaApiError('rateLimited', detail ?? l10n.t('Too many requests to the Avala API; try again in {0} seconds.', wait), {
        status,
        detail,
        retryAfterSeconds: wait,
        rateLimit,
      });
    }
    default:
      if (status >= 500) {
        return new AvalaApiError(
          'server',
          detail
            ? l10n.t('The Avala API had a server error (HTTP {0}): {1}', status, detail)
            : l10n.t('The Avala API had a server error (HTTP {0}).', status),
          { status, detail, rateLimit },
        );
      }
      return new AvalaApiError('malformedResponse', detail ?? l10n.t('The Avala API answered with unexpected HTTP {0}.', status), {
        status,
        detail,
        rateLimit,
      });
  }
}
