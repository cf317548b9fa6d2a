import type { AvalaApi } from '../core/api';
import type { Settings } from '../config';
import type { KeyArg } from '../core/keyArg';
import type { KeyMeta, KeySource } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import type { Log } from '../log';
import type { SignUpForm } from './core/signupForm';
import { cleanUpSecretStorage } from './cleanUpSecrets';
import { ImportFlow } from './importFlow';
import { LogInFlow } from './logInFlow';
import { forgetMissing, reportLost } from './lostKeys';
import { ManageKeys } from './manageKeys';
import { SignUpFlow } from './signUpFlow';

export interface KeyCommandDeps {
  store: KeyStore;
  api: AvalaApi;
  settings: Settings;
  log: Log;
  /** Shows a key in the Keys view. */
  reveal(id: string): Promise<void>;
}

/**
 * Sign up, log in, import, switch, remove, rename, copy, Mission Control: the flows, each
 * given only what it needs. The largest part of the extension and none of it runs at
 * startup: this module is a lazy chunk's entry (see esbuild.mjs), and `registerKeyCommands`
 * (./registerKeyCommands) registers its commands.
 */
export class KeyCommands {
  private readonly signUpFlow: SignUpFlow;
  private readonly logInFlow: LogInFlow;
  private readonly importFlow: ImportFlow;
  private readonly manageKeys: ManageKeys;
  private readonly deps: KeyCommandDeps;

  constructor(deps: KeyCommandDeps) {
    this.deps = deps;
    const { store, api, settings, log, reveal } = deps;
    const logIn = (prefilled?: string, source?: KeySource, origin?: string) => this.logIn(prefilled, source, origin);
    this.manageKeys = new ManageKeys({ store, log, logIn: () => logIn(), missionControlUrl: () => settings.current.missionControlUrl });
    this.signUpFlow = new SignUpFlow({ store, api, log, reveal });
    this.logInFlow = new LogInFlow({ store, api, log, reveal, openMissionControl: () => this.openMissionControl() });
    this.importFlow = new ImportFlow({ store, logIn });
  }

  /** Returns the new key's metadata, or undefined when cancelled or failed. */
  signUp(initial?: Partial<SignUpForm>): Promise<KeyMeta | undefined> {
    return this.signUpFlow.signUp(initial);
  }

  /** Checks a pasted key against the API, then stores it. Returns the stored key's metadata. */
  logIn(prefilled?: string, source: KeySource = 'login', origin?: string): Promise<KeyMeta | undefined> {
    return this.logInFlow.logIn(prefilled, source, origin);
  }

  importFromEnvironment(): Promise<KeyMeta | undefined> {
    return this.importFlow.importFromEnvironment();
  }

  switchKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    return this.manageKeys.switchKey(arg);
  }

  removeKey(arg?: KeyArg): Promise<boolean> {
    return this.manageKeys.removeKey(arg);
  }

  renameKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    return this.manageKeys.renameKey(arg);
  }

  copyKey(arg?: KeyArg): Promise<boolean> {
    return this.manageKeys.copyKey(arg);
  }

  /** Answers the names of the secrets deleted. */
  cleanUpSecretStorage(): Promise<string[]> {
    return cleanUpSecretStorage({ store: this.deps.store, log: this.deps.log });
  }

  /** The one message about keys secret storage lost, with Log In Again / Forget Them. */
  reportLostKeys(): Promise<void> {
    return reportLost(this.deps.store, this.deps.log);
  }

  /** Forgets one recorded missing key, or every lost one. */
  forgetMissingKeys(id?: string): Promise<void> {
    return forgetMissing(this.deps.store, this.deps.log, id);
  }

  openMissionControl(): Promise<void> {
    return this.manageKeys.openMissionControl();
  }
}
