import * as vscode from 'vscode';
import { keyringHelp } from '../core/keyStore';
import type { Services } from '../services';

/**
 * A key value in secret storage that no entry lists cannot be seen, used or removed: say so
 * once per value and offer to restore or delete it. A window that regains focus re-reads the
 * list, in case it missed another window's change.
 */
export function registerKeyringUpkeep({ store, settings, log }: Pick<Services, 'store' | 'settings' | 'log'>): vscode.Disposable[] {
  const reported = new Set<string>();
  const report = () => {
    for (const id of store.orphanIds()) {
      if (reported.has(id)) {
        continue;
      }
      reported.add(id);
      log.warn(`Secret storage holds a key value (avala.key.${id}) that no Avala key entry lists.`);
      const restore = vscode.l10n.t('Restore');
      const remove = vscode.l10n.t('Delete It');
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t(
            'Secret storage holds an Avala key value that is not in the list of keys, so it cannot be used or removed from the Keys view. Restore it to the list, or delete it from secret storage.',
          ),
          restore,
          remove,
        )
        .then(
          async (choice) => {
            if (choice === restore) {
              const meta = await store.recoverOrphan(id, vscode.l10n.t('Recovered key'), settings.current.apiBaseUrl);
              log.info(
                meta
                  ? `Restored an orphaned key value as "${meta.label}" (${meta.masked}).`
                  : 'The orphaned key value is gone or not a usable key; nothing restored.',
              );
            } else if (choice === remove) {
              await store.deleteOrphan(id);
              log.info(`Deleted the orphaned key value avala.key.${id}.`);
            }
          },
          () => undefined,
        );
    }
  };
  void store.swept.then(
    ({ dropped, unlisted, lost }) => {
      if (lost.length > 0) {
        void reportLost(store, log);
      }
      const values =
        unlisted === undefined
          ? 'secret names cannot be listed here'
          : `${unlisted.length} stored key value(s) not in the list, checked again shortly`;
      log.info(
        `Key list check at start: dropped ${dropped.length} entr${dropped.length === 1 ? 'y' : 'ies'} whose key value another window removed; ${values}.`,
      );
    },
    (error: unknown) => log.warn(`Key list check at start failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  return [
    store.onDidChange(report),
    vscode.commands.registerCommand('avala.forgetMissingKey', (arg?: { keyId?: string }) => forgetMissing(store, log, arg?.keyId)),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) {
        void store.refresh().catch(() => undefined);
      }
    }),
  ];
}

/**
 * Secret storage forgot keys this device held (typically VS Code fell back to an in-memory
 * store): one message naming them, with the platform's fix. They stay listed in the Keys view
 * until the user logs in with them again or forgets them.
 */
async function reportLost(store: Services['store'], log: Services['log']): Promise<void> {
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
async function forgetMissing(store: Services['store'], log: Services['log'], id?: string): Promise<void> {
  const ids = id
    ? [id]
    : store
        .missing()
        .filter((k) => k.where === 'lost')
        .map((k) => k.id);
  await store.forgetMissing(ids);
  log.info(`Forgot ${ids.length} recorded key name(s) secret storage no longer holds.`);
}
