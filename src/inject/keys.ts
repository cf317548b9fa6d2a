import * as vscode from 'vscode';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import type { ResolvedKey } from './core/terminalPlan';

/** Reads a key's value from secret storage; throws as `KeyStore.readKey` does. */
export async function resolveKey(store: KeyStore, meta: KeyMeta): Promise<ResolvedKey> {
  const { value, baseUrl } = await store.readKey(meta.id);
  return { id: meta.id, label: meta.label, environment: meta.environment, baseUrl, value };
}

export function folderKeyOf(folder: vscode.WorkspaceFolder | undefined): string | undefined {
  return folder?.uri.toString();
}

/** Shown wherever Restricted Mode stops a key from being handed out. */
export async function explainRestrictedMode(): Promise<void> {
  const message = vscode.l10n.t(
    'This workspace is in Restricted Mode, so Avala does not hand out keys to terminals, debug sessions or tasks here. Trust the workspace to use them.',
  );
  const choice = await vscode.window.showWarningMessage(message, vscode.l10n.t('Manage Workspace Trust'));
  if (choice) {
    await vscode.commands.executeCommand('workbench.trust.manage');
  }
}
