/** Pure text and layout helpers for the status line and the results grid (no DOM). */
import type { IndexStatusMessage, ResultAction } from '../shared/protocol';
import { t } from './l10n';

export interface StatusView {
  text: string;
  kind: 'info' | 'progress' | 'ready' | 'warning' | 'error';
  /** Show the "Trust Workspace" button. */
  trustButton: boolean;
  /** 0..1 while indexing with a known total. */
  progress?: number;
  /** Offer "Show Output" and "Rebuild Index" (errors such as a model that failed to load). */
  fixButtons?: boolean;
  /** "4 skipped" when files could not be indexed (shown as a link to their list after `text`). */
  skippedText?: string;
}

const nf = new Intl.NumberFormat('en-US');

export function formatStatus(s: IndexStatusMessage): StatusView {
  const n = (x: number) => nf.format(Math.max(0, Math.round(x)));
  const images = (x: number) => (x === 1 ? t('1 image') : t('{0} images', n(x)));
  switch (s.state) {
    case 'indexing':
      return {
        text: s.total > 0 ? t('Indexing {0}/{1}…', n(s.indexed), n(s.total)) : t('Indexing…'),
        kind: 'progress',
        trustButton: false,
        progress: s.total > 0 ? Math.min(1, Math.max(0, s.indexed / s.total)) : undefined,
      };
    case 'ready': {
      const v: StatusView = { text: t('Ready — {0}', images(s.indexed)), kind: 'ready', trustButton: false };
      if (s.skipped && s.skipped > 0) v.skippedText = t('{0} skipped', n(s.skipped));
      return v;
    }
    case 'paused':
      return { text: s.message ?? t('Indexing paused — {0} indexed', images(s.indexed)), kind: 'info', trustButton: false };
    case 'restricted':
      return { text: t('Restricted Mode: trust the workspace to index images'), kind: 'warning', trustButton: true };
    case 'noWorkspace':
      return { text: s.message ?? t('Open a folder to search its images'), kind: 'info', trustButton: false };
    case 'error':
      return { text: s.message ? t('Error: {0}', s.message) : t('Indexing failed'), kind: 'error', trustButton: false, fixButtons: true };
    case 'idle':
    default:
      return { text: s.message ?? (s.indexed > 0 ? t('{0} indexed', images(s.indexed)) : t('Not indexed yet')), kind: 'info', trustButton: false };
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
  return n === 0 ? t('No results') : n === 1 ? t('1 result') : t('{0} results', n);
}

/** "assets/img" or "(root)", prefixed with the workspace folder in multi-root workspaces. */
export function formatFolder(folder: string, workspaceFolder: string, multiRoot: boolean): string {
  const f = folder === '' ? '' : folder;
  if (multiRoot && workspaceFolder) return f ? `${workspaceFolder} › ${f}` : workspaceFolder;
  return f || t('(root)');
}

export interface EmptyStateInput {
  resultsCount: number;
  hasStrokes: boolean;
  /** A host-pushed image query is shown. */
  hasImageQuery: boolean;
  searching: boolean;
  /** The last index status, if any arrived. */
  index?: Pick<IndexStatusMessage, 'state' | 'indexed' | 'message'>;
  error?: string;
  /** Type chips or a folder scope are active. */
  filtered?: boolean;
  /** The minimum-score setting (results below are hidden), if above -1. */
  minScore?: number;
}

/** The message shown in place of the grid, or null when results are shown. */
export function emptyStateText(x: EmptyStateInput): string | null {
  if (x.resultsCount > 0) return null;
  // An image query's error is the host's own sentence ("x.png is not a readable image: …").
  if (x.error) return x.hasImageQuery ? x.error : t('Search failed: {0}', x.error);
  if (x.index?.state === 'restricted') {
    return t('Images are indexed once you trust this workspace: decoding them runs native code.');
  }
  if (x.index?.state === 'error' && x.index.indexed === 0) {
    return t('Search needs the model. "Show Output" has the details and "Rebuild Index" tries again; if a GPU is the problem, set "sketchSearch.executionProvider" to "cpu".');
  }
  if (x.index?.state === 'noWorkspace') return t('Open a folder to search its images.');
  if (x.index && x.index.indexed === 0 && x.index.state !== 'indexing' && !x.hasStrokes && !x.hasImageQuery) {
    return t('No images indexed yet');
  }
  if (!x.hasStrokes && !x.hasImageQuery) return t('Draw something to search');
  if (x.searching) return t('Searching…');
  if (x.index && x.index.indexed === 0) return t('No images indexed yet');
  if (x.filtered) return t('No results with the current filters');
  if (x.minScore !== undefined && x.minScore > -1) return t('No results above the minimum score ({0})', formatScore(x.minScore));
  return t('No results');
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

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/**
 * What a key does on a focused result: Enter/Space open, Alt+Enter opens to the side,
 * Ctrl+Enter (Cmd+Enter on macOS) inserts a reference at the cursor (a Markdown image link, an
 * <img>, a CSS url() or an import, after the active editor's language), Escape clears.
 * These are handled (and preventDefault-ed) inside the webview's grid only; in VS Code's default
 * keymap Ctrl/Cmd+Enter is bound only with editor or other views focused, so nothing clashes.
 */
export function resultKeyAction(e: KeyLike, isMac: boolean): ResultAction | 'clear' | null {
  const primary = isMac ? e.metaKey : e.ctrlKey;
  const other = isMac ? e.ctrlKey : e.metaKey;
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) return 'clear';
  if (e.key === 'Enter') {
    if (e.shiftKey || other) return null;
    if (primary && !e.altKey) return 'insertReference';
    if (e.altKey && !primary) return 'openToSide';
    if (!primary && !e.altKey) return 'open';
    return null;
  }
  // Space previews and keeps focus in the results, as in VS Code's Explorer.
  if (e.key === ' ' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) return 'preview';
  return null;
}
