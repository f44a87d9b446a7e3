/** Pure text and layout helpers for the status line and the results grid (no DOM). */
import type { IndexStatusMessage } from '../shared/protocol';

export interface StatusView {
  text: string;
  kind: 'info' | 'progress' | 'ready' | 'warning' | 'error';
  /** Show the "Trust Workspace" button. */
  trustButton: boolean;
  /** 0..1 while indexing with a known total. */
  progress?: number;
}

const nf = new Intl.NumberFormat('en-US');

export function formatStatus(s: IndexStatusMessage): StatusView {
  const n = (x: number) => nf.format(Math.max(0, Math.round(x)));
  const images = (x: number) => `${n(x)} image${x === 1 ? '' : 's'}`;
  switch (s.state) {
    case 'indexing':
      return {
        text: s.total > 0 ? `Indexing ${n(s.indexed)}/${n(s.total)}…` : 'Indexing…',
        kind: 'progress',
        trustButton: false,
        progress: s.total > 0 ? Math.min(1, Math.max(0, s.indexed / s.total)) : undefined,
      };
    case 'ready':
      return { text: `Ready — ${images(s.indexed)}`, kind: 'ready', trustButton: false };
    case 'paused':
      return { text: s.message ?? `Indexing paused — ${n(s.indexed)}/${n(s.total)}`, kind: 'info', trustButton: false };
    case 'restricted':
      return { text: 'Restricted Mode: trust the workspace to index images', kind: 'warning', trustButton: true };
    case 'noWorkspace':
      return { text: s.message ?? 'Open a folder to search its images', kind: 'info', trustButton: false };
    case 'error':
      return { text: s.message ? `Error: ${s.message}` : 'Indexing failed', kind: 'error', trustButton: false };
    case 'idle':
    default:
      return { text: s.message ?? (s.indexed > 0 ? `${images(s.indexed)} indexed` : 'Not indexed yet'), kind: 'info', trustButton: false };
  }
}

export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return '–';
  return score.toFixed(2);
}

export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function resultsAnnouncement(n: number): string {
  return n === 0 ? 'No results' : `${n} result${n === 1 ? '' : 's'}`;
}

/** "assets/img" or "(root)", prefixed with the workspace folder in multi-root workspaces. */
export function formatFolder(folder: string, workspaceFolder: string, multiRoot: boolean): string {
  const f = folder === '' ? '' : folder;
  if (multiRoot && workspaceFolder) return f ? `${workspaceFolder} › ${f}` : workspaceFolder;
  return f || '(root)';
}

export interface EmptyStateInput {
  resultsCount: number;
  hasStrokes: boolean;
  /** A host-pushed image query is shown. */
  hasImageQuery: boolean;
  searching: boolean;
  /** The last index status, if any arrived. */
  index?: Pick<IndexStatusMessage, 'state' | 'indexed'>;
  error?: string;
}

/** The message shown in place of the grid, or null when results are shown. */
export function emptyStateText(x: EmptyStateInput): string | null {
  if (x.resultsCount > 0) return null;
  if (x.error) return `Search failed: ${x.error}`;
  if (x.index && x.index.indexed === 0 && x.index.state !== 'indexing' && !x.hasStrokes && !x.hasImageQuery) {
    return 'No images indexed yet';
  }
  if (!x.hasStrokes && !x.hasImageQuery) return 'Draw something to search';
  if (x.searching) return 'Searching…';
  if (x.index && x.index.indexed === 0) return 'No images indexed yet';
  return 'No results';
}

export type NavKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/** Where focus goes in a grid of `count` items laid out in `columns` columns; -1 if count is 0. */
export function moveInGrid(current: number, key: string, count: number, columns: number, pageRows = 3): number {
  if (count <= 0) return -1;
  const cols = Math.max(1, Math.floor(columns));
  const i = current < 0 || current >= count ? 0 : current;
  let j = i;
  switch (key) {
    case 'ArrowLeft': j = i - 1; break;
    case 'ArrowRight': j = i + 1; break;
    case 'ArrowUp': j = i - cols; break;
    case 'ArrowDown': j = i + cols; break;
    case 'PageUp': j = i - cols * pageRows; break;
    case 'PageDown': j = i + cols * pageRows; break;
    case 'Home': j = 0; break;
    case 'End': j = count - 1; break;
    default: return i;
  }
  if (j < 0) return key === 'ArrowUp' || key === 'ArrowLeft' ? i : 0;
  if (j >= count) {
    // Down from a partial last row: go to the last item only if it is on a later row.
    if (key === 'ArrowDown' || key === 'PageDown') return Math.floor((count - 1) / cols) > Math.floor(i / cols) ? count - 1 : i;
    return key === 'ArrowRight' ? i : count - 1;
  }
  return j;
}
