// A stand-in for the `vscode` module, just enough for dist/extension.js and vscode-languageclient to start the
// real server over IPC. Not an editor: no documents, so no diagnostics. It records what the user would see
// (messages, the language status item's text) and lets a test run commands and change settings.
// The real VS Code end-to-end tests live elsewhere; this covers the client's own logic (start, crash restarts,
// give-up, restart command, `enable`) on every `npm test`.
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

type Listener = (value: unknown) => void;

const noop = { dispose() {} };

/** Any property, any call, any `new`: returns another such proxy. Not awaitable, not iterable (empty). */
function deep(path: string): unknown {
  return new Proxy(function () {}, {
    get(_target, key) {
      if (key === 'prototype') return {};
      if (key === Symbol.iterator) return function* () {};
      if (key === 'then' || typeof key === 'symbol') return undefined;
      if (key === 'length') return 0;
      if (key === 'dispose') return () => undefined;
      if (/^on[A-Z]/.test(key)) return () => noop;
      return deep(`${path}.${key}`);
    },
    apply: () => deep(`${path}()`),
    construct: () => deep(`new ${path}`) as object,
  });
}

class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners = [];
  }
}

export interface Shown {
  kind: 'error' | 'warning' | 'info';
  message: string;
}

export interface VscodeStub {
  module: Record<string, unknown>;
  settings: Record<string, unknown>;
  shown: Shown[];
  statusTexts: string[];
  log: string[];
  commands: Map<string, (...args: unknown[]) => unknown>;
  /** Changes `migrationGuard.<key>` and fires onDidChangeConfiguration. */
  setSetting(key: string, value: unknown): void;
}

export function createVscodeStub(root: string): VscodeStub {
  const names = [...readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8').matchAll(/^\s*export (?:class|enum|namespace|const|function) (\w+)/gm)].map((m) => m[1]);
  const stub: VscodeStub = {
    module: {}, settings: { enable: true, logLevel: 'info', trace: { server: 'off' } }, shown: [], statusTexts: [], log: [], commands: new Map(),
    setSetting: () => undefined,
  };
  const vscode = stub.module;
  for (const name of new Set(names)) {
    if (!/^[A-Z]/.test(name)) {
      vscode[name] = deep(`vscode.${name}`);
      continue;
    }
    // Classes and enums: constructible, with any static member (CodeActionKind.QuickFix.append(...) works).
    const Class = class {
      args: unknown[];
      constructor(...args: unknown[]) { this.args = args; }
      static from() { return noop; }
      append(part: string) { return new Class(part); }
      contains() { return false; }
      intersects() { return false; }
    };
    vscode[name] = new Proxy(Class, { get: (target, key) => (key in target ? (target as unknown as Record<string | symbol, unknown>)[key] : typeof key === 'symbol' ? undefined : new Class(key)) });
  }
  vscode.EventEmitter = EventEmitter;
  vscode.Disposable = class { constructor(private readonly callback?: () => void) {} dispose() { this.callback?.(); } static from() { return noop; } };

  const configListeners: Listener[] = [];
  const configuration = {
    get: (key: string, fallback?: unknown) => {
      if (key === 'migrationGuard') return stub.settings;
      if (key.startsWith('migrationGuard.')) key = key.slice('migrationGuard.'.length);
      const value = key.split('.').reduce<unknown>((object, part) => (object as Record<string, unknown> | undefined)?.[part], stub.settings);
      return value === undefined ? fallback : value;
    },
    has: () => false,
    inspect: () => undefined,
    update: async () => undefined,
  };
  stub.setSetting = (key, value) => {
    stub.settings[key] = value;
    for (const listener of configListeners) listener({ affectsConfiguration: (section: string) => `migrationGuard.${key}`.startsWith(section) || section === `migrationGuard.${key}` });
  };

  const logLine = (level: string) => (...parts: unknown[]) => { stub.log.push(`[${level}] ${parts.map(String).join(' ')}`); };
  const channel = {
    name: 'Migration Guard', logLevel: 2, onDidChangeLogLevel: () => noop,
    trace: logLine('trace'), debug: logLine('debug'), info: logLine('info'), warn: logLine('warn'), error: logLine('error'),
    append: () => undefined, appendLine: logLine('line'), replace: () => undefined, clear: () => undefined, show: () => undefined, hide: () => undefined, dispose: () => undefined,
  };
  const show = (kind: Shown['kind']) => (message: string) => {
    stub.shown.push({ kind, message });
    return Promise.resolve(undefined);
  };
  const watcher = () => ({ onDidCreate: () => noop, onDidChange: () => noop, onDidDelete: () => noop, dispose: () => undefined });

  const override = (path: string, members: Record<string, unknown>) => {
    const base = deep(path) as Record<string, unknown>;
    return new Proxy(members, { get: (target, key) => (key in target ? target[key as string] : base[key as string]) });
  };
  vscode.window = override('vscode.window', {
    createOutputChannel: () => channel,
    showErrorMessage: show('error'),
    showWarningMessage: show('warning'),
    showInformationMessage: show('info'),
    visibleTextEditors: [],
    activeTextEditor: undefined,
    tabGroups: { all: [], onDidChangeTabs: () => noop, onDidChangeTabGroups: () => noop },
    withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) => task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => noop }),
  });
  vscode.workspace = override('vscode.workspace', {
    getConfiguration: () => configuration,
    onDidChangeConfiguration: (listener: Listener) => {
      configListeners.push(listener);
      return { dispose: () => configListeners.splice(configListeners.indexOf(listener), 1) };
    },
    createFileSystemWatcher: watcher,
    textDocuments: [],
    notebookDocuments: [],
    workspaceFolders: undefined,
  });
  vscode.commands = override('vscode.commands', {
    registerCommand: (id: string, callback: (...args: unknown[]) => unknown) => {
      stub.commands.set(id, callback);
      return { dispose: () => stub.commands.delete(id) };
    },
    executeCommand: async () => undefined,
  });
  vscode.languages = override('vscode.languages', {
    createLanguageStatusItem: () => new Proxy<Record<string, unknown>>({ dispose: () => undefined }, {
      set: (target, key, value) => {
        if (key === 'text') stub.statusTexts.push(String(value));
        target[key as string] = value;
        return true;
      },
    }),
  });
  vscode.env = { machineId: 'test', sessionId: 'test', appName: 'stub', language: 'en', uiKind: 1 };
  vscode.version = '1.91.0';
  vscode.extensions = { all: [], getExtension: () => undefined, onDidChange: () => noop };
  return stub;
}

/** Makes `require('vscode')` return the stub (until the returned function is called). */
export function installVscodeStub(stub: VscodeStub): () => void {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub.module : original.call(this, request, ...rest);
  };
  return () => { loader._load = original; };
}
