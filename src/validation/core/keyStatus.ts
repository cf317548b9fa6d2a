// What the status bar, its action picker and the validator's notifications say about the
// active key. Pure: the status bar adapter only copies these values onto a StatusBarItem. A lazy
// chunk (see LAZY in esbuild.mjs): loaded at the status bar's first render, once the keyring is read.
import { DETAIL } from '../../core/classify';
import type { KeyMeta } from '../../core/keyIndex';
import { isKeyFailure, needsAttention, type KeyCheck, type KeyState } from '../../core/keyState';
import { relativeTime } from '../../core/keyStateWords';
import { hostOf } from '../../core/baseUrl';
import * as l10n from '../../core/l10n';
import { escapeMarkdown } from '../../core/markdown';
import { FULL_ACCESS_ADVICE } from '../../core/scopes';
import { LOGIN_COMMAND, STATUS_ACTIONS_COMMAND } from './statusCommands';

export type StatusTone = 'error' | 'warning';

export type StatusActionId = 'validate' | 'switch' | 'login' | 'replace' | 'missionControl' | 'showLog';

export interface StatusAction {
  id: StatusActionId;
  label: string;
  detail?: string;
}

export { LOGIN_COMMAND, STATUS_ACTIONS_COMMAND };

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

function shortLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

// A function, not a constant: the words are looked up in the user's language when shown.
function stateText(): Record<KeyState, { icon: string; words: string; tone?: StatusTone }> {
  return {
    unchecked: { icon: 'key', words: l10n.t('not checked') },
    valid: { icon: 'key', words: '' },
    invalid: { icon: 'error', words: l10n.t('key invalid or revoked'), tone: 'error' },
    expired: { icon: 'error', words: l10n.t('key expired'), tone: 'error' },
    missing: { icon: 'warning', words: l10n.t('key not sent'), tone: 'warning' },
    forbidden: { icon: 'warning', words: l10n.t('works, lacks permission'), tone: 'warning' },
    throttled: { icon: 'watch', words: l10n.t('throttled'), tone: 'warning' },
    unreachable: { icon: 'debug-disconnect', words: l10n.t('cannot reach Avala') },
  };
}

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
      return l10n.t('The key has not been checked with Avala yet.');
    case 'valid':
      return l10n.t('Avala accepts the key.');
    case 'invalid':
      return l10n.t(
        'Avala does not accept the key{0}: it is mistyped or was revoked in Mission Control. Log in with a working key.',
        quoted(check.detail),
      );
    case 'expired':
      return l10n.t(
        'The key has expired{0}. Regenerate it in Mission Control (Settings → Security), then log in with the new key to replace this one.',
        quoted(check.detail),
      );
    case 'missing':
      if (check.detail === DETAIL.missingKey) {
        return l10n.t(
          'Avala answered “{0}”: the key was not sent. A proxy between VS Code and {1} may be stripping the X-Avala-Api-Key header.',
          DETAIL.missingKey,
          host,
        );
      }
      return l10n.t('The key was not sent. {0}', check.detail ?? '').trim();
    case 'forbidden':
      return l10n.t(
        'The key works but lacks permission{0}. Give it the scopes it needs in Mission Control, or use another key.',
        quoted(check.detail),
      );
    case 'throttled': {
      const until = check.retryAt ? Date.parse(check.retryAt) : NaN;
      return Number.isNaN(until)
        ? l10n.t('Avala is throttling requests{0}. Checking resumes shortly.', quoted(check.detail))
        : l10n.t('Avala is throttling requests{0}. Checking resumes at {1}.', quoted(check.detail), formatTime(until));
    }
    case 'unreachable':
      return check.detail
        ? l10n.t(
            'Cannot reach Avala at {0}: {1}. This says nothing about the key itself; it was not marked bad.',
            host,
            check.detail.replace(/\.$/, ''),
          )
        : l10n.t('Cannot reach Avala at {0}. This says nothing about the key itself; it was not marked bad.', host);
  }
}

/** The status bar item for the active key (or for none). */
export function statusView(input: StatusInput): StatusView {
  const formatTime = input.formatTime ?? clockTime;
  const { key } = input;
  if (!key) {
    if (input.keyringProblem) {
      return {
        text: `$(warning) ${l10n.t('Avala: keys unreadable')}`,
        tone: 'warning',
        tooltip: `**${l10n.t('Avala keys could not be read')}**\n\n${escapeMarkdown(input.keyringProblem)}`,
        command: STATUS_ACTIONS_COMMAND,
        accessibilityLabel: l10n.t('Avala: keys unreadable'),
        title: l10n.t('Avala: keys could not be read from secret storage'),
        actions: [action('showLog'), action('login', l10n.t('Log In'))],
      };
    }
    return {
      text: `$(key) ${l10n.t('Avala: Log In')}`,
      tooltip: l10n.t('No Avala key yet. Click to log in with an API key from Mission Control, or run **Avala: Sign Up**.'),
      command: LOGIN_COMMAND,
      accessibilityLabel: l10n.t('Avala: Log In'),
      title: l10n.t('Avala: no key'),
      actions: [action('login', l10n.t('Log In'))],
    };
  }

  const check = key.lastCheck;
  const state: KeyState = check?.state ?? 'unchecked';
  const label = shortLabel(key.label);
  const env = key.environment && key.environment !== 'development' ? ` · ${key.environment}` : '';
  const host = hostOf(key.baseUrl);
  const look = stateText()[state];

  let text: string;
  let tone = look.tone;
  if (input.checking) {
    text = `$(loading~spin) ${label}${env}`;
    tone = undefined;
  } else if (state === 'valid') {
    text = `$(key) ${label}${env}`;
  } else if (state === 'unchecked') {
    text = `$(key) ${l10n.t('{0}: not checked', `${label}${env}`)}`;
  } else if (state === 'throttled' && check?.retryAt && !Number.isNaN(Date.parse(check.retryAt))) {
    text = `$(watch) ${l10n.t('{0}: throttled until {1}', label, formatTime(Date.parse(check.retryAt)))}`;
  } else {
    text = `$(${look.icon}) ${label}: ${look.words}`;
  }

  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(key.label)}** · ${escapeMarkdown(key.environment)} · \`${key.masked}\``);
  if (input.checking) {
    lines.push(`$(loading~spin) ${l10n.t('Checking with Avala…')}`);
  }
  if (check) {
    const checked = l10n.t('checked {0} ({1})', relativeTime(check.at, input.now), formatTime(Date.parse(check.at)));
    const head =
      state === 'valid' ? `$(pass) ${l10n.t('Valid — {0}', checked)}` : `$(${look.icon}) ${capitalize(look.words || state)} — ${checked}`;
    lines.push(head);
    if (state !== 'valid') {
      lines.push(escapeMarkdown(explainCheck(check, host, formatTime)));
    }
  } else {
    lines.push(key.storedUnchecked ? l10n.t('Stored while Avala could not be reached; not checked yet.') : l10n.t('Not checked yet.'));
  }
  if (key.scopes === undefined) {
    lines.push(l10n.t('Scopes: not known yet'));
  } else if (key.scopes.length === 0) {
    lines.push(`$(warning) ${l10n.t('Full organization access — {0}', escapeMarkdown(l10n.t(FULL_ACCESS_ADVICE)))}`);
  } else {
    lines.push(l10n.t('Scopes: {0}', key.scopes.map((s) => `\`${s}\``).join(', ')));
  }
  lines.push(l10n.t('API: {0}', escapeMarkdown(host)));
  lines.push(`_${l10n.t('Click for actions.')}_`);

  const title = l10n.t(
    'Avala: {0} — {1}',
    key.label,
    input.checking ? l10n.t('checking…') : state === 'valid' ? l10n.t('valid') : look.words || state,
  );
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

// A function, not a constant: the words are looked up in the user's language when shown.
function actionText(id: StatusActionId): string {
  switch (id) {
    case 'validate':
      return l10n.t('Validate Now');
    case 'switch':
      return l10n.t('Switch Key');
    case 'login':
      return l10n.t('Log In with Another Key');
    case 'replace':
      return l10n.t('Log In with a New Key');
    case 'missionControl':
      return l10n.t('Open Mission Control');
    case 'showLog':
      return l10n.t('Show Log');
  }
}

function action(id: StatusActionId, text = actionText(id), detail?: string): StatusAction {
  return { id, label: `$(${ACTION_ICON[id]}) ${text}`, ...(detail ? { detail } : {}) };
}

/** The picker's actions for the active key, those that fix the state first. */
export function statusActions(key: KeyMeta, state: KeyState, input: Pick<StatusInput, 'checking' | 'keyCount' | 'now'>): StatusAction[] {
  const replace = action('replace', undefined, l10n.t('Replaces "{0}" once the new key is checked', key.label));
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
        out.push(
          replace,
          action('missionControl', undefined, l10n.t('See whether the key was revoked, or create a new one')),
          validate,
          action('showLog'),
        );
        break;
      case 'expired':
        out.push(
          action('missionControl', undefined, l10n.t('Regenerate the key in Settings → Security, then log in with it')),
          replace,
          validate,
          action('showLog'),
        );
        break;
      case 'missing':
        out.push(validate, action('showLog'), action('login'));
        break;
      case 'forbidden':
        out.push(
          action('missionControl', undefined, l10n.t('Give the key the scopes it needs')),
          validate,
          action('showLog'),
          action('login'),
        );
        break;
      case 'throttled':
        // No "Validate Now" while Avala asks to wait: it would not be sent. The check runs by itself then.
        out.push(throttledUntil(key, input.now) ? undefined : validate, action('showLog'), action('login'));
        break;
      case 'unreachable':
        out.push(action('validate', l10n.t('Retry Now')), action('showLog'), action('login'));
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

function fixActions(state: KeyState): StatusAction[] {
  switch (state) {
    case 'expired':
      return [action('missionControl'), action('replace', l10n.t('Log In with New Key'))];
    case 'invalid':
      return [action('replace', l10n.t('Log In with Another Key')), action('missionControl')];
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
  if (lastKnown !== 'valid' || !needsAttention(to.state)) {
    return undefined;
  }
  const host = hostOf(key.baseUrl);
  const lead = isKeyFailure(to.state)
    ? l10n.t('Your Avala key "{0}" stopped working.', key.label)
    : l10n.t('Your Avala key "{0}" needs attention.', key.label);
  return {
    severity: isKeyFailure(to.state) ? 'error' : 'warning',
    message: `${lead} ${explainCheck(to, host)}`,
    actions: fixActions(to.state).map(plainLabel),
  };
}

/** What "Avala: Validate Active Key" reports when it finishes (a person asked, so always something). */
export function validationResult(key: KeyMeta, check: KeyCheck, sent: boolean, formatTime: (ms: number) => string = clockTime): Notice {
  const host = hostOf(key.baseUrl);
  if (!sent && check.state === 'throttled') {
    return { severity: 'warning', message: l10n.t('Not checked: {0}', explainCheck(check, host, formatTime)), actions: [] };
  }
  switch (check.state) {
    case 'valid': {
      const scopes =
        key.scopes === undefined
          ? l10n.t('scopes not reported')
          : key.scopes.length === 0
            ? l10n.t('full organization access')
            : l10n.t('scopes: {0}', key.scopes.join(', '));
      return { severity: 'info', message: l10n.t('"{0}" is valid ({1}).', key.label, scopes), actions: [] };
    }
    case 'unreachable':
      return {
        severity: 'warning',
        message: explainCheck(check, host, formatTime),
        actions: [action('validate', l10n.t('Retry')), action('showLog')].map(plainLabel),
      };
    case 'throttled':
      return { severity: 'warning', message: explainCheck(check, host, formatTime), actions: [] };
    default:
      return {
        severity: isKeyFailure(check.state) ? 'error' : 'warning',
        message: `"${key.label}": ${explainCheck(check, host, formatTime)}`,
        actions: fixActions(check.state).map(plainLabel),
      };
  }
}

/** Notification buttons show no codicons. */
function plainLabel(a: StatusAction): StatusAction {
  return { ...a, label: a.label.replace(/^\$\([^)]*\)\s*/, '') };
}
