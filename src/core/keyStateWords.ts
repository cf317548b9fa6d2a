import * as l10n from './l10n';
import type { KeyState } from './keyState';

// Apart from ./keyState, which activation needs: only the views, pickers and notices that load later show these words.

/** Short words for a state, used by the tree, the status bar and pickers. */
export function describeState(state: KeyState): string {
  switch (state) {
    case 'unchecked':
      return l10n.t('not checked yet');
    case 'valid':
      return l10n.t('valid');
    case 'invalid':
      return l10n.t('invalid or revoked');
    case 'expired':
      return l10n.t('expired');
    case 'missing':
      return l10n.t('key was not sent');
    case 'forbidden':
      return l10n.t('works, lacks permission');
    case 'throttled':
      return l10n.t('throttled');
    case 'unreachable':
      return l10n.t('cannot reach Avala');
  }
}

/** "3 minutes ago"-style relative time for tooltips and tree descriptions. */
export function relativeTime(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return l10n.t('at an unknown time');
  }
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) {
    return l10n.t('just now');
  }
  const units: [number, string][] = [
    [60, 'minute'],
    [3600, 'hour'],
    [86400, 'day'],
  ];
  let value = seconds / 60;
  let unit = 'minute';
  for (const [size, name] of units) {
    if (seconds >= size) {
      value = seconds / size;
      unit = name;
    }
  }
  const n = Math.max(1, Math.round(value));
  switch (unit) {
    case 'day':
      return n === 1 ? l10n.t('1 day ago') : l10n.t('{0} days ago', n);
    case 'hour':
      return n === 1 ? l10n.t('1 hour ago') : l10n.t('{0} hours ago', n);
    default:
      return n === 1 ? l10n.t('1 minute ago') : l10n.t('{0} minutes ago', n);
  }
}
