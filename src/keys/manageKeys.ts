import * as vscode from 'vscode';
import { keyIdOf, type KeyArg } from '../core/keyArg';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import { redactedMessage } from '../core/redact';
import type { Log } from '../log';
import { pickKey } from './keyPicker';
import { checkLabel } from './prompts';

const CLIPBOARD_CLEAR_MS = 60_000;

export interface ManageKeysDeps {
  store: KeyStore;
  /** Where keys are made and revoked (the `avala.missionControlUrl` setting as it is now). */
  missionControlUrl(): string;
  log: Log;
  logIn(): Promise<KeyMeta | undefined>;
}

/** Switch, remove, rename and copy a stored key, and Mission Control where keys are made and revoked. */
export class ManageKeys {
  constructor(private readonly deps: ManageKeysDeps) {}

  private async resolveKey(arg: KeyArg, title: string, placeHolder: string): Promise<KeyMeta | undefined> {
    const id = keyIdOf(arg);
    if (id) {
      await this.deps.store.ready;
      return this.deps.store.get(id);
    }
    return pickKey(this.deps.store, { title, placeHolder, current: this.deps.store.activeId() });
  }

  async switchKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    const meta = await this.resolveKey(
      arg,
      vscode.l10n.t('Avala: Switch Active Key'),
      vscode.l10n.t('Choose the key terminals, debug sessions and the status bar use'),
    );
    if (!meta) {
      return undefined;
    }
    await this.deps.store.setActive(meta.id);
    this.deps.log.info(`Active key is now "${meta.label}" (${meta.masked}).`);
    return meta;
  }

  async removeKey(arg?: KeyArg): Promise<boolean> {
    const meta = await this.resolveKey(arg, vscode.l10n.t('Avala: Remove Key'), vscode.l10n.t('Choose the key to remove from VS Code'));
    if (!meta) {
      return false;
    }
    const remove = vscode.l10n.t('Remove');
    const removeAndOpen = vscode.l10n.t('Remove and Open Mission Control');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}" ({1}) from VS Code?', meta.label, meta.masked),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Removing does not revoke the key: it keeps working for anyone who has a copy. To revoke it, use Mission Control → Settings → Security.',
        ),
      },
      remove,
      removeAndOpen,
    );
    if (!choice) {
      return false;
    }
    await this.deps.store.remove(meta.id);
    this.deps.log.info(`Removed key "${meta.label}" (${meta.masked}) from secret storage; it was not revoked.`);
    if (choice === removeAndOpen) {
      await this.openMissionControl();
    } else {
      void vscode.window
        .showInformationMessage(
          vscode.l10n.t('Removed "{0}" from VS Code. It is not revoked.', meta.label),
          vscode.l10n.t('Revoke in Mission Control'),
        )
        .then((a) => (a ? this.openMissionControl() : undefined));
    }
    return true;
  }

  async renameKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    const meta = await this.resolveKey(arg, vscode.l10n.t('Avala: Rename Key'), vscode.l10n.t('Choose the key to rename'));
    if (!meta) {
      return undefined;
    }
    const label = await vscode.window.showInputBox({
      title: vscode.l10n.t('Avala: Rename "{0}"', meta.label),
      value: meta.label,
      validateInput: checkLabel,
    });
    if (label === undefined || label.trim() === meta.label) {
      return undefined;
    }
    return this.deps.store.update(meta.id, { label: label.trim() });
  }

  async copyKey(arg?: KeyArg): Promise<boolean> {
    await this.deps.store.ready;
    const id = keyIdOf(arg) ?? this.deps.store.activeId();
    const meta = id ? this.deps.store.get(id) : undefined;
    if (!meta) {
      void vscode.window
        .showInformationMessage(vscode.l10n.t('There is no active Avala key to copy.'), vscode.l10n.t('Log In with API Key'))
        .then((a) => (a ? this.deps.logIn() : undefined));
      return false;
    }
    let value: string;
    try {
      ({ value } = await this.deps.store.readKey(meta.id));
    } catch (error) {
      void vscode.window.showErrorMessage(redactedMessage(error));
      return false;
    }
    await vscode.env.clipboard.writeText(value);
    this.deps.log.info(`Copied key "${meta.label}" to the clipboard; it is cleared in 60 s.`);
    const copied = value;
    setTimeout(() => {
      void vscode.env.clipboard.readText().then((current) => (current === copied ? vscode.env.clipboard.writeText('') : undefined));
    }, CLIPBOARD_CLEAR_MS);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Copied "{0}". The clipboard is cleared in 60 seconds if it still holds the key.', meta.label),
    );
    return true;
  }

  async openMissionControl(): Promise<void> {
    await vscode.env.openExternal(vscode.Uri.parse(this.deps.missionControlUrl()));
  }
}
