import * as vscode from 'vscode';
import type { Lazy } from '../core/lazy';
import type { KeyPasteGuard } from './keyPasteGuard';

/** Where the paste guard offers itself: files on disk, unsaved and remote ones. */
const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file' },
  { scheme: 'untitled' },
  { scheme: 'vscode-remote' },
  { scheme: 'vscode-vfs' },
];

/** `avala.storeKey`, the kind of the paste guard's edits. Made when used, not at module load. */
export function pasteEditKind(): vscode.DocumentDropOrPasteEditKind {
  return vscode.DocumentDropOrPasteEditKind.Empty.append('avala', 'storeKey');
}

/**
 * Registers the paste guard; its module loads on the first paste of text. Feature-detected: a
 * host without paste edit providers simply pastes.
 */
export function registerKeyPasteGuard(guard: Lazy<KeyPasteGuard>): vscode.Disposable[] {
  if (typeof vscode.languages.registerDocumentPasteEditProvider !== 'function') {
    return [];
  }
  const provider: vscode.DocumentPasteEditProvider = {
    provideDocumentPasteEdits: (document, ranges, dataTransfer, context, token) =>
      guard.value.provideDocumentPasteEdits(document, ranges, dataTransfer, context, token),
    resolveDocumentPasteEdit: (edit) => guard.value.resolveDocumentPasteEdit(edit),
  };
  return [
    vscode.languages.registerDocumentPasteEditProvider(SELECTOR, provider, {
      providedPasteEditKinds: [pasteEditKind()],
      pasteMimeTypes: ['text/plain'],
    }),
  ];
}
