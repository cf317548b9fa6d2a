// Hard-coded key detection, its quick fixes and the memory of keys found not live: a lazy chunk (see LAZY in esbuild.mjs), loaded
// by registerSecurity.ts when the first document is to be scanned or a quick-fix command runs.
import * as vscode from 'vscode';
import { DisposableStore } from '../core/disposables';
import type { Services } from '../services';
import { GitIgnoredFiles } from './gitIgnored';
import { IgnoredKeyFiles } from './ignoredKeyFiles';
import { HardcodedKeyDiagnostics } from './keyDiagnostics';
import { KeyQuickFixes } from './keyQuickFixes';
import { NotLiveKeys } from './notLiveKeys';

export type SecurityFeatureDeps = Pick<Services, 'context' | 'store' | 'log' | 'commands'>;

/** The diagnostics and the quick fixes, built together: the fixes act on the diagnostics' findings. */
export class SecurityFeature implements vscode.Disposable {
  readonly diagnostics: HardcodedKeyDiagnostics;
  readonly fixes: KeyQuickFixes;
  /** Keys a live check found revoked or expired (fingerprints only): their findings drop to Information. */
  readonly notLive: NotLiveKeys;
  private readonly disposables = new DisposableStore();

  constructor(deps: SecurityFeatureDeps) {
    const { context, store, log, commands } = deps;
    const gitIgnored = new GitIgnoredFiles({ log });
    const ignored = new IgnoredKeyFiles({ state: context.workspaceState });
    const detection = { enabled: () => vscode.workspace.getConfiguration('avala').get<boolean>('security.detectHardcodedKeys', true) };
    this.notLive = new NotLiveKeys({ state: context.workspaceState });
    this.diagnostics = new HardcodedKeyDiagnostics({ store, gitIgnored, ignored, settings: detection, notLive: this.notLive, log });
    this.fixes = new KeyQuickFixes({
      store,
      login: { logIn: (value, source, origin) => commands.value.logIn(value, source, origin) },
      ignored,
      log,
      openMissionControl: () => commands.value.openMissionControl(),
    });
    this.disposables.add(gitIgnored, ignored, this.notLive, this.diagnostics);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
