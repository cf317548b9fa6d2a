import * as vscode from 'vscode';
import { readMcpSettings } from '../config';
import type { Services } from '../services';
import { registerAuthenticationProvider } from './authProvider';
import { registerMcpCommands, registerMcpServer } from './mcpServer';

/** `<publisher>.<name>#<walkthrough id>`, as package.json declares them. */
export const WALKTHROUGH_ID = 'avala.avala-vscode#avala.gettingStarted';

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
    noticeBaseUrl: (baseUrl) => void loopbackNotice.check(baseUrl),
  });
  return [
    ...registerAuthenticationProvider({ store, log, logIn, openMissionControl }),
    ...mcp.disposables,
    ...registerMcpCommands(mcp.provider),
    vscode.commands.registerCommand('avala.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ),
  ];
}
