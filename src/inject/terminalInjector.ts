import * as vscode from 'vscode';
import type { Settings } from '../config';
import type { KeyStore } from '../core/keyStore';
import { diffEnvironment, hasChanges, INJECTED_NAMES, planDigest, planTerminalEnvironment, StaleTerminals, type ResolvedKey, type ScopePlan, type TerminalPlan } from '../core/terminalEnvironment';
import type { Log } from '../log';
import { folderKeyOf, resolveKey } from './keys';

/**
 * Keeps the extension's terminal environment variable collection equal to the active
 * key(s). Renders the key store; never calls the API. `persistent = false`, so VS Code
 * never writes the key to workspace storage: the collection is rebuilt on activation.
 */
export class TerminalKeyInjector implements vscode.Disposable {
  private readonly collection: vscode.GlobalEnvironmentVariableCollection;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly stale = new StaleTerminals<vscode.Terminal>();
  /** Terminals this extension opened with their own environment (not affected by the collection). */
  private readonly dedicated = new WeakSet<vscode.Terminal>();
  /** Folder URIs that have a scoped collection written, so a folder removed later is cleared. */
  private readonly scopedFolders = new Set<string>();
  private lastDigest?: string;
  private running?: Promise<void>;
  private again = false;
  /** Resolves after the first rendering; tests and callers that need the env can await it. */
  readonly ready: Promise<void>;

  constructor(
    context: vscode.ExtensionContext,
    private readonly store: KeyStore,
    private readonly settings: Settings,
    private readonly log: Log,
  ) {
    this.collection = context.environmentVariableCollection;
    this.collection.persistent = false;
    for (const terminal of vscode.window.terminals) {
      this.track(terminal);
    }
    this.disposables.push(
      vscode.window.onDidOpenTerminal((t) => this.track(t)),
      vscode.window.onDidCloseTerminal((t) => this.stale.closed(t)),
      store.onDidChange(() => this.update()),
      settings.onDidChange(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.update()),
    );
    this.ready = this.update();
  }

  /** Marks a terminal this extension opened with its own key, so it is never offered a relaunch. */
  markDedicated(terminal: vscode.Terminal): void {
    this.dedicated.add(terminal);
    this.stale.closed(terminal);
  }

  /** Re-renders; concurrent calls collapse into one more run after the current one. */
  update(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.render();
        } catch (error) {
          this.log.error(`Could not update the terminal environment: ${(error as Error).message}`);
        }
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private track(terminal: vscode.Terminal): void {
    const options = terminal.creationOptions as vscode.TerminalOptions & Partial<vscode.ExtensionTerminalOptions>;
    if (this.dedicated.has(terminal) || options.pty || options.strictEnv || options.hideFromUser) {
      return;
    }
    this.stale.opened(terminal);
  }

  private async render(): Promise<void> {
    await this.store.ready;
    const plan = await this.plan();
    this.write(this.collection, plan.workspace);
    const folders = vscode.workspace.workspaceFolders ?? [];
    for (const folder of folders) {
      const uri = folderKeyOf(folder)!;
      const scope = plan.folders.get(uri);
      if (scope || this.scopedFolders.has(uri)) {
        this.write(this.collection.getScoped({ workspaceFolder: folder }), scope ?? { env: {}, description: '' });
      }
      if (scope) {
        this.scopedFolders.add(uri);
      } else {
        this.scopedFolders.delete(uri);
      }
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
    const current = this.settings.current;
    const blocked = !vscode.workspace.isTrusted ? 'Restricted Mode' : !current.terminalInjectKey ? 'avala.terminal.injectKey is off' : undefined;
    if (blocked) {
      return planTerminalEnvironment({ blocked, folders: [], configuredBaseUrl: current.apiBaseUrl });
    }
    const resolved = new Map<string, ResolvedKey | undefined>();
    const read = async (folderUri?: string): Promise<ResolvedKey | undefined> => {
      const meta = this.store.active(folderUri);
      if (!meta) {
        return undefined;
      }
      if (!resolved.has(meta.id)) {
        resolved.set(
          meta.id,
          await resolveKey(this.store, meta).catch((error: Error) => {
            this.log.error(`The key "${meta.label}" could not be read for terminals: ${error.message}`);
            return undefined;
          }),
        );
      }
      return resolved.get(meta.id);
    };
    const workspaceKey = await read();
    const folders = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = folderKeyOf(folder)!;
      folders.push({ uri, key: await read(uri) });
    }
    return planTerminalEnvironment({ workspaceKey, folders, configuredBaseUrl: current.apiBaseUrl });
  }

  private write(collection: vscode.EnvironmentVariableCollection, scope: ScopePlan): void {
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
    const description = Object.keys(scope.env).length > 0 ? scope.description : undefined;
    if (collection.description !== description) {
      collection.description = description;
    }
    if (hasChanges(changes)) {
      this.log.info(`Terminal environment: ${[...changes.set.map(([n]) => `set ${n}`), ...changes.remove.map((n) => `removed ${n}`)].join(', ')} (${scope.description}).`);
    }
  }

  /** Once per change: terminals opened before it still hold the old environment. */
  private async offerRelaunch(plan: TerminalPlan): Promise<void> {
    const terminals = this.stale.beginOffer();
    if (!terminals) {
      return;
    }
    try {
      const count = terminals.length === 1 ? `Terminal "${terminals[0].name}" was` : `${terminals.length} terminals were`;
      const choice = await vscode.window.showInformationMessage(
        `${count} opened before the Avala key changed. New terminals get ${plan.summary}; relaunch the open ones to match?`,
        'Relaunch Terminals',
        'Not Now',
      );
      if (choice === 'Relaunch Terminals') {
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
    this.log.info(`Relaunched ${terminals.length} terminal(s) with the new Avala environment.`);
  }
}
