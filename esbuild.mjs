// Bundles the extension. `extension.js` is what VS Code loads at activation and must stay
// small (under 40 KB in production, see scripts/build/budget.mjs and `npm run bench`). Code that only runs later lives in lazy chunks:
// each is `dist/<name>.js`, loaded by a `require('./<module>')` where it is first needed.
// The plugins and the check of module state live in scripts/build/, each saying why.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lazyChunks } from './scripts/build/lazyChunks.mjs';
import { activationBudgetProblem } from './scripts/build/budget.mjs';
import { moduleStateProblems } from './scripts/build/moduleState.mjs';
import { nodeHash } from './scripts/build/nodeHash.mjs';
import { browserTransport } from './scripts/build/browserTransport.mjs';
import { vscodeApi } from './scripts/build/vscodeApi.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--analyze`: also print what each source module adds to extension.js, largest first.
const analyze = process.argv.includes('--analyze');
const root = path.dirname(new URL(import.meta.url).pathname);

/** Lazy chunks and their sources. */
const LAZY = {
  // undici: on the first request.
  transport: 'src/core/transport.ts',
  // The API client and its response classification: on the first request.
  client: 'src/core/client.ts',
  // Sign up, log in, import, switch, rename, remove, copy: on the first of those commands.
  keyCommands: 'src/keys/keyCommands.ts',
  // Asking before a workspace takes a key: on the first launch or task that needs the answer.
  keyAccess: 'src/inject/keyAccess.ts',
  // Checking whether a key found in a file is live: on the first "Check whether this key is live".
  liveKeyCheck: 'src/security/liveKeyCheck.ts',
  // The paste guard's plans and its storing: on the first paste of text into an editor.
  keyPasteGuard: 'src/security/keyPasteGuard.ts',
  // What Avala's language-model tools answer: on an agent's first call.
  agentTools: 'src/agents/agentTools.ts',
  // The terminal tripwire's matchers and notifications: on the first command a terminal with shell integration runs.
  tripwire: 'src/tripwire/terminalTripwire.ts',
  // Hard-coded key diagnostics and quick fixes: on the first document to scan, or a quick-fix command.
  securityFeature: 'src/security/securityFeature.ts',
  // Workspace settings that try to redirect keys: once the keyring is read after startup.
  settingsGuard: 'src/security/settingsGuard.ts',
  // The Accounts menu's sessions: when VS Code first asks for them.
  authProvider: 'src/ecosystem/authProvider.ts',
  // The MCP server definition and its start: when VS Code first asks for servers, or a key is chosen for it.
  mcpServer: 'src/ecosystem/mcpServer.ts',
  // The terminal environment: once the keyring is read after activation (it was written then before too).
  terminalInjector: 'src/inject/terminalInjector.ts',
  // Keys for debug sessions: at the first launch.
  debugProvider: 'src/inject/debugProvider.ts',
  // ${command:avala.apiKey}, Open Terminal with Key…, Set Active Key for Folder…: at the first of them.
  injectionCommands: 'src/inject/commands.ts',
  // How the Keys view draws keys and their rows: when the view first shows one.
  keyTreeItems: 'src/keys/keyTreeItems.ts',
  // When to check keys: once the keyring is read after activation (the schedule started then before too).
  checkScheduler: 'src/validation/core/checkScheduler.ts',
  // What the status bar and the validation notices say: at the status bar's first render (the keyring read).
  keyStatus: 'src/validation/core/keyStatus.ts',
  // The one notice that Avala's TypeScript tools need 127.0.0.1, not [::1]: with the first base URL handed out.
  loopbackNotice: 'src/inject/loopbackNotice.ts',
  // Restore or delete a key value no entry lists: the first time the store finds one.
  orphanedKeys: 'src/keys/orphanedKeys.ts',
  // The key store's add, update, remove, its check at start and its clean-up (forget, unreferenced secrets, orphans): once the keyring is read after startup.
  keyStoreWrites: 'src/core/keyStoreWrites.ts',
  // What the status bar's picker and the notices' buttons run: at the first click or notice.
  keyActions: 'src/validation/keyActions.ts',
};
const lazyByPath = new Map(Object.entries(LAZY).map(([name, file]) => [path.join(root, file), name]));

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  absWorkingDir: root,
};

const plugins = (chunk) => [vscodeApi(root), nodeHash(root), lazyChunks({ root, lazyByPath, ...chunk })];

async function buildAll() {
  // 1. What extension.js holds.
  const first = await esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    write: false,
    metafile: true,
    sourcemap: false,
    plugins: plugins(),
  });
  const shared = new Set(Object.keys(first.metafile.inputs).map((file) => path.join(root, file)));
  // 2. The chunks, taking what extension.js holds from it.
  const used = new Set();
  const chunks = {};
  for (const [name, file] of Object.entries(LAZY)) {
    const result = await esbuild.build({
      ...common,
      entryPoints: { [name]: file },
      outdir: 'dist',
      metafile: true,
      plugins: plugins({ entry: path.join(root, file), shared, used }),
    });
    chunks[name] = result.metafile;
  }
  const problems = moduleStateProblems({ chunks, exists: (file) => fs.existsSync(path.join(root, file)) });
  if (problems.length > 0) {
    throw new Error(`Module state would be copied into a lazy chunk:\n- ${problems.join('\n- ')}`);
  }
  // 3. extension.js, exporting the modules the chunks take from it.
  const modules = [...used].map((file) => path.relative(root, file)).sort();
  const contents = [
    "export * from './src/extension';",
    ...modules.map((file, i) => `import * as shared${i} from './${file.replace(/\.ts$/, '')}';`),
    `export const __shared = { ${modules.map((file, i) => `${JSON.stringify(file)}: shared${i}`).join(', ')} };`,
  ].join('\n');
  const main = await esbuild.build({
    ...common,
    stdin: { contents, resolveDir: root, sourcefile: 'src/extension.entry.ts', loader: 'ts' },
    outfile: 'dist/extension.js',
    metafile: analyze,
    plugins: plugins(),
  });
  if (analyze) {
    const inputs = Object.values(main.metafile.outputs).find((output) => output.entryPoint !== undefined || output.inputs)?.inputs ?? {};
    const rows = Object.entries(inputs).sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput);
    console.log(rows.map(([file, { bytesInOutput }]) => `${String(bytesInOutput).padStart(7)} B  ${file}`).join('\n'));
  }
  // 4. The browser entry for the web worker extension host: one file, no lazy chunks (a worker
  // loads it once), the fetch transport instead of undici, and no Node module (esbuild fails
  // the build on one).
  await esbuild.build({
    ...common,
    platform: 'browser',
    target: 'es2022',
    entryPoints: { extension: 'src/extension.browser.ts' },
    outdir: 'dist/browser',
    plugins: [vscodeApi(root), browserTransport(root)],
  });
  const sizes = ['extension', ...Object.keys(LAZY), 'browser/extension'].map(
    (name) => `${name}.js ${(fs.statSync(path.join(root, 'dist', `${name}.js`)).size / 1024).toFixed(1)} KB`,
  );
  console.log(`dist/: ${sizes.join(', ')}`);
  const overBudget = production && activationBudgetProblem(fs.statSync(path.join(root, 'dist', 'extension.js')).size);
  if (overBudget) {
    throw new Error(overBudget);
  }
}

if (watch) {
  // Three builds depend on each other, so a change rebuilds all (esbuild takes well under a second).
  let timer;
  const rebuild = () => buildAll().catch((error) => console.error(error.message));
  await rebuild();
  fs.watch(path.join(root, 'src'), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 100);
  });
  console.log('Watching src/ for changes…');
} else {
  await buildAll().catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
