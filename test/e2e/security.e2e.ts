// Issue 7 as a person sees it: a repository's settings cannot redirect keys (and say so once),
// a key written into a file is flagged and moved into secret storage by a quick fix, the
// Keys view knows which host each key belongs to, and Restricted Mode edits no file.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EmulatorKey } from '../emulator/emulator';
import { testSettings, writeUserSettings } from '../harness';
import { emulator, openSession, type Session } from './hooks';
import {
  avalaActivated,
  dismissNotifications,
  fillInput,
  IGNORE_TITLE,
  MOVE_TITLE,
  openFile,
  openQuickFixes,
  pickQuickItem,
  problem,
  saveActiveEditor,
  screenshot,
  waitForNotification,
  writeWorkspaceFile,
} from './workbench';

describe('Security: workspace settings, hard-coded keys, key hosts', function () {
  let s: Session;
  let key: EmulatorKey;

  before(async function () {
    this.timeout(240_000);
    // A git repository from the start, as most workspaces are: then git, not a .gitignore, says
    // which files are ignored. (Initialised before VS Code opens it, so the git extension finds
    // it when it scans the folder rather than through a file watcher.)
    s = await openSession({
      prepare: (workspace) => {
        execFileSync('git', ['init', '-q', workspace]);
        fs.appendFileSync(path.join(workspace, '.git', 'info', 'exclude'), 'private/\n');
      },
    });
    await avalaActivated(s.vscode);
    key = emulator().createKey({ name: 'ci-pipeline', scopes: ['exports.create'] });
  });
  after(async () => {
    await s?.close();
  });
  afterEach(async () => {
    await dismissNotifications(s.page).catch(() => undefined);
  });

  it("a repository's .vscode/settings.json cannot point keys at another host, and the user is told once per value", async () => {
    const { page, workspace, vscode } = s;
    writeWorkspaceFile(
      workspace,
      '.vscode/settings.json',
      '{\n  // committed by someone else\n  "avala.apiBaseUrl": "https://keys.evil.example/api/v1"\n}\n',
    );
    const toast = await waitForNotification(
      page,
      /This workspace's settings \(\.vscode\/settings\.json\) try to set avala\.apiBaseUrl = "https:\/\/keys\.evil\.example\/api\/v1"\. Avala ignores it/,
    );
    assert.match(await toast.innerText(), /Open Workspace Settings/);
    await screenshot(page, 'security/01-workspace-settings-ignored');
    await dismissNotifications(page);

    // Editing the file again with one more attempt tells only about the new one.
    writeWorkspaceFile(
      workspace,
      '.vscode/settings.json',
      '{\n  "avala.apiBaseUrl": "https://keys.evil.example/api/v1",\n  "avala.missionControlUrl": "https://phish.example"\n}\n',
    );
    const second = await waitForNotification(page, /try to set avala\.missionControlUrl = "https:\/\/phish\.example"/);
    assert.doesNotMatch(await second.innerText(), /apiBaseUrl/);
    assert.equal((vscode.avalaLog() ?? '').match(/try to set avala\.apiBaseUrl/g)?.length, 1, 'the base URL attempt was told once');
    fs.rmSync(path.join(workspace, '.vscode', 'settings.json'));
  });

  it('a key written into a Python file is flagged, and the quick fix stores it and puts os.environ in its place', async () => {
    const { page, workspace, vscode } = s;
    const file = writeWorkspaceFile(
      workspace,
      'jobs/export.py',
      `"""Nightly export."""\nimport requests\n\nAVALA_API_KEY = "${key.key}"\n`,
    );
    await openFile(page, workspace, 'jobs/export.py');
    const row = await problem(page, /An Avala API key \(avk_…[0-9a-f]{4}\) is assigned to AVALA_API_KEY here/);
    assert.ok(!(await row.innerText()).includes(key.key.slice(4, 30)), 'the Problems panel does not show the key');
    await screenshot(page, 'security/02-problem-in-python-file');

    const menu = await openQuickFixes(page, IGNORE_TITLE);
    await screenshot(page, 'security/03-quick-fix-menu');
    await menu.getByText(MOVE_TITLE).first().click();
    await fillInput(page, 'ci-pipeline', { prompt: 'A label' });
    await pickQuickItem(page, 'production');
    await waitForNotification(page, /jobs\/export\.py now reads the key with os\.environ\["AVALA_API_KEY"\]; save the file/);
    await screenshot(page, 'security/04-key-moved');
    await saveActiveEditor(page, file, 'os.environ');
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      '"""Nightly export."""\nimport os\nimport requests\n\nAVALA_API_KEY = os.environ["AVALA_API_KEY"]\n',
    );
    assert.match(
      vscode.avalaLog() ?? '',
      /Stored key "ci-pipeline" \(avk_…[0-9a-f]{4}, production\) for 127\.0\.0\.1:\d+ from jobs\/export\.py line 4/,
    );
    assert.ok(
      emulator().requests.some((r) => r.keyId === key.id && r.path.endsWith('/users/me/permissions/')),
      'the key was checked before it was stored',
    );
  });

  it('the same key in a .env file is an Information that names the stored key', async () => {
    const { page, workspace } = s;
    writeWorkspaceFile(workspace, '.env', `AVALA_API_KEY=${key.key}\n`);
    await openFile(page, workspace, '.env');
    const row = await problem(page, /This is your key 'ci-pipeline'/);
    assert.match(await row.innerText(), /A \.env file is the lesser evil/);
    assert.match(
      (await row.locator('.codicon-info, .codicon-warning').first().getAttribute('class')) ?? '',
      /codicon-info/,
      'an Information, not a Warning',
    );
    await screenshot(page, 'security/05-env-file-information');
  });

  it('in a git repository git itself decides what is ignored: a key in a file excluded by .git/info/exclude is an Information', async () => {
    const { page, workspace } = s;
    writeWorkspaceFile(workspace, 'private/local_settings.py', 'AVALA_API_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"\n');
    await openFile(page, workspace, 'private/local_settings.py');
    // No .gitignore says so, only git: the row turns Information once git has found the repository.
    const row = await problem(page, /is assigned to AVALA_API_KEY here\. The file is ignored by git, the lesser evil/);
    assert.match((await row.locator('.codicon-info, .codicon-warning').first().getAttribute('class')) ?? '', /codicon-info/);
    await screenshot(page, 'security/06-git-ignored-information');
  });

  it('changing avala.apiBaseUrl says which keys belong to which host', async () => {
    const { page, vscode } = s;
    const localhost = emulator().baseUrl.replace('127.0.0.1', 'localhost');
    writeUserSettings(vscode.userDataDir, { ...testSettings(true), 'avala.apiBaseUrl': localhost, 'avala.allowInsecureLoopback': true });
    await waitForNotification(
      page,
      /Avala now talks to localhost:\d+\. Each key is only ever sent to the API it was stored for: 1 key for 127\.0\.0\.1:\d+\. New keys will be stored for localhost:\d+\. The active key "ci-pipeline" belongs to 127\.0\.0\.1:\d+ and is still sent only there\./,
    );
    await screenshot(page, 'security/07-key-hosts-after-base-url-change');
    writeUserSettings(vscode.userDataDir, {
      ...testSettings(true),
      'avala.apiBaseUrl': emulator().baseUrl,
      'avala.allowInsecureLoopback': true,
    });
    await waitForNotification(page, /Avala now talks to 127\.0\.0\.1:\d+\. .*1 key for 127\.0\.0\.1:\d+ \(the new API\)/);
  });
});
