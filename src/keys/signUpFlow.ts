import * as vscode from 'vscode';
import type { AvalaApi } from '../core/api';
import { AvalaApiError } from '../core/errors';
import { isTransientReason } from '../core/keyState';
import { type KeyMeta } from '../core/keyIndex';
import { KeyringError, type KeyStore } from '../core/keyStore';
import { redact, redactedMessage } from '../core/redact';
import type { Log } from '../log';
import {
  checkEmailShape,
  checkPasswordLocally,
  fieldErrorsFromServer,
  labelFromEmail,
  type SignUpField,
  type SignUpForm,
} from './core/signupForm';
import { askText, pickEnvironment } from './prompts';

export interface SignUpDeps {
  store: KeyStore;
  api: AvalaApi;
  log: Log;
  /** Shows a key in the Keys view. */
  reveal(id: string): Promise<void>;
}

/** "Avala: Sign Up": creates an Avala account and stores its first key as the active one. */
export class SignUpFlow {
  constructor(private readonly deps: SignUpDeps) {}

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
        void vscode.window
          .showErrorMessage(
            vscode.l10n.t('Cannot sign up: {0} Check the "avala.apiBaseUrl" setting.', redactedMessage(error)),
            vscode.l10n.t('Open Settings'),
          )
          .then((a) => {
            if (a) {
              void vscode.commands.executeCommand('workbench.action.openSettings', 'avala.apiBaseUrl');
            }
          });
        return undefined;
      }
      try {
        const result = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: vscode.l10n.t('Creating your Avala account at {0}…', client.host),
            cancellable: false,
          },
          () =>
            client.signUp({
              email: form.email.trim(),
              password: form.password,
              firstName: form.firstName.trim() || undefined,
              lastName: form.lastName.trim() || undefined,
            }),
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
        void vscode.window
          .showInformationMessage(
            redact(
              `${vscode.l10n.t('Welcome to Avala, {0}! Your API key is stored in VS Code\'s secret storage as "{1}" and is now the active key.', result.user.firstName || result.user.email, meta.label)}${waitlist}`,
            ),
            vscode.l10n.t('Show Keys'),
          )
          .then((a) => (a ? this.deps.reveal(meta.id) : undefined));
        return meta;
      } catch (error) {
        if (error instanceof KeyringError) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Your account was created, but {0}', error.message));
          return undefined;
        }
        if (!(error instanceof AvalaApiError)) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Sign-up failed: {0}', redactedMessage(error)));
          return undefined;
        }
        this.deps.log.warn(`Sign-up failed: ${error.reason}: ${error.message}`);
        if (error.reason === 'validation') {
          const mapped = fieldErrorsFromServer(error.fieldErrors, error.detail);
          serverErrors = mapped.fields;
          const summary = [...Object.values(mapped.fields), mapped.general].filter(Boolean).join(' ');
          void vscode.window.showErrorMessage(
            vscode.l10n.t('Avala could not create the account: {0} Correct it and try again.', summary || error.message),
          );
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
          unreachable
            ? vscode.l10n.t('Cannot reach Avala to sign up: {0}', error.message)
            : vscode.l10n.t('Sign-up failed: {0}', error.message),
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
    const ask = (
      field: SignUpField,
      step: number,
      options: { prompt: string; placeHolder?: string; password?: boolean },
      local: (v: string) => string | undefined,
    ) =>
      askText({
        ...options,
        title: vscode.l10n.t('Avala: Sign Up ({0}/5)', step),
        value: previous[field],
        initialError: errors[field],
        validate: local,
      });
    const email = await ask(
      'email',
      1,
      { prompt: vscode.l10n.t('Email address for your new Avala account'), placeHolder: vscode.l10n.t('dev@acme.com') },
      checkEmailShape,
    );
    if (email === undefined) {
      return undefined;
    }
    const password = await ask(
      'password',
      2,
      { prompt: vscode.l10n.t('Choose a password (at least 8 characters). It is sent once over HTTPS and never stored.'), password: true },
      checkPasswordLocally,
    );
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
}
