// What the Keys view shows for a key, computed without vscode so it can be tested
// (and benchmarked at 500 keys) in plain Node.
import { describeState, relativeTime, type KeyState } from './keyState';
import type { KeyMeta } from './keyStore';
import { FULL_ACCESS_ADVICE, scopeMeaning } from './scopes';

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

const SOURCE_WORDS: Record<KeyMeta['source'], string> = {
  signup: 'from Sign Up',
  login: 'pasted at Log In',
  import: 'imported from the environment',
  editor: 'moved out of a source file',
};

/** The rows under a key: scopes (or the full-access warning), age, last check, rotation, host. */
export function detailRows(meta: KeyMeta, rotationDays: number, checking: boolean, now = Date.now()): DetailRow[] {
  const rows: DetailRow[] = [];
  if (meta.scopes === undefined) {
    rows.push({ kind: 'scopes-unknown', label: 'Scopes not known yet', description: 'validate the key to read them', icon: 'unknown' });
  } else if (meta.scopes.length === 0) {
    rows.push({ kind: 'full-access', label: 'Full organization access', description: 'prefer scoped keys for automation', tooltip: FULL_ACCESS_ADVICE, icon: 'fullAccess', warning: true });
  } else {
    for (const scope of meta.scopes) {
      rows.push({ kind: 'scope', label: scope, description: scopeMeaning(scope), tooltip: `${scope}: ${scopeMeaning(scope)}`, icon: 'scope' });
    }
  }
  const days = ageInDays(meta.addedAt, now);
  rows.push({
    kind: 'added',
    label: days === 0 ? 'Added today' : `Added ${days} day${days === 1 ? '' : 's'} ago`,
    description: SOURCE_WORDS[meta.source],
    tooltip: `Added ${new Date(meta.addedAt).toLocaleString()}`,
    icon: 'calendar',
  });
  if (checking) {
    rows.push({ kind: 'check', label: 'Checking now…', icon: 'check' });
  } else if (meta.lastCheck) {
    rows.push({
      kind: 'check',
      label: `Last checked ${relativeTime(meta.lastCheck.at, now)}`,
      description: describeState(meta.lastCheck.state),
      tooltip: meta.lastCheck.detail ? `${describeState(meta.lastCheck.state)}: ${meta.lastCheck.detail}` : describeState(meta.lastCheck.state),
      icon: 'check',
      warning: meta.lastCheck.state !== 'valid',
    });
  } else {
    rows.push({ kind: 'check', label: 'Not checked yet', icon: 'check' });
  }
  if (needsRotation(meta, rotationDays, now)) {
    rows.push({
      kind: 'rotate',
      label: 'Rotate keys regularly',
      description: `${days} days old (policy: ${rotationDays})`,
      tooltip: 'Revoke and regenerate keys on a recurring schedule, especially after team changes. Regenerate it in Mission Control, then log in with the new key.',
      icon: 'rotate',
      warning: true,
    });
  }
  let host = meta.baseUrl;
  try {
    host = new URL(meta.baseUrl).host;
  } catch {
    // keep the raw value
  }
  rows.push({ kind: 'host', label: `API: ${host}`, tooltip: `This key is only ever sent to ${meta.baseUrl}`, icon: 'host' });
  return rows;
}

/** The state a key shows: the validator's last result, or unchecked. */
export function shownState(meta: KeyMeta): KeyState {
  return meta.lastCheck?.state ?? 'unchecked';
}
