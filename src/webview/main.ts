/**
 * Sketch Search sidebar webview: wiring between the pad, the status line, the results grid and
 * the extension host (messages typed by src/shared/protocol.ts).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { FromWebviewMessage, IndexStatusMessage, ResultAction, ToWebviewMessage } from '../shared/protocol';
import { emptyStateText } from './format';
import { icon, type IconName } from './icons';
import { closeMenu } from './menu';
import { isUndoKey, Pad, type ChangeReason } from './pad';
import { Debouncer, SearchTracker } from './requests';
import { ResultsView } from './results';
import { PEN_WIDTHS, loadState, saveState, type PenWidth } from './state';
import { StatusLine } from './status';
import { toPadStrokes } from './strokes';

interface VsCodeApi {
  postMessage(msg: FromWebviewMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const SEARCH_DEBOUNCE_MS = 250;

const vscode = acquireVsCodeApi();
const post = (m: FromWebviewMessage) => vscode.postMessage(m);
const app = document.getElementById('app') ?? document.body;
const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const mod = isMac ? '⌘' : 'Ctrl+';

const saved = loadState(vscode);
const tracker = new SearchTracker(saved.lastRequestId);

// ---------------------------------------------------------------- announcer (aria-live)

const live = document.createElement('div');
live.className = 'sr-only';
live.setAttribute('aria-live', 'polite');
live.setAttribute('role', 'status');
live.dataset.testid = 'announcer';
let liveTimer: ReturnType<typeof setTimeout> | undefined;
function announce(text: string): void {
  // Re-set after a tick so repeated identical messages are announced again.
  live.textContent = '';
  clearTimeout(liveTimer);
  liveTimer = setTimeout(() => { live.textContent = text; }, 50);
}

// ---------------------------------------------------------------- DOM

const padWrap = document.createElement('div');
padWrap.className = 'pad-wrap';
const canvas = document.createElement('canvas');
canvas.className = 'pad';
canvas.dataset.testid = 'pad-canvas';
canvas.tabIndex = 0;
canvas.setAttribute('role', 'img');
canvas.setAttribute('aria-label', `Sketch pad: draw to search images. ${mod}Z undo, ${isMac ? '⇧⌘Z' : 'Ctrl+Y'} redo, Escape clears.`);
const hint = document.createElement('div');
hint.className = 'pad-hint';
hint.setAttribute('aria-hidden', 'true');
hint.textContent = 'Draw here';
padWrap.append(canvas, hint);

function toolButton(opts: { icon: IconName; label: string; testid?: string; toggle?: boolean }): HTMLElement {
  // Inline SVG in the slot (not the `icon` attribute) so no codicon font has to be shipped.
  const b = document.createElement('vscode-toolbar-button');
  b.append(icon(opts.icon));
  b.setAttribute('label', opts.label);
  b.setAttribute('aria-label', opts.label);
  b.title = opts.label;
  if (opts.toggle) b.setAttribute('toggleable', '');
  if (opts.testid) b.dataset.testid = opts.testid;
  return b;
}

const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
toolbar.setAttribute('role', 'group');
toolbar.setAttribute('aria-label', 'Sketch tools');

const penSelect = document.createElement('vscode-single-select') as HTMLElement & { value: string };
penSelect.className = 'pen-select';
penSelect.dataset.testid = 'pen-width';
penSelect.setAttribute('aria-label', 'Pen width');
penSelect.setAttribute('label', 'Pen width');
penSelect.title = 'Pen width';
for (const [value, text] of [['thin', 'Thin'], ['medium', 'Medium'], ['thick', 'Thick']] as const) {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', value);
  o.textContent = text;
  if (value === saved.pen) o.setAttribute('selected', '');
  penSelect.append(o);
}

const eraserBtn = toolButton({ icon: 'eraser', label: 'Eraser (removes whole strokes)', testid: 'eraser-button', toggle: true }) as HTMLElement & { checked: boolean };
const undoBtn = toolButton({ icon: 'discard', label: `Undo (${mod}Z)`, testid: 'undo-button' });
const redoBtn = toolButton({ icon: 'redo', label: `Redo (${isMac ? '⇧⌘Z' : 'Ctrl+Y'})`, testid: 'redo-button' });
const clearBtn = toolButton({ icon: 'clear-all', label: 'Clear sketch (Escape)', testid: 'clear-button' });
const imageBtn = toolButton({ icon: 'file-media', label: 'Search with image file…', testid: 'image-search-button' });
const spacer = document.createElement('span');
spacer.className = 'spacer';
toolbar.append(penSelect, eraserBtn, undoBtn, redoBtn, clearBtn, spacer, imageBtn);

const status = new StatusLine(() => post({ type: 'command', command: 'trustWorkspace' }), announce);
const results = new ResultsView(onResultAction, announce);

app.append(padWrap, toolbar, status.el, results.el, live);

// ---------------------------------------------------------------- state

let lastIndex: IndexStatusMessage | undefined;
let imageQueryLabel: string | null = null;
let searchError: string | undefined;

const pad = new Pad(canvas, saved.history, { pen: saved.pen, eraser: saved.eraser }, {
  onChange: onStrokesChanged,
  onDrawing: (active) => {
    if (active) debounce.cancel();
    post({ type: 'drawing', active });
  },
  onEscape: () => clearAll(),
});
eraserBtn.checked = saved.eraser;

const debounce = new Debouncer(sendSearch, SEARCH_DEBOUNCE_MS);

function persist(): void {
  saveState(vscode, { history: pad.history, pen: pad.penWidth, eraser: pad.eraserOn, lastRequestId: tracker.lastId });
}

function setDisabled(el: HTMLElement, disabled: boolean): void {
  // Don't strand keyboard focus on a button that is about to become inert.
  if (disabled && document.activeElement === el) canvas.focus({ preventScroll: true });
  el.toggleAttribute('inert', disabled);
  el.classList.toggle('disabled', disabled);
  el.setAttribute('aria-disabled', String(disabled));
}

function refreshChrome(): void {
  setDisabled(undoBtn, !pad.history.canUndo);
  setDisabled(redoBtn, !pad.history.canRedo);
  setDisabled(clearBtn, pad.history.isEmpty && results.size === 0 && imageQueryLabel === null);
  hint.hidden = !pad.history.isEmpty;
  results.setEmpty(
    emptyStateText({
      resultsCount: results.size,
      hasStrokes: !pad.history.isEmpty,
      hasImageQuery: imageQueryLabel !== null,
      searching: tracker.isPending || debounce.scheduled,
      index: lastIndex,
      error: searchError,
    }),
  );
}

function onStrokesChanged(reason: ChangeReason): void {
  persist();
  if (pad.history.isEmpty) {
    debounce.cancel();
    tracker.invalidate();
    imageQueryLabel = null;
    searchError = undefined;
    results.clear();
    status.setLatency(null);
    post({ type: 'clear' });
    if (reason === 'clear') announce('Sketch cleared');
  } else {
    debounce.schedule();
  }
  refreshChrome();
}

/** Clear the pad (undoable) and whatever results are shown, including host-pushed image results. */
function clearAll(): void {
  if (!pad.history.isEmpty) {
    pad.clear(); // -> onStrokesChanged('clear')
  } else if (results.size > 0 || imageQueryLabel !== null) {
    tracker.invalidate();
    imageQueryLabel = null;
    searchError = undefined;
    results.clear();
    status.setLatency(null);
    post({ type: 'clear' });
  }
}

function sendSearch(): void {
  debounce.cancel();
  if (pad.history.isEmpty) return;
  const requestId = tracker.next();
  persist();
  post({ type: 'search', requestId, strokes: toPadStrokes(pad.history.strokes, pad.sideCss) });
  refreshChrome();
}

function onResultAction(action: ResultAction, resultId: string): void {
  post({ type: 'resultAction', action, resultId });
}

// ---------------------------------------------------------------- toolbar events

penSelect.addEventListener('change', () => {
  const v = penSelect.value as PenWidth;
  if (v in PEN_WIDTHS) { pad.setPen(v); persist(); }
});
eraserBtn.addEventListener('change', () => {
  pad.setEraser(eraserBtn.checked);
  persist();
});
undoBtn.addEventListener('click', () => pad.undo());
redoBtn.addEventListener('click', () => pad.redo());
clearBtn.addEventListener('click', () => { clearAll(); canvas.focus(); refreshChrome(); });
// Undo/redo shortcuts also work while a toolbar control has focus.
toolbar.addEventListener('keydown', (e) => {
  const u = isUndoKey(e);
  if (!u) return;
  e.preventDefault();
  if (u === 'undo') pad.undo(); else pad.redo();
});
imageBtn.addEventListener('click', () => post({ type: 'command', command: 'searchWithImageFile' }));

// ---------------------------------------------------------------- host messages

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = ev.data as ToWebviewMessage | null;
  if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
  switch (msg.type) {
    case 'searchResponse':
      if (!tracker.accept(msg.requestId)) return; // stale: a newer request was sent, or the pad was cleared
      imageQueryLabel = null;
      searchError = msg.error;
      results.show(Array.isArray(msg.results) ? msg.results : []);
      status.setLatency(msg.error ? null : msg.elapsedMs);
      if (msg.error) announce(`Search failed: ${msg.error}`);
      break;
    case 'results':
      // Host-pushed image query: replaces whatever the sketch search was showing.
      debounce.cancel();
      tracker.invalidate();
      imageQueryLabel = msg.query?.label ?? 'Image query';
      searchError = undefined;
      results.show(Array.isArray(msg.results) ? msg.results : [], imageQueryLabel);
      status.setLatency(msg.elapsedMs);
      break;
    case 'indexStatus':
      lastIndex = msg;
      status.setIndexStatus(msg);
      break;
    case 'thumbnail':
      results.setThumbnail(msg.resultId, msg.thumbnailUri);
      break;
    case 'clearPad':
      closeMenu(false);
      clearAll();
      break;
  }
  refreshChrome();
});

// ---------------------------------------------------------------- start

refreshChrome();
post({ type: 'ready' });
if (!pad.history.isEmpty) {
  // Restored from getState(): redraw happened in the Pad constructor; search again once laid out.
  requestAnimationFrame(() => { pad.resize(); sendSearch(); });
}
