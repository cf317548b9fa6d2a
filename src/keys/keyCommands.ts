import * as vscode from 'vscode';
import type { AvalaApi } from '../core/api';
import type { Settings } from '../config';
import { AvalaApiError } from '../core/errors';
import { keyIdOf, type KeyArg } from '../core/keyArg';
import { hostOf } from '../core/baseUrl';
import { checkKeyShape } from '../core/keyFormat';
import { describeState, isTransientReason, type KeyCheck } from '../core/keyState';
import { KeyringError, type KeyMeta, type KeySource, type KeyStore } from '../core/keyStore';
import { redact } from '../core/redact';
import { checkEmailShape, checkPasswordLocally, fieldErrorsFromServer, labelFromEmail, type SignUpField, type SignUpForm } from './core/signupForm';
import { scopesSummary } from '../core/scopes';
import type { Log } from '../log';
import { findEnvironmentKeys, type EnvironmentKeyCandidate } from './importCandidates';
import { pickKey } from './keyPicker';
import { askText, pickEnvironment } from './prompts';

const CLIPBOARD_CLEAR_MS = 60_000;

export interface KeyCommandDeps {
  store: KeyStore;
  api: AvalaApi;
  settings: Settings;
  log: Log;
  /** Shows a key in the Keys view. */
  reveal(id: string): Promise<void>;
}

function errorText(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

/**
 * Sign up, log in, import, switch, remove, rename, copy, Mission Control. The largest part of
 * the extension and none of it runs at startup: it is a lazy chunk (see esbuild.mjs), and
 * `registerKeyCommands` (./register) registers its commands.
 */
export class KeyCommands {
  constructor(private readonly deps: KeyCommandDeps) {}

  // ---- Sign up -------------------------------------------------------------------

  /** Returns the new key's metadata, or undefined when cancelled or failed. */
  async signUp(initial?: Partial<SignUpForm>): Promise<KeyMeta | undefined> {
    let form: SignUpForm = { email: '', password: '', firstName: '', lastName: '', ...initial };
    let serverErrors: Partial<Record<SignUpField, string>> = {};
    let environment = 'development';
    // Bounded: each round needs the user to act; a pathological server cannot loop us forever.
    for (let round = 0; round < 20; round++) {
      const filled = await this.askSignUpForm(form, serverErrors);
      if (!filled) {
        return undefined;
      }
      form = filled;
      if (round === 0) {
        const env = await pickEnvironment(vscode.l10n.t('Avala: Sign Up (5/5) — environment for the new key'), environment);
        if (!env) {
          return undefined;
        }
        environment = env;
      }
      let client;
      try {
        client = this.deps.api.client();
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Cannot sign up: {0} Check the "avala.apiBaseUrl" setting.', errorText(error)), vscode.l10n.t('Open Settings')).then((a) => {
          if (a) {
            void vscode.commands.executeCommand('workbench.action.openSettings', 'avala.apiBaseUrl');
          }
        });
        return undefined;
      }
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating your Avala account at {0}…', client.host), cancellable: false },
          () => client.signUp({ email: form.email.trim(), password: form.password, firstName: form.firstName.trim() || undefined, lastName: form.lastName.trim() || undefined }),
        );
        const { meta } = await this.deps.store.add({
          value: result.apiKey,
          label: labelFromEmail(result.user.email),
          environment,
          baseUrl: client.baseUrl,
          source: 'signup',
        });
        await this.deps.store.setActive(meta.id);
        this.deps.log.info(`Signed up at ${client.host}; stored key "${meta.label}" (${meta.masked}) and made it active.`);
        const waitlist = result.user.inWaitlist ? ` ${vscode.l10n.t('Your account is on the waitlist.')}` : '';
        void vscode.window.showInformationMessage(
          redact(`${vscode.l10n.t('Welcome to Avala, {0}! Your API key is stored in VS Code\'s secret storage as "{1}" and is now the active key.', result.user.firstName || result.user.email, meta.label)}${waitlist}`),
          vscode.l10n.t('Show Keys'),
        ).then((a) => (a ? this.deps.reveal(meta.id) : undefined));
        return meta;
      } catch (error) {
        if (error instanceof KeyringError) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Your account was created, but {0}', error.message));
          return undefined;
        }
        if (!(error instanceof AvalaApiError)) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Sign-up failed: {0}', errorText(error)));
          return undefined;
        }
        this.deps.log.warn(`Sign-up failed: ${error.reason}: ${error.message}`);
        if (error.reason === 'validation') {
          const mapped = fieldErrorsFromServer(error.fieldErrors, error.detail);
          serverErrors = mapped.fields;
          const summary = [...Object.values(mapped.fields), mapped.general].filter(Boolean).join(' ');
          void vscode.window.showErrorMessage(vscode.l10n.t('Avala could not create the account: {0} Correct it and try again.', summary || error.message));
          if (Object.keys(mapped.fields).length === 0) {
            // Nothing to point at: ask again from the start with everything kept.
            serverErrors = {};
          }
          continue;
        }
        if (error.reason === 'rateLimited') {
          const seconds = error.retryAfterSeconds ?? 60;
          const choice = await vscode.window.showErrorMessage(
            vscode.l10n.t('Too many sign-up attempts: Avala allows 5 a minute from one network. Try again in {0} seconds.', seconds),
            vscode.l10n.t('Try Again'),
          );
          if (choice) {
            serverErrors = {};
            continue;
          }
          return undefined;
        }
        // rateLimited was answered above: what is left transient is Avala out of reach.
        const unreachable = isTransientReason(error.reason);
        const retry = vscode.l10n.t('Retry');
        const choice = await vscode.window.showErrorMessage(
          unreachable ? vscode.l10n.t('Cannot reach Avala to sign up: {0}', error.message) : vscode.l10n.t('Sign-up failed: {0}', error.message),
          ...(unreachable ? [retry] : []),
        );
        if (choice !== retry) {
          return undefined;
        }
        serverErrors = {};
      }
    }
    return undefined;
  }

  /** Asks each field, starting over with everything typed kept; server errors show on their fields. */
  private async askSignUpForm(previous: SignUpForm, errors: Partial<Record<SignUpField, string>>): Promise<SignUpForm | undefined> {
    const ask = (field: SignUpField, step: number, options: { prompt: string; placeHolder?: string; password?: boolean }, local: (v: string) => string | undefined) =>
      askText({ ...options, title: vscode.l10n.t('Avala: Sign Up ({0}/5)', step), value: previous[field], initialError: errors[field], validate: local });
    const email = await ask('email', 1, { prompt: vscode.l10n.t('Email address for your new Avala account'), placeHolder: vscode.l10n.t('dev@acme.com') }, checkEmailShape);
    if (email === undefined) {
      return undefined;
    }
    const password = await ask('password', 2, { prompt: vscode.l10n.t('Choose a password (at least 8 characters). It is sent once over HTTPS and never stored.'), password: true }, checkPasswordLocally);
    if (password === undefined) {
      return undefined;
    }
    const firstName = await ask('firstName', 3, { prompt: vscode.l10n.t('First name (optional — press Enter to skip)') }, () => undefined);
    if (firstName === undefined) {
      return undefined;
    }
    const lastName = await ask('lastName', 4, { prompt: vscode.l10n.t('Last name (optional — press Enter to skip)') }, () => undefined);
    if (lastName === undefined) {
      return undefined;
    }
    return { email: email.trim(), password, firstName, lastName };
  }

  // ---- Log in --------------------------------------------------------------------

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
        .showInformationMessage(vscode.l10n.t('That key is already stored as "{0}".', existing.label), ...(active ? [] : [vscode.l10n.t('Set Active')]))
        .then((a) => (a ? this.deps.store.setActive(existing.id) : undefined));
      return existing;
    }

    let client;
    try {
      client = this.deps.api.client();
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot check the key: {0} Check the "avala.apiBaseUrl" setting.', errorText(error)));
      return undefined;
    }

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
          void vscode.window.showErrorMessage(vscode.l10n.t('The key could not be checked: {0}', errorText(error)));
          return undefined;
        }
        switch (error.reason) {
          case 'invalidKey':
            void this.rejected(vscode.l10n.t('Avala rejected this key: "{0}" It is mistyped, or it was revoked. Nothing was stored.', error.detail ?? error.message));
            return undefined;
          case 'expiredKey':
            void this.rejected(vscode.l10n.t('Avala says this key has expired: "{0}" Regenerate it in Mission Control, then log in with the new key. Nothing was stored.', error.detail ?? error.message));
            return undefined;
          case 'missingKey':
            void vscode.window.showErrorMessage(vscode.l10n.t('The key did not reach Avala ("{0}"): a proxy between VS Code and {1} may strip the X-Avala-Api-Key header. Nothing was stored.', error.detail ?? error.message, client.host));
            return undefined;
          case 'forbidden':
            // The key authenticated; it only may not read its own permissions.
            check = { state: 'forbidden', at: new Date().toISOString(), detail: error.detail };
            break;
          case 'rateLimited': {
            const retry = vscode.l10n.t('Retry');
            const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Avala is throttling requests; try again in {0} seconds. Nothing was stored.', error.retryAfterSeconds ?? 60), retry);
            if (choice === retry) {
              continue;
            }
            return undefined;
          }
          case 'insecureUrl':
            void vscode.window.showErrorMessage(vscode.l10n.t('Cannot check the key: {0}', error.message));
            return undefined;
          default: {
            const retry = vscode.l10n.t('Retry');
            const storeUnchecked = vscode.l10n.t('Store Unchecked');
            const choice = await vscode.window.showWarningMessage(
              vscode.l10n.t('Cannot reach Avala at {0} to check the key: {1} You can store it unchecked and check it later.', client.host, error.message),
              retry,
              storeUnchecked,
            );
            if (choice === retry) {
              continue;
            }
            if (choice !== storeUnchecked) {
              return undefined;
            }
            check = { state: 'unreachable', at: new Date().toISOString(), detail: error.message };
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
      await this.openMissionControl();
    } else if (choice === tryAnotherKey) {
      await this.logIn();
    }
  }

  private async storeChecked(key: string, baseUrl: string, source: KeySource, check: KeyCheck, scopes: string[] | undefined, origin?: string): Promise<KeyMeta | undefined> {
    const count = this.deps.store.list().length;
    const label = await vscode.window.showInputBox({
      title: vscode.l10n.t('Avala: name this key'),
      prompt: vscode.l10n.t('A label to tell this key apart, e.g. the name it has in Mission Control (production-backend, ci-pipeline).'),
      value: count === 0 ? vscode.l10n.t('default') : vscode.l10n.t('key {0}', count + 1),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Enter a label.') : v.trim().length > 60 ? vscode.l10n.t('Keep it under 60 characters.') : undefined),
    });
    if (label === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled: the key was not stored.'));
      return undefined;
    }
    const environment = await pickEnvironment(vscode.l10n.t('Avala: environment for "{0}"', label.trim()));
    if (!environment) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled: the key was not stored.'));
      return undefined;
    }
    let meta: KeyMeta;
    try {
      ({ meta } = await this.deps.store.add({
        value: key,
        label: label.trim(),
        environment,
        baseUrl,
        source,
        scopes,
        lastCheck: check,
        storedUnchecked: check.state === 'unreachable' || undefined,
      }));
    } catch (error) {
      void vscode.window.showErrorMessage(errorText(error));
      return undefined;
    }
    await this.deps.store.setActive(meta.id);
    this.deps.log.info(`Stored key "${meta.label}" (${meta.masked}, ${meta.environment}) for ${hostOf(baseUrl)}${origin ? ` from ${origin}` : ''}; state ${check.state}.`);
    const what = check.state === 'valid' ? vscode.l10n.t('checked: {0}', scopesSummary(scopes)) : vscode.l10n.t('not checked: {0}', describeState(check.state));
    void vscode.window.showInformationMessage(vscode.l10n.t('Logged in with "{0}" ({1}). It is now the active key.', meta.label, what), vscode.l10n.t('Show Keys')).then((a) => (a ? this.deps.reveal(meta.id) : undefined));
    return meta;
  }

  // ---- Import --------------------------------------------------------------------

  async importFromEnvironment(): Promise<KeyMeta | undefined> {
    const candidates = await findEnvironmentKeys();
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No AVALA_API_KEY found in VS Code\'s environment or in a .env file of this workspace.'), vscode.l10n.t('Log In with API Key')).then((a) =>
        a ? this.logIn() : undefined,
      );
      return undefined;
    }
    const items = candidates.map((candidate) => {
      const stored = this.deps.store.findByValue(candidate.value);
      return {
        label: candidate.where,
        description: candidate.masked,
        detail: stored ? vscode.l10n.t('Already stored as "{0}"', stored.label) : vscode.l10n.t('Move into secret storage'),
        candidate,
      };
    });
    const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Avala: Import Key from Environment'), placeHolder: vscode.l10n.t('Which key should move into secret storage?') });
    if (!picked) {
      return undefined;
    }
    const meta = await this.logIn(picked.candidate.value, 'import', picked.candidate.where);
    if (meta) {
      await this.adviseRemoval(picked.candidate);
    }
    return meta;
  }

  private async adviseRemoval(candidate: EnvironmentKeyCandidate): Promise<void> {
    if (!candidate.file) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('The key is now in secret storage. Remove "export AVALA_API_KEY=…" from your shell profile: Avala puts the key into VS Code terminals for you.'),
      );
      return;
    }
    const file = candidate.file;
    const deleteLine = vscode.l10n.t('Delete the Line');
    const openFile = vscode.l10n.t('Open File');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The key is now in secret storage. Delete AVALA_API_KEY from {0}: a key in a file is easily committed or shared.', vscode.workspace.asRelativePath(file)),
      deleteLine,
      openFile,
    );
    if (choice === openFile) {
      const doc = await vscode.workspace.openTextDocument(file);
      const line = candidate.line ?? 0;
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, doc.lineAt(line).text.length) });
    } else if (choice === deleteLine && candidate.line !== undefined) {
      const doc = await vscode.workspace.openTextDocument(file);
      const edit = new vscode.WorkspaceEdit();
      edit.delete(file, doc.lineAt(candidate.line).rangeIncludingLineBreak);
      if (await vscode.workspace.applyEdit(edit)) {
        await doc.save();
        void vscode.window.showInformationMessage(vscode.l10n.t('Removed AVALA_API_KEY from {0}.', vscode.workspace.asRelativePath(file)));
      }
    }
  }

  // ---- Switch, remove, rename, copy ------------------------------------------------

  private async resolveKey(arg: KeyArg, title: string, placeHolder: string): Promise<KeyMeta | undefined> {
    const id = keyIdOf(arg);
    if (id) {
      await this.deps.store.ready;
      return this.deps.store.get(id);
    }
    return pickKey(this.deps.store, { title, placeHolder, current: this.deps.store.activeId() });
  }

  async switchKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    const meta = await this.resolveKey(arg, vscode.l10n.t('Avala: Switch Active Key'), vscode.l10n.t('Choose the key terminals, debug sessions and the status bar use'));
    if (!meta) {
      return undefined;
    }
    await this.deps.store.setActive(meta.id);
    this.deps.log.info(`Active key is now "${meta.label}" (${meta.masked}).`);
    return meta;
  }

  async removeKey(arg?: KeyArg): Promise<boolean> {
    const meta = await this.resolveKey(arg, vscode.l10n.t('Avala: Remove Key'), vscode.l10n.t('Choose the key to remove from VS Code'));
    if (!meta) {
      return false;
    }
    const remove = vscode.l10n.t('Remove');
    const removeAndOpen = vscode.l10n.t('Remove and Open Mission Control');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}" ({1}) from VS Code?', meta.label, meta.masked),
      {
        modal: true,
        detail: vscode.l10n.t('Removing does not revoke the key: it keeps working for anyone who has a copy. To revoke it, use Mission Control → Settings → Security.'),
      },
      remove,
      removeAndOpen,
    );
    if (!choice) {
      return false;
    }
    await this.deps.store.remove(meta.id);
    this.deps.log.info(`Removed key "${meta.label}" (${meta.masked}) from secret storage; it was not revoked.`);
    if (choice === removeAndOpen) {
      await this.openMissionControl();
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Removed "{0}" from VS Code. It is not revoked.', meta.label), vscode.l10n.t('Revoke in Mission Control')).then((a) => (a ? this.openMissionControl() : undefined));
    }
    return true;
  }

  async renameKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    const meta = await this.resolveKey(arg, vscode.l10n.t('Avala: Rename Key'), vscode.l10n.t('Choose the key to rename'));
    if (!meta) {
      return undefined;
    }
    const label = await vscode.window.showInputBox({
      title: vscode.l10n.t('Avala: Rename "{0}"', meta.label),
      value: meta.label,
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Enter a label.') : v.trim().length > 60 ? vscode.l10n.t('Keep it under 60 characters.') : undefined),
    });
    if (label === undefined || label.trim() === meta.label) {
      return undefined;
    }
    return this.deps.store.update(meta.id, { label: label.trim() });
  }

  async copyKey(arg?: KeyArg): Promise<boolean> {
    await this.deps.store.ready;
    const id = keyIdOf(arg) ?? this.deps.store.activeId();
    const meta = id ? this.deps.store.get(id) : undefined;
    if (!meta) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no active Avala key to copy.'), vscode.l10n.t('Log In with API Key')).then((a) => (a ? this.logIn() : undefined));
      return false;
    }
    let value: string;
    try {
      ({ value } = await this.deps.store.readKey(meta.id));
    } catch (error) {
      void vscode.window.showErrorMessage(errorText(error));
      return false;
    }
    await vscode.env.clipboard.writeText(value);
    this.deps.log.info(`Copied key "${meta.label}" to the clipboard; it is cleared in 60 s.`);
    const copied = value;
    setTimeout(() => {
      void vscode.env.clipboard.readText().then((current) => (current === copied ? vscode.env.clipboard.writeText('') : undefined));
    }, CLIPBOARD_CLEAR_MS);
    void vscode.window.showInformationMessage(vscode.l10n.t('Copied "{0}". The clipboard is cleared in 60 seconds if it still holds the key.', meta.label));
    return true;
  }

  async openMissionControl(): Promise<void> {
    const url = this.deps.settings.current.missionControlUrl;
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
}
