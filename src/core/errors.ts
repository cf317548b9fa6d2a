import { redact } from './redact';

/** Every way a call to the Avala API can fail, named so a UI can switch on it. */
export type ApiErrorReason =
  | 'invalidKey'
  | 'expiredKey'
  | 'missingKey'
  | 'forbidden'
  | 'rateLimited'
  | 'validation'
  | 'server'
  | 'network'
  | 'timeout'
  | 'redirect'
  | 'insecureUrl'
  | 'malformedResponse'
  /** A browser refused the answer (CORS) or the connection, and says no more: the key was not checked. */
  | 'blocked';

export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** Unix seconds when the window resets. */
  reset?: number;
}

export interface ApiErrorDetails {
  status?: number;
  /** The server's own words (`detail`), redacted. */
  detail?: string;
  retryAfterSeconds?: number;
  rateLimit?: RateLimitInfo;
  fieldErrors?: Record<string, string[]>;
  /** For redirects: where the server wanted to send us (redacted, never followed). */
  location?: string;
  cause?: unknown;
}

export class AvalaApiError extends Error {
  readonly reason: ApiErrorReason;
  readonly status?: number;
  readonly detail?: string;
  readonly retryAfterSeconds?: number;
  readonly rateLimit?: RateLimitInfo;
  readonly fieldErrors?: Record<string, string[]>;
  readonly location?: string;

  constructor(reason: ApiErrorReason, message: string, details: ApiErrorDetails = {}) {
    super(redact(message));
    this.name = 'AvalaApiError';
    this.reason = reason;
    this.status = details.status;
    this.detail = details.detail === undefined ? undefined : redact(details.detail);
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.rateLimit = details.rateLimit;
    this.location = details.location === undefined ? undefined : redact(details.location);
    if (details.fieldErrors) {
      const clean: Record<string, string[]> = {};
      for (const [field, messages] of Object.entries(details.fieldErrors)) {
        clean[field] = messages.map(redact);
      }
      this.fieldErrors = clean;
    }
  }
}

export function isAvalaApiError(value: unknown): value is AvalaApiError {
  return value instanceof AvalaApiError;
}
