import * as vscode from 'vscode';
import { envReplacement, idiomFamily, type Replacement } from './core/envIdiom';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import { scanForKeys } from './core/secretScan';
import type { Log } from '../log';
import { DIAGNOSTIC_CODE, DIAGNOSTIC_SOURCE, findingAt } from './keyDiagnostics';
import type { IgnoredKeyFiles } from './ignoredKeyFiles';

// Functions, not constants: looked up when shown, after activation has set the user's language.
const WORDS = {
  moveTitle: () => vscode.l10n.t('Store in Avala secret storage and use the environment variable'),
  storeOnlyTitle: () => vscode.l10n.t('Store in Avala secret storage (then remove the key from this file)'),
  ignoreTitle: () => vscode.l10n.t('Ignore hard-coded Avala keys in this file'),
  checkLiveTitle: () => vscode.l10n.t('Check whether this key is live'),
  restrictedTitle: () => vscode.l10n.t('Store in Avala secret storage… (needs a trusted workspace)'),
  restrictedReason: () => vscode.l10n.t('Restricted Mode: Avala does not edit files until you trust this workspace.'),
};

/** What moving a key needs from Log In: check it with the API, ask a label and environment, store it. */
export interface KeyLogIn {
  logIn(prefilled: string, source: 'editor', origin: string): Promise<KeyMeta | undefined>;
}

export interface KeyQuickFixesDeps {
  store: KeyStore;
  login: KeyLogIn;
  ignored: IgnoredKeyFiles;
  log: Log;
  openMissionControl: () => Thenable<void>;
}

export interface MoveResult {
  stored?: KeyMeta;
  replacedWith?: string;
}

/** The quick fixes on a hard-coded key diagnostic, and the commands they run (registered by registerSecurity.ts). */
export class KeyQuickFixes implements vscode.CodeActionProvider {
  constructor(private readonly deps: KeyQuickFixesDeps) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code === DIAGNOSTIC_CODE);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const start = document.offsetAt(diagnostic.range.start);
      const family = idiomFamily(document.languageId, document.fileName);
      const canReplace = !!family && !!envReplacement(document.getText(), start, document.offsetAt(diagnostic.range.end), family);
      // In Restricted Mode the action only explains: VS Code hides disabled quick fixes, so a
      // disabled one would say nothing. The command itself refuses to edit there.
      const trusted = vscode.workspace.isTrusted;
      const move = new vscode.CodeAction(
        !trusted ? WORDS.restrictedTitle() : canReplace ? WORDS.moveTitle() : WORDS.storeOnlyTitle(),
        vscode.CodeActionKind.QuickFix,
      );
      move.diagnostics = [diagnostic];
      move.isPreferred = trusted && canReplace;
      move.command = { command: 'avala.moveKeyToSecretStorage', title: move.title, arguments: [document.uri, diagnostic.range] };
      actions.push(move);
      // Only a key nobody stored can be a stranger's leak; the check runs when chosen, never before.
      if (!this.deps.store.findByValue(document.getText(diagnostic.range))) {
        const check = new vscode.CodeAction(WORDS.checkLiveTitle(), vscode.CodeActionKind.QuickFix);
        check.diagnostics = [diagnostic];
        check.command = { command: 'avala.checkKeyLive', title: check.title, arguments: [document.uri, diagnostic.range] };
        actions.push(check);
      }
    }
    if (ours.length > 0) {
      const ignore = new vscode.CodeAction(WORDS.ignoreTitle(), vscode.CodeActionKind.QuickFix);
      ignore.diagnostics = ours;
      ignore.command = { command: 'avala.ignoreKeysInFile', title: ignore.title, arguments: [document.uri] };
      actions.push(ignore);
    }
    return actions;
  }

  /**
   * Stores the key at `range` (checked with the API, named by the user, like Log In) and
   * replaces it with the language's way of reading AVALA_API_KEY. The file is edited, not saved.
   */
  async moveKey(uri: vscode.Uri, range: vscode.Range): Promise<MoveResult> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window
        .showWarningMessage(
          `${WORDS.restrictedReason()} ${vscode.l10n.t('Trust it, then run the quick fix again.')}`,
          vscode.l10n.t('Manage Workspace Trust'),
        )
        .then((a) => (a ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
      return {};
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const start = document.offsetAt(range.start);
    const finding = findingAt(document, range);
    if (!finding) {
      void vscode.window.showInformationMessage(vscode.l10n.t('That key is no longer in the file.'));
      return {};
    }
    const where = `${vscode.workspace.asRelativePath(uri)} line ${range.start.line + 1}`;
    const already = this.deps.store.findByValue(finding.value);
    const meta = already ?? (await this.deps.login.logIn(finding.value, 'editor', where));
    if (!meta) {
      // Log In said why (rejected, cancelled, unreachable); the file is left as it was.
      return {};
    }
    const family = idiomFamily(document.languageId, document.fileName);
    // The document may have changed while the user answered the prompts: find the key again.
    const now = scanForKeys(document.getText()).findings.filter((f) => f.value === finding.value);
    const target = now.find((f) => f.start === start) ?? now[0];
    const replacement: Replacement | undefined =
      family && target ? envReplacement(document.getText(), target.start, target.end, family) : undefined;
    if (!replacement) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'The key is in secret storage as "{0}". Remove it from {1} and read AVALA_API_KEY from the environment instead: Avala puts the active key into new terminals and debug sessions.',
          meta.label,
          vscode.workspace.asRelativePath(uri),
        ),
      );
      return { stored: meta };
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of replacement.edits) {
      edit.replace(uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'The key is in secret storage as "{0}", but {1} could not be edited. Replace the key with {2} yourself.',
          meta.label,
          vscode.workspace.asRelativePath(uri),
          replacement.expression,
        ),
      );
      return { stored: meta };
    }
    this.deps.log.info(
      `Replaced a hard-coded key (${meta.masked}) in ${where} with ${replacement.expression}; the key is stored as "${meta.label}".`,
    );
    void this.afterMove(meta, replacement.expression, uri);
    return { stored: meta, replacedWith: replacement.expression };
  }

  /** Says where the key went and what reads it now; offers Set Active and Mission Control. Also after a paste guard's paste. */
  async afterMove(meta: KeyMeta, expression: string, uri: vscode.Uri): Promise<void> {
    const active = this.deps.store.activeId() === meta.id;
    const setActive = vscode.l10n.t('Set Active');
    const openMissionControl = vscode.l10n.t('Open Mission Control');
    const buttons = [...(active ? [] : [setActive]), openMissionControl];
    const choice = await vscode.window.showInformationMessage(
      `${vscode.l10n.t('{0} now reads the key with {1}; save the file.', vscode.workspace.asRelativePath(uri), expression)} ` +
        `${active ? vscode.l10n.t('Avala puts "{0}" into AVALA_API_KEY for new terminals and debug sessions.', meta.label) : vscode.l10n.t('Avala puts the active key into AVALA_API_KEY for new terminals and debug sessions.')} ` +
        vscode.l10n.t('If the file was ever committed or shared, regenerate the key in Mission Control.'),
      ...buttons,
    );
    if (choice === setActive) {
      await this.deps.store.setActive(meta.id);
    } else if (choice === openMissionControl) {
      await this.deps.openMissionControl();
    }
  }

  async ignoreFile(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      return;
    }
    await this.deps.ignored.add(target);
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Avala no longer warns about hard-coded keys in {0} in this workspace. "Avala: Reset Ignored Key Warnings" undoes it.',
        vscode.workspace.asRelativePath(target),
      ),
    );
  }

  async resetIgnored(): Promise<number> {
    const count = await this.deps.ignored.reset();
    void vscode.window.showInformationMessage(
      count
        ? count === 1
          ? vscode.l10n.t('Avala warns again about hard-coded keys in {0} file.', count)
          : vscode.l10n.t('Avala warns again about hard-coded keys in {0} files.', count)
        : vscode.l10n.t('No files were ignored.'),
    );
    return count;
  }
}
