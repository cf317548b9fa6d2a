import * as vscode from 'vscode';
import type { AvalaApi } from '../api';
import { AvalaApiError } from '../core/errors';
import { isKeyFailure, stateFromReason, type KeyCheck } from '../core/keyState';
import type { KeyStore } from '../core/keyStore';
import { redact } from '../core/redact';
import { notBefore } from '../core/validationPolicy';
import type { Log } from '../log';

export type CheckTrigger = 'startup' | 'switch' | 'command' | 'focus' | 'interval' | 'retry' | 'login';

export interface CheckOutcome {
  check: KeyCheck;
  /** False when the check was skipped (throttled or backing off) and the last result stands. */
  sent: boolean;
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
export class KeyValidator implements vscode.Disposable {
  private readonly runtime = new Map<string, KeyRuntime>();
  private readonly activity = new vscode.EventEmitter<string>();
  readonly onDidChangeActivity = this.activity.event;
  private readonly transitions = new vscode.EventEmitter<{ id: string; from: KeyCheck | undefined; to: KeyCheck }>();
  /** Fires after every sent check with the previous and new result. */
  readonly onDidCheck = this.transitions.event;

  constructor(
    private readonly store: KeyStore,
    private readonly api: AvalaApi,
    private readonly log: Log,
  ) {}

  isChecking(id: string): boolean {
    return !!this.runtime.get(id)?.inFlight;
  }

  /** When the next check of this key may be sent (ms epoch); 0 when now. */
  earliestNextCheck(id: string): number {
    const meta = this.store.get(id);
    const rt = this.runtime.get(id);
    return notBefore(meta?.lastCheck, rt?.consecutiveFailures ?? 0, rt?.lastAttemptMs);
  }

  /**
   * Checks a key. `force` skips backoff (a person asked) but never a server's Retry-After.
   * Concurrent calls for the same key share one request.
   */
  validate(id: string, trigger: CheckTrigger, force = false): Promise<CheckOutcome | undefined> {
    const meta = this.store.get(id);
    if (!meta) {
      return Promise.resolve(undefined);
    }
    const rt = this.runtime.get(id) ?? { consecutiveFailures: 0 };
    this.runtime.set(id, rt);
    if (rt.inFlight) {
      return rt.inFlight;
    }
    const now = Date.now();
    const throttledUntil = meta.lastCheck?.state === 'throttled' && meta.lastCheck.retryAt ? Date.parse(meta.lastCheck.retryAt) : 0;
    const earliest = force ? throttledUntil : this.earliestNextCheck(id);
    if (earliest > now && meta.lastCheck) {
      this.log.debug(`Check of "${meta.label}" (${trigger}) skipped: next allowed ${new Date(earliest).toISOString()}.`);
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
    const meta = this.store.get(id);
    const previous = meta?.lastCheck;
    rt.lastAttemptMs = Date.now();
    let check: KeyCheck;
    let scopes: string[] | undefined = meta?.scopes;
    try {
      const value = await this.store.getValue(id);
      if (value === undefined) {
        check = { state: 'missing', at: new Date().toISOString(), detail: 'The key value is missing from secret storage on this machine; nothing was sent.' };
      } else {
        const permissions = await this.api.client(meta?.baseUrl).getPermissions(value);
        scopes = permissions.scopes ?? scopes;
        check = { state: 'valid', at: new Date().toISOString() };
      }
      rt.consecutiveFailures = 0;
    } catch (error) {
      if (error instanceof AvalaApiError) {
        const state = stateFromReason(error.reason);
        check = { state, at: new Date().toISOString(), detail: error.detail ?? error.message };
        if (state === 'throttled') {
          check.retryAt = new Date(Date.now() + (error.retryAfterSeconds ?? 60) * 1000).toISOString();
        }
        rt.consecutiveFailures = state === 'unreachable' ? rt.consecutiveFailures + 1 : 0;
      } else {
        check = { state: 'unreachable', at: new Date().toISOString(), detail: redact(error instanceof Error ? error.message : String(error)) };
        rt.consecutiveFailures += 1;
      }
    }
    const label = meta?.label ?? id;
    this.log.info(`Checked "${label}" (${trigger}): ${check.state}${check.detail ? ` — ${check.detail}` : ''}.`);
    // A network failure keeps the last known good scopes; it says nothing about the key.
    await this.store.update(id, { lastCheck: check, scopes, storedUnchecked: check.state === 'valid' ? undefined : meta?.storedUnchecked });
    this.transitions.fire({ id, from: previous, to: check });
    if (isKeyFailure(check.state)) {
      rt.consecutiveFailures = 0;
    }
    return { check, sent: true };
  }

  dispose(): void {
    this.activity.dispose();
    this.transitions.dispose();
  }
}
