import * as vscode from 'vscode';
import { fingerprintOf } from '../core/keyStore';

const STATE_KEY = 'avala.notLiveKeys';
/** Enough for any workspace; the oldest answers go first. */
const MAX_REMEMBERED = 200;

export interface NotLiveKeysDeps {
  /** The workspace's state: answers are remembered per workspace, across reloads. */
  state: vscode.Memento;
}

/**
 * Keys found in files that Avala said are not live (revoked or expired), by fingerprint: the
 * key itself is never kept. A re-scan then keeps their diagnostics at Information.
 */
export class NotLiveKeys implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: NotLiveKeysDeps) {}

  has(key: string): boolean {
    return this.list().includes(fingerprintOf(key));
  }

  /** Remembers (true) or forgets (false) that `key` is not live. */
  async set(key: string, notLive: boolean): Promise<void> {
    const fingerprint = fingerprintOf(key);
    const list = this.list().filter((f) => f !== fingerprint);
    if (notLive) {
      list.push(fingerprint);
    } else if (!this.has(key)) {
      return;
    }
    await this.deps.state.update(STATE_KEY, list.slice(-MAX_REMEMBERED));
    this.changed.fire();
  }

  private list(): string[] {
    return this.deps.state.get<string[]>(STATE_KEY) ?? [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
