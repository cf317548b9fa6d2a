import * as vscode from 'vscode';
import { DisposableStore } from '../core/disposables';
import type { StatusView } from './core/keyStatus';
import { STATUS_ACTIONS_COMMAND } from './core/statusCommands';
import type { KeyStore } from '../core/keyStore';
import type { Lazy } from '../core/lazy';
import type { KeyValidator } from './core/keyValidator';

// Relative times in the tooltip ("checked 3 minutes ago") are re-rendered this often; no API call.
const TOOLTIP_REFRESH_MS = 60_000;

/** What the status bar says about a key (core/keyStatus.ts): a lazy chunk, loaded at the first render. */
export type StatusWords = typeof import('./core/keyStatus');

export interface KeyStatusBarDeps {
  store: KeyStore;
  validator: KeyValidator;
  words: Lazy<StatusWords>;
}

/** The status bar item for the active key. Renders the store and the validator; never calls the API. */
export class KeyStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('avala.status', vscode.StatusBarAlignment.Left, 100);
  private readonly disposables = new DisposableStore();
  private loaded = false;
  private current: StatusView | undefined;

  constructor(private readonly deps: KeyStatusBarDeps) {
    this.item.name = vscode.l10n.t('Avala Key');
    this.item.text = vscode.l10n.t('$(key) Avala');
    this.item.tooltip = vscode.l10n.t('Loading Avala keys…');
    this.item.command = STATUS_ACTIONS_COMMAND;
    this.item.show();
    const timer = setInterval(() => this.render(), TOOLTIP_REFRESH_MS);
    this.disposables.add(
      this.item,
      deps.store.onDidChange(() => this.render()),
      deps.validator.onDidChangeActivity(() => this.render()),
      { dispose: () => clearInterval(timer) },
    );
    void deps.store.ready.then(() => {
      this.loaded = true;
      this.render();
    });
  }

  /** What the item shows now (undefined until the store has loaded). */
  get view(): StatusView | undefined {
    return this.current;
  }

  render(): void {
    if (!this.loaded) {
      return;
    }
    const key = this.deps.store.active();
    const view = this.deps.words.value.statusView({
      key,
      checking: key ? this.deps.validator.isChecking(key.id) : false,
      keyCount: this.deps.store.list().length,
      now: Date.now(),
      keyringProblem: this.deps.store.loadError?.message,
    });
    this.current = view;
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.tone
      ? new vscode.ThemeColor(view.tone === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground')
      : undefined;
    this.item.accessibilityInformation = { label: view.accessibilityLabel, role: 'button' };
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
