import * as vscode from 'vscode';
import { Lazy } from '../core/lazy';
import type { Services } from '../services';
import type { OrphanedKeyNotices } from './orphanedKeys';

/**
 * Upkeep of the keyring shared with other windows: a key value no entry lists is reported (the
 * notices load the first time there is one), keys secret storage lost are named, the check at start is logged, and a window that
 * regains focus re-reads the list in case it missed another window's change.
 */
export function registerKeyringUpkeep(deps: Pick<Services, 'store' | 'settings' | 'log' | 'commands'>): vscode.Disposable[] {
  const { store, log, commands } = deps;
  const notices = new Lazy<OrphanedKeyNotices>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OrphanedKeyNotices } = require('./orphanedKeys') as typeof import('./orphanedKeys');
    return new OrphanedKeyNotices(deps);
  });
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
    store.onDidChange(() => (store.orphanIds().length > 0 ? notices.value.report() : undefined)),
    vscode.commands.registerCommand('avala.forgetMissingKey', (arg?: { keyId?: string }) => commands.value.forgetMissingKeys(arg?.keyId)),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) {
        void store.refresh().catch(() => undefined);
      }
    }),
  ];
}
