import * as vscode from 'vscode';
import { hostOf } from '../core/baseUrl';
import type { KeyMeta, KeyStore } from '../core/keyStore';
import type { ResolvedKey } from './core/terminalPlan';

/** Reads a key's value from secret storage. Throws a KeyringError when it cannot be read. */
export async function resolveKey(store: KeyStore, meta: KeyMeta): Promise<ResolvedKey | undefined> {
  const value = await store.getValue(meta.id);
  return value === undefined ? undefined : { id: meta.id, label: meta.label, environment: meta.environment, baseUrl: meta.baseUrl, value };
}

export function folderKeyOf(folder: vscode.WorkspaceFolder | undefined): string | undefined {
  return folder?.uri.toString();
}

/** Asks which stored key to use; offers Log In when there are none. `undefined` when cancelled. */
export async function pickStoredKey(store: KeyStore, title: string, placeHolder: string): Promise<KeyMeta | undefined> {
  await store.ready;
  const keys = store.list();
  if (keys.length === 0) {
    const signUp = vscode.l10n.t('Sign Up');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No Avala keys are stored yet.'), vscode.l10n.t('Log In with API Key'), signUp);
    if (choice) {
      await vscode.commands.executeCommand(choice === signUp ? 'avala.signUp' : 'avala.login');
    }
    return undefined;
  }
  const activeId = store.activeId();
  const picked = await vscode.window.showQuickPick(
    keys.map((k) => ({
      label: k.label,
      description: `${k.environment} · ${k.masked}${k.id === activeId ? ` · ${vscode.l10n.t('active')}` : ''}`,
      detail: hostOf(k.baseUrl),
      id: k.id,
    })),
    { title, placeHolder, matchOnDescription: true },
  );
  return picked ? store.get(picked.id) : undefined;
}

/** Shown wherever Restricted Mode stops a key from being handed out. */
export async function explainRestrictedMode(): Promise<void> {
  const message = vscode.l10n.t('This workspace is in Restricted Mode, so Avala does not hand out keys to terminals, debug sessions or tasks here. Trust the workspace to use them.');
  const choice = await vscode.window.showWarningMessage(message, vscode.l10n.t('Manage Workspace Trust'));
  if (choice) {
    await vscode.commands.executeCommand('workbench.trust.manage');
  }
}
