import * as vscode from 'vscode';
import { DisposableStore } from '../core/disposables';
import { GitignoreMatcher, type IgnoreFile } from './core/gitignoreRules';
import type { Log } from '../log';

// The few parts of the built-in git extension's API (extensions/git/src/api/git.d.ts) used here.
interface GitRepository {
  readonly rootUri: vscode.Uri;
  /** Fires after git's status of the repository was read again (files or .git changed). */
  readonly state: { readonly onDidChange: vscode.Event<void> };
  checkIgnore(paths: string[]): Promise<Set<string>>;
}
interface GitApi {
  readonly repositories: GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

export interface GitIgnoredFilesDeps {
  log: Pick<Log, 'info' | 'warn'>;
}

const GIT_ACTIVATION_TIMEOUT_MS = 3000;
/** After git re-reads a repository's status, answers are checked again once things settle. */
const RECHECK_DELAY_MS = 500;

/**
 * Whether a file is ignored by git: asked of the built-in git extension when it knows the
 * file's repository, else worked out from the .gitignore files between the workspace folder
 * and the file. Answers are cached until a .gitignore changes or git opens or closes a
 * repository; after git re-reads a repository's status (which follows edits of
 * .git/info/exclude as much as of files), git's cached answers are checked again in one batch
 * and the diagnostics are told only when one changed.
 */
export class GitIgnoredFiles implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<boolean>>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/.gitignore');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a .gitignore changed, so earlier answers may be wrong. */
  readonly onDidChange = this.changed.event;
  private gitActivation?: Promise<GitApi | undefined>;

  private readonly reset = () => {
    this.cache.clear();
    this.fromGit.clear();
    this.changed.fire();
  };
  /** Answers that came from git, by the repository that gave them. */
  private readonly fromGit = new Map<string, GitRepository>();
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables = new DisposableStore();
  /** Whether an answer gave up waiting for git, and a reset follows once git is active. */
  private waitingForGit = false;

  constructor(private readonly deps: GitIgnoredFilesDeps) {
    this.disposables.add(
      this.watcher,
      this.changed,
      this.watcher.onDidChange(this.reset),
      this.watcher.onDidCreate(this.reset),
      this.watcher.onDidDelete(this.reset),
    );
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
    this.fromGit.delete(uri.toString());
  }

  dispose(): void {
    clearTimeout(this.recheckTimer);
    this.disposables.dispose();
  }

  private async ask(uri: vscode.Uri): Promise<boolean> {
    const repository = uri.scheme === 'file' ? (await this.gitApi())?.getRepository(uri) : undefined;
    if (repository) {
      try {
        const ignored = (await repository.checkIgnore([uri.fsPath])).has(uri.fsPath);
        this.fromGit.set(uri.toString(), repository);
        return ignored;
      } catch (error) {
        // git failed (not a repository after all, a submodule…): read the files ourselves.
        this.deps.log.warn(
          `git could not say whether ${vscode.workspace.asRelativePath(uri)} is ignored (${error instanceof Error ? error.message : String(error)}); reading .gitignore files instead.`,
        );
      }
    }
    return this.fromGitignoreFiles(uri);
  }

  /**
   * The git API, if the git extension is enabled and active within a few seconds (it may still
   * be starting). When it becomes active later, earlier answers (read from .gitignore files)
   * are dropped, so the files are asked about again, this time of git.
   */
  private async gitApi(): Promise<GitApi | undefined> {
    if (!this.gitActivation) {
      this.gitActivation = (async () => {
        const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
        const exports = extension ? (extension.isActive ? extension.exports : await extension.activate()) : undefined;
        const api = exports?.enabled ? exports.getAPI(1) : undefined;
        if (api) {
          // A repository git finds later (git init, a slow scan) may change earlier answers.
          const watch = (repository: GitRepository) => this.disposables.add(repository.state.onDidChange(() => this.recheckSoon()));
          api.repositories.forEach(watch);
          this.disposables.add(
            api.onDidOpenRepository((repository) => {
              watch(repository);
              this.reset();
            }),
            api.onDidCloseRepository(this.reset),
          );
        }
        return api;
      })().catch(() => undefined);
    }
    const activation = this.gitActivation;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), GIT_ACTIVATION_TIMEOUT_MS);
    });
    const answer = await Promise.race([activation, gaveUp]);
    clearTimeout(timer);
    if (answer !== 'late') {
      return answer;
    }
    if (!this.waitingForGit) {
      this.waitingForGit = true;
      void activation.then((api) => (api ? this.reset() : undefined));
    }
    return undefined;
  }

  private recheckSoon(): void {
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => void this.recheck(), RECHECK_DELAY_MS);
  }

  /** Asks git again about every file it answered for, one call per repository; resets if any answer changed. */
  private async recheck(): Promise<void> {
    const byRepository = new Map<GitRepository, { key: string; path: string; was: Promise<boolean> }[]>();
    for (const [key, repository] of this.fromGit) {
      const was = this.cache.get(key);
      if (was) {
        const list = byRepository.get(repository) ?? [];
        list.push({ key, path: vscode.Uri.parse(key).fsPath, was });
        byRepository.set(repository, list);
      }
    }
    for (const [repository, entries] of byRepository) {
      let ignored: Set<string>;
      try {
        ignored = await repository.checkIgnore(entries.map((e) => e.path));
      } catch {
        continue;
      }
      for (const entry of entries) {
        if ((await entry.was) !== ignored.has(entry.path)) {
          this.deps.log.info(
            `git now says ${vscode.workspace.asRelativePath(entry.path)} is ${ignored.has(entry.path) ? '' : 'not '}ignored; checking open files again.`,
          );
          this.fromGit.clear();
          this.reset();
          return;
        }
      }
    }
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
