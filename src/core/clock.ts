// Time as a dependency, so scheduling and backoff can be tested over hours of simulated
// time in milliseconds of real time.

/** Whatever the clock's setTimeout returns; only ever handed back to its clearTimeout. */
export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's own setTimeout refuses delays over 2^31-1 ms; longer ones would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.min(MAX_TIMER_MS, Math.max(0, ms))),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
