import * as l10n from './l10n';

// One-line meanings of the scopes a key can carry. The first five are the ones Avala's
// authentication page documents; the rest were seen in Avala's own tools.
// A function, not a constant: the words are looked up in the user's language when shown.
export function scopeMeanings(): Record<string, string> {
  return {
    'datasets.read': l10n.t('List and retrieve datasets and dataset items.'),
    'datasets.write': l10n.t('Create, update, and delete datasets. Upload items.'),
    'projects.read': l10n.t('List and retrieve projects, tasks, and task results.'),
    'exports.create': l10n.t('Create new exports and download completed exports.'),
    'tasks.read': l10n.t('List and retrieve tasks and their results.'),
    'agents.read': l10n.t('List and retrieve agents.'),
    'webhooks.read': l10n.t('List and retrieve webhooks.'),
    'storage.read': l10n.t('List and retrieve storage connections.'),
    'exports.read': l10n.t('List and retrieve exports.'),
    'fleet.read': l10n.t('List and retrieve fleet devices and recordings.'),
    'organizations.read': l10n.t('List and retrieve organizations.'),
    'slices.read': l10n.t('List and retrieve slices.'),
    'qc.read': l10n.t('List and retrieve quality-control results.'),
  };
}

// English, as the message to look up: the VS Code side shows it with vscode.l10n.t(FULL_ACCESS_ADVICE),
// src/core with l10n.t(FULL_ACCESS_ADVICE).
export const FULL_ACCESS_ADVICE =
  'A key with no scopes has full organization-level access. Prefer keys scoped to what they need, especially for machine automation such as MCP.';

export function scopeMeaning(scope: string): string {
  return scopeMeanings()[scope] ?? l10n.t('A scope this version of the extension does not describe.');
}

/** A full-access key (no scopes) covers every request; otherwise every requested scope must be present. */
export function scopesCover(keyScopes: readonly string[] | undefined, requested: readonly string[]): boolean {
  if (keyScopes === undefined) {
    return requested.length === 0;
  }
  if (keyScopes.length === 0) {
    return true;
  }
  return requested.every((scope) => keyScopes.includes(scope));
}

/** "full organization access", "2 scopes: datasets.read, exports.create" or "scopes not reported". */
export function scopesSummary(scopes: readonly string[] | undefined): string {
  if (scopes === undefined) {
    return l10n.t('scopes not reported');
  }
  if (scopes.length === 0) {
    return l10n.t('full organization access');
  }
  return scopes.length === 1 ? l10n.t('1 scope: {0}', scopes.join(', ')) : l10n.t('{0} scopes: {1}', scopes.length, scopes.join(', '));
}
