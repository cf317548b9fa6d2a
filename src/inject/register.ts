import type * as vscode from 'vscode';
import type { Services } from '../services';
import { InjectionCommands } from './commands';
import { DebugKeyProvider } from './debugProvider';
import { KeyAccessGate } from './keyAccess';
import { TerminalKeyInjector } from './terminalInjector';

/** Terminals, debug sessions and tasks get a key through their environment, never a file. */
export function registerInjection(services: Services): vscode.Disposable[] {
  const { context, store, settings, log } = services;
  const terminals = new TerminalKeyInjector(context, store, settings, log);
  const access = new KeyAccessGate(context, store, log);
  const debug = new DebugKeyProvider(store, settings, log, access);
  const commands = new InjectionCommands({ store, log, terminals, access });
  return [terminals, debug.register(), ...commands.register(), ...access.register()];
}
