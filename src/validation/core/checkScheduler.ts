// When the active key is checked. No vscode import: the window's focus and the settings
// arrive as calls, and time comes from a Clock, so hours of schedule run in a unit test.
import type { Clock, TimerHandle } from '../../core/clock';
import { disposeAll } from '../../core/disposables';
import type { Disposable, Event } from '../../core/events';
import type { KeyMeta } from '../../core/keyIndex';
import { nextScheduledCheck, startupFreshMinutes, SWITCH_FRESH_MINUTES, wantsCheck, type ScheduledCheck } from './validationPolicy';
import type { CheckEvent, CheckOutcome, CheckTrigger } from './keyValidator';

export interface ScheduledKeys {
  activeId(): string | undefined;
  get(id: string): KeyMeta | undefined;
  readonly onDidChange: Event<void>;
}

export interface ScheduledValidator {
  validate(id: string, trigger: CheckTrigger, force?: boolean): Promise<CheckOutcome | undefined>;
  earliestNextCheck(id: string): number;
  consecutiveFailures(id: string): number;
  readonly onDidCheck: Event<CheckEvent>;
}

export interface ScheduleSettings {
  intervalMinutes: number;
  staleAfterMinutes: number;
}

export interface CheckSchedulerDeps {
  keys: ScheduledKeys;
  validator: ScheduledValidator;
  /** Read at each decision, so a changed interval applies to the next one. */
  settings: () => ScheduleSettings;
  clock: Clock;
  log?: { debug(message: string): void };
}

/**
 * Turns startup, key switches, focus, the interval and settings changes into checks of the
 * active key. One timer at a time, re-armed from the key's latest result; the validator
 * coalesces, backs off and honours Retry-After underneath.
 */
export class CheckScheduler implements Disposable {
  private timer: TimerHandle | undefined;
  private scheduled: (ScheduledCheck & { id: string }) | undefined;
  private lastActiveId: string | undefined;
  private started = false;
  private disposed = false;
  private readonly subscriptions: Disposable[];

  constructor(private readonly deps: CheckSchedulerDeps) {
    this.subscriptions = [
      deps.keys.onDidChange(() => this.keysChanged()),
      deps.validator.onDidCheck((e) => {
        if (e.id === this.deps.keys.activeId()) {
          this.arm();
        }
      }),
    ];
  }

  /** What the timer will do next, for tests and the log. */
  get next(): (ScheduledCheck & { id: string }) | undefined {
    return this.scheduled;
  }

  /** Call once the key store is loaded. Never awaited by activation. */
  start(): Promise<CheckOutcome | undefined> {
    this.started = true;
    const id = this.deps.keys.activeId();
    this.lastActiveId = id;
    const s = this.deps.settings();
    if (
      id &&
      wantsCheck(this.deps.keys.get(id)?.lastCheck, startupFreshMinutes(s.intervalMinutes, s.staleAfterMinutes), this.deps.clock.now())
    ) {
      return this.check(id, 'startup');
    }
    this.arm();
    return Promise.resolve(undefined);
  }

  /** The window regained focus: check again when the last result is older than the stale limit. */
  focusGained(): Promise<CheckOutcome | undefined> {
    const id = this.started ? this.deps.keys.activeId() : undefined;
    if (id && wantsCheck(this.deps.keys.get(id)?.lastCheck, this.deps.settings().staleAfterMinutes, this.deps.clock.now())) {
      return this.check(id, 'focus');
    }
    return Promise.resolve(undefined);
  }

  /** The interval or stale limit may have changed. */
  settingsChanged(): void {
    this.arm();
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
    disposeAll(this.subscriptions);
  }

  private keysChanged(): void {
    if (!this.started) {
      return;
    }
    const id = this.deps.keys.activeId();
    if (id !== this.lastActiveId) {
      this.lastActiveId = id;
      if (id && wantsCheck(this.deps.keys.get(id)?.lastCheck, SWITCH_FRESH_MINUTES, this.deps.clock.now())) {
        void this.check(id, 'switch');
        return;
      }
    }
    // Another window may have checked the key, or the active key was removed.
    this.arm();
  }

  private async check(id: string, trigger: CheckTrigger): Promise<CheckOutcome | undefined> {
    this.clear();
    try {
      return await this.deps.validator.validate(id, trigger);
    } finally {
      // A sent check re-arms through onDidCheck too; a skipped one only here.
      this.arm();
    }
  }

  private arm(): void {
    const before = this.scheduled;
    this.clear();
    const id = this.deps.keys.activeId();
    if (this.disposed || !this.started || !id) {
      return;
    }
    const now = this.deps.clock.now();
    const next = nextScheduledCheck({
      check: this.deps.keys.get(id)?.lastCheck,
      intervalMinutes: this.deps.settings().intervalMinutes,
      earliest: this.deps.validator.earliestNextCheck(id),
      failures: this.deps.validator.consecutiveFailures(id),
      now,
    });
    if (!next) {
      return;
    }
    this.scheduled = { ...next, id };
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.scheduled = undefined;
      if (this.deps.keys.activeId() === id) {
        void this.check(id, next.trigger);
      } else {
        this.arm();
      }
    }, next.at - now);
    if (before?.id !== id || before.at !== next.at || before.trigger !== next.trigger) {
      this.deps.log?.debug(`Next check of the active key (${next.trigger}) at ${new Date(next.at).toISOString()}.`);
    }
  }

  private clear(): void {
    if (this.timer !== undefined) {
      this.deps.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.scheduled = undefined;
  }
}
