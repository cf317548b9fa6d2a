/**
 * Starts the Avala API emulator from the command line:
 *
 *   node out/test/emulator/cli.js --port 4010 [--host 127.0.0.1] [--rate-limit 100]
 *       [--signup-limit 5] [--anonymous-limit 30] [--quiet]
 *
 * Prints one line "Avala API emulator listening on <baseUrl>" to stdout, then admin
 * hints. Per-request lines go to stderr (never key values). Stops on SIGINT/SIGTERM.
 */
import { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator';

const USAGE =
  'Usage: node out/test/emulator/cli.js [--port 4010] [--host 127.0.0.1] [--rate-limit 100] ' +
  '[--signup-limit 5] [--anonymous-limit 30] [--quiet]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseIntArg(name: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) fail(`${name} needs an integer value`);
  const n = Number(value);
  if (n < min || n > max) fail(`${name} must be between ${min} and ${max}`);
  return n;
}

export function parseArgs(argv: string[]): EmulatorOptions & { help?: boolean } {
  const opts: EmulatorOptions & { help?: boolean } = { port: 4010, host: '127.0.0.1', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = (): string | undefined => (value !== undefined ? value : argv[++i]);
    switch (arg) {
      case '--port':
        opts.port = parseIntArg(arg, next(), 0, 65535);
        break;
      case '--host': {
        const h = next();
        if (!h) fail('--host needs a value');
        opts.host = h;
        break;
      }
      case '--rate-limit':
        opts.rateLimitPerMinute = parseIntArg(arg, next(), 1, 1_000_000);
        break;
      case '--signup-limit':
        opts.signupLimitPerMinute = parseIntArg(arg, next(), 1, 1_000_000);
        break;
      case '--anonymous-limit':
        opts.anonymousLimitPerMinute = parseIntArg(arg, next(), 1, 1_000_000);
        break;
      case '--quiet':
        opts.quiet = true;
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        fail(`Unknown argument: ${arg}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const { help, ...opts } = parseArgs(process.argv.slice(2));
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(opts);
  } catch (e) {
    process.stderr.write(`Avala API emulator could not start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.on('error', () => {
    /* ignore EPIPE when the reader goes away */
  });
  const admin = `${emulator.origin}/__admin`;
  process.stdout.write(
    `Avala API emulator listening on ${emulator.baseUrl}\n` +
      `  admin (loopback only): ${admin}/\n` +
      `  create a key:  curl -s -X POST ${admin}/keys -H 'Content-Type: application/json' -d '{"name":"demo","scopes":[]}'\n` +
      `  inject fault:  curl -s -X POST ${admin}/faults -H 'Content-Type: application/json' -d '{"mode":"latency","ms":2000,"count":1}'\n`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 2000);
    force.unref();
    emulator.close().then(
      () => {
        process.stderr.write(`Avala API emulator stopped (${signal})\n`);
        process.exitCode = 0;
      },
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  void main();
}
