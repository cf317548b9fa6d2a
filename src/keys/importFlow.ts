import * as vscode from 'vscode';
import type { KeyMeta, KeySource } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import { findEnvironmentKeys, type EnvironmentKeyCandidate } from './importCandidates';

export interface ImportDeps {
  store: KeyStore;
  /** The log-in flow, which checks and stores the key found. */
  logIn(prefilled?: string, source?: KeySource, origin?: string): Promise<KeyMeta | undefined>;
}

/** "Avala: Import Key from Environment": moves AVALA_API_KEY from the environment or a .env file into secret storage. */
export class ImportFlow {
  constructor(private readonly deps: ImportDeps) {}

  async importFromEnvironment(): Promise<KeyMeta | undefined> {
    const candidates = await findEnvironmentKeys();
    if (candidates.length === 0) {
      void vscode.window
        .showInformationMessage(
          vscode.l10n.t("No AVALA_API_KEY found in VS Code's environment or in a .env file of this workspace."),
          vscode.l10n.t('Log In with API Key'),
        )
        .then((a) => (a ? this.deps.logIn() : undefined));
      return undefined;
    }
    const items = candidates.map((candidate) => {
      const stored = this.deps.store.findByValue(candidate.value);
      return {
        label: candidate.where,
        description: candidate.masked,
        detail: stored ? vscode.l10n.t('Already stored as "{0}"', stored.label) : vscode.l10n.t('Move into secret storage'),
        candidate,
      };
    });
    const picked =
      items.length === 1
        ? items[0]
        : await vscode.window.showQuickPick(items, {
            title: vscode.l10n.t('Avala: Import Key from Environment'),
            placeHolder: vscode.l10n.t('Which key should move into secret storage?'),
          });
    if (!picked) {
      return undefined;
    }
    const meta = await this.deps.logIn(picked.candidate.value, 'import', picked.candidate.where);
    if (meta) {
      await this.adviseRemoval(picked.candidate);
    }
    return meta;
  }

  private async adviseRemoval(candidate: EnvironmentKeyCandidate): Promise<void> {
    if (!candidate.file) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The key is now in secret storage. Remove "export AVALA_API_KEY=…" from your shell profile: Avala puts the key into VS Code terminals for you.',
        ),
      );
      return;
    }
    const file = candidate.file;
    const deleteLine = vscode.l10n.t('Delete the Line');
    const openFile = vscode.l10n.t('Open File');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The key is now in secret storage. Delete AVALA_API_KEY from {0}: a key in a file is easily committed or shared.',
        vscode.workspace.asRelativePath(file),
      ),
      deleteLine,
      openFile,
    );
    if (choice === openFile) {
      const doc = await vscode.workspace.openTextDocument(file);
      const line = candidate.line ?? 0;
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, doc.lineAt(line).text.length) });
    } else if (choice === deleteLine && candidate.line !== undefined) {
      const doc = await vscode.workspace.openTextDocument(file);
      const edit = new vscode.WorkspaceEdit();
      edit.delete(file, doc.lineAt(candidate.line).rangeIncludingLineBreak);
      if (await vscode.workspace.applyEdit(edit)) {
        await doc.save();
        void vscode.window.showInformationMessage(vscode.l10n.t('Removed AVALA_API_KEY from {0}.', vscode.workspace.asRelativePath(file)));
      }
    }
  }
}
