import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

// out/test/unit/scripts/build → the project root.
const root = path.resolve(__dirname, '..', '..', '..', '..', '..');

type Metafile = { inputs: Record<string, unknown> };
interface ModuleState {
  MODULE_STATE: Record<string, string>;
  moduleStateProblems(options: {
    chunks: Record<string, Metafile>;
    stateful?: Record<string, string>;
    exists: (file: string) => boolean;
  }): string[];
}
interface LazyChunks {
  lazyChunks(options: {
    root: string;
    lazyByPath: Map<string, string>;
    entry?: string;
    shared?: Set<string>;
    used?: Set<string>;
  }): esbuild.Plugin;
}

// The build scripts are plain ES modules next to esbuild.mjs, loaded as the build loads them.
const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(root, 'scripts', 'build', file)).href) as Promise<T>;

describe('the build fails when module state would be copied into a lazy chunk', () => {
  const exists = (file: string) => fs.existsSync(path.join(root, file));

  it('names the chunk, the module and what its state is', async () => {
    const { moduleStateProblems } = await load<ModuleState>('moduleState.mjs');
    const inputs = (...files: string[]) => ({ inputs: Object.fromEntries(files.map((f) => [f, {}])) });
    const problems = moduleStateProblems({
      chunks: {
        keyCommands: inputs('src/keys/keyCommands.ts', 'src/core/redact.ts', 'avala-shared:src/core/l10n.ts'),
        client: inputs('src/core/client.ts', 'avala-shared:src/core/redact.ts'),
      },
      exists,
    });
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^dist\/keyCommands\.js would get its own copy of src\/core\/redact\.ts \(the registry of secrets/);
  });

  it('a chunk that takes the stateful modules from extension.js passes', async () => {
    const { moduleStateProblems, MODULE_STATE } = await load<ModuleState>('moduleState.mjs');
    const shared = Object.fromEntries(Object.keys(MODULE_STATE).map((file) => [`avala-shared:${file}`, {}]));
    assert.deepEqual(
      moduleStateProblems({ chunks: { keyCommands: { inputs: { 'src/keys/keyCommands.ts': {}, ...shared } } }, exists }),
      [],
    );
  });

  it('every listed module exists, and a list that names a missing one fails', async () => {
    const { moduleStateProblems, MODULE_STATE } = await load<ModuleState>('moduleState.mjs');
    assert.ok(Object.keys(MODULE_STATE).includes('src/core/redact.ts') && Object.keys(MODULE_STATE).includes('src/core/l10n.ts'));
    for (const file of Object.keys(MODULE_STATE)) {
      assert.match(fs.readFileSync(path.join(root, file), 'utf8'), /Module state: /, `${file} says it holds module state`);
    }
    const problems = moduleStateProblems({ chunks: {}, stateful: { 'src/core/renamed.ts': 'moved away' }, exists });
    assert.deepEqual(problems, ['src/core/renamed.ts is listed in scripts/build/moduleState.mjs but does not exist: update the list.']);
  });

  it('with esbuild: a chunk copies l10n.ts unless extension.js already has it', async function () {
    this.timeout(20_000);
    const { moduleStateProblems } = await load<ModuleState>('moduleState.mjs');
    const { lazyChunks } = await load<LazyChunks>('lazyChunks.mjs');
    // keyFormat.ts imports l10n.ts: built as if it were a lazy chunk's source.
    const entry = path.join(root, 'src', 'core', 'keyFormat.ts');
    const chunk = async (shared: Set<string>) => {
      const result = await esbuild.build({
        entryPoints: { keyFormat: entry },
        bundle: true,
        format: 'cjs',
        platform: 'node',
        write: false,
        outdir: 'dist',
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: root,
        plugins: [lazyChunks({ root, lazyByPath: new Map(), entry, shared, used: new Set() })],
      });
      return moduleStateProblems({ chunks: { keyFormat: result.metafile }, exists });
    };
    const copied = await chunk(new Set());
    assert.equal(copied.length, 1, copied.join('\n'));
    assert.match(copied[0], /^dist\/keyFormat\.js would get its own copy of src\/core\/l10n\.ts/);
    assert.deepEqual(await chunk(new Set([path.join(root, 'src', 'core', 'l10n.ts')])), []);
  });
});
