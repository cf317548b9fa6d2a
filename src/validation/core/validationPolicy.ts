// When to check a key again. Pure timing decisions so they can be tested as a table.
import type { KeyCheck } from '../../core/keyState';

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

/** A switch to a key checked less than this long ago shows that result instead of asking again. */
export const SWITCH_FRESH_MINUTES = 1;
/** Scheduled checks never fire closer together than this, whatever the clock says. */
export const MIN_SCHEDULE_GAP_MS = 1_000;

/**
 * Whether a trigger that nobody typed (startup, focus, switch) is worth a request: there is
 * no answer from Avala yet, the last attempt never reached it, or the answer is older than
 * `freshMinutes`. Throttling and backoff are the validator's to enforce on top.
 */
export function wantsCheck(check: KeyCheck | undefined, freshMinutes: number, now = Date.now()): boolean {
  if (!check || check.state === 'unchecked' || check.state === 'unreachable') {
    return true;
  }
  return isStale(check, freshMinutes, now);
}

/** How long a result stays fresh at startup: the shorter of the stale limit and the periodic interval. */
export function startupFreshMinutes(intervalMinutes: number, staleAfterMinutes: number): number {
  return intervalMinutes > 0 ? Math.min(intervalMinutes, staleAfterMinutes) : staleAfterMinutes;
}

export interface ScheduledCheck {
  /** ms epoch. */
  at: number;
  trigger: 'interval' | 'retry';
}

export interface ScheduleInput {
  check: KeyCheck | undefined;
  intervalMinutes: number;
  /** The validator's earliest allowed time (throttle or backoff), ms epoch; 0 for now. */
  earliest: number;
  /** Network failures in a row (backoff in force when > 0). */
  failures: number;
  now: number;
}

/**
 * When the active key is next checked without anyone asking, or never. A throttle is
 * retried when Avala said, even with periodic checks off (the status bar promises it).
 * Otherwise nothing runs when the interval is 0; a network failure retries on the backoff
 * schedule; a settled result is checked again one interval after it was taken.
 */
export function nextScheduledCheck(input: ScheduleInput): ScheduledCheck | undefined {
  const { check, intervalMinutes, earliest, failures, now } = input;
  const floor = now + MIN_SCHEDULE_GAP_MS;
  if (check?.state === 'throttled' && check.retryAt) {
    const retryAt = Date.parse(check.retryAt);
    if (!Number.isNaN(retryAt)) {
      return { at: Math.max(floor, retryAt, earliest), trigger: 'retry' };
    }
  }
  if (intervalMinutes <= 0) {
    return undefined;
  }
  if (check?.state === 'unreachable' && failures > 0) {
    return { at: Math.max(floor, earliest), trigger: 'retry' };
  }
  const taken = check ? Date.parse(check.at) : NaN;
  const due = (Number.isNaN(taken) ? now : taken) + intervalMinutes * 60_000;
  return { at: Math.max(floor, due, earliest), trigger: 'interval' };
}
