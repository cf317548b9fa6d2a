import * as vscode from 'vscode';
import type { Notice, StatusAction, StatusActionId } from './core/keyStatus';
import { isKeyFailure } from '../core/keyState';
import type { KeyStore } from '../core/keyStore';
import type { Lazy } from '../core/lazy';
import type { KeyCommands } from '../keys/keyCommands';
import type { Log } from '../log';
import type { KeyStatusBar } from './statusBar';

export interface KeyActionsDeps {
  store: KeyStore;
  /** Log in, switch, Mission Control: their module loads on first use. */
  commands: Lazy<KeyCommands>;
  log: Log;
}

/** Runs what the status bar's picker and the validator's notifications offer. */
export class KeyActions {
  constructor(private readonly deps: KeyActionsDeps) {}

  async run(id: StatusActionId, keyId: string | undefined): Promise<void> {
    const { store, commands, log } = this.deps;
    switch (id) {
      case 'validate':
        await vscode.commands.executeCommand('avala.validateKey', keyId);
        return;
      case 'switch':
        await commands.value.switchKey();
        return;
      case 'login':
        await commands.value.logIn();
        return;
      case 'replace':
        await this.replace(keyId);
        return;
      case 'missionControl': {
        await commands.value.openMissionControl();
        const meta = keyId ? store.get(keyId) : undefined;
        if (meta?.lastCheck && isKeyFailure(meta.lastCheck.state)) {
          // The second half of the fix: the new key has to come back into VS Code.
          const choice = await vscode.window.showInformationMessage(
            vscode.l10n.t(
              'Once you have a new key from Mission Control (Settings → Security), log in with it to replace "{0}".',
              meta.label,
            ),
            vscode.l10n.t('Log In with New Key'),
          );
          if (choice) {
            await this.replace(keyId);
          }
        }
        return;
      }
      case 'showLog':
        log.show();
        return;
    }
  }

  /** Log In; when a different key was stored, the broken one it replaces is removed. */
  async replace(oldId: string | undefined): Promise<void> {
    const { store, commands, log } = this.deps;
    const old = oldId ? store.get(oldId) : undefined;
    const meta = await commands.value.logIn();
    if (!meta || !old || meta.id === old.id || !store.get(old.id)) {
      return;
    }
    await store.remove(old.id);
    log.info(`Replaced key "${old.label}" (${old.masked}) with "${meta.label}" (${meta.masked}); the old entry was removed from VS Code.`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('"{0}" replaces "{1}", which was removed from VS Code.', meta.label, old.label),
    );
  }

  /** Shows a notice with its actions and runs the one chosen. */
  async show(notice: Notice, keyId: string | undefined): Promise<void> {
    const show =
      notice.severity === 'error'
        ? vscode.window.showErrorMessage
        : notice.severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    const choice = await show(notice.message, ...notice.actions.map((a) => a.label));
    const picked = notice.actions.find((a) => a.label === choice);
    if (picked) {
      await this.run(picked.id, keyId);
    }
  }

  /** The status bar's click: a picker of what fits the active key's state. */
  async pick(statusBar: KeyStatusBar): Promise<void> {
    await this.deps.store.ready;
    statusBar.render();
    const view = statusBar.view;
    if (!view) {
      return;
    }
    const keyId = this.deps.store.activeId();
    const picked = await vscode.window.showQuickPick<StatusAction & vscode.QuickPickItem>(view.actions, {
      title: view.title,
      placeHolder: vscode.l10n.t('What do you want to do?'),
    });
    if (picked) {
      await this.run(picked.id, keyId);
    }
  }
}
