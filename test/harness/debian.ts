// The Debian packages a fresh machine needs before `npm start` or `npm test` can run VS Code,
// installed when they are missing: as root, or with `sudo -n` when that works without a
// password; otherwise the command stops and prints the exact line to run.
import { execFileSync } from 'node:child_process';
import { runToCompletion } from './processes';
import { formatDuration } from './wait';

export interface DebianNeed {
  packages: readonly string[];
  /** What they are for, as the announcement says it. */
  why: string;
}

/** Headers and tools that code-server's native modules build with (`npm start` and every VS Code test). */
export const CODE_SERVER_BUILD: DebianNeed = {
  packages: ['build-essential', 'python3', 'libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev', 'libx11-dev', 'pkg-config'],
  why: "to build code-server's native modules",
};

/** The browser the end-to-end tests drive (`npm start` serves a URL to your own browser instead). */
export const BROWSER: DebianNeed = {
  packages: ['chromium'],
  why: 'for the integration and end-to-end tests, which open VS Code in Chromium',
};

/** What this machine allows. */
export interface InstallRights {
  /** `apt-get` and `dpkg-query` exist (a Debian or Ubuntu machine). */
  apt: boolean;
  root: boolean;
  /** `sudo -n true` succeeded: sudo works without asking for a password. */
  sudo: boolean;
}

export type DebianPlan = { kind: 'none' } | { kind: 'install'; announce: string; commands: string[][] } | { kind: 'stop'; message: string };

/** What to do about packages that are missing, given what this machine allows. Pure. */
export function planDebianInstall(missing: readonly DebianNeed[], rights: InstallRights): DebianPlan {
  const needs = missing.filter((need) => need.packages.length > 0);
  if (needs.length === 0) {
    return { kind: 'none' };
  }
  const packages = needs.flatMap((need) => need.packages);
  const what = needs.map((need) => `${need.packages.join(' ')} (${need.why})`).join('; ');
  if (!rights.apt) {
    return {
      kind: 'stop',
      message: `missing system packages: ${what}. This machine has no apt-get: install the same packages with its package manager.`,
    };
  }
  const prefix = rights.root ? [] : rights.sudo ? ['sudo', '-n'] : undefined;
  if (!prefix) {
    return {
      kind: 'stop',
      message:
        `missing Debian packages: ${what}. Installing them needs root, and sudo is missing or asks for a password. Run:\n` +
        `  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n` +
        `or, as root:\n  apt-get update && apt-get install -y ${packages.join(' ')}`,
    };
  }
  const env = ['env', 'DEBIAN_FRONTEND=noninteractive'];
  const commands = [
    [...prefix, 'apt-get', 'update'],
    [...prefix, ...env, 'apt-get', 'install', '-y', ...packages],
  ];
  return {
    kind: 'install',
    announce: `Installing missing Debian packages: ${what}.\n  ${commands.map((c) => c.join(' ')).join(' && ')}`,
    commands,
  };
}

/** The packages of `needs` that dpkg does not list as installed. */
export function missingDebianNeeds(needs: readonly DebianNeed[]): DebianNeed[] {
  return needs
    .map((need) => ({ ...need, packages: need.packages.filter((name) => !isInstalled(name)) }))
    .filter((need) => need.packages.length > 0);
}

/**
 * Installs what is missing of `needs`, saying first what and why; throws with the line to run
 * when it cannot. `AVALA_SETUP_DRY_RUN=1` prints the plan and throws instead of installing.
 */
export async function ensureDebianPackages(...needs: DebianNeed[]): Promise<void> {
  const plan = planDebianInstall(missingDebianNeeds(needs), installRights());
  if (plan.kind === 'none') {
    return;
  }
  if (plan.kind === 'stop') {
    throw new Error(plan.message);
  }
  console.log(plan.announce);
  if (process.env.AVALA_SETUP_DRY_RUN === '1') {
    throw new Error('AVALA_SETUP_DRY_RUN=1: stopped before installing.');
  }
  const started = Date.now();
  for (const [command, ...args] of plan.commands) {
    const result = await runToCompletion(command, args, { timeoutMs: 15 * 60_000 });
    if (result.code !== 0) {
      const tail = result.output.trim().split('\n').slice(-20).join('\n');
      throw new Error(`${[command, ...args].join(' ')} failed (exit ${result.code}):\n${tail}`);
    }
  }
  const still = missingDebianNeeds(needs).flatMap((need) => need.packages);
  if (still.length > 0) {
    throw new Error(`apt-get finished, but these packages are still not installed: ${still.join(' ')}`);
  }
  console.log(`Installed in ${formatDuration(Date.now() - started)}.`);
}

function installRights(): InstallRights {
  const root = process.getuid?.() === 0;
  return {
    apt: succeeds('apt-get', ['--version']) && succeeds('dpkg-query', ['--version']),
    root,
    sudo: !root && succeeds('sudo', ['-n', 'true']),
  };
}

function isInstalled(name: string): boolean {
  try {
    const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    return status.includes('install ok installed');
  } catch {
    return false;
  }
}

function succeeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
