// Run in a fresh Node process per sample: loads an extension's main file with a stub
// `vscode`, calls activate(), and prints as JSON every file that was read from disk and
// compiled until activate() resolved, the built-in modules it asked for, and the time each
// step took. A second list holds what loaded in the 200 ms after (promises activate() left
// running, such as the key store's first read).
//
//   node out/scripts/bench/activationProbe.js <path/to/main.js>
import Module from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createExtensionContext, installVSCodeStub } from '../../test/support/vscodeStub';

export interface LoadedFile {
  file: string;
  bytes: number;
}

export interface ProbeResult {
  main: string;
  /** Files compiled before activate() resolved, in load order. */
  files: LoadedFile[];
  /** Files compiled in the 200 ms after. */
  filesAfter: LoadedFile[];
  /** `node:` and other built-in modules required before activate() resolved. */
  builtins: string[];
  requireMs: number;
  activateMs: number;
  /** CPU time of the process for require + activate (user + system). */
  cpuMs: number;
  error?: string;
}

type Loader = (module: unknown, filename: string) => unknown;

async function probe(main: string): Promise<ProbeResult> {
  installVSCodeStub();
  const loaded: LoadedFile[] = [];
  const builtins = new Set<string>();
  const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
  for (const ext of ['.js', '.json', '.node']) {
    const original = extensions[ext];
    extensions[ext] = (module, filename) => {
      loaded.push({ file: filename, bytes: fs.statSync(filename).size });
      return original(module, filename);
    };
  }
  const moduleLoader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const load = moduleLoader._load;
  moduleLoader._load = function (request: string, ...rest: unknown[]) {
    if (Module.isBuiltin(request)) {
      builtins.add(request.replace(/^node:/, ''));
    }
    return load.call(this, request, ...rest);
  };

  const result: ProbeResult = { main, files: [], filesAfter: [], builtins: [], requireMs: 0, activateMs: 0, cpuMs: 0 };
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file under test, by path
    const extension = require(main) as { activate(context: unknown): unknown };
    const required = performance.now();
    await extension.activate(createExtensionContext(path.dirname(path.dirname(main))));
    const activated = performance.now();
    result.requireMs = required - started;
    result.activateMs = activated - required;
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  const used = process.cpuUsage(cpu);
  result.cpuMs = (used.user + used.system) / 1000;
  result.files = loaded.splice(0);
  result.builtins = [...builtins].sort();
  await new Promise((resolve) => setTimeout(resolve, 200));
  result.filesAfter = loaded.splice(0);
  return result;
}

if (require.main === module) {
  const main = path.resolve(process.argv[2] ?? '');
  void probe(main).then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    // activate() leaves listeners and timers behind; the sample is taken.
    process.exit(0);
  });
}
