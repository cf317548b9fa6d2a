// Issue 7 inside a real extension host: hard-coded key diagnostics, their severity, the quick
// fix that moves a key into secret storage, "Ignore in this file", and settings a workspace
// cannot use to redirect keys.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../harness/wait';
import { activatedAvala, emulator } from './support';

const MOVE_TITLE = 'Store in Avala secret storage and use the environment variable';
const IGNORE_TITLE = 'Ignore hard-coded Avala keys in this file';

function folder(): vscode.Uri {
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first) {
    throw new Error('the integration tests need a folder open');
  }
  return first.uri;
}

/** A fresh 40-hex value shaped like a server key, never stored anywhere. */
function randomHex(): string {
  let out = '';
  while (out.length < 40) {
    out += Math.floor(Math.random() * 16).toString(16);
  }
  return out;
}

async function writeFile(relative: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(folder(), 'security-tests', relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

function avalaDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Avala');
}

function diagnosticsOf(uri: vscode.Uri, count = 1): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const found = avalaDiagnostics(uri);
      return found.length === count ? found : undefined;
    },
    { description: `${count} Avala diagnostic(s) on ${uri.path}`, timeoutMs: 10_000, intervalMs: 50 },
  );
}

function noDiagnostics(uri: vscode.Uri): Promise<true> {
  return waitFor(() => avalaDiagnostics(uri).length === 0, {
    description: `no Avala diagnostics on ${uri.path}`,
    timeoutMs: 10_000,
    intervalMs: 50,
  });
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((a) => a.title === MOVE_TITLE || a.title === IGNORE_TITLE);
}

/**
 * Runs a command that asks through input boxes and quick picks, accepting each prompt's
 * default (the label Log In proposes, then the first environment) until the command ends.
 */
async function acceptingPrompts<T>(command: string, ...args: unknown[]): Promise<T> {
  let done = false;
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)).finally(() => {
    done = true;
  });
  const deadline = Date.now() + 30_000;
  while (!done && Date.now() < deadline) {
    await Promise.race([running.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 250))]);
    if (!done) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
  }
  return running;
}

async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('hard-coded Avala keys', function () {
  this.timeout(60_000);

  before(async () => {
    await activatedAvala();
  });
  afterEach(closeEditors);

  it('a key written into a source file gets a warning from "Avala" that never shows the key', async () => {
    const hex = randomHex();
    const uri = await writeFile('client.ts', `export const client = new Avala({ apiKey: "avk_${hex}" });\n`);
    await open(uri);
    const [diagnostic] = await diagnosticsOf(uri);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.range.start.character, 'export const client = new Avala({ apiKey: "'.length);
    assert.match(diagnostic.message, new RegExp(`avk_…${hex.slice(-4)}`));
    assert.match(diagnostic.message, /Never hard-code API keys/);
    assert.ok(!diagnostic.message.includes(hex.slice(0, 36)), diagnostic.message);
  });

  it('a key in a .env file is only Information, the lesser evil', async () => {
    const uri = await writeFile('.env', `AVALA_API_KEY=${randomHex()}\n`);
    await open(uri);
    const [diagnostic] = await diagnosticsOf(uri);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostic.message, /\.env file is the lesser evil/);
  });

  it('a key in a git-ignored file is only Information', async () => {
    await writeFile('.gitignore', 'secrets/\n');
    const ignored = await writeFile('secrets/config.py', `AVALA_API_KEY = "${randomHex()}"\n`);
    const tracked = await writeFile('config.py', `AVALA_API_KEY = "${randomHex()}"\n`);
    await open(ignored);
    assert.equal((await diagnosticsOf(ignored))[0].severity, vscode.DiagnosticSeverity.Information);
    await open(tracked);
    assert.equal((await diagnosticsOf(tracked))[0].severity, vscode.DiagnosticSeverity.Warning);
  });

  it('the warning appears while typing and goes when the key is deleted', async () => {
    const uri = await writeFile('typing.py', 'print("hello")\n');
    const document = await open(uri);
    await noDiagnostics(uri);
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((b) => b.insert(new vscode.Position(1, 0), `AVALA_API_KEY = "${randomHex()}"\n`));
    await diagnosticsOf(uri);
    await editor.edit((b) => b.delete(document.lineAt(1).rangeIncludingLineBreak));
    await noDiagnostics(uri);
  });

  it('the quick fix checks the key with the API, stores it through the prompts and replaces the literal with os.environ', async () => {
    const created = await emulator.createKey({ name: 'ci-pipeline', scopes: ['datasets.read'] });
    const before = (await emulator.requestsSince(0)).at(-1)?.seq ?? 0;
    const uri = await writeFile('pipeline.py', `"""CI job."""\nimport sys\n\nclient = Avala(api_key="${created.key}")\n`);
    const document = await open(uri);
    const [diagnostic] = await diagnosticsOf(uri);
    const fix = (await quickFixes(uri, diagnostic.range)).find((a) => a.title === MOVE_TITLE);
    assert.ok(fix?.command, 'the quick fix is offered');
    assert.equal(fix.isPreferred, true);

    // Log In's prompts: the label (its default is accepted), then the environment.
    const result = await acceptingPrompts<{ stored?: { label: string; source: string }; replacedWith?: string }>(
      fix.command.command,
      ...(fix.command.arguments ?? []),
    );
    assert.ok(result?.stored, 'the key was stored');
    assert.equal(result.stored.source, 'editor');
    assert.equal(result.replacedWith, 'os.environ["AVALA_API_KEY"]');
    assert.equal(document.getText(), '"""CI job."""\nimport os\nimport sys\n\nclient = Avala(api_key=os.environ["AVALA_API_KEY"])\n');
    await noDiagnostics(uri);

    const checks = (await emulator.requestsSince(before)).filter((r) => r.path.endsWith('/users/me/permissions/'));
    assert.ok(
      checks.some((r) => r.keyId === created.id),
      'the key was checked with the API before it was stored',
    );

    // The same key elsewhere is now recognised as the user's own.
    const other = await writeFile('other.sh', `export AVALA_API_KEY=${created.key}\n`);
    await open(other);
    const [again] = await diagnosticsOf(other);
    assert.match(again.message, new RegExp(`This is your key '${result.stored.label.replace(/[()]/g, '\\$&')}'`));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('"Ignore in this file" silences the file until the warnings are reset', async () => {
    const uri = await writeFile('ignored.js', `const k = "avk_${randomHex()}";\n`);
    await open(uri);
    const [diagnostic] = await diagnosticsOf(uri);
    const ignore = (await quickFixes(uri, diagnostic.range)).find((a) => a.title === IGNORE_TITLE);
    assert.ok(ignore?.command);
    await vscode.commands.executeCommand(ignore.command.command, ...(ignore.command.arguments ?? []));
    await noDiagnostics(uri);
    await vscode.commands.executeCommand('avala.resetIgnoredKeyWarnings');
    await diagnosticsOf(uri);
  });
});

describe('settings a workspace cannot abuse', function () {
  this.timeout(60_000);

  it("a base URL in .vscode/settings.json is not used: requests still go to the user's API", async () => {
    await activatedAvala();
    const settingsFile = vscode.Uri.joinPath(folder(), '.vscode', 'settings.json');
    let original: Uint8Array | undefined;
    try {
      original = await vscode.workspace.fs.readFile(settingsFile);
    } catch {
      original = undefined;
    }
    try {
      await vscode.workspace.fs.writeFile(
        settingsFile,
        new TextEncoder().encode(
          '{\n  // a hostile repository\n  "avala.apiBaseUrl": "https://keys.evil.example/api/v1",\n  "avala.allowInsecureLoopback": true,\n}\n',
        ),
      );
      // VS Code itself drops machine-scoped values from workspace settings.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const inspected = vscode.workspace.getConfiguration('avala').inspect<string>('apiBaseUrl');
      assert.equal(inspected?.workspaceValue, undefined);
      assert.ok(inspected?.globalValue?.startsWith('http://127.0.0.1:'), `user value ${inspected?.globalValue}`);

      const created = await emulator.createKey({ name: 'after-override', scopes: [] });
      const before = (await emulator.requestsSince(0)).at(-1)?.seq ?? 0;
      await acceptingPrompts('avala.login', created.key);
      const sent = await emulator.requestsSince(before);
      assert.ok(
        sent.some((r) => r.keyId === created.id),
        "the key was checked against the emulator, not the workspace's host",
      );
    } finally {
      if (original) {
        await vscode.workspace.fs.writeFile(settingsFile, original);
      } else {
        await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
      }
    }
  });
});
