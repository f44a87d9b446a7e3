/** Typed access to the extension's settings. */
import * as vscode from 'vscode';
import type { ProviderSetting } from './core/encoder';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from './core/scan';

export interface Settings {
  include: string[];
  exclude: string[];
  provider: ProviderSetting;
  maxResults: number;
  maxFileBytes: number;
}

export function readSettings(folder?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('sketchSearch', folder);
  const filesExclude = vscode.workspace.getConfiguration('files', folder).get<Record<string, boolean>>('exclude') ?? {};
  const fromFilesExclude = Object.entries(filesExclude).filter(([, on]) => on === true).map(([g]) => g)
    .flatMap((g) => (g.endsWith('/**') ? [g] : [g, `${g}/**`]));
  const strings = (v: unknown, d: string[]) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : d);
  return {
    include: strings(c.get('include'), DEFAULT_INCLUDE),
    exclude: [...new Set([...DEFAULT_EXCLUDE, ...strings(c.get('exclude'), DEFAULT_EXCLUDE), ...fromFilesExclude])],
    provider: (c.get<string>('executionProvider') ?? 'auto') as ProviderSetting,
    maxResults: Math.max(1, Math.min(500, Math.floor(c.get<number>('maxResults') ?? 60))),
    maxFileBytes: Math.max(1, c.get<number>('maxFileSizeMB') ?? 50) * 1e6,
  };
}
