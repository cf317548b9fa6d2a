// Key values no entry lists: a lazy chunk (see LAZY in esbuild.mjs), loaded by
// registerKeyringUpkeep.ts the first time the store knows of such a value.
import * as vscode from 'vscode';
import type { Services } from '../services';

export type OrphanedKeyNoticesDeps = Pick<Services, 'store' | 'settings' | 'log'>;

/**
 * A key value in secret storage that no entry lists cannot be seen, used or removed: say so
 * once per value and offer to restore or delete it.
 */
export class OrphanedKeyNotices {
  private readonly reported = new Set<string>();

  constructor(private readonly deps: OrphanedKeyNoticesDeps) {}

  report(): void {
    const { store, settings, log } = this.deps;
    for (const id of store.orphanIds()) {
      if (this.reported.has(id)) {
        continue;
      }
      this.reported.add(id);
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
  }
}
