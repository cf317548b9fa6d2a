import * as vscode from 'vscode';

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;

/** Asks which environment a key is for; free text allowed. `undefined` when cancelled. */
export async function pickEnvironment(title: string, current = 'development'): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { value?: string })[] = [
    ...ENVIRONMENTS.map((env) => ({ label: env, value: env, description: env === current ? 'current' : undefined })),
    { label: 'Other…', description: 'type a name, for example ci or qa' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Which environment is this key for? Separate keys per environment can be revoked one at a time.',
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
    prompt: 'Environment name',
    value: ENVIRONMENTS.includes(current as (typeof ENVIRONMENTS)[number]) ? '' : current,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter a name, or press Escape to cancel.' : v.trim().length > 40 ? 'Keep it under 40 characters.' : undefined),
  });
  return typed?.trim() || undefined;
}
