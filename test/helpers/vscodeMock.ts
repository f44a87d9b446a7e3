/**
 * A minimal stand-in for the `vscode` module, enough to run the host's message handling in unit
 * tests. It records every command and clipboard write so tests can assert what the host did.
 * Install with `installVscodeMock()` before importing host modules.
 */
import Module from 'node:module';
import * as path from 'node:path';

export const recorded = { commands: [] as { id: string; args: unknown[] }[], clipboard: [] as string[], edits: [] as string[], messages: [] as string[], quickPicks: [] as { label: string }[][] };

/** vscode.l10n.t: '{0}' placeholders, English only. */
function l10nT(message: string, ...args: unknown[]): string {
  return message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
}

class Uri {
  constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(p: string) { return new Uri('file', path.resolve(p)); }
  static joinPath(u: Uri, ...p: string[]) { return new Uri(u.scheme, path.join(u.fsPath, ...p)); }
  static parse(s: string, strict = false) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/[^/]*)?(.*)$/.exec(s);
    if (!m) { if (strict) throw new Error('invalid URI'); return new Uri('file', s); }
    return new Uri(m[1].toLowerCase(), decodeURIComponent(m[2]));
  }
  toString() { return `${this.scheme}://${this.fsPath}`; }
}

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (l: (e: T) => void) => { this.listeners.push(l); return { dispose: () => undefined }; };
  fire(e: T) { for (const l of this.listeners) l(e); }
  dispose() { this.listeners = []; }
}

export const vscodeMock = {
  Uri,
  EventEmitter,
  ViewColumn: { Beside: -2, Active: -1 },
  ThemeColor: class { constructor(readonly id: string) {} },
  l10n: { t: l10nT, bundle: undefined as Record<string, string> | undefined },
  StatusBarAlignment: { Left: 1, Right: 2 },
  commands: {
    executeCommand: async (id: string, ...args: unknown[]) => { recorded.commands.push({ id, args }); },
    registerCommand: () => ({ dispose: () => undefined }),
  },
  env: { language: 'en', clipboard: { writeText: async (t: string) => { recorded.clipboard.push(t); } } },
  window: {
    activeTextEditor: undefined as unknown,
    showWarningMessage: async (m: string) => { recorded.messages.push(m); return undefined; },
    showInformationMessage: async (m: string) => { recorded.messages.push(m); return undefined; },
    showErrorMessage: async (m: string) => { recorded.messages.push(m); return undefined; },
    /** Picks the item whose label ends with `quickPickAnswer.label` (or nothing). */
    showQuickPick: async <T extends { label: string }>(items: T[]) => {
      recorded.quickPicks.push(items);
      return items.find((i) => vscodeMock.quickPickAnswer !== undefined && i.label.endsWith(vscodeMock.quickPickAnswer));
    },
    createStatusBarItem: () => ({ show: () => undefined, dispose: () => undefined } as Record<string, unknown>),
  },
  quickPickAnswer: undefined as string | undefined,
  workspace: {
    getConfiguration: () => ({ get: () => undefined }),
    asRelativePath: (p: string | Uri) => (typeof p === 'string' ? p : p.fsPath),
    workspaceFolders: [] as { uri: Uri; name: string; index: number }[],
    isTrusted: true,
    getWorkspaceFolder: (u: Uri) => vscodeMock.workspace.workspaceFolders.find((w) => u.fsPath === w.uri.fsPath || u.fsPath.startsWith(w.uri.fsPath + path.sep)),
    onDidChangeConfiguration: () => ({ dispose: () => undefined }),
  },
};

let installed = false;
export function installVscodeMock(): void {
  if (installed) return;
  installed = true;
  const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const orig = M._load;
  M._load = function (req: string, parent: unknown, isMain: boolean) {
    if (req === 'vscode') return vscodeMock;
    return orig.call(this, req, parent, isMain);
  };
}
