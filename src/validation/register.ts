import * as vscode from 'vscode';
import type { Services } from '../services';

/** The validator's triggers and commands. */
export function registerValidation(services: Services): vscode.Disposable[] {
  const { store, validator } = services;
  const validate = async (arg?: string | { keyId?: string }) => {
    await store.ready;
    const id = (typeof arg === 'string' ? arg : arg?.keyId) ?? store.activeId();
    if (!id) {
      return undefined;
    }
    return validator.validate(id, 'command', true);
  };
  return [vscode.commands.registerCommand('avala.validateKey', validate), vscode.commands.registerCommand('avala.validateSelectedKey', validate)];
}
