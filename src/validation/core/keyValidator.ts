// No vscode import: the validator is tested in plain Node against the emulator, with a
// simulated clock, to count the requests it sends under throttling and outages.
import type { Clock } from '../../core/clock';
import type { KeyPermissions } from '../../core/client';
import { AvalaApiError } from '../../core/errors';
import { Emitter, type Disposable, type Event } from '../../core/events';
import { type KeyMeta } from '../../core/keyIndex';
import { KeyringError, KeyValueMissingError, type KeyValue } from '../../core/keyStore';
import { isKeyFailure, stateFromReason, type KeyCheck } from '../../core/keyState';
import { redactedMessage } from '../../core/redact';
import { notBefore } from './validationPolicy';

export type CheckTrigger = 'startup' | 'switch' | 'command' | 'focus' | 'interval' | 'retry' | 'login' | 'terminal' | 'agent';

export interface CheckOutcome {
  check: KeyCheck;
  /** False when the check was skipped (throttled or backing off) and the last result stands. */
  sent: boolean;
}

export interface CheckEvent {
  id: string;
  trigger: CheckTrigger;
  from: KeyCheck | undefined;
  to: KeyCheck;
}

/** The part of the key store the validator reads and writes (KeyStore fits). */
export interface ValidationStore {
  get(id: string): KeyMeta | undefined;
  readKey(id: string): Promise<KeyValue>;
  update(id: string, patch: Partial<Pick<KeyMeta, 'scopes' | 'lastCheck' | 'storedUnchecked'>>): Promise<unknown>;
}

/** Hands out a client for a key's base URL (AvalaApi fits). May throw `insecureUrl`. */
export interface PermissionsApi {
  client(baseUrl?: string): { getPermissions(key: string): Promise<KeyPermissions> };
}

/** The output channel, as far as the validator writes to it (Log fits; it redacts). */
export interface ValidationLog {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export interface KeyValidatorDeps {
  store: ValidationStore;
  api: PermissionsApi;
  log: ValidationLog;
  /** Time for backoff and Retry-After (systemClock; a simulated one in tests). */
  clock: Clock;
}

interface KeyRuntime {
  inFlight?: Promise<CheckOutcome>;
  consecutiveFailures: number;
  lastAttemptMs?: number;
}

/**
 * Checks keys against the API and records the result in the key store, the single
 * source of truth every view reads. At most one request per key is in flight; concurrent
 * triggers share it. Network failures back off exponentially; a 429 waits for Retry-After.
 */
export class KeyValidator implements Disposable {
  private readonly runtime = new Map<string, KeyRuntime>();
  private readonly activity = new Emitter<string>();
  /** Fires with a key id when a check of it starts or ends. */
  readonly onDidChangeActivity: Event<string> = this.activity.event;
  private readonly checks = new Emitter<CheckEvent>();
  /** Fires after every sent check with the previous and new result. */
  readonly onDidCheck: Event<CheckEvent> = this.checks.event;

  constructor(private readonly deps: KeyValidatorDeps) {}

  isChecking(id: string): boolean {
    return !!this.runtime.get(id)?.inFlight;
  }

  /** When the next check of this key may be sent (ms epoch); 0 when now. */
  earliestNextCheck(id: string): number {
    const meta = this.deps.store.get(id);
    const rt = this.runtime.get(id);
    return notBefore(meta?.lastCheck, rt?.consecutiveFailures ?? 0, rt?.lastAttemptMs);
  }

  /** Network failures in a row for this key (0 after any answer from the API). */
  consecutiveFailures(id: string): number {
    return this.runtime.get(id)?.consecutiveFailures ?? 0;
  }

  /**
   * Checks a key. `force` skips backoff (a person asked) but never a server's Retry-After.
   * Concurrent calls for the same key share one request.
   */
  validate(id: string, trigger: CheckTrigger, force = false): Promise<CheckOutcome | undefined> {
    const meta = this.deps.store.get(id);
    if (!meta) {
      return Promise.resolve(undefined);
    }
    const rt = this.runtime.get(id) ?? { consecutiveFailures: 0 };
    this.runtime.set(id, rt);
    if (rt.inFlight) {
      return rt.inFlight;
    }
    const now = this.deps.clock.now();
    const earliest = force ? notBefore(meta.lastCheck, 0, undefined) : this.earliestNextCheck(id);
    if (earliest > now && meta.lastCheck) {
      this.deps.log.debug(`Check of "${meta.label}" (${trigger}) not sent: the next is allowed at ${new Date(earliest).toISOString()}.`);
      return Promise.resolve({ check: meta.lastCheck, sent: false });
    }
    rt.inFlight = this.run(id, trigger, rt).finally(() => {
      rt.inFlight = undefined;
      this.activity.fire(id);
    });
    this.activity.fire(id);
    return rt.inFlight;
  }

  private async run(id: string, trigger: CheckTrigger, rt: KeyRuntime): Promise<CheckOutcome> {
    const meta = this.deps.store.get(id);
    const previous = meta?.lastCheck;
    rt.lastAttemptMs = this.deps.clock.now();
    const at = () => new Date(this.deps.clock.now()).toISOString();
    let check: KeyCheck;
    let scopes: string[] | undefined = meta?.scopes;
    try {
      const { value, baseUrl } = await this.deps.store.readKey(id);
      const permissions = await this.deps.api.client(baseUrl).getPermissions(value);
      scopes = permissions.scopes ?? scopes;
      check = { state: 'valid', at: at() };
      rt.consecutiveFailures = 0;
    } catch (error) {
      if (error instanceof AvalaApiError) {
        const state = stateFromReason(error.reason);
        check = { state, at: at(), detail: error.detail ?? error.message };
        if (state === 'throttled') {
          check.retryAt = new Date(this.deps.clock.now() + (error.retryAfterSeconds ?? 60) * 1000).toISOString();
        }
        rt.consecutiveFailures = state === 'unreachable' ? rt.consecutiveFailures + 1 : 0;
      } else if (error instanceof KeyringError || error instanceof KeyValueMissingError) {
        // The keyring failed or lost the value, not the network: the key was never sent.
        check = { state: 'missing', at: at(), detail: error.message };
        rt.consecutiveFailures = 0;
      } else {
        check = { state: 'unreachable', at: at(), detail: redactedMessage(error) };
        rt.consecutiveFailures += 1;
      }
    }
    const label = meta?.label ?? id;
    const line = `Checked "${label}" (${trigger}): ${check.state}${check.detail ? ` — ${check.detail}` : ''}.`;
    if (check.state === 'valid') {
      this.deps.log.info(line);
    } else {
      this.deps.log.warn(rt.consecutiveFailures > 0 ? `${line} Network failures in a row: ${rt.consecutiveFailures}.` : line);
    }
    if (isKeyFailure(check.state)) {
      rt.consecutiveFailures = 0;
    }
    try {
      // A network failure keeps the last known good scopes; it says nothing about the key.
      await this.deps.store.update(id, {
        lastCheck: check,
        scopes,
        storedUnchecked: check.state === 'valid' ? undefined : meta?.storedUnchecked,
      });
    } catch (error) {
      this.deps.log.warn(`The result of checking "${label}" could not be saved: ${redactedMessage(error)}`);
    }
    this.checks.fire({ id, trigger, from: previous, to: check });
    return { check, sent: true };
  }

  dispose(): void {
    this.activity.dispose();
    this.checks.dispose();
  }
}
