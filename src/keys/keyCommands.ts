import * as vscode from 'vscode';
import type { AvalaApi } from '../api';
import type { Settings } from '../config';
import { AvalaApiError } from '../core/errors';
import { checkKeyShape } from '../core/keyFormat';
import { describeState, type KeyCheck } from '../core/keyState';
import { KeyringError, type KeyMeta, type KeySource, type KeyStore } from '../core/keyStore';
import { redact } from '../core/redact';
import { checkEmailShape, checkPasswordLocally, fieldErrorsFromServer, labelFromEmail, type SignUpField, type SignUpForm } from '../core/signupForm';
import { scopesSummary } from '../core/scopes';
import type { Log } from '../log';
import { findEnvironmentKeys, type EnvironmentKeyCandidate } from './importCandidates';
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

/** Something a tree item or a command argument can carry. */
export type KeyArg = string | { keyId?: string; id?: string } | undefined;

function idOf(arg: KeyArg): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  return arg?.keyId ?? arg?.id;
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
        const env = await pickEnvironment('Avala: Sign Up (5/5) — environment for the new key', environment);
        if (!env) {
          return undefined;
        }
        environment = env;
      }
      let client;
      try {
        client = this.deps.api.client();
      } catch (error) {
        void vscode.window.showErrorMessage(`Cannot sign up: ${errorText(error)} Check the "avala.apiBaseUrl" setting.`, 'Open Settings').then((a) => {
          if (a) {
            void vscode.commands.executeCommand('workbench.action.openSettings', 'avala.apiBaseUrl');
          }
        });
        return undefined;
      }
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Creating your Avala account at ${client.host}…`, cancellable: false },
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
        const waitlist = result.user.inWaitlist ? ' Your account is on the waitlist.' : '';
        void vscode.window.showInformationMessage(
          redact(`Welcome to Avala, ${result.user.firstName || result.user.email}! Your API key is stored in VS Code's secret storage as "${meta.label}" and is now the active key.${waitlist}`),
          'Show Keys',
        ).then((a) => (a ? this.deps.reveal(meta.id) : undefined));
        return meta;
      } catch (error) {
        if (error instanceof KeyringError) {
          void vscode.window.showErrorMessage(`Your account was created, but ${error.message}`);
          return undefined;
        }
        if (!(error instanceof AvalaApiError)) {
          void vscode.window.showErrorMessage(`Sign-up failed: ${errorText(error)}`);
          return undefined;
        }
        this.deps.log.warn(`Sign-up failed: ${error.reason}: ${error.message}`);
        if (error.reason === 'validation') {
          const mapped = fieldErrorsFromServer(error.fieldErrors, error.detail);
          serverErrors = mapped.fields;
          const summary = [...Object.values(mapped.fields), mapped.general].filter(Boolean).join(' ');
          void vscode.window.showErrorMessage(`Avala could not create the account: ${summary || error.message} Correct it and try again.`);
          if (Object.keys(mapped.fields).length === 0) {
            // Nothing to point at: ask again from the start with everything kept.
            serverErrors = {};
          }
          continue;
        }
        if (error.reason === 'rateLimited') {
          const seconds = error.retryAfterSeconds ?? 60;
          const choice = await vscode.window.showErrorMessage(
            `Too many sign-up attempts: Avala allows 5 a minute from one network. Try again in ${seconds} seconds.`,
            'Try Again',
          );
          if (choice) {
            serverErrors = {};
            continue;
          }
          return undefined;
        }
        const reachable = ['network', 'timeout', 'server', 'malformedResponse', 'redirect'].includes(error.reason);
        const choice = await vscode.window.showErrorMessage(
          reachable ? `Cannot reach Avala to sign up: ${error.message}` : `Sign-up failed: ${error.message}`,
          ...(reachable ? ['Retry'] : []),
        );
        if (choice !== 'Retry') {
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
      askText({ ...options, title: `Avala: Sign Up (${step}/5)`, value: previous[field], initialError: errors[field], validate: local });
    const email = await ask('email', 1, { prompt: 'Email address for your new Avala account', placeHolder: 'dev@acme.com' }, checkEmailShape);
    if (email === undefined) {
      return undefined;
    }
    const password = await ask('password', 2, { prompt: 'Choose a password (at least 8 characters). It is sent once over HTTPS and never stored.', password: true }, checkPasswordLocally);
    if (password === undefined) {
      return undefined;
    }
    const firstName = await ask('firstName', 3, { prompt: 'First name (optional — press Enter to skip)' }, () => undefined);
    if (firstName === undefined) {
      return undefined;
    }
    const lastName = await ask('lastName', 4, { prompt: 'Last name (optional — press Enter to skip)' }, () => undefined);
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
        title: 'Avala: Log In with API Key',
        prompt: 'Paste an Avala API key. Keys are created in Mission Control → Settings → Security and shown only once.',
        placeHolder: 'avk_…',
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
      void vscode.window.showErrorMessage(`That key was not stored: ${shape.message}`);
      return undefined;
    }
    const key = shape.key;
    const existing = this.deps.store.findByValue(key);
    if (existing) {
      await this.deps.reveal(existing.id);
      const active = this.deps.store.activeId() === existing.id;
      void vscode.window
        .showInformationMessage(`That key is already stored as "${existing.label}".`, ...(active ? [] : ['Set Active']))
        .then((a) => (a ? this.deps.store.setActive(existing.id) : undefined));
      return existing;
    }

    let client;
    try {
      client = this.deps.api.client();
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot check the key: ${errorText(error)} Check the "avala.apiBaseUrl" setting.`);
      return undefined;
    }

    // Bounded retries: each needs the user to press Retry.
    for (let attempt = 0; attempt < 20; attempt++) {
      let check: KeyCheck;
      let scopes: string[] | undefined;
      try {
        const permissions = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Checking the key with Avala at ${client.host}…` },
          () => client.getPermissions(key),
        );
        scopes = permissions.scopes;
        check = { state: 'valid', at: new Date().toISOString() };
      } catch (error) {
        if (!(error instanceof AvalaApiError)) {
          void vscode.window.showErrorMessage(`The key could not be checked: ${errorText(error)}`);
          return undefined;
        }
        switch (error.reason) {
          case 'invalidKey':
            void this.rejected(`Avala rejected this key: "${error.detail ?? error.message}" It is mistyped, or it was revoked. Nothing was stored.`);
            return undefined;
          case 'expiredKey':
            void this.rejected(`Avala says this key has expired: "${error.detail ?? error.message}" Regenerate it in Mission Control, then log in with the new key. Nothing was stored.`);
            return undefined;
          case 'missingKey':
            void vscode.window.showErrorMessage(`The key did not reach Avala ("${error.detail ?? error.message}"): a proxy between VS Code and ${client.host} may strip the X-Avala-Api-Key header. Nothing was stored.`);
            return undefined;
          case 'forbidden':
            // The key authenticated; it only may not read its own permissions.
            check = { state: 'forbidden', at: new Date().toISOString(), detail: error.detail };
            break;
          case 'rateLimited': {
            const choice = await vscode.window.showWarningMessage(`Avala is throttling requests; try again in ${error.retryAfterSeconds ?? 60} seconds. Nothing was stored.`, 'Retry');
            if (choice === 'Retry') {
              continue;
            }
            return undefined;
          }
          case 'insecureUrl':
            void vscode.window.showErrorMessage(`Cannot check the key: ${error.message}`);
            return undefined;
          default: {
            const choice = await vscode.window.showWarningMessage(
              `Cannot reach Avala at ${client.host} to check the key: ${error.message} You can store it unchecked and check it later.`,
              'Retry',
              'Store Unchecked',
            );
            if (choice === 'Retry') {
              continue;
            }
            if (choice !== 'Store Unchecked') {
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
    const choice = await vscode.window.showErrorMessage(message, 'Open Mission Control', 'Try Another Key');
    if (choice === 'Open Mission Control') {
      await this.openMissionControl();
    } else if (choice === 'Try Another Key') {
      await this.logIn();
    }
  }

  private async storeChecked(key: string, baseUrl: string, source: KeySource, check: KeyCheck, scopes: string[] | undefined, origin?: string): Promise<KeyMeta | undefined> {
    const count = this.deps.store.list().length;
    const label = await vscode.window.showInputBox({
      title: 'Avala: name this key',
      prompt: 'A label to tell this key apart, e.g. the name it has in Mission Control (production-backend, ci-pipeline).',
      value: count === 0 ? 'default' : `key ${count + 1}`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'Enter a label.' : v.trim().length > 60 ? 'Keep it under 60 characters.' : undefined),
    });
    if (label === undefined) {
      void vscode.window.showInformationMessage('Cancelled: the key was not stored.');
      return undefined;
    }
    const environment = await pickEnvironment(`Avala: environment for "${label.trim()}"`);
    if (!environment) {
      void vscode.window.showInformationMessage('Cancelled: the key was not stored.');
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
    this.deps.log.info(`Stored key "${meta.label}" (${meta.masked}, ${meta.environment}) for ${new URL(baseUrl).host}${origin ? ` from ${origin}` : ''}; state ${check.state}.`);
    const what = check.state === 'valid' ? `checked: ${scopesSummary(scopes)}` : `not checked: ${describeState(check.state)}`;
    void vscode.window.showInformationMessage(`Logged in with "${meta.label}" (${what}). It is now the active key.`, 'Show Keys').then((a) => (a ? this.deps.reveal(meta.id) : undefined));
    return meta;
  }

  // ---- Import --------------------------------------------------------------------

  async importFromEnvironment(): Promise<KeyMeta | undefined> {
    const candidates = await findEnvironmentKeys();
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('No AVALA_API_KEY found in VS Code\'s environment or in a .env file of this workspace.', 'Log In with API Key').then((a) =>
        a ? this.logIn() : undefined,
      );
      return undefined;
    }
    const items = candidates.map((candidate) => {
      const stored = this.deps.store.findByValue(candidate.value);
      return {
        label: candidate.where,
        description: candidate.masked,
        detail: stored ? `Already stored as "${stored.label}"` : 'Move into secret storage',
        candidate,
      };
    });
    const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Avala: Import Key from Environment', placeHolder: 'Which key should move into secret storage?' });
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
        'The key is now in secret storage. Remove "export AVALA_API_KEY=…" from your shell profile: Avala puts the key into VS Code terminals for you.',
      );
      return;
    }
    const file = candidate.file;
    const choice = await vscode.window.showWarningMessage(
      `The key is now in secret storage. Delete AVALA_API_KEY from ${vscode.workspace.asRelativePath(file)}: a key in a file is easily committed or shared.`,
      'Delete the Line',
      'Open File',
    );
    if (choice === 'Open File') {
      const doc = await vscode.workspace.openTextDocument(file);
      const line = candidate.line ?? 0;
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, doc.lineAt(line).text.length) });
    } else if (choice === 'Delete the Line' && candidate.line !== undefined) {
      const doc = await vscode.workspace.openTextDocument(file);
      const edit = new vscode.WorkspaceEdit();
      edit.delete(file, doc.lineAt(candidate.line).rangeIncludingLineBreak);
      if (await vscode.workspace.applyEdit(edit)) {
        await doc.save();
        void vscode.window.showInformationMessage(`Removed AVALA_API_KEY from ${vscode.workspace.asRelativePath(file)}.`);
      }
    }
  }

  // ---- Switch, remove, rename, copy ------------------------------------------------

  private async pickKey(title: string, placeHolder: string): Promise<KeyMeta | undefined> {
    await this.deps.store.ready;
    const keys = this.deps.store.list();
    if (keys.length === 0) {
      const choice = await vscode.window.showInformationMessage('No Avala keys are stored yet.', 'Log In with API Key', 'Sign Up');
      if (choice === 'Log In with API Key') {
        await this.logIn();
      } else if (choice === 'Sign Up') {
        await this.signUp();
      }
      return undefined;
    }
    const activeId = this.deps.store.activeId();
    const picked = await vscode.window.showQuickPick(
      keys.map((k) => ({
        label: `${k.id === activeId ? '$(check) ' : ''}${k.label}`,
        description: `${k.environment} · ${k.masked}`,
        detail: k.lastCheck ? `${describeState(k.lastCheck.state)} · ${new URL(k.baseUrl).host}` : `not checked yet · ${new URL(k.baseUrl).host}`,
        id: k.id,
      })),
      { title, placeHolder, matchOnDescription: true },
    );
    return picked ? this.deps.store.get(picked.id) : undefined;
  }

  private async resolveKey(arg: KeyArg, title: string, placeHolder: string): Promise<KeyMeta | undefined> {
    const id = idOf(arg);
    if (id) {
      await this.deps.store.ready;
      return this.deps.store.get(id);
    }
    return this.pickKey(title, placeHolder);
  }

  async switchKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    const meta = await this.resolveKey(arg, 'Avala: Switch Active Key', 'Choose the key terminals, debug sessions and the status bar use');
    if (!meta) {
      return undefined;
    }
    await this.deps.store.setActive(meta.id);
    this.deps.log.info(`Active key is now "${meta.label}" (${meta.masked}).`);
    return meta;
  }

  async removeKey(arg?: KeyArg): Promise<boolean> {
    const meta = await this.resolveKey(arg, 'Avala: Remove Key', 'Choose the key to remove from VS Code');
    if (!meta) {
      return false;
    }
    const choice = await vscode.window.showWarningMessage(
      `Remove "${meta.label}" (${meta.masked}) from VS Code?`,
      {
        modal: true,
        detail: 'Removing does not revoke the key: it keeps working for anyone who has a copy. To revoke it, use Mission Control → Settings → Security.',
      },
      'Remove',
      'Remove and Open Mission Control',
    );
    if (!choice) {
      return false;
    }
    await this.deps.store.remove(meta.id);
    this.deps.log.info(`Removed key "${meta.label}" (${meta.masked}) from secret storage; it was not revoked.`);
    if (choice === 'Remove and Open Mission Control') {
      await this.openMissionControl();
    } else {
      void vscode.window.showInformationMessage(`Removed "${meta.label}" from VS Code. It is not revoked.`, 'Revoke in Mission Control').then((a) => (a ? this.openMissionControl() : undefined));
    }
    return true;
  }

  async renameKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    const meta = await this.resolveKey(arg, 'Avala: Rename Key', 'Choose the key to rename');
    if (!meta) {
      return undefined;
    }
    const label = await vscode.window.showInputBox({
      title: `Avala: Rename "${meta.label}"`,
      value: meta.label,
      validateInput: (v) => (v.trim() === '' ? 'Enter a label.' : v.trim().length > 60 ? 'Keep it under 60 characters.' : undefined),
    });
    if (label === undefined || label.trim() === meta.label) {
      return undefined;
    }
    return this.deps.store.update(meta.id, { label: label.trim() });
  }

  async copyKey(arg?: KeyArg): Promise<boolean> {
    await this.deps.store.ready;
    const id = idOf(arg) ?? this.deps.store.activeId();
    const meta = id ? this.deps.store.get(id) : undefined;
    if (!meta) {
      void vscode.window.showInformationMessage('There is no active Avala key to copy.', 'Log In with API Key').then((a) => (a ? this.logIn() : undefined));
      return false;
    }
    let value: string | undefined;
    try {
      value = await this.deps.store.getValue(meta.id);
    } catch (error) {
      void vscode.window.showErrorMessage(errorText(error));
      return false;
    }
    if (value === undefined) {
      void vscode.window.showErrorMessage(`The value of "${meta.label}" is missing from secret storage. Remove the entry and log in again.`);
      return false;
    }
    await vscode.env.clipboard.writeText(value);
    this.deps.log.info(`Copied key "${meta.label}" to the clipboard; it is cleared in 60 s.`);
    const copied = value;
    setTimeout(() => {
      void vscode.env.clipboard.readText().then((current) => (current === copied ? vscode.env.clipboard.writeText('') : undefined));
    }, CLIPBOARD_CLEAR_MS);
    void vscode.window.showInformationMessage(`Copied "${meta.label}". The clipboard is cleared in 60 seconds if it still holds the key.`);
    return true;
  }

  async openMissionControl(): Promise<void> {
    const url = this.deps.settings.current.missionControlUrl;
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
}
