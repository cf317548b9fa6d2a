import * as vscode from 'vscode';
import type { Settings } from '../config';
import { DisposableStore } from '../core/disposables';
import { detailRows, needsRotation, shownState, type DetailRow, type RowIcon } from './core/keyRows';
import { describeState, type KeyState } from '../core/keyState';
import { escapeMarkdown } from '../core/markdown';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import type { MissingKey } from '../core/keyRecord';

/** What the tree needs from the validator: which keys are being checked right now. */
export interface CheckActivity {
  isChecking(id: string): boolean;
  readonly onDidChangeActivity: vscode.Event<unknown>;
}

export interface KeysTreeDeps {
  store: KeyStore;
  settings: Settings;
  activity: CheckActivity;
  /** One line about what this host cannot do (the web worker host), shown above the keys. */
  hostNote?: () => string;
}

type Node =
  | { type: 'key'; keyId: string }
  | { type: 'detail'; keyId: string; row: DetailRow; index: number }
  /** A recorded key this device's secret storage does not hold (lost, or stored on another device). */
  | { type: 'missing'; keyId: string };

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

/** The Keys view: renders the key store and the validator's results; never calls the API. */
export class KeysTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables = new DisposableStore();
  private readonly keyNodes = new Map<string, Node>();

  constructor(private readonly deps: KeysTreeDeps) {
    this.view = vscode.window.createTreeView('avala.keys', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.add(
      this.view,
      this.changed,
      deps.store.onDidChange(() => this.refresh()),
      deps.activity.onDidChangeActivity(() => this.refresh()),
      deps.settings.onDidChange(() => this.refresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    );
    void deps.store.ready.then(() => this.refresh());
  }

  refresh(): void {
    this.updateMessage();
    void vscode.commands.executeCommand('setContext', 'avala.hasKeys', this.deps.store.list().length > 0);
    void vscode.commands.executeCommand('setContext', 'avala.hasActiveKey', !!this.deps.store.activeId());
    this.changed.fire(undefined);
  }

  async reveal(id: string): Promise<void> {
    await this.deps.store.ready;
    const node = this.keyNode(id);
    await vscode.commands.executeCommand('avala.keys.focus');
    await this.view.reveal(node, { select: true, focus: true, expand: true });
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return [
        ...this.deps.store.list().map((k) => this.keyNode(k.id)),
        ...this.deps.store.missing().map((k): Node => ({ type: 'missing', keyId: k.id })),
      ];
    }
    if (node.type !== 'key') {
      return [];
    }
    const meta = this.deps.store.get(node.keyId);
    if (!meta) {
      return [];
    }
    return detailRows(meta, this.deps.settings.current.keyRotationDays, this.deps.activity.isChecking(meta.id)).map((row, index) => ({
      type: 'detail',
      keyId: meta.id,
      row,
      index,
    }));
  }

  getParent(node: Node): Node | undefined {
    return node.type === 'detail' ? this.keyNode(node.keyId) : undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'missing') {
      const missing = this.deps.store.missing().find((k) => k.id === node.keyId);
      return missing ? missingItem(missing) : new vscode.TreeItem(vscode.l10n.t('(removed)'));
    }
    const meta = this.deps.store.get(node.keyId);
    if (!meta) {
      return new vscode.TreeItem(vscode.l10n.t('(removed)'));
    }
    return node.type === 'key' ? this.keyItem(meta) : this.detailItem(node.row, meta);
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private keyNode(id: string): Node {
    let node = this.keyNodes.get(id);
    if (!node) {
      node = { type: 'key', keyId: id };
      this.keyNodes.set(id, node);
    }
    return node;
  }

  private keyItem(meta: KeyMeta): vscode.TreeItem {
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

  private detailItem(row: DetailRow, meta: KeyMeta): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `key:${meta.id}:${row.kind}:${row.label}`;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(ROW_ICON[row.icon], row.warning ? new vscode.ThemeColor('list.warningForeground') : undefined);
    item.contextValue = `avalaDetail.${row.kind}`;
    return item;
  }

  private updateMessage(): void {
    const lost = this.deps.store.missing().filter((k) => k.where === 'lost').length;
    const problems: string[] = [];
    // Above the keys; with none, the welcome content says it (a message would hide its buttons).
    const note = this.deps.store.list().length > 0 ? this.deps.hostNote?.() : undefined;
    if (note) {
      problems.push(note);
    }
    if (this.deps.store.loadError) {
      problems.push(this.deps.store.loadError.message);
    }
    if (lost > 0) {
      problems.push(vscode.l10n.t('Secret storage lost {0} key(s) this device held: log in with them again, or forget them.', lost));
    }
    const baseUrlProblem = this.deps.settings.current.apiBaseUrlProblem;
    if (baseUrlProblem) {
      problems.push(vscode.l10n.t('avala.apiBaseUrl is not used: {0}', baseUrlProblem));
    }
    if (!vscode.workspace.isTrusted && this.deps.store.list().length > 0) {
      problems.push(
        vscode.l10n.t('Restricted Mode: keys are not put into terminals, debug sessions or tasks until you trust this workspace.'),
      );
    }
    this.view.message = problems.length ? problems.join(' ') : undefined;
  }
}

/** A recorded key that is not stored here: its name, what happened, and what to do. */
function missingItem(key: MissingKey): vscode.TreeItem {
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
