// One-line meanings of the scopes a key can carry. The first five are the ones Avala's
// authentication page documents; the rest were seen in Avala's own tools.
export const SCOPE_MEANINGS: Record<string, string> = {
  'datasets.read': 'List and retrieve datasets and dataset items.',
  'datasets.write': 'Create, update, and delete datasets. Upload items.',
  'projects.read': 'List and retrieve projects, tasks, and task results.',
  'exports.create': 'Create new exports and download completed exports.',
  'tasks.read': 'List and retrieve tasks and their results.',
  'agents.read': 'List and retrieve agents.',
  'webhooks.read': 'List and retrieve webhooks.',
  'storage.read': 'List and retrieve storage connections.',
  'exports.read': 'List and retrieve exports.',
  'fleet.read': 'List and retrieve fleet devices and recordings.',
  'organizations.read': 'List and retrieve organizations.',
  'slices.read': 'List and retrieve slices.',
  'qc.read': 'List and retrieve quality-control results.',
};

export const FULL_ACCESS_ADVICE =
  'A key with no scopes has full organization-level access. Prefer keys scoped to what they need, especially for machine automation such as MCP.';

export function scopeMeaning(scope: string): string {
  return SCOPE_MEANINGS[scope] ?? 'A scope this version of the extension does not describe.';
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
    return 'scopes not reported';
  }
  if (scopes.length === 0) {
    return 'full organization access';
  }
  return `${scopes.length} scope${scopes.length === 1 ? '' : 's'}: ${scopes.join(', ')}`;
}
