import * as vscode from 'vscode';
import { ipv4LoopbackFor } from '../core/baseUrl';
import type { StateBackend } from '../core/keyStore';
import type { Log } from '../log';

const TOLD_STATE = 'avala.notice.ipv6Loopback';

export interface Ipv6LoopbackNoticeDeps {
  /** Where the base URLs already told about are remembered. */
  globalState: StateBackend;
  log: Log;
}

/**
 * Tells the user, once per base URL, that a key on `http://[::1]…` will not work with Avala's
 * TypeScript SDK and MCP server. Called wherever `AVALA_BASE_URL` is handed to a process;
 * remembers only base URLs (never a key) in global state.
 */
export class Ipv6LoopbackNotice {
  constructor(private readonly deps: Ipv6LoopbackNoticeDeps) {}

  /** Returns whether the notice was shown now. */
  check(baseUrl: string): boolean {
    const suggestion = ipv4LoopbackFor(baseUrl);
    const told = this.deps.globalState.get<string[]>(TOLD_STATE) ?? [];
    if (!suggestion || told.includes(baseUrl)) {
      return false;
    }
    void this.deps.globalState.update(TOLD_STATE, [...told, baseUrl]);
    this.deps.log.info(`Told the user that Avala's TypeScript tools refuse ${baseUrl} and to use ${suggestion}.`);
    const settings = vscode.l10n.t('Open Settings');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          "AVALA_BASE_URL is {0}. Avala's TypeScript SDK and MCP server refuse http://[::1] even with AVALA_ALLOW_INSECURE_BASE_URL; the Python SDK and CLI accept it. For the TypeScript tools, use {1} (or localhost) as the API base URL and log in with the key there.",
          baseUrl,
          suggestion,
        ),
        settings,
      )
      .then((answer) =>
        answer === settings ? vscode.commands.executeCommand('workbench.action.openSettings', 'avala.apiBaseUrl') : undefined,
      );
    return true;
  }
}
