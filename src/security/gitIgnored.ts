import * as vscode from 'vscode';
import { GitignoreMatcher, type IgnoreFile } from '../core/gitignore';

// The few parts of the built-in git extension's API (extensions/git/src/api/git.d.ts) used here.
interface GitRepository {
  readonly rootUri: vscode.Uri;
  checkIgnore(paths: string[]): Promise<Set<string>>;
}
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
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
  private git?: Promise<GitApi | undefined>;

  constructor() {
    const reset = () => {
      this.cache.clear();
      this.changed.fire();
    };
    this.watcher.onDidChange(reset);
    this.watcher.onDidCreate(reset);
    this.watcher.onDidDelete(reset);
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
    this.watcher.dispose();
    this.changed.dispose();
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

  private gitApi(): Promise<GitApi | undefined> {
    this.git ??= (async () => {
      const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
      if (!extension) {
        return undefined;
      }
      const exports = extension.isActive
        ? extension.exports
        : await Promise.race([extension.activate(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), GIT_ACTIVATION_TIMEOUT_MS))]);
      return exports?.enabled ? exports.getAPI(1) : undefined;
    })().catch(() => undefined);
    return this.git;
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
