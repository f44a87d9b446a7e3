/**
 * The one definition of how strokes and images become model input tensors.
 *
 * Used by the extension host, the CLI, the benchmarks and (ported line by line to numpy in
 * training/sketchsearch/preprocess.py, checked by test/integration/preprocess-parity) by training.
 * Changing anything here changes PREPROCESS_VERSION, which makes every index re-encode.
 *
 * Tensor layout for both encoders: float32 NCHW, 3 x INPUT_SIZE x INPUT_SIZE, RGB, values in
 * [-1, 1] as `pixel / 127.5 - 1` (the teacher's convention). White paper is +1, black ink -1.
 */

export const INPUT_SIZE = 128;
export const PREPROCESS_VERSION = 1;

/** A stroke is a polyline of [x, y] points in any coordinate space (only relative geometry matters). */
export type Point = [number, number];
export type Stroke = Point[];

/** Sketch rasterisation constants (in output pixels). */
export const SKETCH_MARGIN = 8;
export const SKETCH_LINE_WIDTH = 3;

/**
 * Rasterise strokes to an ink map (1 = ink, 0 = paper), INPUT_SIZE x INPUT_SIZE, row-major.
 *
 * Steps (all in float64 so ports give identical results):
 * 1. Drop non-finite points and empty strokes.
 * 2. Fit the bounding box of all points, preserving aspect ratio, into the square
 *    [SKETCH_MARGIN, INPUT_SIZE - SKETCH_MARGIN], centred. A zero-size box becomes a dot in the centre.
 * 3. Each segment (a single-point stroke is a zero-length segment) is drawn as a capsule:
 *    ink(pixel centre p) = clamp(SKETCH_LINE_WIDTH / 2 + 0.5 - distance(p, segment), 0, 1);
 *    overlapping segments take the maximum.
 * The line width is fixed in output pixels, so pen width and drawing size on the pad do not matter.
 */
export function rasterizeStrokes(strokes: readonly Stroke[]): Float32Array {
  const S = INPUT_SIZE;
  const out = new Float32Array(S * S);
  const clean: Stroke[] = [];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const stroke of strokes) {
    const pts: Stroke = [];
    for (const p of stroke) {
      const x = p[0], y = p[1];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      pts.push([x, y]);
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
    if (pts.length > 0) clean.push(pts);
  }
  if (clean.length === 0) return out;
  const w = maxX - minX, h = maxY - minY;
  const side = Math.max(w, h);
  const scale = side > 0 ? (S - 2 * SKETCH_MARGIN) / side : 0;
  const ox = (S - w * scale) / 2 - minX * scale;
  const oy = (S - h * scale) / 2 - minY * scale;
  const r = SKETCH_LINE_WIDTH / 2 + 0.5; // distance at which ink reaches 0
  for (const pts of clean) {
    const n = pts.length;
    for (let i = 0; i < Math.max(1, n - 1); i++) {
      const ax = pts[i][0] * scale + ox, ay = pts[i][1] * scale + oy;
      const b = pts[Math.min(i + 1, n - 1)];
      const bx = b[0] * scale + ox, by = b[1] * scale + oy;
      drawCapsule(out, S, ax, ay, bx, by, r);
    }
  }
  return out;
}

function drawCapsule(out: Float32Array, S: number, ax: number, ay: number, bx: number, by: number, r: number): void {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r));
  const x1 = Math.min(S - 1, Math.ceil(Math.max(ax, bx) + r));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r));
  const y1 = Math.min(S - 1, Math.ceil(Math.max(ay, by) + r));
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
      if (t < 0) t = 0; else if (t > 1) t = 1;
      const ex = px - (ax + t * dx), ey = py - (ay + t * dy);
      const v = r - Math.sqrt(ex * ex + ey * ey);
      if (v <= 0) continue;
      const ink = v > 1 ? 1 : v;
      const k = y * S + x;
      if (ink > out[k]) out[k] = ink;
    }
  }
}

/** Strokes -> model input tensor (3 x S x S, white paper +1, ink -1). */
export function sketchTensor(strokes: readonly Stroke[]): Float32Array {
  return inkToTensor(rasterizeStrokes(strokes));
}

/** Ink map (1 = ink) -> 3-channel tensor in [-1, 1]. */
export function inkToTensor(ink: Float32Array): Float32Array {
  const n = ink.length;
  const t = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const v = 1 - 2 * ink[i];
    t[i] = v; t[n + i] = v; t[2 * n + i] = v;
  }
  return t;
}

/**
 * Interleaved RGB uint8 (S x S x 3, as sharp returns) -> NCHW tensor in [-1, 1].
 * Images are decoded and resized by imageToRgb (core/decode.ts) before this.
 */
export function rgbToTensor(rgb: Uint8Array | Buffer, size = INPUT_SIZE): Float32Array {
  const n = size * size;
  if (rgb.length !== 3 * n) throw new Error(`expected ${3 * n} RGB bytes, got ${rgb.length}`);
  const t = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    t[i] = rgb[3 * i] / 127.5 - 1;
    t[n + i] = rgb[3 * i + 1] / 127.5 - 1;
    t[2 * n + i] = rgb[3 * i + 2] / 127.5 - 1;
  }
  return t;
}

/** QuickDraw drawing ([[xs],[ys](,[ts])] per stroke) -> strokes. */
export function quickDrawToStrokes(drawing: number[][][]): Stroke[] {
  return drawing.map((s) => {
    const xs = s[0] ?? [], ys = s[1] ?? [];
    const n = Math.min(xs.length, ys.length);
    const pts: Stroke = [];
    for (let i = 0; i < n; i++) pts.push([xs[i], ys[i]]);
    return pts;
  });
}

/** L2-normalise in place; returns the same array. A zero vector stays zero. */
export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}
