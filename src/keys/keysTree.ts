import * as vscode from 'vscode';
import type { Settings } from '../config';
import { DisposableStore } from '../core/disposables';
import type { DetailRow } from './core/keyRows';
import { Lazy } from '../core/lazy';
import type { KeyStore } from '../core/keyStore';
import type { KeyTreeItems } from './keyTreeItems';

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

export type Node =
  | { type: 'key'; keyId: string }
  | { type: 'detail'; keyId: string; row: DetailRow; index: number }
  /** A recorded key this device's secret storage does not hold (lost, or stored on another device). */
  | { type: 'missing'; keyId: string };

/**
 * The Keys view: renders the key store and the validator's results; never calls the API. The
 * view, its message and context keys exist from activation; how a key and its rows are drawn
 * (keyTreeItems.ts, a lazy chunk) loads when VS Code first asks for an item.
 */
export class KeysTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables = new DisposableStore();
  private readonly keyNodes = new Map<string, Node>();
  private readonly items: Lazy<KeyTreeItems>;

  constructor(private readonly deps: KeysTreeDeps) {
    this.items = new Lazy(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { KeyTreeItems } = require('./keyTreeItems') as typeof import('./keyTreeItems');
      return new KeyTreeItems(deps);
    });
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
    return this.items.value.detailRows(meta).map((row, index) => ({
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
      return missing ? this.items.value.missingItem(missing) : new vscode.TreeItem(vscode.l10n.t('(removed)'));
    }
    const meta = this.deps.store.get(node.keyId);
    if (!meta) {
      return new vscode.TreeItem(vscode.l10n.t('(removed)'));
    }
    return node.type === 'key' ? this.items.value.keyItem(meta) : this.items.value.detailItem(node.row, meta);
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
