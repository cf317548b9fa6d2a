// Avala's MCP server as VS Code starts it: which key it gets and the environment it runs in.
import { DEFAULT_BASE_URL, hostOf, sameBaseUrl } from '../../core/baseUrl';
import { ENV, keyEnvironment } from '../../core/environment';
import type { KeyMeta } from '../../core/keyIndex';
import * as l10n from '../../core/l10n';
import type { McpServerSettings } from './mcpCommand';

export const MCP_SERVER_LABEL = 'Avala';
export { DEFAULT_MCP_COMMAND, mcpCommand, type McpServerSettings } from './mcpCommand';
export const MCP_MUTATIONS_VAR = 'AVALA_MCP_ENABLE_MUTATIONS';

/** The API the server sends the key it gets to. */
export function mcpServerApi(settings: Pick<McpServerSettings, 'readsBaseUrl'>, key: Pick<KeyMeta, 'baseUrl'>): string {
  return settings.readsBaseUrl ? key.baseUrl : DEFAULT_BASE_URL;
}

/** A key may go to the server only when the server calls the key's own API. */
export function keyFitsMcpServer(settings: Pick<McpServerSettings, 'readsBaseUrl'>, key: Pick<KeyMeta, 'baseUrl'>): boolean {
  return sameBaseUrl(mcpServerApi(settings, key), key.baseUrl);
}

/** Why a key is not given to the server: the server calls another API than the key's own. */
export function wrongApiMessage(label: string, keyHost: string, serverHost: string): string {
  return l10n.t(
    '"{0}" is a key for {1}, but the Avala MCP server sends its key to {2}, so the key stays in secret storage.',
    label,
    keyHost,
    serverHost,
  );
}

/**
 * What to do when VS Code starts the server with a key: start it, with the environment that
 * carries the key's value, or refuse. The one place a key value meets the server's
 * environment, so a key for another API than the one the server calls never gets into it.
 */
export type McpStart =
  { kind: 'start'; environment(value: string): Record<string, string | null> } | { kind: 'wrongApi'; keyHost: string; serverHost: string };

export function planMcpStart(settings: McpServerSettings, key: Pick<KeyMeta, 'baseUrl'>): McpStart {
  if (!keyFitsMcpServer(settings, key)) {
    return { kind: 'wrongApi', keyHost: hostOf(key.baseUrl), serverHost: hostOf(mcpServerApi(settings, key)) };
  }
  return {
    kind: 'start',
    environment: (value) => mcpServerEnvironment({ key: value, baseUrl: key.baseUrl, enableMutations: settings.enableMutations }),
  };
}

/** Which key the MCP server gets, and why that one. */
export interface McpKeyChoice {
  key?: KeyMeta;
  /** `chosen`: picked with "Choose Key for MCP Server"; `active`: the default; `none`: no key stored. */
  source: 'chosen' | 'active' | 'none';
  /** A chosen key that no longer exists (removed), so the active key stood in. */
  chosenMissing?: boolean;
}

/** The chosen key while it exists, else the active key. */
export function chooseMcpKey(keys: readonly KeyMeta[], chosenId: string | undefined, activeId: string | undefined): McpKeyChoice {
  const chosen = chosenId ? keys.find((k) => k.id === chosenId) : undefined;
  if (chosen) {
    return { key: chosen, source: 'chosen' };
  }
  const active = activeId ? keys.find((k) => k.id === activeId) : undefined;
  const chosenMissing = chosenId !== undefined || undefined;
  if (active) {
    return { key: active, source: 'active', chosenMissing };
  }
  return { source: 'none', chosenMissing };
}

/** A key with no scopes reaches everything in the organisation; one whose scopes are unknown is not assumed to. */
export function isFullAccess(key: Pick<KeyMeta, 'scopes'>): boolean {
  return key.scopes !== undefined && key.scopes.length === 0;
}

/**
 * The environment VS Code adds to the MCP server process. `null` removes a variable the
 * extension host may have inherited from the user's shell: an `AVALA_BASE_URL` left there
 * would otherwise send this key to another host, and a stray mutations flag would lift
 * the read-only default.
 */
export function mcpServerEnvironment(options: { key?: string; baseUrl: string; enableMutations: boolean }): Record<string, string | null> {
  const env: Record<string, string | null> = {
    [ENV.apiKey]: null,
    [ENV.baseUrl]: null,
    [ENV.allowInsecure]: null,
    ...keyEnvironment(options.key, options.baseUrl),
    [MCP_MUTATIONS_VAR]: options.enableMutations ? 'true' : null,
  };
  return env;
}

/**
 * The environment of the definition VS Code lists and caches: no key and no address (the
 * key's own base URL is added at start), only the variables it must clear and the flag.
 */
export function mcpListedEnvironment(enableMutations: boolean): Record<string, string | null> {
  return mcpServerEnvironment({ baseUrl: DEFAULT_BASE_URL, enableMutations });
}

/**
 * Changes whenever the server would start differently, so VS Code offers to refresh its
 * tools. Holds ids and flags only, never a key.
 */
export function mcpDefinitionVersion(choice: McpKeyChoice, settings: McpServerSettings): string {
  return [
    choice.key?.id ?? 'none',
    (choice.key?.scopes ?? ['?']).join(','),
    settings.enableMutations ? 'rw' : 'ro',
    choice.key?.baseUrl ?? '',
    settings.readsBaseUrl ? 'base-url' : 'production',
    // Lengths first, so that no two different commands join to the same text.
    settings.command.map((part) => `${part.length}:${part}`).join(' '),
  ].join('|');
}
