// The terminal tripwire's listeners, registered at activation. What it does with a command
// (./terminalTripwire.ts) loads on the first command a terminal with shell integration runs.
// Without shell integration no event fires, so it does nothing and says nothing.
import * as vscode from 'vscode';
import { Lazy } from '../core/lazy';
import type { Services } from '../services';
import type { TerminalTripwire } from './terminalTripwire';

export function registerTripwire(services: Services): vscode.Disposable[] {
  const { settings, log } = services;
  // Feature detection: the events are in VS Code 1.93+; a host without them gets nothing.
  const window = vscode.window as Partial<typeof vscode.window>;
  if (typeof window.onDidStartTerminalShellExecution !== 'function' || typeof window.onDidEndTerminalShellExecution !== 'function') {
    log.info('This VS Code has no terminal shell-integration events: the terminal tripwire is off.');
    return [];
  }
  const tripwire = new Lazy<TerminalTripwire>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TerminalTripwire } = require('./terminalTripwire') as typeof import('./terminalTripwire');
    return new TerminalTripwire(services);
  });
  const enabled = () => settings.current.terminalWatchForKeys;
  return [
    // Output must be read from the start of a command: read() only sees data after its first call.
    window.onDidStartTerminalShellExecution((e) => (enabled() ? void tripwire.value.watchOutput(e) : undefined)),
    window.onDidEndTerminalShellExecution((e) => (enabled() ? void tripwire.value.checkCommandLine(e) : undefined)),
  ];
}
