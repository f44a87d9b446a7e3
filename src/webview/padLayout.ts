/**
 * The pad's place in the view: its side (drag handle under it, remembered; keyboard on the
 * handle), collapsing it, and keeping it within the view as the view is resized. The sizes
 * themselves are computed by the pure padSize.ts.
 */
import { t } from './l10n';
import { MIN_PAD, maxPadSide, padSide, padSideForKey, type PadBounds } from './padSize';

export interface PadLayoutCallbacks {
  /** Size or collapsed state changed by the user: persist it. */
  onChange(): void;
  /** The pad was collapsed or expanded (the toggle button follows). */
  onCollapsed(collapsed: boolean): void;
}

export class PadLayout {
  readonly resizer: HTMLElement;
  private requested: number | null;
  private isCollapsed: boolean;
  private drag: { pointer: number; y0: number; side0: number } | null = null;

  constructor(
    private readonly wrap: HTMLElement,
    private readonly container: HTMLElement,
    opts: { size: number | null | undefined; collapsed: boolean | undefined },
    private readonly cb: PadLayoutCallbacks,
  ) {
    this.requested = opts.size ?? null;
    this.isCollapsed = opts.collapsed === true;
    const r = document.createElement('div');
    r.className = 'pad-resizer';
    r.dataset.testid = 'pad-resizer';
    r.tabIndex = 0;
    r.setAttribute('role', 'separator');
    r.setAttribute('aria-orientation', 'horizontal');
    r.setAttribute('aria-label', t('Resize the sketch pad'));
    r.title = t('Drag to resize the sketch pad (double-click: automatic size)');
    r.setAttribute('aria-valuemin', String(MIN_PAD));
    this.resizer = r;

    r.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      e.preventDefault();
      try { r.setPointerCapture(e.pointerId); } catch { /* synthetic events */ }
      this.drag = { pointer: e.pointerId, y0: e.clientY, side0: this.side };
      r.classList.add('dragging');
    });
    r.addEventListener('pointermove', (e) => {
      if (!this.drag || e.pointerId !== this.drag.pointer) return;
      this.requested = padSide(this.drag.side0 + (e.clientY - this.drag.y0), this.bounds());
      this.apply();
    });
    const end = (e: PointerEvent) => {
      if (!this.drag || e.pointerId !== this.drag.pointer) return;
      this.drag = null;
      r.classList.remove('dragging');
      try { r.releasePointerCapture(e.pointerId); } catch { /* already released */ }
      this.cb.onChange();
    };
    r.addEventListener('pointerup', end);
    r.addEventListener('pointercancel', end);
    r.addEventListener('dblclick', () => { this.requested = null; this.apply(); this.cb.onChange(); });
    r.addEventListener('keydown', (e) => {
      const next = padSideForKey(e.key, e.shiftKey, this.side, this.bounds());
      if (next === undefined) return;
      e.preventDefault();
      this.requested = next;
      this.apply();
      this.cb.onChange();
    });

    window.addEventListener('resize', () => this.apply());
    new ResizeObserver(() => this.apply()).observe(container);
  }

  /** The size the user chose (null: automatic). */
  get size(): number | null { return this.requested; }
  get collapsed(): boolean { return this.isCollapsed; }
  /** The side the pad has now, in CSS px. */
  get side(): number { return padSide(this.requested, this.bounds()); }

  setCollapsed(c: boolean): void {
    if (c === this.isCollapsed) return;
    this.isCollapsed = c;
    this.apply();
    this.cb.onChange();
  }

  private bounds(): PadBounds {
    const cs = getComputedStyle(this.container);
    const width = this.container.clientWidth - (parseFloat(cs.paddingLeft) || 0) - (parseFloat(cs.paddingRight) || 0);
    return { width, height: window.innerHeight };
  }

  /** Size the pad for the current view (called on resize, drag and start). */
  apply(): void {
    const b = this.bounds();
    const side = padSide(this.requested, b);
    const px = `${side}px`;
    if (this.wrap.style.width !== px) this.wrap.style.width = px;
    this.wrap.hidden = this.isCollapsed;
    this.resizer.hidden = this.isCollapsed;
    this.resizer.setAttribute('aria-valuenow', String(side));
    this.resizer.setAttribute('aria-valuemax', String(maxPadSide(b)));
    this.cb.onCollapsed(this.isCollapsed);
  }
}
