import * as vscode from 'vscode';
import { DisposableStore } from '../core/disposables';
import { disposeIfLoaded, Lazy } from '../core/lazy';
import type { Services } from '../services';
import { isScannedScheme } from './core/scanTargets';
import type { KeyPasteGuard } from './keyPasteGuard';
import type { LiveKeyCheck } from './liveKeyCheck';
import { registerKeyPasteGuard } from './pasteGuardRegistration';
import type { SecurityFeature } from './securityFeature';
import type { SettingsGuard } from './settingsGuard';

/**
 * Settings a workspace cannot abuse, hard-coded key detection with its quick fixes and live
 * check, and the paste guard. A thin shell: what it registers exists at once; the detection
 * (its own chunk) loads when the first document is to be scanned or one of its commands runs,
 * the live check and the paste guard at their first use, the settings guard once the keyring is read.
 */
export function registerSecurity(services: Services): vscode.Disposable[] {
  const { context, store, settings, log, commands, api } = services;
  const feature = new Lazy<SecurityFeature>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SecurityFeature } = require('./securityFeature') as typeof import('./securityFeature');
    return new SecurityFeature(services);
  });
  const fixes = () => feature.value.fixes;
  const openMissionControl = () => commands.value.openMissionControl();
  const liveCheck = new Lazy<LiveKeyCheck>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LiveKeyCheck } = require('./liveKeyCheck') as typeof import('./liveKeyCheck');
    const { notLive } = feature.value;
    return new LiveKeyCheck({ store, api, notLive, log, openMissionControl, storeKey: (uri, range) => fixes().moveKey(uri, range) });
  });
  const pasteGuard = new Lazy<KeyPasteGuard>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KeyPasteGuard } = require('./keyPasteGuard') as typeof import('./keyPasteGuard');
    const login = { logIn: (value: string, source: 'editor', origin: string) => commands.value.logIn(value, source, origin) };
    return new KeyPasteGuard({ store, login, log, afterMove: (meta, expression, uri) => fixes().afterMove(meta, expression, uri) });
  });
  const guard = new Lazy<SettingsGuard>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SettingsGuard } = require('./settingsGuard') as typeof import('./settingsGuard');
    return new SettingsGuard({ state: context.workspaceState, settings, store, log });
  });
  const enabled = () => vscode.workspace.getConfiguration('avala').get<boolean>('security.detectHardcodedKeys', true);
  const needsScan = (document: vscode.TextDocument) => isScannedScheme(document.uri.scheme);
  // Until the detection loads: the one listener that loads it. Once loaded it listens itself.
  const untilLoaded = new DisposableStore();
  const loadIfNeeded = (documents: readonly vscode.TextDocument[]) => {
    if (!feature.loaded && enabled() && documents.some(needsScan)) {
      untilLoaded.dispose();
      void feature.value;
    }
  };
  untilLoaded.add(vscode.workspace.onDidOpenTextDocument((document) => loadIfNeeded([document])));
  let disposed = false;
  void store.ready.then(() => {
    if (!disposed) {
      loadIfNeeded(vscode.workspace.textDocuments);
      void guard.value;
    }
  });
  return [
    { dispose: () => (disposed = true) },
    untilLoaded,
    disposeIfLoaded(feature),
    disposeIfLoaded(guard),
    // Quick fixes act on this extension's diagnostics: none exist before the detection loaded.
    vscode.languages.registerCodeActionsProvider(
      { scheme: '*' },
      { provideCodeActions: (document, range, asked) => (feature.loaded ? fixes().provideCodeActions(document, range, asked) : []) },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.commands.registerCommand('avala.moveKeyToSecretStorage', (uri: vscode.Uri, range: vscode.Range) => fixes().moveKey(uri, range)),
    vscode.commands.registerCommand('avala.ignoreKeysInFile', (uri?: vscode.Uri) => fixes().ignoreFile(uri)),
    vscode.commands.registerCommand('avala.resetIgnoredKeyWarnings', () => fixes().resetIgnored()),
    vscode.commands.registerCommand('avala.checkKeyLive', (uri: vscode.Uri, range: vscode.Range) => liveCheck.value.check(uri, range)),
    ...registerKeyPasteGuard(pasteGuard),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('avala.security.detectHardcodedKeys')) {
        return feature.loaded ? feature.value.diagnostics.rescanAll() : loadIfNeeded(vscode.workspace.textDocuments);
      }
    }),
  ];
}
