// Which of Avala's machine settings a workspace tries to set, read from its settings files.
// VS Code drops machine-scoped values from workspace settings before an extension can
// inspect them, so the files themselves are the only witness of the attempt.
import { hostOf } from '../../core/baseUrl';
import * as l10n from '../../core/l10n';
import { redact } from '../../core/redact';

/** The settings that decide where keys are sent; only the user's own settings may set them. */
export const MACHINE_SETTINGS = [
  'avala.apiBaseUrl',
  'avala.missionControlUrl',
  'avala.allowInsecureLoopback',
  'avala.mcp.command',
  'avala.mcp.readsBaseUrl',
] as const;

export interface SettingAttempt {
  setting: (typeof MACHINE_SETTINGS)[number];
  value: unknown;
  /** Where: `.vscode/settings.json`, `project.code-workspace`. */
  source: string;
}

/** Parses VS Code's JSON with comments and trailing commas; undefined when it is not valid. */
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const startAt = i;
      i++;
      while (i < text.length && text[i] !== '"') {
        i += text[i] === '\\' ? 2 : 1;
      }
      out += text.slice(startAt, i + 1);
      i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else {
      out += ch;
      i++;
    }
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}

/**
 * The machine settings a settings object sets. `settingsText` is a folder's
 * `.vscode/settings.json`; for a `.code-workspace` file pass `{ workspaceFile: true }` and the
 * settings under its `settings` key are read.
 */
export function findSettingAttempts(settingsText: string, source: string, options: { workspaceFile?: boolean } = {}): SettingAttempt[] {
  const parsed = parseJsonc(settingsText);
  const root = options.workspaceFile ? (isRecord(parsed) ? parsed.settings : undefined) : parsed;
  if (!isRecord(root)) {
    return [];
  }
  const nested = isRecord(root.avala) ? root.avala : {};
  const attempts: SettingAttempt[] = [];
  for (const setting of MACHINE_SETTINGS) {
    const short = setting.slice('avala.'.length);
    const value = setting in root ? root[setting] : nested[short];
    if (value !== undefined) {
      attempts.push({ setting, value, source });
    }
  }
  return attempts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** How a value is shown to the user: no credentials in URLs, no keys, not too long. */
export function showValue(value: unknown): string {
  let text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
  text = redact(text);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** The one message that tells the user what a workspace tried and that it was ignored. */
export function describeAttempts(attempts: SettingAttempt[]): string {
  const sources = [...new Set(attempts.map((a) => a.source))];
  const oneSource = sources.length === 1;
  const parts = attempts.map(
    (a) => `${a.setting} = ${JSON.stringify(showValue(a.value))}${oneSource ? '' : ` ${l10n.t('(in {0})', a.source)}`}`,
  );
  const which = parts.length === 1 ? parts[0] : l10n.t('{0} and {1}', parts.slice(0, -1).join(', '), parts[parts.length - 1]);
  return (
    `${oneSource ? l10n.t("This workspace's settings ({0}) try to set {1}.", sources[0], which) : l10n.t("This workspace's settings try to set {0}.", which)} ` +
    (attempts.length === 1
      ? l10n.t(
          'Avala ignores it: where your API keys are sent is decided only by your user settings, so a repository cannot redirect your keys to another host.',
        )
      : l10n.t(
          'Avala ignores them: where your API keys are sent is decided only by your user settings, so a repository cannot redirect your keys to another host.',
        ))
  );
}

/** A stable memo of one attempt, so the user is told once per workspace and value. */
export function attemptMemo(attempt: SettingAttempt, hash: (text: string) => string): string {
  return `${attempt.setting}:${hash(JSON.stringify(attempt.value) ?? 'undefined')}`;
}

export interface HostedKey {
  label: string;
  baseUrl: string;
}

/**
 * After `avala.apiBaseUrl` changes: which stored keys belong to which host. Keys keep going
 * only to the host they were stored for; new keys are stored for the new one.
 */
export function describeKeyHosts(keys: HostedKey[], newBaseUrl: string, activeLabel?: string): string {
  const newHost = hostOf(newBaseUrl);
  const counts = new Map<string, number>();
  for (const key of keys) {
    const host = hostOf(key.baseUrl);
    counts.set(host, (counts.get(host) ?? 0) + 1);
  }
  const list = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(
      ([host, n]) =>
        `${n === 1 ? l10n.t('1 key for {0}', host) : l10n.t('{0} keys for {1}', n, host)}${host === newHost ? ` ${l10n.t('(the new API)')}` : ''}`,
    )
    .join(', ');
  let text = l10n.t(
    'Avala now talks to {0}. Each key is only ever sent to the API it was stored for: {1}. New keys will be stored for {0}.',
    newHost,
    list,
  );
  const active = activeLabel ? keys.find((k) => k.label === activeLabel) : undefined;
  if (active && hostOf(active.baseUrl) !== newHost) {
    text += ` ${l10n.t('The active key "{0}" belongs to {1} and is still sent only there.', active.label, hostOf(active.baseUrl))}`;
  }
  return text;
}

export { keySwitch, type InspectedSwitch } from './keySwitch';
