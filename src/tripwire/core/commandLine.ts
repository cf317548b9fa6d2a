// The terminal tripwire's matchers: a command line that puts a key into a variable, and a
// command's output that shows Avala refusing a key. Pure. Which values are keys is the
// hard-coded-key scanner's decision (../../security/core/secretScan.ts): an `avk_…` key
// anywhere, a 40-hex value only under a key-like name, placeholders never.
import { DETAIL } from '../../core/classify';
import * as l10n from '../../core/l10n';
import { scanForKeys } from '../../security/core/secretScan';

export type ShellKind = 'bash' | 'zsh' | 'fish' | 'pwsh' | 'unknown';

export interface KeyAssignment {
  /** The variable the key was put into. */
  name: string;
  /** The key (unquoted). Never logged or shown. */
  value: string;
}

// A value: double-quoted, single-quoted or bare up to a separator.
const VALUE = `(?:"([^"]*)"|'([^']*)'|([^\\s;&|)"'\`]+))`;
const NAME = '([A-Za-z_][A-Za-z0-9_]*)';

// bash, zsh, sh: `export NAME=…`, `NAME=… cmd`, `env NAME=…`, `declare -x NAME=…`, several in a row.
const POSIX = new RegExp(`(?:^|[\\s;&|(])${NAME}=${VALUE}`, 'g');
// fish: `set [-gx|-Ux|--export …] NAME VALUE`.
const FISH = new RegExp(`(?:^|[\\s;&|(])set((?:\\s+--?[A-Za-z-]+)*)\\s+${NAME}\\s+${VALUE}`, 'g');
// PowerShell: `$env:NAME = "…"`, `$name = "…"`, `Set-Item env:NAME "…"` / `-Value "…"`,
// `[Environment]::SetEnvironmentVariable("NAME", "…")`.
const PWSH_VARIABLE = new RegExp(`\\$(?:env:)?${NAME}\\s*=\\s*${VALUE}`, 'gi');
const PWSH_SET_ITEM = new RegExp(`\\bSet-Item\\s+(?:-Path\\s+)?env:${NAME}\\s+(?:-Value\\s+)?${VALUE}`, 'gi');
const PWSH_DOTNET = new RegExp(`SetEnvironmentVariable\\(\\s*["']${NAME}["']\\s*,\\s*${VALUE}`, 'gi');

const MAX_COMMAND_LINE = 64 * 1024;

/** The keys a command line puts into variables, in any of the shells the tripwire knows. */
export function findKeyAssignments(commandLine: string): KeyAssignment[] {
  if (!commandLine || commandLine.length > MAX_COMMAND_LINE) {
    return [];
  }
  const found: KeyAssignment[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value && isKey(name, value) && !found.some((f) => f.value === value && f.name === name)) {
      found.push({ name, value });
    }
  };
  for (const m of commandLine.matchAll(POSIX)) {
    add(m[1], m[2] ?? m[3] ?? m[4]);
  }
  for (const m of commandLine.matchAll(FISH)) {
    // `set -e NAME` erases, `set -q NAME` asks: neither puts a value anywhere.
    if (!/(?:^|\s)-[A-Za-z]*[eq]|--(?:erase|query)/.test(m[1])) {
      add(m[2], m[3] ?? m[4] ?? m[5]);
    }
  }
  for (const pattern of [PWSH_VARIABLE, PWSH_SET_ITEM, PWSH_DOTNET]) {
    for (const m of commandLine.matchAll(pattern)) {
      add(m[1], m[2] ?? m[3] ?? m[4]);
    }
  }
  return found;
}

/** A value is a key when the scanner finds exactly it assigned to this name. */
function isKey(name: string, value: string): boolean {
  if (value.startsWith('$')) {
    return false;
  }
  const text = `${name}="${value}"`;
  const start = name.length + 2;
  return scanForKeys(text).findings.some((f) => f.start === start && f.value === value);
}

/** The shell behind a terminal, from VS Code's detected shell type or the shell's path. */
export function shellKind(shellType: string | undefined, shellPath?: string): ShellKind {
  const name = (shellType ?? shellPath?.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '');
  if (name === 'bash' || name === 'gitbash') {
    return 'bash';
  }
  if (name === 'zsh') {
    return 'zsh';
  }
  if (name === 'fish') {
    return 'fish';
  }
  if (name === 'pwsh' || name === 'powershell') {
    return 'pwsh';
  }
  return 'unknown';
}

/** How to take the command out of this shell's history and drop the variable. Plain text, no part of the key. */
export function historyAdvice(shell: ShellKind, name: string): string {
  switch (shell) {
    case 'bash':
      return l10n.t(
        "To remove it from this shell's history, find its number with “history | tail”, run “history -d <number>”, then “history -w” to rewrite the history file; then “unset {0}”.",
        name,
      );
    case 'zsh':
      return l10n.t(
        "zsh cannot delete one entry from a running shell's history: run “fc -W”, delete the line from $HISTFILE (usually ~/.zsh_history), then open a new terminal; and “unset {0}”.",
        name,
      );
    case 'fish':
      return l10n.t(
        "To remove it from this shell's history, run “history delete --contains {0}” and pick the entry; then “set -e {0}”.",
        name,
      );
    case 'pwsh':
      return l10n.t(
        "To remove it from this shell's history, run “Clear-History” and delete the line from PSReadLine's history file (“(Get-PSReadLineOption).HistorySavePath”); then “Remove-Item env:{0}”.",
        name,
      );
    case 'unknown':
      return l10n.t("Remove the command from this shell's history and its history file, then unset {0}.", name);
  }
}

// The three 401 answers that say the key a program sent (or did not send) was refused.
const REFUSALS = [DETAIL.invalidKey, DETAIL.expiredKey, DETAIL.missingKey];
// Terminal output carries colour and cursor escapes between words.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * Reads a command's output a chunk at a time (ANSI escapes removed, a bounded tail kept across
 * chunks so a phrase split between two is still found); says whether Avala refused a key in it.
 */
export class RefusalWatcher {
  private tail = '';
  private seen = false;

  /** Feeds a chunk of output; true once a refusal has been seen. */
  push(chunk: string): boolean {
    if (this.seen) {
      return true;
    }
    const text = this.tail + chunk.replace(ESCAPES, '');
    this.seen = REFUSALS.some((detail) => text.includes(detail));
    const keep = Math.max(...REFUSALS.map((d) => d.length));
    this.tail = text.slice(-keep);
    return this.seen;
  }

  get refused(): boolean {
    return this.seen;
  }
}

/** At most one re-check per `gapMs` (a loop printing the same 401 must not become a stream of requests). */
export class RecheckGate {
  private last = -Infinity;

  constructor(private readonly gapMs: number) {}

  /** True (and counts as a re-check) when the last one allowed is at least `gapMs` ago. */
  allow(now: number): boolean {
    if (now - this.last < this.gapMs) {
      return false;
    }
    this.last = now;
    return true;
  }
}
