import * as vscode from 'vscode';
import { keyEnvironment } from '../core/environment';
import type { Services } from '../services';

/** Terminals, debug sessions and tasks get the active key through the environment, never a file. */
export function registerInjection(services: Services): vscode.Disposable[] {
  const { context, store, settings } = services;
  const collection = context.environmentVariableCollection;
  collection.persistent = false;

  const apply = async () => {
    await store.ready;
    const active = vscode.workspace.isTrusted && settings.current.terminalInjectKey ? store.active() : undefined;
    const value = active ? await store.getValue(active.id).catch(() => undefined) : undefined;
    const env = keyEnvironment(value, active?.baseUrl ?? settings.current.apiBaseUrl);
    for (const [name] of [...iterate(collection)]) {
      if (!(name in env)) {
        collection.delete(name);
      }
    }
    for (const [name, v] of Object.entries(env)) {
      if (collection.get(name)?.value !== v) {
        collection.replace(name, v);
      }
    }
    collection.description = active ? `Avala key "${active.label}" (${active.environment})` : 'Avala API settings';
  };
  void apply();
  return [store.onDidChange(() => void apply()), settings.onDidChange(() => void apply()), vscode.workspace.onDidGrantWorkspaceTrust(() => void apply())];
}

function iterate(collection: vscode.EnvironmentVariableCollection): [string, vscode.EnvironmentVariableMutator][] {
  const out: [string, vscode.EnvironmentVariableMutator][] = [];
  collection.forEach((name, mutator) => out.push([name, mutator]));
  return out;
}
