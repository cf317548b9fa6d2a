import * as vscode from 'vscode';

/**
 * In VS Code in a browser there are no terminals, tasks or debug sessions to hand a key to:
 * their commands stay registered (menus, keybindings and `${command:…}` still name them) and
 * answer with one line instead of "command not found". A task's `${command:avala.apiKey}`
 * gets nothing, so no key is handed out.
 */
export function registerDesktopOnly(commands: readonly string[]): vscode.Disposable[] {
  return commands.map((id) =>
    vscode.commands.registerCommand(id, () => {
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Not in the browser: terminals, tasks and debug sessions get Avala keys in VS Code desktop or a remote window. Keys, checks and sign-in work here.',
        ),
      );
      return undefined;
    }),
  );
}
