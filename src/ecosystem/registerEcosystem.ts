import * as vscode from 'vscode';
import { readMcpSettings } from '../config';
import type { KeyArg } from '../core/keyArg';
import { Lazy } from '../core/lazy';
import type { Services } from '../services';
import type { AuthProviderDeps, AvalaAuthenticationProvider } from './authProvider';
import type { AvalaMcpServerProvider, McpDeps } from './mcpServer';

/** `<publisher>.<name>#<walkthrough id>`, as package.json declares them. */
export const WALKTHROUGH_ID = 'avala.avala-vscode#avala.gettingStarted';
/** Declared in package.json `contributes.authentication`. */
export const AUTH_PROVIDER_ID = 'avala';
export const AUTH_PROVIDER_LABEL = 'Avala';
/** Declared in package.json `contributes.mcpServerDefinitionProviders`. */
export const MCP_PROVIDER_ID = 'avala.mcp';
export const CHOOSE_MCP_KEY_COMMAND = 'avala.mcp.chooseKey';
/** The same, from a key's context menu in the Keys view. */
export const USE_KEY_FOR_MCP_COMMAND = 'avala.mcp.useSelectedKey';

/** The part of `vscode.lm` this feature needs; absent in hosts without the MCP API. */
export type McpHost = Partial<Pick<typeof vscode.lm, 'registerMcpServerDefinitionProvider'>> | undefined;

/**
 * What VS Code holds from registration on: the change event. The provider itself (the
 * authProvider chunk) loads when VS Code first asks for sessions; its changes are passed on.
 */
class LazyAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly provider: Lazy<AvalaAuthenticationProvider>;

  constructor(deps: AuthProviderDeps) {
    this.provider = new Lazy(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { AvalaAuthenticationProvider } = require('./authProvider') as typeof import('./authProvider');
      const provider = new AvalaAuthenticationProvider(deps);
      provider.onDidChangeSessions((e) => this.changed.fire(e));
      return provider;
    });
  }

  getSessions(scopes: readonly string[] | undefined, options?: vscode.AuthenticationProviderSessionOptions) {
    return this.provider.value.getSessions(scopes, options);
  }

  createSession(scopes: readonly string[]) {
    return this.provider.value.createSession(scopes);
  }

  removeSession(sessionId: string) {
    return this.provider.value.removeSession(sessionId);
  }

  dispose(): void {
    if (this.provider.loaded) {
      this.provider.value.dispose();
    }
    this.changed.dispose();
  }
}

/**
 * What VS Code holds from registration on: the change event. The provider itself (the
 * mcpServer chunk) loads when VS Code first asks for servers or a key is chosen for it.
 */
export class LazyMcpServerProvider implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  readonly provider: Lazy<AvalaMcpServerProvider>;

  constructor(deps: McpDeps) {
    this.provider = new Lazy(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { AvalaMcpServerProvider } = require('./mcpServer') as typeof import('./mcpServer');
      const provider = new AvalaMcpServerProvider(deps);
      provider.onDidChangeMcpServerDefinitions(() => this.changed.fire());
      return provider;
    });
  }

  provideMcpServerDefinitions() {
    return this.provider.value.provideMcpServerDefinitions();
  }

  resolveMcpServerDefinition(server: vscode.McpStdioServerDefinition) {
    return this.provider.value.resolveMcpServerDefinition(server);
  }

  chooseKey(arg?: KeyArg) {
    return this.provider.value.chooseKey(arg);
  }

  dispose(): void {
    if (this.provider.loaded) {
      this.provider.value.dispose();
    }
    this.changed.dispose();
  }
}

/**
 * Registers the provider where the running VS Code has the MCP API; elsewhere logs that
 * MCP is unavailable and leaves everything else working.
 */
export function registerMcpServer(
  deps: McpDeps,
  host: McpHost = vscode.lm,
): { disposables: vscode.Disposable[]; provider?: LazyMcpServerProvider } {
  const available =
    typeof host?.registerMcpServerDefinitionProvider === 'function' && typeof vscode.McpStdioServerDefinition === 'function';
  if (!available || !host?.registerMcpServerDefinitionProvider) {
    deps.log.info('MCP is unavailable in this VS Code, so the Avala MCP server is not offered to agents. Everything else works as usual.');
    return { disposables: [] };
  }
  const provider = new LazyMcpServerProvider(deps);
  return { disposables: [provider, host.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider)], provider };
}

function registerMcpCommands(provider: LazyMcpServerProvider | undefined): vscode.Disposable[] {
  void vscode.commands.executeCommand('setContext', 'avala.mcpAvailable', provider !== undefined);
  const choose = provider
    ? (arg?: KeyArg) => provider.chooseKey(arg)
    : () =>
        vscode.window.showInformationMessage(
          vscode.l10n.t('This version of VS Code cannot run MCP servers for agents, so there is no key to choose for one.'),
        );
  return [
    vscode.commands.registerCommand(CHOOSE_MCP_KEY_COMMAND, choose),
    vscode.commands.registerCommand(USE_KEY_FOR_MCP_COMMAND, choose),
  ];
}

/** Where VS Code already puts accounts, agents' tools and onboarding: Avala keys show up there too. */
export function registerEcosystem(services: Services): vscode.Disposable[] {
  const { context, store, log, commands, loopbackNotice } = services;
  const logIn = () => commands.value.logIn();
  const openMissionControl = () => commands.value.openMissionControl();
  const mcp = registerMcpServer({
    store,
    log,
    workspaceState: context.workspaceState,
    globalState: context.globalState,
    logIn,
    openMissionControl,
    isTrusted: () => vscode.workspace.isTrusted,
    extensionId: context.extension.id,
    settings: readMcpSettings,
    noticeBaseUrl: (baseUrl) => void loopbackNotice.value.check(baseUrl),
  });
  const auth = new LazyAuthenticationProvider({ store, log, logIn, openMissionControl });
  return [
    auth,
    // Multiple accounts: each key is one, and VS Code lets the user pick which a consumer gets.
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, auth, { supportsMultipleAccounts: true }),
    ...mcp.disposables,
    ...registerMcpCommands(mcp.provider),
    vscode.commands.registerCommand('avala.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ),
  ];
}
