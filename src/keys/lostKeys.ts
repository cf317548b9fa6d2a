import * as vscode from 'vscode';
import { keyringHelp, type KeyStore } from '../core/keyStore';
import type { Log } from '../log';

/**
 * Secret storage forgot keys this device held (typically VS Code fell back to an in-memory
 * store): one message naming them, with the platform's fix. They stay listed in the Keys view
 * until the user logs in with them again or forgets them.
 */
export async function reportLost(store: KeyStore, log: Log): Promise<void> {
  const lost = store.missing().filter((k) => k.where === 'lost');
  if (lost.length === 0) {
    return;
  }
  const names = lost.map((k) => `"${k.label}"`).join(', ');
  log.warn(`Secret storage no longer holds ${lost.length} key(s) this device stored: ${names}. Nothing was deleted.`);
  const logInAgain = vscode.l10n.t('Log In Again');
  const forget = vscode.l10n.t('Forget Them');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'Secret storage lost {0} Avala key(s) this device held: {1}. They stay listed in the Keys view as lost; nothing was deleted. {2}',
      lost.length,
      names,
      keyringHelp(),
    ),
    logInAgain,
    forget,
  );
  if (choice === logInAgain) {
    await vscode.commands.executeCommand('avala.login');
  } else if (choice === forget) {
    await forgetMissing(store, log);
  }
}

/** Forgets one recorded missing key (from the Keys view), or every lost one. */
export async function forgetMissing(store: KeyStore, log: Log, id?: string): Promise<void> {
  const ids = id
    ? [id]
    : store
        .missing()
        .filter((k) => k.where === 'lost')
        .map((k) => k.id);
  await store.forgetMissing(ids);
  log.info(`Forgot ${ids.length} recorded key name(s) secret storage no longer holds.`);
}
