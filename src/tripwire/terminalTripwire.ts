// The terminal tripwire: with VS Code's shell integration, notices a key typed into a variable
// (it is now in the shell's history) and Avala refusing the injected key in a command's output.
import * as vscode from 'vscode';
import type { Settings } from '../config';
import { fingerprintOf, type KeyStore } from '../core/keyStore';
import type { KeyMeta } from '../core/keyIndex';
import type { Lazy } from '../core/lazy';
import { folderKeyOf } from '../inject/keys';
import type { KeyCommands } from '../keys/keyCommands';
import type { Log } from '../log';
import type { KeyValidator } from '../validation/core/keyValidator';
import { findKeyAssignments, historyAdvice, RecheckGate, RefusalWatcher, shellKind, type KeyAssignment } from './core/commandLine';

/** A refusal in a terminal's output re-checks the active key at most this often. */
const RECHECK_GAP_MS = 60_000;
/** Output read from one command at most (a refusal is in the first lines a program prints). */
const MAX_OUTPUT_CHARS = 1024 * 1024;

export interface TerminalTripwireDeps {
  store: KeyStore;
  settings: Settings;
  validator: KeyValidator;
  commands: Lazy<KeyCommands>;
  log: Log;
}

/** What the tripwire does with a command; loaded on the first command (a lazy chunk), see ./registerTripwire.ts. */
export class TerminalTripwire {
  private readonly gate = new RecheckGate(RECHECK_GAP_MS);
  /** Fingerprints already told about, per terminal: the same key typed again is not told twice. */
  private readonly told = new WeakMap<vscode.Terminal, Set<string>>();

  constructor(private readonly deps: TerminalTripwireDeps) {}

  /** A key typed into a variable: one notification per command line. */
  async checkCommandLine(e: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    const assignments = findKeyAssignments(e.execution.commandLine.value);
    if (assignments.length === 0) {
      return;
    }
    const told = this.told.get(e.terminal) ?? new Set<string>();
    this.told.set(e.terminal, told);
    const fresh = assignments.filter((a) => !told.has(fingerprintOf(a.value)));
    if (fresh.length === 0) {
      return;
    }
    fresh.forEach((a) => told.add(fingerprintOf(a.value)));
    await this.deps.store.ready;
    const shell = shellKind(e.terminal.state.shell, (e.terminal.creationOptions as vscode.TerminalOptions).shellPath);
    const names = [...new Set(fresh.map((a) => a.name))].join(', ');
    this.deps.log.info(`Terminal "${e.terminal.name}": a command put a key into ${names}; it is now in the shell's history.`);
    const stored = fresh.map((a) => this.deps.store.findByValue(a.value));
    const unstored = fresh.filter((_, i) => !stored[i]);
    if (unstored.length === 0) {
      await this.tellStored(
        e.terminal,
        stored.filter((m): m is KeyMeta => !!m),
        names,
        historyAdvice(shell, fresh[0].name),
      );
    } else {
      await this.offerToStore(e.terminal, unstored[0], names, historyAdvice(shell, fresh[0].name));
    }
  }

  private async tellStored(terminal: vscode.Terminal, keys: KeyMeta[], names: string, advice: string): Promise<void> {
    const labels = keys.map((k) => `"${k.label}"`).join(', ');
    const active = keys.some((k) => k.id === this.deps.store.activeId());
    const instead = active
      ? vscode.l10n.t('New terminals already get it without typing it.')
      : vscode.l10n.t('"Avala: Open Terminal with Key…" opens a terminal with it, without typing it.');
    const message = vscode.l10n.t(
      'The Avala key {0} typed into {1} in terminal "{2}" is now in this shell\'s history. It is already in secret storage. {3} {4}',
      labels,
      names,
      terminal.name,
      instead,
      advice,
    );
    await vscode.window.showWarningMessage(message);
  }

  private async offerToStore(terminal: vscode.Terminal, key: KeyAssignment, names: string, advice: string): Promise<void> {
    const store = vscode.l10n.t('Store in Secret Storage');
    const message = vscode.l10n.t(
      'An Avala key typed into {0} in terminal "{1}" is now in this shell\'s history. Store it in VS Code\'s secret storage, and new terminals get it without typing it. {2}',
      names,
      terminal.name,
      advice,
    );
    const choice = await vscode.window.showWarningMessage(message, store);
    if (choice === store) {
      // Checked with Avala like Log In, then stored; the flow reports the outcome.
      await this.deps.commands.value.logIn(key.value, 'import', vscode.l10n.t('terminal "{0}"', terminal.name));
    }
  }

  /** Reads a command's output while the active key is in that terminal: a refusal re-checks it. */
  async watchOutput(e: vscode.TerminalShellExecutionStartEvent): Promise<void> {
    const key = this.injectedKey(e.terminal);
    if (!key) {
      return;
    }
    const watcher = new RefusalWatcher();
    let read = 0;
    try {
      for await (const chunk of e.execution.read()) {
        read += chunk.length;
        if (watcher.push(chunk) || read > MAX_OUTPUT_CHARS) {
          break;
        }
      }
    } catch (error) {
      this.deps.log.debug(`Terminal output could not be read: ${(error as Error).name}.`);
      return;
    }
    if (!watcher.refused) {
      return;
    }
    if (!this.gate.allow(Date.now())) {
      this.deps.log.debug(`Terminal "${e.terminal.name}": Avala refused a key again; re-checked less than a minute ago.`);
      return;
    }
    this.deps.log.info(`Terminal "${e.terminal.name}": a command's output shows Avala refusing a key; re-checking "${key.label}".`);
    await this.deps.validator.validate(key.id, 'terminal');
  }

  /**
   * The key VS Code put into this terminal's environment: the active key of its folder (or the
   * workspace's), when keys are injected here. A terminal the user opened for a chosen key, or
   * with an environment of its own, is not watched.
   */
  private injectedKey(terminal: vscode.Terminal): KeyMeta | undefined {
    if (!vscode.workspace.isTrusted || !this.deps.settings.current.terminalInjectKey) {
      return undefined;
    }
    const options = terminal.creationOptions as vscode.TerminalOptions;
    if (options.strictEnv || (options.env && 'AVALA_API_KEY' in options.env)) {
      return undefined;
    }
    const cwd = terminal.shellIntegration?.cwd ?? (typeof options.cwd === 'string' ? vscode.Uri.file(options.cwd) : options.cwd);
    const folder = cwd ? vscode.workspace.getWorkspaceFolder(cwd) : undefined;
    return this.deps.store.active(folderKeyOf(folder));
  }
}
