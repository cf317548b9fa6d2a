import * as vscode from 'vscode';

const STATE_KEY = 'avala.ignoredKeyFiles';

export interface IgnoredKeyFilesDeps {
  /** The workspace's state: the list is remembered per workspace. */
  state: vscode.Memento;
}

/** Files where the user chose "Ignore in this file": remembered per workspace. */
export class IgnoredKeyFiles implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: IgnoredKeyFilesDeps) {}

  has(uri: vscode.Uri): boolean {
    return this.list().includes(uri.toString());
  }

  list(): string[] {
    return this.deps.state.get<string[]>(STATE_KEY) ?? [];
  }

  async add(uri: vscode.Uri): Promise<void> {
    if (!this.has(uri)) {
      await this.deps.state.update(STATE_KEY, [...this.list(), uri.toString()]);
      this.changed.fire();
    }
  }

  async reset(): Promise<number> {
    const count = this.list().length;
    await this.deps.state.update(STATE_KEY, undefined);
    this.changed.fire();
    return count;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
