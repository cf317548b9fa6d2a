// Medians and spreads: on a shared two-core machine single timings mean little.

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** 25th and 75th percentiles. */
  q1: number;
  q3: number;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) {
    return { n: 0, median: NaN, min: NaN, max: NaN, q1: NaN, q3: NaN };
  }
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}

/** Time of `fn` in ms (wall clock), and the process's CPU time over the same span. */
export function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = fn();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) {
    return 'n/a';
  }
  return ms >= 100 ? `${Math.round(ms)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

export function fmtKB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** "min–max" of a summary, in the unit `fmt` writes. */
export function spread(summary: Summary, fmt: (value: number) => string): string {
  return `${fmt(summary.min)}–${fmt(summary.max)}`;
}

export function ratio(ours: number, anchor: number): string {
  return Number.isFinite(ours) && Number.isFinite(anchor) && anchor > 0 ? `${(ours / anchor).toFixed(2)}×` : 'n/a';
}
