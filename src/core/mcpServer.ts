// Avala's MCP server as VS Code starts it: which key it gets and the environment it runs in.
import { DEFAULT_BASE_URL } from './baseUrl';
import { ENV, keyEnvironment } from './environment';
import type { KeyMeta } from './keyStore';

export const MCP_SERVER_LABEL = 'Avala';
export const MCP_COMMAND = 'npx';
export const MCP_ARGS = ['-y', '@avala-ai/mcp-server'];
export const MCP_MUTATIONS_VAR = 'AVALA_MCP_ENABLE_MUTATIONS';

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
export function mcpDefinitionVersion(choice: McpKeyChoice, enableMutations: boolean): string {
  return [choice.key?.id ?? 'none', (choice.key?.scopes ?? ['?']).join(','), enableMutations ? 'rw' : 'ro', choice.key?.baseUrl ?? ''].join('|');
}
