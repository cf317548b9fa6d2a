// Answers the extension's prompts from inside the extension host, as a person pressing Enter would.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KeyMeta } from '../../src/core/keyIndex';

/**
 * Settles `work` while accepting whatever quick pick or input box it opens with its
 * pre-selected item or pre-filled value, as a person pressing Enter would.
 */
export async function acceptingPrompts<T>(work: Thenable<T>, timeoutMs = 20_000): Promise<T> {
  let settled = false;
  const done = Promise.resolve(work).finally(() => (settled = true));
  const deadline = Date.now() + timeoutMs;
  while (!settled && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    if (!settled) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
  }
  return done;
}

/** "Log In with API Key" with the key given, accepting the suggested label and environment. */
export async function logInWith(key: string): Promise<KeyMeta> {
  const meta = await acceptingPrompts(vscode.commands.executeCommand<KeyMeta | undefined>('avala.login', key));
  assert.ok(meta, 'Log In with API Key stored no key');
  return meta;
}
