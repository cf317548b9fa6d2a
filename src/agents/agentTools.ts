// What Avala's language-model tools do when invoked. Loaded on the first invocation (a lazy
// chunk, see LAZY in esbuild.mjs); registerAgents.ts registers the tools at activation.
import * as vscode from 'vscode';
import type { KeyStore } from '../core/keyStore';
import type { KeyValidator } from '../validation/core/keyValidator';
import { folderKeyOf } from '../inject/keys';
import {
  keyStatusResult,
  requiredScopesResult,
  restrictedResult,
  validateKeyPreparation,
  validateKeyResult,
  type KeyContext,
} from './core/toolResults';

export interface FolderInput {
  /** A workspace folder's name, path or URI. */
  folder?: string;
}

export interface ScopesInput extends FolderInput {
  calls?: string[];
}

export interface AgentToolsDeps {
  store: KeyStore;
  validator: Pick<KeyValidator, 'validate' | 'isChecking'>;
  /** Workspace trust: in Restricted Mode the tools answer only that they are off. */
  isTrusted(): boolean;
}

/** Answers for the three tools; every answer is text with no part of any key. */
export class AgentTools {
  constructor(private readonly deps: AgentToolsDeps) {}

  async keyStatus(input: FolderInput): Promise<string> {
    if (!this.deps.isTrusted()) {
      return restrictedResult();
    }
    return keyStatusResult(await this.context(input));
  }

  async validateKey(input: FolderInput): Promise<string> {
    if (!this.deps.isTrusted()) {
      return restrictedResult();
    }
    const before = await this.context(input);
    // Through the validator: a check already running is shared, throttling and backoff hold.
    const outcome = before.key ? await this.deps.validator.validate(before.key.id, 'agent') : undefined;
    return validateKeyResult(await this.context(input), outcome);
  }

  async requiredScopes(input: ScopesInput): Promise<string> {
    if (!this.deps.isTrusted()) {
      return restrictedResult();
    }
    const calls = Array.isArray(input.calls) ? input.calls.filter((c): c is string => typeof c === 'string') : [];
    return requiredScopesResult(await this.context(input), calls);
  }

  /** What `prepareInvocation` of avala_validateKey says will happen. */
  async validatePreparation(input: FolderInput): Promise<string> {
    if (!this.deps.isTrusted()) {
      return restrictedResult();
    }
    return validateKeyPreparation((await this.context(input)).key);
  }

  private async context(input: FolderInput): Promise<KeyContext> {
    await this.deps.store.ready;
    const wanted = typeof input.folder === 'string' ? input.folder.trim() : '';
    const folder = wanted ? findFolder(wanted) : undefined;
    const key = this.deps.store.active(folderKeyOf(folder));
    return {
      key,
      folder: folder?.name,
      unknownFolder: wanted && !folder ? wanted : undefined,
      checking: key ? this.deps.validator.isChecking(key.id) : false,
      now: Date.now(),
    };
  }
}

/** A workspace folder by name, path or URI (a path inside a folder finds that folder). */
function findFolder(wanted: string): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const byName = folders.find((f) => f.name === wanted);
  if (byName) {
    return byName;
  }
  let uri: vscode.Uri;
  try {
    uri = /^[a-z][a-z0-9+.-]+:\/\//i.test(wanted) ? vscode.Uri.parse(wanted, true) : vscode.Uri.file(wanted);
  } catch {
    return undefined;
  }
  return vscode.workspace.getWorkspaceFolder(uri);
}
