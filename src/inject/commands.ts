import * as vscode from 'vscode';
import { unsafeKeyVariableUses } from './core/debugPlan';
import { keyIdOf, type KeyArg } from '../core/keyArg';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import type { Lazy } from '../core/lazy';
import type { Log } from '../log';
import type { KeyAccessGate } from './keyAccess';
import { keyRows, pickKey, type KeyItem } from '../keys/keyPicker';
import { explainRestrictedMode, folderKeyOf, resolveKey } from './keys';
import type { TerminalKeyInjector } from './terminalInjector';

export interface InjectionCommandDeps {
  store: KeyStore;
  log: Log;
  terminals: TerminalKeyInjector;
  /** Loaded when a task first needs a key (a chunk of its own). */
  access: Lazy<KeyAccessGate>;
}

/**
 * `${command:avala.apiKey}` / `${command:avala.pickKey}` for launch.json and tasks.json,
 * "Open Terminal with Key…" and "Set Active Key for Folder…". None of them writes a key
 * anywhere: the variables return it to VS Code, which puts it where the user wrote them.
 * A lazy chunk: registerInjection.ts registers the commands and loads it when one first runs.
 */
export class InjectionCommands {
  constructor(private readonly deps: InjectionCommandDeps) {}

  /** The active key's value, for a command variable. `undefined` cancels the launch or task. */
  async apiKey(config?: unknown): Promise<string | undefined> {
    if (!(await this.mayHandOut(config, 'avala.apiKey'))) {
      return undefined;
    }
    const meta = this.deps.store.active();
    if (!meta) {
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t('{0} needs an active Avala key, and none is set. Log in with a key, then run it again.', '${command:avala.apiKey}'),
        vscode.l10n.t('Log In with API Key'),
      );
      if (choice) {
        await vscode.commands.executeCommand('avala.login');
      }
      return undefined;
    }
    return this.valueFor(meta, 'avala.apiKey', config);
  }

  /** Asks which key, then returns its value, for a command variable. */
  async pickKey(config?: unknown): Promise<string | undefined> {
    if (!(await this.mayHandOut(config, 'avala.pickKey'))) {
      return undefined;
    }
    const { store } = this.deps;
    const meta = await pickKey(store, {
      title: vscode.l10n.t('Avala: key for this launch'),
      placeHolder: vscode.l10n.t('Which key should the program get?'),
      current: store.activeId(),
    });
    return meta ? this.valueFor(meta, 'avala.pickKey', config) : undefined;
  }

  async openTerminalWithKey(arg?: KeyArg): Promise<vscode.Terminal | undefined> {
    if (!vscode.workspace.isTrusted) {
      void explainRestrictedMode();
      return undefined;
    }
    await this.deps.store.ready;
    const { store } = this.deps;
    const id = keyIdOf(arg);
    const meta = id
      ? store.get(id)
      : await pickKey(store, {
          title: vscode.l10n.t('Avala: Open Terminal with Key'),
          placeHolder: vscode.l10n.t('Which key should the new terminal have in AVALA_API_KEY?'),
          current: store.activeId(),
        });
    if (!meta) {
      return undefined;
    }
    let key;
    try {
      key = await resolveKey(this.deps.store, meta);
    } catch (error) {
      void vscode.window.showErrorMessage((error as Error).message);
      return undefined;
    }
    const terminal = await this.deps.terminals.openTerminal(key, {
      name: vscode.l10n.t('Avala: {0}', meta.label),
      iconPath: new vscode.ThemeIcon('key'),
    });
    terminal.show();
    this.deps.log.info(`Opened a terminal with the key "${meta.label}" (${meta.environment}, ${meta.masked}).`);
    return terminal;
  }

  /** In a multi-root workspace, gives one folder its own active key (or back to the workspace's). */
  async setFolderKey(): Promise<void> {
    const folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which folder gets its own Avala key?') });
    if (!folder) {
      return;
    }
    await this.deps.store.ready;
    const uri = folderKeyOf(folder)!;
    const own = this.deps.store.folderActiveIds()[uri];
    const workspaceKey = this.deps.store.active();
    const items: KeyItem[] = [
      {
        label: vscode.l10n.t("$(root-folder) Use the workspace's active key"),
        description: workspaceKey ? workspaceKey.label : vscode.l10n.t('none set'),
        id: undefined,
        picked: !own,
      },
      ...keyRows(this.deps.store.list(), { current: own, currentWord: vscode.l10n.t('this folder') }),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Avala: key for {0}', folder.name),
      placeHolder: vscode.l10n.t('Terminals and debug sessions in this folder use this key'),
    });
    if (!picked) {
      return;
    }
    await this.deps.store.setActive(picked.id, uri);
    this.deps.log.info(`Folder ${folder.name} now uses ${picked.id ? `its own key "${picked.label}"` : "the workspace's active key"}.`);
  }

  /** Restricted Mode and a key variable outside `env` (which VS Code would echo) stop the hand-out. */
  private async mayHandOut(config: unknown, command: string): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void explainRestrictedMode();
      return false;
    }
    // Launch configurations arrive as objects; tasks pass only a list of variable names.
    if (typeof config === 'object' && config !== null && !Array.isArray(config)) {
      const unsafe = unsafeKeyVariableUses(config);
      if (unsafe.length > 0) {
        const name = (config as { name?: unknown }).name;
        const variable = `\${command:${command}}`;
        const places = unsafe.map((p) => `"${p}"`).join(', ');
        const message =
          typeof name === 'string'
            ? vscode.l10n.t(
                '{0} is used in {1} of "{2}". VS Code prints a program\'s command line, so the key would be shown. Put it in "env" instead (for tasks: "options": {3}).',
                variable,
                places,
                name,
                '{"env": {…}}',
              )
            : vscode.l10n.t(
                '{0} is used in {1}. VS Code prints a program\'s command line, so the key would be shown. Put it in "env" instead (for tasks: "options": {2}).',
                variable,
                places,
                '{"env": {…}}',
              );
        this.deps.log.warn(message);
        void vscode.window.showErrorMessage(message);
        return false;
      }
    }
    await this.deps.store.ready;
    return true;
  }

  /**
   * A launch configuration passes itself; a task (or any other caller) does not, and a task
   * asks before it takes a key (see KeyAccessGate).
   */
  private async valueFor(meta: KeyMeta, command: string, config: unknown): Promise<string | undefined> {
    const fromLaunch = typeof config === 'object' && config !== null && !Array.isArray(config);
    if (!fromLaunch && !(await this.deps.access.value.mayUse(meta, 'task', this.deps.store.activeId()))) {
      return undefined;
    }
    try {
      const key = await resolveKey(this.deps.store, meta);
      this.deps.log.info(`\${command:${command}} handed out the key "${meta.label}" (${meta.masked}).`);
      return key.value;
    } catch (error) {
      void vscode.window.showErrorMessage((error as Error).message);
      return undefined;
    }
  }
}
