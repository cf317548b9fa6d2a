import * as vscode from 'vscode';
import type { KeyArg } from '../core/keyArg';
import type { KeyCommands } from './keyCommands';

/**
 * The key commands. Only the type of KeyCommands is imported here: `commands` may stand in
 * for it until a command runs (see `lazyInstance`), so registering them loads none of its flows.
 */
export function registerKeyCommands(commands: KeyCommands): vscode.Disposable[] {
  const c = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);
  return [
    c('avala.signUp', () => commands.signUp()),
    c('avala.login', (key?: string) => commands.logIn(typeof key === 'string' ? key : undefined)),
    c('avala.importFromEnvironment', () => commands.importFromEnvironment()),
    c('avala.switchKey', (arg?: KeyArg) => commands.switchKey(arg)),
    c('avala.setActiveKey', (arg?: KeyArg) => commands.switchKey(arg)),
    c('avala.removeKey', (arg?: KeyArg) => commands.removeKey(arg)),
    c('avala.renameKey', (arg?: KeyArg) => commands.renameKey(arg)),
    c('avala.copyKey', (arg?: KeyArg) => commands.copyKey(arg)),
    c('avala.copySelectedKey', (arg?: KeyArg) => commands.copyKey(arg)),
    c('avala.openMissionControl', () => commands.openMissionControl()),
    c('avala.openKeyInMissionControl', () => commands.openMissionControl()),
  ];
}
