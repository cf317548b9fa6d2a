import * as vscode from 'vscode';
import type { Services } from '../services';
import type { KeyArg } from '../core/keyArg';
import type { InjectionCommands } from './commands';
import type { DebugKeyProvider } from './debugProvider';
import { disposeIfLoaded, Lazy } from '../core/lazy';
import type { KeyAccessGate } from './keyAccess';
import type { TerminalKeyInjector } from './terminalInjector';

/** Terminals, debug sessions and tasks get a key through their environment, never a file. */
/** The commands key injection registers; a host without terminals answers them with one line (keys/desktopOnly). */
export const INJECTION_COMMANDS: readonly string[] = [
  'avala.apiKey',
  'avala.pickKey',
  'avala.openTerminalWithKey',
  'avala.setFolderKey',
  'avala.manageWorkspaceKeyAccess',
];

export function registerInjection(services: Services): vscode.Disposable[] {
  const { context, store, settings, log, loopbackNotice } = services;
  const noticeBaseUrl = (baseUrl: string) => void loopbackNotice.value.check(baseUrl);
  // The terminal environment is written once the keyring is read (as it always was): its chunk loads then.
  const terminals = new Lazy<TerminalKeyInjector>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TerminalKeyInjector } = require('./terminalInjector') as typeof import('./terminalInjector');
    return new TerminalKeyInjector({ collection: context.environmentVariableCollection, store, settings, log, noticeBaseUrl });
  });
  let disposed = false;
  void store.ready.then(() => (disposed ? undefined : terminals.value));
  // Loaded when a launch or task first needs a key it must ask for (a chunk of its own).
  const access = new Lazy<KeyAccessGate>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KeyAccessGate } = require('./keyAccess') as typeof import('./keyAccess');
    return new KeyAccessGate({ workspaceState: context.workspaceState, store, log });
  });
  // The debug provider and the commands: their chunks load at the first launch or command.
  const debug = new Lazy<DebugKeyProvider>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DebugKeyProvider } = require('./debugProvider') as typeof import('./debugProvider');
    return new DebugKeyProvider({ store, settings, log, access, noticeBaseUrl });
  });
  const commands = new Lazy<InjectionCommands>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { InjectionCommands } = require('./commands') as typeof import('./commands');
    return new InjectionCommands({ store, log, terminals: terminals.value, access });
  });
  const command = vscode.commands.registerCommand;
  return [
    { dispose: () => (disposed = true) },
    disposeIfLoaded(terminals),
    vscode.debug.registerDebugConfigurationProvider('*', {
      resolveDebugConfigurationWithSubstitutedVariables: (folder, config) =>
        debug.value.resolveDebugConfigurationWithSubstitutedVariables(folder, config),
    }),
    command('avala.apiKey', (config?: unknown) => commands.value.apiKey(config)),
    command('avala.pickKey', (config?: unknown) => commands.value.pickKey(config)),
    command('avala.openTerminalWithKey', (arg?: KeyArg) => commands.value.openTerminalWithKey(arg)),
    command('avala.setFolderKey', () => commands.value.setFolderKey()),
    vscode.commands.registerCommand('avala.manageWorkspaceKeyAccess', () => access.value.manage()),
  ];
}
