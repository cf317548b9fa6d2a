// Run with --expose-gc in a fresh Node process: loads an extension's main file with the stub
// `vscode`, activates it over a keyring given in a seed file, runs a validation of each listed
// key through its own command, and prints the heap the process retains afterwards beyond what
// it held before loading the extension (after full garbage collections), as JSON.
//
//   node --expose-gc out/scripts/bench/memoryProbe.js <path/to/main.js> <seed.json>
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createExtensionContext, installVSCodeStub } from '../../test/support/vscodeStub';

export interface MemorySeed {
  /** Secret storage before activation. */
  secrets: Record<string, string>;
  /** `avala.*` settings as the user set them (read by `get` and `inspect().globalValue`). */
  settings: Record<string, unknown>;
  /** Key ids to validate with `avala.validateSelectedKey`, one after another. */
  validate: string[];
}

export interface MemoryResult {
  main: string;
  /** Heap used after activation and validation minus before loading, after full collections. */
  retainedBytes: number;
  validated: number;
  error?: string;
}

async function collectedHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('run with --expose-gc');
  }
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

async function probe(main: string, seed: MemorySeed): Promise<MemoryResult> {
  const vscode = installVSCodeStub() as Record<string, Record<string, unknown>>;
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  Object.assign(vscode.commands, {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      commands.set(id, handler);
      return { dispose: () => commands.delete(id) };
    },
  });
  Object.assign(vscode.window, { withProgress: (_options: unknown, task: () => unknown) => task() });
  const setting = (name: string) => seed.settings[name];
  Object.assign(vscode.workspace, {
    getConfiguration: (section?: string) => {
      const full = (name: string) => (section ? `${section}.${name}` : name);
      return {
        get: (name: string, fallback?: unknown) => setting(full(name)) ?? fallback,
        has: (name: string) => setting(full(name)) !== undefined,
        inspect: (name: string) => ({ key: full(name), globalValue: setting(full(name)) }),
        update: () => Promise.resolve(),
      };
    },
  });
  const context = createExtensionContext(path.dirname(path.dirname(main))) as { secrets: { store(k: string, v: string): Promise<void> } };
  for (const [name, value] of Object.entries(seed.secrets)) {
    await context.secrets.store(name, value);
  }
  const result: MemoryResult = { main, retainedBytes: 0, validated: 0 };
  const before = await collectedHeap();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file under test, by path
    const extension = require(main) as { activate(context: unknown): unknown };
    await extension.activate(context);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const validate = commands.get('avala.validateSelectedKey');
    for (const id of seed.validate) {
      if (validate && (await validate(id)) !== undefined) {
        result.validated++;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  result.retainedBytes = (await collectedHeap()) - before;
  return result;
}

if (require.main === module) {
  const main = path.resolve(process.argv[2] ?? '');
  const seed = JSON.parse(fs.readFileSync(process.argv[3] ?? '', 'utf8')) as MemorySeed;
  void probe(main, seed).then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  });
}
