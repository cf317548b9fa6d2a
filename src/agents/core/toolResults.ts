// What Avala's language-model tools answer an agent. Pure: the adapter (../languageModelTools.ts)
// gathers the key's metadata and hands the text back. An agent's context is logged, shared and
// sent to a model provider, so a result never holds the key nor any part of it: no value, no
// masked tail, no fingerprint. Only metadata (label, environment, state, scopes, host) goes in,
// and the whole text passes redaction on the way out.
import { hostOf } from '../../core/baseUrl';
import type { KeyMeta } from '../../core/keyIndex';
import type { KeyCheck } from '../../core/keyState';
import { describeState, relativeTime } from '../../core/keyStateWords';
import * as l10n from '../../core/l10n';
import { redact } from '../../core/redact';
import { FULL_ACCESS_ADVICE, scopeMeaning, scopesCover } from '../../core/scopes';
import { lookUpCall } from './scopeTable';

export interface KeyContext {
  /** The active key for the place asked about; undefined when none is stored or chosen. */
  key: KeyMeta | undefined;
  /** The folder asked about (its name), when the agent named one. */
  folder?: string;
  /** The agent named a folder this window does not have open. */
  unknownFolder?: string;
  /** A check of the key is running right now. */
  checking: boolean;
  now: number;
}

/** What every tool says in Restricted Mode: it answers nothing about keys. */
export function restrictedResult(): string {
  return l10n.t(
    "Avala's tools are off in Restricted Mode: this workspace is not trusted, so Avala tells agents nothing about its keys here. The user can trust the workspace (Workspaces: Manage Workspace Trust) to turn them on.",
  );
}

function where(ctx: KeyContext): string {
  return ctx.folder ? l10n.t('for the folder "{0}"', ctx.folder) : l10n.t('for this workspace');
}

/** Lines about scopes: each with its meaning, or full access with Avala's advice. */
function scopeLines(scopes: readonly string[] | undefined): string[] {
  if (scopes === undefined) {
    return [l10n.t('Scopes: not known yet (the key has not been checked successfully).')];
  }
  if (scopes.length === 0) {
    return [l10n.t('Scopes: none, which means full organization access. {0}', l10n.t(FULL_ACCESS_ADVICE))];
  }
  return [l10n.t('Scopes:'), ...scopes.map((scope) => `- ${scope}: ${scopeMeaning(scope)}`)];
}

function checkLines(key: KeyMeta, check: KeyCheck | undefined, now: number): string[] {
  const host = hostOf(key.baseUrl);
  if (!check) {
    return [
      l10n.t('State: {0}.', describeState('unchecked')),
      key.storedUnchecked
        ? l10n.t('It was stored while Avala could not be reached and has not been checked since.')
        : l10n.t('The key has not been checked with Avala yet.'),
    ];
  }
  // The status wording is a lazy chunk of its own (dist/keyStatus.js), shared with the status bar.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { explainCheck } = require('../../validation/core/keyStatus') as typeof import('../../validation/core/keyStatus');
  const lines = [l10n.t('State: {0}.', describeState(check.state)), explainCheck(check, host)];
  if (check.detail) {
    lines.push(l10n.t('Avala\'s words: "{0}"', check.detail));
  }
  lines.push(l10n.t('Last checked: {0} ({1}).', check.at, relativeTime(check.at, now)));
  if (check.state === 'throttled' && check.retryAt) {
    lines.push(l10n.t('Avala asked to wait until {0}; nothing is sent before then.', check.retryAt));
  }
  return lines;
}

/** `avala_keyStatus`: what an agent needs to explain a failure, with no part of the key. */
export function keyStatusResult(ctx: KeyContext): string {
  const lines: string[] = [];
  if (ctx.unknownFolder) {
    lines.push(l10n.t('No open workspace folder is called "{0}"; this is the workspace\'s key.', ctx.unknownFolder));
  }
  const { key } = ctx;
  if (!key) {
    lines.push(
      l10n.t('No Avala key is active {0}.', where(ctx)),
      l10n.t('The user can log in with a key from Mission Control (command "Avala: Log In with API Key") or sign up ("Avala: Sign Up").'),
    );
    return finish(lines);
  }
  lines.push(
    l10n.t('Active Avala key {0}: "{1}" (environment: {2}).', where(ctx), key.label, key.environment),
    ...(ctx.checking ? [l10n.t('A check of this key is running now.')] : []),
    ...checkLines(key, key.lastCheck, ctx.now),
    ...scopeLines(key.scopes),
    l10n.t('API host: {0}', hostOf(key.baseUrl)),
    l10n.t(
      'Programs get the key from the AVALA_API_KEY environment variable in terminals and debug sessions VS Code starts; it is never given to agents.',
    ),
  );
  return finish(lines);
}

export interface ValidationRun {
  /** False when the validator did not send a request (throttled or backing off): the last result stands. */
  sent: boolean;
}

/** `avala_validateKey`: says whether a check was sent now, then the status. */
export function validateKeyResult(ctx: KeyContext, run: ValidationRun | undefined): string {
  if (!ctx.key || !run) {
    return keyStatusResult(ctx);
  }
  const head = run.sent
    ? l10n.t('Checked the key with Avala just now.')
    : l10n.t('Not checked now: Avala asked to wait or recent checks failed, so no request was sent. This is the last result.');
  return finish([head, keyStatusResult(ctx)]);
}

/** What `prepareInvocation` shows before `avala_validateKey` runs. */
export function validateKeyPreparation(key: KeyMeta | undefined): string {
  return key
    ? l10n.t('Checking the Avala key "{0}" with {1} (the key is sent only to that API).', key.label, hostOf(key.baseUrl))
    : l10n.t('Looking for an active Avala key (none is stored or chosen, so nothing will be sent).');
}

/** `avala_requiredScopes`: each call's scope and whether the active key has it. */
export function requiredScopesResult(ctx: KeyContext, calls: readonly string[]): string {
  const lines: string[] = [];
  const needed = new Set<string>();
  const unknown: string[] = [];
  for (const raw of calls.slice(0, 100)) {
    const { call, row } = lookUpCall(raw);
    if (!call) {
      continue;
    }
    if (!row) {
      unknown.push(call);
      lines.push(l10n.t("- {0}: not in the extension's table of Avala calls; the scope it needs is not known here.", call));
      continue;
    }
    const note = row.note ? ` ${row.note()}` : '';
    if (row.scope === null) {
      lines.push(l10n.t('- {0}: needs no scope.{1}', call, note));
      continue;
    }
    needed.add(row.scope);
    lines.push(l10n.t('- {0}: needs {1} ({2}){3}', call, row.scope, scopeMeaning(row.scope), note));
  }
  if (lines.length === 0) {
    return finish([l10n.t('No calls were given: pass Avala API routes ("GET /datasets/") or SDK methods ("client.datasets.list").')]);
  }
  const scopes = [...needed];
  const summary: string[] = [];
  const { key } = ctx;
  if (!key) {
    summary.push(l10n.t('No Avala key is active {0}, so whether one has these scopes is not known.', where(ctx)));
  } else if (key.scopes === undefined) {
    summary.push(l10n.t('The scopes of the active key "{0}" are not known yet: validate it (avala_validateKey) first.', key.label));
  } else if (key.scopes.length === 0) {
    summary.push(l10n.t('The active key "{0}" has full organization access, which covers every call.', key.label));
  } else if (scopesCover(key.scopes, scopes)) {
    summary.push(l10n.t('The active key "{0}" has every scope these calls need.', key.label));
  } else {
    const missing = scopes.filter((scope) => !key.scopes!.includes(scope));
    summary.push(
      l10n.t(
        'The active key "{0}" lacks: {1}. Avala will refuse those calls; the user can add the scopes in Mission Control (Settings → Security) or use another key.',
        key.label,
        missing.join(', '),
      ),
    );
  }
  if (unknown.length > 0) {
    summary.push(l10n.t("For the calls the table does not know, check Avala's API reference; a 403 answer means a scope is missing."));
  }
  return finish([l10n.t('Scopes for the calls asked about:'), ...lines, ...summary]);
}

/** Every result passes redaction on its way out: a label or an API message must not carry a key. */
function finish(lines: string[]): string {
  return redact(lines.join('\n'));
}
