import * as vscode from 'vscode';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore, StateBackend } from '../core/keyStore';
import { DEFAULT_BASE_URL, hostOf } from '../core/baseUrl';
import { keyIdOf, type KeyArg } from '../core/keyArg';
import { pickKey } from '../keys/keyPicker';
import { disposeAll } from '../core/disposables';
import {
  chooseMcpKey,
  isFullAccess,
  keyFitsMcpServer,
  MCP_SERVER_LABEL,
  mcpDefinitionVersion,
  mcpListedEnvironment,
  mcpServerApi,
  planMcpStart,
  wrongApiMessage,
  type McpKeyChoice,
  type McpServerSettings,
} from './core/mcpPlan';
import { FULL_ACCESS_ADVICE } from '../core/scopes';
import type { Log } from '../log';

const CHOSEN_KEY_STATE = 'avala.mcp.keyId';
const FULL_ACCESS_ACCEPTED_STATE = 'avala.mcp.fullAccessAccepted';

export interface McpDeps {
  store: KeyStore;
  log: Log;
  /** Ids only: which key the server gets in this workspace. */
  workspaceState: StateBackend;
  /** Ids only: full-access keys the user chose to give the server anyway. */
  globalState: StateBackend;
  logIn(): Promise<KeyMeta | undefined>;
  openMissionControl(): Promise<void>;
  /** Workspace trust; Avala hands no key to any process in Restricted Mode. */
  isTrusted(): boolean;
  /** This extension's id: VS Code names the server `<extension id>/<label>`. */
  extensionId: string;
  /** The user's `avala.mcp.*` settings, read when needed. */
  settings(): McpServerSettings & { commandProblem?: string };
  /** Tells the user once that Avala's TypeScript tools refuse `http://[::1]` (see inject/loopbackNotice.ts). */
  noticeBaseUrl?(baseUrl: string): void;
}

/**
 * Offers Avala's MCP server to VS Code's agents. The definition VS Code lists and caches
 * has no key; the key is read from secret storage only when the server starts, and only
 * ever travels in the process environment — never into mcp.json or settings. A lazy chunk:
 * registerEcosystem.ts registers a shell that loads it when VS Code first asks for servers.
 */
export class AvalaMcpServerProvider implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private lastVersion = '';

  constructor(private readonly deps: McpDeps) {
    const refresh = () => {
      const version = this.version();
      if (version !== this.lastVersion) {
        this.lastVersion = version;
        this.changed.fire();
      }
    };
    this.lastVersion = this.version();
    this.subscriptions = [
      deps.store.onDidChange(refresh),
      vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration('avala') ? refresh() : undefined)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    ];
  }

  /** The key the server gets now. */
  choice(): McpKeyChoice {
    const { store, workspaceState } = this.deps;
    return chooseMcpKey(store.list(), workspaceState.get<string>(CHOSEN_KEY_STATE), store.activeId());
  }

  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    const settings = this.deps.settings();
    if (settings.commandProblem) {
      this.deps.log.warn(settings.commandProblem);
    }
    const [command, ...args] = settings.command;
    const env = mcpListedEnvironment(settings.enableMutations);
    return [new vscode.McpStdioServerDefinition(MCP_SERVER_LABEL, command, args, env, this.version())];
  }

  async resolveMcpServerDefinition(server: vscode.McpStdioServerDefinition): Promise<vscode.McpStdioServerDefinition | undefined> {
    const { store, log } = this.deps;
    if (!this.deps.isTrusted()) {
      log.warn('Did not start the Avala MCP server: this workspace is in Restricted Mode, where Avala gives no key to any process.');
      const manage = vscode.l10n.t('Manage Workspace Trust');
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t('Avala gives no key to the MCP server in Restricted Mode. Trust this workspace to start the Avala MCP server.'),
          manage,
        )
        .then((a) => (a === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
      return undefined;
    }
    await store.ready;
    let key = this.choice().key ?? (await this.offerLogIn());
    // Refused before the key's value is even read from secret storage.
    if (key && this.refusedForApi(key, this.deps.settings())) {
      return undefined;
    }
    if (key && isFullAccess(key) && !this.fullAccessAccepted(key.id)) {
      key = await this.confirmFullAccess(key);
    }
    if (!key) {
      log.info('The Avala MCP server was not started: no key was chosen.');
      return undefined;
    }
    let value: string;
    try {
      ({ value } = await store.readKey(key.id));
    } catch (error) {
      void vscode.window.showErrorMessage((error as Error).message);
      return undefined;
    }
    // Planned again from the settings as they are now, for the key used now (the full-access
    // answer may have swapped in a scoped one, a setting may have changed during a dialog), and
    // started with the command those settings name, whatever definition VS Code had cached.
    const settings = this.deps.settings();
    const start = planMcpStart(settings, key);
    if (start.kind !== 'start') {
      this.refusedForApi(key, settings);
      return undefined;
    }
    const [command, ...args] = settings.command;
    const resolved = new vscode.McpStdioServerDefinition(
      server.label,
      command,
      args,
      { ...server.env, ...start.environment(value) },
      server.version,
    );
    resolved.cwd = server.cwd;
    if (settings.readsBaseUrl) {
      this.deps.noticeBaseUrl?.(key.baseUrl);
    }
    log.info(
      `Starting the Avala MCP server with "${key.label}" (${key.masked}, ${isFullAccess(key) ? 'full access' : `${key.scopes?.length ?? 0} scope(s)`}) for ${hostOf(key.baseUrl)}, ${settings.enableMutations ? 'mutations enabled' : 'read-only'}.`,
    );
    return resolved;
  }

  /** True, after telling the user and the log, when `key` is for another API than the server calls. */
  private refusedForApi(key: KeyMeta, settings: McpServerSettings): boolean {
    const plan = planMcpStart(settings, key);
    if (plan.kind !== 'wrongApi') {
      return false;
    }
    this.deps.log.warn(
      `Did not start the Avala MCP server: "${key.label}" is a key for ${plan.keyHost}, and the server sends its key to ${plan.serverHost}.`,
    );
    this.offerFittingKey(key, plan.keyHost, plan.serverHost);
    return true;
  }

  /** "Avala: Choose Key for MCP Server". A key id (or tree item) skips the picker. */
  async chooseKey(arg?: KeyArg): Promise<KeyMeta | undefined> {
    const { store, workspaceState, log } = this.deps;
    await store.ready;
    const id = keyIdOf(arg);
    let key = id ? store.get(id) : await this.pickKey(vscode.l10n.t('Avala: Choose Key for MCP Server'));
    const plan = key ? planMcpStart(this.deps.settings(), key) : undefined;
    if (key && plan?.kind === 'wrongApi') {
      // From a key's context menu: say why that key cannot go to the server, offer the ones that can.
      key = await this.pickKey(
        vscode.l10n.t('Avala: Choose Key for MCP Server'),
        wrongApiMessage(key.label, plan.keyHost, plan.serverHost),
      );
    }
    if (!key) {
      return undefined;
    }
    if (isFullAccess(key) && !this.fullAccessAccepted(key.id)) {
      key = await this.confirmFullAccess(key);
      if (!key) {
        return undefined;
      }
    }
    await workspaceState.update(CHOSEN_KEY_STATE, key.id);
    this.changed.fire();
    log.info(`The Avala MCP server now gets "${key.label}" (${key.masked}) in this workspace.`);
    void vscode.window.showInformationMessage(vscode.l10n.t('The Avala MCP server gets "{0}" from its next start.', key.label));
    return key;
  }

  dispose(): void {
    disposeAll([...this.subscriptions, this.changed]);
  }

  private version(): string {
    return mcpDefinitionVersion(this.choice(), this.deps.settings());
  }

  /** The server calls this key's own API. */
  private fits(key: KeyMeta): boolean {
    return keyFitsMcpServer(this.deps.settings(), key);
  }

  /**
   * After a refused start: names the key, its API and the server's, and offers a key that
   * fits. Not awaited by the start, which has already stopped without the key.
   */
  private offerFittingKey(key: KeyMeta, keyHost: string, serverHost: string): void {
    const fitting = this.deps.store.list().filter((k) => this.fits(k));
    const choose = vscode.l10n.t('Choose Another Key…');
    const settings = vscode.l10n.t('Open MCP Settings');
    void vscode.window
      .showErrorMessage(
        `${wrongApiMessage(key.label, keyHost, serverHost)} ${vscode.l10n.t('The server was not started.')}`,
        ...(fitting.length > 0 ? [choose] : []),
        settings,
      )
      .then(async (answer) => {
        if (answer === choose && (await this.chooseKey())) {
          await Promise.resolve(
            vscode.commands.executeCommand('workbench.mcp.startServer', `${this.deps.extensionId}/${MCP_SERVER_LABEL}`),
          ).catch(() => undefined);
        } else if (answer === settings) {
          await vscode.commands.executeCommand('workbench.action.openSettings', 'avala.mcp');
        }
      });
  }

  private fullAccessAccepted(id: string): boolean {
    return (this.deps.globalState.get<string[]>(FULL_ACCESS_ACCEPTED_STATE) ?? []).includes(id);
  }

  private async offerLogIn(): Promise<KeyMeta | undefined> {
    const logIn = vscode.l10n.t('Log In with API Key');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The Avala MCP server needs an API key, and none is stored in VS Code yet.'),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Log in with a key scoped to what your agents need; it stays in secret storage and is handed to the server when it starts.',
        ),
      },
      logIn,
    );
    return choice === logIn ? this.deps.logIn() : undefined;
  }

  /** Warns with the seed's advice; returns the key to use (maybe a scoped one instead) or undefined. */
  private async confirmFullAccess(key: KeyMeta): Promise<KeyMeta | undefined> {
    const scoped = this.deps.store.list().filter((k) => !isFullAccess(k) && k.scopes !== undefined && this.fits(k));
    const chooseScoped = vscode.l10n.t('Choose a Scoped Key…');
    const missionControl = vscode.l10n.t('Create One in Mission Control');
    const useAnyway = vscode.l10n.t('Use Full Access');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('"{0}" has full organization access. Give it to the Avala MCP server anyway?', key.label),
      { modal: true, detail: `${vscode.l10n.t(FULL_ACCESS_ADVICE)} ${vscode.l10n.t('Agents can call every Avala API this key reaches.')}` },
      ...(scoped.length > 0 ? [chooseScoped] : []),
      missionControl,
      useAnyway,
    );
    if (choice === useAnyway) {
      const accepted = this.deps.globalState.get<string[]>(FULL_ACCESS_ACCEPTED_STATE) ?? [];
      await this.deps.globalState.update(FULL_ACCESS_ACCEPTED_STATE, [...new Set([...accepted, key.id])]);
      this.deps.log.info(`The user chose to give the full-access key "${key.label}" to the Avala MCP server.`);
      return key;
    }
    if (choice === missionControl) {
      await this.deps.openMissionControl();
      return undefined;
    }
    if (choice === chooseScoped) {
      const picked = await this.pickKey(vscode.l10n.t('Avala: Choose a Scoped Key for the MCP Server'), undefined, scoped);
      if (picked) {
        await this.deps.workspaceState.update(CHOSEN_KEY_STATE, picked.id);
        this.changed.fire();
      }
      return picked;
    }
    return undefined;
  }

  /**
   * Offers the keys the server may get (those for the API it calls) and says why the others
   * are not there. `why` leads the placeholder when the user asked for a key that does not fit.
   */
  private pickKey(title: string, why?: string, keys?: KeyMeta[]): Promise<KeyMeta | undefined> {
    const settings = this.deps.settings();
    // Keys are left out only when the server does not read AVALA_BASE_URL: it then calls the default API.
    const serverHost = hostOf(mcpServerApi(settings, { baseUrl: DEFAULT_BASE_URL }));
    return pickKey(this.deps.store, {
      title,
      // The reason for a refused key leads the placeholder.
      placeHolder: why ?? vscode.l10n.t("The key Avala's MCP server gets when VS Code starts it (prefer a scoped one)"),
      keys,
      current: this.choice().key?.id,
      currentWord: vscode.l10n.t('current'),
      detail: describeScopes,
      warns: isFullAccess,
      useNewKey: true,
      fits: (k) => keyFitsMcpServer(settings, k),
      omitted: (others) =>
        others === 1
          ? vscode.l10n.t('1 key for another API is not listed: the Avala MCP server sends its key to {0}.', serverHost)
          : vscode.l10n.t('{0} keys for other APIs are not listed: the Avala MCP server sends its key to {1}.', others, serverHost),
      noneFits: async () => {
        const openSettings = vscode.l10n.t('Open MCP Settings');
        const text = [
          why,
          vscode.l10n.t('No stored key is for {0}, the API the Avala MCP server calls.', serverHost),
          vscode.l10n.t('Log in with a key for it, or, for a server build that reads AVALA_BASE_URL, turn on avala.mcp.readsBaseUrl.'),
        ]
          .filter(Boolean)
          .join(' ');
        if ((await vscode.window.showInformationMessage(text, openSettings)) === openSettings) {
          await vscode.commands.executeCommand('workbench.action.openSettings', 'avala.mcp');
        }
      },
    });
  }
}

function describeScopes(key: KeyMeta): string {
  if (key.scopes === undefined) {
    return vscode.l10n.t('Scopes not known yet: validate the key to see them.');
  }
  if (key.scopes.length === 0) {
    return vscode.l10n.t('Full organization access — not recommended for agents.');
  }
  return vscode.l10n.t('Scopes: {0}', key.scopes.join(', '));
}
