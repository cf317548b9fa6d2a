import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL } from '../../../../src/core/baseUrl';
import { DETAIL } from '../../../../src/core/classify';
import {
  explainCheck,
  statusView,
  transitionNotice,
  validationResult,
  type StatusActionId,
  type StatusView,
} from '../../../../src/validation/core/keyStatus';
import type { KeyMeta } from '../../../../src/core/keyIndex';
import type { KeyCheck, KeyState } from '../../../../src/core/keyState';

const NOW = Date.parse('2026-01-05T09:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();
const utcTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function key(over: Partial<KeyMeta> = {}): KeyMeta {
  return {
    id: 'k1',
    label: 'ci-pipeline',
    environment: 'development',
    baseUrl: DEFAULT_BASE_URL,
    addedAt: minutesAgo(3 * 24 * 60),
    masked: 'avk_…a1b2',
    fingerprint: 'f',
    source: 'login',
    scopes: ['datasets.read', 'exports.create'],
    ...over,
  };
}

function checked(state: KeyState, over: Partial<KeyCheck> = {}): Partial<KeyMeta> {
  return { lastCheck: { state, at: minutesAgo(3), ...over } };
}

function view(meta: KeyMeta | undefined, over: { checking?: boolean; keyCount?: number } = {}): StatusView {
  return statusView({ key: meta, checking: over.checking ?? false, keyCount: over.keyCount ?? 1, now: NOW, formatTime: utcTime });
}

const ids = (v: StatusView) => v.actions.map((a) => a.id);

describe('status bar item for the active key', () => {
  interface Row {
    shows: string;
    meta: KeyMeta | undefined;
    checking?: boolean;
    text: string;
    tone: 'error' | 'warning' | undefined;
    command: string;
    tooltip: RegExp[];
    firstActions: StatusActionId[];
  }
  const rows: Row[] = [
    {
      shows: 'no key: "Avala: Log In", and a click runs Log In',
      meta: undefined,
      text: '$(key) Avala: Log In',
      tone: undefined,
      command: 'avala.login',
      tooltip: [/log in/i],
      firstActions: ['login'],
    },
    {
      shows: 'checking: a spinner and the key label',
      meta: key(checked('valid')),
      checking: true,
      text: '$(loading~spin) ci-pipeline',
      tone: undefined,
      command: 'avala.showKeyStatus',
      tooltip: [/Checking with Avala/],
      firstActions: ['showLog'],
    },
    {
      shows: 'valid: the key label, scopes, check time and API host in the tooltip',
      meta: key(checked('valid')),
      text: '$(key) ci-pipeline',
      tone: undefined,
      command: 'avala.showKeyStatus',
      tooltip: [/Valid — checked 3 minutes ago \(08:57:00\)/, /`datasets\.read`, `exports\.create`/, /API: api\.avala\.ai/],
      firstActions: ['validate', 'missionControl', 'showLog', 'login'],
    },
    {
      shows: 'valid in production: the environment after the label',
      meta: key({ ...checked('valid'), environment: 'production' }),
      text: '$(key) ci-pipeline · production',
      tone: undefined,
      command: 'avala.showKeyStatus',
      tooltip: [/production/],
      firstActions: ['validate'],
    },
    {
      shows: 'valid full-access key: the tooltip warns about full organization access',
      meta: key({ ...checked('valid'), scopes: [] }),
      text: '$(key) ci-pipeline',
      tone: undefined,
      command: 'avala.showKeyStatus',
      tooltip: [/Full organization access/, /scoped to what they need/],
      firstActions: ['validate'],
    },
    {
      shows: 'invalid or revoked: error background, says invalid, offers Log In first',
      meta: key(checked('invalid', { detail: DETAIL.invalidKey })),
      text: '$(error) ci-pipeline: key invalid or revoked',
      tone: 'error',
      command: 'avala.showKeyStatus',
      tooltip: [/Invalid API key/, /revoked/],
      firstActions: ['replace', 'missionControl', 'validate'],
    },
    {
      shows: 'expired: error background, says expired, offers Mission Control then Log In',
      meta: key(checked('expired', { detail: DETAIL.expiredKey })),
      text: '$(error) ci-pipeline: key expired',
      tone: 'error',
      command: 'avala.showKeyStatus',
      tooltip: [/API key has expired/, /Regenerate it in Mission Control/],
      firstActions: ['missionControl', 'replace'],
    },
    {
      shows: 'missing credentials answer: says the key was not sent, naming a proxy',
      meta: key(checked('missing', { detail: DETAIL.missingKey })),
      text: '$(warning) ci-pipeline: key not sent',
      tone: 'warning',
      command: 'avala.showKeyStatus',
      tooltip: [/the key was not sent/, /proxy/, /X-Avala-Api-Key/],
      firstActions: ['validate', 'showLog'],
    },
    {
      shows: 'forbidden: warning background, says the key works but lacks permission',
      meta: key(checked('forbidden', { detail: DETAIL.forbidden })),
      text: '$(warning) ci-pipeline: works, lacks permission',
      tone: 'warning',
      command: 'avala.showKeyStatus',
      tooltip: [/works but lacks permission/],
      firstActions: ['missionControl', 'validate'],
    },
    {
      shows: 'throttled: warning background and the time checking resumes; no Validate Now before it',
      meta: key(
        checked('throttled', {
          detail: 'Request was throttled. Expected available in 42 seconds.',
          retryAt: new Date(NOW + 42_000).toISOString(),
        }),
      ),
      text: '$(watch) ci-pipeline: throttled until 09:00:42',
      tone: 'warning',
      command: 'avala.showKeyStatus',
      tooltip: [/Checking resumes at 09:00:42/],
      firstActions: ['showLog', 'login'],
    },
    {
      shows: 'cannot reach Avala: no background and words that do not blame the key',
      meta: key(checked('unreachable', { detail: 'The Avala API at api.avala.ai did not answer within 10 s.' })),
      text: '$(debug-disconnect) ci-pipeline: cannot reach Avala',
      tone: undefined,
      command: 'avala.showKeyStatus',
      tooltip: [/Cannot reach Avala/, /says nothing about the key/],
      firstActions: ['validate', 'showLog'],
    },
    {
      shows: 'never checked: the label and "not checked"',
      meta: key({ scopes: undefined }),
      text: '$(key) ci-pipeline: not checked',
      tone: undefined,
      command: 'avala.showKeyStatus',
      tooltip: [/Not checked yet/, /Scopes: not known yet/],
      firstActions: ['validate'],
    },
  ];

  for (const row of rows) {
    it(`shows ${row.shows}`, () => {
      const v = view(row.meta, { checking: row.checking });
      assert.equal(v.text, row.text);
      assert.equal(v.tone, row.tone);
      assert.equal(v.command, row.command);
      for (const pattern of row.tooltip) {
        assert.match(v.tooltip, pattern);
      }
      assert.deepEqual(ids(v).slice(0, row.firstActions.length), row.firstActions);
    });
  }

  it('offers Switch Key only when there is another key to switch to', () => {
    const meta = key(checked('valid'));
    assert.ok(!ids(view(meta, { keyCount: 1 })).includes('switch'));
    assert.ok(ids(view(meta, { keyCount: 2 })).includes('switch'));
  });

  it('offers Validate Now again once the throttle has passed', () => {
    const meta = key(checked('throttled', { retryAt: new Date(NOW - 1000).toISOString() }));
    assert.equal(ids(view(meta))[0], 'validate');
  });

  it('shortens a long label and keeps the state words visible', () => {
    const v = view(key({ ...checked('expired'), label: 'a-very-long-key-label-that-goes-on-and-on' }));
    assert.match(v.text, /^\$\(error\) a-very-long-key-label-that-…: key expired$/);
  });

  it('escapes Markdown in a label so a key name cannot inject links or icons', () => {
    const v = view(key({ ...checked('valid'), label: '[x](command:avala.removeKey) $(bug)' }));
    assert.ok(!v.tooltip.includes('[x](command:'));
    assert.ok(!v.tooltip.includes('$(bug)'));
  });

  it('says the keyring could not be read instead of offering Log In as if there were no keys', () => {
    const v = statusView({ key: undefined, checking: false, keyCount: 0, now: NOW, keyringProblem: 'The keyring is locked.' });
    assert.equal(v.tone, 'warning');
    assert.match(v.text, /keys unreadable/);
    assert.match(v.tooltip, /keyring is locked/);
  });

  it('never tells the user the key is bad when the network failed', () => {
    for (const detail of [
      'The Avala API at api.avala.ai refused the connection (ECONNREFUSED).',
      'The Avala API had a server error (HTTP 500).',
      undefined,
    ]) {
      const text = explainCheck({ state: 'unreachable', at: minutesAgo(1), detail }, 'api.avala.ai');
      assert.doesNotMatch(text, /invalid|expired|revoked/i);
      const v = view(key(checked('unreachable', { detail })));
      assert.doesNotMatch(v.text, /invalid|expired|revoked/i);
      assert.equal(v.tone, undefined);
    }
  });
});

describe('notifications on a change of key state', () => {
  const to = (state: KeyState, detail?: string): KeyCheck => ({ state, at: minutesAgo(0), detail });
  const rows: [KeyState | undefined, KeyState, StatusActionId[] | undefined][] = [
    ['valid', 'expired', ['missionControl', 'replace']],
    ['valid', 'invalid', ['replace', 'missionControl']],
    ['valid', 'forbidden', ['missionControl', 'showLog']],
    ['valid', 'missing', ['showLog', 'validate']],
    ['valid', 'unreachable', undefined],
    ['valid', 'throttled', undefined],
    ['valid', 'valid', undefined],
    ['invalid', 'invalid', undefined],
    ['expired', 'expired', undefined],
    ['invalid', 'expired', undefined],
    [undefined, 'invalid', undefined],
  ];
  for (const [from, state, actions] of rows) {
    it(`${actions ? 'notifies once' : 'stays quiet'} when the last known state was ${from ?? 'unknown'} and a check says ${state}`, () => {
      const notice = transitionNotice(key(), from, to(state));
      assert.deepEqual(
        notice?.actions.map((a) => a.id),
        actions,
      );
    });
  }

  it('notification buttons carry words, not icon syntax', () => {
    const notice = transitionNotice(key(), 'valid', to('expired', DETAIL.expiredKey))!;
    assert.deepEqual(
      notice.actions.map((a) => a.label),
      ['Open Mission Control', 'Log In with New Key'],
    );
    assert.equal(notice.severity, 'error');
    assert.match(notice.message, /"ci-pipeline" stopped working/);
    assert.match(notice.message, /Regenerate it in Mission Control/);
  });
});

describe('the result of "Avala: Validate Active Key"', () => {
  it('reports a valid key with its scopes', () => {
    const r = validationResult(key(), { state: 'valid', at: minutesAgo(0) }, true);
    assert.equal(r.severity, 'info');
    assert.match(r.message, /"ci-pipeline" is valid \(scopes: datasets\.read, exports\.create\)/);
  });
  it('says a throttled check was not sent and when checking resumes', () => {
    const r = validationResult(
      key(),
      { state: 'throttled', at: minutesAgo(0), retryAt: new Date(NOW + 30_000).toISOString() },
      false,
      utcTime,
    );
    assert.match(r.message, /^Not checked: .*Checking resumes at 09:00:30/);
  });
  it('offers Retry and the log when Avala cannot be reached, and does not blame the key', () => {
    const r = validationResult(
      key(),
      { state: 'unreachable', at: minutesAgo(0), detail: 'The Avala API had a server error (HTTP 500).' },
      true,
    );
    assert.deepEqual(
      r.actions.map((a) => a.label),
      ['Retry', 'Show Log'],
    );
    assert.doesNotMatch(r.message, /invalid|expired/i);
  });
  it('names the reason and the fix for an expired key', () => {
    const r = validationResult(key(), { state: 'expired', at: minutesAgo(0), detail: DETAIL.expiredKey }, true);
    assert.equal(r.severity, 'error');
    assert.match(r.message, /has expired \(“API key has expired\.”\)/);
    assert.deepEqual(
      r.actions.map((a) => a.id),
      ['missionControl', 'replace'],
    );
  });
});
