// What the status bar, its action picker and the validator's notifications say about the
// active key. Pure: the status bar adapter only copies these values onto a StatusBarItem.
import { DETAIL } from './classify';
import type { KeyMeta } from './keyStore';
import { relativeTime, type KeyCheck, type KeyState } from './keyState';
import { FULL_ACCESS_ADVICE } from './scopes';

export type StatusTone = 'error' | 'warning';

export type StatusActionId = 'validate' | 'switch' | 'login' | 'replace' | 'missionControl' | 'showLog';

export interface StatusAction {
  id: StatusActionId;
  label: string;
  detail?: string;
}

export const LOGIN_COMMAND = 'avala.login';
export const STATUS_ACTIONS_COMMAND = 'avala.showKeyStatus';

export interface StatusView {
  /** Status bar text, with `$(icon)` codicons. */
  text: string;
  tone?: StatusTone;
  /** Markdown, with codicons; every server or user text in it is escaped. */
  tooltip: string;
  /** What a click runs. */
  command: typeof LOGIN_COMMAND | typeof STATUS_ACTIONS_COMMAND;
  /** For screen readers: the text without icons. */
  accessibilityLabel: string;
  /** Title of the action picker. */
  title: string;
  /** The picker's items, most useful first. */
  actions: StatusAction[];
}

export interface StatusInput {
  key: KeyMeta | undefined;
  checking: boolean;
  /** How many keys are stored: switching only makes sense with two or more. */
  keyCount: number;
  now: number;
  /** The keyring could not be read: keys may exist that cannot be listed. */
  keyringProblem?: string;
  /** Wall-clock time for "until 14:05:30"; local HH:MM:SS by default. */
  formatTime?: (ms: number) => string;
}

const MAX_LABEL = 28;

/** Local time of day, HH:MM:SS. */
export function clockTime(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

/** Escapes text from a user or a server for a Markdown tooltip (codicon syntax included). */
export function escapeMarkdown(text: string): string {
  // Every line escaped here follows fixed words, so "-" and "1." cannot start a list.
  return text.replace(/[\\`*_{}[\]()#+!|<>$~]/g, '\\$&');
}

function shortLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

const STATE_TEXT: Record<KeyState, { icon: string; words: string; tone?: StatusTone }> = {
  unchecked: { icon: 'key', words: 'not checked' },
  valid: { icon: 'key', words: '' },
  invalid: { icon: 'error', words: 'key invalid or revoked', tone: 'error' },
  expired: { icon: 'error', words: 'key expired', tone: 'error' },
  missing: { icon: 'warning', words: 'key not sent', tone: 'warning' },
  forbidden: { icon: 'warning', words: 'works, lacks permission', tone: 'warning' },
  throttled: { icon: 'watch', words: 'throttled', tone: 'warning' },
  unreachable: { icon: 'debug-disconnect', words: 'cannot reach Avala' },
};

function quoted(detail: string | undefined): string {
  return detail ? ` (“${detail}”)` : '';
}

/**
 * One or two sentences on what a check result means and what to do about it. Used by the
 * tooltip, the notifications and the result of "Validate Active Key". Plain text.
 */
export function explainCheck(check: KeyCheck, host: string, formatTime: (ms: number) => string = clockTime): string {
  switch (check.state) {
    case 'unchecked':
      return 'The key has not been checked with Avala yet.';
    case 'valid':
      return 'Avala accepts the key.';
    case 'invalid':
      return `Avala does not accept the key${quoted(check.detail)}: it is mistyped or was revoked in Mission Control. Log in with a working key.`;
    case 'expired':
      return `The key has expired${quoted(check.detail)}. Regenerate it in Mission Control (Settings → Security), then log in with the new key to replace this one.`;
    case 'missing':
      if (check.detail === DETAIL.missingKey) {
        return `Avala answered “${DETAIL.missingKey}”: the key was not sent. A proxy between VS Code and ${host} may be stripping the X-Avala-Api-Key header.`;
      }
      return `The key was not sent. ${check.detail ?? ''}`.trim();
    case 'forbidden':
      return `The key works but lacks permission${quoted(check.detail)}. Give it the scopes it needs in Mission Control, or use another key.`;
    case 'throttled': {
      const until = check.retryAt ? Date.parse(check.retryAt) : NaN;
      const when = Number.isNaN(until) ? 'shortly' : `at ${formatTime(until)}`;
      return `Avala is throttling requests${quoted(check.detail)}. Checking resumes ${when}.`;
    }
    case 'unreachable':
      return `Cannot reach Avala at ${host}${check.detail ? `: ${check.detail.replace(/\.$/, '')}` : ''}. This says nothing about the key itself; it was not marked bad.`;
  }
}

/** The status bar item for the active key (or for none). */
export function statusView(input: StatusInput): StatusView {
  const formatTime = input.formatTime ?? clockTime;
  const { key } = input;
  if (!key) {
    if (input.keyringProblem) {
      return {
        text: '$(warning) Avala: keys unreadable',
        tone: 'warning',
        tooltip: `**Avala keys could not be read**\n\n${escapeMarkdown(input.keyringProblem)}`,
        command: STATUS_ACTIONS_COMMAND,
        accessibilityLabel: 'Avala: keys unreadable',
        title: 'Avala: keys could not be read from secret storage',
        actions: [action('showLog'), action('login', 'Log In')],
      };
    }
    return {
      text: '$(key) Avala: Log In',
      tooltip: 'No Avala key yet. Click to log in with an API key from Mission Control, or run **Avala: Sign Up**.',
      command: LOGIN_COMMAND,
      accessibilityLabel: 'Avala: Log In',
      title: 'Avala: no key',
      actions: [action('login', 'Log In')],
    };
  }

  const check = key.lastCheck;
  const state: KeyState = check?.state ?? 'unchecked';
  const label = shortLabel(key.label);
  const env = key.environment && key.environment !== 'development' ? ` · ${key.environment}` : '';
  const host = hostOf(key.baseUrl);
  const look = STATE_TEXT[state];

  let text: string;
  let tone = look.tone;
  if (input.checking) {
    text = `$(loading~spin) ${label}${env}`;
    tone = undefined;
  } else if (state === 'valid') {
    text = `$(key) ${label}${env}`;
  } else if (state === 'unchecked') {
    text = `$(key) ${label}${env}: not checked`;
  } else if (state === 'throttled' && check?.retryAt && !Number.isNaN(Date.parse(check.retryAt))) {
    text = `$(watch) ${label}: throttled until ${formatTime(Date.parse(check.retryAt))}`;
  } else {
    text = `$(${look.icon}) ${label}: ${look.words}`;
  }

  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(key.label)}** · ${escapeMarkdown(key.environment)} · \`${key.masked}\``);
  if (input.checking) {
    lines.push('$(loading~spin) Checking with Avala…');
  }
  if (check) {
    const checked = `checked ${relativeTime(check.at, input.now)} (${formatTime(Date.parse(check.at))})`;
    const head = state === 'valid' ? `$(pass) Valid — ${checked}` : `$(${look.icon}) ${capitalize(look.words || state)} — ${checked}`;
    lines.push(head);
    if (state !== 'valid') {
      lines.push(escapeMarkdown(explainCheck(check, host, formatTime)));
    }
  } else {
    lines.push(key.storedUnchecked ? 'Stored while Avala could not be reached; not checked yet.' : 'Not checked yet.');
  }
  if (key.scopes === undefined) {
    lines.push('Scopes: not known yet');
  } else if (key.scopes.length === 0) {
    lines.push(`$(warning) Full organization access — ${escapeMarkdown(FULL_ACCESS_ADVICE)}`);
  } else {
    lines.push(`Scopes: ${key.scopes.map((s) => `\`${s}\``).join(', ')}`);
  }
  lines.push(`API: ${escapeMarkdown(host)}`);
  lines.push('_Click for actions._');

  const title = `Avala: ${key.label} — ${input.checking ? 'checking…' : state === 'valid' ? 'valid' : look.words || state}`;
  return {
    text,
    tone,
    tooltip: lines.join('\n\n'),
    command: STATUS_ACTIONS_COMMAND,
    accessibilityLabel: text.replace(/\$\([^)]*\)\s*/g, ''),
    title,
    actions: statusActions(key, state, input),
  };
}

/** The end of a throttle still ahead, in ms epoch; undefined when none. */
function throttledUntil(key: KeyMeta, now: number): number | undefined {
  const until = key.lastCheck?.state === 'throttled' && key.lastCheck.retryAt ? Date.parse(key.lastCheck.retryAt) : NaN;
  return !Number.isNaN(until) && until > now ? until : undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ACTION_ICON: Record<StatusActionId, string> = {
  validate: 'refresh',
  switch: 'arrow-swap',
  login: 'sign-in',
  replace: 'sign-in',
  missionControl: 'link-external',
  showLog: 'output',
};

const ACTION_TEXT: Record<StatusActionId, string> = {
  validate: 'Validate Now',
  switch: 'Switch Key',
  login: 'Log In with Another Key',
  replace: 'Log In with a New Key',
  missionControl: 'Open Mission Control',
  showLog: 'Show Log',
};

function action(id: StatusActionId, text = ACTION_TEXT[id], detail?: string): StatusAction {
  return { id, label: `$(${ACTION_ICON[id]}) ${text}`, ...(detail ? { detail } : {}) };
}

/** The picker's actions for the active key, those that fix the state first. */
export function statusActions(key: KeyMeta, state: KeyState, input: Pick<StatusInput, 'checking' | 'keyCount' | 'now'>): StatusAction[] {
  const replace = action('replace', undefined, `Replaces "${key.label}" once the new key is checked`);
  const validate = action('validate');
  const out: (StatusAction | undefined)[] = [];
  if (input.checking) {
    out.push(action('showLog'));
  } else {
    switch (state) {
      case 'valid':
      case 'unchecked':
        out.push(validate, action('missionControl'), action('showLog'), action('login'));
        break;
      case 'invalid':
        out.push(replace, action('missionControl', undefined, 'See whether the key was revoked, or create a new one'), validate, action('showLog'));
        break;
      case 'expired':
        out.push(action('missionControl', undefined, 'Regenerate the key in Settings → Security, then log in with it'), replace, validate, action('showLog'));
        break;
      case 'missing':
        out.push(validate, action('showLog'), action('login'));
        break;
      case 'forbidden':
        out.push(action('missionControl', undefined, 'Give the key the scopes it needs'), validate, action('showLog'), action('login'));
        break;
      case 'throttled':
        // No "Validate Now" while Avala asks to wait: it would not be sent. The check runs by itself then.
        out.push(throttledUntil(key, input.now) ? undefined : validate, action('showLog'), action('login'));
        break;
      case 'unreachable':
        out.push(action('validate', 'Retry Now'), action('showLog'), action('login'));
        break;
    }
  }
  if (input.keyCount > 1) {
    out.splice(Math.min(out.length, 2), 0, action('switch'));
  }
  return out.filter((a): a is StatusAction => !!a);
}

export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: StatusAction[];
}

/** States that mean the key itself stopped working for this purpose (not the network). */
const NOTIFIED_FAILURES: ReadonlySet<KeyState> = new Set(['invalid', 'expired', 'forbidden', 'missing']);

/** States that say something about the key; network trouble and throttling do not. */
export function isDefinitive(state: KeyState): boolean {
  return state !== 'unreachable' && state !== 'throttled' && state !== 'unchecked';
}

function fixActions(state: KeyState): StatusAction[] {
  switch (state) {
    case 'expired':
      return [action('missionControl'), action('replace', 'Log In with New Key')];
    case 'invalid':
      return [action('replace', 'Log In with Another Key'), action('missionControl')];
    case 'forbidden':
      return [action('missionControl'), action('showLog')];
    case 'missing':
      return [action('showLog'), action('validate')];
    default:
      return [action('showLog')];
  }
}

/**
 * A notification for a check result, or none. Only a change from valid to a key failure
 * notifies, once: `lastKnown` is the key's last state that said something about the key,
 * so a network outage in between neither notifies nor resets it.
 */
export function transitionNotice(key: KeyMeta, lastKnown: KeyState | undefined, to: KeyCheck): Notice | undefined {
  if (lastKnown !== 'valid' || !NOTIFIED_FAILURES.has(to.state)) {
    return undefined;
  }
  const host = hostOf(key.baseUrl);
  const lead = to.state === 'invalid' || to.state === 'expired' ? `Your Avala key "${key.label}" stopped working.` : `Your Avala key "${key.label}" needs attention.`;
  return {
    severity: to.state === 'invalid' || to.state === 'expired' ? 'error' : 'warning',
    message: `${lead} ${explainCheck(to, host)}`,
    actions: fixActions(to.state).map(plainLabel),
  };
}

/** What "Avala: Validate Active Key" reports when it finishes (a person asked, so always something). */
export function validationResult(key: KeyMeta, check: KeyCheck, sent: boolean, formatTime: (ms: number) => string = clockTime): Notice {
  const host = hostOf(key.baseUrl);
  if (!sent && check.state === 'throttled') {
    return { severity: 'warning', message: `Not checked: ${explainCheck(check, host, formatTime)}`, actions: [] };
  }
  switch (check.state) {
    case 'valid': {
      const scopes = key.scopes === undefined ? 'scopes not reported' : key.scopes.length === 0 ? 'full organization access' : `scopes: ${key.scopes.join(', ')}`;
      return { severity: 'info', message: `"${key.label}" is valid (${scopes}).`, actions: [] };
    }
    case 'unreachable':
      return { severity: 'warning', message: explainCheck(check, host, formatTime), actions: [action('validate', 'Retry'), action('showLog')].map(plainLabel) };
    case 'throttled':
      return { severity: 'warning', message: explainCheck(check, host, formatTime), actions: [] };
    default:
      return {
        severity: check.state === 'invalid' || check.state === 'expired' ? 'error' : 'warning',
        message: `"${key.label}": ${explainCheck(check, host, formatTime)}`,
        actions: fixActions(check.state).map(plainLabel),
      };
  }
}

/** Notification buttons show no codicons. */
function plainLabel(a: StatusAction): StatusAction {
  return { ...a, label: a.label.replace(/^\$\([^)]*\)\s*/, '') };
}
