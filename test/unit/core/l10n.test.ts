import * as assert from 'node:assert/strict';
import { normalizeBaseUrl } from '../../../src/core/baseUrl';
import { AvalaApiError } from '../../../src/core/errors';
import * as l10n from '../../../src/core/l10n';
import { statusView } from '../../../src/validation/core/keyStatus';

describe('l10n: the localizer of src/core', () => {
  afterEach(() => l10n.setLocalizer(undefined));

  it('fills {0}, {1} … in order, and a value used twice twice', () => {
    assert.equal(
      l10n.t('The Avala API at {0} did not answer within {1} s.', 'api.avala.ai', 2.5),
      'The Avala API at api.avala.ai did not answer within 2.5 s.',
    );
    assert.equal(l10n.t('{1} before {0}, {0} again', 'a', 'b'), 'b before a, a again');
    assert.equal(l10n.t('{0} {1} {2}', 'x', 0, false), 'x 0 false');
  });

  it('leaves named groups, missing arguments and messages without arguments untouched', () => {
    assert.equal(
      l10n.t('Add an "env": {} or {name} to {0}, not {3}.', 'launch.json'),
      'Add an "env": {} or {name} to launch.json, not {3}.',
    );
    assert.equal(l10n.t('No arguments: {0} stays.'), 'No arguments: {0} stays.');
  });

  it('does not fill placeholders that come in with an argument', () => {
    assert.equal(l10n.t('Key "{0}" at {1}', '{1}', 'host'), 'Key "{1}" at host');
  });

  it('routes every call to the localizer it is given, and back to the default with undefined', () => {
    const calls: [string, Array<string | number | boolean>][] = [];
    l10n.setLocalizer((message, ...args) => {
      calls.push([message, args]);
      return `translated: ${message}`;
    });
    assert.equal(l10n.t('Hello {0}', 'world', 3), 'translated: Hello {0}');
    assert.deepEqual(calls, [['Hello {0}', ['world', 3]]]);

    l10n.setLocalizer(undefined);
    assert.equal(l10n.t('Hello {0}', 'world'), 'Hello world');
    assert.equal(calls.length, 1);
  });

  it('is what the status bar and the API errors of src/core say through', () => {
    // Upper-cases the message, then fills it in: the placeholders survive as {0}.
    l10n.setLocalizer((message, ...args) => message.toUpperCase().replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)])));

    const view = statusView({ key: undefined, checking: false, keyCount: 0, now: Date.now() });
    assert.equal(view.text, '$(key) AVALA: LOG IN');
    assert.equal(view.accessibilityLabel, 'AVALA: LOG IN');
    assert.equal(view.title, 'AVALA: NO KEY');

    assert.throws(
      () => normalizeBaseUrl('http://example.com/api'),
      (error: unknown) =>
        error instanceof AvalaApiError &&
        error.reason === 'insecureUrl' &&
        error.message === 'REFUSING PLAIN HTTP TO example.com: THE AVALA API BASE URL MUST USE HTTPS.',
    );

    l10n.setLocalizer(undefined);
    assert.equal(statusView({ key: undefined, checking: false, keyCount: 0, now: Date.now() }).text, '$(key) Avala: Log In');
    assert.throws(() => normalizeBaseUrl('http://example.com/api'), {
      message: 'Refusing plain HTTP to example.com: the Avala API base URL must use HTTPS.',
    });
  });
});
