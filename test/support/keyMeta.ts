// Metadata of a stored key, as the key store lists it, for tests of what is built from it.
import { DEFAULT_BASE_URL } from '../../src/core/baseUrl';
import type { KeyMeta } from '../../src/core/keyIndex';

/** Key `id` for the default API, with these scopes (undefined: not known yet); `extra` overrides any field. */
export function keyMeta(id: string, scopes: string[] | undefined, extra: Partial<KeyMeta> = {}): KeyMeta {
  return {
    id,
    label: `key-${id}`,
    environment: 'development',
    baseUrl: DEFAULT_BASE_URL,
    addedAt: '2025-01-01T00:00:00.000Z',
    masked: `avk_…${id.padStart(4, '0')}`,
    fingerprint: `fp-${id}`,
    source: 'login',
    scopes,
    ...extra,
  };
}
