// The entry for the web worker extension host (vscode.dev, github.dev, code-server with
// "remote.extensionKind": {"avala.avala-vscode": ["web"]}). Built by esbuild for the browser
// into dist/browser/extension.js: the transport is the fetch one (see esbuild.mjs), and no
// Node module is bundled.
import type * as vscode from 'vscode';
import { activateIn } from './extension';

export { deactivate } from './extension';

export function activate(context: vscode.ExtensionContext): void {
  activateIn(context, 'web');
}
