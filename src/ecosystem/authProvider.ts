import * as vscode from 'vscode';
import { type KeyMeta } from '../core/keyIndex';
import { KeyValueMissingError, type KeyStore } from '../core/keyStore';
import { scopesCover } from '../core/scopes';
import { diffSessions, isEmptyDiff, keysForSessionRequest, sessionShape, type SessionShape } from './core/sessions';
import type { Log } from '../log';

export interface AuthProviderDeps {
  store: KeyStore;
  log: Log;
  /** Runs the Log In flow; the stored key, or undefined when the user cancelled. */
  logIn(): Promise<KeyMeta | undefined>;
  openMissionControl(): Promise<void>;
}

/**
 * Every stored key is a session: VS Code lists them in the Accounts menu, and other
 * extensions ask for one with `vscode.authentication.getSession('avala', scopes)`, which
 * VS Code only answers after the user allowed that extension to use the account.
 */
export class AvalaAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private shapes: SessionShape[];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: AuthProviderDeps) {
    this.shapes = deps.store.list().map(sessionShape);
    this.subscription = deps.store.onDidChange(() => this.publishChanges());
  }

  async getSessions(
    scopes: readonly string[] | undefined,
    options?: vscode.AuthenticationProviderSessionOptions,
  ): Promise<vscode.AuthenticationSession[]> {
    const { store } = this.deps;
    await store.ready;
    const keys = keysForSessionRequest(store.list(), scopes, { accountId: options?.account?.id, activeId: store.activeId() });
    const sessions: vscode.AuthenticationSession[] = [];
    for (const key of keys) {
      const value = await store.readKey(key.id).then(
        (read) => read.value,
        (error: unknown) => {
          // A value another window removed is no session; only a keyring failure is worth a line.
          if (!(error instanceof KeyValueMissingError)) {
            this.deps.log.warn(`The key "${key.label}" could not be read for a session: ${(error as Error).message}`);
          }
          return undefined;
        },
      );
      if (value !== undefined) {
        sessions.push(toSession(sessionShape(key), value));
      }
    }
    return sessions;
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const meta = await this.deps.logIn();
    if (!meta) {
      throw new Error(vscode.l10n.t('Logging in to Avala was cancelled.'));
    }
    if (!scopesCover(meta.scopes, scopes)) {
      const message = vscode.l10n.t(
        'The key "{0}" is stored, but it does not have the scopes {1}. Create a key with them in Mission Control → Settings → Security, then log in with it.',
        meta.label,
        scopes.join(', '),
      );
      void vscode.window
        .showWarningMessage(message, vscode.l10n.t('Open Mission Control'))
        .then((a) => (a ? this.deps.openMissionControl() : undefined));
      throw new Error(message);
    }
    const { value } = await this.deps.store.readKey(meta.id);
    return toSession(sessionShape(meta), value);
  }

  /** "Sign Out" in the Accounts menu (VS Code has already asked to confirm). */
  async removeSession(sessionId: string): Promise<void> {
    const { store, log } = this.deps;
    await store.ready;
    const meta = store.get(sessionId);
    if (!meta || !(await store.remove(sessionId))) {
      return;
    }
    log.info(`Signed out of "${meta.label}" (${meta.masked}) from the Accounts menu: removed from secret storage, not revoked.`);
    const revoke = vscode.l10n.t('Revoke in Mission Control');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t(
          'Removed "{0}" from VS Code. The key is not revoked: it keeps working for anyone who has a copy until you revoke it in Mission Control.',
          meta.label,
        ),
        revoke,
      )
      .then((a) => (a === revoke ? this.deps.openMissionControl() : undefined));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private publishChanges(): void {
    const next = this.deps.store.list().map(sessionShape);
    const diff = diffSessions(this.shapes, next);
    this.shapes = next;
    if (isEmptyDiff(diff)) {
      return;
    }
    // VS Code only reads ids and accounts from this event, so no key value travels with it.
    const tokenless = (shapes: SessionShape[]) => shapes.map((shape) => toSession(shape, ''));
    this.changed.fire({ added: tokenless(diff.added), removed: tokenless(diff.removed), changed: tokenless(diff.changed) });
  }
}

function toSession(shape: SessionShape, accessToken: string): vscode.AuthenticationSession {
  return { id: shape.id, accessToken, account: { id: shape.id, label: shape.accountLabel }, scopes: shape.scopes };
}
