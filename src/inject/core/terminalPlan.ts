// What terminals should see, computed without vscode: which variables go in the
// environment variable collection (and its per-folder scopes), what changes to write,
// and which open terminals still carry an older environment.
import { ENV, keyEnvironment } from '../../core/environment';
import * as l10n from '../../core/l10n';
import { sha256Hex } from '../../core/sha256';

/** Every variable the extension may put in a terminal or debug session. */
export const INJECTED_NAMES: readonly string[] = [ENV.apiKey, ENV.baseUrl, ENV.allowInsecure];

/** A key with its secret value read, ready to hand to a process. */
export interface ResolvedKey {
  id: string;
  label: string;
  environment: string;
  baseUrl: string;
  value: string;
}

export interface ScopePlan {
  env: Record<string, string>;
  description: string;
}

export interface TerminalPlan {
  /** The unscoped collection: every terminal. */
  workspace: ScopePlan;
  /** Per workspace-folder URI; present only when folders use different keys. */
  folders: Map<string, ScopePlan>;
  /** What new terminals get, for messages: `the key "ci" (staging)`, `no key (Restricted Mode)`. */
  summary: string;
}

export interface TerminalPlanInput {
  /** Why nothing is injected (Restricted Mode, setting off); undefined when injection is on. */
  blocked?: string;
  /** The workspace's active key. */
  workspaceKey?: ResolvedKey;
  /** Each workspace folder and its own active key (which may be the workspace's). */
  folders: { uri: string; key?: ResolvedKey }[];
  /** The configured base URL, used when there is no key at all. */
  configuredBaseUrl: string;
}

export function describeKey(key: Pick<ResolvedKey, 'label' | 'environment'>): string {
  return l10n.t('Avala key "{0}" ({1}) in AVALA_API_KEY', key.label, key.environment);
}

/**
 * Decides what the collections hold. When every folder uses the workspace's key, the
 * unscoped collection carries it. When a folder has its own key, only scoped collections
 * carry keys: VS Code merges an unscoped and a scoped value for the same variable in
 * insertion order, so mixing the two would make the winner depend on write history.
 */
export function planTerminalEnvironment(input: TerminalPlanInput): TerminalPlan {
  const folders = new Map<string, ScopePlan>();
  if (input.blocked !== undefined) {
    return {
      workspace: { env: {}, description: l10n.t('Avala: no key in terminals — {0}', input.blocked) },
      folders,
      summary: l10n.t('no key ({0})', input.blocked),
    };
  }
  const ws = input.workspaceKey;
  const split = input.folders.some((f) => f.key?.id !== ws?.id);
  if (!split) {
    return {
      workspace: scopeFor(ws, input.configuredBaseUrl),
      folders,
      summary: ws ? l10n.t('the key "{0}" ({1})', ws.label, ws.environment) : l10n.t('no key'),
    };
  }
  for (const folder of input.folders) {
    folders.set(folder.uri, scopeFor(folder.key, input.configuredBaseUrl));
  }
  return {
    workspace: { env: {}, description: l10n.t('Avala: each workspace folder has its own key') },
    folders,
    summary: l10n.t("each folder's own key"),
  };
}

function scopeFor(key: ResolvedKey | undefined, configuredBaseUrl: string): ScopePlan {
  if (!key) {
    // No key: the base URL alone (when not the default) still tells SDKs where the API is.
    return { env: keyEnvironment(undefined, configuredBaseUrl), description: l10n.t('Avala API settings (no active key)') };
  }
  return { env: keyEnvironment(key.value, key.baseUrl), description: describeKey(key) };
}

export interface EnvironmentChanges {
  set: [name: string, value: string][];
  remove: string[];
}

/**
 * The writes that turn `current` into `desired` for the injected names only. Unchanged
 * variables are not touched: rewriting them makes VS Code flag every terminal as stale.
 */
export function diffEnvironment(current: Record<string, string | undefined>, desired: Record<string, string>): EnvironmentChanges {
  const changes: EnvironmentChanges = { set: [], remove: [] };
  for (const name of INJECTED_NAMES) {
    const want = desired[name];
    const have = current[name];
    if (want === undefined) {
      if (have !== undefined) {
        changes.remove.push(name);
      }
    } else if (have !== want) {
      changes.set.push([name, want]);
    }
  }
  return changes;
}

export function hasChanges(changes: EnvironmentChanges): boolean {
  return changes.set.length > 0 || changes.remove.length > 0;
}

/** A one-way digest of what terminals receive, to notice a real change without keeping values. */
export function planDigest(plan: TerminalPlan): string {
  const parts = [
    ['', plan.workspace.env],
    ...[...plan.folders.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([uri, scope]) => [uri, scope.env]),
  ];
  return sha256Hex(JSON.stringify(parts));
}

/**
 * Remembers which terminals were opened before the latest environment change, and makes
 * sure the user is offered a relaunch of them once per change, not once per event.
 */
export class StaleTerminals<T> {
  private generation = 0;
  private readonly openedAt = new Map<T, number>();
  private offeredGeneration = 0;
  private offering = false;

  opened(terminal: T): void {
    this.openedAt.set(terminal, this.generation);
  }

  closed(terminal: T): void {
    this.openedAt.delete(terminal);
  }

  /** The terminal now runs with the current environment (it was relaunched). */
  refreshed(terminal: T): void {
    if (this.openedAt.has(terminal)) {
      this.openedAt.set(terminal, this.generation);
    }
  }

  /** The environment terminals receive has changed. */
  changed(): void {
    this.generation++;
  }

  stale(): T[] {
    return [...this.openedAt].filter(([, at]) => at < this.generation).map(([t]) => t);
  }

  /**
   * The terminals to offer a relaunch for, or undefined when there are none, an offer is
   * already on screen, or this change was offered already. Call `endOffer` when answered.
   */
  beginOffer(): T[] | undefined {
    if (this.offering || this.offeredGeneration === this.generation) {
      return undefined;
    }
    const stale = this.stale();
    if (stale.length === 0) {
      return undefined;
    }
    this.offering = true;
    this.offeredGeneration = this.generation;
    return stale;
  }

  endOffer(): void {
    this.offering = false;
  }
}
