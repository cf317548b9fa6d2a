import * as vscode from 'vscode';
import { systemClock } from '../core/clock';
import { keyIdOf, type KeyArg } from '../core/keyArg';
import { disposeIfLoaded, Lazy } from '../core/lazy';
import { isDefinitive, type KeyState } from '../core/keyState';
import { STATUS_ACTIONS_COMMAND } from './core/statusCommands';
import type { Services } from '../services';
import type { CheckScheduler } from './core/checkScheduler';
import type { KeyActions } from './keyActions';
import { KeyStatusBar, type StatusWords } from './statusBar';

/** The status bar, the validation commands, the check schedule and the failure notifications. */
export function registerValidation(services: Services): vscode.Disposable[] {
  const { store, validator, settings, log, commands } = services;
  // The wording (status bar, notices) and the actions behind them: chunks of their own, loaded at
  // the status bar's first render (once the keyring is read) and at the first notice or click.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const words = new Lazy<StatusWords>(() => require('./core/keyStatus') as StatusWords);
  const actions = new Lazy<KeyActions>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KeyActions } = require('./keyActions') as typeof import('./keyActions');
    return new KeyActions({ store, commands, log });
  });
  const statusBar = new KeyStatusBar({ store, validator, words });
  // The check schedule starts once the keyring is read (as it always did): its chunk loads then.
  const scheduler = new Lazy<CheckScheduler>(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CheckScheduler } = require('./core/checkScheduler') as typeof import('./core/checkScheduler');
    return new CheckScheduler({ keys: store, validator, settings: () => settings.current, clock: systemClock, log });
  });
  let disposed = false;

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
      void actions.value.show(words.value.validationResult(after, outcome.check, outcome.sent), id);
    }
    return outcome;
  };

  void store.ready.then(() => (disposed ? undefined : scheduler.value.start()));

  return [
    statusBar,
    { dispose: () => (disposed = true) },
    disposeIfLoaded(scheduler),
    vscode.commands.registerCommand('avala.validateKey', validate),
    vscode.commands.registerCommand('avala.validateSelectedKey', validate),
    vscode.commands.registerCommand(STATUS_ACTIONS_COMMAND, () => actions.value.pick(statusBar)),
    vscode.commands.registerCommand('avala.showLog', () => log.show()),
    notifyTransitions(services, words, actions),
    vscode.window.onDidChangeWindowState((e) => {
      if (e.focused && scheduler.loaded) {
        void scheduler.value.focusGained();
      }
    }),
    settings.onDidChange(() => {
      if (scheduler.loaded) {
        scheduler.value.settingsChanged();
      }
      statusBar.render();
    }),
  ];
}

/**
 * One notification per change from valid to a key failure. The last state that said
 * something about a key is remembered, so an outage in between neither notifies nor resets it.
 * "Validate Active Key" reports its own result, so its checks only update the memory.
 */
function notifyTransitions(
  { store, validator, log }: Pick<Services, 'store' | 'validator' | 'log'>,
  words: Lazy<StatusWords>,
  actions: Lazy<KeyActions>,
): vscode.Disposable {
  const lastKnown = new Map<string, KeyState>();
  return validator.onDidCheck((e) => {
    const meta = store.get(e.id);
    const known = lastKnown.get(e.id) ?? (e.from && isDefinitive(e.from.state) ? e.from.state : undefined);
    if (isDefinitive(e.to.state)) {
      lastKnown.set(e.id, e.to.state);
    } else if (known) {
      lastKnown.set(e.id, known);
    }
    if (!meta || e.trigger === 'command') {
      return;
    }
    const notice = words.value.transitionNotice(meta, known, e.to);
    if (notice) {
      log.info(`Notified: "${meta.label}" went from valid to ${e.to.state}.`);
      void actions.value.show(notice, e.id);
    }
  });
}
