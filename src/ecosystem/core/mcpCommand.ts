// How the user set up Avala's MCP server (`avala.mcp.*`). Apart from mcpPlan.ts (the server's
// start, in a lazy chunk) because the settings read at activation (config.ts) need it.
import * as l10n from '../../core/l10n';

/** `avala.mcp.command` by default: Avala's published server, from the npm registry. */
export const DEFAULT_MCP_COMMAND: readonly string[] = ['npx', '-y', '@avala-ai/mcp-server'];
/** How the user (never a workspace) set up the server: machine-scoped settings. */
export interface McpServerSettings {
  /** `avala.mcp.command`: the program, then its arguments. */
  command: readonly string[];
  /**
   * `avala.mcp.readsBaseUrl`: the command sends its key to `AVALA_BASE_URL`. Avala's published
   * server (0.7.0) does not: it always calls the production API.
   */
  readsBaseUrl: boolean;
  enableMutations: boolean;
}

/**
 * `avala.mcp.command` as configured, or the default with the reason when it is not a list
 * of non-empty strings (a hand-edited settings.json can hold anything).
 */
export function mcpCommand(value: unknown): { command: readonly string[]; problem?: string } {
  if (value === undefined || value === null) {
    return { command: DEFAULT_MCP_COMMAND };
  }
  if (Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === 'string') && (value[0] as string).trim() !== '') {
    return { command: value as string[] };
  }
  return {
    command: DEFAULT_MCP_COMMAND,
    problem: l10n.t(
      '"avala.mcp.command" must be a list: the program first, then its arguments. Using "{0}" instead.',
      DEFAULT_MCP_COMMAND.join(' '),
    ),
  };
}
