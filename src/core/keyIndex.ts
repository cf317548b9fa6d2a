// The key index: the one secret that lists every key's metadata (never a value), as a
// document that several windows read and write. Its shape, parsing and tombstones live here;
// KeyStore (./keyStore) decides when to read, merge and write it.
import type { KeyCheck } from './keyState';

/** The secret that holds the index. */
export const INDEX_SECRET = 'avala.keys.index';

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
  /** When each patchable field was last changed (merge order across windows). */
  changed?: Partial<Record<PatchField, number>>;
}

/** The fields `update` may change; a patch names only these. */
export const PATCH_FIELDS = ['label', 'environment', 'scopes', 'lastCheck', 'storedUnchecked'] as const;
export type PatchField = (typeof PATCH_FIELDS)[number];
export type KeyPatch = Partial<Pick<KeyMeta, PatchField>>;

/** A removed id and when it was removed: a stale write from another window must not bring it back. */
export interface Tombstone {
  id: string;
  at: number;
}

export interface IndexDocument {
  keys: KeyMeta[];
  removed: Tombstone[];
}

/** Tombstones are kept this long, far longer than any write can be in flight. */
export const TOMBSTONE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export function parseIndex(text: string | undefined): KeyMeta[] {
  return parseIndexDocument(text).keys;
}

export function parseIndexDocument(text: string | undefined): IndexDocument {
  const empty: IndexDocument = { keys: [], removed: [] };
  if (!text) {
    return empty;
  }
  try {
    const parsed = JSON.parse(text) as { keys?: unknown; removed?: unknown };
    const removed = Array.isArray(parsed.removed)
      ? parsed.removed.filter(
          (t): t is Tombstone =>
            !!t && typeof t === 'object' && typeof (t as Tombstone).id === 'string' && typeof (t as Tombstone).at === 'number',
        )
      : [];
    if (!Array.isArray(parsed.keys)) {
      return { keys: [], removed };
    }
    const gone = new Set(removed.map((t) => t.id));
    const keys = parsed.keys.filter(
      (k): k is KeyMeta =>
        !!k &&
        typeof k === 'object' &&
        typeof (k as KeyMeta).id === 'string' &&
        typeof (k as KeyMeta).label === 'string' &&
        !gone.has((k as KeyMeta).id),
    );
    return { keys, removed };
  } catch {
    return empty;
  }
}

export function serializeIndex(doc: IndexDocument): string {
  return JSON.stringify({ version: 1, keys: doc.keys, removed: doc.removed });
}
