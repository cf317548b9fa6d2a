import * as vscode from 'vscode';
import type { Services } from '../services';
import { GitIgnoredFiles } from './gitIgnored';
import { IgnoredKeyFiles } from './ignoredKeyFiles';
import { HardcodedKeyDiagnostics } from './keyDiagnostics';
import { KeyQuickFixes } from './keyQuickFixes';
import { SettingsGuard } from './settingsGuard';

/** Settings a workspace cannot abuse, and hard-coded key detection with its quick fixes. */
export function registerSecurity(services: Services): vscode.Disposable[] {
  const { context, store, settings, log, commands } = services;
  const gitIgnored = new GitIgnoredFiles({ log });
  const ignored = new IgnoredKeyFiles({ state: context.workspaceState });
  const detection = { enabled: () => vscode.workspace.getConfiguration('avala').get<boolean>('security.detectHardcodedKeys', true) };
  const diagnostics = new HardcodedKeyDiagnostics({ store, gitIgnored, ignored, settings: detection, log });
  const fixes = new KeyQuickFixes({
    store,
    login: { logIn: (value, source, origin) => commands.value.logIn(value, source, origin) },
    ignored,
    log,
    openMissionControl: () => commands.value.openMissionControl(),
  });
  const guard = new SettingsGuard({ state: context.workspaceState, settings, store, log });
  return [
    gitIgnored,
    ignored,
    diagnostics,
    guard,
    ...fixes.register(),
    vscode.workspace.onDidChangeConfiguration((e) =>
      e.affectsConfiguration('avala.security.detectHardcodedKeys') ? diagnostics.rescanAll() : undefined,
    ),
  ];
}
