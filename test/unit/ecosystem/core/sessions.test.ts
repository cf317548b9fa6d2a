import * as assert from 'node:assert/strict';
import type { KeyMeta } from '../../../../src/core/keyIndex';
import { accountLabel, diffSessions, isEmptyDiff, keysForSessionRequest, sessionShape } from '../../../../src/ecosystem/core/sessions';
import { keyMeta } from '../../../support/keyMeta';

const datasets = keyMeta('ds', ['datasets.read']);
const projects = keyMeta('pr', ['projects.read']);
const full = keyMeta('full', []);
const unknown = keyMeta('unk', undefined);
const broad = keyMeta('broad', ['datasets.read', 'datasets.write', 'exports.create']);

describe('keys as authentication sessions', () => {
  const ids = (keys: KeyMeta[]) => keys.map((k) => k.id);

  it('a request for datasets.read gets the keys with that scope and full-access keys, never a key without it', () => {
    assert.deepEqual(ids(keysForSessionRequest([projects, datasets, full], ['datasets.read'])), ['ds', 'full']);
  });

  it('a request for datasets.read gets no session when the only key lacks that scope', () => {
    assert.deepEqual(keysForSessionRequest([projects], ['datasets.read']), []);
  });

  it('a key whose scopes are not known yet answers only requests without scopes', () => {
    assert.deepEqual(ids(keysForSessionRequest([unknown], ['datasets.read'])), []);
    assert.deepEqual(ids(keysForSessionRequest([unknown], undefined)), ['unk']);
    assert.deepEqual(ids(keysForSessionRequest([unknown], [])), ['unk']);
  });

  it('every requested scope must be present', () => {
    assert.deepEqual(ids(keysForSessionRequest([datasets, broad], ['datasets.read', 'exports.create'])), ['broad']);
  });

  it('the active key comes first, then the narrowest key, full access last', () => {
    assert.deepEqual(ids(keysForSessionRequest([full, broad, datasets], ['datasets.read'])), ['ds', 'broad', 'full']);
    assert.deepEqual(ids(keysForSessionRequest([full, broad, datasets], ['datasets.read'], { activeId: 'full' })), ['full', 'ds', 'broad']);
  });

  it('a request for one account answers with that key only', () => {
    assert.deepEqual(ids(keysForSessionRequest([datasets, full], ['datasets.read'], { accountId: 'full' })), ['full']);
    assert.deepEqual(ids(keysForSessionRequest([datasets, projects], ['datasets.read'], { accountId: 'pr' })), []);
  });

  it('the account is labelled with the key label and its environment', () => {
    assert.equal(accountLabel({ label: 'ci-pipeline', environment: 'production' }), 'ci-pipeline (production)');
    assert.equal(sessionShape(datasets).accountLabel, 'key-ds (development)');
  });

  it('a session carries the key scopes, and none for full access', () => {
    assert.deepEqual(sessionShape(broad).scopes, ['datasets.read', 'datasets.write', 'exports.create']);
    assert.deepEqual(sessionShape(full).scopes, []);
  });

  it('a session shape has no key value in it', () => {
    assert.doesNotMatch(JSON.stringify(sessionShape(datasets)), /avk_[0-9a-f]{8}/);
  });
});

describe('session change events', () => {
  const shapes = (...keys: KeyMeta[]) => keys.map(sessionShape);

  it('a new key is added, a removed key is removed', () => {
    const diff = diffSessions(shapes(datasets, projects), shapes(projects, full));
    assert.deepEqual(
      diff.added.map((s) => s.id),
      ['full'],
    );
    assert.deepEqual(
      diff.removed.map((s) => s.id),
      ['ds'],
    );
    assert.deepEqual(diff.changed, []);
  });

  it('renaming a key, a new environment or new scopes change its session', () => {
    const renamed = { ...datasets, label: 'renamed' };
    const moved = { ...projects, environment: 'production' };
    const rescoped = { ...full, scopes: ['tasks.read'] };
    const diff = diffSessions(shapes(datasets, projects, full), shapes(renamed, moved, rescoped));
    assert.deepEqual(
      diff.changed.map((s) => s.id),
      ['ds', 'pr', 'full'],
    );
    assert.equal(diff.changed[0].accountLabel, 'renamed (development)');
  });

  it('a check that learns the scopes of an unchecked key changes its session', () => {
    assert.deepEqual(
      diffSessions(shapes(unknown), shapes({ ...unknown, scopes: [] })).changed.map((s) => s.id),
      ['unk'],
    );
  });

  it('a store change that touches no key (switching the active key) is no session change', () => {
    const diff = diffSessions(shapes(datasets, projects), shapes(datasets, projects));
    assert.equal(isEmptyDiff(diff), true);
    assert.equal(isEmptyDiff(diffSessions([], shapes(datasets))), false);
  });
});
