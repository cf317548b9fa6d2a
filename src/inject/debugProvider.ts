import * as vscode from 'vscode';
import type { Settings } from '../config';
import { decideDebugInjection, mergeKeyEnvironment, unknownKeyMessage, type LaunchConfig } from './core/debugPlan';
import { ENV, keyEnvironment } from '../core/environment';
import { type KeyMeta } from '../core/keyIndex';
import { KeyValueMissingError, type KeyStore } from '../core/keyStore';
import type { Lazy } from '../core/lazy';
import type { Log } from '../log';
import type { KeyAccessGate } from './keyAccess';
import { pickKey } from '../keys/keyPicker';
import { folderKeyOf, resolveKey } from './keys';

export interface DebugKeyProviderDeps {
  store: KeyStore;
  settings: Settings;
  log: Log;
  /** Loaded when a launch first needs a key it must ask for (a chunk of its own). */
  access: Lazy<KeyAccessGate>;
  /** Told each base URL handed to a debug session (see loopbackNotice.ts). */
  noticeBaseUrl?: (baseUrl: string) => void;
}

/**
 * Fills `env` with the key for every debug type, after VS Code substituted variables (so
 * a user's `${env:…}` or `${command:avala.apiKey}` values are seen as theirs). VS Code
 * calls this twice per launch; the merge leaves values it already added alone. A lazy chunk:
 * registerInjection.ts registers a shell that loads it at the first launch.
 */
export class DebugKeyProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly deps: DebugKeyProviderDeps) {}

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined | null> {
    const launch = config as LaunchConfig;
    const decision = decideDebugInjection(launch, {
      trusted: vscode.workspace.isTrusted,
      injectByDefault: this.deps.settings.current.debugInjectKey,
    });
    if (decision.action === 'leave') {
      (decision.quiet ? this.deps.log.debug : this.deps.log.info).call(this.deps.log, `Debug: ${decision.reason}`);
      return config;
    }
    if (decision.action === 'refuse') {
      return this.refuse(decision.message);
    }
    await this.deps.store.ready;
    const meta = decision.label ? this.deps.store.findByLabel(decision.label) : this.deps.store.active(folderKeyOf(folder));
    if (!meta) {
      if (decision.label) {
        return this.refuseUnknown(folder, config, decision.label);
      }
      this.deps.log.debug(`Debug: "${config.name}" launched without a key: no active Avala key.`);
      return config;
    }
    if (decision.label && !(await this.deps.access.value.mayUse(meta, 'launch', this.deps.store.activeId(folderKeyOf(folder))))) {
      this.deps.log.info(`Debug: "${config.name}" was not launched: the workspace may not use the key "${meta.label}".`);
      return undefined;
    }
    let key;
    try {
      key = await resolveKey(this.deps.store, meta);
    } catch (error) {
      if (error instanceof KeyValueMissingError) {
        return this.refuse(vscode.l10n.t('{0} Then relaunch "{1}".', error.message, config.name));
      }
      return this.refuse(
        vscode.l10n.t('The Avala key "{0}" for "{1}" could not be read: {2}', meta.label, config.name, (error as Error).message),
      );
    }
    const merge = mergeKeyEnvironment(launch, decision.shape, keyEnvironment(key.value, key.baseUrl));
    if (merge.conflict) {
      if (decision.label) {
        return this.refuse(
          vscode.l10n.t(
            '"{0}" asks for the Avala key "{1}", but {2}. Remove that variable or the "avalaKey", then launch again.',
            config.name,
            meta.label,
            merge.conflict,
          ),
        );
      }
      this.deps.log.info(`Debug: "${config.name}" gets no Avala key because ${merge.conflict}.`);
      return config;
    }
    if (merge.added.includes(ENV.baseUrl)) {
      this.deps.noticeBaseUrl?.(key.baseUrl);
    }
    if (merge.added.length > 0) {
      this.deps.log.info(
        `Debug: "${config.name}" (${config.type}) gets ${describe(meta)}: ${merge.added.join(', ')}${merge.kept.length ? `; kept your ${merge.kept.join(', ')}` : ''}.`,
      );
    }
    return merge.config as vscode.DebugConfiguration;
  }

  /** No key has that label: say so without naming other keys, and offer to choose one for this launch. */
  private refuseUnknown(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration, label: string): undefined {
    const message = unknownKeyMessage(label, config.name);
    this.deps.log.warn(`Debug launch stopped: ${message}`);
    const choose = vscode.l10n.t('Choose a Key…');
    const open = vscode.l10n.t('Open launch.json');
    void vscode.window.showErrorMessage(message, choose, open).then(async (choice) => {
      if (choice === open) {
        await vscode.commands.executeCommand('workbench.action.debug.configure');
      } else if (choice === choose) {
        const picked = await pickKey(this.deps.store, {
          title: vscode.l10n.t('Avala: key for "{0}"', String(config.name ?? '')),
          placeHolder: vscode.l10n.t('Which key should this launch get?'),
          current: this.deps.store.activeId(),
        });
        if (picked) {
          this.deps.access.value.allowOnce(picked.id);
          await vscode.debug.startDebugging(folder, { ...config, avalaKey: picked.label });
        }
      }
    });
    return undefined;
  }

  private refuse(message: string): undefined {
    this.deps.log.warn(`Debug launch stopped: ${message}`);
    void vscode.window.showErrorMessage(message, vscode.l10n.t('Open launch.json')).then((choice) => {
      if (choice) {
        void vscode.commands.executeCommand('workbench.action.debug.configure');
      }
    });
    return undefined;
  }
}

function describe(meta: KeyMeta): string {
  return `the key "${meta.label}" (${meta.environment}, ${meta.masked})`;
}
