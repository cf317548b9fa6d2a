// Small in-memory stand-ins for the parts of VS Code the core uses.
import type { SecretBackend, StateBackend } from '../../src/core/keyStore';
import type { Log } from '../../src/log';

type Listener = (e: { key: string }) => unknown;

export interface KeyringTiming {
  /** Where delays and lost events come from; seed it to replay a schedule. */
  random?: () => number;
  /** Each window hears of a change up to this many ms later (default: 1 ms for all). */
  eventDelayMs?: number;
  /** Chance (0–1) that one window never hears of one change. */
  loseEvents?: number;
}

/**
 * One keyring shared by several "windows". Each window gets its own backend whose
 * change events fire for writes from any window, like VS Code's SecretStorage.
 * `delayMs` makes reads and writes interleave the way real IPC does; `timing` can make
 * change events arrive late, out of order, or not at all.
 */
export class SharedKeyring {
  readonly data = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  private readonly random: () => number;
  failReads = false;
  failWrites = false;
  /** When set, `get` answers this instead of what was stored (a keyring that loses data). */
  corruptReads = false;
  /** Keys whose reads fail while their count is above 0 (one failure per read). */
  readonly failNextReads = new Map<string, number>();

  constructor(
    private readonly delayMs = 0,
    private readonly timing: KeyringTiming = {},
  ) {
    this.random = timing.random ?? Math.random;
  }

  window(): SecretBackend {
    const delay = () => new Promise<void>((resolve) => setTimeout(resolve, this.random() * this.delayMs));
    return {
      get: async (key) => {
        await delay();
        const failures = this.failNextReads.get(key) ?? 0;
        if (this.failReads || failures > 0) {
          this.failNextReads.set(key, Math.max(0, failures - 1));
          throw new Error('keyring locked');
        }
        const value = this.data.get(key);
        return this.corruptReads && value !== undefined ? value.slice(0, -1) : value;
      },
      store: async (key, value) => {
        await delay();
        if (this.failWrites) {
          throw new Error('no keyring available');
        }
        this.data.set(key, value);
        this.emit(key);
      },
      delete: async (key) => {
        await delay();
        this.data.delete(key);
        this.emit(key);
      },
      keys: async () => {
        await delay();
        return [...this.data.keys()];
      },
      onDidChange: (listener) => {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
      },
    };
  }

  private emit(key: string): void {
    // Asynchronous, as across windows.
    if (this.timing.eventDelayMs === undefined && !this.timing.loseEvents) {
      setTimeout(() => {
        for (const listener of [...this.listeners]) {
          listener({ key });
        }
      }, 1);
      return;
    }
    for (const listener of [...this.listeners]) {
      if (this.random() < (this.timing.loseEvents ?? 0)) {
        continue;
      }
      setTimeout(
        () => {
          if (this.listeners.has(listener)) {
            listener({ key });
          }
        },
        1 + this.random() * (this.timing.eventDelayMs ?? 0),
      );
    }
  }
}

export class MemoryMemento implements StateBackend {
  private readonly values = new Map<string, unknown>();

  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }

  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, value);
    }
    return Promise.resolve();
  }

  dump(): string {
    return JSON.stringify([...this.values.entries()]);
  }
}

export function fakeKey(n: number): string {
  return `avk_${n.toString(16).padStart(40, '0')}`;
}

/** A log that keeps what it is told (info, warn and error; debug is dropped), for tests that read it back. */
export function recordingLog(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string) => void lines.push(message);
  return { log: { info: keep, warn: keep, error: keep, debug: () => undefined } as unknown as Log, lines };
}
