import * as vscode from 'vscode';
import { systemClock } from '../core/clock';
import { keyIdOf, type KeyArg } from '../core/keyArg';
import { STATUS_ACTIONS_COMMAND, validationResult } from './core/keyStatus';
import type { Services } from '../services';
import { CheckScheduler } from './core/checkScheduler';
import { KeyActions, notifyTransitions } from './keyActions';
import { KeyStatusBar } from './statusBar';

/** The status bar, the validation commands, the check schedule and the failure notifications. */
export function registerValidation(services: Services): vscode.Disposable[] {
  const { store, validator, settings, log, commands } = services;
  const statusBar = new KeyStatusBar({ store, validator });
  const actions = new KeyActions({ store, commands, log });
  const scheduler = new CheckScheduler({ keys: store, validator, settings: () => settings.current, clock: systemClock, log });

  /** "Avala: Validate Active Key" (and the tree's Validate): forced past backoff, never past Retry-After. */
  const validate = async (arg?: KeyArg) => {
    await store.ready;
    const id = keyIdOf(arg) ?? store.activeId();
    const meta = id ? store.get(id) : undefined;
    if (!id || !meta) {
      void vscode.window
        .showInformationMessage(vscode.l10n.t('There is no active Avala key to validate.'), vscode.l10n.t('Log In with API Key'))
        .then((a) => (a ? commands.value.logIn() : undefined));
      return undefined;
    }
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking "{0}" with Avala…', meta.label) },
      () => validator.validate(id, 'command', true),
    );
    const after = store.get(id);
    if (outcome && after) {
      void actions.show(validationResult(after, outcome.check, outcome.sent), id);
    }
    return outcome;
  };

  void store.ready.then(() => scheduler.start());

  return [
    statusBar,
    scheduler,
    vscode.commands.registerCommand('avala.validateKey', validate),
    vscode.commands.registerCommand('avala.validateSelectedKey', validate),
    vscode.commands.registerCommand(STATUS_ACTIONS_COMMAND, () => actions.pick(statusBar)),
    vscode.commands.registerCommand('avala.showLog', () => log.show()),
    notifyTransitions(services, actions),
    vscode.window.onDidChangeWindowState((e) => {
      if (e.focused) {
        void scheduler.focusGained();
      }
    }),
    settings.onDidChange(() => {
      scheduler.settingsChanged();
      statusBar.render();
    }),
  ];
}
