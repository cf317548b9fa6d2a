import * as vscode from 'vscode';
import { DisposableStore } from '../core/disposables';
import { isEnvFile } from './core/envIdiom';
import { isScannedScheme } from './core/scanTargets';
import type { KeyStore } from '../core/keyStore';
import { describeFinding, scanForKeys, type KeyFinding } from './core/secretScan';
import type { Log } from '../log';
import type { GitIgnoredFiles } from './gitIgnored';
import type { IgnoredKeyFiles } from './ignoredKeyFiles';

export const DIAGNOSTIC_SOURCE = 'Avala';
export const DIAGNOSTIC_CODE = 'hard-coded-key';
const DEBOUNCE_MS = 300;

/** What the settings let the scanner do. */
export interface DetectionSettings {
  enabled(): boolean;
}

export interface HardcodedKeyDiagnosticsDeps {
  store: KeyStore;
  gitIgnored: GitIgnoredFiles;
  ignored: IgnoredKeyFiles;
  settings: DetectionSettings;
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
  private readonly disposables = new DisposableStore();

  constructor(private readonly deps: HardcodedKeyDiagnosticsDeps) {
    this.disposables.add(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => (e.contentChanges.length ? this.schedule(e.document, DEBOUNCE_MS) : undefined)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      // Which stored key a finding is, which files are ignored: both change the messages.
      deps.store.onDidChange(() => this.rescanAll()),
      deps.ignored.onDidChange(() => this.rescanAll()),
      deps.gitIgnored.onDidChange(() => this.rescanAll()),
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

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
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
    const { findings, skipped } = scanForKeys(document.getText());
    if (skipped) {
      this.collection.delete(document.uri);
      if (!this.skippedLogged.has(document.uri.toString())) {
        this.skippedLogged.add(document.uri.toString());
        this.deps.log.debug(
          `Hard-coded key check skipped ${this.name(document)}: ${skipped === 'binary' ? 'binary content' : 'too large'}.`,
        );
      }
      return;
    }
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
    const diagnostic = new vscode.Diagnostic(
      range,
      describeFinding(finding, this.deps.store.findByValue(finding.value)?.label, lesserEvil),
      lesserEvil ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning,
    );
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = DIAGNOSTIC_CODE;
    return diagnostic;
  }

  private name(document: vscode.TextDocument): string {
    return document.isUntitled ? 'an untitled document' : vscode.workspace.asRelativePath(document.uri);
  }
}
