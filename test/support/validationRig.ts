// A key store, validator and scheduler wired the way the extension wires them, on
// in-memory backends and a virtual clock. The API is either a scripted fake or a real
// client against the emulator.
import { AvalaClient, type KeyPermissions } from '../../src/core/client';
import { AvalaApiError, type ApiErrorReason } from '../../src/core/errors';
import { type KeyMeta } from '../../src/core/keyIndex';
import { KeyStore, type NewKey } from '../../src/core/keyStore';
import type { KeyCheck } from '../../src/core/keyState';
import { CheckScheduler, type ScheduleSettings } from '../../src/validation/core/checkScheduler';
import { KeyValidator, type CheckEvent, type PermissionsApi } from '../../src/validation/core/keyValidator';
import { waitFor } from '../harness/wait';
import { fakeKey, MemoryMemento, SharedKeyring } from './fakes';
import { VirtualClock } from './virtualClock';

export type FakeAnswer = { scopes: string[] } | { fail: ApiErrorReason; detail?: string; retryAfterSeconds?: number };

/** An API whose answers a test scripts; counts the requests it was asked to send. */
export class ScriptedApi implements PermissionsApi {
  requests = 0;
  answer: FakeAnswer = { scopes: ['datasets.read'] };
  /** While set, requests wait for it, so a test can hold several triggers in flight. */
  gate: Promise<void> | undefined;

  client(): { getPermissions(key: string): Promise<KeyPermissions> } {
    return {
      getPermissions: async () => {
        this.requests += 1;
        await this.gate;
        const a = this.answer;
        if ('fail' in a) {
          throw new AvalaApiError(a.fail, a.detail ?? a.fail, { detail: a.detail, retryAfterSeconds: a.retryAfterSeconds });
        }
        return { scopes: a.scopes, fullAccess: a.scopes.length === 0, source: 'permissions' };
      },
    };
  }
}

/** The real client against a loopback emulator, as AvalaApi would hand it out. */
export function emulatorApi(timeoutMs = 2000): PermissionsApi {
  return { client: (baseUrl?: string) => new AvalaClient({ baseUrl: baseUrl!, allowInsecureLoopback: true, timeoutMs }) };
}

export const silentLog = { info: () => undefined, warn: () => undefined, debug: () => undefined };

export class ValidationRig {
  readonly clock = new VirtualClock();
  readonly store = new KeyStore({
    secrets: new SharedKeyring().window(),
    workspaceState: new MemoryMemento(),
    globalState: new MemoryMemento(),
  });
  readonly validator: KeyValidator;
  readonly scheduler: CheckScheduler;
  readonly settings: ScheduleSettings = { intervalMinutes: 15, staleAfterMinutes: 30 };
  readonly checks: CheckEvent[] = [];

  constructor(readonly api: PermissionsApi) {
    this.validator = new KeyValidator({ store: this.store, api, log: silentLog, clock: this.clock });
    this.scheduler = new CheckScheduler({ keys: this.store, validator: this.validator, settings: () => this.settings, clock: this.clock });
    this.validator.onDidCheck((e) => this.checks.push(e));
  }

  /** Adds a key whose last check was `minutesAgo` on the virtual clock (none when omitted). */
  async addKey(
    n: number,
    opts: { baseUrl?: string; value?: string; scopes?: string[]; lastCheck?: Omit<KeyCheck, 'at'> & { minutesAgo: number } } = {},
  ): Promise<KeyMeta> {
    await this.store.ready;
    let lastCheck: KeyCheck | undefined;
    if (opts.lastCheck) {
      const { minutesAgo, ...check } = opts.lastCheck;
      lastCheck = { ...check, at: new Date(this.clock.now() - minutesAgo * 60_000).toISOString() };
    }
    const input: NewKey = {
      value: opts.value ?? fakeKey(n),
      label: `key ${n}`,
      environment: 'development',
      baseUrl: opts.baseUrl ?? 'https://api.avala.ai/api/v1',
      source: 'login',
      scopes: opts.scopes,
      lastCheck,
    };
    return (await this.store.add(input)).meta;
  }

  /** Waits until no check is in flight and the follow-up events have run. */
  async settle(): Promise<void> {
    await waitFor(() => this.store.list().every((k) => !this.validator.isChecking(k.id)), {
      description: 'every check in flight to end',
      timeoutMs: 15_000,
      intervalMs: 10,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }

  state(id: string): KeyCheck['state'] | undefined {
    return this.store.get(id)?.lastCheck?.state;
  }

  dispose(): void {
    this.scheduler.dispose();
    this.validator.dispose();
    this.store.dispose();
  }
}
