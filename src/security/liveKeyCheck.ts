import * as vscode from 'vscode';
import type { AvalaApi } from '../core/api';
import { AvalaApiError } from '../core/errors';
import { maskKey } from '../core/keyFormat';
import type { KeyStore } from '../core/keyStore';
import { redactedMessage } from '../core/redact';
import type { Log } from '../log';
import { describeLiveCheck, liveCheckOf, notLiveAfter, type LiveCheck } from './core/liveKey';
import { findingAt } from './keyDiagnostics';
import type { NotLiveKeys } from './notLiveKeys';

export interface LiveKeyCheckDeps {
  store: KeyStore;
  api: AvalaApi;
  notLive: Pick<NotLiveKeys, 'set'>;
  log: Log;
  openMissionControl: () => Thenable<void>;
  /** "Store It": the hard-coded key quick fix (checks, names and stores the key, then edits the file). */
  storeKey: (uri: vscode.Uri, range: vscode.Range) => Thenable<unknown>;
}

/**
 * "Check whether this key is live" on a hard-coded key nobody stored: one permissions check,
 * only when asked, against the configured API. Says what anyone holding the key can do, or
 * that it is not live (and remembers that by fingerprint, so the diagnostic turns Information).
 */
export class LiveKeyCheck {
  constructor(private readonly deps: LiveKeyCheckDeps) {}

  async check(uri: vscode.Uri, range: vscode.Range): Promise<LiveCheck | undefined> {
    const document = await vscode.workspace.openTextDocument(uri);
    const finding = findingAt(document, range);
    if (!finding) {
      void vscode.window.showInformationMessage(vscode.l10n.t('That key is no longer in the file.'));
      return undefined;
    }
    const key = finding.value;
    const masked = maskKey(key);
    const stored = this.deps.store.findByValue(key);
    if (stored) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('{0} is your stored key "{1}": the Keys view and the status bar show whether it works.', masked, stored.label),
      );
      return undefined;
    }
    const configured = this.deps.api.checkingClient();
    if ('problem' in configured) {
      void vscode.window.showErrorMessage(configured.problem);
      return undefined;
    }
    const client = configured.client;
    const where = `${vscode.workspace.asRelativePath(uri)} line ${range.start.line + 1}`;
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Checking whether {0} is live at {1}…', masked, client.host),
      },
      async (): Promise<LiveCheck> => {
        try {
          const permissions = await client.getPermissions(key);
          return liveCheckOf({ scopes: permissions.scopes });
        } catch (error) {
          return liveCheckOf({
            failure: error instanceof AvalaApiError ? error : { reason: 'network', message: redactedMessage(error) },
          });
        }
      },
    );
    const notLive = notLiveAfter(result);
    if (notLive !== undefined) {
      await this.deps.notLive.set(key, notLive);
    }
    this.deps.log.info(
      `Live check of the key (${masked}) in ${where} at ${client.host}: ${result.kind === 'unknown' ? `unknown, ${result.reason}` : result.kind === 'notLive' ? `not live (${result.state})` : 'live'}.`,
    );
    void this.tell(result, masked, client.host, uri, range);
    return result;
  }

  private async tell(result: LiveCheck, masked: string, host: string, uri: vscode.Uri, range: vscode.Range): Promise<void> {
    const message = describeLiveCheck(result, masked, host);
    if (result.kind === 'notLive') {
      await vscode.window.showInformationMessage(message);
      return;
    }
    if (result.kind === 'unknown') {
      const again = vscode.l10n.t('Check Again');
      if ((await vscode.window.showWarningMessage(message, again)) === again) {
        await this.check(uri, range);
      }
      return;
    }
    const revoke = vscode.l10n.t('Revoke in Mission Control');
    const store = vscode.l10n.t('Store It');
    const choice = await vscode.window.showWarningMessage(message, revoke, store);
    if (choice === revoke) {
      await this.deps.openMissionControl();
    } else if (choice === store) {
      await this.deps.storeKey(uri, range);
    }
  }
}
