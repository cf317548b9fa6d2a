import * as assert from 'node:assert/strict';
import { lookUpCall, SCOPE_TABLE } from '../../../../src/agents/core/scopeTable';
import { scopeMeanings } from '../../../../src/core/scopes';

const scopeOf = (call: string) => lookUpCall(call).row?.scope;

describe('the scope table', () => {
  it('maps HTTP routes, with ids, full URLs and a missing trailing slash, to their scope', () => {
    assert.equal(scopeOf('GET /datasets/'), 'datasets.read');
    assert.equal(scopeOf('get /datasets/ds_123/items'), 'datasets.read');
    assert.equal(scopeOf('POST https://api.avala.ai/api/v1/datasets/'), 'datasets.write');
    assert.equal(scopeOf('DELETE /datasets/abc/'), 'datasets.write');
    assert.equal(scopeOf('GET /users/me/projects/'), 'projects.read');
    assert.equal(scopeOf('GET /fleet/devices/?limit=5'), 'fleet.read');
    assert.equal(scopeOf('HEAD /agents/'), 'agents.read');
  });

  it('maps SDK methods however they are written', () => {
    assert.equal(scopeOf('client.datasets.list()'), 'datasets.read');
    assert.equal(scopeOf('await client.exports.create({ project })'), 'exports.create');
    assert.equal(scopeOf('avala.projects.list'), 'projects.read');
    assert.equal(scopeOf('tasks.get'), 'tasks.read');
  });

  it('knows the calls that need no scope', () => {
    assert.equal(lookUpCall('POST /signup/').row?.scope, null);
    assert.equal(lookUpCall('GET /users/me/permissions/').row?.scope, null);
  });

  it('does not guess: an unknown route, method or verb finds no row', () => {
    assert.equal(lookUpCall('GET /secrets/').row, undefined);
    assert.equal(lookUpCall('PATCH /projects/abc/').row, undefined);
    assert.equal(lookUpCall('client.datasets.frobnicate()').row, undefined);
  });

  it("uses only scopes the extension can describe, and documents the five of Avala's authentication page", () => {
    const known = scopeMeanings();
    for (const row of SCOPE_TABLE) {
      assert.ok(row.scope === null || row.scope in known, `${row.scope} has a meaning`);
    }
    const documented = new Set(SCOPE_TABLE.filter((r) => r.source === 'documented' && r.scope).map((r) => r.scope));
    assert.deepEqual([...documented].sort(), ['datasets.read', 'datasets.write', 'exports.create', 'projects.read', 'tasks.read']);
  });
});
