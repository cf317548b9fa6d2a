import { createHash, randomBytes } from 'node:crypto';
import { Emitter, type Disposable, type Event } from './events';
import { maskKey } from './keyFormat';
import * as l10n from './l10n';
import { redact } from './redact';
import type { KeyCheck } from './keyState';

/** The part of vscode.SecretStorage the store needs. */
export interface SecretBackend {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (e: { key: string }) => unknown): Disposable;
}

/** The part of vscode.Memento the store needs (ids only, never a key). */
export interface StateBackend {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export type KeySource = 'signup' | 'login' | 'import' | 'editor';

/** What the store knows about a key besides its value. Holds no secret. */
export interface KeyMeta {
  id: string;
  label: string;
  environment: string;
  baseUrl: string;
  addedAt: string;
  /** `avk_…a1b2`: at most the last four characters. */
  masked: string;
  /** A one-way hash prefix, to recognise the same key without reading every secret. */
  fingerprint: string;
  source: KeySource;
  /** From the last successful check; `undefined` when not known. `[]` = full access. */
  scopes?: string[];
  lastCheck?: KeyCheck;
  /** Stored while the API could not be reached, so never checked. */
  storedUnchecked?: boolean;
}

export interface NewKey {
  value: string;
  label: string;
  environment: string;
  baseUrl: string;
  source: KeySource;
  scopes?: string[];
  lastCheck?: KeyCheck;
  storedUnchecked?: boolean;
}

/**
 * The keyring could not be written or read back; the message says how to fix it. It quotes
 * the keyring's own error text, so it is redacted like the API's errors.
 */
export class KeyringError extends Error {
  constructor(message: string, readonly operation: 'read' | 'write' | 'verify') {
    super(redact(message));
    this.name = 'KeyringError';
  }
}

export const INDEX_SECRET = 'avala.keys.index';
const VALUE_PREFIX = 'avala.key.';
const ACTIVE_STATE = 'avala.activeKeyId';
const FOLDER_ACTIVE_STATE = 'avala.folderActiveKeyIds';
const DEFAULT_STATE = 'avala.defaultKeyId';

// A function, not a constant: the words are looked up in the user's language when shown.
export function keyringHelp(): string {
  return l10n.t('VS Code could not use the operating system keyring. On Linux, install and unlock a Secret Service provider (gnome-keyring or KWallet), or set "password-store" in VS Code\'s argv.json (Preferences: Configure Runtime Arguments), then reload the window.');
}

export function fingerprintOf(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
}

export function parseIndex(text: string | undefined): KeyMeta[] {
  if (!text) {
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(parsed.keys)) {
      return [];
    }
    return parsed.keys.filter((k): k is KeyMeta => !!k && typeof k === 'object' && typeof (k as KeyMeta).id === 'string' && typeof (k as KeyMeta).label === 'string');
  } catch {
    return [];
  }
}

function serializeIndex(keys: KeyMeta[]): string {
  return JSON.stringify({ version: 1, keys });
}

/**
 * Many keys in SecretStorage: one secret per key value, and one index secret with the
 * metadata. Writes are serialised within a window; a write lost to another window's
 * concurrent write is repaired when the index changes (see `reload`).
 */
export class KeyStore implements Disposable {
  private keys = new Map<string, KeyMeta>();
  /** Ids added by this window and not removed by it: re-added if another window's write drops them. */
  private readonly addedHere = new Set<string>();
  private readonly removedHere = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changed = new Emitter<void>();
  private readonly subscription: Disposable;
  readonly onDidChange: Event<void> = this.changed.event;
  readonly ready: Promise<void>;
  /** Set when the index itself could not be read: keys may exist that we cannot list. */
  loadError?: KeyringError;

  constructor(
    private readonly secrets: SecretBackend,
    private readonly workspaceState: StateBackend,
    private readonly globalState: StateBackend,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === INDEX_SECRET) {
        void this.serialize(() => this.reload());
      }
    });
    this.ready = this.serialize(() => this.reload());
  }

  list(): KeyMeta[] {
    return [...this.keys.values()].sort((a, b) => a.label.localeCompare(b.label) || a.addedAt.localeCompare(b.addedAt));
  }

  get(id: string): KeyMeta | undefined {
    return this.keys.get(id);
  }

  findByLabel(label: string): KeyMeta | undefined {
    const lower = label.trim().toLowerCase();
    return this.list().find((k) => k.label.toLowerCase() === lower);
  }

  findByValue(value: string): KeyMeta | undefined {
    const fingerprint = fingerprintOf(value);
    return this.list().find((k) => k.fingerprint === fingerprint);
  }

  async getValue(id: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(VALUE_PREFIX + id);
    } catch (error) {
      throw new KeyringError(l10n.t('The key could not be read from secret storage ({0}). {1}', String((error as Error).message), keyringHelp()), 'read');
    }
  }

  /** Adds a key, or returns the existing entry when the same key is already stored. */
  add(input: NewKey): Promise<{ meta: KeyMeta; existed: boolean }> {
    return this.serialize(async () => {
      await this.reload();
      const fingerprint = fingerprintOf(input.value);
      const existing = [...this.keys.values()].find((k) => k.fingerprint === fingerprint);
      if (existing) {
        return { meta: existing, existed: true };
      }
      const meta: KeyMeta = {
        id: `k${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
        label: this.uniqueLabel(input.label),
        environment: input.environment,
        baseUrl: input.baseUrl,
        addedAt: new Date().toISOString(),
        masked: maskKey(input.value),
        fingerprint,
        source: input.source,
        scopes: input.scopes,
        lastCheck: input.lastCheck,
        storedUnchecked: input.storedUnchecked || undefined,
      };
      await this.writeValue(meta.id, input.value);
      this.keys.set(meta.id, meta);
      this.addedHere.add(meta.id);
      try {
        await this.writeIndex();
      } catch (error) {
        // Nothing half-stored: without an index entry the value would be unreachable.
        this.keys.delete(meta.id);
        this.addedHere.delete(meta.id);
        await Promise.resolve(this.secrets.delete(VALUE_PREFIX + meta.id)).catch(() => undefined);
        throw error;
      }
      if (!this.activeId()) {
        await this.setActive(meta.id);
      }
      this.changed.fire();
      return { meta, existed: false };
    });
  }

  /** Changes metadata (label, environment, scopes, last check). Never the value. */
  update(id: string, patch: Partial<Pick<KeyMeta, 'label' | 'environment' | 'scopes' | 'lastCheck' | 'storedUnchecked'>>): Promise<KeyMeta | undefined> {
    return this.serialize(async () => {
      await this.reload();
      const current = this.keys.get(id);
      if (!current) {
        return undefined;
      }
      const next: KeyMeta = { ...current, ...patch };
      if (patch.label !== undefined) {
        next.label = this.uniqueLabel(patch.label, id);
      }
      this.keys.set(id, next);
      try {
        await this.writeIndex();
      } catch (error) {
        this.keys.set(id, current);
        throw error;
      }
      this.changed.fire();
      return next;
    });
  }

  /** Forgets a key here. It is not revoked at Avala: that happens in Mission Control. */
  remove(id: string): Promise<boolean> {
    return this.serialize(async () => {
      await this.reload();
      if (!this.keys.has(id)) {
        return false;
      }
      // Value first: a window repairing a lost write only re-adds ids whose value still exists.
      this.removedHere.add(id);
      this.addedHere.delete(id);
      await this.secrets.delete(VALUE_PREFIX + id);
      this.keys.delete(id);
      await this.writeIndex();
      for (const [state, key] of [[this.workspaceState, ACTIVE_STATE], [this.globalState, DEFAULT_STATE]] as const) {
        if (state.get<string>(key) === id) {
          await state.update(key, undefined);
        }
      }
      const folders = this.workspaceState.get<Record<string, string>>(FOLDER_ACTIVE_STATE) ?? {};
      if (Object.values(folders).includes(id)) {
        await this.workspaceState.update(FOLDER_ACTIVE_STATE, Object.fromEntries(Object.entries(folders).filter(([, v]) => v !== id)));
      }
      this.changed.fire();
      return true;
    });
  }

  /** The active key id: the folder's own, else the workspace's, else the global default. */
  activeId(folderUri?: string): string | undefined {
    const candidates = [
      folderUri ? this.workspaceState.get<Record<string, string>>(FOLDER_ACTIVE_STATE)?.[folderUri] : undefined,
      this.workspaceState.get<string>(ACTIVE_STATE),
      this.globalState.get<string>(DEFAULT_STATE),
    ];
    return candidates.find((id): id is string => !!id && this.keys.has(id));
  }

  active(folderUri?: string): KeyMeta | undefined {
    const id = this.activeId(folderUri);
    return id ? this.keys.get(id) : undefined;
  }

  /** Folder-specific active keys (multi-root workspaces). */
  folderActiveIds(): Record<string, string> {
    return { ...(this.workspaceState.get<Record<string, string>>(FOLDER_ACTIVE_STATE) ?? {}) };
  }

  /** Makes a key active in this workspace and the default for new ones; or for one folder only. */
  async setActive(id: string | undefined, folderUri?: string): Promise<void> {
    if (folderUri) {
      const folders = this.folderActiveIds();
      if (id) {
        folders[folderUri] = id;
      } else {
        delete folders[folderUri];
      }
      await this.workspaceState.update(FOLDER_ACTIVE_STATE, folders);
    } else {
      await this.workspaceState.update(ACTIVE_STATE, id);
      await this.globalState.update(DEFAULT_STATE, id);
    }
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private uniqueLabel(wanted: string, selfId?: string): string {
    const base = wanted.trim() || l10n.t('Avala key');
    const taken = new Set([...this.keys.values()].filter((k) => k.id !== selfId).map((k) => k.label.toLowerCase()));
    if (!taken.has(base.toLowerCase())) {
      return base;
    }
    for (let n = 2; n < 10_000; n++) {
      const candidate = `${base} (${n})`;
      if (!taken.has(candidate.toLowerCase())) {
        return candidate;
      }
    }
    return `${base} (${randomBytes(2).toString('hex')})`;
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeValue(id: string, value: string): Promise<void> {
    try {
      await this.secrets.store(VALUE_PREFIX + id, value);
    } catch (error) {
      throw new KeyringError(l10n.t('The key could not be saved in secret storage ({0}). Nothing was stored. {1}', String((error as Error).message), keyringHelp()), 'write');
    }
    let readBack: string | undefined;
    try {
      readBack = await this.secrets.get(VALUE_PREFIX + id);
    } catch (error) {
      readBack = undefined;
      void error;
    }
    if (readBack !== value) {
      await Promise.resolve(this.secrets.delete(VALUE_PREFIX + id)).catch(() => undefined);
      throw new KeyringError(l10n.t('Secret storage accepted the key but did not give it back. Nothing was stored. {0}', keyringHelp()), 'verify');
    }
  }

  private async writeIndex(): Promise<void> {
    try {
      await this.secrets.store(INDEX_SECRET, serializeIndex([...this.keys.values()]));
    } catch (error) {
      throw new KeyringError(l10n.t('The list of keys could not be saved in secret storage ({0}). {1}', String((error as Error).message), keyringHelp()), 'write');
    }
  }

  /** Re-reads the index; re-adds this window's keys that a concurrent write from another window dropped. */
  private async reload(): Promise<void> {
    let text: string | undefined;
    try {
      text = await this.secrets.get(INDEX_SECRET);
      this.loadError = undefined;
    } catch (error) {
      this.loadError = new KeyringError(l10n.t('The list of Avala keys could not be read from secret storage ({0}). {1}', String((error as Error).message), keyringHelp()), 'read');
      this.changed.fire();
      return;
    }
    const remote = new Map(parseIndex(text).map((k) => [k.id, k] as const));
    let repaired = false;
    for (const id of this.addedHere) {
      const mine = this.keys.get(id);
      if (!remote.has(id) && mine && !this.removedHere.has(id)) {
        const value = await Promise.resolve(this.secrets.get(VALUE_PREFIX + id)).catch(() => undefined);
        if (value !== undefined) {
          remote.set(id, mine);
          repaired = true;
        } else {
          this.addedHere.delete(id);
        }
      }
    }
    const before = serializeIndex([...this.keys.values()]);
    this.keys = remote;
    if (repaired) {
      await this.writeIndex();
    }
    if (serializeIndex([...this.keys.values()]) !== before) {
      this.changed.fire();
    }
  }
}
