import * as vscode from 'vscode';
import { DisposableStore } from '../core/disposables';
import { isEnvFile } from './core/envIdiom';
import { isScannedScheme } from './core/scanTargets';
import type { KeyStore } from '../core/keyStore';
import { findingsAfterEdit, rescanRegion } from './core/incrementalScan';
import { describeFinding, findingSeverity, MAX_SCAN_CHARS, scanForKeys, type KeyFinding, type ScanResult } from './core/secretScan';
import type { Log } from '../log';
import type { GitIgnoredFiles } from './gitIgnored';
import type { IgnoredKeyFiles } from './ignoredKeyFiles';
import type { NotLiveKeys } from './notLiveKeys';

export const DIAGNOSTIC_SOURCE = 'Avala';
export const DIAGNOSTIC_CODE = 'hard-coded-key';
const DEBOUNCE_MS = 300;

/** The key a diagnostic at `range` is about, read from the document now; undefined when it is gone. */
export function findingAt(document: vscode.TextDocument, range: vscode.Range): KeyFinding | undefined {
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  return scanForKeys(document.getText()).findings.find((f) => f.start === start && f.end === end);
}

/** What the settings let the scanner do. */
export interface DetectionSettings {
  enabled(): boolean;
}

export interface HardcodedKeyDiagnosticsDeps {
  store: KeyStore;
  gitIgnored: GitIgnoredFiles;
  ignored: IgnoredKeyFiles;
  settings: DetectionSettings;
  /** Keys Avala said are not live: their diagnostics are Information. */
  notLive: Pick<NotLiveKeys, 'has' | 'onDidChange'>;
  log: Log;
}

/**
 * Warns about Avala keys written into open documents. Renders the scanner's findings; stores
 * nothing and never puts a key into a message (only its masked form).
 */
export class HardcodedKeyDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('avala');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly skippedLogged = new Set<string>();
  /** Each document's findings at a version: an edit rescans only its lines (core/incrementalScan.ts). */
  private readonly scanned = new Map<string, { version: number; findings: KeyFinding[] }>();
  private readonly disposables = new DisposableStore();

  constructor(private readonly deps: HardcodedKeyDiagnosticsDeps) {
    this.disposables.add(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) {
          this.followEdit(e);
          this.schedule(e.document, DEBOUNCE_MS);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      // Which stored key a finding is, which files are ignored: both change the messages.
      deps.store.onDidChange(() => this.rescanAll()),
      deps.ignored.onDidChange(() => this.rescanAll()),
      deps.gitIgnored.onDidChange(() => this.rescanAll()),
      deps.notLive.onDidChange(() => this.rescanAll()),
    );
    void deps.store.ready.then(() => this.rescanAll());
  }

  rescanAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      this.schedule(document, 0);
    }
  }

  /** The diagnostics of a document, for tests and the quick fixes. */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.scanned.clear();
    this.disposables.dispose();
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!isScannedScheme(document.uri.scheme)) {
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.scan(document).catch((error) => this.deps.log.warn(`Hard-coded key check of ${this.name(document)} failed:`, error));
      }, delayMs),
    );
  }

  /**
   * Keeps the findings current through one edit by rescanning the lines it touched, so typing
   * into a large file costs a few lines' scan, not the whole file's. Anything else (several
   * changes at once, a missed version, a file grown past the scan limit) leaves it to a full scan.
   */
  private followEdit(e: vscode.TextDocumentChangeEvent): void {
    const { document } = e;
    const key = document.uri.toString();
    const known = this.scanned.get(key);
    this.scanned.delete(key);
    if (!known || known.version !== document.version - 1 || e.contentChanges.length !== 1) {
      return;
    }
    const lastLine = document.lineAt(document.lineCount - 1);
    if (document.offsetAt(lastLine.range.end) > MAX_SCAN_CHARS) {
      return;
    }
    const [change] = e.contentChanges;
    const edit = { start: change.rangeOffset, removed: change.rangeLength, inserted: change.text.length };
    const region = rescanRegion(edit, {
      lineCount: document.lineCount,
      lineOf: (offset) => document.positionAt(offset).line,
      lineStart: (line) => document.offsetAt(new vscode.Position(line, 0)),
      lineEnd: (line) => document.offsetAt(document.lineAt(line).range.end),
    });
    const text = document.getText(new vscode.Range(document.positionAt(region.scanFrom), document.positionAt(region.end)));
    const findings = findingsAfterEdit(known.findings, edit, region, text);
    if (findings) {
      this.scanned.set(key, { version: document.version, findings });
    }
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.scanned.delete(key);
    this.collection.delete(uri);
    this.deps.gitIgnored.forget(uri);
  }

  private async scan(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) {
      return;
    }
    if (!this.deps.settings.enabled() || this.deps.ignored.has(document.uri)) {
      this.collection.delete(document.uri);
      return;
    }
    const version = document.version;
    const key = document.uri.toString();
    const known = this.scanned.get(key);
    const { findings, skipped }: ScanResult = known?.version === version ? known : scanForKeys(document.getText());
    if (skipped) {
      this.scanned.delete(key);
      this.collection.delete(document.uri);
      if (!this.skippedLogged.has(document.uri.toString())) {
        this.skippedLogged.add(document.uri.toString());
        this.deps.log.debug(
          `Hard-coded key check skipped ${this.name(document)}: ${skipped === 'binary' ? 'binary content' : 'too large'}.`,
        );
      }
      return;
    }
    this.scanned.set(key, { version, findings });
    if (findings.length === 0) {
      this.collection.delete(document.uri);
      return;
    }
    const envFile = isEnvFile(document.fileName);
    const lesserEvil = envFile || (await this.deps.gitIgnored.isIgnored(document.uri));
    if (document.isClosed || document.version !== version) {
      // Edited meanwhile: the scan already scheduled for the new text decides.
      return;
    }
    const diagnostics = findings.map((finding) =>
      this.diagnostic(document, finding, lesserEvil ? (envFile ? 'env' : 'ignored') : undefined),
    );
    this.collection.set(document.uri, diagnostics);
    this.deps.log.debug(`Hard-coded key check: ${findings.length} key(s) in ${this.name(document)}.`);
  }

  private diagnostic(document: vscode.TextDocument, finding: KeyFinding, lesserEvil: 'env' | 'ignored' | undefined): vscode.Diagnostic {
    const range = new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end));
    const stored = this.deps.store.findByValue(finding.value);
    const notLive = !stored && this.deps.notLive.has(finding.value);
    const diagnostic = new vscode.Diagnostic(
      range,
      describeFinding(finding, stored?.label, lesserEvil, notLive),
      findingSeverity(lesserEvil, notLive) === 'information' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning,
    );
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = DIAGNOSTIC_CODE;
    return diagnostic;
  }

  private name(document: vscode.TextDocument): string {
    return document.isUntitled ? 'an untitled document' : vscode.workspace.asRelativePath(document.uri);
  }
}
