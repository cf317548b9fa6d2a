// The composition root: builds the few services and hands each feature what it needs.
import * as vscode from 'vscode';
import { AvalaApi } from './api';
import { Settings } from './config';
import { closeSharedTransports } from './core/client';
import { KeyStore } from './core/keyStore';
import { registerEcosystem } from './ecosystem/register';
import { registerInjection } from './inject/register';
import { KeyCommands } from './keys/keyCommands';
import { KeysTree } from './keys/keysTree';
import { Log } from './log';
import { registerSecurity } from './security/register';
import { registerValidation } from './validation/register';
import { KeyValidator } from './validation/keyValidator';

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const settings = new Settings();
  const store = new KeyStore(context.secrets, context.workspaceState, context.globalState);
  const api = new AvalaApi(() => settings.current, log);
  const validator = new KeyValidator(store, api, log);
  const tree = new KeysTree(store, settings, validator);
  const commands = new KeyCommands({ store, api, settings, log, reveal: (id) => tree.reveal(id) });
  context.subscriptions.push(log, settings, store, validator, tree, ...commands.register(), vscode.commands.registerCommand('avala.refreshKeys', () => tree.refresh()));

  const services = { context, log, settings, store, api, validator, commands };
  context.subscriptions.push(...registerValidation(services), ...registerInjection(services));
  context.subscriptions.push(...registerSecurity(services));
  context.subscriptions.push(...registerEcosystem(services));

  void store.ready.then(() => {
    if (store.loadError) {
      log.error(store.loadError.message);
      void vscode.window.showErrorMessage(store.loadError.message);
    }
    log.info(`Avala activated: ${store.list().length} stored key(s); API at ${new URL(settings.current.apiBaseUrl).host}.`);
  });
}

export function deactivate(): Promise<void> {
  return closeSharedTransports();
}
