// What the Keys view shows for a key, computed without vscode so it can be tested
// (and benchmarked at 500 keys) in plain Node.
import type { KeyState } from '../../core/keyState';
import { describeState, relativeTime } from '../../core/keyStateWords';
import type { KeyMeta } from '../../core/keyIndex';
import { hostOf } from '../../core/baseUrl';
import * as l10n from '../../core/l10n';
import { FULL_ACCESS_ADVICE, scopeMeaning } from '../../core/scopes';

export type RowIcon = 'scope' | 'fullAccess' | 'calendar' | 'check' | 'rotate' | 'host' | 'unknown';

export interface DetailRow {
  kind: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: RowIcon;
  warning?: boolean;
}

export function ageInDays(addedAt: string, now = Date.now()): number {
  const then = Date.parse(addedAt);
  return Number.isNaN(then) ? 0 : Math.floor((now - then) / 86_400_000);
}

export function needsRotation(meta: KeyMeta, rotationDays: number, now = Date.now()): boolean {
  return rotationDays > 0 && ageInDays(meta.addedAt, now) >= rotationDays;
}

// A function, not a constant: the words are looked up in the user's language when shown.
function sourceWords(source: KeyMeta['source']): string {
  switch (source) {
    case 'signup':
      return l10n.t('from Sign Up');
    case 'login':
      return l10n.t('pasted at Log In');
    case 'import':
      return l10n.t('imported from the environment');
    case 'editor':
      return l10n.t('moved out of a source file');
  }
}

/** The rows under a key: scopes (or the full-access warning), age, last check, rotation, host. */
export function detailRows(meta: KeyMeta, rotationDays: number, checking: boolean, now = Date.now()): DetailRow[] {
  const rows: DetailRow[] = [];
  if (meta.scopes === undefined) {
    rows.push({
      kind: 'scopes-unknown',
      label: l10n.t('Scopes not known yet'),
      description: l10n.t('validate the key to read them'),
      icon: 'unknown',
    });
  } else if (meta.scopes.length === 0) {
    rows.push({
      kind: 'full-access',
      label: l10n.t('Full organization access'),
      description: l10n.t('prefer scoped keys for automation'),
      tooltip: l10n.t(FULL_ACCESS_ADVICE),
      icon: 'fullAccess',
      warning: true,
    });
  } else {
    for (const scope of meta.scopes) {
      rows.push({
        kind: 'scope',
        label: scope,
        description: scopeMeaning(scope),
        tooltip: `${scope}: ${scopeMeaning(scope)}`,
        icon: 'scope',
      });
    }
  }
  const days = ageInDays(meta.addedAt, now);
  rows.push({
    kind: 'added',
    label: days === 0 ? l10n.t('Added today') : days === 1 ? l10n.t('Added 1 day ago') : l10n.t('Added {0} days ago', days),
    description: sourceWords(meta.source),
    tooltip: l10n.t('Added {0}', new Date(meta.addedAt).toLocaleString()),
    icon: 'calendar',
  });
  if (checking) {
    rows.push({ kind: 'check', label: l10n.t('Checking now…'), icon: 'check' });
  } else if (meta.lastCheck) {
    rows.push({
      kind: 'check',
      label: l10n.t('Last checked {0}', relativeTime(meta.lastCheck.at, now)),
      description: describeState(meta.lastCheck.state),
      tooltip: meta.lastCheck.detail
        ? `${describeState(meta.lastCheck.state)}: ${meta.lastCheck.detail}`
        : describeState(meta.lastCheck.state),
      icon: 'check',
      warning: meta.lastCheck.state !== 'valid',
    });
  } else {
    rows.push({ kind: 'check', label: l10n.t('Not checked yet'), icon: 'check' });
  }
  if (needsRotation(meta, rotationDays, now)) {
    rows.push({
      kind: 'rotate',
      label: l10n.t('Rotate keys regularly'),
      description: l10n.t('{0} days old (policy: {1})', days, rotationDays),
      tooltip: l10n.t(
        'Revoke and regenerate keys on a recurring schedule, especially after team changes. Regenerate it in Mission Control, then log in with the new key.',
      ),
      icon: 'rotate',
      warning: true,
    });
  }
  rows.push({
    kind: 'host',
    label: l10n.t('API: {0}', hostOf(meta.baseUrl)),
    tooltip: l10n.t('This key is only ever sent to {0}', meta.baseUrl),
    icon: 'host',
  });
  return rows;
}

/** The state a key shows: the validator's last result, or unchecked. */
export function shownState(meta: KeyMeta): KeyState {
  return meta.lastCheck?.state ?? 'unchecked';
}
