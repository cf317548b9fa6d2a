import * as vscode from 'vscode';
import type { AvalaApi } from '../core/api';
import { hostOf } from '../core/baseUrl';
import { AvalaApiError } from '../core/errors';
import { checkKeyShape } from '../core/keyFormat';
import type { KeyCheck } from '../core/keyState';
import { describeState } from '../core/keyStateWords';
import type { KeyMeta, KeySource } from '../core/keyIndex';
import { fingerprintOf, type KeyStore } from '../core/keyStore';
import { redactedMessage } from '../core/redact';
import { scopesSummary } from '../core/scopes';
import type { Log } from '../log';
import { logInOutcome } from './core/logInOutcome';
import { checkLabel, pickEnvironment } from './prompts';

export interface LogInDeps {
  store: KeyStore;
  api: AvalaApi;
  log: Log;
  /** Shows a key in the Keys view. */
  reveal(id: string): Promise<void>;
  openMissionControl(): Promise<void>;
}

/** "Avala: Log In with API Key": checks a pasted key with Avala, names it and stores it as the active key. */
export class LogInFlow {
  constructor(private readonly deps: LogInDeps) {}

  /** Checks a pasted key against the API, then stores it. Returns the stored key's metadata. */
  async logIn(prefilled?: string, source: KeySource = 'login', origin?: string): Promise<KeyMeta | undefined> {
    let raw = prefilled;
    if (raw === undefined) {
      raw = await vscode.window.showInputBox({
        title: vscode.l10n.t('Avala: Log In with API Key'),
        prompt: vscode.l10n.t('Paste an Avala API key. Keys are created in Mission Control → Settings → Security and shown only once.'),
        placeHolder: vscode.l10n.t('avk_…'),
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => {
          const shape = checkKeyShape(value);
          return shape.ok ? undefined : shape.message;
        },
      });
      if (raw === undefined) {
        return undefined;
      }
    }
    const shape = checkKeyShape(raw);
    if (!shape.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('That key was not stored: {0}', shape.message));
      return undefined;
    }
    const key = shape.key;
    const existing = this.deps.store.findByValue(key);
    if (existing) {
      await this.deps.reveal(existing.id);
      const active = this.deps.store.activeId() === existing.id;
      void vscode.window
        .showInformationMessage(
          vscode.l10n.t('That key is already stored as "{0}".', existing.label),
          ...(active ? [] : [vscode.l10n.t('Set Active')]),
        )
        .then((a) => (a ? this.deps.store.setActive(existing.id) : undefined));
      return existing;
    }

    const configured = this.deps.api.checkingClient();
    if ('problem' in configured) {
      void vscode.window.showErrorMessage(configured.problem);
      return undefined;
    }
    const client = configured.client;

    // Bounded retries: each needs the user to press Retry.
    for (let attempt = 0; attempt < 20; attempt++) {
      let check: KeyCheck;
      let scopes: string[] | undefined;
      try {
        const permissions = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the key with Avala at {0}…', client.host) },
          () => client.getPermissions(key),
        );
        scopes = permissions.scopes;
        check = { state: 'valid', at: new Date().toISOString() };
      } catch (error) {
        if (!(error instanceof AvalaApiError)) {
          void vscode.window.showErrorMessage(vscode.l10n.t('The key could not be checked: {0}', redactedMessage(error)));
          return undefined;
        }
        const outcome = logInOutcome(error, client.host, new Date().toISOString());
        switch (outcome.kind) {
          case 'rejected':
            void this.rejected(outcome.message);
            return undefined;
          case 'failed':
            void vscode.window.showErrorMessage(outcome.message);
            return undefined;
          case 'store':
            check = outcome.check;
            break;
          case 'throttled': {
            const retry = vscode.l10n.t('Retry');
            if ((await vscode.window.showWarningMessage(outcome.message, retry)) === retry) {
              continue;
            }
            return undefined;
          }
          case 'unreachable': {
            const retry = vscode.l10n.t('Retry');
            const storeUnchecked = vscode.l10n.t('Store Unchecked');
            const choice = await vscode.window.showWarningMessage(outcome.message, retry, storeUnchecked);
            if (choice === retry) {
              continue;
            }
            if (choice !== storeUnchecked) {
              return undefined;
            }
            check = outcome.check;
          }
        }
      }
      return this.storeChecked(key, client.baseUrl, source, check, scopes, origin);
    }
    return undefined;
  }

  private async rejected(message: string): Promise<void> {
    const openMissionControl = vscode.l10n.t('Open Mission Control');
    const tryAnotherKey = vscode.l10n.t('Try Another Key');
    const choice = await vscode.window.showErrorMessage(message, openMissionControl, tryAnotherKey);
    if (choice === openMissionControl) {
      await this.deps.openMissionControl();
    } else if (choice === tryAnotherKey) {
      await this.logIn();
    }
  }

  private async storeChecked(
    key: string,
    baseUrl: string,
    source: KeySource,
    check: KeyCheck,
    scopes: string[] | undefined,
    origin?: string,
  ): Promise<KeyMeta | undefined> {
    // The same key as one recorded lost here or stored on another device: it keeps its name.
    const known = this.deps.store.missing().find((k) => k.fingerprint === fingerprintOf(key.trim()));
    const count = this.deps.store.list().length;
    const label = known
      ? known.label
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Avala: name this key'),
          prompt: vscode.l10n.t(
            'A label to tell this key apart, e.g. the name it has in Mission Control (production-backend, ci-pipeline).',
          ),
          value: count === 0 ? vscode.l10n.t('default') : vscode.l10n.t('key {0}', count + 1),
          ignoreFocusOut: true,
          validateInput: checkLabel,
        });
    if (label === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled: the key was not stored.'));
      return undefined;
    }
    const environment = known ? known.environment : await pickEnvironment(vscode.l10n.t('Avala: environment for "{0}"', label.trim()));
    if (!environment) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled: the key was not stored.'));
      return undefined;
    }
    let meta: KeyMeta;
    let linked: string | undefined;
    try {
      ({ meta, linked } = await this.deps.store.add({
        value: key,
        label: label.trim(),
        environment,
        baseUrl,
        source,
        scopes,
        lastCheck: check,
        storedUnchecked: check.state === 'unreachable' || undefined,
      }));
      if (linked) {
        // A relinked entry keeps its name; this log-in's check is the news.
        meta =
          (await this.deps.store.update(meta.id, { scopes, lastCheck: check, storedUnchecked: check.state === 'unreachable' })) ?? meta;
      }
    } catch (error) {
      void vscode.window.showErrorMessage(redactedMessage(error));
      return undefined;
    }
    await this.deps.store.setActive(meta.id);
    this.deps.log.info(
      `Stored key "${meta.label}" (${meta.masked}, ${meta.environment}) for ${hostOf(baseUrl)}${origin ? ` from ${origin}` : ''}; state ${check.state}.`,
    );
    const what =
      check.state === 'valid'
        ? vscode.l10n.t('checked: {0}', scopesSummary(scopes))
        : vscode.l10n.t('not checked: {0}', describeState(check.state));
    void vscode.window
      .showInformationMessage(
        linked
          ? vscode.l10n.t('Logged in with "{0}" again ({1}): it is stored on this device now and is the active key.', meta.label, what)
          : vscode.l10n.t('Logged in with "{0}" ({1}). It is now the active key.', meta.label, what),
        vscode.l10n.t('Show Keys'),
      )
      .then((a) => (a ? this.deps.reveal(meta.id) : undefined));
    return meta;
  }
}
