// Avala for agents: language-model tools that tell an agent about the active key, never the key.
// Registered at activation where VS Code has the language-model tool API; what they do loads on
// the first invocation (./agentTools.ts, a lazy chunk).
import * as vscode from 'vscode';
import { Lazy } from '../core/lazy';
import type { Services } from '../services';
import type { AgentTools, FolderInput, ScopesInput } from './agentTools';
import { TOOL_NAMES } from './core/toolNames';

function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

export function registerAgents(services: Services): vscode.Disposable[] {
  const { store, validator, log } = services;
  // Hosts without the API (older VS Code, some forks) get everything else.
  if (typeof vscode.lm?.registerTool !== 'function') {
    log.info("This VS Code has no language-model tool API: Avala's agent tools are not offered.");
    return [];
  }
  const tools = new Lazy<AgentTools>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AgentTools } = require('./agentTools') as typeof import('./agentTools');
    return new AgentTools({ store, validator, isTrusted: () => vscode.workspace.isTrusted });
  });
  const run = async (name: string, answer: () => Promise<string>): Promise<vscode.LanguageModelToolResult> => {
    log.info(`Language-model tool ${name} invoked.`);
    return textResult(await answer());
  };
  return [
    vscode.lm.registerTool<FolderInput>(TOOL_NAMES.keyStatus, {
      invoke: (options) => run(TOOL_NAMES.keyStatus, () => tools.value.keyStatus(options.input ?? {})),
    }),
    vscode.lm.registerTool<FolderInput>(TOOL_NAMES.validateKey, {
      prepareInvocation: async (options) => ({ invocationMessage: await tools.value.validatePreparation(options.input ?? {}) }),
      invoke: (options) => run(TOOL_NAMES.validateKey, () => tools.value.validateKey(options.input ?? {})),
    }),
    vscode.lm.registerTool<ScopesInput>(TOOL_NAMES.requiredScopes, {
      invoke: (options) => run(TOOL_NAMES.requiredScopes, () => tools.value.requiredScopes(options.input ?? {})),
    }),
  ];
}
