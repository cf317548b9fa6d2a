// A clock whose time only moves when a test says so: hours of check schedule run in
// milliseconds, while HTTP to the emulator stays real.
import type { Clock, TimerHandle } from '../../src/core/clock';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

export class VirtualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private nextId = 1;
  /** How many timer callbacks have run. */
  fired = 0;

  constructor(start = Date.parse('2026-01-05T09:00:00Z')) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Pending timers, soonest first. */
  get pending(): { at: number }[] {
    return [...this.timers].sort((a, b) => a.at - b.at).map((t) => ({ at: t.at }));
  }

  /** Moves time forward without running timers (for "the user came back later"). */
  skip(ms: number): void {
    this.time += ms;
  }

  /**
   * Moves time to `until`, running each timer when its time comes, in order. After each
   * callback `settle` is awaited, so work the callback started (a request) finishes before
   * time moves on. Bounded by `maxTimers`.
   */
  async runUntil(until: number, settle: () => Promise<void>, maxTimers = 10_000): Promise<void> {
    for (let i = 0; i < maxTimers; i++) {
      const due = [...this.timers].sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due || due.at > until) {
        this.time = Math.max(this.time, until);
        return;
      }
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      this.fired += 1;
      due.callback();
      await settle();
    }
    throw new Error(`more than ${maxTimers} timers fired before ${new Date(until).toISOString()}`);
  }
}
