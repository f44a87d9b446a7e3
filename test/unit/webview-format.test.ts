import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyStateText, formatFolder, formatLatency, formatScore, formatStatus, moveInGrid, resultsAnnouncement } from '../../src/webview/format';
import { isUndoKey } from '../../src/webview/pad';

test('status texts', () => {
  assert.equal(formatStatus({ type: 'indexStatus', state: 'indexing', indexed: 120, total: 800 }).text, 'Indexing 120/800…');
  assert.equal(formatStatus({ type: 'indexStatus', state: 'indexing', indexed: 120, total: 800 }).progress, 0.15);
  assert.equal(formatStatus({ type: 'indexStatus', state: 'ready', indexed: 800, total: 800 }).text, 'Ready — 800 images');
  assert.equal(formatStatus({ type: 'indexStatus', state: 'ready', indexed: 1, total: 1 }).text, 'Ready — 1 image');
  const r = formatStatus({ type: 'indexStatus', state: 'restricted', indexed: 0, total: 0 });
  assert.equal(r.text, 'Restricted Mode: trust the workspace to index images');
  assert.equal(r.trustButton, true);
  const e = formatStatus({ type: 'indexStatus', state: 'error', indexed: 0, total: 0, message: 'model missing' });
  assert.equal(e.kind, 'error');
  assert.match(e.text, /model missing/);
});

test('status texts: skipped files and a paused index', () => {
  const r = formatStatus({ type: 'indexStatus', state: 'ready', indexed: 574, total: 574, skipped: 4 });
  assert.equal(r.text, 'Ready — 574 images');
  assert.equal(r.skippedText, '4 skipped');
  assert.equal(formatStatus({ type: 'indexStatus', state: 'ready', indexed: 5, total: 5, skipped: 0 }).skippedText, undefined);
  const p = formatStatus({ type: 'indexStatus', state: 'paused', indexed: 1234, total: 1234 });
  assert.equal(p.text, 'Indexing paused — 1,234 images indexed');
  assert.doesNotMatch(p.text, /Rebuild/);
  // An unreadable query image: the host's sentence as it is, once.
  const msg = 'x.png is not a readable image: the file is truncated';
  assert.equal(emptyStateText({ resultsCount: 0, hasStrokes: false, hasImageQuery: true, searching: false, error: msg }), msg);
  assert.equal(emptyStateText({ resultsCount: 0, hasStrokes: true, hasImageQuery: false, searching: false, error: 'model failed' }), 'Search failed: model failed');
});

test('numbers', () => {
  assert.equal(formatScore(0.8349), '0.83');
  assert.equal(formatLatency(42.4), '42 ms');
  assert.equal(formatLatency(3.25), '3.3 ms');
  assert.equal(formatLatency(12_345), '12.3 s');
  assert.equal(resultsAnnouncement(0), 'No results');
  assert.equal(resultsAnnouncement(1), '1 result');
  assert.equal(resultsAnnouncement(60), '60 results');
  assert.equal(formatFolder('', 'ws', false), '(root)');
  assert.equal(formatFolder('a/b', 'ws', true), 'ws › a/b');
});

test('empty states', () => {
  const base = { resultsCount: 0, hasStrokes: false, hasImageQuery: false, searching: false };
  assert.equal(emptyStateText(base), 'Draw something to search');
  assert.equal(emptyStateText({ ...base, index: { state: 'ready', indexed: 0 } }), 'No images indexed yet');
  assert.equal(emptyStateText({ ...base, hasStrokes: true, searching: true, index: { state: 'ready', indexed: 5 } }), 'Searching…');
  assert.equal(emptyStateText({ ...base, hasStrokes: true, index: { state: 'ready', indexed: 5 } }), 'No results');
  assert.equal(emptyStateText({ ...base, hasStrokes: true, error: 'boom' }), 'Search failed: boom');
  assert.equal(emptyStateText({ ...base, resultsCount: 3, hasStrokes: true }), null);
});

test('grid keyboard navigation', () => {
  // 7 items in 3 columns:  0 1 2 / 3 4 5 / 6
  assert.equal(moveInGrid(0, 'ArrowRight', 7, 3), 1);
  assert.equal(moveInGrid(2, 'ArrowRight', 7, 3), 3); // wraps to the next row
  assert.equal(moveInGrid(6, 'ArrowRight', 7, 3), 6);
  assert.equal(moveInGrid(0, 'ArrowLeft', 7, 3), 0);
  assert.equal(moveInGrid(1, 'ArrowDown', 7, 3), 4);
  assert.equal(moveInGrid(4, 'ArrowDown', 7, 3), 6); // partial last row: go to the last item
  assert.equal(moveInGrid(6, 'ArrowDown', 7, 3), 6);
  assert.equal(moveInGrid(4, 'ArrowUp', 7, 3), 1);
  assert.equal(moveInGrid(1, 'ArrowUp', 7, 3), 1);
  assert.equal(moveInGrid(3, 'Home', 7, 3), 0);
  assert.equal(moveInGrid(3, 'End', 7, 3), 6);
  assert.equal(moveInGrid(0, 'ArrowDown', 0, 3), -1);
  assert.equal(moveInGrid(0, 'ArrowDown', 5, 1), 1);
});

test('undo/redo shortcuts', () => {
  const k = (key: string, o: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
    isUndoKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...o });
  assert.equal(k('z', { ctrlKey: true }), 'undo');
  assert.equal(k('z', { metaKey: true }), 'undo');
  assert.equal(k('Z', { ctrlKey: true, shiftKey: true }), 'redo');
  assert.equal(k('Z', { metaKey: true, shiftKey: true }), 'redo');
  assert.equal(k('y', { ctrlKey: true }), 'redo');
  assert.equal(k('z'), null);
  assert.equal(k('z', { ctrlKey: true, altKey: true }), null);
});

test('result keys: Enter opens, Alt+Enter to the side, Ctrl/Cmd+Enter inserts, Escape clears', async () => {
  const { resultKeyAction } = await import('../../src/webview/format');
  const k = (key: string, m: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...m });
  assert.equal(resultKeyAction(k('Enter'), false), 'open');
  assert.equal(resultKeyAction(k(' '), false), 'preview');
  assert.equal(resultKeyAction(k('Enter', { altKey: true }), false), 'openToSide');
  assert.equal(resultKeyAction(k('Enter', { ctrlKey: true }), false), 'insertReference');
  assert.equal(resultKeyAction(k('Enter', { metaKey: true }), true), 'insertReference');
  assert.equal(resultKeyAction(k('Enter', { ctrlKey: true }), true), null, 'Ctrl+Enter on macOS is not ours');
  assert.equal(resultKeyAction(k('Enter', { shiftKey: true }), false), null);
  assert.equal(resultKeyAction(k('Enter', { ctrlKey: true, altKey: true }), false), null);
  assert.equal(resultKeyAction(k('Escape'), false), 'clear');
  assert.equal(resultKeyAction(k('Escape', { shiftKey: true }), false), null);
  assert.equal(resultKeyAction(k('a'), false), null);
});

test('empty states: restricted, model failure with a fix, filters, min score', () => {
  const base = { resultsCount: 0, hasStrokes: false, hasImageQuery: false, searching: false };
  assert.match(emptyStateText({ ...base, index: { state: 'restricted', indexed: 0 } })!, /trust this workspace/);
  // The reason is on the status line (formatStatus); the empty state gives the fix.
  assert.equal(formatStatus({ type: 'indexStatus', state: 'error', indexed: 0, total: 0, message: 'Model failed to load: no such file' }).text, 'Error: Model failed to load: no such file');
  const failed = emptyStateText({ ...base, index: { state: 'error', indexed: 0, message: 'Model failed to load: no such file' } })!;
  assert.match(failed, /Show Output/);
  assert.match(failed, /executionProvider/);
  assert.match(failed, /Rebuild Index/);
  const ready = { state: 'ready' as const, indexed: 5 };
  assert.equal(emptyStateText({ ...base, hasStrokes: true, index: ready, filtered: true }), 'No results with the current filters');
  assert.equal(emptyStateText({ ...base, hasStrokes: true, index: ready, minScore: 0.2 }), 'No results above the minimum score (0.20)');
  assert.equal(formatStatus({ type: 'indexStatus', state: 'error', indexed: 0, total: 0, message: 'x' }).fixButtons, true);
});
