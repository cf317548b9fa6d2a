import * as vscode from 'vscode';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import type { Log } from '../log';
import { idiomFamily, isEnvFile, type OffsetEdit } from './core/envIdiom';
import { envFilePaste, envReadPaste, mayHoldKey } from './core/pasteGuard';
import type { KeyLogIn } from './keyQuickFixes';
import { pasteEditKind } from './pasteGuardRegistration';

// Functions, not constants: looked up when shown, after activation has set the user's language.
const WORDS = {
  envReadTitle: () => vscode.l10n.t('Paste as an environment read and store the key'),
  envFileTitle: () => vscode.l10n.t('Store the key in secret storage instead of pasting it'),
  restrictedSuffix: () => vscode.l10n.t('(needs a trusted workspace)'),
};

/** What a paste edit of ours stores and what plain paste would have inserted. */
interface PastePlan {
  key: string;
  pasted: string;
  uri: vscode.Uri;
  /** The environment read pasted in the key's place; none into a .env file. */
  expression?: string;
}

export interface KeyPasteGuardDeps {
  store: KeyStore;
  login: KeyLogIn;
  log: Log;
  /** What the quick fix says after moving a key: where it went, what reads it now. */
  afterMove(meta: KeyMeta, expression: string, uri: vscode.Uri): Promise<void>;
}

/**
 * Pasting clipboard text that holds an Avala key offers, in VS Code's paste widget, to paste the
 * language's environment read instead and store the key (into a .env file: store it and paste
 * nothing of it). Plain paste stays what a paste does: ours yields to it, so the user chooses.
 * A lazy chunk's entry (see esbuild.mjs): `registerKeyPasteGuard` loads it on the first paste.
 */
export class KeyPasteGuard implements vscode.DocumentPasteEditProvider {
  /** The edits offered, until VS Code resolves or drops them. */
  private readonly plans = new WeakMap<vscode.DocumentPasteEdit, PastePlan>();

  constructor(private readonly deps: KeyPasteGuardDeps) {}

  async provideDocumentPasteEdits(
    document: vscode.TextDocument,
    ranges: readonly vscode.Range[],
    dataTransfer: vscode.DataTransfer,
    _context: vscode.DocumentPasteEditContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.DocumentPasteEdit[] | undefined> {
    if (ranges.length !== 1) {
      return undefined;
    }
    const pasted = await dataTransfer.get('text/plain')?.asString();
    if (!pasted || token.isCancellationRequested || !mayHoldKey(pasted)) {
      return undefined;
    }
    const text = document.getText();
    const start = document.offsetAt(ranges[0].start);
    const end = document.offsetAt(ranges[0].end);
    const restricted = vscode.workspace.isTrusted ? '' : ` ${WORDS.restrictedSuffix()}`;
    let edit: vscode.DocumentPasteEdit;
    if (isEnvFile(document.fileName)) {
      const plan = envFilePaste(text, start, end, pasted);
      if (!plan) {
        return undefined;
      }
      edit = new vscode.DocumentPasteEdit(plan.insertText, WORDS.envFileTitle() + restricted, pasteEditKind());
      this.plans.set(edit, { key: plan.key, pasted, uri: document.uri });
    } else {
      const family = idiomFamily(document.languageId, document.fileName);
      const plan = family && envReadPaste(text, start, end, pasted, family);
      if (!plan) {
        return undefined;
      }
      edit = new vscode.DocumentPasteEdit(plan.insertText, WORDS.envReadTitle() + restricted, pasteEditKind());
      edit.additionalEdit = this.workspaceEdit(document, plan.around);
      this.plans.set(edit, { key: plan.key, pasted, uri: document.uri, expression: plan.expression });
    }
    // After VS Code's own text paste: plain paste is what happens, ours is the choice offered.
    edit.yieldTo = [vscode.DocumentDropOrPasteEditKind.Text];
    return [edit];
  }

  /**
   * Runs when the user picks our paste: stores the key (checked with the API and named, as Log In
   * does) and only then pastes the environment read. Refused, cancelled or untrusted: the plain
   * text is pasted, as a plain paste would, and the user was told why.
   */
  async resolveDocumentPasteEdit(edit: vscode.DocumentPasteEdit): Promise<vscode.DocumentPasteEdit> {
    const plan = this.plans.get(edit);
    if (!plan) {
      return edit;
    }
    const { key, pasted, uri, expression } = plan;
    const plain = () => {
      edit.insertText = pasted;
      edit.additionalEdit = undefined;
      return edit;
    };
    if (!vscode.workspace.isTrusted) {
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t(
            'Restricted Mode: Avala stores no key pasted into this workspace until you trust it. The text was pasted as it was; trust the workspace, then use the quick fix on the key.',
          ),
          vscode.l10n.t('Manage Workspace Trust'),
        )
        .then((a) => (a ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
      return plain();
    }
    const where = `${vscode.workspace.asRelativePath(uri)} (pasted)`;
    const meta = this.deps.store.findByValue(key) ?? (await this.deps.login.logIn(key, 'editor', where));
    if (!meta) {
      return plain();
    }
    if (expression) {
      this.deps.log.info(`Pasted ${expression} in place of a key (${meta.masked}) in ${where}; the key is stored as "${meta.label}".`);
      void this.deps.afterMove(meta, expression, uri);
    } else {
      this.deps.log.info(`Stored a key (${meta.masked}) pasted into ${where} as "${meta.label}" instead of pasting it.`);
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'The key is in secret storage as "{0}" and was not pasted into {1}. Avala puts the active key into AVALA_API_KEY for new terminals and debug sessions.',
          meta.label,
          vscode.workspace.asRelativePath(uri),
        ),
      );
    }
    return edit;
  }

  private workspaceEdit(document: vscode.TextDocument, around: OffsetEdit[]): vscode.WorkspaceEdit | undefined {
    if (around.length === 0) {
      return undefined;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of around) {
      edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
    }
    return edit;
  }
}
