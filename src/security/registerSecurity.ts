import * as vscode from 'vscode';
import type { Services } from '../services';
import { GitIgnoredFiles } from './gitIgnored';
import { IgnoredKeyFiles } from './ignoredKeyFiles';
import { HardcodedKeyDiagnostics } from './keyDiagnostics';
import { Lazy } from '../core/lazy';
import type { KeyPasteGuard } from './keyPasteGuard';
import { KeyQuickFixes } from './keyQuickFixes';
import type { LiveKeyCheck } from './liveKeyCheck';
import { NotLiveKeys } from './notLiveKeys';
import { registerKeyPasteGuard } from './pasteGuardRegistration';
import { SettingsGuard } from './settingsGuard';

/** Settings a workspace cannot abuse, hard-coded key detection with its quick fixes and live check, and the paste guard. */
export function registerSecurity(services: Services): vscode.Disposable[] {
  const { context, store, settings, log, commands, api } = services;
  const gitIgnored = new GitIgnoredFiles({ log });
  const ignored = new IgnoredKeyFiles({ state: context.workspaceState });
  const detection = { enabled: () => vscode.workspace.getConfiguration('avala').get<boolean>('security.detectHardcodedKeys', true) };
  const notLive = new NotLiveKeys({ state: context.workspaceState });
  const diagnostics = new HardcodedKeyDiagnostics({ store, gitIgnored, ignored, settings: detection, notLive, log });
  const login = { logIn: (value: string, source: 'editor', origin: string) => commands.value.logIn(value, source, origin) };
  const openMissionControl = () => commands.value.openMissionControl();
  const fixes = new KeyQuickFixes({ store, login, ignored, log, openMissionControl });
  // The live check and the paste guard load when first used (lazy chunks, see esbuild.mjs).
  const liveCheck = new Lazy<LiveKeyCheck>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LiveKeyCheck } = require('./liveKeyCheck') as typeof import('./liveKeyCheck');
    return new LiveKeyCheck({ store, api, notLive, log, openMissionControl, storeKey: (uri, range) => fixes.moveKey(uri, range) });
  });
  const pasteGuard = new Lazy<KeyPasteGuard>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KeyPasteGuard } = require('./keyPasteGuard') as typeof import('./keyPasteGuard');
    return new KeyPasteGuard({ store, login, log, afterMove: (meta, expression, uri) => fixes.afterMove(meta, expression, uri) });
  });
  const guard = new SettingsGuard({ state: context.workspaceState, settings, store, log });
  return [
    gitIgnored,
    ignored,
    notLive,
    diagnostics,
    guard,
    ...fixes.register(),
    ...registerKeyPasteGuard(pasteGuard),
    vscode.commands.registerCommand('avala.checkKeyLive', (uri: vscode.Uri, range: vscode.Range) => liveCheck.value.check(uri, range)),
    vscode.workspace.onDidChangeConfiguration((e) =>
      e.affectsConfiguration('avala.security.detectHardcodedKeys') ? diagnostics.rescanAll() : undefined,
    ),
  ];
}
