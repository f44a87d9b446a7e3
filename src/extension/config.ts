/** Typed access to the extension's settings. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GridSize, ShowScores } from '../shared/protocol';
import type { ProviderSetting } from '../core/encoder';
import { gitignoreToGlobs } from '../core/gitignore';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../core/scan';

export interface Settings {
  include: string[];
  exclude: string[];
  provider: ProviderSetting;
  maxResults: number;
  maxFileBytes: number;
  minScore: number;
  gridSize: GridSize;
  showScores: ShowScores;
  useGitignore: boolean;
}

/** Settings whose change means the index must be rebuilt (IndexManager listens for these). */
export const INDEX_SETTINGS = ['sketchSearch.include', 'sketchSearch.exclude', 'sketchSearch.useGitignore', 'files.exclude'];

/** Exclude globs from the workspace folder's root .gitignore ([] if none or unreadable). */
export function gitignoreExcludes(folderFsPath: string): string[] {
  try {
    const text = fs.readFileSync(path.join(folderFsPath, '.gitignore'), 'utf8');
    return gitignoreToGlobs(text.slice(0, 1_000_000)).globs;
  } catch {
    return [];
  }
}

export function readSettings(folder?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('sketchSearch', folder);
  const filesExclude = vscode.workspace.getConfiguration('files', folder).get<Record<string, boolean>>('exclude') ?? {};
  const fromFilesExclude = Object.entries(filesExclude).filter(([, on]) => on === true).map(([g]) => g)
    .flatMap((g) => (g.endsWith('/**') ? [g] : [g, `${g}/**`]));
  const strings = (v: unknown, d: string[]) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : d);
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const useGitignore = c.get<boolean>('useGitignore') === true;
  const fromGitignore = useGitignore && folder?.scheme === 'file' ? gitignoreExcludes(folder.fsPath) : [];
  const grid = c.get<string>('gridSize');
  return {
    include: strings(c.get('include'), DEFAULT_INCLUDE),
    exclude: [...new Set([...DEFAULT_EXCLUDE, ...strings(c.get('exclude'), DEFAULT_EXCLUDE), ...fromFilesExclude, ...fromGitignore])],
    provider: (c.get<string>('executionProvider') ?? 'auto') as ProviderSetting,
    maxResults: Math.max(1, Math.min(500, Math.floor(num(c.get('maxResults'), 60)))),
    maxFileBytes: Math.max(1, num(c.get('maxFileSizeMB'), 50)) * 1e6,
    minScore: Math.max(-1, Math.min(1, num(c.get('minScore'), 0))),
    gridSize: grid === 'small' || grid === 'large' ? grid : 'medium',
    showScores: c.get<string>('showScores') === 'onHover' ? 'onHover' : 'always',
    useGitignore,
  };
}
