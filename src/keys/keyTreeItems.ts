// How the Keys view draws a key and its detail rows: a lazy chunk (see LAZY in esbuild.mjs),
// loaded by keysTree.ts when VS Code first asks for an item (the view becomes visible).
import * as vscode from 'vscode';
import { detailRows, needsRotation, shownState, type DetailRow, type RowIcon } from './core/keyRows';
import type { KeyState } from '../core/keyState';
import { describeState } from '../core/keyStateWords';
import { escapeMarkdown } from '../core/markdown';
import type { KeyMeta } from '../core/keyIndex';
import type { MissingKey } from '../core/keyRecord';
import type { KeysTreeDeps } from './keysTree';

const STATE_ICON: Record<KeyState, [string, string | undefined]> = {
  unchecked: ['circle-large-outline', undefined],
  valid: ['pass-filled', 'testing.iconPassed'],
  invalid: ['error', 'errorForeground'],
  expired: ['error', 'errorForeground'],
  missing: ['warning', 'list.warningForeground'],
  forbidden: ['warning', 'list.warningForeground'],
  throttled: ['watch', 'list.warningForeground'],
  unreachable: ['cloud', 'disabledForeground'],
};

const ROW_ICON: Record<RowIcon, string> = {
  scope: 'symbol-key',
  fullAccess: 'warning',
  calendar: 'calendar',
  check: 'history',
  rotate: 'sync',
  host: 'globe',
  unknown: 'question',
};

/** The tree items of keys and their rows, from the key store, the settings and the validator's activity. */
export class KeyTreeItems {
  constructor(private readonly deps: KeysTreeDeps) {}

  /** The rows under a key. */
  detailRows(meta: KeyMeta): DetailRow[] {
    return detailRows(meta, this.deps.settings.current.keyRotationDays, this.deps.activity.isChecking(meta.id));
  }

  keyItem(meta: KeyMeta): vscode.TreeItem {
    const active = this.deps.store.activeId() === meta.id;
    const checking = this.deps.activity.isChecking(meta.id);
    const state = shownState(meta);
    const item = new vscode.TreeItem(meta.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `key:${meta.id}`;
    item.description = active
      ? vscode.l10n.t('● active · {0} · {1}', meta.environment, meta.masked)
      : `${meta.environment} · ${meta.masked}`;
    const [icon, color] = STATE_ICON[state];
    item.iconPath = checking
      ? new vscode.ThemeIcon('loading~spin')
      : new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = active ? 'avalaKey.active' : 'avalaKey';
    const tooltip = new vscode.MarkdownString(undefined, true);
    const heading = `**${escapeMarkdown(meta.label)}**`;
    tooltip.appendMarkdown(`${active ? vscode.l10n.t('{0} — active', heading) : heading}\n\n`);
    tooltip.appendMarkdown(`$(key) \`${meta.masked}\` · ${escapeMarkdown(meta.environment)}\n\n`);
    tooltip.appendMarkdown(
      `${vscode.l10n.t('State: {0}', checking ? vscode.l10n.t('checking…') : describeState(state))}${meta.lastCheck?.detail ? ` — ${escapeMarkdown(meta.lastCheck.detail)}` : ''}\n\n`,
    );
    if (needsRotation(meta, this.deps.settings.current.keyRotationDays)) {
      tooltip.appendMarkdown(`$(sync) ${vscode.l10n.t('Rotate keys regularly: this key is older than your rotation policy.')}\n\n`);
    }
    item.tooltip = tooltip;
    item.accessibilityInformation = {
      label: active
        ? vscode.l10n.t('{0}, {1}, {2}, active key', meta.label, meta.environment, describeState(state))
        : `${meta.label}, ${meta.environment}, ${describeState(state)}`,
    };
    return item;
  }

  /** A recorded key that is not stored here: its name, what happened, and what to do. */
  missingItem(key: MissingKey): vscode.TreeItem {
    const lost = key.where === 'lost';
    const item = new vscode.TreeItem(key.label, vscode.TreeItemCollapsibleState.None);
    item.id = `missing:${key.id}`;
    const what = lost ? vscode.l10n.t('lost from the keyring — log in again') : vscode.l10n.t('stored on another device — log in here');
    item.description = `${what} · ${key.environment}`;
    item.iconPath = new vscode.ThemeIcon(lost ? 'warning' : 'cloud', lost ? new vscode.ThemeColor('list.warningForeground') : undefined);
    item.contextValue = lost ? 'avalaMissingKey.lost' : 'avalaMissingKey.elsewhere';
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(key.label)}** · ${escapeMarkdown(key.environment)}\n\n${
        lost
          ? vscode.l10n.t(
              'Secret storage on this device no longer holds this key. Log in with the same key to use it again (it keeps this name), or forget it.',
            )
          : vscode.l10n.t(
              'This key is stored on another device (its name came through Settings Sync). Log in with the same key to use it here.',
            )
      }`,
    );
    item.command = { command: 'avala.login', title: vscode.l10n.t('Log In') };
    item.accessibilityInformation = { label: `${key.label}, ${key.environment}, ${what}` };
    return item;
  }

  detailItem(row: DetailRow, meta: KeyMeta): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `key:${meta.id}:${row.kind}:${row.label}`;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(ROW_ICON[row.icon], row.warning ? new vscode.ThemeColor('list.warningForeground') : undefined);
    item.contextValue = `avalaDetail.${row.kind}`;
    return item;
  }
}
