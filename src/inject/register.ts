import type * as vscode from 'vscode';
import type { Services } from '../services';
import { InjectionCommands } from './commands';
import { DebugKeyProvider } from './debugProvider';
import { TerminalKeyInjector } from './terminalInjector';

/** Terminals, debug sessions and tasks get a key through their environment, never a file. */
export function registerInjection(services: Services): vscode.Disposable[] {
  const { context, store, settings, log, loopbackNotice } = services;
  const noticeBaseUrl = (baseUrl: string) => void loopbackNotice.check(baseUrl);
  const terminals = new TerminalKeyInjector(context, store, settings, log, noticeBaseUrl);
  const debug = new DebugKeyProvider(store, settings, log, noticeBaseUrl);
  const commands = new InjectionCommands({ store, log, terminals });
  return [terminals, debug.register(), ...commands.register()];
}
