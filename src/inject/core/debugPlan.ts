// What a debug launch gets, decided without vscode: whether to add a key to a launch
// configuration, which key, and how to add it without touching anything the user wrote.
import { DEFAULT_BASE_URL, sameBaseUrl } from '../../core/baseUrl';
import { ENV } from '../../core/environment';
import * as l10n from '../../core/l10n';

/** The part of a launch configuration this module reads. */
export interface LaunchConfig {
  type: string;
  request?: string;
  name?: string;
  env?: unknown;
  environment?: unknown;
  avalaKey?: unknown;
  [property: string]: unknown;
}

/** How a debug type receives environment variables: an `env` object, or cppdbg's `environment` list. */
export type EnvShape = 'env' | 'environment';

/**
 * Debug types known to launch a process with an `env` object (or cppdbg's list). Other
 * types get a key only when their configuration already has an `env` object.
 */
export const ENV_SHAPES: Readonly<Record<string, EnvShape>> = {
  node: 'env',
  'pwa-node': 'env',
  'node-terminal': 'env',
  extensionHost: 'env',
  'pwa-extensionHost': 'env',
  python: 'env',
  debugpy: 'env',
  go: 'env',
  lldb: 'env',
  codelldb: 'env',
  java: 'env',
  coreclr: 'env',
  dart: 'env',
  rdbg: 'env',
  bashdb: 'env',
  deno: 'env',
  bun: 'env',
  cppdbg: 'environment',
  cppvsdbg: 'environment',
};

export function envShapeOf(config: LaunchConfig): EnvShape | undefined {
  const known = ENV_SHAPES[config.type];
  if (known) {
    return known;
  }
  if (isPlainObject(config.env)) {
    return 'env';
  }
  if (Array.isArray(config.environment)) {
    return 'environment';
  }
  return undefined;
}

export interface DebugPolicy {
  trusted: boolean;
  /** `avala.debug.injectKey`. */
  injectByDefault: boolean;
}

export type DebugDecision =
  /** Launch as written; `reason` is for the log (`quiet`: debug level only). */
  | { action: 'leave'; reason: string; quiet?: boolean }
  | { action: 'inject'; shape: EnvShape; label?: string }
  /** Do not launch; tell the user why. */
  | { action: 'refuse'; message: string };

/** Whether and how a launch configuration gets a key, before any key is looked up. */
export function decideDebugInjection(config: LaunchConfig, policy: DebugPolicy): DebugDecision {
  const name = config.name ? `"${config.name}"` : 'this launch configuration';
  // `name` in the language of the messages a person reads; a `reason` only goes to the log.
  const shown = config.name ? name : l10n.t('this launch configuration');
  if ('__pendingTargetId' in config) {
    // js-debug's session for the process its parent launch started, with the parent's env already.
    return { action: 'leave', reason: `${name} is a child session of a launch that already has its environment.`, quiet: true };
  }
  const requested = config.avalaKey;
  if (requested === false) {
    return { action: 'leave', reason: `${name} opts out with "avalaKey": false.`, quiet: true };
  }
  if (requested !== undefined && (typeof requested !== 'string' || requested.trim() === '')) {
    return {
      action: 'refuse',
      message: l10n.t(
        'The "avalaKey" of {0} must be the label of a stored Avala key (or false to launch without one). The launch was stopped.',
        shown,
      ),
    };
  }
  const label = typeof requested === 'string' ? requested.trim() : undefined;
  if (!policy.trusted) {
    return label
      ? {
          action: 'refuse',
          message: l10n.t(
            '{0} asks for the Avala key "{1}", but this workspace is in Restricted Mode, where keys are never handed out. Trust the workspace to launch it with the key.',
            shown,
            label,
          ),
        }
      : { action: 'leave', reason: `${name}: Restricted Mode, no key added.` };
  }
  if (config.request === 'attach') {
    return label
      ? {
          action: 'refuse',
          message: l10n.t(
            '{0} attaches to a process that is already running, so it cannot be given the Avala key "{1}". Remove "avalaKey", or start the process with the key in its environment.',
            shown,
            label,
          ),
        }
      : { action: 'leave', reason: `${name} attaches to a running process; its environment is already set.`, quiet: true };
  }
  const shape = envShapeOf(config);
  if (!shape) {
    return label
      ? {
          action: 'refuse',
          message: l10n.t(
            '{0} has debug type "{1}", which takes no "env", so the Avala key "{2}" cannot be added. Add an "env": {} to the configuration if the type supports one.',
            shown,
            config.type,
            label,
          ),
        }
      : { action: 'leave', reason: `${name}: debug type "${config.type}" takes no "env"; left alone.` };
  }
  if (label) {
    return { action: 'inject', shape, label };
  }
  if (!policy.injectByDefault) {
    return { action: 'leave', reason: `${name}: avala.debug.injectKey is off and no "avalaKey" is set.`, quiet: true };
  }
  return { action: 'inject', shape };
}

export interface EnvMerge {
  config: LaunchConfig;
  /** Variables this call added. */
  added: string[];
  /** Avala variables the user had set to something else and which were kept. */
  kept: string[];
  /** Why no key was added although one was wanted (the user provides their own). */
  conflict?: string;
}

/**
 * Adds `env` to the configuration without overwriting any value the user wrote. Safe to
 * call twice (VS Code resolves a configuration twice): values already equal are left.
 * When the user set their own AVALA_API_KEY, or an AVALA_BASE_URL the key does not
 * belong to, no Avala variable is added at all, so a key never goes to another host and
 * a key and a URL from different sources are never mixed.
 */
export function mergeKeyEnvironment(config: LaunchConfig, shape: EnvShape, env: Record<string, string>): EnvMerge {
  const existing = readEnv(config, shape);
  const keyBaseUrl = env[ENV.baseUrl] ?? DEFAULT_BASE_URL;
  const same = (name: string, value: unknown) =>
    name === ENV.baseUrl ? typeof value === 'string' && sameBaseUrl(value, keyBaseUrl) : value === env[name];
  const differs = (name: string) => existing.has(name) && !same(name, existing.get(name));
  if (differs(ENV.apiKey)) {
    return { config, added: [], kept: [ENV.apiKey], conflict: l10n.t('the configuration sets its own {0}', ENV.apiKey) };
  }
  if (differs(ENV.baseUrl)) {
    return {
      config,
      added: [],
      kept: [ENV.baseUrl],
      conflict: l10n.t('the configuration sets {0}, and the key belongs to {1}', ENV.baseUrl, keyBaseUrl),
    };
  }
  const added = Object.keys(env).filter((name) => !existing.has(name));
  const kept = Object.keys(env).filter(differs);
  if (added.length === 0) {
    return { config, added, kept };
  }
  return { config: writeEnv(config, shape, Object.fromEntries(added.map((name) => [name, env[name]]))), added, kept };
}

/** The configuration's own variables; a `null` value (which unsets a variable) counts as set. */
function readEnv(config: LaunchConfig, shape: EnvShape): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (shape === 'env') {
    if (isPlainObject(config.env)) {
      for (const [name, value] of Object.entries(config.env)) {
        out.set(name, value);
      }
    }
  } else if (Array.isArray(config.environment)) {
    for (const entry of config.environment) {
      if (isPlainObject(entry) && typeof entry.name === 'string') {
        out.set(entry.name, entry.value);
      }
    }
  }
  return out;
}

function writeEnv(config: LaunchConfig, shape: EnvShape, add: Record<string, string>): LaunchConfig {
  if (shape === 'env') {
    return { ...config, env: { ...(isPlainObject(config.env) ? config.env : {}), ...add } };
  }
  const list = Array.isArray(config.environment) ? config.environment : [];
  return { ...config, environment: [...list, ...Object.entries(add).map(([name, value]) => ({ name, value }))] };
}

/**
 * The message for an `"avalaKey"` that names no stored key. It names no other key: a
 * repository should not learn the labels of the keys stored here (a picker is offered instead).
 */
export function unknownKeyMessage(label: string, configName: string | undefined): string {
  const name = configName ? `"${configName}"` : l10n.t('The launch configuration');
  return l10n.t(
    '{0} asks for the Avala key "{1}", but no stored key has that label. The launch was stopped so your program does not run without its key.',
    name,
    label,
  );
}

/** Command variables that return a key and so must only be used inside an environment. */
export const KEY_VARIABLES = ['${command:avala.apiKey}', '${command:avala.pickKey}'];

/**
 * Where a launch configuration uses a key variable outside its environment. A key in
 * `args`, `program` or a task's command line is echoed (the Debug Console prints the
 * command line), so those uses are refused.
 */
export function unsafeKeyVariableUses(config: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (KEY_VARIABLES.some((v) => value.includes(v)) && !isEnvironmentPath(path)) {
        found.push(path);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        walk(item, path ? `${path}.${key}` : key);
      }
    }
  };
  walk(config, '');
  return found;
}

function isEnvironmentPath(path: string): boolean {
  return /^(options\.)?env\.[^.[\]]+$/.test(path) || /^environment\[\d+\]\.value$/.test(path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
