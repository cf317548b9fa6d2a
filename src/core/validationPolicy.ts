// When to check a key again. Pure timing decisions so they can be tested as a table.
import type { KeyCheck } from './keyState';

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 30 * 60_000;

/** Exponential backoff after consecutive network failures: 30 s, 60 s, 2 min … capped at 30 min. */
export function backoffMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) {
    return 0;
  }
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(consecutiveFailures - 1, 20));
}

/** The earliest time (ms epoch) a check may be sent, from a throttle or a backoff. */
export function notBefore(check: KeyCheck | undefined, consecutiveFailures: number, lastAttemptMs: number | undefined): number {
  let earliest = 0;
  if (check?.state === 'throttled' && check.retryAt) {
    earliest = Math.max(earliest, Date.parse(check.retryAt) || 0);
  }
  if (consecutiveFailures > 0 && lastAttemptMs !== undefined) {
    earliest = Math.max(earliest, lastAttemptMs + backoffMs(consecutiveFailures));
  }
  return earliest;
}

/** True when the last check is older than `staleMinutes` (or there is none). */
export function isStale(check: KeyCheck | undefined, staleMinutes: number, now = Date.now()): boolean {
  if (!check) {
    return true;
  }
  const at = Date.parse(check.at);
  return Number.isNaN(at) || now - at > staleMinutes * 60_000;
}
