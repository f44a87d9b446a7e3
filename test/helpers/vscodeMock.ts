/**
 * A minimal stand-in for the `vscode` module, enough to run the host's message handling in unit
 * tests. It records every command and clipboard write so tests can assert what the host did.
 * Install with `installVscodeMock()` before importing host modules.
 */
import Module from 'node:module';
import * as path from 'node:path';

export const recorded = { commands: [] as { id: string; args: unknown[] }[], clipboard: [] as string[], edits: [] as string[], messages: [] as string[] };

class Uri {
  constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(p: string) { return new Uri('file', path.resolve(p)); }
  static joinPath(u: Uri, ...p: string[]) { return new Uri(u.scheme, path.join(u.fsPath, ...p)); }
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
  StatusBarAlignment: { Left: 1, Right: 2 },
  commands: {
    executeCommand: async (id: string, ...args: unknown[]) => { recorded.commands.push({ id, args }); },
    registerCommand: () => ({ dispose: () => undefined }),
  },
  env: { clipboard: { writeText: async (t: string) => { recorded.clipboard.push(t); } } },
  window: {
    activeTextEditor: undefined as unknown,
    showWarningMessage: async (m: string) => { recorded.messages.push(m); return undefined; },
    showInformationMessage: async (m: string) => { recorded.messages.push(m); return undefined; },
    showErrorMessage: async (m: string) => { recorded.messages.push(m); return undefined; },
  },
  workspace: {
    getConfiguration: () => ({ get: () => undefined }),
    asRelativePath: (p: string | Uri) => (typeof p === 'string' ? p : p.fsPath),
    workspaceFolders: [] as unknown[],
    isTrusted: true,
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
