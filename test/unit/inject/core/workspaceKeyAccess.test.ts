import * as assert from 'node:assert/strict';
import {
  KEY_ACCESS_STATE,
  keyAccessQuestion,
  keyAccessRefusedMessage,
  WorkspaceKeyAccess,
} from '../../../../src/inject/core/workspaceKeyAccess';
import { MemoryMemento } from '../../../support/fakes';

describe('a repository asks before it takes a key', () => {
  it('a launch configuration may use the active key without asking, any other key only after a yes', () => {
    const access = new WorkspaceKeyAccess(new MemoryMemento());
    assert.equal(access.decide('launch', 'kdev', 'kdev'), 'allowed');
    assert.equal(access.decide('launch', 'kprod', 'kdev'), 'ask');
  });

  it('a task asks even for the active key', () => {
    const access = new WorkspaceKeyAccess(new MemoryMemento());
    assert.equal(access.decide('task', 'kdev', 'kdev'), 'ask');
  });

  it('an allowed key is remembered for this workspace and is not asked for again', async () => {
    const state = new MemoryMemento();
    await new WorkspaceKeyAccess(state).remember('kprod', 'allow');
    const later = new WorkspaceKeyAccess(state);
    assert.equal(later.decide('launch', 'kprod', 'kdev'), 'allowed');
    assert.equal(later.decide('task', 'kprod', 'kdev'), 'allowed');
    assert.equal(new WorkspaceKeyAccess(new MemoryMemento()).decide('launch', 'kprod', 'kdev'), 'ask', 'another workspace asks on its own');
  });

  it('a refused key stays refused without asking again, and only that key', async () => {
    const access = new WorkspaceKeyAccess(new MemoryMemento());
    await access.remember('kprod', 'deny');
    assert.equal(access.decide('launch', 'kprod', 'kdev'), 'refused');
    assert.equal(access.decide('task', 'kprod', 'kdev'), 'refused');
    assert.equal(access.decide('launch', 'kci', 'kdev'), 'ask');
  });

  it('a revoked answer asks again, and the state holds only key ids and answers', async () => {
    const state = new MemoryMemento();
    const access = new WorkspaceKeyAccess(state);
    await access.remember('kprod', 'allow');
    await access.remember('kci', 'deny');
    assert.deepEqual(state.get(KEY_ACCESS_STATE), { kprod: 'allow', kci: 'deny' });
    await access.forget('kprod');
    assert.equal(access.decide('launch', 'kprod', 'kdev'), 'ask');
    assert.equal(access.decide('launch', 'kci', 'kdev'), 'refused');
    await access.forget('kci');
    assert.equal(state.get(KEY_ACCESS_STATE), undefined);
  });

  it('the question and the refusal name the key and who wants it', () => {
    assert.equal(keyAccessQuestion('launch', 'prod'), "Allow this workspace's launch configurations to use 'prod'?");
    assert.match(keyAccessQuestion('task', 'prod'), /tasks to use 'prod'\?/);
    assert.match(keyAccessRefusedMessage('launch', 'prod'), /not allowed to use the Avala key 'prod'.*Manage Workspace Access to Keys/);
  });
});
