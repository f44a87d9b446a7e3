/**
 * The drawing canvas: Pointer Events (mouse, pen, touch), perfect-freehand rendering, eraser,
 * undo/redo keys, HiDPI and resize handling. Geometry and history live in the pure modules.
 */
import { getStroke } from 'perfect-freehand';
import { StrokeHistory } from './history';
import { PEN_WIDTHS, type PenWidth } from './state';
import {
  canStartStroke, normalizePoint, strokesHitBySweep, totalPoints, tryAddPoint, type NormPoint, type Stroke,
} from './strokes';

export type ChangeReason = 'stroke' | 'erase' | 'undo' | 'redo' | 'clear' | 'replace';

export interface PadCallbacks {
  /** The strokes changed (after a finished stroke/erase gesture, undo, redo or clear). */
  onChange(reason: ChangeReason): void;
  /** A drawing (or erasing) gesture started or ended. */
  onDrawing(active: boolean): void;
  /** Escape was pressed on the focused pad. */
  onEscape(): void;
}

/** Eraser radius in CSS pixels. */
const ERASER_RADIUS_PX = 9;

export function isUndoKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (k === 'y' && e.ctrlKey && !e.shiftKey) return 'redo';
  return null;
}

export class Pad {
  readonly history: StrokeHistory;
  private pen: PenWidth;
  private eraser: boolean;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly cache: HTMLCanvasElement;
  private readonly cacheCtx: CanvasRenderingContext2D;
  private side = 0;
  private dpr = 1;
  private ink = '#000';
  private activePointer: number | null = null;
  private current: Stroke | null = null;
  private erasing: { pending: Set<number>; last: [number, number] } | null = null;
  private hover: [number, number] | null = null;
  private frame = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    history: StrokeHistory,
    opts: { pen: PenWidth; eraser: boolean },
    private readonly cb: PadCallbacks,
  ) {
    this.history = history;
    this.pen = opts.pen;
    this.eraser = opts.eraser;
    const ctx = canvas.getContext('2d');
    this.cache = document.createElement('canvas');
    const cctx = this.cache.getContext('2d');
    if (!ctx || !cctx) throw new Error('2D canvas unavailable');
    this.ctx = ctx;
    this.cacheCtx = cctx;

    canvas.addEventListener('pointerdown', this.onDown);
    canvas.addEventListener('pointermove', this.onMove);
    canvas.addEventListener('pointerup', this.onUp);
    canvas.addEventListener('pointercancel', this.onUp);
    canvas.addEventListener('lostpointercapture', this.onUp);
    canvas.addEventListener('pointerleave', () => { this.hover = null; this.requestFrame(); });
    canvas.addEventListener('keydown', this.onKey);
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());

    new ResizeObserver(() => this.resize()).observe(canvas);
    window.addEventListener('resize', () => this.resize());
    // Theme changes swap CSS variables on <body>: re-read the ink colour.
    new MutationObserver(() => this.refreshColors()).observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] });
    this.resize();
    this.updateCursor();
  }

  get strokes(): readonly Stroke[] { return this.history.strokes; }
  /** Side length of the pad in CSS pixels (0 while hidden). */
  get sideCss(): number { return this.side; }
  get penWidth(): PenWidth { return this.pen; }
  get eraserOn(): boolean { return this.eraser; }
  get isDrawing(): boolean { return this.activePointer !== null; }

  setPen(p: PenWidth): void { this.pen = p; }

  setEraser(on: boolean): void {
    this.eraser = on;
    this.updateCursor();
    this.requestFrame();
  }

  undo(): void {
    this.cancelGesture();
    if (this.history.undo()) { this.renderCache(); this.cb.onChange('undo'); }
  }

  redo(): void {
    this.cancelGesture();
    if (this.history.redo()) { this.renderCache(); this.cb.onChange('redo'); }
  }

  clear(): void {
    this.cancelGesture();
    if (this.history.clear()) { this.renderCache(); this.cb.onChange('clear'); }
  }

  /** Put a drawing in pad-side units on the pad (undoable), drawn with the current pen. */
  replaceStrokes(strokes: readonly NormPoint[][]): void {
    this.cancelGesture();
    const width = PEN_WIDTHS[this.pen] / (this.side > 0 ? this.side : 256);
    if (this.history.replace(strokes.map((points) => ({ points: points.slice(), width })))) { this.renderCache(); this.cb.onChange('replace'); }
  }

  // ------------------------------------------------------------ pointer input

  private pos(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private onDown = (e: PointerEvent): void => {
    if (this.activePointer !== null) return; // one pointer at a time (ignore a second finger)
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    this.canvas.focus({ preventScroll: true });
    if (this.side <= 0) this.resize();
    try { this.canvas.setPointerCapture(e.pointerId); } catch { /* synthetic events */ }
    // The pen's eraser end (buttons bit 32) erases too.
    const erase = this.eraser || (e.buttons & 32) !== 0;
    const [x, y] = this.pos(e);
    if (erase) {
      this.activePointer = e.pointerId;
      this.erasing = { pending: new Set(), last: [x / this.side, y / this.side] };
      this.eraseAlong(x, y);
    } else {
      if (!canStartStroke(this.history.strokes)) return;
      this.activePointer = e.pointerId;
      this.current = { points: [], width: PEN_WIDTHS[this.pen] / this.side };
      this.addPoint(e);
    }
    this.cb.onDrawing(true);
    this.requestFrame();
  };

  private onMove = (e: PointerEvent): void => {
    const [x, y] = this.pos(e);
    this.hover = [x, y];
    if (e.pointerId !== this.activePointer) {
      if (this.eraser) this.requestFrame();
      return;
    }
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    const list = events.length > 0 ? events : [e];
    for (const ev of list) {
      if (this.current) this.addPoint(ev);
      else if (this.erasing) { const [ex, ey] = this.pos(ev); this.eraseAlong(ex, ey); }
    }
    this.requestFrame();
  };

  private onUp = (e: PointerEvent): void => {
    if (e.pointerId !== this.activePointer) return;
    this.activePointer = null;
    try { this.canvas.releasePointerCapture(e.pointerId); } catch { /* already released */ }
    let reason: ChangeReason | null = null;
    if (this.current) {
      const s = this.current;
      this.current = null;
      if (s.points.length > 0) {
        this.history.add(s);
        reason = 'stroke';
      }
    } else if (this.erasing) {
      const pending = this.erasing.pending;
      this.erasing = null;
      if (this.history.erase(pending)) reason = 'erase';
    }
    this.renderCache();
    this.cb.onDrawing(false);
    if (reason) this.cb.onChange(reason);
  };

  private cancelGesture(): void {
    if (this.activePointer === null) return;
    try { this.canvas.releasePointerCapture(this.activePointer); } catch { /* ignore */ }
    this.activePointer = null;
    this.current = null;
    this.erasing = null;
    this.cb.onDrawing(false);
  }

  private addPoint(e: PointerEvent): void {
    if (!this.current) return;
    const [x, y] = this.pos(e);
    // Real pressure only from pens; mouse reports a constant 0.5 and touch is unreliable.
    const pressure = e.pointerType === 'pen' && e.pressure > 0 ? e.pressure : undefined;
    const p = normalizePoint(x, y, this.side, pressure);
    tryAddPoint(this.current, totalPoints(this.history.strokes), p, this.side);
  }

  private eraseAlong(x: number, y: number): void {
    if (!this.erasing) return;
    const u = x / this.side, v = y / this.side;
    const [u0, v0] = this.erasing.last;
    const hits = strokesHitBySweep(this.history.strokes, u0, v0, u, v, ERASER_RADIUS_PX / this.side);
    this.erasing.last = [u, v];
    let changed = false;
    for (const i of hits) if (!this.erasing.pending.has(i)) { this.erasing.pending.add(i); changed = true; }
    if (changed) this.renderCache();
  }

  private onKey = (e: KeyboardEvent): void => {
    const u = isUndoKey(e);
    if (u) {
      e.preventDefault();
      e.stopPropagation();
      if (u === 'undo') this.undo(); else this.redo();
    } else if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      this.cb.onEscape();
    }
  };

  // ------------------------------------------------------------ rendering

  private updateCursor(): void {
    this.canvas.classList.toggle('eraser', this.eraser);
  }

  private refreshColors(): void {
    const ink = getComputedStyle(this.canvas).color || '#000';
    if (ink !== this.ink) {
      this.ink = ink;
      this.renderCache();
    }
  }

  /** Match the backing store to the CSS size and devicePixelRatio; redraw. */
  resize(): void {
    const r = this.canvas.getBoundingClientRect();
    const dpr = Math.max(1, Math.min(4, window.devicePixelRatio || 1));
    const w = Math.max(0, Math.round(r.width * dpr));
    const h = Math.max(0, Math.round(r.height * dpr));
    this.side = r.width;
    this.dpr = dpr;
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      this.cache.width = w;
      this.cache.height = h;
    }
    this.ink = getComputedStyle(this.canvas).color || '#000';
    this.renderCache();
  }

  /** Redraw the finished strokes into the cache, then the screen. */
  renderCache(): void {
    const c = this.cacheCtx;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, this.cache.width, this.cache.height);
    if (this.side > 0) {
      c.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      c.fillStyle = this.ink;
      const pending = this.erasing?.pending;
      this.history.strokes.forEach((s, i) => {
        if (!pending?.has(i)) this.drawStroke(c, s, false);
      });
    }
    this.requestFrame();
  }

  private requestFrame(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const c = this.ctx;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.cache.width > 0 && this.cache.height > 0) c.drawImage(this.cache, 0, 0);
    c.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    if (this.current) {
      c.fillStyle = this.ink;
      this.drawStroke(c, this.current, true);
    }
    if (this.eraser && this.hover) {
      c.beginPath();
      c.arc(this.hover[0], this.hover[1], ERASER_RADIUS_PX, 0, Math.PI * 2);
      c.strokeStyle = this.ink;
      c.globalAlpha = 0.6;
      c.lineWidth = 1;
      c.setLineDash([3, 2]);
      c.stroke();
      c.setLineDash([]);
      c.globalAlpha = 1;
    }
  }

  private drawStroke(c: CanvasRenderingContext2D, s: Stroke, live: boolean): void {
    const side = this.side;
    const hasPressure = s.points.some((p) => p.length === 3);
    const pts = s.points.map((p: NormPoint) => (p.length === 3 ? [p[0] * side, p[1] * side, p[2]] : [p[0] * side, p[1] * side]));
    const outline = getStroke(pts, {
      size: Math.max(1, s.width * side),
      thinning: hasPressure ? 0.6 : 0.35,
      smoothing: 0.5,
      streamline: 0.45,
      simulatePressure: !hasPressure,
      last: !live,
    });
    if (outline.length === 0) return;
    c.beginPath();
    c.moveTo(outline[0][0], outline[0][1]);
    for (let i = 1; i < outline.length; i++) {
      const [x0, y0] = outline[i];
      const [x1, y1] = outline[(i + 1) % outline.length];
      c.quadraticCurveTo(x0, y0, (x0 + x1) / 2, (y0 + y1) / 2);
    }
    c.closePath();
    c.fill();
  }
}
