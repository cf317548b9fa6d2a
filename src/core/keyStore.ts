import { Emitter, type Disposable, type Event } from './events';
import type { KeyStoreWrites, WritesHost } from './keyStoreWrites';
import { Lazy } from './lazy';
import * as l10n from './l10n';
import { redact } from './redact';
import { sha256Hex } from './sha256';
import type { KeyCheck } from './keyState';
import {
  INDEX_SECRET,
  PATCH_FIELDS,
  TOMBSTONE_TTL_MS,
  parseIndexDocument,
  serializeIndex,
  type IndexDocument,
  type KeyMeta,
  type KeyPatch,
  type KeySource,
  type PatchField,
  type Tombstone,
} from './keyIndex';
import { RECORD_STATE, mergeRecord, missingKeys, parseRecord, sameRecord, type KeyRecord, type MissingKey } from './keyRecord';

/** The part of vscode.SecretStorage the store needs. */
export interface SecretBackend {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (e: { key: string }) => unknown): Disposable;
  /** Every stored name, where the host offers it (VS Code 1.10x and later). */
  keys?(): PromiseLike<string[]>;
}

/** The part of vscode.Memento the store needs (ids only, never a key). */
export interface StateBackend {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
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
  constructor(
    message: string,
    readonly operation: 'read' | 'write' | 'verify',
  ) {
    super(redact(message));
    this.name = 'KeyringError';
  }
}

/**
 * A key is listed but its value is not in secret storage (another window removed it, or the
 * keyring was reset). The one wording for it, wherever a key's value is read.
 */
export class KeyValueMissingError extends Error {
  constructor(readonly label: string) {
    super(l10n.t('The value of "{0}" is missing from secret storage. Log in with the key again.', label));
    this.name = 'KeyValueMissingError';
  }
}

/** A key's value with the base URL it may be sent to: the two always travel together. */
export interface KeyValue {
  value: string;
  baseUrl: string;
}

export const VALUE_PREFIX = 'avala.key.';
export const ACTIVE_STATE = 'avala.activeKeyId';
export const FOLDER_ACTIVE_STATE = 'avala.folderActiveKeyIds';
export const DEFAULT_STATE = 'avala.defaultKeyId';

// A function, not a constant: the words are looked up in the user's language when shown.
export function keyringHelp(): string {
  return l10n.t(
    'VS Code could not use the operating system keyring. On Linux, install and unlock a Secret Service provider (gnome-keyring or KWallet), or set "password-store" in VS Code\'s argv.json (Preferences: Configure Runtime Arguments), then reload the window.',
  );
}

export function fingerprintOf(value: string): string {
  return sha256Hex(value).slice(0, 16);
}

/**
 * One window's own change that is not yet known to have settled in the index: re-applied to
 * every index this window reads until it has held there for `settleMs`, so a stale write from
 * another window cannot undo it.
 */
export interface Intent {
  add?: KeyMeta;
  removedAt?: number;
  patch: KeyPatch;
  stamps: Partial<Record<PatchField, number>>;
  /** When the change was last seen missing from the index (or made). */
  lastUnsettled: number;
}

export interface KeyStoreOptions {
  /** How long an own change is watched after it last had to be repaired (default 5 s). */
  settleMs?: number;
  /** Re-reads after an own write, in case a change event is late or never comes (default 250 ms, 1 s, 5 s). */
  verifyAfterMs?: number[];
  /** Retries of a value read that fails while deciding whether to repair an entry. */
  valueReadRetries?: number;
}

/** Where the store keeps keys (vscode.ExtensionContext's secrets and mementos fit), and its timing. */
export interface KeyStoreDeps extends KeyStoreOptions {
  secrets: SecretBackend;
  /** This workspace's active key and folder keys. */
  workspaceState: StateBackend;
  /** The active key a workspace without its own falls back to, and the key record (./keyRecord). */
  globalState: StateBackend;
  /** This device (vscode.env.machineId): the key record says which devices held a key. */
  deviceId?: string;
}

/** What the check at start found: entries dropped because their value was gone, values no entry lists. */
export interface SweepResult {
  dropped: string[];
  /** `undefined` when the host cannot list secret names. */
  unlisted?: string[];
  /** Recorded keys this device held whose values (or whole index) secret storage no longer has. */
  lost: string[];
}

/** A secret no entry points to, as the cleanup lists it. */
export interface UnreferencedSecret {
  name: string;
  /** `avk_…a1b2` when the secret holds a key. */
  masked?: string;
}

/** What `add` did: stored a new key, found it stored, and whether it took a recorded key's place. */
export interface AddResult {
  meta: KeyMeta;
  existed: boolean;
  /** Set when the key had been recorded as lost here or stored on another device, and now is stored here again. */
  linked?: MissingKey['where'];
}

/**
 * Many keys in SecretStorage: one secret per key value, and one index secret with the
 * metadata. Writes are serialised within a window. Across windows, which share the keyring
 * but not a lock, every write re-reads the index and applies only this window's own changes
 * to it, entry by entry (add, remove with a tombstone, patch of the named fields, newest
 * patch winning); each window keeps re-applying its own changes whenever the index it reads
 * lacks them, until they have held for a while.
 */
export class KeyStore implements Disposable {
  private keys = new Map<string, KeyMeta>();
  private removed: Tombstone[] = [];
  private readonly intents = new Map<string, Intent>();
  /** `avala.key.*` secrets with no entry and no tombstone: reported, never silently kept. */
  private readonly orphans = new Set<string>();
  private readonly orphanChecks = new Set<string>();
  /** Entries whose value secret storage lost with every other value: hidden from `list`, named by `missing`. */
  private readonly valueGone = new Set<string>();
  /** The key record as this window last merged it, and as it was before this window touched it. */
  private record: KeyRecord;
  private readonly recordAtStart: KeyRecord;
  /** Whether the check at start ran, so `missing` can be trusted. */
  private checked = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private lastStamp = 0;
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changed = new Emitter<void>();
  private readonly subscription: Disposable;
  private readonly settleMs: number;
  private readonly verifyAfterMs: number[];
  private readonly valueReadRetries: number;
  readonly onDidChange: Event<void> = this.changed.event;
  readonly ready: Promise<void>;
  /** The check at start for what other windows left behind (see `sweep`). */
  readonly swept: Promise<SweepResult>;
  /** Set when the index itself could not be read: keys may exist that we cannot list. */
  loadError?: KeyringError;

  private readonly secrets: SecretBackend;
  private readonly workspaceState: StateBackend;
  private readonly globalState: StateBackend;
  private readonly device: string;
  /** Adding, updating, removing, the check at start and clean-up: a lazy chunk of its own (./keyStoreWrites). */
  private readonly writes = new Lazy<KeyStoreWrites>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KeyStoreWrites } = require('./keyStoreWrites') as typeof import('./keyStoreWrites');
    return new KeyStoreWrites(this.writesHost());
  });

  constructor(deps: KeyStoreDeps) {
    // Copied into fields: the backends are read in two dozen places.
    this.secrets = deps.secrets;
    this.workspaceState = deps.workspaceState;
    this.globalState = deps.globalState;
    this.device = deps.deviceId ?? 'this-device';
    this.recordAtStart = this.record = this.readRecord();
    this.settleMs = deps.settleMs ?? 5000;
    this.verifyAfterMs = deps.verifyAfterMs ?? [250, 1000, 5000];
    this.valueReadRetries = deps.valueReadRetries ?? 3;
    this.subscription = this.secrets.onDidChange((e) => {
      if (e.key === INDEX_SECRET) {
        void this.serialize(() => this.reload()).catch(() => undefined);
      } else if (e.key.startsWith(VALUE_PREFIX)) {
        this.watchValue(e.key.slice(VALUE_PREFIX.length));
      }
    });
    this.ready = this.serialize(() => this.reload());
    // Not part of `ready`: what another window left behind is found in the background.
    this.swept = this.ready.then(() => this.serialize(() => this.writes.value.sweep()));
    this.swept.catch(() => undefined);
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
    const fingerprint = fingerprintOf(value.trim());
    return this.list().find((k) => k.fingerprint === fingerprint);
  }

  /**
   * A listed key's value and base URL, for every feature that hands a key out or checks it.
   * Throws a KeyValueMissingError when the value is gone, a KeyringError when it cannot be read.
   */
  async readKey(id: string): Promise<KeyValue> {
    const value = await this.getValue(id);
    const meta = this.keys.get(id);
    if (value === undefined || !meta) {
      throw new KeyValueMissingError(meta?.label ?? id);
    }
    return { value, baseUrl: meta.baseUrl };
  }

  /** The value as stored, or undefined; features read keys with `readKey`. */
  async getValue(id: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(VALUE_PREFIX + id);
    } catch (error) {
      throw new KeyringError(
        l10n.t('The key could not be read from secret storage ({0}). {1}', String((error as Error).message), keyringHelp()),
        'read',
      );
    }
  }

  /**
   * Adds a key, or returns the existing entry when the same key is already stored. The value
   * stored is the trimmed key `checkKeyShape` approves, whatever path it came from.
   */
  add(input: NewKey): Promise<AddResult> {
    return this.serialize(() => this.writes.value.add(input));
  }

  /** Changes metadata (label, environment, scopes, last check). Never the value. */
  update(id: string, patch: KeyPatch): Promise<KeyMeta | undefined> {
    return this.serialize(() => this.writes.value.update(id, patch));
  }

  /** Forgets a key here. It is not revoked at Avala: that happens in Mission Control. */
  remove(id: string): Promise<boolean> {
    return this.serialize(() => this.writes.value.remove(id));
  }

  /**
   * Recorded keys this device's secret storage does not hold: lost from it (this device held
   * them) or stored on another device (the record came through Settings Sync). Empty until the
   * check at start has run, and when the list of keys could not be read.
   */
  missing(): MissingKey[] {
    if (!this.checked || this.loadError) {
      return [];
    }
    const gone = new Set(this.removed.map((t) => t.id));
    return missingKeys(this.record, new Set(this.keys.keys()), this.device).filter((k) => !gone.has(k.id));
  }

  /** Forgets recorded keys the user chose not to log in with again; nothing else is deleted. */
  forgetMissing(ids: string[]): Promise<void> {
    return this.serialize(() => this.writes.value.forgetMissing(ids));
  }

  /**
   * `avala.*` secrets that no index entry points to (values of removed or never-listed keys,
   * leftovers of older versions), with the masked value of those that hold a key. `undefined`
   * where the host cannot list secret names (VS Code before 1.105).
   */
  unreferencedSecrets(): Promise<UnreferencedSecret[] | undefined> {
    return this.serialize(() => this.writes.value.unreferencedSecrets());
  }

  /** Deletes the named secrets that still no entry points to; answers the names deleted. */
  deleteUnreferenced(names: string[]): Promise<string[]> {
    return this.serialize(() => this.writes.value.deleteUnreferenced(names));
  }

  /** Secrets named like a key value that no entry lists and no removal explains. */
  orphanIds(): string[] {
    return [...this.orphans];
  }

  /** Gives an orphaned value an entry again, so it can be seen, used or removed. */
  recoverOrphan(id: string, label: string, baseUrl: string): Promise<KeyMeta | undefined> {
    return this.serialize(() => this.writes.value.recoverOrphan(id, label, baseUrl));
  }

  /** Deletes an orphaned value from the keyring. */
  deleteOrphan(id: string): Promise<void> {
    return this.serialize(() => this.writes.value.deleteOrphan(id));
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

  /** Re-reads the index now (a window that regains focus may have missed a change event). */
  refresh(): Promise<void> {
    return this.serialize(() => this.reload());
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.subscription.dispose();
    this.changed.dispose();
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Sub-millisecond and never below a stamp this window has seen, so a later patch wins. */
  private stamp(): number {
    const now = performance.timeOrigin + performance.now();
    this.lastStamp = Math.max(now, this.lastStamp + 0.001);
    return this.lastStamp;
  }

  private later(ms: number, task: () => void): void {
    if (this.disposed) {
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.disposed) {
        task();
      }
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    this.timers.add(timer);
  }

  /** Records an own change and writes it into the index; re-reads later in case another window's stale write undoes it. */
  private async commit(id: string, intent: Intent): Promise<void> {
    this.intents.set(id, intent);
    await this.reload({ mustWrite: true });
    for (const ms of this.verifyAfterMs) {
      this.later(ms, () => void this.serialize(() => this.reload()).catch(() => undefined));
    }
  }

  private async writeIndex(doc: IndexDocument): Promise<void> {
    try {
      await this.secrets.store(INDEX_SECRET, serializeIndex(doc));
    } catch (error) {
      throw new KeyringError(
        l10n.t('The list of keys could not be saved in secret storage ({0}). {1}', String((error as Error).message), keyringHelp()),
        'write',
      );
    }
  }

  private async readIndex(): Promise<IndexDocument> {
    let text: string | undefined;
    try {
      text = await this.secrets.get(INDEX_SECRET);
    } catch (error) {
      throw new KeyringError(
        l10n.t('The list of Avala keys could not be read from secret storage ({0}). {1}', String((error as Error).message), keyringHelp()),
        'read',
      );
    }
    return parseIndexDocument(text);
  }

  /**
   * Whether a key value is still stored. A read that fails is retried; if it keeps failing the
   * answer is "unknown", never "deleted".
   */
  private async valueState(id: string): Promise<'present' | 'absent' | 'unknown'> {
    for (let attempt = 0; attempt <= this.valueReadRetries; attempt++) {
      try {
        return (await this.secrets.get(VALUE_PREFIX + id)) === undefined ? 'absent' : 'present';
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt));
      }
    }
    return 'unknown';
  }

  /**
   * This window's own changes applied to an index read from the keyring, entry by entry.
   * `changed` says whether the result differs from what was read (so it must be written).
   */
  private async applyIntents(remote: IndexDocument): Promise<{ doc: IndexDocument; changed: boolean; retry: boolean }> {
    const now = Date.now();
    const keys = new Map(remote.keys.map((k) => [k.id, k] as const));
    const tombstones = new Map(remote.removed.filter((t) => now - t.at < TOMBSTONE_TTL_MS).map((t) => [t.id, t] as const));
    let changed = tombstones.size !== remote.removed.length;
    let retry = false;
    for (const [id, intent] of this.intents) {
      if (intent.removedAt !== undefined) {
        if (keys.delete(id) || !tombstones.has(id)) {
          changed = true;
          intent.lastUnsettled = now;
        }
        tombstones.set(id, { id, at: Math.max(intent.removedAt, tombstones.get(id)?.at ?? 0) });
        continue;
      }
      if (tombstones.has(id)) {
        // Another window removed it: that wins over anything this window still wanted.
        this.intents.delete(id);
        continue;
      }
      let entry = keys.get(id);
      if (!entry && intent.add) {
        // Our add is missing: a concurrent write dropped it, or another window removed it and
        // its tombstone was lost too. The value tells which.
        const value = await this.valueState(id);
        if (value === 'absent') {
          this.intents.delete(id);
          continue;
        }
        if (value === 'unknown') {
          retry = true;
          continue;
        }
        entry = intent.add;
        changed = true;
        intent.lastUnsettled = now;
      }
      if (!entry) {
        continue;
      }
      let next = entry;
      for (const field of PATCH_FIELDS) {
        const stamp = intent.stamps[field];
        if (stamp === undefined || (entry.changed?.[field] ?? 0) >= stamp) {
          continue;
        }
        next = { ...next, [field]: intent.patch[field], changed: { ...next.changed, [field]: stamp } };
      }
      if (next !== entry || !keys.has(id)) {
        changed = true;
        intent.lastUnsettled = now;
      }
      keys.set(id, next);
    }
    for (const [id, intent] of this.intents) {
      if (now - intent.lastUnsettled > this.settleMs) {
        this.intents.delete(id);
      }
    }
    return { doc: { keys: [...keys.values()], removed: [...tombstones.values()] }, changed, retry };
  }

  /**
   * Re-reads the index, applies this window's own changes, and writes the result when it
   * differs (bounded: a window racing with others tries a few times, then relies on the
   * next change event or verification).
   */
  private async reload(opts: { mustWrite?: boolean } = {}): Promise<void> {
    if (this.disposed && !opts.mustWrite) {
      // A closed window writes nothing more (a re-read queued before it closed may still run).
      return;
    }
    const before = this.shape();
    let doc: IndexDocument | undefined;
    try {
      for (let attempt = 0; attempt < 4; attempt++) {
        const remote = await this.readIndex();
        this.loadError = undefined;
        const merged = await this.applyIntents(remote);
        doc = merged.doc;
        if (merged.retry) {
          this.later(this.verifyAfterMs[0] ?? 250, () => void this.serialize(() => this.reload()).catch(() => undefined));
        }
        if (!merged.changed) {
          break;
        }
        await this.writeIndex(merged.doc);
        // Loop: read again, so a write that raced with ours is seen and merged now.
      }
    } catch (error) {
      if (!(error instanceof KeyringError) || error.operation !== 'read' || opts.mustWrite) {
        throw error;
      }
      this.loadError = error;
      this.changed.fire();
      return;
    }
    if (!doc) {
      return;
    }
    this.keys = new Map(doc.keys.filter((k) => !this.valueGone.has(k.id)).map((k) => [k.id, k] as const));
    this.removed = doc.removed;
    await this.saveRecord(mergeRecord(this.readRecord(), [...this.keys.values()], doc.removed, this.device));
    for (const stamp of doc.keys.flatMap((k) => Object.values(k.changed ?? {}))) {
      this.lastStamp = Math.max(this.lastStamp, stamp ?? 0);
    }
    for (const id of [...this.orphans]) {
      if (this.keys.has(id) || this.removed.some((t) => t.id === id)) {
        this.orphans.delete(id);
      }
    }
    if (this.shape() !== before) {
      this.changed.fire();
    }
  }

  /** What listeners see: the keys and the recorded keys missing here. */
  private shape(): string {
    return JSON.stringify([this.list(), this.missing()]);
  }

  private readRecord(): KeyRecord {
    return parseRecord(this.globalState.get(RECORD_STATE));
  }

  /** Writes the record when it changed; a failed write is not the keyring's problem and is retried at the next read. */
  private async saveRecord(next: KeyRecord): Promise<void> {
    this.record = next;
    if (!sameRecord(next, this.readRecord())) {
      await Promise.resolve(this.globalState.update(RECORD_STATE, next)).catch(() => undefined);
    }
  }

  /** A key value changed in the keyring: once writes have settled, is it listed, removed, or an orphan? */
  private watchValue(id: string): void {
    if (this.orphanChecks.has(id)) {
      return;
    }
    this.orphanChecks.add(id);
    this.later(this.settleMs, () => {
      this.orphanChecks.delete(id);
      void this.serialize(() => this.writes.value.checkValue(id)).catch(() => undefined);
    });
  }

  /** What ./keyStoreWrites works with: this store's state and its steps, nothing else. */
  private writesHost(): WritesHost {
    return {
      secrets: this.secrets,
      workspaceState: this.workspaceState,
      globalState: this.globalState,
      keys: () => this.keys,
      removed: () => this.removed,
      intents: this.intents,
      orphans: this.orphans,
      valueGone: this.valueGone,
      recordAtStart: this.recordAtStart,
      loadFailed: () => this.loadError !== undefined,
      markChecked: () => void (this.checked = true),
      missing: () => this.missing(),
      readRecord: () => this.readRecord(),
      saveRecord: (next) => this.saveRecord(next),
      reload: (opts) => this.reload(opts),
      commit: (id, intent) => this.commit(id, intent),
      stamp: () => this.stamp(),
      getValue: (id) => this.getValue(id),
      valueState: (id) => this.valueState(id),
      watchValue: (id) => this.watchValue(id),
      reportOrphan: (id) => this.reportOrphan(id),
      activeId: () => this.activeId(),
      setActive: (id) => this.setActive(id),
      shape: () => this.shape(),
      fire: () => this.changed.fire(),
    };
  }

  private reportOrphan(id: string): void {
    if (!this.orphans.has(id)) {
      this.orphans.add(id);
      this.changed.fire();
    }
  }
}
