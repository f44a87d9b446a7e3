/**
 * The "Recent" popup of the pad toolbar: the workspace's last queries (drawings as a small
 * picture of their strokes, images as a thumbnail), newest first. The host owns the list
 * (`recentQueries` messages); choosing one asks the host to bring it back (`useRecent`).
 * A listbox: arrow keys, Home/End, Enter/Space to use, Delete to remove, Escape to close.
 * Untrusted strings only go into textContent and attributes.
 */
import type { RecentQueryView } from '../shared/protocol';
import { t } from './l10n';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface RecentCallbacks {
  onUse(recentId: string): void;
  onForget(recentId: string | 'all'): void;
  announce(text: string): void;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function timeAgo(at: number, now = Date.now()): string {
  const s = Math.max(0, (now - at) / 1000);
  if (s < 60) return t('just now');
  if (s < 3600) return t('{0} min ago', Math.floor(s / 60));
  if (s < 86400) return t('{0} h ago', Math.floor(s / 3600));
  return t('{0} d ago', Math.floor(s / 86400));
}

/** A recent entry's label ("Drawing, 3 strokes" / "Similar to cat.png"). */
export function recentLabel(e: RecentQueryView): string {
  if (e.kind === 'sketch') return e.strokeCount === 1 ? t('Drawing, 1 stroke') : t('Drawing, {0} strokes', e.strokeCount);
  return e.label;
}

/** Only well-formed entries from the host's message (the webview checks what it renders, too). */
export function sanitizeEntries(x: unknown): RecentQueryView[] {
  if (!Array.isArray(x)) return [];
  const out: RecentQueryView[] = [];
  for (const e of x.slice(0, 50)) {
    if (typeof e !== 'object' || e === null) continue;
    const o = e as Record<string, unknown>;
    if (typeof o.recentId !== 'string' || typeof o.at !== 'number') continue;
    if (o.kind === 'sketch' && Array.isArray(o.preview) && typeof o.strokeCount === 'number') {
      const preview = (o.preview as unknown[]).filter((s): s is [number, number][] => Array.isArray(s)
        && s.every((p) => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1])));
      out.push({ recentId: o.recentId, kind: 'sketch', at: o.at, strokeCount: o.strokeCount, preview });
    } else if (o.kind === 'image' && typeof o.label === 'string') {
      const v: RecentQueryView = { recentId: o.recentId, kind: 'image', at: o.at, label: o.label };
      if (typeof o.thumbnailUri === 'string') v.thumbnailUri = o.thumbnailUri;
      out.push(v);
    }
  }
  return out;
}

function sketchPicture(strokes: [number, number][][] | readonly (readonly number[])[][]): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 1 1');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const s of strokes) {
    if (s.length === 0) continue;
    const line = document.createElementNS(SVG_NS, s.length === 1 ? 'circle' : 'polyline');
    if (s.length === 1) {
      line.setAttribute('cx', String(s[0][0]));
      line.setAttribute('cy', String(s[0][1]));
      line.setAttribute('r', '0.015');
    } else {
      line.setAttribute('points', s.map((p) => `${p[0]},${p[1]}`).join(' '));
    }
    svg.append(line);
  }
  return svg;
}

export class RecentQueriesView {
  private entries: RecentQueryView[] = [];
  private popup: HTMLElement | null = null;
  private options: HTMLElement[] = [];
  private active = 0;

  constructor(private readonly button: HTMLElement, private readonly cb: RecentCallbacks) {
    button.setAttribute('aria-haspopup', 'listbox');
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', (e) => { e.stopPropagation(); if (this.popup) this.close(true); else this.open(); });
    button.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && !this.popup) { e.preventDefault(); this.open(); }
    });
    this.refreshButton();
  }

  get isOpen(): boolean { return this.popup !== null; }
  get size(): number { return this.entries.length; }

  setEntries(raw: unknown): void {
    this.entries = sanitizeEntries(raw);
    this.refreshButton();
    if (this.popup) this.render();
  }

  private refreshButton(): void {
    this.button.classList.toggle('has-recent', this.entries.length > 0);
  }

  open(): void {
    if (this.popup) return;
    const popup = document.createElement('div');
    popup.className = 'recent-popup';
    popup.dataset.testid = 'recent-list';
    popup.addEventListener('keydown', this.onKey);
    popup.addEventListener('click', (e) => e.stopPropagation());
    this.popup = popup;
    document.body.append(popup);
    this.render();
    this.place();
    this.button.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', this.onOutside, true);
    window.addEventListener('blur', this.onBlur);
    (this.options[0] ?? popup.querySelector('button') ?? popup).focus();
  }

  close(restoreFocus: boolean): void {
    if (!this.popup) return;
    this.popup.remove();
    this.popup = null;
    this.options = [];
    this.button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', this.onOutside, true);
    window.removeEventListener('blur', this.onBlur);
    if (restoreFocus) this.button.focus();
  }

  private onOutside = (e: PointerEvent): void => {
    if (this.popup && !this.popup.contains(e.target as Node) && !this.button.contains(e.target as Node)) this.close(false);
  };

  private onBlur = (): void => this.close(false);

  private render(): void {
    const popup = this.popup;
    if (!popup) return;
    const list = document.createElement('div');
    list.className = 'recent-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', t('Recent queries'));
    list.setAttribute('aria-description', t('Enter brings a query back, Delete removes it, Escape closes.'));
    this.options = [];
    const now = Date.now();
    this.entries.forEach((e, i) => {
      const o = document.createElement('div');
      o.className = 'recent-item';
      o.setAttribute('role', 'option');
      o.tabIndex = -1;
      o.dataset.testid = 'recent-item';
      o.dataset.kind = e.kind;
      o.dataset.recentId = e.recentId;
      const pic = document.createElement('div');
      pic.className = `recent-pic ${e.kind}`;
      if (e.kind === 'sketch') pic.append(sketchPicture(e.preview));
      else if (e.thumbnailUri) {
        const img = document.createElement('img');
        img.alt = '';
        img.draggable = false;
        img.src = e.thumbnailUri;
        pic.append(img);
      }
      const text = document.createElement('div');
      text.className = 'recent-text';
      const label = document.createElement('span');
      label.className = 'recent-label';
      label.textContent = recentLabel(e);
      const when = document.createElement('span');
      when.className = 'recent-when';
      when.textContent = timeAgo(e.at, now);
      text.append(label, when);
      o.setAttribute('aria-label', `${recentLabel(e)}, ${timeAgo(e.at, now)}`);
      o.title = recentLabel(e);
      o.append(pic, text);
      o.addEventListener('click', () => this.use(i));
      o.addEventListener('pointermove', () => { if (this.active !== i) this.setActive(i, true); });
      list.append(o);
      this.options.push(o);
    });
    const children: HTMLElement[] = [];
    if (this.entries.length === 0) {
      const empty = document.createElement('div');
      empty.className = 'recent-empty';
      empty.dataset.testid = 'recent-empty';
      empty.tabIndex = -1;
      empty.textContent = t('No recent queries yet. Draw, drop or paste an image, and it is kept here.');
      children.push(empty);
    } else {
      children.push(list);
      const clear = document.createElement('button');
      clear.type = 'button';
      clear.className = 'recent-clear';
      clear.dataset.testid = 'recent-clear';
      clear.textContent = t('Clear recent queries');
      clear.addEventListener('click', () => { this.cb.onForget('all'); this.cb.announce(t('Recent queries cleared')); this.close(true); });
      children.push(clear);
    }
    const hadFocus = popup.contains(document.activeElement);
    popup.replaceChildren(...children);
    this.active = Math.min(this.active, Math.max(0, this.options.length - 1));
    if (this.options.length) this.setActive(this.active, hadFocus);
    else if (hadFocus) (children[0] as HTMLElement).focus();
  }

  /** Below the button, inside the view. */
  private place(): void {
    const popup = this.popup;
    if (!popup) return;
    const b = this.button.getBoundingClientRect();
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const vh = window.innerHeight;
    popup.style.maxWidth = `${Math.max(120, vw - 8)}px`;
    const p = popup.getBoundingClientRect();
    const x = Math.max(4, Math.min(b.right - p.width, vw - p.width - 4));
    const below = b.bottom + 2;
    const y = below + p.height <= vh - 4 || b.top - 2 - p.height < 4 ? below : b.top - 2 - p.height;
    popup.style.left = `${x}px`;
    popup.style.top = `${Math.max(4, y)}px`;
    popup.style.maxHeight = `${Math.max(80, vh - Math.max(4, y) - 4)}px`;
  }

  private setActive(i: number, focus: boolean): void {
    this.options[this.active]?.setAttribute('aria-selected', 'false');
    this.active = i;
    const o = this.options[i];
    if (!o) return;
    o.setAttribute('aria-selected', 'true');
    if (focus) { o.focus({ preventScroll: true }); o.scrollIntoView({ block: 'nearest' }); }
  }

  private use(i: number): void {
    const e = this.entries[i];
    if (!e) return;
    this.close(false);
    this.cb.onUse(e.recentId);
    this.cb.announce(t('Brought back: {0}', recentLabel(e)));
  }

  private onKey = (e: KeyboardEvent): void => {
    const n = this.options.length;
    switch (e.key) {
      case 'Escape': e.preventDefault(); e.stopPropagation(); this.close(true); return;
      case 'Tab': this.close(false); return;
      case 'ArrowDown': e.preventDefault(); if (n) this.setActive((this.active + 1) % n, true); return;
      case 'ArrowUp': e.preventDefault(); if (n) this.setActive((this.active + n - 1) % n, true); return;
      case 'Home': e.preventDefault(); if (n) this.setActive(0, true); return;
      case 'End': e.preventDefault(); if (n) this.setActive(n - 1, true); return;
      case 'Enter':
      case ' ':
        if (!(e.target as HTMLElement).closest('.recent-item')) return;
        e.preventDefault();
        this.use(this.active);
        return;
      case 'Delete':
      case 'Backspace': {
        const entry = this.entries[this.active];
        if (!entry || !(e.target as HTMLElement).closest('.recent-item')) return;
        e.preventDefault();
        this.cb.onForget(entry.recentId);
        this.cb.announce(t('Removed {0} from the recent queries', recentLabel(entry)));
        return;
      }
    }
  };
}
