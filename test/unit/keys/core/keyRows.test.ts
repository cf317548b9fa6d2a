import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL } from '../../../../src/core/baseUrl';
import { detailRows, needsRotation } from '../../../../src/keys/core/keyRows';
import type { KeyMeta } from '../../../../src/core/keyIndex';

describe('Keys view rows', () => {
  const meta = (over: Partial<KeyMeta>): KeyMeta => ({
    id: 'k1',
    label: 'ci',
    environment: 'production',
    baseUrl: DEFAULT_BASE_URL,
    addedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    masked: 'avk_…a1b2',
    fingerprint: 'f',
    source: 'login',
    ...over,
  });
  it('shows a full-access key as a warning with the advice to prefer scoped keys', () => {
    const rows = detailRows(meta({ scopes: [] }), 90, false);
    assert.equal(rows[0].label, 'Full organization access');
    assert.equal(rows[0].warning, true);
    assert.match(rows[0].tooltip!, /automation/);
  });
  it('shows each scope with its meaning', () => {
    const rows = detailRows(meta({ scopes: ['datasets.read', 'exports.create'] }), 90, false);
    assert.deepEqual(
      rows.slice(0, 2).map((r) => [r.label, r.description]),
      [
        ['datasets.read', 'List and retrieve datasets and dataset items.'],
        ['exports.create', 'Create new exports and download completed exports.'],
      ],
    );
    assert.ok(rows.some((r) => r.label === 'Added 3 days ago'));
  });
  it('warns to rotate a key older than the policy and not a younger one', () => {
    assert.equal(needsRotation(meta({ addedAt: new Date(Date.now() - 91 * 86_400_000).toISOString() }), 90), true);
    assert.equal(needsRotation(meta({}), 90), false);
    assert.equal(needsRotation(meta({ addedAt: '2000-01-01T00:00:00Z' }), 0), false);
    assert.ok(
      detailRows(meta({ addedAt: new Date(Date.now() - 100 * 86_400_000).toISOString() }), 90, false).some(
        (r) => r.label === 'Rotate keys regularly',
      ),
    );
  });
});
