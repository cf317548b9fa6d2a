import * as vscode from 'vscode';
import type { Services } from '../services';

/**
 * A key value in secret storage that no entry lists cannot be seen, used or removed: say so
 * once per value and offer to restore or delete it. A window that regains focus re-reads the
 * list, in case it missed another window's change.
 */
export function registerKeyringUpkeep({
  store,
  settings,
  log,
  commands,
}: Pick<Services, 'store' | 'settings' | 'log' | 'commands'>): vscode.Disposable[] {
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
        // Rare: the message and its actions load with the key commands (a lazy chunk).
        void commands.value.reportLostKeys();
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
    vscode.commands.registerCommand('avala.forgetMissingKey', (arg?: { keyId?: string }) => commands.value.forgetMissingKeys(arg?.keyId)),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) {
        void store.refresh().catch(() => undefined);
      }
    }),
  ];
}
