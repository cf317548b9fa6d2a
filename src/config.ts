import * as vscode from 'vscode';
import { DEFAULT_BASE_URL, normalizeBaseUrl } from './core/baseUrl';
import { mcpCommand, type McpServerSettings } from './ecosystem/core/mcpCommand';
import { keySwitch } from './security/core/keySwitch';

export const DEFAULT_MISSION_CONTROL_URL = 'https://app.avala.ai';

export interface AvalaSettings {
  /** Normalised; falls back to the default when the configured value is unusable. */
  apiBaseUrl: string;
  /** Why the configured base URL was not used, if it was not. */
  apiBaseUrlProblem?: string;
  allowInsecureLoopback: boolean;
  missionControlUrl: string;
  timeoutMs: number;
  keyRotationDays: number;
  intervalMinutes: number;
  staleAfterMinutes: number;
  terminalInjectKey: boolean;
  /** The terminal tripwire (`avala.terminal.watchForKeys`). */
  terminalWatchForKeys: boolean;
  debugInjectKey: boolean;
}

/**
 * Reads the machine-scoped settings. The base URL decides where keys are sent, so only
 * the user's own (global) value counts: a repository's .vscode/settings.json is ignored.
 * (VS Code already drops machine-scoped values from workspace settings, so inspect() never
 * shows them; src/security/settingsGuard.ts reads the files to tell the user.)
 */
export function readSettings(): AvalaSettings {
  const config = vscode.workspace.getConfiguration('avala');
  const allowInsecureLoopback = userValue<boolean>(config, 'allowInsecureLoopback') ?? false;
  const configured = userValue<string>(config, 'apiBaseUrl') ?? DEFAULT_BASE_URL;
  let apiBaseUrl = DEFAULT_BASE_URL;
  let apiBaseUrlProblem: string | undefined;
  try {
    apiBaseUrl = normalizeBaseUrl(configured, allowInsecureLoopback);
  } catch (error) {
    apiBaseUrlProblem = (error as Error).message;
  }
  const missionControlUrl = userValue<string>(config, 'missionControlUrl') ?? DEFAULT_MISSION_CONTROL_URL;
  return {
    apiBaseUrl,
    apiBaseUrlProblem,
    allowInsecureLoopback,
    missionControlUrl: /^https?:\/\//.test(missionControlUrl) ? missionControlUrl.replace(/\/+$/, '') : DEFAULT_MISSION_CONTROL_URL,
    timeoutMs: clamp(config.get<number>('requestTimeoutSeconds', 10), 1, 120) * 1000,
    keyRotationDays: clamp(config.get<number>('keyRotationDays', 90), 0, 3650),
    intervalMinutes: clamp(config.get<number>('validation.intervalMinutes', 15), 0, 1440),
    staleAfterMinutes: clamp(config.get<number>('validation.staleAfterMinutes', 30), 1, 1440),
    // A workspace may turn these off, but not on against the user's own settings.
    terminalInjectKey: keySwitch(config.inspect<boolean>('terminal.injectKey'), true),
    terminalWatchForKeys: keySwitch(config.inspect<boolean>('terminal.watchForKeys'), true),
    debugInjectKey: keySwitch(config.inspect<boolean>('debug.injectKey'), true),
  };
}

/**
 * How Avala's MCP server is started: the command, whether it reads `AVALA_BASE_URL`, and
 * whether it may change data. All three are the user's (machine-scoped): a repository that
 * could set them could run a program of its choice with a key, or send a key elsewhere.
 */
export function readMcpSettings(): McpServerSettings & { commandProblem?: string } {
  const config = vscode.workspace.getConfiguration('avala');
  const { command, problem } = mcpCommand(userValue<unknown>(config, 'mcp.command'));
  return {
    command,
    commandProblem: problem,
    readsBaseUrl: userValue<boolean>(config, 'mcp.readsBaseUrl') === true,
    enableMutations: userValue<boolean>(config, 'mcp.enableMutations') === true,
  };
}

function userValue<T>(config: vscode.WorkspaceConfiguration, name: string): T | undefined {
  const inspected = config.inspect<T>(name);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

/** The current settings and an event when any Avala setting changes. */
export class Settings implements vscode.Disposable {
  private value = readSettings();
  private readonly changed = new vscode.EventEmitter<AvalaSettings>();
  readonly onDidChange = this.changed.event;
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('avala')) {
      this.value = readSettings();
      this.changed.fire(this.value);
    }
  });

  get current(): AvalaSettings {
    return this.value;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
