import type * as vscode from 'vscode';
import type { AvalaApi } from './core/api';
import type { Settings } from './config';
import type { KeyStore } from './core/keyStore';
import type { Lazy } from './core/lazy';
import type { Ipv6LoopbackNotice } from './inject/loopbackNotice';
import type { KeyCommands } from './keys/keyCommands';
import type { Log } from './log';
import type { KeyValidator } from './validation/core/keyValidator';

/** What every feature's `register…(services)` receives from the composition root. */
export interface Services {
  context: vscode.ExtensionContext;
  log: Log;
  settings: Settings;
  store: KeyStore;
  api: AvalaApi;
  validator: KeyValidator;
  /** Sign up, log in, import and the rest: their module loads on first `.value`. */
  commands: Lazy<KeyCommands>;
  /** Wherever AVALA_BASE_URL is handed out: warns once about `http://[::1]`. */
  loopbackNotice: Lazy<Ipv6LoopbackNotice>;
}
