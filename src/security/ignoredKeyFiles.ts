import * as vscode from 'vscode';

const STATE_KEY = 'avala.ignoredKeyFiles';

/** Files where the user chose "Ignore in this file": remembered per workspace. */
export class IgnoredKeyFiles implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  has(uri: vscode.Uri): boolean {
    return this.list().includes(uri.toString());
  }

  list(): string[] {
    return this.state.get<string[]>(STATE_KEY) ?? [];
  }

  async add(uri: vscode.Uri): Promise<void> {
    if (!this.has(uri)) {
      await this.state.update(STATE_KEY, [...this.list(), uri.toString()]);
      this.changed.fire();
    }
  }

  async reset(): Promise<number> {
    const count = this.list().length;
    await this.state.update(STATE_KEY, undefined);
    this.changed.fire();
    return count;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
