/**
 * The results grid: thumbnails (requested from the host only when scrolled into view), name,
 * folder, score (always or on hover/focus); a click previews (focus stays here), a double click or
 * Enter opens, Alt+Enter opens to the side, Ctrl/Cmd+Enter
 * inserts a Markdown image link at the cursor, Escape clears; a larger preview on hover/focus;
 * drag a result into an editor (text/uri-list); context menu (right-click, the "…" button,
 * Shift+F10 / ContextMenu key); arrow-key navigation (roving tabindex).
 * Untrusted strings only ever go into textContent / attributes, never innerHTML.
 */
import type { GridSize, ResultAction, SearchResult, ShowScores } from '../shared/protocol';
import { formatFolder, formatScore, moveInGrid, resultKeyAction, resultsAnnouncement } from './format';
import { fitTile } from './tile';
import { icon } from './icons';
import { t } from './l10n';
import { showMenu, type MenuEntry } from './menu';

export const RESULT_MENU: MenuEntry[] = [
  { id: 'open', label: t('Open'), shortcut: 'Enter' },
  { id: 'openToSide', label: t('Open to the Side'), shortcut: 'Alt+Enter' },
  { id: 'revealInExplorer', label: t('Reveal in Explorer') },
  { separator: true },
  { id: 'copyPath', label: t('Copy Path') },
  { id: 'copyRelativePath', label: t('Copy Relative Path') },
  { separator: true },
  { id: 'insertReference', label: t('Insert Reference'), shortcut: 'Ctrl+Enter' },
  { id: 'insertMarkdownLink', label: t('Insert Markdown Image Link') },
  { id: 'insertHtmlImg', label: t('Insert HTML <img>') },
  { id: 'insertImportPath', label: t('Insert import/require Path') },
  { separator: true },
  { id: 'findSimilar', label: t('Find Similar') },
];

interface Item { result: SearchResult; el: HTMLElement; thumb: HTMLElement; thumbUri?: string; previewUri?: string; requested?: boolean }

export interface ResultsCallbacks {
  onAction(action: ResultAction, resultId: string): void;
  announce(s: string): void;
  /** These results scrolled into view (or, with preview, are being previewed): ask the host for thumbnails. */
  onNeedThumbnails(ids: string[], preview: boolean): void;
  /** Escape in the grid: clear the pad and results. */
  onEscape(): void;
}

const PREVIEW_DELAY_MS = 350;

export class ResultsView {
  readonly el: HTMLElement;
  private readonly header: HTMLElement;
  private readonly label: HTMLElement;
  private readonly count: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private items: Item[] = [];
  private byId = new Map<string, Item>();
  private focusIndex = 0;
  private readonly onAction: ResultsCallbacks['onAction'];
  private readonly announce: ResultsCallbacks['announce'];
  private readonly observer: IntersectionObserver | undefined;
  private pendingThumbs = new Set<string>();
  private thumbTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly preview: HTMLElement;
  private previewItem: Item | undefined;
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

  constructor(private readonly cb: ResultsCallbacks) {
    this.onAction = cb.onAction;
    this.announce = cb.announce;
    this.el = document.createElement('section');
    this.el.className = 'results-section';
    this.el.setAttribute('aria-label', t('Results'));

    this.header = document.createElement('div');
    this.header.className = 'results-header';
    this.label = document.createElement('span');
    this.label.className = 'query-label';
    this.label.dataset.testid = 'query-label';
    this.count = document.createElement('span');
    this.count.className = 'results-count';
    this.header.append(this.label, this.count);
    this.header.hidden = true;

    this.list = document.createElement('div');
    this.list.className = 'results-grid';
    this.list.dataset.testid = 'results';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', t('Matching images'));
    this.list.setAttribute('aria-description', t('Space or a click previews, Enter or a double click opens, Alt+Enter opens to the side, {0}+Enter inserts a reference at the cursor, Shift+F10 shows more actions, Escape clears.', this.isMac ? 'Cmd' : 'Ctrl'));
    this.list.dataset.grid = 'medium';
    this.list.dataset.scores = 'always';
    this.list.addEventListener('keydown', this.onKey);
    this.list.addEventListener('dragstart', this.onDragStart);
    this.list.addEventListener('pointerover', this.onPointerOver);
    this.list.addEventListener('pointerleave', () => this.hidePreview());
    this.list.addEventListener('focusout', (e) => { if (!this.list.contains(e.relatedTarget as Node | null)) this.hidePreview(); });
    window.addEventListener('scroll', () => this.hidePreview(), { passive: true, capture: true });
    this.list.addEventListener('click', this.onClick);
    this.list.addEventListener('contextmenu', this.onContextMenu);
    this.list.addEventListener('focusin', this.onFocusIn);

    this.empty = document.createElement('div');
    this.empty.className = 'empty-state';
    this.empty.dataset.testid = 'empty-state';

    this.preview = document.createElement('div');
    this.preview.className = 'preview';
    this.preview.dataset.testid = 'result-preview';
    this.preview.setAttribute('aria-hidden', 'true');
    this.preview.hidden = true;

    this.el.append(this.header, this.list, this.empty, this.preview);

    this.observer = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          const it = this.itemFrom(e.target);
          if (it) this.wantThumb(it);
        }
      }, { rootMargin: '200px 0px' })
      : undefined;
  }

  /** Grid size and when scores show (from the `config` message). */
  setOptions(o: { gridSize: GridSize; showScores: ShowScores }): void {
    this.list.dataset.grid = o.gridSize;
    this.list.dataset.scores = o.showScores;
  }

  private wantThumb(it: Item): void {
    this.observer?.unobserve(it.el);
    if (it.requested || it.thumbUri) return;
    if (this.list.dataset.grid === 'large' && it.previewUri) { this.fillThumb(it, it.previewUri); return; }
    it.requested = true;
    this.pendingThumbs.add(it.result.resultId);
    if (this.thumbTimer === undefined) {
      this.thumbTimer = setTimeout(() => {
        this.thumbTimer = undefined;
        const ids = [...this.pendingThumbs];
        this.pendingThumbs.clear();
        // Large cells would blur the 96 px thumbnails: ask for the preview size instead.
        const big = this.list.dataset.grid === 'large';
        for (let i = 0; i < ids.length; i += 100) this.cb.onNeedThumbnails(ids.slice(i, i + 100), big);
      }, 30);
    }
  }

  get size(): number { return this.items.length; }

  /** File name of a shown result (for announcements). */
  nameOf(resultId: string): string | undefined { return this.byId.get(resultId)?.result.name; }
  /** Whether these are exactly the results shown (a re-sent message must not reset tiles and thumbnails). */
  shows(results: SearchResult[], label?: string): boolean {
    return (label ?? '') === (this.label.textContent ?? '') && results.length === this.items.length && results.length > 0
      && results.every((r, i) => this.items[i].result.resultId === r.resultId);
  }

  /** Replace the grid. `label` is shown above it (e.g. "Similar to cat.png"). */
  show(results: SearchResult[], label?: string): void {
    const hadFocus = this.list.contains(document.activeElement);
    this.hidePreview();
    this.observer?.disconnect();
    this.pendingThumbs.clear();
    this.items = [];
    this.byId.clear();
    this.focusIndex = 0;
    const multiRoot = new Set(results.map((r) => r.workspaceFolder)).size > 1;
    const frag = document.createDocumentFragment();
    results.forEach((r, i) => {
      const item = this.renderItem(r, i, results.length, multiRoot);
      this.items.push(item);
      this.byId.set(r.resultId, item);
      frag.append(item.el);
    });
    this.list.replaceChildren(frag);
    this.list.scrollTop = 0;
    if (this.observer) for (const it of this.items) this.observer.observe(it.el);
    else for (const it of this.items) this.wantThumb(it);
    this.label.textContent = label ?? '';
    this.count.textContent = results.length > 0 ? resultsAnnouncement(results.length) : '';
    this.header.hidden = !label && results.length === 0;
    this.list.hidden = results.length === 0;
    this.announce(label ? `${label}: ${resultsAnnouncement(results.length)}` : resultsAnnouncement(results.length));
    if (hadFocus && this.items.length > 0) this.items[0].el.focus();
  }

  /**
   * The same query re-run by the host (the index changed): results whose id stays keep their tile
   * (and thumbnail); gone ones are dropped, new ones inserted in rank order. The scroll position
   * and the focused/selected result are kept (the selection moves to its neighbour if it left).
   */
  update(results: SearchResult[]): void {
    if (this.items.length === 0) { this.show(results, this.label.textContent || undefined); return; }
    const hadFocus = this.list.contains(document.activeElement);
    const selected = this.items[this.focusIndex];
    const scrolls = scrollAncestors(this.list).map((el) => [el, el.scrollTop] as const);
    const wanted = new Set(results.map((r) => r.resultId));
    if (this.previewItem && !wanted.has(this.previewItem.result.resultId)) this.hidePreview();
    for (const it of this.items) {
      if (wanted.has(it.result.resultId)) continue;
      this.observer?.unobserve(it.el);
      this.pendingThumbs.delete(it.result.resultId);
      this.byId.delete(it.result.resultId);
      it.el.remove();
    }
    const multiRoot = new Set(results.map((r) => r.workspaceFolder)).size > 1;
    const next: Item[] = [];
    results.forEach((r, i) => {
      let it = this.byId.get(r.resultId);
      if (it) {
        it.result = { ...r, thumbnailUri: it.result.thumbnailUri };
        it.el.dataset.index = String(i);
        it.el.setAttribute('aria-posinset', String(i + 1));
        it.el.setAttribute('aria-setsize', String(results.length));
        const sc = it.el.querySelector('.score');
        if (sc) sc.textContent = formatScore(r.score);
      } else {
        it = this.renderItem(r, i, results.length, multiRoot);
        this.byId.set(r.resultId, it);
        if (this.observer) this.observer.observe(it.el); else this.wantThumb(it);
      }
      next.push(it);
    });
    // Put nodes in order, moving as few as possible (moving the focused node would blur it).
    let cursor: ChildNode | null = this.list.firstChild;
    for (const it of next) {
      if (it.el === cursor) { cursor = cursor.nextSibling; continue; }
      this.list.insertBefore(it.el, cursor);
    }
    const oldIndex = this.focusIndex;
    this.items = next;
    const keep = selected ? next.indexOf(selected) : -1;
    this.focusIndex = keep >= 0 ? keep : Math.min(oldIndex, next.length - 1);
    next.forEach((it, i) => {
      it.el.tabIndex = i === this.focusIndex ? 0 : -1;
      it.el.setAttribute('aria-selected', String(i === this.focusIndex));
    });
    for (const [el, top] of scrolls) el.scrollTop = top;
    this.count.textContent = next.length > 0 ? resultsAnnouncement(next.length) : '';
    this.list.hidden = next.length === 0;
    this.header.hidden = !this.label.textContent && next.length === 0;
    if (hadFocus && !this.list.contains(document.activeElement)) {
      const target = this.items[this.focusIndex];
      if (target) target.el.focus({ preventScroll: true });
    }
  }

  clear(): void {
    this.hidePreview();
    this.observer?.disconnect();
    this.pendingThumbs.clear();
    this.items = [];
    this.byId.clear();
    this.list.replaceChildren();
    this.list.hidden = true;
    this.header.hidden = true;
    this.label.textContent = '';
    this.count.textContent = '';
  }

  /** Text shown instead of the grid (null hides it). */
  setEmpty(text: string | null): void {
    this.empty.textContent = text ?? '';
    this.empty.hidden = text === null;
  }

  setThumbnail(resultId: string, uri: string, preview = false): void {
    const item = this.byId.get(resultId);
    if (!item) return;
    if (preview) {
      item.previewUri = uri;
      if (!item.thumbUri || this.list.dataset.grid === 'large') this.fillThumb(item, uri);
      if (this.previewItem === item) this.renderPreview(item);
    } else {
      this.fillThumb(item, uri);
      if (this.previewItem === item && !item.previewUri) this.renderPreview(item);
    }
  }

  // ------------------------------------------------------------ preview (hover / focus)

  private onPointerOver = (e: PointerEvent): void => {
    if (e.pointerType === 'touch') return;
    const it = this.itemFrom(e.target);
    if (!it || it === this.previewItem) return;
    this.schedulePreview(it);
  };

  private schedulePreview(it: Item): void {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => this.showPreview(it), PREVIEW_DELAY_MS);
  }

  private showPreview(it: Item): void {
    if (!it.el.isConnected) return;
    this.previewItem = it;
    if (!it.previewUri) this.cb.onNeedThumbnails([it.result.resultId], true);
    this.renderPreview(it);
  }

  private renderPreview(it: Item): void {
    const uri = it.previewUri ?? it.thumbUri;
    if (!uri) { this.preview.hidden = true; return; }
    let img = this.preview.querySelector('img');
    if (!img) {
      img = document.createElement('img');
      img.alt = '';
      img.draggable = false;
      this.preview.append(img);
    }
    if (img.getAttribute('src') !== uri) img.src = uri;
    let cap = this.preview.querySelector('.preview-caption');
    if (!cap) { cap = document.createElement('div'); cap.className = 'preview-caption'; this.preview.append(cap); }
    cap.textContent = `${it.result.name} · ${formatScore(it.result.score)}`;
    this.preview.hidden = false;
    // Beside the item if there is room, else below/above it; always inside the viewport.
    const r = it.el.getBoundingClientRect();
    const p = this.preview.getBoundingClientRect();
    const vw = window.innerWidth, vh = window.innerHeight;
    let x: number, y: number;
    if (r.right + 8 + p.width <= vw) { x = r.right + 8; y = r.top; } else if (r.left - 8 - p.width >= 0) { x = r.left - 8 - p.width; y = r.top; } else {
      x = r.left + r.width / 2 - p.width / 2;
      y = r.bottom + 6 + p.height <= vh ? r.bottom + 6 : r.top - 6 - p.height;
    }
    this.preview.style.left = `${Math.max(2, Math.min(x, vw - p.width - 2))}px`;
    this.preview.style.top = `${Math.max(2, Math.min(y, vh - p.height - 2))}px`;
  }

  hidePreview(): void {
    clearTimeout(this.previewTimer);
    this.previewItem = undefined;
    this.preview.hidden = true;
  }

  // ------------------------------------------------------------ drag into an editor

  private onDragStart = (e: DragEvent): void => {
    const it = this.itemFrom(e.target);
    if (!it || !e.dataTransfer || !it.result.uri) { e.preventDefault(); return; }
    this.hidePreview();
    e.dataTransfer.effectAllowed = 'copyLink';
    e.dataTransfer.setData('text/uri-list', it.result.uri);
    e.dataTransfer.setData('application/vnd.code.uri-list', JSON.stringify([it.result.uri]));
    e.dataTransfer.setData('text/plain', it.result.uri);
    const img = it.thumb.querySelector('img');
    if (img) e.dataTransfer.setDragImage(img, 16, 16);
  };

  private renderItem(r: SearchResult, i: number, n: number, multiRoot: boolean): Item {
    const el = document.createElement('div');
    el.className = 'result';
    el.setAttribute('role', 'option');
    el.setAttribute('aria-selected', i === 0 ? 'true' : 'false');
    el.setAttribute('aria-posinset', String(i + 1));
    el.setAttribute('aria-setsize', String(n));
    el.tabIndex = i === 0 ? 0 : -1;
    el.dataset.testid = 'result-item';
    el.dataset.name = r.name;
    el.dataset.resultId = r.resultId;
    el.dataset.index = String(i);
    const folder = formatFolder(r.folder, r.workspaceFolder, multiRoot);
    const score = formatScore(r.score);
    el.setAttribute('aria-label', t('{0}, {1}, score {2}', r.name, folder, score));
    el.draggable = !!r.uri;
    el.dataset.fileType = r.fileType ?? '';

    const thumb = document.createElement('div');
    thumb.className = 'thumb loading';
    thumb.setAttribute('aria-hidden', 'true');

    const meta = document.createElement('div');
    meta.className = 'meta';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = r.name;
    const sub = document.createElement('span');
    sub.className = 'sub';
    const fold = document.createElement('span');
    fold.className = 'folder';
    fold.textContent = folder;
    const sc = document.createElement('span');
    sc.className = 'score';
    sc.textContent = score;
    sub.append(fold, sc);
    meta.append(name, sub);

    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'more';
    more.tabIndex = -1;
    more.append(icon('ellipsis'));
    more.setAttribute('aria-label', t('More actions for {0}', r.name));
    more.title = t('More actions');
    more.setAttribute('aria-haspopup', 'menu');
    more.dataset.testid = 'result-more';

    el.append(thumb, meta, more);
    const item: Item = { result: r, el, thumb };
    if (r.thumbnailUri) this.fillThumb(item, r.thumbnailUri);
    return item;
  }

  private fillThumb(item: Item, uri: string): void {
    item.thumbUri = uri;
    const img = document.createElement('img');
    img.loading = 'lazy';
    img.decoding = 'async';
    img.alt = '';
    img.draggable = false;
    img.addEventListener('load', () => { item.thumb.classList.remove('loading', 'broken'); fitTile(img); });
    img.addEventListener('error', () => { item.thumb.classList.remove('loading'); item.thumb.classList.add('broken'); img.remove(); });
    img.src = uri;
    item.thumb.replaceChildren(img);
  }

  private itemFrom(target: EventTarget | null): Item | undefined {
    const el = (target as HTMLElement | null)?.closest?.('.result') as HTMLElement | null;
    return el ? this.items[Number(el.dataset.index)] : undefined;
  }

  private setFocus(i: number, focus = true): void {
    const prev = this.items[this.focusIndex];
    if (prev) { prev.el.tabIndex = -1; prev.el.setAttribute('aria-selected', 'false'); }
    this.focusIndex = i;
    const it = this.items[i];
    if (!it) return;
    it.el.tabIndex = 0;
    it.el.setAttribute('aria-selected', 'true');
    if (focus) {
      it.el.focus({ preventScroll: true });
      it.el.scrollIntoView({ block: 'nearest' });
    }
  }

  private columns(): number {
    if (this.items.length < 2) return 1;
    const top = this.items[0].el.offsetTop;
    let c = 0;
    for (const it of this.items) { if (it.el.offsetTop !== top) break; c++; }
    return Math.max(1, c);
  }

  private openMenuFor(item: Item, at?: { x: number; y: number }): void {
    const r = item.el.getBoundingClientRect();
    const pos = at ?? { x: r.left + Math.min(24, r.width / 2), y: r.top + Math.min(24, r.height / 2) };
    this.hidePreview();
    showMenu(RESULT_MENU, pos, item.el, t('Actions for {0}', item.result.name), (id) => this.onAction(id as ResultAction, item.result.resultId));
  }

  private onFocusIn = (e: FocusEvent): void => {
    const it = this.itemFrom(e.target);
    if (it) {
      const i = this.items.indexOf(it);
      if (i !== this.focusIndex) this.setFocus(i, false);
      // Keyboard focus shows the larger preview (pointer focus already has the hover one).
      if (it.el.matches(':focus-visible')) this.schedulePreview(it);
    }
  };

  private onClick = (e: MouseEvent): void => {
    const it = this.itemFrom(e.target);
    if (!it) return;
    if ((e.target as HTMLElement).closest('.more')) {
      e.stopPropagation();
      const b = (e.target as HTMLElement).closest('.more')!.getBoundingClientRect();
      this.setFocus(this.items.indexOf(it));
      this.openMenuFor(it, { x: b.left, y: b.bottom });
      return;
    }
    if (e.altKey || (this.isMac ? e.metaKey : e.ctrlKey)) { this.onAction('openToSide', it.result.resultId); return; }
    // As in VS Code's Search view: a single click previews and keeps focus here (arrow keys and
    // Ctrl/Cmd+Enter keep working); the second click of a double click opens it pinned, with focus.
    const i = this.items.indexOf(it);
    if (i !== this.focusIndex || document.activeElement !== it.el) this.setFocus(i, true);
    this.onAction(e.detail >= 2 ? 'open' : 'preview', it.result.resultId);
  };

  private onContextMenu = (e: MouseEvent): void => {
    const it = this.itemFrom(e.target);
    if (!it) return;
    e.preventDefault();
    e.stopPropagation();
    this.setFocus(this.items.indexOf(it));
    // A keyboard-generated contextmenu event (ContextMenu key / Shift+F10) has no pointer position.
    this.openMenuFor(it, e.clientX === 0 && e.clientY === 0 ? undefined : { x: e.clientX, y: e.clientY });
  };

  private onKey = (e: KeyboardEvent): void => {
    const it = this.itemFrom(e.target);
    if (!it) return;
    const i = this.items.indexOf(it);
    if ((e.key === 'F10' && e.shiftKey) || e.key === 'ContextMenu') {
      e.preventDefault();
      this.openMenuFor(it);
      return;
    }
    const action = resultKeyAction(e, this.isMac);
    if (action === 'clear') {
      e.preventDefault();
      e.stopPropagation();
      this.hidePreview();
      this.cb.onEscape();
      return;
    }
    if (action) {
      e.preventDefault();
      e.stopPropagation();
      // What happened is announced when the host answers (nothing may have been inserted).
      this.onAction(action, it.result.resultId);
      return;
    }
    const j = moveInGrid(i, e.key, this.items.length, this.columns());
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(e.key)) {
      e.preventDefault();
      if (j !== i && j >= 0) this.setFocus(j);
    }
  };
}

/** The element and its ancestors that scroll (their positions are kept across an in-place update). */
function scrollAncestors(el: HTMLElement): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (let e: HTMLElement | null = el; e; e = e.parentElement) if (e.scrollHeight > e.clientHeight) out.push(e);
  const doc = document.scrollingElement as HTMLElement | null;
  if (doc && !out.includes(doc)) out.push(doc);
  return out;
}
