// Whether a repository may take a stored key without asking: a launch configuration that
// names a key other than the active one, or a task that reads a key variable, needs the
// user's yes once per workspace and key. Decided without vscode; the answers live in the
// workspace's own state (key ids only, never a key).
import type { StateBackend } from '../../core/keyStore';
import * as l10n from '../../core/l10n';

export const KEY_ACCESS_STATE = 'avala.workspaceKeyAccess';

/** Who in the workspace wants the key. */
export type KeyUse = 'launch' | 'task';
export type KeyAccessAnswer = 'allow' | 'deny';
export type KeyAccessDecision = 'allowed' | 'ask' | 'refused';

/** The remembered answers of one workspace. */
export class WorkspaceKeyAccess {
  constructor(private readonly state: StateBackend) {}

  answer(keyId: string): KeyAccessAnswer | undefined {
    const value = this.all()[keyId];
    return value === 'allow' || value === 'deny' ? value : undefined;
  }

  all(): Record<string, KeyAccessAnswer> {
    return { ...(this.state.get<Record<string, KeyAccessAnswer>>(KEY_ACCESS_STATE) ?? {}) };
  }

  async remember(keyId: string, answer: KeyAccessAnswer): Promise<void> {
    await this.state.update(KEY_ACCESS_STATE, { ...this.all(), [keyId]: answer });
  }

  /** Revokes an answer: the next use asks again. */
  async forget(keyId: string): Promise<void> {
    const all = this.all();
    delete all[keyId];
    await this.state.update(KEY_ACCESS_STATE, Object.keys(all).length ? all : undefined);
  }

  /**
   * A launch configuration may use the active key without asking (it gets it anyway); any
   * other key, and every key a task reads through a command variable, needs a yes.
   */
  decide(use: KeyUse, keyId: string, activeId: string | undefined): KeyAccessDecision {
    if (use === 'launch' && keyId === activeId) {
      return 'allowed';
    }
    const answer = this.answer(keyId);
    return answer === 'allow' ? 'allowed' : answer === 'deny' ? 'refused' : 'ask';
  }
}

/** The question, in the words a person reads. */
export function keyAccessQuestion(use: KeyUse, label: string): string {
  return use === 'launch'
    ? l10n.t("Allow this workspace's launch configurations to use '{0}'?", label)
    : l10n.t("Allow this workspace's tasks to use '{0}'?", label);
}

/** Said when a remembered "no" stops a launch or task. */
export function keyAccessRefusedMessage(use: KeyUse, label: string): string {
  return use === 'launch'
    ? l10n.t(
        "This workspace's launch configurations are not allowed to use the Avala key '{0}', so the launch was stopped. Change that with Avala: Manage Workspace Access to Keys.",
        label,
      )
    : l10n.t(
        "This workspace's tasks are not allowed to use the Avala key '{0}', so the task got no key. Change that with Avala: Manage Workspace Access to Keys.",
        label,
      );
}
