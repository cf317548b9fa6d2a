// A stand-in `vscode` module, so the benchmark can run extension code in plain Node: the
// bundle's activate() (to see what it loads) and the Keys view's provider (to time it).
//
// The classes the Keys view builds (TreeItem, ThemeIcon, MarkdownString, EventEmitter) are
// small real implementations. Everything else is a permissive proxy: any property is another
// proxy, any call returns one, and each has dispose(). That is enough for activate() to
// register its commands, views and providers without a host; it says nothing about how long
// VS Code itself takes to do so (row 1 measures that in code-server). Names the real API does
// not have read as undefined, as they do in VS Code.
/* eslint-disable @typescript-eslint/no-explicit-any -- a stand-in that accepts anything is typed as anything */
import Module from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Any value: callable, constructible, every property another proxy, never a thenable. */
export function anything(name = 'vscode'): any {
  const children = new Map<PropertyKey, unknown>();
  const target = function () {
    /* a proxy target must be a function to be callable */
  };
  return new Proxy(target, {
    get(_, prop) {
      if (prop === 'then') {
        return undefined;
      }
      if (prop === 'dispose') {
        return () => undefined;
      }
      if (prop === Symbol.toPrimitive) {
        return () => name;
      }
      if (prop === Symbol.iterator) {
        return function* () {
          /* empty */
        };
      }
      if (typeof prop === 'symbol') {
        return undefined;
      }
      if (!children.has(prop)) {
        children.set(prop, anything(`${name}.${prop}`));
      }
      return children.get(prop);
    },
    set(_, prop, value) {
      children.set(prop, value);
      return true;
    },
    apply: () => anything(`${name}()`),
    construct: () => anything(`new ${name}`),
  });
}

/** Keeps the named properties and falls back to {@link anything} for the rest. */
export function partly<T extends object>(known: T, name: string): T & Record<string, any> {
  const fallback = anything(name);
  return new Proxy(known, {
    get: (target, prop) => (prop in target ? (target as any)[prop] : fallback[prop]),
  }) as T & Record<string, any>;
}

const disposable = { dispose: () => undefined };
const event = () => () => disposable;

export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  constructor(private readonly callOnDispose: () => unknown) {}
  dispose(): void {
    this.callOnDispose();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => unknown>();
  readonly event = (listener: (value: T) => unknown) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  isTrusted?: boolean;
  supportHtml?: boolean;
  constructor(
    public value = '',
    public supportThemeIcons = false,
  ) {}
  appendText(text: string): this {
    // As VS Code does: escape Markdown, keep line breaks.
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&').replace(/\n/g, '\n\n');
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  accessibilityInformation?: unknown;
  constructor(
    public label: string | { label: string },
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

function configuration(): Record<string, unknown> {
  return {
    get: (_key: string, defaultValue?: unknown) => defaultValue,
    has: () => false,
    inspect: () => undefined,
    update: () => Promise.resolve(),
  };
}

/**
 * Every top-level name of the real API, from @types/vscode. Bundlers copy a module's own
 * properties when they import it (esbuild's `__toESM`), so a name the stub lacks would read as
 * undefined however permissive the proxy is.
 */
function apiNames(): string[] {
  const typings = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  return [...typings.matchAll(/^\texport (?:class|enum|namespace|const|function|let) (\w+)/gm)].map((m) => m[1]);
}

/** The stub module's exports. */
export function createVSCodeStub(): Record<string, unknown> {
  const known: Record<string, unknown> = {
    Disposable,
    EventEmitter,
    ThemeColor,
    ThemeIcon,
    MarkdownString,
    TreeItem,
    TreeItemCollapsibleState,
    StatusBarAlignment: { Left: 1, Right: 2 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    workspace: partly(
      {
        getConfiguration: configuration,
        workspaceFolders: undefined,
        workspaceFile: undefined,
        textDocuments: [],
        isTrusted: true,
        onDidChangeConfiguration: event(),
        onDidGrantWorkspaceTrust: event(),
        onDidOpenTextDocument: event(),
        onDidCloseTextDocument: event(),
        onDidChangeTextDocument: event(),
        onDidChangeWorkspaceFolders: event(),
      },
      'vscode.workspace',
    ),
    window: partly(
      {
        terminals: [],
        activeTextEditor: undefined,
        visibleTextEditors: [],
        state: { focused: true },
        onDidChangeWindowState: event(),
        onDidOpenTerminal: event(),
        onDidCloseTerminal: event(),
        onDidChangeActiveTextEditor: event(),
        onDidChangeVisibleTextEditors: event(),
      },
      'vscode.window',
    ),
    commands: partly({ executeCommand: () => Promise.resolve(undefined), registerCommand: () => disposable }, 'vscode.commands'),
  };
  for (const name of apiNames()) {
    known[name] ??= anything(`vscode.${name}`);
  }
  // A plain object like the real API object, so copying its names (as bundles do on import)
  // costs what it costs in VS Code, not what a proxy's traps cost.
  return known;
}

/** In-memory `ExtensionContext`: real secrets and mementos, a proxy for the rest. */
export function createExtensionContext(extensionPath: string): Record<string, unknown> {
  const secrets = new Map<string, string>();
  const memento = () => {
    const values = new Map<string, unknown>();
    return {
      get: (key: string, defaultValue?: unknown) => (values.has(key) ? values.get(key) : defaultValue),
      update: (key: string, value: unknown) => {
        values.set(key, value);
        return Promise.resolve();
      },
      keys: () => [...values.keys()],
      setKeysForSync: () => undefined,
    };
  };
  return partly(
    {
      subscriptions: [] as { dispose(): unknown }[],
      extensionPath,
      secrets: {
        get: (key: string) => Promise.resolve(secrets.get(key)),
        store: (key: string, value: string) => Promise.resolve(void secrets.set(key, value)),
        delete: (key: string) => Promise.resolve(void secrets.delete(key)),
        keys: () => Promise.resolve([...secrets.keys()]),
        onDidChange: event(),
      },
      workspaceState: memento(),
      globalState: memento(),
      storagePath: undefined,
      globalStoragePath: path.join(extensionPath, '.global-storage'),
      logPath: path.join(extensionPath, '.log'),
      extensionMode: 1,
    },
    'context',
  );
}

const STUB_PATH = path.join(__dirname, '__vscode_stub__.js');

/** Makes `require('vscode')` answer the stub in this process. Returns the stub. */
export function installVSCodeStub(): Record<string, unknown> {
  const stub = createVSCodeStub();
  const loader = Module as unknown as {
    _resolveFilename(request: string, ...rest: unknown[]): string;
    _cache: Record<string, unknown>;
  };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? STUB_PATH : resolve.call(this, request, ...rest);
  };
  const cached = new Module(STUB_PATH);
  cached.filename = STUB_PATH;
  cached.loaded = true;
  cached.exports = stub;
  loader._cache[STUB_PATH] = cached;
  return stub;
}
