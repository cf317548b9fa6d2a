import * as vscode from 'vscode';
import { hostOf } from '../core/baseUrl';
import { describeState } from '../core/keyStateWords';
import type { KeyMeta } from '../core/keyIndex';
import type { KeyStore } from '../core/keyStore';
import { shownState } from './core/keyRows';

export interface KeyRowOptions {
  /** The key to mark (the active one, the MCP server's, a folder's own). */
  current?: string;
  /** The word that marks it: "active" unless said otherwise. */
  currentWord?: string;
  /** The row's second line: the key's state and API host unless said otherwise. */
  detail?(key: KeyMeta): string;
  /** Rows whose icon warns (a full-access key offered to agents). */
  warns?(key: KeyMeta): boolean;
}

export interface KeyPickerOptions extends KeyRowOptions {
  title: string;
  placeHolder: string;
  /** The keys to choose from: every stored key unless said otherwise. */
  keys?: KeyMeta[];
  /** Which keys may be chosen; the others are left out and `omitted` says why below the list. */
  fits?(key: KeyMeta): boolean;
  omitted?(count: number): string;
  /** Called instead of showing an empty list when keys are stored but none fits; says why. */
  noneFits?(): Promise<void>;
  /** With no key stored, the key the offered Log In or Sign Up stores is the answer. */
  useNewKey?: boolean;
}

export type KeyItem = vscode.QuickPickItem & { id?: string };

/** One row per key, the same in every picker: label, environment, masked value, the current one marked. */
export function keyRows(keys: KeyMeta[], options: KeyRowOptions = {}): KeyItem[] {
  const word = options.currentWord ?? vscode.l10n.t('active');
  return keys.map((k) => ({
    label: k.label,
    description: `${k.environment} · ${k.masked}${k.id === options.current ? ` · ${word}` : ''}`,
    detail: options.detail ? options.detail(k) : `${describeState(shownState(k))} · ${hostOf(k.baseUrl)}`,
    iconPath: new vscode.ThemeIcon(options.warns?.(k) ? 'warning' : k.id === options.current ? 'check' : 'key'),
    id: k.id,
  }));
}

/**
 * Asks which key. With none stored, offers Log In and Sign Up instead. `undefined` when
 * cancelled, when nothing fits, or (unless `useNewKey`) after offering to log in.
 */
export async function pickKey(store: KeyStore, options: KeyPickerOptions): Promise<KeyMeta | undefined> {
  await store.ready;
  const keys = options.keys ?? store.list();
  if (keys.length === 0) {
    const logIn = vscode.l10n.t('Log In with API Key');
    const signUp = vscode.l10n.t('Sign Up');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No Avala keys are stored yet.'), logIn, signUp);
    if (!choice) {
      return undefined;
    }
    const stored = await vscode.commands.executeCommand<KeyMeta | undefined>(choice === signUp ? 'avala.signUp' : 'avala.login');
    return options.useNewKey ? stored : undefined;
  }
  const fitting = options.fits ? keys.filter((k) => options.fits!(k)) : keys;
  if (fitting.length === 0) {
    await options.noneFits?.();
    return undefined;
  }
  const left = keys.length - fitting.length;
  // A placeholder is one line: why keys are left out stands in a separator below the keys, where it is not cut off.
  const note: KeyItem[] = left > 0 && options.omitted ? [{ label: options.omitted(left), kind: vscode.QuickPickItemKind.Separator }] : [];
  const picked = await vscode.window.showQuickPick<KeyItem>([...keyRows(fitting, options), ...note], {
    title: options.title,
    placeHolder: options.placeHolder,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.id ? store.get(picked.id) : undefined;
}
