// How a switch that hands keys out is read. Apart from workspaceSettings.ts (the settings guard's,
// a lazy chunk) because the settings read at activation (config.ts) need it.

/** What VS Code's `inspect()` reports for a boolean setting, by level. */
export interface InspectedSwitch {
  defaultValue?: boolean;
  globalValue?: boolean;
  workspaceValue?: boolean;
  workspaceFolderValue?: boolean;
}

/**
 * A switch that hands keys out (`avala.terminal.injectKey`, `avala.debug.injectKey`): a
 * workspace may turn it off, never on. When the user's own settings say false, a repository's
 * .vscode/settings.json saying true does not put keys into its terminals or launches.
 */
export function keySwitch(inspected: InspectedSwitch | undefined, fallback: boolean): boolean {
  const user = inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  const workspace = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  return user && workspace !== false;
}
