import * as vscode from 'vscode';
import type { Settings } from '../config';
import { DisposableStore } from '../core/disposables';
import { ENV, keyEnvironment } from '../core/environment';
import { type KeyMeta } from '../core/keyIndex';
import { KeyValueMissingError, type KeyStore } from '../core/keyStore';
import {
  describeKey,
  diffEnvironment,
  hasChanges,
  INJECTED_NAMES,
  planDigest,
  planTerminalEnvironment,
  StaleTerminals,
  type ResolvedKey,
  type ScopePlan,
  type TerminalPlan,
} from './core/terminalPlan';
import type { Log } from '../log';
import { folderKeyOf, resolveKey } from './keys';

/** How long a chosen-key terminal may take to start its process before the collection is restored. */
const PROCESS_START_TIMEOUT_MS = 15_000;

export interface TerminalKeyInjectorDeps {
  /** The extension's terminal environment (context.environmentVariableCollection). */
  collection: vscode.GlobalEnvironmentVariableCollection;
  store: KeyStore;
  settings: Settings;
  log: Log;
  /** Told each base URL handed to terminals (see loopbackNotice.ts). */
  noticeBaseUrl?: (baseUrl: string) => void;
}

/**
 * Keeps the extension's terminal environment variable collection equal to the active
 * key(s). Renders the key store; never calls the API. `persistent = false`, so VS Code
 * never writes the key to workspace storage: the collection is rebuilt on activation.
 */
export class TerminalKeyInjector implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly stale = new StaleTerminals<vscode.Terminal>();
  /** Terminals this extension opened for a chosen key: never offered a relaunch. */
  private readonly dedicated = new WeakSet<vscode.Terminal>();
  /** Folder URIs that have a scoped collection written, so a folder that stops needing one is cleared. */
  private readonly scopedFolders = new Set<string>();
  private lastDigest?: string;
  private lastSummary?: string;
  /** Every write to the collections runs in this queue, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private pendingUpdate?: Promise<void>;
  /** Resolves after the first rendering. */
  readonly ready: Promise<void>;

  constructor(private readonly deps: TerminalKeyInjectorDeps) {
    deps.collection.persistent = false;
    for (const terminal of vscode.window.terminals) {
      this.track(terminal);
    }
    this.disposables.add(
      vscode.window.onDidOpenTerminal((t) => this.track(t)),
      vscode.window.onDidCloseTerminal((t) => this.stale.closed(t)),
      deps.store.onDidChange(() => void this.update()),
      deps.settings.onDidChange(() => void this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.update()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.update()),
    );
    this.ready = this.update();
  }

  /** Re-renders after everything queued; calls made while one is waiting share it. */
  update(): Promise<void> {
    this.pendingUpdate ??= this.enqueue(async () => {
      this.pendingUpdate = undefined;
      await this.render(false);
    });
    return this.pendingUpdate;
  }

  /**
   * Opens a terminal whose process starts with `key` instead of the active key. VS Code
   * applies an extension's collection on top of a terminal's own `env` (in remote windows
   * even with `strictEnv`), so the collection holds this key until the process has started.
   */
  openTerminal(key: ResolvedKey, options: vscode.TerminalOptions): Promise<vscode.Terminal> {
    return this.enqueue(async () => {
      const scope: ScopePlan = { env: keyEnvironment(key.value, key.baseUrl), description: describeKey(key) };
      this.write(this.deps.collection, scope, true);
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (this.scopedFolders.has(folderKeyOf(folder)!)) {
          this.write(this.deps.collection.getScoped({ workspaceFolder: folder }), scope, true);
        }
      }
      const terminal = vscode.window.createTerminal({ ...options, env: { ...options.env, ...scope.env } });
      this.dedicated.add(terminal);
      try {
        await Promise.race([terminal.processId, new Promise((resolve) => setTimeout(resolve, PROCESS_START_TIMEOUT_MS))]);
      } finally {
        await this.render(true);
      }
      return terminal;
    });
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch((error: Error) => this.deps.log.error(`Could not update the terminal environment: ${error.message}`));
    return run;
  }

  private track(terminal: vscode.Terminal): void {
    const options = terminal.creationOptions as vscode.TerminalOptions & Partial<vscode.ExtensionTerminalOptions>;
    if (this.dedicated.has(terminal) || options.pty || options.strictEnv || options.hideFromUser) {
      return;
    }
    this.stale.opened(terminal);
  }

  /** Writes the plan; `restoring` after a chosen-key terminal: not a change the user made. */
  private async render(restoring: boolean): Promise<void> {
    await this.deps.store.ready;
    const plan = await this.plan();
    this.write(this.deps.collection, plan.workspace, restoring);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = folderKeyOf(folder)!;
      const scope = plan.folders.get(uri);
      if (scope || this.scopedFolders.has(uri)) {
        this.write(this.deps.collection.getScoped({ workspaceFolder: folder }), scope ?? { env: {}, description: '' }, restoring);
      }
      if (scope) {
        this.scopedFolders.add(uri);
      } else {
        this.scopedFolders.delete(uri);
      }
    }
    if (plan.summary !== this.lastSummary) {
      this.deps.log.info(`New terminals get ${plan.summary}.`);
      this.lastSummary = plan.summary;
    }
    const digest = planDigest(plan);
    const changed = this.lastDigest !== undefined && this.lastDigest !== digest;
    this.lastDigest = digest;
    if (changed) {
      this.stale.changed();
      void this.offerRelaunch(plan);
    }
  }

  private async plan(): Promise<TerminalPlan> {
    const current = this.deps.settings.current;
    const blocked = !vscode.workspace.isTrusted
      ? vscode.l10n.t('Restricted Mode')
      : !current.terminalInjectKey
        ? vscode.l10n.t('{0} is off', 'avala.terminal.injectKey')
        : undefined;
    if (blocked) {
      return planTerminalEnvironment({ blocked, folders: [], configuredBaseUrl: current.apiBaseUrl });
    }
    // Which key each place uses is read at one instant, before any await: reading it
    // between secret reads could mix the keys from before and after a switch.
    const workspaceMeta = this.deps.store.active();
    const folderMetas = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
      uri: folderKeyOf(folder)!,
      meta: this.deps.store.active(folderKeyOf(folder)),
    }));
    const values = new Map<string, Promise<ResolvedKey | undefined>>();
    const read = (meta: KeyMeta | undefined): Promise<ResolvedKey | undefined> => {
      if (!meta) {
        return Promise.resolve(undefined);
      }
      let value = values.get(meta.id);
      if (!value) {
        value = resolveKey(this.deps.store, meta).catch((error: Error) => {
          // A value another window removed leaves terminals without the key; only a keyring failure is logged.
          if (!(error instanceof KeyValueMissingError)) {
            this.deps.log.error(`The key "${meta.label}" could not be read for terminals: ${error.message}`);
          }
          return undefined;
        });
        values.set(meta.id, value);
      }
      return value;
    };
    const workspaceKey = await read(workspaceMeta);
    const folders = await Promise.all(folderMetas.map(async ({ uri, meta }) => ({ uri, key: await read(meta) })));
    return planTerminalEnvironment({ workspaceKey, folders, configuredBaseUrl: current.apiBaseUrl });
  }

  private write(collection: vscode.EnvironmentVariableCollection, scope: ScopePlan, quiet: boolean): void {
    const current: Record<string, string | undefined> = {};
    for (const name of INJECTED_NAMES) {
      current[name] = collection.get(name)?.value;
    }
    const changes = diffEnvironment(current, scope.env);
    for (const name of changes.remove) {
      collection.delete(name);
    }
    for (const [name, value] of changes.set) {
      collection.replace(name, value);
    }
    const baseUrl = scope.env[ENV.baseUrl];
    if (baseUrl) {
      this.deps.noticeBaseUrl?.(baseUrl);
    }
    const description = Object.keys(scope.env).length > 0 ? scope.description : undefined;
    if (collection.description !== description) {
      collection.description = description;
    }
    if (hasChanges(changes) && !quiet) {
      this.deps.log.info(
        `Terminal environment: ${[...changes.set.map(([n]) => `set ${n}`), ...changes.remove.map((n) => `removed ${n}`)].join(', ')} (${scope.description}).`,
      );
    }
  }

  /** Once per change: terminals opened before it still hold the old environment. */
  private async offerRelaunch(plan: TerminalPlan): Promise<void> {
    const terminals = this.stale.beginOffer();
    if (!terminals) {
      return;
    }
    try {
      const message =
        terminals.length === 1
          ? vscode.l10n.t(
              'Terminal "{0}" was opened before the Avala key changed. New terminals get {1}; relaunch the open ones to match?',
              terminals[0].name,
              plan.summary,
            )
          : vscode.l10n.t(
              '{0} terminals were opened before the Avala key changed. New terminals get {1}; relaunch the open ones to match?',
              terminals.length,
              plan.summary,
            );
      const relaunch = vscode.l10n.t('Relaunch Terminals');
      const choice = await vscode.window.showInformationMessage(message, relaunch, vscode.l10n.t('Not Now'));
      if (choice === relaunch) {
        await this.relaunch(this.stale.stale());
      }
    } finally {
      this.stale.endOffer();
    }
  }

  private async relaunch(terminals: vscode.Terminal[]): Promise<void> {
    for (const terminal of terminals) {
      if (terminal.exitStatus !== undefined) {
        continue;
      }
      // The workbench's own "Relaunch Terminal" keeps the profile and cwd and applies the current collection.
      terminal.show(false);
      await vscode.commands.executeCommand('workbench.action.terminal.relaunch');
      this.stale.refreshed(terminal);
    }
    this.deps.log.info(`Relaunched ${terminals.length} terminal(s) with the new Avala environment.`);
  }
}
