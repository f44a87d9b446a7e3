/**
 * Sketch Search sidebar webview: wiring between the pad, the status line, the results grid and
 * the extension host (messages typed by src/shared/protocol.ts).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { FILE_TYPES, LIMITS, type ConfigMessage, type FileType, type FromWebviewMessage, type IndexStatusMessage, type ResultAction, type ToWebviewMessage } from '../shared/protocol';
import { FILE_TYPE_LABELS, FilterState, firstImageUri, QUERY_IMAGE_MIMES } from './filters';
import { emptyStateText } from './format';
import { t } from './l10n';
import { icon, type IconName } from './icons';
import { closeMenu } from './menu';
import { isUndoKey, Pad, type ChangeReason } from './pad';
import { PadLayout } from './padLayout';
import { QueryImageView } from './queryImage';
import { Debouncer, SearchTracker } from './requests';
import { ResultsView } from './results';
import { actionAnnouncement } from './actionOutcome';
import { RecentQueriesView } from './recent';
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
canvas.setAttribute('aria-label', t('Sketch pad: draw to search images, or paste or drop an image. {0}Z undo, {1} redo, Escape clears. Keyboard alternative: "Search with image file…" in the toolbar.', mod, isMac ? '⇧⌘Z' : 'Ctrl+Y'));
const hint = document.createElement('div');
hint.className = 'pad-hint';
hint.setAttribute('aria-hidden', 'true');
hint.textContent = t('Draw here, or paste an image');
hint.title = t('You can also drop an image file here (hold Shift while dropping from the Explorer).');
const queryImage = new QueryImageView(() => backToDrawing());
padWrap.append(canvas, hint, queryImage.el);

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
toolbar.setAttribute('aria-label', t('Sketch tools'));

const penSelect = document.createElement('vscode-single-select') as HTMLElement & { value: string };
penSelect.className = 'pen-select';
penSelect.dataset.testid = 'pen-width';
penSelect.setAttribute('aria-label', t('Pen width'));
penSelect.setAttribute('label', t('Pen width'));
penSelect.title = t('Pen width');
for (const [value, text] of [['thin', t('Thin')], ['medium', t('Medium')], ['thick', t('Thick')]] as const) {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', value);
  o.textContent = text;
  if (value === saved.pen) o.setAttribute('selected', '');
  penSelect.append(o);
}

const eraserBtn = toolButton({ icon: 'eraser', label: t('Eraser (removes whole strokes)'), testid: 'eraser-button', toggle: true }) as HTMLElement & { checked: boolean };
const undoBtn = toolButton({ icon: 'discard', label: t('Undo ({0})', `${mod}Z`), testid: 'undo-button' });
const redoBtn = toolButton({ icon: 'redo', label: t('Redo ({0})', isMac ? '⇧⌘Z' : 'Ctrl+Y'), testid: 'redo-button' });
const clearBtn = toolButton({ icon: 'trash', label: t('Clear sketch (Escape)'), testid: 'clear-button' });
const imageBtn = toolButton({ icon: 'file-media', label: t('Search with image file…'), testid: 'image-search-button' });
const spacer = document.createElement('span');
spacer.className = 'spacer';
const collapseBtn = toolButton({ icon: 'chevron-up', label: t('Hide the sketch pad'), testid: 'collapse-button' });
toolbar.append(penSelect, eraserBtn, undoBtn, redoBtn, clearBtn, spacer, imageBtn, collapseBtn);

// Recent queries: its own button and popup (src/webview/recent.ts), beside "Search with image file…".
const recentBtn = toolButton({ icon: 'history', label: t('Recent queries…'), testid: 'recent-button' });
imageBtn.before(recentBtn);
const recent = new RecentQueriesView(recentBtn, {
  onUse: (recentId) => post({ type: 'useRecent', recentId }),
  onForget: (recentId) => post(recentId === 'all' ? { type: 'forgetRecent', all: true } : { type: 'forgetRecent', recentId }),
  announce,
});

const status = new StatusLine((command) => post({ type: 'command', command }), announce);
const results = new ResultsView({
  onAction: onResultAction,
  announce,
  onNeedThumbnails: (resultIds, preview) => post(preview ? { type: 'needThumbnails', resultIds, preview } : { type: 'needThumbnails', resultIds }),
  onEscape: () => { clearAll(); canvas.focus(); refreshChrome(); },
});

// ---------------------------------------------------------------- filters (type chips, folder scope)

const filters = new FilterState(saved.types);
const filterBar = document.createElement('div');
filterBar.className = 'filters';
filterBar.setAttribute('role', 'group');
filterBar.setAttribute('aria-label', t('Filter results'));
filterBar.dataset.testid = 'filters';
const scopeBtn = document.createElement('button');
scopeBtn.type = 'button';
scopeBtn.className = 'chip scope-chip';
scopeBtn.dataset.testid = 'scope-button';
const scopeIcon = icon('folder');
const scopeText = document.createElement('span');
scopeText.className = 'chip-text';
scopeBtn.append(scopeIcon, scopeText);
const scopeClear = document.createElement('button');
scopeClear.type = 'button';
scopeClear.className = 'chip-clear';
scopeClear.dataset.testid = 'scope-clear';
scopeClear.setAttribute('aria-label', t('Search all folders'));
scopeClear.title = t('Search all folders');
scopeClear.append(icon('close'));
const chipButtons = new Map<string, HTMLButtonElement>();
for (const ft of FILE_TYPES) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'chip type-chip';
  b.dataset.testid = `type-chip-${ft}`;
  b.dataset.type = ft;
  b.textContent = ft === 'other' ? t('Other') : FILE_TYPE_LABELS[ft];
  b.title = ft === 'other' ? t('Only other image types (BMP, TIFF, AVIF)') : t('Only {0} files', FILE_TYPE_LABELS[ft]);
  b.setAttribute('aria-pressed', 'false');
  chipButtons.set(ft, b);
}
const chipGroup = document.createElement('div');
chipGroup.className = 'chip-group';
chipGroup.setAttribute('role', 'group');
chipGroup.setAttribute('aria-label', t('File types'));
chipGroup.append(...chipButtons.values());
const scopeWrap = document.createElement('div');
scopeWrap.className = 'scope-wrap';
scopeWrap.append(scopeBtn, scopeClear);
filterBar.append(scopeWrap, chipGroup);

/** File types the index has (null until the host said): chips only for these, and for pressed ones. */
let presentTypes: ReadonlySet<FileType> | null = null;

function refreshFilters(): void {
  let shown = 0;
  for (const [ft, b] of chipButtons) {
    const on = filters.has(ft as (typeof FILE_TYPES)[number]);
    b.setAttribute('aria-pressed', String(on));
    // A pressed chip stays, so a filter for a type that left the index can still be turned off.
    b.hidden = !on && !presentTypes?.has(ft as FileType);
    if (!b.hidden) shown++;
  }
  // One type only: a chip would filter nothing.
  chipGroup.hidden = shown < 2 && !filters.selectedTypes.length;
  const scoped = filters.scopeId !== null;
  scopeText.textContent = scoped ? filters.scopeLabel : t('All folders');
  scopeBtn.classList.toggle('active', scoped);
  scopeBtn.setAttribute('aria-label', scoped ? t('Folder scope: {0}. Change folder…', filters.scopeLabel) : t('Folder scope: all folders. Choose a folder…'));
  scopeBtn.title = scoped ? t('Only results in {0} (click to change)', filters.scopeLabel) : t('Only show results from a folder…');
  scopeClear.hidden = !scoped;
}

function onFilterChanged(): void {
  refreshFilters();
  persist();
  scrollResultsToTop();
  // An image query first: the strokes under the query image are not what is shown.
  if (imageQueryLabel !== null) post({ type: 'filter', filter: filters.toFilter() });
  else if (!pad.history.isEmpty) sendSearch();
}

chipGroup.addEventListener('click', (e) => {
  const b = (e.target as HTMLElement).closest<HTMLElement>('.type-chip');
  if (!b?.dataset.type) return;
  filters.toggle(b.dataset.type as (typeof FILE_TYPES)[number]);
  onFilterChanged();
  announce(filters.selectedTypes.length ? t('Showing {0}', filters.selectedTypes.map((x) => FILE_TYPE_LABELS[x]).join(', ')) : t('Showing all file types'));
});
// Arrow keys move between chips (one tab stop for the group would hide the pressed state; keep them all tabbable).
chipGroup.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
  const bs = [...chipButtons.values()].filter((b) => !b.hidden);
  const i = bs.indexOf(document.activeElement as HTMLButtonElement);
  if (i < 0) return;
  e.preventDefault();
  bs[(i + (e.key === 'ArrowRight' ? 1 : bs.length - 1)) % bs.length].focus();
});
scopeBtn.addEventListener('click', () => post({ type: 'pickScope' }));
scopeClear.addEventListener('click', () => { post({ type: 'pickScope', clear: true }); scopeBtn.focus(); });

// The pad, its tools, the status and the filters stay put; only the results scroll under them.
const top = document.createElement('div');
top.className = 'top';
const padLayout = new PadLayout(padWrap, app, { size: saved.padSize, collapsed: saved.padCollapsed }, {
  onChange: () => persist(),
  onCollapsed: (collapsed) => {
    collapseBtn.setAttribute('aria-expanded', String(!collapsed));
    const label = collapsed ? t('Show the sketch pad') : t('Hide the sketch pad');
    if (collapseBtn.getAttribute('aria-label') === label) return;
    collapseBtn.replaceChildren(icon(collapsed ? 'chevron-down' : 'chevron-up'));
    collapseBtn.setAttribute('label', label);
    collapseBtn.setAttribute('aria-label', label);
    collapseBtn.title = label;
  },
});
top.append(padWrap, padLayout.resizer, toolbar, status.el, filterBar);
app.append(top, results.el, live);
padLayout.apply();

// ---------------------------------------------------------------- state

let lastIndex: IndexStatusMessage | undefined;
let imageQueryLabel: string | null = null;
/** The query image's webview URI (host thumbnail) and the data URL of the last pasted/dropped bitmap. */
let imageQueryUri: string | undefined;
let pastedImage: string | undefined;
let searchError: string | undefined;
let config: ConfigMessage = { type: 'config', gridSize: 'medium', showScores: 'always', minScore: 0 };
let hostQueryPending = false;

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
  saveState(vscode, {
    history: pad.history, pen: pad.penWidth, eraser: pad.eraserOn, lastRequestId: tracker.lastId, types: filters.selectedTypes,
    padSize: padLayout.size, padCollapsed: padLayout.collapsed,
  });
}

function setDisabled(el: HTMLElement, disabled: boolean): void {
  // Don't strand keyboard focus on a button that is about to become inert.
  if (disabled && document.activeElement === el) canvas.focus({ preventScroll: true });
  el.toggleAttribute('inert', disabled);
  el.classList.toggle('disabled', disabled);
  el.setAttribute('aria-disabled', String(disabled));
}

function refreshChrome(): void {
  // While the results are for an image, that image covers the pad: the strokes wait under it.
  const showImage = imageQueryLabel !== null && !searchError;
  if (showImage) queryImage.show(imageQueryLabel!, imageQueryUri); else queryImage.hide();
  canvas.classList.toggle('covered', showImage);
  canvas.toggleAttribute('inert', showImage);
  setDisabled(undoBtn, showImage || !pad.history.canUndo);
  setDisabled(redoBtn, showImage || !pad.history.canRedo);
  setDisabled(clearBtn, pad.history.isEmpty && results.size === 0 && imageQueryLabel === null);
  hint.hidden = !pad.history.isEmpty || showImage;
  // Filters are pointless while nothing can be searched (Restricted Mode, no folder, model failed).
  const st = lastIndex?.state;
  filterBar.hidden = st === 'restricted' || st === 'noWorkspace' || (st === 'error' && (lastIndex?.indexed ?? 0) === 0 && results.size === 0);
  results.setEmpty(
    emptyStateText({
      resultsCount: results.size,
      hasStrokes: !pad.history.isEmpty,
      hasImageQuery: imageQueryLabel !== null,
      searching: tracker.isPending || debounce.scheduled || hostQueryPending,
      index: lastIndex,
      error: searchError,
      filtered: filters.active,
      minScore: config.minScore,
    }),
  );
}

/** A new query from the user: its best matches are at the top of the (separately scrolling) results. */
function scrollResultsToTop(): void {
  results.el.scrollTop = 0;
}

function onStrokesChanged(reason: ChangeReason): void {
  persist();
  scrollResultsToTop();
  if (pad.history.isEmpty) {
    debounce.cancel();
    dropResults();
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
    dropResults();
  }
}

/** Forget the shown results (stale responses are ignored from now on) and tell the host. */
function dropResults(): void {
  tracker.invalidate();
  imageQueryLabel = null;
  imageQueryUri = undefined;
  searchError = undefined;
  results.clear();
  status.setLatency(null);
  post({ type: 'clear' });
}

function sendSearch(restore = false): void {
  debounce.cancel();
  if (pad.history.isEmpty) return;
  const requestId = tracker.next();
  persist();
  const msg: FromWebviewMessage = { type: 'search', requestId, strokes: toPadStrokes(pad.history.strokes, pad.sideCss), filter: filters.toFilter() };
  if (restore) msg.restore = true;
  post(msg);
  status.setBusy();
  refreshChrome();
}

/** Leave the image query: the pad (its strokes were kept) comes back and searches again. */
function backToDrawing(): void {
  imageQueryLabel = null;
  imageQueryUri = undefined;
  searchError = undefined;
  scrollResultsToTop();
  if (pad.history.isEmpty) dropResults(); else sendSearch();
  refreshChrome();
  canvas.focus();
  announce(t('Back to the drawing'));
}

/** Result actions waiting for the host's answer, by requestId (what to announce when it comes). */
const pendingActions = new Map<number, { action: ResultAction; name: string }>();
let actionSeq = 0;

function onResultAction(action: ResultAction, resultId: string): void {
  const requestId = ++actionSeq;
  pendingActions.set(requestId, { action, name: results.nameOf(resultId) ?? '' });
  if (pendingActions.size > 100) pendingActions.delete(pendingActions.keys().next().value as number);
  post({ type: 'resultAction', requestId, action, resultId });
}

/** The drawing that produced the shown results, for the host's recent queries (pad-side units). */
function rememberSketch(): void {
  if (pad.history.isEmpty || debounce.scheduled || pad.isDrawing) return;
  post({ type: 'rememberSketch', strokes: pad.history.strokes.map((s) => s.points.map((p) => [p[0], p[1]] as [number, number])) });
}

/** Host strokes (pad-side units) -> points the pad accepts; anything malformed is dropped. */
function unitStrokes(x: unknown): [number, number][][] {
  if (!Array.isArray(x)) return [];
  return x.filter((s): s is unknown[] => Array.isArray(s) && s.length > 0).slice(0, LIMITS.maxStrokes)
    .map((s) => s.slice(0, LIMITS.maxPointsPerStroke).filter((p): p is [number, number] => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0]) <= 10 && Math.abs(p[1]) <= 10).map((p) => [p[0], p[1]] as [number, number]))
    .filter((s) => s.length > 0);
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
collapseBtn.addEventListener('click', () => {
  padLayout.setCollapsed(!padLayout.collapsed);
  announce(padLayout.collapsed ? t('Sketch pad hidden') : t('Sketch pad shown'));
});

// ---------------------------------------------------------------- host messages

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = ev.data as ToWebviewMessage | null;
  if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
  switch (msg.type) {
    case 'searchResponse':
      if (!tracker.accept(msg.requestId)) return; // stale: a newer request was sent, or the pad was cleared
      imageQueryLabel = null;
      imageQueryUri = undefined;
      searchError = msg.error;
      results.show(Array.isArray(msg.results) ? msg.results : []);
      status.setLatency(msg.error ? null : msg.elapsedMs);
      if (msg.error) announce(t('Search failed: {0}', msg.error));
      else rememberSketch();
      break;
    case 'resultsRefresh': {
      // The host re-ran the shown query because the index changed: update in place, but only if
      // that query is still the one shown (not superseded by a stroke, a clear or another query).
      const q = msg.query;
      const shown = q?.kind === 'sketch'
        ? imageQueryLabel === null && !tracker.isPending && !debounce.scheduled && q.requestId === tracker.lastId
        : q?.kind === 'image' && imageQueryLabel !== null && !hostQueryPending;
      if (shown && Array.isArray(msg.results)) results.update(msg.results);
      break;
    }
    case 'resultActionResponse': {
      const req = pendingActions.get(msg.requestId);
      if (!req) break;
      pendingActions.delete(msg.requestId);
      const text = actionAnnouncement(req.action, req.name, msg.outcome, msg.detail);
      if (text) announce(text);
      break;
    }
    case 'recentQueries':
      recent.setEntries(msg.entries);
      break;
    case 'restoreSketch': {
      const strokes = unitStrokes(msg.strokes);
      if (strokes.length === 0) break;
      closeMenu(false);
      // A drawing brought back while an image query covers the pad: the pad comes back with it.
      imageQueryLabel = null;
      imageQueryUri = undefined;
      pad.replaceStrokes(strokes); // undoable; -> onStrokesChanged
      scrollResultsToTop();
      sendSearch();
      canvas.focus({ preventScroll: true });
      break;
    }
    case 'queryStarted':
      scrollResultsToTop();
      debounce.cancel();
      tracker.invalidate();
      hostQueryPending = true;
      status.setBusy();
      announce(t('Searching: {0}', msg.label));
      break;
    case 'results':
      // Host-pushed image query: replaces whatever the sketch search was showing.
      debounce.cancel();
      tracker.invalidate();
      hostQueryPending = false;
      imageQueryLabel = msg.query?.label ?? t('Image query');
      imageQueryUri = typeof msg.query?.imageUri === 'string' ? msg.query.imageUri : msg.query?.pasted ? pastedImage : undefined;
      searchError = msg.error;
      // The host re-sends the shown results to a re-created view; the same list twice keeps its tiles.
      if (!results.shows(Array.isArray(msg.results) ? msg.results : [], imageQueryLabel)) results.show(Array.isArray(msg.results) ? msg.results : [], imageQueryLabel);
      status.setLatency(msg.error ? null : msg.elapsedMs);
      if (msg.error) announce(msg.error);
      break;
    case 'config': {
      const minChanged = config.minScore !== msg.minScore;
      config = msg;
      results.setOptions(msg);
      if (minChanged && imageQueryLabel !== null) post({ type: 'filter', filter: filters.toFilter() });
      else if (minChanged && !pad.history.isEmpty) sendSearch();
      break;
    }
    case 'scope': {
      const changed = filters.scopeId !== msg.scopeId;
      filters.setScope(msg.scopeId, msg.label);
      if (changed) {
        onFilterChanged();
        announce(msg.scopeId ? t('Folder scope: {0}', msg.label) : t('Searching all folders'));
      }
      break;
    }
    case 'indexStatus':
      lastIndex = msg;
      status.setIndexStatus(msg);
      break;
    case 'fileTypes':
      presentTypes = new Set(Array.isArray(msg.types) ? msg.types : []);
      refreshFilters();
      break;
    case 'thumbnail':
      results.setThumbnail(msg.resultId, msg.thumbnailUri, msg.preview === true);
      break;
    case 'clearPad':
      closeMenu(false);
      clearAll();
      break;
  }
  refreshChrome();
});

// ---------------------------------------------------------------- drop / paste an image onto the pad

function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

async function queryWithBlob(blob: Blob): Promise<void> {
  const mime = (QUERY_IMAGE_MIMES as readonly string[]).includes(blob.type) ? (blob.type as (typeof QUERY_IMAGE_MIMES)[number]) : undefined;
  if (!mime) { announce(t('Only PNG, JPEG, GIF or WebP images can be pasted')); return; }
  if (blob.size > LIMITS.maxImageBytes) { announce(t('The image is too large (over 8 MB)')); return; }
  const base64 = await blobToBase64(blob);
  pastedImage = `data:${mime};base64,${base64}`; // shown in place of the pad when the results come
  post({ type: 'imageQueryBytes', mime, base64, filter: filters.toFilter() });
}

function isImageDrag(dt: DataTransfer | null): boolean {
  if (!dt) return false;
  return [...dt.types].some((x) => x === 'Files' || x === 'text/uri-list' || x === 'application/vnd.code.uri-list');
}

padWrap.addEventListener('dragover', (e) => {
  if (!isImageDrag(e.dataTransfer)) return;
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  padWrap.classList.add('drop-target');
});
padWrap.addEventListener('dragleave', () => padWrap.classList.remove('drop-target'));
padWrap.addEventListener('drop', (e) => {
  padWrap.classList.remove('drop-target');
  const dt = e.dataTransfer;
  if (!dt) return;
  e.preventDefault();
  const uri = firstImageUri((type) => { try { return dt.getData(type); } catch { return ''; } });
  if (uri) { post({ type: 'imageQuery', uri, filter: filters.toFilter() }); return; }
  const file = [...dt.files].find((f) => f.type.startsWith('image/'));
  if (file) void queryWithBlob(file);
  else announce(t('Drop an image file to search with it'));
});
document.addEventListener('paste', (e) => {
  const cd = e.clipboardData;
  if (!cd) return;
  // Only when the pad area or nothing in particular has focus (not while typing elsewhere).
  const active = document.activeElement;
  if (active && active !== document.body && active !== canvas && !padWrap.contains(active)) return;
  const item = [...cd.items].find((i) => i.kind === 'file' && i.type.startsWith('image/'));
  const blob = item?.getAsFile();
  if (blob) { e.preventDefault(); void queryWithBlob(blob); return; }
  const uri = firstImageUri((type) => (type === 'text/uri-list' ? cd.getData('text/plain') : cd.getData(type)));
  if (uri) { e.preventDefault(); post({ type: 'imageQuery', uri, filter: filters.toFilter() }); }
});

// ---------------------------------------------------------------- start

refreshFilters();
refreshChrome();
post({ type: 'ready' });
if (!pad.history.isEmpty) {
  // Restored from getState(): redraw happened in the Pad constructor; search again once laid out.
  // `restore`: the host ignores it while an image query is current (it re-sends that instead).
  requestAnimationFrame(() => { pad.resize(); if (imageQueryLabel === null && !hostQueryPending) sendSearch(true); });
}
