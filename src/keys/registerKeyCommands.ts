import * as vscode from 'vscode';
import type { KeyArg } from '../core/keyArg';
import type { Lazy } from '../core/lazy';
import type { KeyCommands } from './keyCommands';

/**
 * The key commands. Only the type of KeyCommands is imported here: `commands.value` loads it
 * when a command first runs, so registering them loads none of its flows.
 */
export function registerKeyCommands(commands: Lazy<KeyCommands>): vscode.Disposable[] {
  const c = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);
  return [
    c('avala.signUp', () => commands.value.signUp()),
    c('avala.login', (key?: string) => commands.value.logIn(typeof key === 'string' ? key : undefined)),
    c('avala.importFromEnvironment', () => commands.value.importFromEnvironment()),
    c('avala.switchKey', (arg?: KeyArg) => commands.value.switchKey(arg)),
    c('avala.setActiveKey', (arg?: KeyArg) => commands.value.switchKey(arg)),
    c('avala.removeKey', (arg?: KeyArg) => commands.value.removeKey(arg)),
    c('avala.renameKey', (arg?: KeyArg) => commands.value.renameKey(arg)),
    c('avala.copyKey', (arg?: KeyArg) => commands.value.copyKey(arg)),
    c('avala.copySelectedKey', (arg?: KeyArg) => commands.value.copyKey(arg)),
    c('avala.cleanUpSecretStorage', () => commands.value.cleanUpSecretStorage()),
    c('avala.openMissionControl', () => commands.value.openMissionControl()),
    c('avala.openKeyInMissionControl', () => commands.value.openMissionControl()),
  ];
}
