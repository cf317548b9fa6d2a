// Which documents the hard-coded key check reads. Apart from the scanner, so the thin shell
// that loads the check (registerSecurity.ts) knows without loading it whether a document needs it.

/** Real files, unsaved ones and remote ones; not output channels, git history or settings views. */
const SCANNED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-notebook-cell']);

export function isScannedScheme(scheme: string): boolean {
  return SCANNED_SCHEMES.has(scheme);
}
