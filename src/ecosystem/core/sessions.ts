// Stored keys seen as authentication sessions, for VS Code's Accounts menu and for other
// extensions that call `vscode.authentication.getSession('avala', scopes)`.
import type { KeyMeta } from '../../core/keyIndex';
import { scopesCover } from '../../core/scopes';

/** What a session shows about a key: everything but its value. */
export interface SessionShape {
  /** The key id; also the account id, so renaming a key keeps its session. */
  id: string;
  accountLabel: string;
  /** `[]` for a full-access key; `[]` too when the scopes are not known yet. */
  scopes: string[];
  /** Changes when anything a consumer could notice changes. */
  signature: string;
}

export interface SessionDiff {
  added: SessionShape[];
  removed: SessionShape[];
  changed: SessionShape[];
}

/**
 * "ci-pipeline (production)". VS Code remembers which extensions may use an account by this
 * label, so it is not translated: a grant must survive a change of display language.
 */
export function accountLabel(key: Pick<KeyMeta, 'label' | 'environment'>): string {
  return key.environment ? `${key.label} (${key.environment})` : key.label;
}

export function sessionShape(key: KeyMeta): SessionShape {
  const scopes = key.scopes ? [...key.scopes] : [];
  const label = accountLabel(key);
  return {
    id: key.id,
    accountLabel: label,
    scopes,
    signature: JSON.stringify([label, key.scopes ?? null, key.fingerprint, key.baseUrl]),
  };
}

/**
 * The keys that answer a session request: those whose scopes cover the requested ones (a
 * full-access key covers all; a key whose scopes are not known covers only an unscoped
 * request), optionally for one account. The active key comes first, then the narrowest.
 */
export function keysForSessionRequest(
  keys: readonly KeyMeta[],
  requested: readonly string[] | undefined,
  options: { accountId?: string; activeId?: string } = {},
): KeyMeta[] {
  const wanted = requested ?? [];
  const rank = (key: KeyMeta): number =>
    key.id === options.activeId ? -1 : key.scopes === undefined || key.scopes.length === 0 ? 1_000 : key.scopes.length;
  return keys
    .filter((key) => options.accountId === undefined || key.id === options.accountId)
    .filter((key) => scopesCover(key.scopes, wanted))
    .map((key, index) => ({ key, index }))
    .sort((a, b) => rank(a.key) - rank(b.key) || a.index - b.index)
    .map(({ key }) => key);
}

/** What changed between two snapshots of the store, by key id. */
export function diffSessions(before: readonly SessionShape[], after: readonly SessionShape[]): SessionDiff {
  const old = new Map(before.map((s) => [s.id, s] as const));
  const now = new Map(after.map((s) => [s.id, s] as const));
  return {
    added: after.filter((s) => !old.has(s.id)),
    removed: before.filter((s) => !now.has(s.id)),
    changed: after.filter((s) => old.has(s.id) && old.get(s.id)?.signature !== s.signature),
  };
}

export function isEmptyDiff(diff: SessionDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
