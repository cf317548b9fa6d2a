import * as vscode from 'vscode';
import { findKeyAssignments } from './core/dotenv';
import { ENV } from '../core/environment';
import { checkKeyShape, maskKey } from '../core/keyFormat';

export interface EnvironmentKeyCandidate {
  /** Where it was found, for the picker: "VS Code's environment" or ".env line 3". */
  where: string;
  value: string;
  masked: string;
  file?: vscode.Uri;
  line?: number;
}

const MAX_ENV_FILES = 50;
const MAX_ENV_FILE_BYTES = 256 * 1024;

/** AVALA_API_KEY from VS Code's own environment and from the workspace's .env files. */
export async function findEnvironmentKeys(): Promise<EnvironmentKeyCandidate[]> {
  const found: EnvironmentKeyCandidate[] = [];
  // No `process` in a web worker extension host (vscode.dev).
  const fromProcess = typeof process === 'undefined' ? undefined : process.env[ENV.apiKey];
  if (fromProcess) {
    const shape = checkKeyShape(fromProcess);
    if (shape.ok) {
      found.push({ where: vscode.l10n.t("{0} in VS Code's environment", ENV.apiKey), value: shape.key, masked: maskKey(shape.key) });
    }
  }
  if (!vscode.workspace.workspaceFolders?.length) {
    return found;
  }
  const files = await vscode.workspace.findFiles('**/.env*', '**/{node_modules,.git}/**', MAX_ENV_FILES);
  for (const file of files) {
    try {
      const stat = await vscode.workspace.fs.stat(file);
      if (stat.size > MAX_ENV_FILE_BYTES) {
        continue;
      }
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      for (const hit of findKeyAssignments(text)) {
        const shape = checkKeyShape(hit.value);
        if (shape.ok && !found.some((f) => f.value === shape.key && f.file?.toString() === file.toString())) {
          found.push({
            where: vscode.l10n.t('{0} line {1}', vscode.workspace.asRelativePath(file), hit.line + 1),
            value: shape.key,
            masked: maskKey(shape.key),
            file,
            line: hit.line,
          });
        }
      }
    } catch {
      // An unreadable file is simply not a candidate.
    }
  }
  return found;
}
