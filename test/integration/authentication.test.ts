import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AuthConsumerApi } from '../fixtures/auth-consumer/extension';
import { installFixtureExtension } from './fixtureExtensions';
import { logInWith } from './prompts';
import { waitFor } from '../harness/wait';
import { activatedAvala, emulator } from './support';

const CONSUMER_ID = 'avala-tests.avala-auth-consumer';

/**
 * What a person does in the Accounts menu after an extension asked for an Avala session it
 * may not use yet: "Grant access to Avala for <extension>", then the account VS Code offers
 * first. `granted` asks again (and so files the request the first time).
 */
async function grantAccess(extensionId: string, granted: () => Promise<boolean>): Promise<void> {
  assert.equal(await granted(), false, 'the extension got a key before the user allowed it');
  const command = `avala${extensionId}Access`;
  await waitFor(async () => (await vscode.commands.getCommands()).includes(command), {
    description: `VS Code to add "${command}" to the Accounts menu`,
    timeoutMs: 10_000,
    intervalMs: 50,
  });
  void vscode.commands.executeCommand(command);
  await waitFor(
    async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return granted();
    },
    { description: 'the access grant to take effect', timeoutMs: 10_000, intervalMs: 50 },
  );
}

describe('Avala keys as a VS Code authentication provider', function () {
  this.timeout(90_000);
  let consumer: AuthConsumerApi;

  before(async () => {
    await activatedAvala();
    const accounts = await vscode.authentication.getAccounts('avala');
    assert.deepEqual(
      accounts.map((a) => a.label),
      [],
      'this suite needs an empty key store (it runs right after activation): a full-access key stored by an earlier suite would answer every request',
    );
    const extension = await installFixtureExtension<AuthConsumerApi>('auth-consumer', CONSUMER_ID);
    consumer = await extension.activate();
  });

  it('a stored key appears as an account labelled with its label and environment, and VS Code hears of it', async () => {
    const changed = new Promise<void>((resolve) => {
      const listener = vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'avala') {
          listener.dispose();
          resolve();
        }
      });
    });
    const created = await emulator.createKey({ name: 'projects-reader', scopes: ['projects.read'] });
    const meta = await logInWith(created.key);
    await changed;
    const accounts = await vscode.authentication.getAccounts('avala');
    assert.deepEqual(
      accounts.map((a) => a.label),
      [`${meta.label} (${meta.environment})`],
    );
  });

  it('another extension gets no key until the user grants it access, then the key whose scopes cover its request', async () => {
    const projects = (await vscode.authentication.getAccounts('avala'))[0];
    await grantAccess(CONSUMER_ID, async () => (await consumer.getSession(['projects.read']))?.accountLabel === projects.label);
    const session = await consumer.getSession(['projects.read']);
    assert.equal(session?.accountLabel, projects.label);
    assert.deepEqual(session?.scopes, ['projects.read']);
  });

  it("getSession('avala', ['datasets.read'], { createIfNone: false }) gets none when only a key without datasets.read is stored (one it may use)", async () => {
    assert.equal(await consumer.getSession(['datasets.read'], { createIfNone: false }), undefined);
  });

  it("getSession('avala', ['datasets.read'], { createIfNone: false }) gets the key with datasets.read once one is stored and allowed", async () => {
    const created = await emulator.createKey({ name: 'datasets-reader', scopes: ['datasets.read'] });
    const meta = await logInWith(created.key);
    const label = `${meta.label} (${meta.environment})`;
    await grantAccess(
      CONSUMER_ID,
      async () => (await consumer.getSession(['datasets.read'], { createIfNone: false }))?.accountLabel === label,
    );
    const session = await consumer.getSession(['datasets.read'], { createIfNone: false });
    assert.equal(session?.accountLabel, label);
    assert.equal(session?.accountId, meta.id);
    assert.equal(session?.accessToken, created.key, 'the session does not carry the key itself');
    assert.deepEqual(session?.scopes, ['datasets.read']);
    // The earlier grant still answers its own request with its own key.
    assert.notEqual((await consumer.getSession(['projects.read']))?.accessToken, created.key);
  });
});
