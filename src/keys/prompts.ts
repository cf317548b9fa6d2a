import * as vscode from 'vscode';

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;

/** What is wrong with a key label typed into an input box, or undefined when it will do. */
export function checkLabel(value: string): string | undefined {
  return value.trim() === ''
    ? vscode.l10n.t('Enter a label.')
    : value.trim().length > 60
      ? vscode.l10n.t('Keep it under 60 characters.')
      : undefined;
}

/** Asks which environment a key is for; free text allowed. `undefined` when cancelled. */
export async function pickEnvironment(title: string, current = 'development'): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { value?: string })[] = [
    ...ENVIRONMENTS.map((env) => ({ label: env, value: env, description: env === current ? vscode.l10n.t('current') : undefined })),
    { label: vscode.l10n.t('Other…'), description: vscode.l10n.t('type a name, for example ci or qa') },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: vscode.l10n.t('Which environment is this key for? Separate keys per environment can be revoked one at a time.'),
    ignoreFocusOut: true,
  });
  if (!picked) {
    return undefined;
  }
  if (picked.value) {
    return picked.value;
  }
  const typed = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Environment name'),
    value: ENVIRONMENTS.includes(current as (typeof ENVIRONMENTS)[number]) ? '' : current,
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() === ''
        ? vscode.l10n.t('Enter a name, or press Escape to cancel.')
        : v.trim().length > 40
          ? vscode.l10n.t('Keep it under 40 characters.')
          : undefined,
  });
  return typed?.trim() || undefined;
}

export interface TextPrompt {
  title: string;
  prompt: string;
  value?: string;
  placeHolder?: string;
  password?: boolean;
  /** Shown from the start (e.g. the server's reason for refusing what was typed). */
  initialError?: string;
  validate?: (value: string) => string | undefined;
}

/**
 * An input box that can open with an error already shown under a kept value, which
 * `showInputBox` cannot do (it only validates after the user types).
 */
export function askText(options: TextPrompt): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const original = options.value ?? '';
    const check = (value: string) => (options.initialError && value === original ? options.initialError : options.validate?.(value));
    box.title = options.title;
    box.prompt = options.prompt;
    box.value = original;
    box.placeholder = options.placeHolder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    box.validationMessage = options.initialError;
    let settled = false;
    const finish = (result: string | undefined) => {
      if (!settled) {
        settled = true;
        resolve(result);
        box.dispose();
      }
    };
    box.onDidChangeValue((value) => {
      box.validationMessage = check(value);
    });
    box.onDidAccept(() => {
      const problem = check(box.value);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
