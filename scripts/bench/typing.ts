// Row 7: what typing into a 5 MB source file with keys in it costs the extension host — the real
// hard-coded key diagnostics (src/security/keyDiagnostics.ts) in plain Node with the stub
// `vscode` (test/support/vscodeStub.ts), a document that behaves like VS Code's (getText,
// positionAt, a version per edit) and a diagnostic collection that records what it is given.
// Measuring this in code-server would mix in the renderer, the IPC and everything else on a
// two-core machine; this isolates the part the extension adds.
import { EventEmitter, installVSCodeStub } from '../../test/support/vscodeStub';
import type { DetectionSettings, HardcodedKeyDiagnosticsDeps } from '../../src/security/keyDiagnostics';
import { summarize, type Summary } from './stats';

export interface TypingResult {
  bytes: number;
  keystrokes: number;
  findings: number;
  /** CPU time (ms) of this process from a keystroke's change event to its diagnostics being set. */
  perKeystroke: Summary;
  /** The same, wall clock. */
  perKeystrokeWall: Summary;
  /** Opening the file: change event to the first diagnostics, wall clock (ms). */
  firstDiagnostics: Summary;
}

interface Pos {
  line: number;
  character: number;
}

/**
 * A text document as the extension host keeps one: an array of lines, `getText()` joining them
 * (as VS Code's does, so a full read costs what it costs there), offsets through line starts,
 * and a version per edit.
 */
class BenchDocument {
  version = 1;
  readonly isClosed = false;
  readonly isUntitled = false;
  readonly fileName = '/bench/app.ts';
  readonly languageId = 'typescript';
  readonly uri = { scheme: 'file', fsPath: this.fileName, toString: () => 'file:///bench/app.ts' };
  private lines: string[];
  private lineStarts: number[] = [];

  constructor(text: string) {
    this.lines = text.split('\n');
    this.index();
  }

  get lineCount(): number {
    return this.lines.length;
  }

  getText(range?: { start: Pos; end: Pos }): string {
    if (!range) {
      return this.lines.join('\n');
    }
    const { start, end } = range;
    if (start.line === end.line) {
      return this.lines[start.line].slice(start.character, end.character);
    }
    return [
      this.lines[start.line].slice(start.character),
      ...this.lines.slice(start.line + 1, end.line),
      this.lines[end.line].slice(0, end.character),
    ].join('\n');
  }

  lineAt(line: number): { range: { end: Pos } } {
    return { range: { end: { line, character: this.lines[line].length } } };
  }

  offsetAt(position: Pos): number {
    return this.lineStarts[position.line] + position.character;
  }

  positionAt(offset: number): Pos {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return { line: low, character: offset - this.lineStarts[low] };
  }

  /** Types `text` (no line break) at the end of `line`; the change event VS Code would send. */
  type(line: number, text: string): { rangeOffset: number; rangeLength: number; text: string } {
    const rangeOffset = this.lineStarts[line] + this.lines[line].length;
    this.lines[line] += text;
    for (let i = line + 1; i < this.lineStarts.length; i++) {
      this.lineStarts[i] += text.length;
    }
    this.version++;
    return { rangeOffset, rangeLength: 0, text };
  }

  private index(): void {
    this.lineStarts = [];
    let offset = 0;
    for (const line of this.lines) {
      this.lineStarts.push(offset);
      offset += line.length + 1;
    }
  }
}

/**
 * Opens the document `runs` times for the time to first diagnostics, then types `keystrokes`
 * characters at spread-out places, each followed by a pause long enough for the diagnostics'
 * debounce (the worst case: every keystroke ends in diagnostics being set). The debounce itself is not waited
 * for: timers run at once, so only the work is measured.
 */
export async function measureTyping(keystrokes: number, runs: number): Promise<TypingResult> {
  const vscode = installVSCodeStub() as Record<string, Record<string, unknown>>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { documents } = require('../bench-scan') as typeof import('../bench-scan');
  const [, text] = documents[0];
  const opened = new EventEmitter<BenchDocument>();
  const closed = new EventEmitter<BenchDocument>();
  const changed = new EventEmitter<{ document: BenchDocument; contentChanges: unknown[] }>();
  let set: (() => void) | undefined;
  let findings = 0;
  const collection = {
    set: (_uri: unknown, diagnostics: unknown[]) => {
      findings = diagnostics.length;
      set?.();
    },
    delete: () => set?.(),
    get: () => undefined,
    dispose: () => undefined,
  };
  Object.assign(vscode.workspace, {
    onDidOpenTextDocument: opened.event,
    onDidCloseTextDocument: closed.event,
    onDidChangeTextDocument: changed.event,
    textDocuments: [],
    asRelativePath: () => 'app.ts',
  });
  vscode.languages = { ...vscode.languages, createDiagnosticCollection: () => collection } as Record<string, unknown>;
  Object.assign(vscode, {
    Position: class {
      constructor(
        readonly line: number,
        readonly character: number,
      ) {}
    },
    Range: class {
      constructor(
        readonly start: unknown,
        readonly end: unknown,
      ) {}
    },
    Diagnostic: class {
      source?: string;
      code?: string;
      constructor(
        readonly range: unknown,
        readonly message: string,
        readonly severity: number,
      ) {}
    },
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HardcodedKeyDiagnostics } = require('../../src/security/keyDiagnostics') as typeof import('../../src/security/keyDiagnostics');
  const noEvent = () => ({ dispose: () => undefined });
  const deps = {
    store: { onDidChange: noEvent, ready: Promise.resolve(), findByValue: () => undefined },
    gitIgnored: { onDidChange: noEvent, isIgnored: () => Promise.resolve(false), forget: () => undefined },
    ignored: { onDidChange: noEvent, has: () => false },
    notLive: { onDidChange: noEvent, has: () => false },
    settings: { enabled: () => true } satisfies DetectionSettings,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  } as unknown as HardcodedKeyDiagnosticsDeps;
  // Timers run at once: the debounce is a wait, not work.
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void) => realSetTimeout(fn, 0)) as typeof setTimeout;
  const diagnostics = new HardcodedKeyDiagnostics(deps);
  const until = (fire: () => void) =>
    new Promise<{ ms: number; cpuMs: number }>((resolve) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      set = () => {
        set = undefined;
        const used = process.cpuUsage(cpu);
        resolve({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
      };
      fire();
    });
  try {
    // Each opening follows a close, as in VS Code: nothing is known about the file before.
    const first: number[] = [];
    for (let i = 0; i < runs; i++) {
      const again = new BenchDocument(text);
      first.push((await until(() => opened.fire(again))).ms);
      closed.fire(again);
    }
    const document = new BenchDocument(text);
    await until(() => opened.fire(document));
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < keystrokes; i++) {
      // Spread over the file: a character typed at the end of a line of ordinary code.
      const change = document.type(Math.floor(((i + 0.5) / keystrokes) * document.lineCount), ' ');
      const t = await until(() => changed.fire({ document, contentChanges: [change] }));
      cpu.push(t.cpuMs);
      wall.push(t.ms);
    }
    return {
      bytes: Buffer.byteLength(text),
      keystrokes,
      findings,
      perKeystroke: summarize(cpu),
      perKeystrokeWall: summarize(wall),
      firstDiagnostics: summarize(first),
    };
  } finally {
    diagnostics.dispose();
    globalThis.setTimeout = realSetTimeout;
  }
}
