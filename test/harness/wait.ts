/** Options for {@link waitFor}. Every wait in the harness is bounded. */
export interface WaitOptions {
  /** What is awaited, for the timeout message ("code-server to answer"). */
  description: string;
  timeoutMs: number;
  /** Pause between checks. */
  intervalMs?: number;
}

/**
 * Calls `check` until it returns something other than `undefined`/`false` and returns that.
 * A check that throws counts as "not yet"; its last error is quoted if the wait times out.
 */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError === undefined ? '' : ` (last error: ${describeError(lastError)})`;
      throw new Error(`timed out after ${formatDuration(options.timeoutMs)} waiting for ${options.description}${reason}`);
    }
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}

/** Rejects with a clear message if `promise` has not settled within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, description: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${formatDuration(timeoutMs)} waiting for ${description}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The pause between two polls of a condition; never a stand-in for waiting on one. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.round(ms)}ms`;
  }
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
