import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// Loads every compiled module of src/ in a fresh Node process, with a stand-in `vscode` whose
// l10n.t records its calls and with core/l10n's localizer recording too. A message looked up
// while a module loads is looked up before activation hands over VS Code's translator: it
// stays English for good, whatever the user's language.
const LOADER = `
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const srcDir = process.argv[1];
const calls = [];
// Which module is running its top level now, so a call names the module that made it.
const loading = [];
const compile = Module._extensions['.js'];
Module._extensions['.js'] = function (module, filename) {
  loading.push(filename);
  try {
    return compile.call(this, module, filename);
  } finally {
    loading.pop();
  }
};
const record = (message) => {
  calls.push(loading.length ? path.relative(srcDir, loading[loading.length - 1]) + ': ' + message : message);
  return message;
};
function anything(name) {
  return new Proxy(function () {}, {
    get(_, prop) {
      if (prop === '__esModule') return name === 'vscode'; // so the compiled import * keeps this object
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => name;
      if (typeof prop === 'symbol') return undefined;
      if (name === 'vscode' && prop === 'l10n') return { t: record };
      return anything(name + '.' + prop);
    },
    apply: () => anything(name + '()'),
    construct: () => anything('new ' + name),
  });
}
const vscode = anything('vscode');
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};
require(path.join(srcDir, 'core', 'l10n.js')).setLocalizer(record);
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.js')) files.push(full);
  }
})(srcDir);
for (const file of files.sort()) {
  require(file);
}
const atLoad = calls.splice(0);
require('vscode').l10n.t('probe: vscode.l10n.t');
require(path.join(srcDir, 'core', 'l10n.js')).t('probe: core l10n.t');
process.stdout.write(JSON.stringify({ files: files.length, atLoad, afterLoad: calls }));
process.exit(0);
`;

describe('l10n: no message is looked up while a module loads', () => {
  it('loading every module of src/ calls neither vscode.l10n.t nor core l10n.t', function () {
    this.timeout(30_000);
    const srcDir = path.resolve(__dirname, '..', '..', '..', 'src');
    const run = spawnSync(process.execPath, ['-e', LOADER, srcDir], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { files: number; atLoad: string[]; afterLoad: string[] };
    assert.ok(result.files > 40, `only ${result.files} modules found under ${srcDir}`);
    assert.deepEqual(result.afterLoad, ['probe: vscode.l10n.t', 'probe: core l10n.t'], 'both localizers are recorded once loading is done');
    assert.deepEqual(result.atLoad, [], 'messages looked up at module load stay untranslated: look them up where they are shown');
  });
});
