// The composition root: builds the few services and hands each feature what it needs.
import * as vscode from 'vscode';
import { AvalaApi, closeConnections } from './core/api';
import { Settings } from './config';
import { systemClock } from './core/clock';
import { setListenerErrorReporter } from './core/events';
import { setLocalizer } from './core/l10n';
import { KeyStore } from './core/keyStore';
import { registerAgents } from './agents/registerAgents';
import { RECORD_STATE } from './core/keyRecord';
import { registerEcosystem } from './ecosystem/registerEcosystem';
import type { Ipv6LoopbackNotice } from './inject/loopbackNotice';
import { INJECTION_COMMANDS, registerInjection } from './inject/registerInjection';
import { registerDesktopOnly } from './keys/desktopOnly';
import type { KeyCommands } from './keys/keyCommands';
import { KeysTree } from './keys/keysTree';
import { registerKeyringUpkeep } from './keys/registerKeyringUpkeep';
import { registerKeyCommands } from './keys/registerKeyCommands';
import { hostOf } from './core/baseUrl';
import { Lazy } from './core/lazy';
import { Log } from './log';
import { registerSecurity } from './security/registerSecurity';
import { registerTripwire } from './tripwire/registerTripwire';
import { registerValidation } from './validation/registerValidation';
import { KeyValidator } from './validation/core/keyValidator';

/** Where the extension host runs: a Node process (desktop, remote, code-server) or a browser's web worker (vscode.dev). */
export type ExtensionHostKind = 'node' | 'web';

export function activate(context: vscode.ExtensionContext): void {
  activateIn(context, 'node');
}

/**
 * Builds the services for `host`. In a web worker there are no terminals, tasks, debug sessions
 * or local processes: key injection is not registered there, its commands say so in one line,
 * and the Keys view says it once. The MCP server needs VS Code's MCP API, which the web host
 * lacks, so it switches itself off (see registerEcosystem).
 */
export function activateIn(context: vscode.ExtensionContext, host: ExtensionHostKind): void {
  setLocalizer(vscode.l10n.t.bind(vscode.l10n));
  const log = new Log();
  setListenerErrorReporter((error) => log.error('An event listener failed:', error));
  const settings = new Settings();
  const store = new KeyStore({
    secrets: context.secrets,
    workspaceState: context.workspaceState,
    globalState: context.globalState,
    deviceId: vscode.env.machineId,
  });
  // Key names (never values) follow the user through Settings Sync.
  context.globalState.setKeysForSync([RECORD_STATE]);
  const api = new AvalaApi({ settings: () => settings.current, log });
  const validator = new KeyValidator({ store, api, log, clock: systemClock });
  void vscode.commands.executeCommand('setContext', 'avala.webHost', host === 'web');
  const tree = new KeysTree({
    store,
    settings,
    activity: validator,
    hostNote:
      host === 'web'
        ? () =>
            vscode.l10n.t(
              'In the browser: keys, checks and sign-in work here; terminals, tasks, debug sessions and the MCP server need VS Code desktop or a remote window.',
            )
        : undefined,
  });
  // The sign-up, log-in and import flows load when first used, not at startup.
  const commands = new Lazy<KeyCommands>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KeyCommands } = require('./keys/keyCommands') as typeof import('./keys/keyCommands');
    return new KeyCommands({ store, api, settings, log, reveal: (id) => tree.reveal(id) });
  });
  context.subscriptions.push(
    { dispose: () => setListenerErrorReporter(undefined) },
    log,
    settings,
    store,
    validator,
    tree,
    ...registerKeyCommands(commands),
    vscode.commands.registerCommand('avala.refreshKeys', () => tree.refresh()),
  );

  // Where AVALA_BASE_URL is handed out; loads with the first base URL handed out (its own chunk).
  const loopbackNotice = new Lazy<Ipv6LoopbackNotice>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Ipv6LoopbackNotice } = require('./inject/loopbackNotice') as typeof import('./inject/loopbackNotice');
    return new Ipv6LoopbackNotice({ globalState: context.globalState, log });
  });
  const services = { context, log, settings, store, api, validator, commands, loopbackNotice };
  context.subscriptions.push(...registerValidation(services));
  context.subscriptions.push(...(host === 'node' ? registerInjection(services) : registerDesktopOnly(INJECTION_COMMANDS)));
  context.subscriptions.push(...registerSecurity(services));
  context.subscriptions.push(...registerEcosystem(services));
  context.subscriptions.push(...registerKeyringUpkeep(services));
  context.subscriptions.push(...registerAgents(services));
  context.subscriptions.push(...registerTripwire(services));

  void store.ready.then(() => {
    if (store.loadError) {
      log.error(store.loadError.message);
      void vscode.window.showErrorMessage(store.loadError.message);
    }
    log.info(`Avala activated: ${store.list().length} stored key(s); API at ${hostOf(settings.current.apiBaseUrl)}.`);
  });
}

export function deactivate(): Promise<void> {
  return closeConnections();
}
