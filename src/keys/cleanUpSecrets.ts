import * as vscode from 'vscode';
import type { KeyStore } from '../core/keyStore';
import { redactedMessage } from '../core/redact';
import type { Log } from '../log';

export interface CleanUpDeps {
  store: KeyStore;
  log: Log;
}

/**
 * "Avala: Clean Up Secret Storage": lists the `avala.*` secrets no key entry points to and
 * deletes the ones the user keeps ticked, after one confirmation. Where the host cannot list
 * secret names (VS Code before 1.105) it says so instead.
 */
export async function cleanUpSecretStorage({ store, log }: CleanUpDeps): Promise<string[]> {
  let found;
  try {
    found = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking through secret storage…') },
      () => store.unreferencedSecrets(),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(redactedMessage(error));
    return [];
  }
  if (found === undefined) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'This version of VS Code cannot list what secret storage holds (VS Code 1.105 or later can), so there is nothing to clean up.',
      ),
    );
    return [];
  }
  if (found.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Secret storage holds no Avala secret that the list of keys does not point to.'),
    );
    return [];
  }
  const picked = await vscode.window.showQuickPick(
    found.map((secret) => ({
      label: secret.name,
      description: secret.masked ?? vscode.l10n.t('not a key'),
      detail: vscode.l10n.t('No key in the Keys view points to this secret.'),
      picked: true,
      name: secret.name,
    })),
    {
      title: vscode.l10n.t('Avala: secrets no key points to'),
      placeHolder: vscode.l10n.t('Untick what to keep; the ticked secrets are deleted from secret storage'),
      canPickMany: true,
      ignoreFocusOut: true,
    },
  );
  if (!picked?.length) {
    return [];
  }
  const remove = vscode.l10n.t('Delete');
  const confirm = await vscode.window.showWarningMessage(
    vscode.l10n.t('Delete {0} secret(s) from secret storage? Keys stored at Avala are not revoked.', picked.length),
    { modal: true },
    remove,
  );
  if (confirm !== remove) {
    return [];
  }
  const deleted = await store.deleteUnreferenced(picked.map((p) => p.name));
  log.info(`Cleaned up secret storage: deleted ${deleted.length} secret(s) no key entry pointed to (${deleted.join(', ')}).`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Deleted {0} secret(s) from secret storage.', deleted.length));
  return deleted;
}
