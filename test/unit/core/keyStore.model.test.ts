// Model-based test of KeyStore across windows: seeded random schedules of add / remove /
// update / rename / set-active from 2–4 stores on one shared keyring, with random IPC delays
// and change events that arrive late or never. After each schedule the index, the secrets and
// every window must agree with what a sequential run of the same operations allows.
//
// AVALA_MODEL_SEED=<n> replays one schedule; AVALA_MODEL_SCHEDULES=<n> runs more of them.
import * as assert from 'node:assert/strict';
import { INDEX_SECRET, parseIndex, type KeyMeta } from '../../../src/core/keyIndex';
import { KeyStore, fingerprintOf } from '../../../src/core/keyStore';
import { fakeKey, MemoryMemento, SharedKeyring } from '../../support/fakes';

const SCHEDULES = Number(process.env.AVALA_MODEL_SCHEDULES ?? 60);
const ONLY_SEED = process.env.AVALA_MODEL_SEED === undefined ? undefined : Number(process.env.AVALA_MODEL_SEED);
/** The whole run stops starting new schedules after this long (each takes ~0.1 s). */
const BUDGET_MS = 25_000;
const OPS_PER_SCHEDULE = 18;
const base = 'https://api.avala.ai/api/v1';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Field = 'label' | 'scopes' | 'lastCheck';
type Op =
  | { kind: 'add'; n: number }
  | { kind: 'remove' }
  | { kind: 'update'; field: Exclude<Field, 'label'> }
  | { kind: 'rename' }
  | { kind: 'setActive' };

/** A successful patch, with when it ran: a patch that finished before another began cannot be the last word. */
interface Patch {
  id: string;
  field: Field;
  value: string;
  started: number;
  finished: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fieldValue = (meta: KeyMeta, field: Field) => JSON.stringify(meta[field] ?? null);
const describeKeys = (keys: KeyMeta[]) =>
  keys
    .map((k) => `${k.id}:${k.label}`)
    .sort()
    .join(', ');

/** Runs one schedule and returns what was wrong with the end state (empty: nothing). */
async function runSchedule(seed: number): Promise<string[]> {
  const random = seeded(seed);
  const pick = <T>(items: T[]): T | undefined => (items.length ? items[Math.floor(random() * items.length)] : undefined);
  const ring = new SharedKeyring(4, { random, eventDelayMs: 12, loseEvents: 0.15 });
  const global = new MemoryMemento();
  const windows = Array.from(
    { length: 2 + Math.floor(random() * 3) },
    () => new KeyStore({ secrets: ring.window(), workspaceState: new MemoryMemento(), globalState: global, verifyAfterMs: [20, 60] }),
  );
  await Promise.all(windows.map((w) => w.ready));

  let clock = 0;
  const values = new Map<string, string>();
  const added = new Set<string>();
  const removed = new Set<string>();
  const patches: Patch[] = [];
  const lastActive = new Map<number, { id: string; finished: number }>();
  const lastAddFinished = new Map<number, number>();
  const problems: string[] = [];

  const ops: Op[] = Array.from({ length: OPS_PER_SCHEDULE }, (_, i): Op => {
    const r = random();
    if (i < 3 || r < 0.3) {
      return { kind: 'add', n: seed * 1000 + i };
    }
    if (r < 0.45) {
      return { kind: 'remove' };
    }
    if (r < 0.7) {
      return { kind: 'update', field: random() < 0.5 ? 'scopes' : 'lastCheck' };
    }
    return r < 0.85 ? { kind: 'rename' } : { kind: 'setActive' };
  });

  const run = async (op: Op, i: number, w: number): Promise<void> => {
    const store = windows[w];
    const target = pick(store.list());
    const started = ++clock;
    switch (op.kind) {
      case 'add': {
        const value = fakeKey(op.n);
        const { meta, existed } = await store.add({ value, label: `add-${i}`, environment: 'development', baseUrl: base, source: 'login' });
        if (existed) {
          problems.push(`op ${i}: add of a new key reported an existing entry "${meta.label}"`);
        }
        values.set(meta.id, value);
        added.add(meta.id);
        lastAddFinished.set(w, ++clock);
        return;
      }
      case 'remove':
        if (target && (await store.remove(target.id))) {
          removed.add(target.id);
        }
        return;
      case 'update':
      case 'rename': {
        if (!target) {
          return;
        }
        const field: Field = op.kind === 'rename' ? 'label' : op.field;
        const patch =
          field === 'label'
            ? { label: `rename-${i}` }
            : field === 'scopes'
              ? { scopes: [`scope-${i}`] }
              : { lastCheck: { state: 'valid' as const, at: `check-${i}` } };
        const result = await store.update(target.id, patch);
        if (result) {
          // What was asked for, not what the store answered (a newer patch from another window may
          // already show): a store that drops its own patch must fail the end-state check.
          patches.push({
            id: target.id,
            field,
            value: JSON.stringify((patch as Record<string, unknown>)[field]),
            started,
            finished: ++clock,
          });
        }
        return;
      }
      case 'setActive':
        if (target) {
          await store.setActive(target.id);
          lastActive.set(w, { id: target.id, finished: ++clock });
        }
        return;
    }
  };

  await Promise.all(
    ops.map(async (op, i) => {
      await sleep(random() * 40);
      const w = Math.floor(random() * windows.length);
      try {
        await run(op, i, w);
      } catch (error) {
        problems.push(`op ${i} (${op.kind} in window ${w}) threw: ${(error as Error).message}`);
      }
    }),
  );
  // Let late change events, and the re-reads each window makes after its own writes, run out.
  await sleep(150);

  const indexText = ring.data.get(INDEX_SECRET);
  const index = parseIndex(indexText);
  const indexIds = new Set(index.map((k) => k.id));
  const secretIds = new Set([...ring.data.keys()].filter((k) => k.startsWith('avala.key.')).map((k) => k.slice('avala.key.'.length)));
  const expected = new Set([...added].filter((id) => !removed.has(id)));

  for (const id of expected) {
    if (!indexIds.has(id)) {
      problems.push(
        `key ${id} was added and never removed, but the index lost it${secretIds.has(id) ? ' (its secret is still stored: an orphan)' : ''}`,
      );
    }
  }
  for (const meta of index) {
    if (removed.has(meta.id)) {
      problems.push(
        `key ${meta.id} ("${meta.label}") was removed but is back in the index${secretIds.has(meta.id) ? '' : ' with no secret (a "missing" key)'}`,
      );
    } else if (!secretIds.has(meta.id)) {
      problems.push(`key ${meta.id} ("${meta.label}") is in the index but its secret is gone`);
    } else if (
      ring.data.get(`avala.key.${meta.id}`) !== values.get(meta.id) ||
      meta.fingerprint !== fingerprintOf(values.get(meta.id) ?? '')
    ) {
      problems.push(`key ${meta.id} ("${meta.label}") has another key's value or fingerprint`);
    }
  }
  for (const id of secretIds) {
    if (!indexIds.has(id) && !removed.has(id)) {
      problems.push(`secret avala.key.${id} has no index entry (an orphan nothing can list or remove)`);
    } else if (removed.has(id)) {
      problems.push(`secret avala.key.${id} outlived the removal of its key`);
    }
  }
  for (const meta of index.filter((k) => expected.has(k.id))) {
    for (const field of ['label', 'scopes', 'lastCheck'] as const) {
      const mine = patches.filter((p) => p.id === meta.id && p.field === field);
      if (mine.length === 0) {
        continue;
      }
      // The last word is a patch no other successful patch started after it finished.
      const allowed = mine.filter((p) => !mine.some((q) => q.started > p.finished)).map((p) => p.value);
      if (!allowed.includes(fieldValue(meta, field))) {
        problems.push(
          `key ${meta.id}: ${field} is ${fieldValue(meta, field)}, but the last patch${allowed.length > 1 ? 'es' : ''} set ${allowed.join(' or ')} (a lost patch)`,
        );
      }
    }
  }
  // A window that missed the last change event sees it when it next reads (VS Code: on focus).
  for (let round = 0; round < 2; round++) {
    for (const w of windows) {
      await w.refresh();
    }
  }
  if (ring.data.get(INDEX_SECRET) !== indexText) {
    problems.push('re-reading the index in every window changed it: the windows had not converged');
  }
  const indexView = describeKeys(index);
  windows.forEach((w, n) => {
    if (describeKeys(w.list()) !== indexView) {
      problems.push(`window ${n} lists [${describeKeys(w.list())}], the index holds [${indexView}]`);
    }
    const active = w.activeId();
    const last = lastActive.get(n);
    if (last && expected.has(last.id) && last.finished > (lastAddFinished.get(n) ?? 0) && active !== last.id) {
      problems.push(`window ${n} made ${last.id} active, it still exists, but the active key is ${active ?? 'none'}`);
    }
  });
  windows.forEach((w) => w.dispose());
  return problems;
}

describe('KeyStore across windows (model-based)', () => {
  it(`converges to what a sequential run allows over ${ONLY_SEED === undefined ? SCHEDULES : 1} random schedules of 2–4 windows`, async function () {
    this.timeout(BUDGET_MS + 20_000);
    const seeds = ONLY_SEED === undefined ? Array.from({ length: SCHEDULES }, (_, i) => i + 1) : [ONLY_SEED];
    const started = Date.now();
    const failures: string[] = [];
    let ran = 0;
    for (const seed of seeds) {
      if (Date.now() - started > BUDGET_MS) {
        break;
      }
      const problems = await runSchedule(seed);
      ran++;
      if (problems.length > 0) {
        failures.push(`seed ${seed} (AVALA_MODEL_SEED=${seed} to replay):\n    ${problems.join('\n    ')}`);
      }
    }
    for (const failure of failures) {
      console.log(`      ${failure}`);
    }
    console.log(`      ${ran} schedules in ${((Date.now() - started) / 1000).toFixed(1)} s, ${failures.length} failed`);
    assert.ok(ran >= Math.min(seeds.length, 20), `only ${ran} schedules ran within ${BUDGET_MS} ms`);
    assert.deepEqual(failures, []);
  });
});
