import * as vscode from 'vscode';
import { keyAccessQuestion, keyAccessRefusedMessage, WorkspaceKeyAccess, type KeyUse } from './core/workspaceKeyAccess';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore, StateBackend } from '../core/keyStore';
import type { Log } from '../log';

export interface KeyAccessGateDeps {
  /** Where this workspace's answers are remembered. */
  workspaceState: StateBackend;
  store: KeyStore;
  log: Log;
}

/**
 * Asks before a repository's launch configuration or task takes a key (see core/workspaceKeyAccess),
 * remembers the answer for this workspace, and lets the user revoke it.
 */
export class KeyAccessGate {
  private readonly access: WorkspaceKeyAccess;
  /** Keys the user chose in a picker for the next launch only: choosing is the answer. */
  private readonly chosenOnce = new Set<string>();

  constructor(private readonly deps: KeyAccessGateDeps) {
    this.access = new WorkspaceKeyAccess(deps.workspaceState);
  }

  allowOnce(keyId: string): void {
    this.chosenOnce.add(keyId);
  }

  /** `true` when this workspace may hand `meta` to the launch or task; asks the first time. */
  async mayUse(meta: KeyMeta, use: KeyUse, activeId: string | undefined): Promise<boolean> {
    if (use === 'launch' && this.chosenOnce.delete(meta.id)) {
      return true;
    }
    const decision = this.access.decide(use, meta.id, activeId);
    if (decision === 'allowed') {
      return true;
    }
    if (decision === 'refused') {
      const message = keyAccessRefusedMessage(use, meta.label);
      this.deps.log.info(`Workspace access: ${use} refused the key "${meta.label}" (remembered answer).`);
      const manage = vscode.l10n.t('Manage Access');
      void vscode.window.showErrorMessage(message, manage).then((choice) => (choice ? this.manage() : undefined));
      return false;
    }
    const allow = vscode.l10n.t('Allow');
    const deny = vscode.l10n.t("Don't Allow");
    const choice = await vscode.window.showWarningMessage(
      keyAccessQuestion(use, meta.label),
      {
        modal: true,
        detail: vscode.l10n.t(
          '"{0}" is a stored Avala key ({1}, {2}). Allow it only for a repository you trust. The answer is remembered for this workspace; change it with Avala: Manage Workspace Access to Keys.',
          meta.label,
          meta.environment,
          meta.masked,
        ),
      },
      allow,
      deny,
    );
    if (choice === undefined) {
      this.deps.log.info(
        `Workspace access: the question for the key "${meta.label}" was dismissed; nothing handed out, nothing remembered.`,
      );
      return false;
    }
    await this.access.remember(meta.id, choice === allow ? 'allow' : 'deny');
    this.deps.log.info(
      `Workspace access: ${choice === allow ? 'allowed' : 'refused'} the key "${meta.label}" for this workspace's ${use === 'launch' ? 'launch configurations' : 'tasks'}.`,
    );
    return choice === allow;
  }

  /** Lists this workspace's answers; the one picked is forgotten, so the next use asks again. */
  async manage(): Promise<void> {
    await this.deps.store.ready;
    const entries = Object.entries(this.access.all());
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This workspace has not asked for any Avala key yet.'));
      return;
    }
    const items = entries.map(([id, answer]) => ({
      label: this.deps.store.get(id)?.label ?? vscode.l10n.t('(removed key)'),
      description: answer === 'allow' ? vscode.l10n.t('allowed') : vscode.l10n.t('not allowed'),
      id,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Avala: Manage Workspace Access to Keys'),
      placeHolder: vscode.l10n.t('Pick an answer to forget: the workspace asks again the next time it wants that key'),
    });
    if (!picked) {
      return;
    }
    await this.access.forget(picked.id);
    this.deps.log.info(`Workspace access: forgot the answer for "${picked.label}".`);
    void vscode.window.showInformationMessage(vscode.l10n.t("Forgotten: this workspace asks again before it uses '{0}'.", picked.label));
  }
}
