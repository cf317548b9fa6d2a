import * as vscode from 'vscode';
import type { Services } from '../services';
import { InjectionCommands } from './commands';
import { DebugKeyProvider } from './debugProvider';
import { Lazy } from '../core/lazy';
import type { KeyAccessGate } from './keyAccess';
import { TerminalKeyInjector } from './terminalInjector';

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
  const noticeBaseUrl = (baseUrl: string) => void loopbackNotice.check(baseUrl);
  const terminals = new TerminalKeyInjector({ collection: context.environmentVariableCollection, store, settings, log, noticeBaseUrl });
  // Loaded when a launch or task first needs a key it must ask for (a chunk of its own).
  const access = new Lazy<KeyAccessGate>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KeyAccessGate } = require('./keyAccess') as typeof import('./keyAccess');
    return new KeyAccessGate({ workspaceState: context.workspaceState, store, log });
  });
  const debug = new DebugKeyProvider({ store, settings, log, access, noticeBaseUrl });
  const commands = new InjectionCommands({ store, log, terminals, access });
  return [
    terminals,
    debug.register(),
    ...commands.register(),
    vscode.commands.registerCommand('avala.manageWorkspaceKeyAccess', () => access.value.manage()),
  ];
}
