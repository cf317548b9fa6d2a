import * as vscode from 'vscode';
import type { Settings } from '../config';
import { DisposableStore } from '../core/disposables';
import { fingerprintOf, type KeyStore } from '../core/keyStore';
import { attemptMemo, describeAttempts, describeKeyHosts, findSettingAttempts, type SettingAttempt } from './core/workspaceSettings';
import type { Log } from '../log';

const TOLD_STATE = 'avala.toldSettingAttempts';
const RECHECK_DELAY_MS = 300;

export interface SettingsGuardDeps {
  /** The workspace's state: what was told is remembered per workspace. */
  state: vscode.Memento;
  settings: Settings;
  store: KeyStore;
  log: Log;
}

/**
 * Tells the user, once per workspace and value, when a workspace tries to set where keys
 * are sent (VS Code already ignores those machine-scoped values); and, when the user changes
 * the base URL, which stored keys belong to which host.
 */
export class SettingsGuard implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private timer?: ReturnType<typeof setTimeout>;
  private baseUrl: string;
  /** The last check, for tests: resolves when it has run. */
  lastCheck: Promise<SettingAttempt[]> = Promise.resolve([]);

  constructor(private readonly deps: SettingsGuardDeps) {
    this.baseUrl = deps.settings.current.apiBaseUrl;
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    const recheck = () => this.scheduleCheck();
    this.disposables.add(
      watcher,
      watcher.onDidCreate(recheck),
      watcher.onDidChange(recheck),
      vscode.workspace.onDidChangeWorkspaceFolders(recheck),
      vscode.workspace.onDidChangeConfiguration(recheck),
      deps.settings.onDidChange((current) => {
        if (current.apiBaseUrl !== this.baseUrl) {
          this.baseUrl = current.apiBaseUrl;
          void this.showKeyHosts();
        }
      }),
    );
    this.lastCheck = this.check();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.dispose();
  }

  private scheduleCheck(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.lastCheck = this.check();
    }, RECHECK_DELAY_MS);
  }

  /** Reads the workspace's settings files and tells about attempts not told before. */
  async check(): Promise<SettingAttempt[]> {
    const attempts = await this.findAttempts();
    const told = new Set(this.deps.state.get<string[]>(TOLD_STATE) ?? []);
    const fresh = attempts.filter((a) => !told.has(attemptMemo(a, fingerprintOf)));
    if (fresh.length === 0) {
      return [];
    }
    // Remembered before the message is answered: told once means once, even if dismissed.
    await this.deps.state.update(TOLD_STATE, [...told, ...fresh.map((a) => attemptMemo(a, fingerprintOf))]);
    const message = describeAttempts(fresh);
    this.deps.log.warn(message);
    const openWorkspaceSettings = vscode.l10n.t('Open Workspace Settings');
    const openUserSettings = vscode.l10n.t('Open User Settings');
    void vscode.window.showWarningMessage(message, openWorkspaceSettings, openUserSettings).then((choice) => {
      if (choice === openWorkspaceSettings) {
        const file = fresh[0].sourceUri;
        void (file ? vscode.window.showTextDocument(file) : vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile'));
      } else if (choice === openUserSettings) {
        void vscode.commands.executeCommand('workbench.action.openSettings', '@ext:avala.avala-vscode');
      }
    });
    return fresh;
  }

  private async findAttempts(): Promise<(SettingAttempt & { sourceUri?: vscode.Uri })[]> {
    const found: (SettingAttempt & { sourceUri?: vscode.Uri })[] = [];
    const read = async (uri: vscode.Uri, workspaceFile: boolean) => {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        for (const attempt of findSettingAttempts(text, vscode.workspace.asRelativePath(uri), { workspaceFile })) {
          found.push({ ...attempt, sourceUri: uri });
        }
      } catch {
        // No settings file there.
      }
    };
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      await read(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'), false);
    }
    const workspaceFile = vscode.workspace.workspaceFile;
    if (workspaceFile && workspaceFile.scheme !== 'untitled') {
      await read(workspaceFile, true);
    }
    return found;
  }

  private async showKeyHosts(): Promise<void> {
    await this.deps.store.ready;
    const keys = this.deps.store.list();
    if (keys.length === 0) {
      return;
    }
    const message = describeKeyHosts(keys, this.baseUrl, this.deps.store.active()?.label);
    this.deps.log.info(message);
    const choice = await vscode.window.showInformationMessage(message, vscode.l10n.t('Show Keys'));
    if (choice) {
      await vscode.commands.executeCommand('avala.keys.focus');
    }
  }
}
