import * as vscode from 'vscode';
import { GitignoreMatcher, type IgnoreFile } from '../core/gitignore';

// The few parts of the built-in git extension's API (extensions/git/src/api/git.d.ts) used here.
interface GitRepository {
  readonly rootUri: vscode.Uri;
  checkIgnore(paths: string[]): Promise<Set<string>>;
}
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

const GIT_ACTIVATION_TIMEOUT_MS = 3000;

/**
 * Whether a file is ignored by git: asked of the built-in git extension when it knows the
 * file's repository, else worked out from the .gitignore files between the workspace folder
 * and the file. Answers are cached until a .gitignore changes.
 */
export class GitIgnoredFiles implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<boolean>>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/.gitignore');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a .gitignore changed, so earlier answers may be wrong. */
  readonly onDidChange = this.changed.event;
  private gitActivation?: Promise<GitExtension | undefined>;

  private readonly reset = () => {
    this.cache.clear();
    this.changed.fire();
  };
  private readonly disposables: vscode.Disposable[] = [];
  private subscribedToGit = false;

  constructor() {
    this.disposables.push(this.watcher, this.changed, this.watcher.onDidChange(this.reset), this.watcher.onDidCreate(this.reset), this.watcher.onDidDelete(this.reset));
  }

  isIgnored(uri: vscode.Uri): Promise<boolean> {
    if (uri.scheme === 'untitled') {
      return Promise.resolve(false);
    }
    const key = uri.toString();
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.ask(uri).catch(() => false);
      this.cache.set(key, answer);
    }
    return answer;
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private async ask(uri: vscode.Uri): Promise<boolean> {
    const repository = uri.scheme === 'file' ? (await this.gitApi())?.getRepository(uri) : undefined;
    if (repository) {
      try {
        return (await repository.checkIgnore([uri.fsPath])).size > 0;
      } catch {
        // git failed (not a repository after all, a submodule…): read the files ourselves.
      }
    }
    return this.fromGitignoreFiles(uri);
  }

  /** The git API, if the git extension is enabled and active within a few seconds (it may still be starting). */
  private async gitApi(): Promise<GitApi | undefined> {
    this.gitActivation ??= (async () => {
      const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
      return extension ? (extension.isActive ? extension.exports : await extension.activate()) : undefined;
    })().catch(() => undefined);
    // Only this answer gives up waiting; a later one uses git once it has started.
    const exports = await Promise.race([this.gitActivation, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), GIT_ACTIVATION_TIMEOUT_MS))]);
    let api: GitApi | undefined;
    try {
      api = exports?.enabled ? exports.getAPI(1) : undefined;
    } catch {
      return undefined;
    }
    if (api && !this.subscribedToGit) {
      // A repository git finds later (git init, a slow scan) may change earlier answers.
      this.subscribedToGit = true;
      this.disposables.push(api.onDidOpenRepository(this.reset), api.onDidCloseRepository(this.reset));
    }
    return api;
  }

  private async fromGitignoreFiles(uri: vscode.Uri): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      return false;
    }
    const relative = uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
    const dirs = relative.split('/').slice(0, -1);
    const files: IgnoreFile[] = [];
    for (let depth = 0; depth <= dirs.length; depth++) {
      const dir = dirs.slice(0, depth).join('/');
      try {
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, dir, '.gitignore'));
        files.push({ dir, text: new TextDecoder().decode(bytes) });
      } catch {
        // No .gitignore in this folder.
      }
    }
    return new GitignoreMatcher(files).isIgnored(relative);
  }
}
