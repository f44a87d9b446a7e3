/**
 * The results grid: thumbnails (lazy), name, folder, score; click/Enter opens; context menu
 * (right-click, the "…" button, Shift+F10 / ContextMenu key); arrow-key navigation (roving tabindex).
 * Untrusted strings only ever go into textContent / attributes, never innerHTML.
 */
import type { ResultAction, SearchResult } from '../shared/protocol';
import { formatFolder, formatScore, moveInGrid, resultsAnnouncement } from './format';
import { icon } from './icons';
import { showMenu, type MenuEntry } from './menu';

export const RESULT_MENU: MenuEntry[] = [
  { id: 'open', label: 'Open' },
  { id: 'openToSide', label: 'Open to the Side' },
  { id: 'revealInExplorer', label: 'Reveal in Explorer' },
  { separator: true },
  { id: 'copyPath', label: 'Copy Path' },
  { id: 'copyRelativePath', label: 'Copy Relative Path' },
  { separator: true },
  { id: 'insertMarkdownLink', label: 'Insert Markdown Image Link' },
  { id: 'insertHtmlImg', label: 'Insert HTML img' },
  { separator: true },
  { id: 'findSimilar', label: 'Find Similar' },
];

interface Item { result: SearchResult; el: HTMLElement; thumb: HTMLElement }

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

  constructor(
    private readonly onAction: (action: ResultAction, resultId: string) => void,
    private readonly announce: (s: string) => void,
  ) {
    this.el = document.createElement('section');
    this.el.className = 'results-section';
    this.el.setAttribute('aria-label', 'Results');

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
    this.list.setAttribute('aria-label', 'Matching images');
    this.list.addEventListener('keydown', this.onKey);
    this.list.addEventListener('click', this.onClick);
    this.list.addEventListener('contextmenu', this.onContextMenu);
    this.list.addEventListener('focusin', this.onFocusIn);

    this.empty = document.createElement('div');
    this.empty.className = 'empty-state';
    this.empty.dataset.testid = 'empty-state';

    this.el.append(this.header, this.list, this.empty);
  }

  get size(): number { return this.items.length; }

  /** Replace the grid. `label` is shown above it (e.g. "Similar to cat.png"). */
  show(results: SearchResult[], label?: string): void {
    const hadFocus = this.list.contains(document.activeElement);
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
    this.label.textContent = label ?? '';
    this.count.textContent = results.length > 0 ? resultsAnnouncement(results.length) : '';
    this.header.hidden = !label && results.length === 0;
    this.list.hidden = results.length === 0;
    this.announce(label ? `${label}: ${resultsAnnouncement(results.length)}` : resultsAnnouncement(results.length));
    if (hadFocus && this.items.length > 0) this.items[0].el.focus();
  }

  clear(): void {
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

  setThumbnail(resultId: string, uri: string): void {
    const item = this.byId.get(resultId);
    if (item) this.fillThumb(item, uri);
  }

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
    el.setAttribute('aria-label', `${r.name}, ${folder}, score ${score}`);
    el.title = `${r.folder ? r.folder + '/' : ''}${r.name}\nScore ${score}`;

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
    more.setAttribute('aria-label', `More actions for ${r.name}`);
    more.setAttribute('aria-haspopup', 'menu');
    more.dataset.testid = 'result-more';

    el.append(thumb, meta, more);
    const item = { result: r, el, thumb };
    if (r.thumbnailUri) this.fillThumb(item, r.thumbnailUri);
    return item;
  }

  private fillThumb(item: Item, uri: string): void {
    const img = document.createElement('img');
    img.loading = 'lazy';
    img.decoding = 'async';
    img.alt = '';
    img.draggable = false;
    img.addEventListener('load', () => item.thumb.classList.remove('loading', 'broken'));
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
    showMenu(RESULT_MENU, pos, item.el, `Actions for ${item.result.name}`, (id) => this.onAction(id as ResultAction, item.result.resultId));
  }

  private onFocusIn = (e: FocusEvent): void => {
    const it = this.itemFrom(e.target);
    if (it) {
      const i = this.items.indexOf(it);
      if (i !== this.focusIndex) this.setFocus(i, false);
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
    this.onAction(e.altKey || e.ctrlKey || e.metaKey ? 'openToSide' : 'open', it.result.resultId);
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
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.onAction(e.altKey || e.ctrlKey || e.metaKey ? 'openToSide' : 'open', it.result.resultId);
      return;
    }
    const j = moveInGrid(i, e.key, this.items.length, this.columns());
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(e.key)) {
      e.preventDefault();
      if (j !== i && j >= 0) this.setFocus(j);
    }
  };
}
