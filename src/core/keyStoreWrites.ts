import { checkKeyShape, maskKey } from './keyFormat';
import { INDEX_SECRET, PATCH_FIELDS, type KeyMeta, type KeyPatch, type Tombstone } from './keyIndex';
import { forgetInRecord, type KeyRecord, type MissingKey } from './keyRecord';
import * as l10n from './l10n';
import { randomHex } from './sha256';
import {
  ACTIVE_STATE,
  DEFAULT_STATE,
  FOLDER_ACTIVE_STATE,
  KeyringError,
  VALUE_PREFIX,
  fingerprintOf,
  keyringHelp,
  type AddResult,
  type Intent,
  type NewKey,
  type SecretBackend,
  type StateBackend,
  type SweepResult,
  type UnreferencedSecret,
} from './keyStore';

/**
 * What the key store hands this module: its state and the steps it writes with. Every call
 * runs inside the store's queue (the store serialises; these functions never do).
 */
export interface WritesHost {
  readonly secrets: SecretBackend;
  readonly workspaceState: StateBackend;
  readonly globalState: StateBackend;
  /** The listed entries; the store replaces the map at each read, so this is a getter. */
  keys(): Map<string, KeyMeta>;
  removed(): readonly Tombstone[];
  readonly intents: Map<string, Intent>;
  readonly orphans: Set<string>;
  readonly valueGone: Set<string>;
  readonly recordAtStart: KeyRecord;
  loadFailed(): boolean;
  /** The check at start has run, so `missing` can be trusted. */
  markChecked(): void;
  missing(): MissingKey[];
  readRecord(): KeyRecord;
  saveRecord(next: KeyRecord): Promise<void>;
  reload(opts?: { mustWrite?: boolean }): Promise<void>;
  commit(id: string, intent: Intent): Promise<void>;
  stamp(): number;
  getValue(id: string): Promise<string | undefined>;
  valueState(id: string): Promise<'present' | 'absent' | 'unknown'>;
  watchValue(id: string): void;
  reportOrphan(id: string): void;
  activeId(): string | undefined;
  setActive(id: string): Promise<void>;
  /** What listeners see (compared before and after a change). */
  shape(): string;
  fire(): void;
}

/**
 * What the key store does only after startup, a lazy chunk (LAZY in esbuild.mjs): adding and
 * removing keys (commands and providers that load later), the check at start for what other
 * windows left behind (run once the keyring is read), and the clean-up of secrets and keys no
 * entry lists. Activation keeps reading, listing, updating and the merge across windows.
 */
export class KeyStoreWrites {
  constructor(private readonly host: WritesHost) {}

  /** See KeyStore.add. */
  async add(input: NewKey): Promise<AddResult> {
    const host = this.host;
    const shape = checkKeyShape(input.value);
    if (!shape.ok) {
      throw new Error(shape.message);
    }
    const value = shape.key;
    await host.reload();
    const fingerprint = fingerprintOf(value);
    const existing = [...host.keys().values()].find((k) => k.fingerprint === fingerprint);
    if (existing) {
      return { meta: existing, existed: true };
    }
    // The same key as one recorded missing here: it takes that key's place, name and all.
    const known = host.missing().find((k) => k.fingerprint === fingerprint);
    if (known && host.valueGone.has(known.id)) {
      await this.writeValue(known.id, value);
      host.valueGone.delete(known.id);
      await host.reload();
      const relinked = host.keys().get(known.id);
      if (relinked) {
        if (!host.activeId()) {
          await host.setActive(relinked.id);
        }
        return { meta: relinked, existed: false, linked: known.where };
      }
    }
    const meta: KeyMeta = {
      id: known?.id ?? `k${Date.now().toString(36)}${randomHex(4)}`,
      label: this.uniqueLabel(known?.label ?? input.label),
      environment: known?.environment ?? input.environment,
      baseUrl: input.baseUrl,
      addedAt: known?.addedAt ?? new Date().toISOString(),
      masked: maskKey(value),
      fingerprint,
      source: input.source,
      scopes: input.scopes,
      lastCheck: input.lastCheck,
      storedUnchecked: input.storedUnchecked || undefined,
    };
    await this.writeValue(meta.id, value);
    try {
      await host.commit(meta.id, { add: meta, patch: {}, stamps: {}, lastUnsettled: Date.now() });
    } catch (error) {
      // Nothing half-stored: without an index entry the value would be unreachable.
      host.intents.delete(meta.id);
      await Promise.resolve(host.secrets.delete(VALUE_PREFIX + meta.id)).catch(() => host.reportOrphan(meta.id));
      throw error;
    }
    if (!host.activeId()) {
      await host.setActive(meta.id);
    }
    return { meta: host.keys().get(meta.id) ?? meta, existed: false, linked: known?.where };
  }

  /** See KeyStore.update. */
  async update(id: string, patch: KeyPatch): Promise<KeyMeta | undefined> {
    const host = this.host;
    await host.reload();
    if (!host.keys().has(id)) {
      return undefined;
    }
    const own: KeyPatch = { ...patch };
    if (patch.label !== undefined) {
      own.label = this.uniqueLabel(patch.label, id);
    }
    const fields = PATCH_FIELDS.filter((f) => f in own);
    const stamp = host.stamp();
    const previous = host.intents.get(id);
    const intent: Intent = previous
      ? { ...previous, patch: { ...previous.patch }, stamps: { ...previous.stamps } }
      : { patch: {}, stamps: {}, lastUnsettled: Date.now() };
    for (const field of fields) {
      (intent.patch as Record<string, unknown>)[field] = own[field];
      intent.stamps[field] = stamp;
    }
    intent.lastUnsettled = Date.now();
    try {
      await host.commit(id, intent);
    } catch (error) {
      if (previous) {
        host.intents.set(id, previous);
      } else {
        host.intents.delete(id);
      }
      throw error;
    }
    return host.keys().get(id);
  }

  /** See KeyStore.remove. */
  async remove(id: string): Promise<boolean> {
    const host = this.host;
    await host.reload();
    if (!host.keys().has(id)) {
      return false;
    }
    // Value first: a window repairing a lost write only re-adds ids whose value still exists.
    await host.secrets.delete(VALUE_PREFIX + id);
    await host.commit(id, { removedAt: host.stamp(), patch: {}, stamps: {}, lastUnsettled: Date.now() });
    for (const [state, key] of [
      [host.workspaceState, ACTIVE_STATE],
      [host.globalState, DEFAULT_STATE],
    ] as const) {
      if (state.get<string>(key) === id) {
        await state.update(key, undefined);
      }
    }
    const folders = host.workspaceState.get<Record<string, string>>(FOLDER_ACTIVE_STATE) ?? {};
    if (Object.values(folders).includes(id)) {
      await host.workspaceState.update(FOLDER_ACTIVE_STATE, Object.fromEntries(Object.entries(folders).filter(([, v]) => v !== id)));
    }
    host.fire();
    return true;
  }

  /** Stores a key value and reads it back; nothing is left stored when either fails. */
  private async writeValue(id: string, value: string): Promise<void> {
    const host = this.host;
    try {
      await host.secrets.store(VALUE_PREFIX + id, value);
    } catch (error) {
      throw new KeyringError(
        l10n.t(
          'The key could not be saved in secret storage ({0}). Nothing was stored. {1}',
          String((error as Error).message),
          keyringHelp(),
        ),
        'write',
      );
    }
    let readBack: string | undefined;
    try {
      readBack = await host.secrets.get(VALUE_PREFIX + id);
    } catch (error) {
      readBack = undefined;
      void error;
    }
    if (readBack !== value) {
      await Promise.resolve(host.secrets.delete(VALUE_PREFIX + id)).catch(() => host.reportOrphan(id));
      throw new KeyringError(
        l10n.t('Secret storage accepted the key but did not give it back. Nothing was stored. {0}', keyringHelp()),
        'verify',
      );
    }
  }

  /** See KeyStore.forgetMissing. */
  async forgetMissing(ids: string[]): Promise<void> {
    const host = this.host;
    const forget = ids.filter((id) => !host.keys().has(id));
    const at = host.stamp();
    for (const id of forget.filter((i) => host.valueGone.has(i))) {
      host.valueGone.delete(id);
      host.intents.set(id, { removedAt: at, patch: {}, stamps: {}, lastUnsettled: Date.now() });
    }
    await host.saveRecord(forgetInRecord(host.readRecord(), forget, at));
    await host.reload({ mustWrite: true });
    host.fire();
  }

  /** See KeyStore.unreferencedSecrets. */
  async unreferencedSecrets(): Promise<UnreferencedSecret[] | undefined> {
    const secrets = this.host.secrets;
    if (!secrets.keys) {
      return undefined;
    }
    await this.host.reload();
    const names = this.unreferenced(await secrets.keys());
    const found: UnreferencedSecret[] = [];
    for (const name of names) {
      const value = name.startsWith(VALUE_PREFIX) ? await Promise.resolve(secrets.get(name)).catch(() => undefined) : undefined;
      const shape = value === undefined ? undefined : checkKeyShape(value);
      found.push({ name, masked: shape?.ok ? maskKey(shape.key) : undefined });
    }
    return found;
  }

  /** See KeyStore.deleteUnreferenced. */
  async deleteUnreferenced(names: string[]): Promise<string[]> {
    await this.host.reload();
    const still = new Set(this.unreferenced(names));
    const deleted: string[] = [];
    for (const name of names.filter((n) => still.has(n))) {
      await this.host.secrets.delete(name);
      this.host.orphans.delete(name.slice(VALUE_PREFIX.length));
      deleted.push(name);
    }
    this.host.fire();
    return deleted;
  }

  /** `wanted`, or with the first free number after it: labels are unique, case aside. */
  private uniqueLabel(wanted: string, selfId?: string): string {
    const base = wanted.trim() || l10n.t('Avala key');
    const taken = new Set([...this.host.keys().values()].filter((k) => k.id !== selfId).map((k) => k.label.toLowerCase()));
    if (!taken.has(base.toLowerCase())) {
      return base;
    }
    for (let n = 2; n < 10_000; n++) {
      const candidate = `${base} (${n})`;
      if (!taken.has(candidate.toLowerCase())) {
        return candidate;
      }
    }
    return `${base} (${randomHex(2)})`;
  }

  /** Of `names`, the `avala.*` secrets the index, an entry, a lost entry or an own write in flight do not explain. */
  private unreferenced(names: string[]): string[] {
    const { valueGone, intents } = this.host;
    const keys = this.host.keys();
    return names.filter((name) => {
      if (!name.startsWith('avala.') || name === INDEX_SECRET) {
        return false;
      }
      const id = name.startsWith(VALUE_PREFIX) ? name.slice(VALUE_PREFIX.length) : undefined;
      return !id || !(keys.has(id) || valueGone.has(id) || intents.has(id));
    });
  }

  /** See KeyStore.recoverOrphan. */
  async recoverOrphan(id: string, label: string, baseUrl: string): Promise<KeyMeta | undefined> {
    const host = this.host;
    const value = await host.getValue(id);
    host.orphans.delete(id);
    const shape = value === undefined ? undefined : checkKeyShape(value);
    if (!shape?.ok) {
      host.fire();
      return undefined;
    }
    await host.reload();
    if (host.keys().has(id)) {
      return host.keys().get(id);
    }
    const meta: KeyMeta = {
      id,
      label: this.uniqueLabel(label),
      environment: 'development',
      baseUrl,
      addedAt: new Date().toISOString(),
      masked: maskKey(shape.key),
      fingerprint: fingerprintOf(shape.key),
      source: 'login',
      storedUnchecked: true,
    };
    await host.commit(id, { add: meta, patch: {}, stamps: {}, lastUnsettled: Date.now() });
    return host.keys().get(id);
  }

  /** See KeyStore.deleteOrphan. */
  async deleteOrphan(id: string): Promise<void> {
    if (this.host.keys().has(id)) {
      return;
    }
    await this.host.secrets.delete(VALUE_PREFIX + id);
    this.host.orphans.delete(id);
    this.host.fire();
  }

  /** A key value changed in the keyring and writes have settled: is it listed, removed, or an orphan? */
  async checkValue(id: string): Promise<void> {
    const host = this.host;
    if (host.valueGone.has(id) && (await host.valueState(id)) === 'present') {
      // Another window logged in with the lost key again.
      host.valueGone.delete(id);
    }
    await host.reload();
    if (host.keys().has(id) || host.valueGone.has(id) || host.removed().some((t) => t.id === id) || host.intents.has(id)) {
      return;
    }
    if ((await host.valueState(id)) === 'present') {
      host.reportOrphan(id);
    }
  }

  /**
   * Looks for what a window that never heard of another's change leaves behind (code-server
   * keeps each window's view of secret storage apart until it reloads, so the last writer's
   * index wins): an entry whose value is gone was removed elsewhere and is dropped with a
   * tombstone, and a stored value no entry lists is checked as a possible orphan. A value
   * that cannot be read is left alone.
   */
  async sweep(): Promise<SweepResult> {
    const host = this.host;
    if (host.loadFailed()) {
      return { dropped: [], lost: [] };
    }
    const keys = host.keys();
    const absent: string[] = [];
    for (const meta of [...keys.values()]) {
      if (!host.intents.has(meta.id) && (await host.valueState(meta.id)) === 'absent') {
        absent.push(meta.id);
      }
    }
    // Every value gone at once is secret storage forgetting, not another window removing keys
    // one by one: recorded keys are kept (hidden, named by `missing`) until the user chooses.
    const everyValueGone = absent.length > 0 && absent.length === keys.size;
    const before = host.shape();
    for (const id of absent) {
      if (everyValueGone && host.recordAtStart.keys.some((k) => k.id === id)) {
        host.valueGone.add(id);
        keys.delete(id);
      }
    }
    const dropped = absent.filter((id) => !host.valueGone.has(id));
    host.markChecked();
    if (host.shape() !== before) {
      host.fire();
    }
    const lost = host
      .missing()
      .filter((k) => k.where === 'lost')
      .map((k) => k.id);
    for (const id of dropped) {
      host.intents.set(id, { removedAt: host.stamp(), patch: {}, stamps: {}, lastUnsettled: Date.now() });
    }
    if (dropped.length > 0) {
      await host.reload({ mustWrite: true }).catch(() => undefined);
    }
    let names: string[];
    try {
      if (!host.secrets.keys) {
        return { dropped, lost };
      }
      names = await host.secrets.keys();
    } catch {
      return { dropped, lost };
    }
    const unlisted = names
      .filter((name) => name.startsWith(VALUE_PREFIX))
      .map((name) => name.slice(VALUE_PREFIX.length))
      .filter((id) => !host.keys().has(id) && !host.removed().some((t) => t.id === id));
    for (const id of unlisted) {
      host.watchValue(id);
    }
    return { dropped, unlisted, lost };
  }
}
