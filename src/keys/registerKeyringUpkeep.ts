import * as vscode from 'vscode';
import { Lazy } from '../core/lazy';
import type { Services } from '../services';
import type { OrphanedKeyNotices } from './orphanedKeys';

/**
 * Upkeep of the keyring shared with other windows: a key value no entry lists is reported (the
 * notices load the first time there is one), the check at start is logged, and a window that
 * regains focus re-reads the list in case it missed another window's change.
 */
export function registerKeyringUpkeep(deps: Pick<Services, 'store' | 'settings' | 'log'>): vscode.Disposable[] {
  const { store, log } = deps;
  const notices = new Lazy<OrphanedKeyNotices>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OrphanedKeyNotices } = require('./orphanedKeys') as typeof import('./orphanedKeys');
    return new OrphanedKeyNotices(deps);
  });
  void store.swept.then(
    ({ dropped, unlisted }) => {
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
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) {
        void store.refresh().catch(() => undefined);
      }
    }),
  ];
}
