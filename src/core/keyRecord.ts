// The key record: a copy of every key's name and where it was stored, kept outside secret
// storage (in globalState, which Settings Sync may carry to other devices). It holds no key
// and nothing derived from one but the fingerprint. When secret storage forgets what it held
// (VS Code fell back to an in-memory store, the keyring was reset), the record still names
// each key, so the user is told which keys to log in with again instead of finding an empty list.
import type { KeyMeta, Tombstone } from './keyIndex';
import { TOMBSTONE_TTL_MS } from './keyIndex';

/** The globalState entry that holds the record (listed for Settings Sync). */
export const RECORD_STATE = 'avala.keyRecord';

/** What the record keeps of a key: never its value, nor its masked tail. */
export interface RecordEntry {
  id: string;
  label: string;
  environment: string;
  baseUrl: string;
  fingerprint: string;
  addedAt: string;
  /** The devices (VS Code machine ids) whose secret storage held the key. */
  devices: string[];
}

export interface KeyRecord {
  keys: RecordEntry[];
  /** Keys the user removed: never reported as missing, whatever the record of another window says. */
  removed: Tombstone[];
}

/** A recorded key this device's secret storage does not hold. */
export interface MissingKey extends RecordEntry {
  /** `lost`: this device held it and its secret storage forgot it; `elsewhere`: only other devices held it. */
  where: 'lost' | 'elsewhere';
}

const text = (v: unknown): v is string => typeof v === 'string';

export function parseRecord(raw: unknown): KeyRecord {
  const record = (raw && typeof raw === 'object' ? raw : {}) as { keys?: unknown; removed?: unknown };
  const removed = Array.isArray(record.removed)
    ? record.removed.filter((t): t is Tombstone => !!t && text((t as Tombstone).id) && typeof (t as Tombstone).at === 'number')
    : [];
  const keys = Array.isArray(record.keys)
    ? record.keys
        .filter(
          (k): k is RecordEntry =>
            !!k &&
            typeof k === 'object' &&
            text((k as RecordEntry).id) &&
            text((k as RecordEntry).label) &&
            text((k as RecordEntry).fingerprint) &&
            text((k as RecordEntry).baseUrl),
        )
        .map((k) => ({
          id: k.id,
          label: k.label,
          environment: text(k.environment) ? k.environment : 'development',
          baseUrl: k.baseUrl,
          fingerprint: k.fingerprint,
          addedAt: text(k.addedAt) ? k.addedAt : new Date(0).toISOString(),
          devices: Array.isArray(k.devices) ? k.devices.filter(text) : [],
        }))
    : [];
  const gone = new Set(removed.map((t) => t.id));
  return { keys: keys.filter((k) => !gone.has(k.id)), removed };
}

/**
 * The record after this device's secret storage was read: every key it holds is recorded
 * (name, environment, base URL, fingerprint) as held by `device`; ids the index or the user
 * removed leave the record. Old removals expire like the index's tombstones.
 */
export function mergeRecord(record: KeyRecord, held: KeyMeta[], removed: Tombstone[], device: string, now = Date.now()): KeyRecord {
  const tombstones = new Map<string, Tombstone>();
  for (const t of [...record.removed, ...removed]) {
    if (now - t.at < TOMBSTONE_TTL_MS && (tombstones.get(t.id)?.at ?? 0) < t.at) {
      tombstones.set(t.id, t);
    }
  }
  const entries = new Map(record.keys.filter((k) => !tombstones.has(k.id)).map((k) => [k.id, k] as const));
  for (const meta of held) {
    if (tombstones.has(meta.id)) {
      continue;
    }
    const previous = entries.get(meta.id);
    entries.set(meta.id, {
      id: meta.id,
      label: meta.label,
      environment: meta.environment,
      baseUrl: meta.baseUrl,
      fingerprint: meta.fingerprint,
      addedAt: meta.addedAt,
      devices: previous?.devices.includes(device) ? previous.devices : [...(previous?.devices ?? []), device],
    });
  }
  return { keys: [...entries.values()], removed: [...tombstones.values()] };
}

/** The record with `ids` removed by the user (tombstoned, so a stale copy cannot bring them back). */
export function forgetInRecord(record: KeyRecord, ids: string[], at = Date.now()): KeyRecord {
  const gone = new Set(ids);
  return {
    keys: record.keys.filter((k) => !gone.has(k.id)),
    removed: [...record.removed.filter((t) => !gone.has(t.id)), ...ids.map((id) => ({ id, at }))],
  };
}

/** Recorded keys this device does not hold (`held`: the ids whose values it has). */
export function missingKeys(record: KeyRecord, held: ReadonlySet<string>, device: string): MissingKey[] {
  return record.keys
    .filter((k) => !held.has(k.id))
    .map((k) => ({ ...k, where: k.devices.includes(device) ? ('lost' as const) : ('elsewhere' as const) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function sameRecord(a: KeyRecord, b: KeyRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
