// Rows 2–6 that run in plain Node: what activation loads, validation overhead, the Keys view
// at 500 keys, the secret scan, and the check schedule over a simulated 10-minute idle window.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Agent } from 'undici';
import { AvalaApi } from '../../src/core/api';
import type { AvalaSettings, Settings } from '../../src/config';
import { CLIENT_NAME, closeSharedTransports } from '../../src/core/client';
import { INDEX_SECRET, parseIndex, type KeyMeta } from '../../src/core/keyIndex';
import { maskKey } from '../../src/core/keyFormat';
import { fingerprintOf, KeyStore } from '../../src/core/keyStore';
import { redact } from '../../src/core/redact';
import { scanForKeys } from '../../src/security/core/secretScan';
import type { KeysTree } from '../../src/keys/keysTree';
import type { Log } from '../../src/log';
import { startEmulator } from '../../test/emulator/emulator';
import { MemoryMemento, SharedKeyring } from '../../test/support/fakes';
import { emulatorApi, ValidationRig } from '../../test/support/validationRig';
import type { ProbeResult } from './activationProbe';
import type { MemoryResult, MemorySeed } from './memoryProbe';
import { summarize, timed, type Summary } from './stats';
import { installVSCodeStub } from '../../test/support/vscodeStub';

const run = promisify(execFile);

// ---- Row 2: what activation loads ----------------------------------------------------

export interface LoadResult {
  /** Bytes of every file compiled before activate() resolved. */
  bytes: number;
  files: string[];
  filesAfter: string[];
  builtins: string[];
  /** Whether undici, the client or the transport chunk loaded before activate() resolved. */
  networkLoaded: boolean;
  /** require + activate, wall and CPU, per fresh process. */
  wall: Summary;
  cpu: Summary;
  error?: string;
}

/** Runs the probe in `samples` fresh Node processes per main file, alternating between them. */
export async function measureLoad(mains: string[], samples: number): Promise<LoadResult[]> {
  const probe = path.join(__dirname, 'activationProbe.js');
  const results: ProbeResult[][] = mains.map(() => []);
  for (let i = 0; i < samples; i++) {
    for (const [index, main] of mains.entries()) {
      const { stdout } = await run(process.execPath, [probe, main], { maxBuffer: 16 * 1024 * 1024 });
      results[index].push(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ProbeResult);
    }
  }
  return results.map((list) => {
    const first = list[0];
    const root = path.dirname(first.main);
    const name = (file: string) => path.relative(root, file) || path.basename(file);
    return {
      bytes: first.files.reduce((sum, f) => sum + f.bytes, 0),
      files: first.files.map((f) => `${name(f.file)} (${f.bytes} B)`),
      filesAfter: first.filesAfter.map((f) => name(f.file)),
      builtins: first.builtins,
      networkLoaded: first.files.some((f) => /undici|transport\.js|client\.js/.test(f.file)),
      wall: summarize(list.map((r) => r.requireMs + r.activateMs)),
      cpu: summarize(list.map((r) => r.cpuMs)),
      error: list.find((r) => r.error)?.error,
    };
  });
}

// ---- Row 3: validation overhead ------------------------------------------------------

export interface ValidationResult {
  /** Per-request latency, ms. */
  ours: Summary;
  bare: Summary;
  /** CPU time of this process per request (client, server and emulator together), ms. */
  oursCpu: number;
  bareCpu: number;
  /** The bare request against itself on a second Agent: how far apart two identical sides land. */
  aaRatio: number;
  requestsEach: number;
}

/** Redacts every line as the extension's Log does, then drops it. */
const quietLog = { info: redact, warn: redact, error: redact, debug: redact } as unknown as Log;

function apiSettings(baseUrl: string): AvalaSettings {
  return {
    apiBaseUrl: baseUrl,
    allowInsecureLoopback: true,
    missionControlUrl: 'https://app.avala.ai',
    timeoutMs: 10_000,
    keyRotationDays: 90,
    intervalMinutes: 15,
    staleAfterMinutes: 30,
    terminalInjectKey: true,
    terminalWatchForKeys: true,
    debugInjectKey: true,
  };
}

/**
 * The extension's permission check (AvalaApi → AvalaClient.getPermissions over the shared
 * keep-alive transport, logging a redacted line, as the validator does) against the same
 * request made bare: undici's `agent.request` on a kept-alive Agent to the same URL with the
 * same headers, and `body.json()` to read the scopes. One request of each per round, in
 * rotating order, so all see the same moments of a busy machine. A third side, the bare
 * request again on a second Agent, shows how far apart two identical sides land.
 */
export async function measureValidation(rounds: number): Promise<ValidationResult> {
  const emulator = await startEmulator({ port: 0, rateLimitPerMinute: 1_000_000 });
  const key = emulator.createKey({ name: 'bench', scopes: ['datasets.read'] });
  const settings = apiSettings(emulator.baseUrl);
  const api = new AvalaApi({ settings: () => settings, log: quietLog });
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
  const url = new URL(`${emulator.baseUrl}/users/me/permissions/`);
  const headers = { accept: 'application/json', 'x-avala-client': CLIENT_NAME, 'x-avala-api-key': key.key };
  const bareOn = (dispatcher: Agent) => async () => {
    const response = await dispatcher.request({ origin: url.origin, path: url.pathname, method: 'GET', headers });
    const data = (await response.body.json()) as { scopes?: unknown };
    if (response.statusCode !== 200 || !Array.isArray(data.scopes)) {
      throw new Error(`bare request: HTTP ${response.statusCode}`);
    }
  };
  const again = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
  const sides = {
    ours: async () => {
      await api.client().getPermissions(key.key);
    },
    bare: bareOn(agent),
    again: bareOn(again),
  };
  type Side = keyof typeof sides;
  const order: Side[] = ['ours', 'bare', 'again'];
  const times: Record<Side, number[]> = { ours: [], bare: [], again: [] };
  const cpu: Record<Side, number> = { ours: 0, bare: 0, again: 0 };
  const once = async (side: Side) => {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    await sides[side]();
    times[side].push(performance.now() - started);
    const used = process.cpuUsage(cpuStarted);
    cpu[side] += (used.user + used.system) / 1000;
  };
  try {
    // Warm up all: connections, JIT, the lazily required client and transport.
    for (let i = 0; i < 50; i++) {
      for (const side of order) {
        await sides[side]();
      }
    }
    for (let round = 0; round < rounds; round++) {
      // Each side goes first, second and third equally often.
      for (let i = 0; i < order.length; i++) {
        await once(order[(round + i) % order.length]);
      }
    }
    const bare = summarize(times.bare);
    return {
      ours: summarize(times.ours),
      bare,
      oursCpu: cpu.ours / rounds,
      bareCpu: cpu.bare / rounds,
      aaRatio: summarize(times.again).median / bare.median,
      requestsEach: rounds,
    };
  } finally {
    await agent.close();
    await again.close();
    await closeSharedTransports();
    await emulator.close();
  }
}

// ---- Row 4: the Keys view at 500 keys ------------------------------------------------

export interface TreeResult {
  keys: number;
  /** Items produced per run (keys and their detail rows). */
  items: number;
  expanded: Summary;
  expandedCpu: Summary;
  /** Only what VS Code asks for at first: the keys, collapsed. */
  collapsed: Summary;
  /** Anchor: parsing the same 500 keys' index, as the key store does when it loads. */
  parseIndex: Summary;
}

function sampleKeys(count: number, now: number): KeyMeta[] {
  const scopes = [
    ['datasets.read'],
    ['datasets.read', 'exports.create'],
    [],
    ['datasets.read', 'datasets.write', 'exports.create'],
    undefined,
  ];
  const states = ['valid', 'valid', 'valid', 'unreachable', 'expired', 'invalid'] as const;
  return Array.from({ length: count }, (_, i) => {
    const id = `k${i.toString(36).padStart(6, '0')}`;
    const state = states[i % states.length];
    return {
      id,
      label: `${['ci', 'prod', 'notebook', 'agent', 'backend'][i % 5]}-${i}`,
      environment: ['development', 'staging', 'production'][i % 3],
      baseUrl: 'https://api.avala.ai/api/v1',
      addedAt: new Date(now - (i % 200) * 86_400_000).toISOString(),
      masked: `avk_…${(i * 7919).toString(16).slice(-4).padStart(4, '0')}`,
      fingerprint: (i * 2654435761).toString(16).padStart(16, '0').slice(0, 16),
      source: (['login', 'signup', 'import', 'editor'] as const)[i % 4],
      scopes: scopes[i % scopes.length],
      lastCheck:
        i % 7 === 0
          ? undefined
          : {
              state,
              at: new Date(now - (i % 90) * 60_000).toISOString(),
              detail: state === 'valid' ? undefined : 'The Avala API said no.',
            },
    };
  });
}

/**
 * The real KeysTree over a real KeyStore (in-memory secrets) with 500 keys, in plain Node
 * with the stub `vscode` (see test/support/vscodeStub.ts): getChildren() and getTreeItem() for every key
 * and every detail row under it. Excludes what VS Code does with the items afterwards
 * (serialising them to the workbench and rendering).
 */
export async function measureTree(count: number, runs: number): Promise<TreeResult> {
  installVSCodeStub();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KeysTree: Tree } = require('../../src/keys/keysTree') as typeof import('../../src/keys/keysTree');
  const keys = sampleKeys(count, Date.now());
  const index = JSON.stringify({ version: 1, keys });
  const keyring = new SharedKeyring();
  keyring.data.set(INDEX_SECRET, index);
  const store = new KeyStore({ secrets: keyring.window(), workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
  await store.ready;
  await store.setActive(keys[3].id);
  const noEvent = () => ({ dispose: () => undefined });
  const settings = { current: apiSettings('https://api.avala.ai/api/v1'), onDidChange: noEvent } as unknown as Settings;
  const tree: KeysTree = new Tree({ store, settings, activity: { isChecking: () => false, onDidChangeActivity: noEvent } });

  const expanded = () => {
    let items = 0;
    for (const node of tree.getChildren()) {
      tree.getTreeItem(node);
      items++;
      for (const child of tree.getChildren(node)) {
        tree.getTreeItem(child);
        items++;
      }
    }
    return items;
  };
  const collapsed = () => tree.getChildren().map((node) => tree.getTreeItem(node)).length;
  for (let i = 0; i < 5; i++) {
    expanded();
    parseIndex(index);
  }
  const full: number[] = [];
  const fullCpu: number[] = [];
  const top: number[] = [];
  const parse: number[] = [];
  let items = 0;
  for (let i = 0; i < runs; i++) {
    const t = timed(expanded);
    items = t.value;
    full.push(t.ms);
    fullCpu.push(t.cpuMs);
    top.push(timed(collapsed).ms);
    parse.push(timed(() => parseIndex(index)).ms);
  }
  tree.dispose();
  store.dispose();
  return {
    keys: store.list().length,
    items,
    expanded: summarize(full),
    expandedCpu: summarize(fullCpu),
    collapsed: summarize(top),
    parseIndex: summarize(parse),
  };
}

// ---- Row 5: secret scan ----------------------------------------------------------------

export interface ScanResultRow {
  bytes: number;
  findings: number;
  /** Ordinary source (the first document of scripts/bench-scan.ts). */
  source: Summary;
  sourceCpu: Summary;
  /** Anchor: one pass of a plain `avk_` + 40 hex regular expression over the same text. */
  plainRegex: Summary;
  /** The slowest of the other documents (minified line, all hex, …), by median. */
  worst: { name: string; median: number };
}

export function measureScan(runs: number): ScanResultRow {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { documents } = require('../bench-scan') as typeof import('../bench-scan');
  const [, text] = documents[0];
  const plain = /avk_[0-9a-f]{40}/g;
  scanForKeys(text);
  const source: number[] = [];
  const sourceCpu: number[] = [];
  const anchor: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const t = timed(() => scanForKeys(text).findings.length);
    findings = t.value;
    source.push(t.ms);
    sourceCpu.push(t.cpuMs);
    anchor.push(timed(() => text.match(plain)?.length ?? 0).ms);
  }
  let worst = { name: '', median: -Infinity };
  for (const [name, other] of documents.slice(1)) {
    scanForKeys(other);
    const median = summarize(Array.from({ length: Math.max(5, Math.floor(runs / 2)) }, () => timed(() => scanForKeys(other)).ms)).median;
    if (median > worst.median) {
      worst = { name, median };
    }
  }
  return {
    bytes: Buffer.byteLength(text),
    findings,
    source: summarize(source),
    sourceCpu: summarize(sourceCpu),
    plainRegex: summarize(anchor),
    worst,
  };
}

// ---- Row 6: requests in a 10-minute idle window ---------------------------------------

export interface IdleResult {
  /** Most requests in any 10-minute window of the simulated hour, per scenario. */
  scenarios: { name: string; keys: number; maxIn10Min: number; inHour: number }[];
}

/**
 * The extension's own scheduler, validator and key store, wired as activate() wires them,
 * with the default schedule (check every 15 min, stale after 30), on a virtual clock: one
 * simulated hour against the emulator over real HTTP. The window gains focus every minute
 * (a person switching between VS Code and a browser). Counts requests in every 10-minute
 * window of the hour.
 */
export async function simulateIdle(): Promise<IdleResult> {
  const emulator = await startEmulator({ port: 0 });
  const scenarios: IdleResult['scenarios'] = [];
  const HOUR = 60 * 60_000;
  try {
    for (const scenario of [
      { name: 'startup with a check due, 3 keys stored', keys: 3, lastCheckMinutesAgo: undefined as number | undefined },
      { name: 'startup just after a check, 3 keys stored', keys: 3, lastCheckMinutesAgo: 1 },
    ]) {
      const rig = new ValidationRig(emulatorApi());
      const seq = emulator.requests.at(-1)?.seq ?? 0;
      const ids: string[] = [];
      for (let n = 1; n <= scenario.keys; n++) {
        const key = emulator.createKey({ name: `idle-${n}`, scopes: ['datasets.read'] });
        const lastCheck =
          scenario.lastCheckMinutesAgo === undefined ? undefined : { state: 'valid' as const, minutesAgo: scenario.lastCheckMinutesAgo };
        ids.push((await rig.addKey(n, { baseUrl: emulator.baseUrl, value: key.key, lastCheck })).id);
      }
      await rig.store.setActive(ids[0]);
      const start = rig.clock.now();
      const sentAt: number[] = [];
      const before = () => emulator.requests.filter((r) => r.seq > seq).length;
      let counted = 0;
      const note = () => {
        for (let n = before(); counted < n; counted++) {
          sentAt.push(rig.clock.now() - start);
        }
      };
      await rig.scheduler.start();
      await rig.settle();
      note();
      for (let minute = 1; minute <= 60; minute++) {
        await rig.clock.runUntil(start + minute * 60_000, async () => {
          await rig.settle();
          note();
        });
        await rig.scheduler.focusGained();
        await rig.settle();
        note();
      }
      let maxIn10Min = 0;
      for (let from = 0; from + 10 * 60_000 <= HOUR; from += 15_000) {
        maxIn10Min = Math.max(maxIn10Min, sentAt.filter((t) => t >= from && t < from + 10 * 60_000).length);
      }
      scenarios.push({ name: scenario.name, keys: scenario.keys, maxIn10Min, inHour: sentAt.length });
      rig.dispose();
    }
  } finally {
    await closeSharedTransports();
    await emulator.close();
  }
  return { scenarios };
}

/** Bytes of a file, or NaN when it is not there. */
export function fileBytes(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return NaN;
  }
}

// ---- Row 8: heap retained with 500 keys -------------------------------------------------

export interface MemoryRow {
  keys: number;
  validated: number;
  /** Heap retained by the extension after activation and one validation of every key, bytes, per fresh process. */
  ours: Summary;
  /** GitHub Authentication activated the same way, with no account (see README: why not one). */
  builtin: Summary;
  error?: string;
}

/**
 * Our bundle and the built-in GitHub Authentication, each in `samples` fresh Node processes
 * (--expose-gc, stub `vscode`): ours over a keyring of `count` emulator keys, each validated
 * once against the emulator through "Validate" (a full validation cycle).
 */
export async function measureMemory(ourMain: string, builtinMain: string, count: number, samples: number): Promise<MemoryRow> {
  const emulator = await startEmulator({ port: 0, rateLimitPerMinute: 1_000_000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-bench-memory-'));
  try {
    const now = Date.now();
    const secrets: Record<string, string> = {};
    const keys: KeyMeta[] = sampleKeys(count, now).map((meta, i) => {
      const { key } = emulator.createKey({ name: `memory-${i}`, scopes: ['datasets.read'] });
      secrets[`avala.key.${meta.id}`] = key;
      return { ...meta, baseUrl: emulator.baseUrl, masked: maskKey(key), fingerprint: fingerprintOf(key), lastCheck: undefined };
    });
    secrets[INDEX_SECRET] = JSON.stringify({ version: 1, keys });
    const seedFile = path.join(dir, 'seed.json');
    const settings = { 'avala.apiBaseUrl': emulator.baseUrl, 'avala.allowInsecureLoopback': true, 'avala.validation.intervalMinutes': 0 };
    fs.writeFileSync(seedFile, JSON.stringify({ secrets, settings, validate: keys.map((k) => k.id) } satisfies MemorySeed));
    const emptySeed = path.join(dir, 'empty.json');
    fs.writeFileSync(emptySeed, JSON.stringify({ secrets: {}, settings: {}, validate: [] } satisfies MemorySeed));
    const probe = path.join(__dirname, 'memoryProbe.js');
    const once = async (main: string, seed: string) => {
      const { stdout } = await run(process.execPath, ['--expose-gc', probe, main, seed], { maxBuffer: 16 * 1024 * 1024 });
      return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as MemoryResult;
    };
    const ours: MemoryResult[] = [];
    const builtin: MemoryResult[] = [];
    for (let i = 0; i < samples; i++) {
      ours.push(await once(ourMain, seedFile));
      builtin.push(await once(builtinMain, emptySeed));
    }
    return {
      keys: count,
      validated: Math.min(...ours.map((r) => r.validated)),
      ours: summarize(ours.map((r) => r.retainedBytes)),
      builtin: summarize(builtin.map((r) => r.retainedBytes)),
      error: [...ours, ...builtin].find((r) => r.error)?.error,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}
